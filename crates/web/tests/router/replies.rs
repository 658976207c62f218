//! Staff replies through the gateways, seen from the routes: the gateways' status callbacks
//! (a bad signature or token is refused and records nothing; a good one moves the reply on)
//! and the report's thread, page and JSON, showing each reply's delivery state.

use crate::harness::*;
use axum::body::Body;
use axum::http::{Method, Request, header};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use passage_core::messages::FailureReason;
use passage_core::{Channel, Role};
use passage_store::reports::channels::Inbound;
use serde_json::json;
use uuid::Uuid;

const TOKEN: &str = "twilio-auth-token";
const RAPIDPRO: &str = "rapidpro-shared-secret";
// Plain http: with an https address the session cookie takes its secure name.
const PUBLIC: &str = "http://passage.example";

async fn app() -> App {
    App::with_config(passage_web::WebConfig {
        twilio_auth_token: Some(TOKEN.into()),
        rapidpro_token: Some(RAPIDPRO.into()),
        public_url: Some(PUBLIC.into()),
        ..Default::default()
    })
    .await
}

/// Twilio's signature, computed independently of the server's code.
fn sign(url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    sorted.sort();
    let data: String = std::iter::once(url.to_string())
        .chain(sorted.into_iter().map(|(k, v)| k + &v))
        .collect();
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(TOKEN.as_bytes()).expect("key");
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn encode(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let esc = |s: &str| {
                s.bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                            (b as char).to_string()
                        }
                        _ => format!("%{b:02X}"),
                    })
                    .collect::<String>()
            };
            format!("{}={}", esc(k), esc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn twilio_status(app: &App, params: &[(&str, &str)], signature: Option<&str>) -> Answer {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/channels/twilio/status")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(sig) = signature {
        req = req.header("X-Twilio-Signature", sig);
    }
    app.send_from(
        req.body(Body::from(encode(params))).expect("request"),
        std::net::SocketAddr::from(([127, 0, 0, 1], 40001)),
    )
    .await
}

async fn rapidpro_status(app: &App, body: serde_json::Value, token: Option<&str>) -> Answer {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/channels/rapidpro/status")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Token {t}"));
    }
    app.send_from(
        req.body(Body::from(body.to_string())).expect("request"),
        std::net::SocketAddr::from(([127, 0, 0, 1], 40001)),
    )
    .await
}

/// A report from `sender` through the gateway, its organisation's intake user (signed in),
/// and a staff reply that the sender task has handed to the gateway as `provider_id`.
async fn sent_reply(
    app: &App,
    channel: Channel,
    sender: &str,
    email: &str,
    provider_id: Option<&str>,
) -> (Uuid, User, String) {
    let provider = if channel == Channel::Sms {
        "twilio"
    } else {
        "rapidpro"
    };
    // Without routing rules, reports go to the oldest hotline: this one.
    let org = app.org(passage_core::OrgKind::Hotline, "Hotline").await;
    let Inbound::NewReport(report) = app
        .store
        .inbound_message(
            provider,
            &Uuid::new_v4().to_string(),
            channel,
            sender,
            "help",
        )
        .await
        .expect("inbound")
    else {
        panic!("a new report")
    };
    let user = app.member(org, email, &[Role::Intake]).await;
    let answer = app
        .api(
            Method::POST,
            &format!("/reports/{report}/messages"),
            Some(&user),
            Some(json!({"body": "We can help. Are you safe?"})),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let due = app
        .store
        .claim_due_replies(&operator(&app.store), 10)
        .await
        .expect("claim");
    assert_eq!(due.len(), 1);
    if let Some(pid) = provider_id {
        app.store.reply_sent(&due[0].id, pid).await.expect("sent");
    }
    (report, user, due[0].id.clone())
}

async fn history(app: &App, id: &str) -> Vec<String> {
    app.store
        .reply_history(&operator(&app.store), id)
        .await
        .expect("history")
        .into_iter()
        .map(|e| e.status)
        .collect()
}

#[tokio::test]
async fn a_twilio_status_callback_needs_the_signature_and_marks_the_reply_delivered() {
    let app = app().await;
    let (report, user, id) =
        sent_reply(&app, Channel::Sms, "+447700900123", "i@h.test", Some("SM1")).await;
    let url = format!("{PUBLIC}/api/v1/channels/twilio/status");
    let params = [
        ("AccountSid", "AC0123"),
        ("ApiVersion", "2010-04-01"),
        ("From", "+447700900000"),
        ("MessageSid", "SM1"),
        ("MessageStatus", "delivered"),
        ("SmsSid", "SM1"),
        ("SmsStatus", "delivered"),
        ("To", "+447700900123"),
    ];
    // No signature, a wrong one, one over other values: refused, nothing recorded.
    assert_eq!(twilio_status(&app, &params, None).await.status, 403);
    assert_eq!(
        twilio_status(&app, &params, Some("bm90IGEgc2lnbmF0dXJl"))
            .await
            .status,
        403
    );
    let other = sign(&url, &[("MessageSid", "SM1"), ("MessageStatus", "failed")]);
    let refused = twilio_status(&app, &params, Some(&other)).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["code"], "bad_signature");
    assert_eq!(history(&app, &id).await, vec!["queued", "sent"]);

    let answer = twilio_status(&app, &params, Some(&sign(&url, &params))).await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(
        history(&app, &id).await,
        vec!["queued", "sent", "delivered"]
    );

    // The thread, as JSON and as the page staff read.
    let json = app
        .api(
            Method::GET,
            &format!("/reports/{report}"),
            Some(&user),
            None,
        )
        .await
        .json();
    let reply = &json["messages"][0];
    assert_eq!(reply["from"], "staff");
    assert_eq!(reply["delivery"]["status"], "delivered");
    let page = app.page(&format!("/reports/{report}"), Some(&user)).await;
    assert_eq!(page.status, 200, "{:?}", page.location);
    assert_eq!(
        select(&page.html(), "ol.messages .delivery"),
        vec!["Delivered"]
    );
    assert!(select(&page.html(), ".delivery-failed").is_empty());

    // A signed callback for no reply of ours: 404, logged by id.
    let unknown = [("MessageSid", "SM404"), ("MessageStatus", "delivered")];
    assert_eq!(
        twilio_status(&app, &unknown, Some(&sign(&url, &unknown)))
            .await
            .status,
        404
    );
    // A signed callback without the status: 422.
    let partial = [("MessageSid", "SM1")];
    assert_eq!(
        twilio_status(&app, &partial, Some(&sign(&url, &partial)))
            .await
            .status,
        422
    );
}

