//! The case lifecycle over JSON: editing a case with the version read, moving it between
//! statuses, identification decisions, the case's history and the supervisor's approvals.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::error::path_id as id;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::{Path, State};
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_store::cases::CaseView;
use passage_store::casework::lifecycle::{ApprovalView, HistoryEntry, TransitionDone};
use serde_json::{Value, json};

pub async fn patch_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(raw): ApiJson<RawCaseChanges>,
) -> Result<Json<CaseView>, WebError> {
    let case = id(&case)?;
    let changes = raw.validate()?;
    state.store.update_case(&actor, case, changes).await?;
    Ok(Json(state.store.get_case(&actor, case).await?))
}

pub async fn transition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(raw): ApiJson<RawTransition>,
) -> Result<Json<TransitionDone>, WebError> {
    let case = id(&case)?;
    let t = raw.validate()?;
    Ok(Json(state.store.transition(&actor, case, t).await?))
}

pub async fn identification(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(raw): ApiJson<RawIdentification>,
) -> Result<Json<CaseView>, WebError> {
    let case = id(&case)?;
    let ident = raw.validate(crate::kit::today(&state))?;
    state.store.set_identification(&actor, case, ident).await?;
    Ok(Json(state.store.get_case(&actor, case).await?))
}

pub async fn history(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<HistoryEntry>>, WebError> {
    Ok(Json(state.store.case_history(&actor, id(&case)?).await?))
}

pub async fn approvals(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<ApprovalView>>, WebError> {
    Ok(Json(state.store.list_approvals(&actor).await?))
}

pub async fn approve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(approval): Path<String>,
) -> Result<Json<Value>, WebError> {
    let approval = id(&approval)?;
    let case = state.store.approve(&actor, approval).await?;
    Ok(Json(
        json!({ "id": approval, "case_id": case, "decision": "approved" }),
    ))
}

pub async fn reject(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(approval): Path<String>,
) -> Result<Json<Value>, WebError> {
    let approval = id(&approval)?;
    let case = state.store.reject(&actor, approval).await?;
    Ok(Json(
        json!({ "id": approval, "case_id": case, "decision": "rejected" }),
    ))
}
