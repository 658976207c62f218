//! International protection needs of a case.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{NewProtectionNeed, ProtectionNeed, ProtectionNeedRecorded};
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ApiJson, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::casework::protection::RawProtectionNeed;

#[utoipa::path(get, path = "/api/v1/cases/{id}/protection-needs", tag = "protection",
    summary = "The person's international protection needs, oldest first (the reason only for the case's own organisation)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Needs", body = Vec<ProtectionNeed>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<ProtectionNeed>>, WebError> {
    let needs = state.store.protection_needs(&actor, id).await?;
    Ok(Json(needs.into_iter().map(ProtectionNeed::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/protection-needs", tag = "protection",
    summary = "Record an international protection need: from then on the case is never shared, referred or transferred to a consulate or other authority of a listed country (422 international_protection), and existing shares with them end at once",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewProtectionNeed,
    responses(
        (status = 201, description = "Recorded", body = ProtectionNeedRecorded),
        crate::kit::responses::Changes))]
pub async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewProtectionNeed>,
) -> Result<(StatusCode, Json<ProtectionNeedRecorded>), WebError> {
    let need = RawProtectionNeed::from(body).validate()?;
    let need_id = state.store.record_protection_need(&actor, id, need).await?;
    Ok((
        StatusCode::CREATED,
        Json(ProtectionNeedRecorded { id: need_id }),
    ))
}
