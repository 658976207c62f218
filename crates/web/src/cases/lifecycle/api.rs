//! The case lifecycle over JSON: editing a case with the version read, moving it between
//! statuses, identification decisions, the case's history and the supervisor's approvals.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    Approval, ApprovalRejection, Case, CaseChanges, Decided, HistoryEntry, Identification,
    Transition, TransitionDone,
};
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ApiJson, WebError};
use axum::Json;
use axum::extract::State;
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};

#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "lifecycle",
    summary = "Change a case's details (partial, with the version read); answers the updated case",
    params(("id" = uuid::Uuid, Path)),
    request_body = CaseChanges,
    responses(
        (status = 200, description = "Success", body = Case),
        crate::kit::responses::JsonWrites))]
pub async fn patch_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(body): ApiJson<CaseChanges>,
) -> Result<Json<Case>, WebError> {
    let changes = RawCaseChanges::from(body).validate()?;
    state.store.update_case(&actor, case, changes).await?;
    Ok(Json(state.store.get_case(&actor, case).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", tag = "lifecycle",
    summary = "Move a case to another status. 422 codes: transition_not_allowed, reason_required, outcome_required, supervisor_approval_required",
    params(("id" = uuid::Uuid, Path)),
    request_body = Transition,
    responses(
        (status = 200, description = "Success", body = TransitionDone),
        crate::kit::responses::JsonWrites))]
pub async fn transition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(body): ApiJson<Transition>,
) -> Result<Json<TransitionDone>, WebError> {
    let t = RawTransition::from(body).validate()?;
    Ok(Json(state.store.transition(&actor, case, t).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/identification", tag = "lifecycle",
    summary = "Record an identification decision; answers the case with its deadlines",
    params(("id" = uuid::Uuid, Path)),
    request_body = Identification,
    responses(
        (status = 200, description = "Success", body = Case),
        crate::kit::responses::JsonWrites))]
pub async fn identification(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(body): ApiJson<Identification>,
) -> Result<Json<Case>, WebError> {
    let ident = RawIdentification::from(body).validate(crate::kit::today(&state))?;
    state.store.set_identification(&actor, case, ident).await?;
    Ok(Json(state.store.get_case(&actor, case).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/history", tag = "lifecycle",
    summary = "Who changed what and when, oldest first (changes of migration status only for those who may read it)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<HistoryEntry>),
        crate::kit::responses::Reads))]
pub async fn history(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<HistoryEntry>>, WebError> {
    let history = state.store.case_history(&actor, case).await?;
    Ok(Json(history.into_iter().map(HistoryEntry::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/approvals", tag = "lifecycle",
    summary = "Requests waiting for a supervisor of your organisation (supervisors only)",
    responses(
        (status = 200, description = "Success", body = Vec<Approval>),
        crate::kit::responses::Refusals))]
pub async fn approvals(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<Approval>>, WebError> {
    let approvals = state.store.list_approvals(&actor).await?;
    Ok(Json(approvals.into_iter().map(Approval::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/approvals/{id}/approve", tag = "lifecycle",
    summary = "Approve a request: the case closes with the requested outcome and reason",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Decided),
        crate::kit::responses::Guarded))]
pub async fn approve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(approval): Id,
) -> Result<Json<Decided>, WebError> {
    let case = state.store.approve(&actor, approval).await?;
    Ok(Json(Decided {
        id: approval,
        case_id: case,
        decision: "approved",
    }))
}

#[utoipa::path(post, path = "/api/v1/approvals/{id}/reject", tag = "lifecycle",
    summary = "Reject a request with a reason (required; the caseworker reads it on the case): the case stays as it is. 422 code: required",
    params(("id" = uuid::Uuid, Path)),
    request_body = ApprovalRejection,
    responses(
        (status = 200, description = "Success", body = Decided),
        crate::kit::responses::Guarded))]
pub async fn reject(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(approval): Id,
    body: axum::body::Bytes,
) -> Result<Json<Decided>, WebError> {
    // No body (or `null`) is no reason. The store checks the caller's reach before the reason,
    // so a request out of reach answers 404 with or without one.
    let b: ApprovalRejection = if body.iter().all(u8::is_ascii_whitespace) {
        ApprovalRejection::default()
    } else {
        serde_json::from_slice::<Option<ApprovalRejection>>(&body)
            .map(Option::unwrap_or_default)
            .map_err(|_| {
            WebError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                passage_core::ErrorCode::InvalidBody,
                "The JSON does not have the expected fields or types: send {\"reason\": \"…\"}.",
            )
        })?
    };
    let reason = passage_core::casework::changes::rejection_reason(&b.reason);
    let case = state.store.reject(&actor, approval, reason).await?;
    Ok(Json(Decided {
        id: approval,
        case_id: case,
        decision: "rejected",
    }))
}
