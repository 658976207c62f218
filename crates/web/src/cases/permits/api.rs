//! Permits of a case: the case's own organisation, those who may read the migration status.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{CasePermits, NewPermit, PermitCorrection, PermitRecorded, StatusChange};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::casework::permits::{RawPermit, RawPermitDetails, RawStatusChange};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/cases/{id}/permits", tag = "permits",
    summary = "The case's residence and work permits on protection grounds, newest first, with their status history, reminders, and the permit settings of the case's jurisdiction profile (the case's own organisation, readers of the migration status only)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Permits", body = CasePermits),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<CasePermits>, WebError> {
    Ok(Json(state.store.permits(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/permits", tag = "permits",
    summary = "Record a permit application (planned, applied, granted or refused). A refusal without an appeal deadline gets the profile's permit_appeal_days from the decision; a granted permit with an expiry, and a refusal, become reminder tasks. 422 names each invalid field, nothing written",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewPermit,
    responses(
        (status = 201, description = "Recorded", body = PermitRecorded),
        crate::kit::responses::Changes))]
pub async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewPermit>,
) -> Result<(StatusCode, Json<PermitRecorded>), WebError> {
    let new = RawPermit::from(body).validate()?;
    let pid = state.store.add_permit(&actor, id, new).await?;
    Ok((StatusCode::CREATED, Json(PermitRecorded { id: pid })))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/permits/{pid}/status", tag = "permits",
    summary = "A decision, appeal, renewal (granted again with new dates), withdrawal or expiry; 422 transition_not_allowed when the permit's status cannot move there (an expired or withdrawn permit is followed by a new one)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = StatusChange,
    responses(
        (status = 204, description = "Changed"),
        crate::kit::responses::Changes))]
pub async fn status(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<StatusChange>,
) -> Result<StatusCode, WebError> {
    let change = RawStatusChange::from(body).validate()?;
    state
        .store
        .change_permit_status(&actor, id, pid, change)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/permits/{pid}", tag = "permits",
    summary = "Correct a permit's authority, reference, dates and note (every field replaces the recorded one; not its status). A moved expiry or appeal deadline moves its reminder task",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = PermitCorrection,
    responses(
        (status = 204, description = "Corrected"),
        crate::kit::responses::Changes))]
pub async fn correct(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<PermitCorrection>,
) -> Result<StatusCode, WebError> {
    let details = RawPermitDetails::from(body).validate()?;
    state.store.correct_permit(&actor, id, pid, details).await?;
    Ok(StatusCode::NO_CONTENT)
}
