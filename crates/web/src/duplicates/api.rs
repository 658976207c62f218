//! Duplicate persons: the organisation's review queue with each score's explanation, merge,
//! "different people", undo a merge, and what a reader of a person may know (a pending review,
//! a merge, a partner that may hold a record), and resolving a partner signal through the
//! person's consent. Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    Dismissed, DuplicateCandidate, LinkStatus, Merge, Merged, PartnerConsent, PartnerSignal, Undone,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, ErrorBody, WebError};
use crate::kit::{Id, Ids};
use axum::Json;
use axum::extract::State;
use passage_core::casework::consent::RawAgreement;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/duplicates", tag = "duplicates",
    summary = "The organisation's candidate duplicate persons, most probable first, with each score's explanation (supervisors)",
    responses(
        (status = 200, description = "Candidates", body = Vec<DuplicateCandidate>),
        crate::kit::responses::Refusals))]
pub async fn queue(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<DuplicateCandidate>>, WebError> {
    let queue = state.store.duplicate_queue(&actor).await?;
    Ok(Json(
        queue.into_iter().map(DuplicateCandidate::from).collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/duplicates/{id}/merge", tag = "duplicates",
    summary = "Merge the pair: the person registered first is kept and the other's cases move to it",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Merged; the merge's id undoes it", body = Merged),
        crate::kit::responses::Guarded))]
pub async fn merge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Merged>, WebError> {
    let merge = state.store.merge_duplicate(&actor, id).await?;
    Ok(Json(Merged { merge }))
}

#[utoipa::path(post, path = "/api/v1/duplicates/{id}/dismiss", tag = "duplicates",
    summary = "Record that the pair are different people",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Dismissed", body = Dismissed),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody)))]
pub async fn dismiss(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Dismissed>, WebError> {
    state.store.dismiss_duplicate(&actor, id).await?;
    Ok(Json(Dismissed {
        id: id.to_string(),
        status: "distinct",
    }))
}

#[utoipa::path(get, path = "/api/v1/merges", tag = "duplicates",
    summary = "The organisation's merges, newest first",
    responses(
        (status = 200, description = "Merges", body = Vec<Merge>),
        crate::kit::responses::Refusals))]
pub async fn merges(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<Merge>>, WebError> {
    let merges = state.store.merges(&actor).await?;
    Ok(Json(merges.into_iter().map(Merge::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/merges/{id}/undo", tag = "duplicates",
    summary = "Undo a merge: exactly the cases it moved go back",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Undone", body = Undone),
        crate::kit::responses::Guarded))]
pub async fn undo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Undone>, WebError> {
    state.store.undo_merge(&actor, id).await?;
    Ok(Json(Undone {
        merge: id.to_string(),
        undone: true,
    }))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/duplicates", tag = "duplicates",
    summary = "What a reader of the person may know: a pending review, a merge, a partner that may hold a record",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Status", body = LinkStatus),
        crate::kit::responses::Reads))]
pub async fn status(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<LinkStatus>, WebError> {
    let status = state.store.person_link_status(&actor, id).await?;
    Ok(Json(status.into()))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/partner-signals", tag = "duplicates",
    summary = "The person's partner signals as this side may know them (the person's own organisation only)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Signals", body = Vec<PartnerSignal>),
        crate::kit::responses::Reads))]
pub async fn partner_signals(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<PartnerSignal>>, WebError> {
    let signals = state.store.partner_signals(&actor, id).await?;
    Ok(Json(signals.into_iter().map(PartnerSignal::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/partner-signals/{signal}/consent", tag = "duplicates",
    summary = "Record that the person agrees to be connected with the partner who may hold their record; when both sides have, each learns the other organisation and a referral consent is recorded",
    params(("id" = uuid::Uuid, Path), ("signal" = uuid::Uuid, Path)),
    request_body = PartnerConsent,
    responses(
        (status = 200, description = "The signal as this side now knows it", body = PartnerSignal),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn partner_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((person, signal)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<PartnerConsent>,
) -> Result<Json<PartnerSignal>, WebError> {
    let (method, language) = RawAgreement::from(body).validate()?;
    let signal = state
        .store
        .consent_partner_signal(&actor, person, signal, method, language)
        .await?;
    Ok(Json(signal.into()))
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/partner-signals/{signal}/decline", tag = "duplicates",
    summary = "Record that the person does not agree: the signal closes for both sides, and the partner learns nothing",
    params(("id" = uuid::Uuid, Path), ("signal" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Declined", body = PartnerSignal),
        crate::kit::responses::Guarded))]
pub async fn partner_decline(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((person, signal)): Ids<(Uuid, Uuid)>,
) -> Result<Json<PartnerSignal>, WebError> {
    let signal = state
        .store
        .decline_partner_signal(&actor, person, signal)
        .await?;
    Ok(Json(signal.into()))
}
