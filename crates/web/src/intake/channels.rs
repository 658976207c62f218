//! Messaging gateways. Twilio posts form fields and signs them (`X-Twilio-Signature`: base64
//! HMAC-SHA1 keyed by the auth token over the full URL followed by every parameter name and
//! value in name order); unknown fields are accepted, as Twilio adds them without notice.
//! RapidPro/TextIt flows post JSON of a shape the flow designer chooses; both the current
//! (`contact`/`results`) and the older (`input`) shapes are read, extras ignored, and the
//! request is authenticated by a shared token in a header. Numbers are never logged.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::form_pairs;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use passage_core::Channel;
use passage_store::reports::channels::Inbound;
use serde_json::Value;

pub(super) fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        passage_core::ErrorCode::BadSignature,
        "The request signature is missing or wrong.",
    )
}

/// The URL the gateway signed: the configured public address, else what the request says.
pub(super) fn signed_url(state: &AppState, headers: &HeaderMap, uri: &axum::http::Uri) -> String {
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    match &state.config.public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}{path}")
        }
    }
}

/// Twilio's signature of a form post.
pub fn twilio_signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut data = url.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    // HMAC takes a key of any length; should that ever fail, no signature matches and the
    // gateway's message is refused rather than the server stopping.
    let Ok(mut mac) = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(token.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

const TWIML_ACK: &str = "Thank you. Your message has reached a helpline. Reply here to add more; do not send anything that could put you at risk if someone reads this phone.";

/// The fields of a form Twilio posted, once its `X-Twilio-Signature` is checked against the
/// configured auth token: 403 without a token, or with a missing or wrong signature (`what`
/// names the route in the log line, never anything posted).
pub(super) fn verified_twilio_form(
    state: &AppState,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &Bytes,
    what: &str,
) -> Result<Vec<(String, String)>, WebError> {
    let Some(token) = state.config.twilio_auth_token.as_deref() else {
        return Err(forbidden());
    };
    let params = form_pairs(body);
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let expected = twilio_signature(token, &signed_url(state, headers, uri), &params);
    if given.is_empty() || !crate::kit::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        tracing::warn!("{what} refused: bad or missing signature");
        return Err(forbidden());
    }
    Ok(params)
}

#[utoipa::path(post, path = "/api/v1/channels/twilio/sms", tag = "intake",
    summary = "Inbound SMS webhook; authenticated by X-Twilio-Signature. Answers TwiML",
    security(()),
    request_body(content = super::types::InboundSms, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "TwiML acknowledgement", body = String, content_type = "text/xml"),
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn twilio_sms(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let params = verified_twilio_form(&state, &uri, &headers, &body, "twilio webhook")?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let (sid, from) = (get("MessageSid"), get("From"));
    if sid.is_empty() || from.is_empty() {
        return Err(WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::MissingFields,
            "MessageSid and From are required.",
        ));
    }
    let outcome = state
        .store
        .inbound_message("twilio", sid, Channel::Sms, from, get("Body"))
        .await?;
    let reply = match outcome {
        Inbound::NewReport(_) => format!("<Message>{TWIML_ACK}</Message>"),
        Inbound::Threaded(_) | Inbound::Duplicate(_) => String::new(),
    };
    let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{reply}</Response>");
    Ok(([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response())
}

fn text_of(v: &Value) -> String {
    if let Some(t) = v.pointer("/input/text").and_then(Value::as_str) {
        return t.to_string();
    }
    if let Some(t) = v.get("text").and_then(Value::as_str) {
        return t.to_string();
    }
    // Flow results, in key order: {"key": {"value": …, "category": …}}.
    let mut parts: Vec<(String, String)> = v
        .get("results")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, r)| {
                    r.get("value")
                        .and_then(Value::as_str)
                        .map(|val| (k.clone(), val.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    parts.sort();
    parts
        .into_iter()
        .map(|(_, v)| v)
        .collect::<Vec<_>>()
        .join("\n")
}

fn urn_of(v: &Value) -> Option<String> {
    ["/contact/urn", "/input/urn", "/urn"]
        .iter()
        .find_map(|p| v.pointer(p).and_then(Value::as_str))
        .map(str::to_string)
}

/// Checks the shared token a RapidPro/TextIt flow sends (`X-Passage-Token` or
/// `Authorization: Token …`) against the configured one, in constant time: 403 without a
/// configured token, or with a missing or wrong one (`what` names the route in the log line).
pub(super) fn verified_rapidpro_token(
    state: &AppState,
    headers: &HeaderMap,
    what: &str,
) -> Result<(), WebError> {
    let Some(secret) = state.config.rapidpro_token.as_deref() else {
        return Err(forbidden());
    };
    let given = headers
        .get("x-passage-token")
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Token "))
        })
        .unwrap_or("");
    if given.is_empty() || !crate::kit::constant_time_eq(given.trim().as_bytes(), secret.as_bytes())
    {
        tracing::warn!("{what} refused: bad or missing token");
        return Err(forbidden());
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/channels/rapidpro", tag = "intake",
    summary = "Chat flow webhook; authenticated by X-Passage-Token or `Authorization: Token …`",
    security(()),
    request_body(content = Object, description = "contact.urn and results.*.value (current flows) or input.urn and input.text (older flows)"),
    responses(
        (status = 200, description = "Success", body = super::types::ChatReceived),
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn rapidpro(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    verified_rapidpro_token(&state, &headers, "rapidpro webhook")?;
    let v: Value = serde_json::from_slice(&body).map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::MalformedJson,
            "The body is not valid JSON.",
        )
    })?;
    let urn = urn_of(&v).ok_or_else(|| {
        WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            passage_core::ErrorCode::MissingUrn,
            "The contact's URN is missing.",
        )
    })?;
    // A retried webhook sends the same body: its hash identifies the message.
    let message_id = blake3::hash(&body).to_hex().to_string();
    let outcome = state
        .store
        .inbound_message("rapidpro", &message_id, Channel::Chat, &urn, &text_of(&v))
        .await?;
    let status = match outcome {
        Inbound::NewReport(_) => "new_report",
        Inbound::Threaded(_) => "threaded",
        Inbound::Duplicate(_) => "duplicate",
    };
    Ok(Json(super::types::ChatReceived { status }).into_response())
}

use axum::Json;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn twilio_signature_matches_the_documented_example() {
        // Twilio's published example for request validation.
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675310"),
            ("Digits", "1234"),
            ("From", "+14158675310"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sig = twilio_signature(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
        );
        assert_eq!(sig, "GvWf1cFY/Q7PnoempGyD5oXAezc=");
    }

    #[test]
    fn rapidpro_shapes_old_and_new() {
        let new = json!({"contact": {"uuid": "c1", "name": "X", "urn": "tel:+250788123123"}, "flow": {"uuid": "f", "name": "n"},
                          "results": {"b_place": {"value": "Kigali", "category": "All"}, "a_story": {"value": "not paid", "category": "All"}}, "extra": 1});
        assert_eq!(urn_of(&new).as_deref(), Some("tel:+250788123123"));
        assert_eq!(text_of(&new), "not paid\nKigali");
        let old = json!({"input": {"text": "help", "urn": "whatsapp:123"}, "run": {}});
        assert_eq!(
            (urn_of(&old).as_deref(), text_of(&old).as_str()),
            (Some("whatsapp:123"), "help")
        );
    }
}