#[tokio::test]
async fn a_failed_reply_is_marked_in_words_in_the_thread() {
    let app = app().await;
    let (report, user, id) =
        sent_reply(&app, Channel::Sms, "+447700900124", "f@h.test", None).await;
    app.store
        .reply_failed(
            &id,
            FailureReason::NumberCannotReceive,
            "twilio_21211",
            true,
        )
        .await
        .expect("failed");
    let page = app.page(&format!("/reports/{report}"), Some(&user)).await;
    let failed = select(&page.html(), "ol.messages .delivery-failed strong");
    assert_eq!(failed.len(), 1, "{}", page.body);
    assert!(
        failed[0].contains("Not delivered") && failed[0].contains("the number cannot receive SMS"),
        "{failed:?}"
    );
    let json = app
        .api(
            Method::GET,
            &format!("/reports/{report}"),
            Some(&user),
            None,
        )
        .await
        .json();
    assert_eq!(json["messages"][0]["delivery"]["status"], "failed");
    assert_eq!(
        json["messages"][0]["delivery"]["reason"],
        "number_cannot_receive"
    );
    assert_eq!(json["messages"][0]["delivery"]["attempts"], 1);
}

#[tokio::test]
async fn a_rapidpro_status_needs_the_token_and_moves_the_reply_on() {
    let app = app().await;
    let (report, user, id) = sent_reply(
        &app,
        Channel::Chat,
        "whatsapp:250788000111",
        "r@h.test",
        Some("0199bb98-3637-778d-9dfc-0ab85c950d7c"),
    )
    .await;
    let body = json!({"id": "0199bb98-3637-778d-9dfc-0ab85c950d7c", "status": "failed"});
    assert_eq!(rapidpro_status(&app, body.clone(), None).await.status, 403);
    assert_eq!(
        rapidpro_status(&app, body.clone(), Some("wrong"))
            .await
            .status,
        403
    );
    assert_eq!(history(&app, &id).await, vec!["queued", "sent"]);
    assert_eq!(
        rapidpro_status(&app, json!({"status": "failed"}), Some(RAPIDPRO))
            .await
            .status,
        422
    );
    assert_eq!(
        rapidpro_status(
            &app,
            json!({"id": 12345, "status": "delivered"}),
            Some(RAPIDPRO)
        )
        .await
        .status,
        404,
        "a number id is read, and names no reply here"
    );
    let answer = rapidpro_status(&app, body, Some(RAPIDPRO)).await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    let page = app.page(&format!("/reports/{report}"), Some(&user)).await;
    let failed = select(&page.html(), "ol.messages .delivery-failed");
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].contains("the network could not deliver it"),
        "{failed:?}"
    );
}
