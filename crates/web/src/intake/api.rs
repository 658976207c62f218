//! Reports for their handlers: the triage queue, the hotline desk and triage actions.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    CaseOpened, HotlineReport, Report, ReportClose, ReportCreated, ReportDone, ReportLink,
    ReportListItem, ReportReply,
};
use crate::AppState;
use crate::cases::person::types::FileBytes;
use crate::kit::{ApiActor, ApiJson, ErrorBody, WebError};
use crate::kit::{Id, Ids};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::ReportStatus;
use passage_core::reports::RawHotlineReport;
use passage_core::validate::Text;
use passage_store::reports::CLOSE_REASON_MAX;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(schema_with = crate::kit::schema::report_status)]
    status: Option<String>,
    #[param(minimum = 1, maximum = 500, default = 100)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/reports", tag = "intake",
    summary = "Reports routed to your organisation, most urgent and oldest first",
    params(ListQuery),
    responses(
        (status = 200, description = "Success", body = Vec<ReportListItem>),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody)))]
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
    let reports = state
        .store
        .list_reports(&actor, status, q.limit.unwrap_or(100))
        .await?;
    Ok(Json(
        reports.into_iter().map(ReportListItem::from).collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/reports/{id}/attachments/{attachment_id}", tag = "intake",
    summary = "Download a photo or document sent with a report, stripped of its metadata (audited; only the report's organisation): Content-Disposition attachment, nosniff, no-store",
    params(("id" = uuid::Uuid, Path), ("attachment_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The file", content(
            (inline(FileBytes) = "application/pdf"),
            (inline(FileBytes) = "image/jpeg"),
            (inline(FileBytes) = "image/png"),
            (inline(FileBytes) = "text/plain"),
        )),
        crate::kit::responses::Reads))]
pub async fn download_attachment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((report, attachment)): Ids<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    let file = state
        .store
        .get_report_attachment(&actor, report, attachment)
        .await?;
    Ok(crate::cases::person::shared::file_response(
        &file.meta.filename,
        &file.meta.content_type,
        file.content,
    ))
}

#[utoipa::path(post, path = "/api/v1/reports", tag = "intake",
    summary = "Record a hotline call for your organisation",
    request_body = HotlineReport,
    responses(
        (status = 201, description = "Success", body = ReportCreated),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<HotlineReport>,
) -> Result<(StatusCode, Json<ReportCreated>), WebError> {
    let report = RawHotlineReport::from(body).validate()?;
    let sla = state.store.intake_options().sla;
    let id = state
        .store
        .create_hotline_report(&actor, report, &sla)
        .await?;
    Ok((StatusCode::CREATED, Json(ReportCreated { id })))
}

#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "intake",
    summary = "A report, its narrative and its thread (the read is audited)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Report),
        crate::kit::responses::Reads))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Report>, WebError> {
    let report = state.store.get_report(&actor, id).await?;
    Ok(Json(report.into()))
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/messages", tag = "intake",
    summary = "Reply to the reporter (web follow-up, or SMS/chat through the gateway)",
    params(("id" = uuid::Uuid, Path)),
    request_body = ReportReply,
    responses(
        (status = 201, description = "Success", body = ReportDone),
        crate::kit::responses::Writes))]
pub async fn message(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<ReportReply>,
) -> Result<(StatusCode, Json<ReportDone>), WebError> {
    let body =
        passage_core::intake::message_body(&b.body).map_err(passage_store::StoreError::Invalid)?;
    state.store.staff_message(&actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(ReportDone { status: "sent" })))
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/open-case", tag = "intake",
    summary = "Open a case from the report",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 201, description = "Success", body = CaseOpened),
        crate::kit::responses::Writes))]
pub async fn open_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<(StatusCode, Json<CaseOpened>), WebError> {
    let case_id = state.store.open_case_from_report(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(CaseOpened { case_id })))
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/acknowledge", tag = "intake",
    summary = "Acknowledge the report; stops its first-response clock",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = ReportDone),
        crate::kit::responses::Writes))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<ReportDone>, WebError> {
    state.store.acknowledge_report(&actor, id).await?;
    Ok(Json(ReportDone {
        status: "acknowledged",
    }))
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/link", tag = "intake",
    summary = "Link the report to an existing case of your organisation",
    params(("id" = uuid::Uuid, Path)),
    request_body = ReportLink,
    responses(
        (status = 200, description = "Success", body = ReportDone),
        crate::kit::responses::Writes))]
pub async fn link(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<ReportLink>,
) -> Result<Json<ReportDone>, WebError> {
    let case_id = Uuid::parse_str(b.case_id.trim()).map_err(|_| {
        WebError::from(passage_store::StoreError::invalid(
            "case_id",
            passage_core::ErrorCode::InvalidId,
            "case_id must be a case's id",
        ))
    })?;
    state.store.link_report(&actor, id, case_id).await?;
    Ok(Json(ReportDone { status: "linked" }))
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/close", tag = "intake",
    summary = "Close the report with a reason",
    params(("id" = uuid::Uuid, Path)),
    request_body = ReportClose,
    responses(
        (status = 200, description = "Success", body = ReportDone),
        crate::kit::responses::Writes))]
pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<ReportClose>,
) -> Result<Json<ReportDone>, WebError> {
    let reason = Text::parse("reason", &b.reason, CLOSE_REASON_MAX)
        .map_err(passage_store::StoreError::Invalid)?;
    state.store.close_report(&actor, id, reason).await?;
    Ok(Json(ReportDone { status: "closed" }))
}
