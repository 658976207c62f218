//! The public door of the API: no account, anonymous by default. Never asks for status.

use super::receipts::with_receipt;
use crate::AppState;
use crate::kit::WebError;
use crate::kit::{ApiJson, ClientSource};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::Channel;
use passage_core::reports::RawPublicReport;
use passage_store::reports::public::FollowUp;
use serde::Deserialize;
use serde_json::{Value, json};

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
