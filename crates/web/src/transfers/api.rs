//! The transfers API. Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    Close, Decline, NewTransfer, Transfer, TransferCreated, TransferQuery, bounded,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_store::casework::transfers::Direction;

#[utoipa::path(post, path = "/api/v1/cases/{id}/transfers", tag = "transfers",
    summary = "Propose moving the case to another organisation (a caseworker or supervisor of its organisation): needs a basis covering that organisation (422 consent_required, cross-border included); never immigration enforcement (403); never an authority of a country the person fled (422 international_protection); 422 case_closed, transfer_pending, person_has_other_cases or own_organisation; an unknown organisation is 404",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewTransfer,
    responses(
        (status = 201, description = "Proposed", body = TransferCreated),
        crate::kit::responses::Changes))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewTransfer>,
) -> Result<(StatusCode, Json<TransferCreated>), WebError> {
    let new = body.parse()?;
    let tid = state.store.propose_transfer(&actor, id, new).await?;
    Ok((StatusCode::CREATED, Json(TransferCreated { id: tid })))
}

#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers",
    summary = "Transfers to your organisation (incoming) or from it (outgoing, the stubs included), newest first",
    params(TransferQuery),
    responses(
        (status = 200, description = "Transfers", body = Vec<Transfer>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<TransferQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Transfer>>, WebError> {
    let bad = || {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::InvalidQuery,
            "Use direction=incoming or direction=outgoing.",
        )
    };
    let Query(q) = query.map_err(|_| bad())?;
    let direction = match q.direction.as_deref() {
        Some("incoming") => Direction::Incoming,
        Some("outgoing") | None => Direction::Outgoing,
        Some(_) => return Err(bad()),
    };
    let found = state.store.list_transfers(&actor, direction).await?;
    Ok(Json(found.into_iter().map(Transfer::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "transfers",
    summary = "One transfer: the sender reads its stub (when, to whom, status, outcome); the receiver the minimal view (name, languages, needs, reason) while pending and the case's id once accepted; anyone else 404",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The transfer", body = Transfer),
        crate::kit::responses::Reads))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Transfer>, WebError> {
    Ok(Json(state.store.transfer(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/transfers/{id}/accept", tag = "transfers",
    summary = "Accept a transfer (the receiver): the case and its person move to your organisation, assigned to you; the sender keeps only its stub. 422 transition_not_allowed when it was answered already",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Accepted: the case is yours"),
        crate::kit::responses::Changes))]
pub async fn accept(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<StatusCode, WebError> {
    state.store.accept_transfer(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/transfers/{id}/decline", tag = "transfers",
    summary = "Decline a transfer (the receiver), with a reason the sender reads; the case stays where it is",
    params(("id" = uuid::Uuid, Path)),
    request_body = Decline,
    responses(
        (status = 204, description = "Declined"),
        crate::kit::responses::Changes))]
pub async fn decline(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<Decline>,
) -> Result<StatusCode, WebError> {
    bounded("reason", &body.reason)?;
    state
        .store
        .decline_transfer(&actor, id, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/transfers/{id}/close", tag = "transfers",
    summary = "Close a transfer you accepted (the receiver), with the outcome the sender reads on its stub",
    params(("id" = uuid::Uuid, Path)),
    request_body = Close,
    responses(
        (status = 204, description = "Closed"),
        crate::kit::responses::Changes))]
pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<Close>,
) -> Result<StatusCode, WebError> {
    bounded("outcome", &body.outcome)?;
    state
        .store
        .close_transfer(&actor, id, &body.outcome)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
