//! International protection needs of a case.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{EndNeed, NewProtectionNeed, NewReview, ProtectionNeed, ProtectionNeedRecorded};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, WebError};
use crate::kit::{Id, Ids, today};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::casework::protection::{RawEnd, RawProtectionNeed, RawReview};
use uuid::Uuid;

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

#[utoipa::path(post, path = "/api/v1/cases/{id}/protection-needs/{nid}/reviews", tag = "protection",
    summary = "Record a review of a need in force (the case's own organisation): the outcome, a note, the next review (a task on the case's work list); `changed` may give the countries from now on. 422 protection_need_ended once the need has ended",
    params(("id" = uuid::Uuid, Path), ("nid" = uuid::Uuid, Path)),
    request_body = NewReview,
    responses(
        (status = 201, description = "Recorded", body = ProtectionNeedRecorded),
        crate::kit::responses::Changes))]
pub async fn review(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, nid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewReview>,
) -> Result<(StatusCode, Json<ProtectionNeedRecorded>), WebError> {
    let review = RawReview::from(body).validate(today(&state))?;
    let review_id = state
        .store
        .review_protection_need(&actor, id, nid, review)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProtectionNeedRecorded { id: review_id }),
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/protection-needs/{nid}/end", tag = "protection",
    summary = "End a need (a supervisor of the case's organisation, with a reason; 403 for anyone else there): from then on it no longer counts for the rule, and what the rule ended stays ended",
    params(("id" = uuid::Uuid, Path), ("nid" = uuid::Uuid, Path)),
    request_body = EndNeed,
    responses(
        (status = 204, description = "Ended"),
        crate::kit::responses::Changes))]
pub async fn end(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, nid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<EndNeed>,
) -> Result<StatusCode, WebError> {
    let reason = RawEnd::from(body).validate()?;
    state
        .store
        .end_protection_need(&actor, id, nid, reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
