//! Investigations over the API. Each handler's `#[utoipa::path]` is its part of the OpenAPI
//! document. Only the ombudsperson and the supervisor of an ombudsperson's office get an
//! answer (others 403 `forbidden` with a reason), immigration enforcement 403
//! `immigration_firewall` on every route, and another office's investigation or subject 404.

use super::types::{
    AnswerInput, CloseInput, CountsOut, FindingsInput, FollowUpInput, InvestigationCreated,
    InvestigationDetail, InvestigationInput, InvestigationListItem, QuestionInput,
    RecommendationInput,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;

#[utoipa::path(post, path = "/api/v1/investigations", tag = "investigations",
    summary = "Take a complaint up for investigation: a report, case or incident of your ombudsperson's office, or a referral it received and accepted (404 for anything else, as for an id that does not exist), with the authority concerned and a summary",
    request_body = InvestigationInput,
    responses(
        (status = 201, description = "Opened", body = InvestigationCreated),
        crate::kit::responses::Guarded))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<InvestigationInput>,
) -> Result<(StatusCode, Json<InvestigationCreated>), WebError> {
    state.store.investigation_firewall(&actor).await?;
    let id = state.store.open_investigation(&actor, &body.raw()).await?;
    Ok((StatusCode::CREATED, Json(InvestigationCreated { id })))
}

#[utoipa::path(get, path = "/api/v1/investigations", tag = "investigations",
    summary = "Your office's investigations: those with a question past its reply deadline first, then by the next reply due, the closed ones last",
    responses(
        (status = 200, description = "The work list", body = Vec<InvestigationListItem>),
        crate::kit::responses::Refusals))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<InvestigationListItem>>, WebError> {
    let list = state.store.investigation_work_list(&actor).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/investigations/counts", tag = "investigations",
    summary = "How many investigations your office has in each status and how many questions are overdue: counts only (the office's analyst reads these too)",
    responses(
        (status = 200, description = "The counts", body = CountsOut),
        crate::kit::responses::Refusals))]
pub async fn counts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<CountsOut>, WebError> {
    Ok(Json(state.store.investigation_counts(&actor).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/investigations/{id}", tag = "investigations",
    summary = "One investigation of your office: the subject, the authority, questions and answers, findings, recommendations with their follow-up history",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The investigation", body = InvestigationDetail),
        crate::kit::responses::Guarded))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<InvestigationDetail>, WebError> {
    Ok(Json(state.store.investigation(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/investigations/{id}/questions", tag = "investigations",
    summary = "Record a question sent to the authority with the day a reply is due; unanswered past that day it shows as overdue",
    params(("id" = Uuid, Path)),
    request_body = QuestionInput,
    responses(
        (status = 201, description = "Recorded", body = InvestigationCreated),
        crate::kit::responses::Guarded))]
pub async fn question(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<QuestionInput>,
) -> Result<(StatusCode, Json<InvestigationCreated>), WebError> {
    state.store.investigation_firewall(&actor).await?;
    let qid = state
        .store
        .send_investigation_question(&actor, id, &body.raw())
        .await?;
    Ok((StatusCode::CREATED, Json(InvestigationCreated { id: qid })))
}

#[utoipa::path(post, path = "/api/v1/investigations/{id}/questions/{qid}/answer", tag = "investigations",
    summary = "Record the authority's answer to a question (422 already_done the second time)",
    params(("id" = Uuid, Path), ("qid" = Uuid, Path)),
    request_body = AnswerInput,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Guarded))]
pub async fn answer(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, qid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<AnswerInput>,
) -> Result<StatusCode, WebError> {
    state.store.investigation_firewall(&actor).await?;
    state
        .store
        .answer_investigation_question(&actor, id, qid, &body.raw())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/investigations/{id}/findings", tag = "investigations",
    summary = "Record the findings (once: 422 already_done after)",
    params(("id" = Uuid, Path)),
    request_body = FindingsInput,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Guarded))]
pub async fn findings(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<FindingsInput>,
) -> Result<StatusCode, WebError> {
    state.store.investigation_firewall(&actor).await?;
    state
        .store
        .record_investigation_findings(&actor, id, &body.raw())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/investigations/{id}/recommendations", tag = "investigations",
    summary = "Record a recommendation addressed to the authority; it is pending until its follow-up says otherwise",
    params(("id" = Uuid, Path)),
    request_body = RecommendationInput,
    responses(
        (status = 201, description = "Recorded", body = InvestigationCreated),
        crate::kit::responses::Guarded))]
pub async fn recommendation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<RecommendationInput>,
) -> Result<(StatusCode, Json<InvestigationCreated>), WebError> {
    state.store.investigation_firewall(&actor).await?;
    let rid = state
        .store
        .add_investigation_recommendation(&actor, id, &body.text)
        .await?;
    Ok((StatusCode::CREATED, Json(InvestigationCreated { id: rid })))
}

#[utoipa::path(post, path = "/api/v1/investigations/{id}/recommendations/{rid}/follow-up", tag = "investigations",
    summary = "Record a step of a recommendation's follow-up: pending, accepted, partly_implemented, implemented or rejected, with the day and a note; the history keeps every step",
    params(("id" = Uuid, Path), ("rid" = Uuid, Path)),
    request_body = FollowUpInput,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Guarded))]
pub async fn follow_up(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, rid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<FollowUpInput>,
) -> Result<StatusCode, WebError> {
    state.store.investigation_firewall(&actor).await?;
    state
        .store
        .follow_up_recommendation(&actor, id, rid, &body.raw())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/investigations/{id}/close", tag = "investigations",
    summary = "Close an investigation (a supervisor of the office): 422 recommendations_pending while a recommendation is pending without a reason, investigation_closed the second time",
    params(("id" = Uuid, Path)),
    request_body = CloseInput,
    responses(
        (status = 204, description = "Closed"),
        crate::kit::responses::Guarded))]
pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<CloseInput>,
) -> Result<StatusCode, WebError> {
    state.store.investigation_firewall(&actor).await?;
    state
        .store
        .close_investigation(&actor, id, body.reason.as_deref().unwrap_or(""))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
