//! The public door of the API: no account, anonymous by default. Never asks for status.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::form_token::{self, Check};
use super::receipts::with_receipt;
use super::types::{
    FollowUp, FormToken, PublicReport, Receipt, ReceiptMessage, ReportDone, ReportReceipt,
};
use crate::AppState;
use crate::kit::{ApiJson, ClientSource, ErrorBody, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::Channel;
use passage_core::reports::RawPublicReport;

#[utoipa::path(get, path = "/api/v1/public/reports/form-token", tag = "intake",
    summary = "A time token to send with a public report, as the complaint form carries one",
    security(()),
    responses((status = 200, description = "Success", body = FormToken)))]
pub async fn form_token(State(state): State<AppState>) -> Json<FormToken> {
    Json(FormToken {
        form_token: form_token::issue(&state),
        wait_seconds: state.config.min_fill_seconds.max(0),
    })
}

#[utoipa::path(post, path = "/api/v1/public/reports", tag = "intake",
    summary = "Submit a complaint without an account; answers a receipt and the day the report and its receipt will be erased. Submissions are limited per source and overall, as on the complaint form; a time token, when sent, is checked as the form's is",
    security(()),
    request_body = PublicReport,
    responses(
        (status = 201, description = "Success", body = ReportReceipt),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 413, description = "Structured error", body = ErrorBody),
        (status = 415, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody),
        (status = 429, description = "Structured error", body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(body): ApiJson<PublicReport>,
) -> Result<(StatusCode, Json<ReportReceipt>), WebError> {
    // The token is checked when a client sends one. Issue 3's contract takes a report without
    // one, so a client written to it keeps working; the per-source and global limits below hold
    // either way.
    let check = match body.form_token.as_deref() {
        Some(token) => form_token::check(&state, token),
        None => Check::Good,
    };
    match check {
        Check::Good => {}
        Check::TooFast(left) => {
            return Err(WebError {
                retry_after: u64::try_from(left).ok(),
                ..WebError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    passage_core::ErrorCode::TooFast,
                    format!(
                        "Sent too soon after the form token was issued: wait {left} seconds and send again."
                    ),
                )
            });
        }
        Check::Expired => {
            return Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                passage_core::ErrorCode::FormTokenInvalid,
                "Send a form token from GET /api/v1/public/reports/form-token (good for a day).",
            ));
        }
    }
    if !state.guard.submission(ip) {
        return Err(WebError::too_many());
    }
    let report = RawPublicReport::from(body).validate()?;
    let submitted = state
        .store
        .submit_public_report_with(report, Channel::PartnerApi, None, 0)
        .await?;
    Ok((StatusCode::CREATED, Json(submitted.into())))
}

#[utoipa::path(post, path = "/api/v1/public/reports/follow-up", tag = "intake",
    summary = "Status and messages of a report, by its receipt. Failed receipts slow down, then block, the source",
    security(()),
    request_body = Receipt,
    responses(
        (status = 200, description = "Success", body = FollowUp),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody),
        (status = 429, description = "Structured error", body = ErrorBody)))]
pub async fn follow_up(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(body): ApiJson<Receipt>,
) -> Result<Json<FollowUp>, WebError> {
    let store = state.store.clone();
    let f = with_receipt(&state, ip, &body.receipt, async |r| {
        store.follow_up(r).await
    })
    .await?;
    Ok(Json(f.into()))
}

#[utoipa::path(post, path = "/api/v1/public/reports/messages", tag = "intake",
    summary = "Add a message to a report, by its receipt",
    security(()),
    request_body = ReceiptMessage,
    responses(
        (status = 201, description = "Success", body = ReportDone),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody),
        (status = 429, description = "Structured error", body = ErrorBody)))]
pub async fn message(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(m): ApiJson<ReceiptMessage>,
) -> Result<(StatusCode, Json<ReportDone>), WebError> {
    let store = state.store.clone();
    let body =
        passage_core::intake::message_body(&m.body).map_err(passage_store::StoreError::Invalid)?;
    with_receipt(&state, ip, &m.receipt, async |r| {
        store.reporter_message(r, body.clone()).await
    })
    .await?;
    Ok((StatusCode::CREATED, Json(ReportDone { status: "received" })))
}
