//! Numbers typed on another keyboard: a receipt in Arabic-Indic or Persian digits finds its
//! report, and input that cannot be a receipt is never counted as a guess.

use crate::harness::*;
use crate::limits::submit_report;
use axum::body::Body;
use axum::http::{Method, Request, header};
use passage_web::{PublicLimits, WebConfig};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

fn in_script(receipt: &str, zero: char) -> String {
    receipt
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

async fn follow(app: &App, receipt: &str) -> Answer {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/public/reports/follow-up")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "receipt": receipt }).to_string()))
        .expect("request");
    app.send_from(req, SocketAddr::from(([198, 51, 100, 7], 50000)))
        .await
}

#[tokio::test]
async fn a_receipt_typed_in_arabic_or_persian_digits_finds_its_report_and_is_never_a_failure() {
    let app = App::with_config(WebConfig {
        min_fill_seconds: 0,
        public_limits: PublicLimits {
            slow_after: 1,
            wait_base: Duration::from_secs(600),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let receipt = submit_report(&app).await;
    let spaced = format!(
        "\u{200F}{} {} {} {}",
        &receipt[0..4],
        &receipt[4..8],
        &receipt[8..12],
        &receipt[12..16]
    );
    // Typed on an Arabic keyboard (with the direction mark it may add), then a Persian one.
    for zero in ['\u{0660}', '\u{06F0}'] {
        let a = follow(&app, &in_script(&spaced, zero)).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status"], "received");
    }
    // Input that cannot be a receipt (a slip, letters) answers as unknown but costs no attempt:
    // with one free failure and a ten-minute wait, a real lookup still goes straight through.
    for slip in ["٧١٤٤", "abcd efgh ijkl mnop", "12345"] {
        let a = follow(&app, slip).await;
        assert_eq!(a.status, 404, "{}", a.body);
    }
    let a = follow(&app, &in_script(&receipt, '\u{0660}')).await;
    assert_eq!(a.status, 200, "not slowed by the slips: {}", a.body);
}
