//! Incidents over the API. Each handler's `#[utoipa::path]` is its part of the OpenAPI
//! document. Staff of organisations that record incidents get an answer; others are 403
//! `forbidden` with a reason, immigration enforcement 403 `immigration_firewall` on every route
//! before its body is read, and another organisation's incident (or case, report, visit) is 404
//! like a missing one.

use super::types::{
    IncidentCreated, IncidentDetail, IncidentInput, IncidentItem, IncidentQuery, LinkInput,
    VerificationInput, verification_of,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_core::ErrorCode;
use passage_core::monitoring::IncidentAction;
use passage_store::monitoring::incidents::IncidentOrigin;
use passage_store::{Authority, StoreError};

/// The list's and the figures' query, or a 400 when it cannot be read.
pub(crate) fn query<T>(
    q: Result<Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, WebError> {
    q.map(|Query(q)| q).map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidQuery,
            "Use country, from and to.",
        )
    })
}

#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents",
    summary = "Record an incident of discrimination, xenophobic violence or abuse without a named person: when, where, what, the bias alleged, who did it, how many were affected, who told; the narrative is sealed. A future date, an unknown kind, motive, place type or country, a negative count: 422 naming the field, nothing written",
    request_body = IncidentInput,
    responses(
        (status = 201, description = "Recorded", body = IncidentCreated),
        crate::kit::responses::Guarded))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<IncidentInput>,
) -> Result<(StatusCode, Json<IncidentCreated>), WebError> {
    state
        .store
        .incident_firewall(&actor, IncidentAction::Record)
        .await?;
    let org = actor.org_id();
    let id = state
        .store
        .record_incident(
            &Authority::User(actor),
            org,
            &body.raw(),
            IncidentOrigin {
                report_id: body.report_id,
                visit_id: body.visit_id,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(IncidentCreated { id })))
}

#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents",
    summary = "Your organisation's incidents, newest first, in a country and between two days (inclusive) when given; never another organisation's, no narrative",
    params(IncidentQuery),
    responses(
        (status = 200, description = "Newest first", body = Vec<IncidentItem>),
        crate::kit::responses::Refusals,
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "A country or a day that does not exist", body = crate::kit::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    q: Result<Query<IncidentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<IncidentItem>>, WebError> {
    state
        .store
        .incident_firewall(&actor, IncidentAction::Read)
        .await?;
    let filter = query(q)?.raw().validate().map_err(StoreError::Invalid)?;
    let found = state.store.incidents(&actor, &filter).await?;
    Ok(Json(found.iter().map(IncidentItem::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    summary = "One incident of your organisation with its narrative and its link to a case or person",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The incident", body = IncidentDetail),
        crate::kit::responses::Guarded))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<IncidentDetail>, WebError> {
    Ok(Json(state.store.incident(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/verification", tag = "incidents",
    summary = "Set the verification status (a supervisor of the incident's organisation); audited",
    params(("id" = uuid::Uuid, Path)),
    request_body = VerificationInput,
    responses(
        (status = 204, description = "Set"),
        crate::kit::responses::Guarded))]
pub async fn verify(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<VerificationInput>,
) -> Result<StatusCode, WebError> {
    state
        .store
        .incident_firewall(&actor, IncidentAction::Verify)
        .await?;
    let status = verification_of(&body.status)?;
    state.store.verify_incident(&actor, id, status).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/link", tag = "incidents",
    summary = "Link the incident to a case or a person of your organisation (sealed; never required); another organisation's case or person is 404 like a missing one",
    params(("id" = uuid::Uuid, Path)),
    request_body = LinkInput,
    responses(
        (status = 204, description = "Linked"),
        crate::kit::responses::Guarded))]
pub async fn link(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<LinkInput>,
) -> Result<StatusCode, WebError> {
    state
        .store
        .incident_firewall(&actor, IncidentAction::Record)
        .await?;
    let target = body.target()?;
    state.store.link_incident(&actor, id, target).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/unlink", tag = "incidents",
    summary = "Remove the incident's link to a case or person",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Unlinked"),
        crate::kit::responses::Guarded))]
pub async fn unlink(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<StatusCode, WebError> {
    state.store.unlink_incident(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
