//! Follow-up visits after closure and their sustainability check.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{FollowUp, Visit, VisitRecorded};
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ApiJson, WebError};
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/api/v1/cases/{id}/follow-ups", tag = "follow-up",
    summary = "Follow-up visits after closure (due at the profile's months), overdue marked",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Visits", body = Vec<FollowUp>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<FollowUp>>, WebError> {
    let visits = state.store.follow_ups(&actor, id).await?;
    Ok(Json(visits.into_iter().map(FollowUp::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/follow-ups/{id}", tag = "follow-up",
    summary = "Record a visit and its sustainability check, against the version read",
    params(("id" = uuid::Uuid, Path)),
    request_body = Visit,
    responses(
        (status = 200, description = "Recorded", body = VisitRecorded),
        crate::kit::responses::Writes))]
pub async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<Visit>,
) -> Result<Json<VisitRecorded>, WebError> {
    let version = state.store.record_follow_up(&actor, id, b.into()).await?;
    Ok(Json(VisitRecorded {
        id: id.to_string(),
        version,
    }))
}
