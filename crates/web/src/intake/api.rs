//! Reports for their handlers: the triage queue, the hotline desk and triage actions.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use passage_core::ReportStatus;
use passage_core::reports::RawHotlineReport;
use passage_store::reports::{ReportListItem, ReportView};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

fn report_id(id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::not_found())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    status: Option<String>,
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<ReportListItem>>, WebError> {
    let Query(q) = query.map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::InvalidQuery,
            "Use status and limit (1–500).",
        )
    })?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(ReportStatus::parse(s).ok_or_else(|| {
            WebError::new(
                StatusCode::BAD_REQUEST,
                passage_core::ErrorCode::InvalidQuery,
                format!("status must be one of: {}", ReportStatus::allowed()),
            )
        })?),
    };
    Ok(Json(
        state
            .store
            .list_reports(&actor, status, q.limit.unwrap_or(100))
            .await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(raw): ApiJson<RawHotlineReport>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let report = raw.validate()?;
    let sla = state.store.intake_options().sla;
    let id = state
        .store
        .create_hotline_report(&actor, report, &sla)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ReportView>, WebError> {
    Ok(Json(state.store.get_report(&actor, report_id(&id)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    body: String,
}

pub async fn message(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Body>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    state
        .store
        .staff_message(&actor, report_id(&id)?, &b.body)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "status": "sent" }))))
}

pub async fn open_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let case_id = state
        .store
        .open_case_from_report(&actor, report_id(&id)?)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "case_id": case_id }))))
}

pub async fn acknowledge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    state
        .store
        .acknowledge_report(&actor, report_id(&id)?)
        .await?;
    Ok(Json(json!({ "status": "acknowledged" })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    case_id: String,
}

pub async fn link(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LinkBody>,
) -> Result<Json<Value>, WebError> {
    let case_id = Uuid::parse_str(b.case_id.trim()).map_err(|_| {
        WebError::from(passage_store::StoreError::invalid(
            "case_id",
            passage_core::ErrorCode::InvalidId,
            "case_id must be a case's id",
        ))
    })?;
    state
        .store
        .link_report(&actor, report_id(&id)?, case_id)
        .await?;
    Ok(Json(json!({ "status": "linked" })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    reason: String,
}

pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CloseBody>,
) -> Result<Json<Value>, WebError> {
    state
        .store
        .close_report(&actor, report_id(&id)?, &b.reason)
        .await?;
    Ok(Json(json!({ "status": "closed" })))
}
