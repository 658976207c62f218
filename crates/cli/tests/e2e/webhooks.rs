//! Emergency alerts by webhook, against the real binary: the demo world's emergency call is
//! POSTed to a receiver that first fails and then accepts; the alert is signed, carries no
//! narrative, and is retried after the failure.

use crate::common::*;
use hmac::{Hmac, KeyInit, Mac};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "webhook-test-secret";

#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A one-route HTTP receiver: answers the first request 500 and every later one 200, and
/// records what it was sent.
fn receiver() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://{}/hooks/passage",
        listener.local_addr().expect("addr")
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut headers = Vec::new();
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() || !line.starts_with("POST /hooks/passage ") {
                continue;
            }
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.trim_end().split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            let len = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0; len];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let first = {
                let mut seen = record.lock().expect("lock");
                seen.push(Received { headers, body });
                seen.len() == 1
            };
            let status = if first {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, seen)
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

fn sign(body: &[u8]) -> String {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

#[test]
fn emergency_alert_is_signed_carries_no_narrative_and_is_retried() {
    let (url, seen) = receiver();
    let server = Server::start_in(
        temp_dir("webhooks"),
        &[
            ("PASSAGE_ALERT_WEBHOOK_URL", url.as_str()),
            ("PASSAGE_ALERT_WEBHOOK_SECRET", SECRET),
        ],
    );
    // The first attempt is answered 500; the retry comes after the first backoff (5 s).
    wait_for("the retry", || seen.lock().expect("lock").len() >= 2);
    wait_for("the delivery to be recorded", || {
        server.log().contains("alert webhook delivered")
    });
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2, "one failure, one delivery, nothing more");
    assert_eq!(
        seen[0].body, seen[1].body,
        "the retry sends the same notice"
    );

    for r in &seen {
        assert_eq!(r.header("X-Passage-Event"), Some("emergency_report"));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        let signature = r.header("X-Passage-Signature").expect("signature");
        assert_eq!(signature, sign(&r.body), "HMAC-SHA256 of the body");
        assert_ne!(signature, sign(b"{}"));
    }

    let text = String::from_utf8(seen[1].body.clone()).expect("utf-8");
    let payload: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(payload["event"], "emergency_report");
    let report_id = payload["report_id"].as_str().expect("report id");
    assert!(payload["organisation_id"].is_string() && payload["at"].is_string());
    assert_eq!(payload.as_object().map(|o| o.len()), Some(4), "{payload}");
    // The demo call's narrative: "Neighbour hears shouting; says several workers are locked in a
    // car wash at night."
    for word in [
        "car wash",
        "locked",
        "shouting",
        "Neighbour",
        "narrative",
        "witness",
    ] {
        assert!(!text.contains(word), "the alert carries {word:?}: {text}");
    }

    // The log names the outbox item and the status, never the payload.
    let log = plain(&server.log());
    assert!(
        log.contains("status=500") && log.contains("status=200"),
        "{log}"
    );
    assert!(!log.contains(report_id), "the payload reached the log");
}

/// The log without terminal colour codes.
fn plain(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `passage serve` with `env`, expecting it to refuse to start; returns its error output.
fn refused(env: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_passage"));
    cmd.args(["serve", "--data-dir"])
        .arg(temp_dir("webhooks-refused"))
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("PASSAGE_DATABASE_URL")
        .env_remove("PASSAGE_ALERT_WEBHOOK_SECRET")
        .env_remove("PASSAGE_ALERT_WEBHOOK_SECRET_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run passage");
    assert!(!out.status.success(), "passage started with {env:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_webhook_url_without_a_secret_is_refused_at_start() {
    let err = refused(&[("PASSAGE_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook")]);
    assert!(err.contains("PASSAGE_ALERT_WEBHOOK_SECRET"), "{err}");
    // Alerts leave over TLS: plain http to another machine is refused.
    let err = refused(&[
        (
            "PASSAGE_ALERT_WEBHOOK_URL",
            "http://alerts.example.org/hook",
        ),
        ("PASSAGE_ALERT_WEBHOOK_SECRET", SECRET),
    ]);
    assert!(err.contains("https://"), "{err}");
}
