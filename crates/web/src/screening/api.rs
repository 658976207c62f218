//! Screening: the instruments, and screenings of a case (start, save answers, finish, history,
//! identification from a screening). Each handler's `#[utoipa::path]` is its part of the OpenAPI
//! document.

use super::types::{
    IdentifiedFromScreening, IdentifyFromScreening, Instrument, NewScreening, Screening,
    ScreeningAnswers,
};
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ApiJson, ErrorBody, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(get, path = "/api/v1/screening/instruments", tag = "screening",
    summary = "The screening instruments in use, with their questions in four languages",
    responses(
        (status = 200, description = "Instruments", body = Vec<Instrument>),
        (status = 401, description = "Structured error", body = ErrorBody)))]
pub async fn instruments(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
) -> Json<Vec<Instrument>> {
    Json(
        state
            .store
            .instruments()
            .all()
            .map(Instrument::from)
            .collect(),
    )
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/screenings", tag = "screening",
    summary = "Screen a case: the result explains which indicators made each dimension positive and which open answers could change it",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewScreening,
    responses(
        (status = 201, description = "Screened", body = Screening),
        crate::kit::responses::Changes))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<NewScreening>,
) -> Result<(StatusCode, Json<Screening>), WebError> {
    let s = state.store.create_screening(&actor, id, b.into()).await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/screenings", tag = "screening",
    summary = "The screenings of a case, newest first (its screening history)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Screenings", body = Vec<Screening>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Screening>>, WebError> {
    let all = state.store.screenings(&actor, id).await?;
    Ok(Json(all.into_iter().map(Screening::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/screenings/{id}", tag = "screening",
    summary = "One screening",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The screening", body = Screening),
        crate::kit::responses::Reads))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Screening>, WebError> {
    let s = state.store.screening(&actor, id).await?;
    Ok(Json(s.into()))
}

#[utoipa::path(patch, path = "/api/v1/screenings/{id}", tag = "screening",
    summary = "Save more answers to a screening in progress, and finish it",
    params(("id" = uuid::Uuid, Path)),
    request_body = ScreeningAnswers,
    responses(
        (status = 200, description = "Saved", body = Screening),
        crate::kit::responses::Writes))]
pub async fn save(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<ScreeningAnswers>,
) -> Result<Json<Screening>, WebError> {
    let s = state
        .store
        .save_screening(&actor, id, b.answers, b.complete, b.version)
        .await?;
    Ok(Json(s.into()))
}

#[utoipa::path(post, path = "/api/v1/screenings/{id}/identification", tag = "screening",
    summary = "A supervisor records identification as possible victim, referring to this screening",
    params(("id" = uuid::Uuid, Path)),
    request_body = IdentifyFromScreening,
    responses(
        (status = 200, description = "Recorded; the case's new version", body = IdentifiedFromScreening),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 409, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn identify(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<IdentifyFromScreening>,
) -> Result<Json<IdentifiedFromScreening>, WebError> {
    let version = state
        .store
        .identify_from_screening(&actor, id, b.version)
        .await?;
    Ok(Json(IdentifiedFromScreening {
        screening: id.to_string(),
        status: "possible_victim",
        version,
    }))
}
