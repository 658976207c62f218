//! The public door of the API: no account, anonymous by default. Never asks for status.

use crate::extract::{ApiJson, ClientSource};
use crate::guard::Verdict;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::Channel;
use passage_core::intake::normalise_receipt;
use passage_core::reports::RawPublicReport;
use passage_store::StoreError;
use passage_store::reports::public::FollowUp;
use serde::Deserialize;
use serde_json::{Value, json};

fn not_found_receipt() -> WebError {
    WebError::new(
        StatusCode::NOT_FOUND,
        "unknown_receipt",
        "No report has this receipt. Check the 16 digits and try again.",
    )
}

pub async fn submit(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(raw): ApiJson<RawPublicReport>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    if !state.guard.submission(ip) {
        return Err(WebError::too_many());
    }
    let report = raw.validate()?;
    let receipt = state
        .store
        .submit_public_report(report, Channel::PartnerApi)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "receipt": receipt }))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    receipt: String,
}

/// Applies the receipt throttle around a lookup; failures are counted, successes are not.
pub(crate) async fn with_receipt<T>(
    state: &AppState,
    ip: std::net::IpAddr,
    receipt: &str,
    f: impl AsyncFnOnce(&str) -> Result<T, StoreError>,
) -> Result<T, WebError> {
    match state.guard.receipt_attempt(ip) {
        Verdict::Block => return Err(WebError::too_many()),
        Verdict::Slow(pause) => tokio::time::sleep(pause).await,
        Verdict::Go => {}
    }
    let Some(receipt) = normalise_receipt(receipt) else {
        state.guard.receipt_failed(ip);
        return Err(not_found_receipt());
    };
    match f(&receipt).await {
        Err(StoreError::NotFound) => {
            state.guard.receipt_failed(ip);
            Err(not_found_receipt())
        }
        other => Ok(other?),
    }
}

pub async fn follow_up(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(body): ApiJson<ReceiptBody>,
) -> Result<Json<FollowUp>, WebError> {
    let store = state.store.clone();
    let f = with_receipt(&state, ip, &body.receipt, async |r| {
        store.follow_up(r).await
    })
    .await?;
    Ok(Json(f))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    receipt: String,
    body: String,
}

pub async fn message(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(m): ApiJson<MessageBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let store = state.store.clone();
    let body = m.body.clone();
    with_receipt(&state, ip, &m.receipt, async |r| {
        store.reporter_message(r, &body).await
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "status": "received" }))))
}
