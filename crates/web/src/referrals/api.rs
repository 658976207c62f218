//! The referrals API. Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    Close, Decline, LinkedCase, NewReferral, Referral, ReferralCreated, ReferralQuery,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_core::referrals::ReferralStatus;
use passage_store::casework::referrals::Direction;

#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals", tag = "referrals",
    summary = "Refer the person to a service of another organisation: needs a basis covering that organisation (422 consent_required); never immigration enforcement; never an authority of a country the person fled (422 international_protection); a full service is 422 service_full",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewReferral,
    responses(
        (status = 201, description = "Sent", body = ReferralCreated),
        crate::kit::responses::Changes))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewReferral>,
) -> Result<(StatusCode, Json<ReferralCreated>), WebError> {
    let new = body.parse()?;
    let rid = state.store.create_referral(&actor, id, new).await?;
    Ok((StatusCode::CREATED, Json(ReferralCreated { id: rid })))
}

#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals",
    summary = "Referrals to services of your organisation (incoming) or from its cases (outgoing), newest first",
    params(ReferralQuery),
    responses(
        (status = 200, description = "Referrals", body = Vec<Referral>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ReferralQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Referral>>, WebError> {
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
    let found = state.store.list_referrals(&actor, direction).await?;
    Ok(Json(found.into_iter().map(Referral::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "referrals",
    summary = "One referral: the receiver sees only the shared fields; the referrer its status and outcome; anyone else 404",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The referral", body = Referral),
        crate::kit::responses::Reads))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Referral>, WebError> {
    Ok(Json(state.store.referral(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/accept", tag = "referrals",
    summary = "Accept a referral (the receiver): takes one place of a service that keeps its capacity (422 service_full when none is free)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Accepted"),
        crate::kit::responses::Changes))]
pub async fn accept(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<StatusCode, WebError> {
    state
        .store
        .answer_referral(&actor, id, ReferralStatus::Accepted, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/decline", tag = "referrals",
    summary = "Decline a referral (the receiver), with a reason the referrer reads",
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
    state
        .store
        .answer_referral(&actor, id, ReferralStatus::Declined, Some(body.reason))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/open-case", tag = "referrals",
    summary = "Open a case of your own from an accepted referral (the receiver): a new person and case made from the shared fields only; once per referral (422 already_linked)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 201, description = "Opened", body = LinkedCase),
        crate::kit::responses::Changes))]
pub async fn open_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<(StatusCode, Json<LinkedCase>), WebError> {
    let case_id = state.store.open_case_from_referral(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(LinkedCase { case_id })))
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/close", tag = "referrals",
    summary = "Close an accepted referral (the receiver) with its outcome, which the referrer reads; gives back the place the acceptance took",
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
    state
        .store
        .close_referral(&actor, id, &body.outcome)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
