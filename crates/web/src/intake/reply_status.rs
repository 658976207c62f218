//! Delivery status callbacks of the messaging gateways, for the staff replies the server sent.
//!
//! - Twilio posts form fields `MessageSid`, `MessageStatus` (`queued`, `sent`, `delivered`,
//!   `undelivered`, `failed`…) and, on failure, `ErrorCode`, signed with
//!   `X-Twilio-Signature` exactly as the inbound SMS webhook is (the auth token over the URL
//!   and the sorted parameters). A bad or missing signature is refused (403) and nothing is
//!   recorded.
//! - RapidPro / TextIt has no fixed status webhook: a workspace (a flow's webhook, a resthook
//!   relay) posts JSON `{"id": "<the id its broadcast answered>", "status": "<status>"}`
//!   (`uuid` accepted for `id`, a number as well as a string) with the shared token of the
//!   inbound route (`X-Passage-Token` or `Authorization: Token …`).
//!
//! Each callback is kept in the reply's history (time, status word, error code); the reply
//! moves on only forwards. An id that names no reply answers 404 and is logged with the id
//! only. Neither numbers nor texts reach the log.

use super::channels::{verified_rapidpro_token, verified_twilio_form};
use crate::AppState;
use crate::kit::WebError;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passage_core::messages::{Gateway, Reported, rapidpro_status, twilio_status};
use passage_store::StoreError;
use serde_json::Value;

fn missing(what: &'static str) -> WebError {
    WebError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        passage_core::ErrorCode::MissingFields,
        what,
    )
}

async fn record(
    state: &AppState,
    gateway: Gateway,
    id: &str,
    reported: Option<Reported>,
    raw: &str,
    code: Option<&str>,
) -> Result<Response, WebError> {
    match state
        .store
        .reply_status(gateway, id, reported, raw, code)
        .await
    {
        Ok(after) => {
            tracing::info!(gateway = gateway.as_str(), provider_id = %id, status = after.as_str(), "reply status recorded");
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        Err(StoreError::NotFound) => {
            tracing::warn!(gateway = gateway.as_str(), provider_id = %id, "status callback for no known reply");
            Err(WebError::not_found())
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(post, path = "/api/v1/channels/twilio/status", tag = "intake",
    summary = "Delivery status of a staff reply sent by SMS; authenticated by X-Twilio-Signature",
    security(()),
    request_body(content = super::types::TwilioStatus, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 404, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn twilio(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let params = verified_twilio_form(&state, &uri, &headers, &body, "twilio status callback")?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let (Some(sid), Some(status)) = (get("MessageSid"), get("MessageStatus")) else {
        return Err(missing("MessageSid and MessageStatus are required."));
    };
    let code = get("ErrorCode");
    let reported = twilio_status(status, code.and_then(|c| c.parse().ok()));
    record(&state, Gateway::Twilio, sid, reported, status, code).await
}

/// A string or a number, as text.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[utoipa::path(post, path = "/api/v1/channels/rapidpro/status", tag = "intake",
    summary = "Delivery status of a staff reply sent by chat; authenticated by X-Passage-Token or `Authorization: Token …`",
    security(()),
    request_body(content = super::types::RapidproStatus),
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 404, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn rapidpro(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    verified_rapidpro_token(&state, &headers, "rapidpro status callback")?;
    let v: Value = serde_json::from_slice(&body).map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::MalformedJson,
            "The body is not valid JSON.",
        )
    })?;
    let id = text(v.get("id")).or_else(|| text(v.get("uuid")));
    let status = text(v.get("status"));
    let (Some(id), Some(status)) = (id, status) else {
        return Err(missing("id and status are required."));
    };
    let reported = rapidpro_status(&status);
    record(&state, Gateway::Rapidpro, &id, reported, &status, None).await
}
