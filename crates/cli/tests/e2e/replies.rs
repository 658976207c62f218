//! A staff reply leaves through the gateway, against the real binary: an SMS comes in, staff
//! answer it on the report's page, a fake Twilio on localhost receives the reply as its
//! Messages API documents it, its signed status callback marks the reply delivered, and the
//! thread says so. The log names ids and states, never the number or the words.

use crate::common::ui_client::{Client, csrf_of};
use crate::common::*;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SID: &str = "AC00000000000000000000000000000e2e";
const FROM: &str = "+447700900000";
const REPORTER: &str = "+447700900321";
const PUBLIC: &str = "http://passage.test";
const REPLY: &str = "We received your message. Are you somewhere safe right now?";

#[derive(Debug, Clone)]
struct Received {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn field(&self, name: &str) -> Option<String> {
        url_decode_pairs(&self.body)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

fn url_decode_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < b.len() => {
                    let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("3F");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 2;
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// Twilio's Messages API on localhost: records each request and answers 201 with a sid.
fn fake_twilio() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut headers = Vec::new();
            let mut h = String::new();
            loop {
                h.clear();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.trim_end().split_once(':') {
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
            record.lock().expect("lock").push(Received {
                line: line.trim_end().to_string(),
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let json = r#"{"sid": "SMe2e00000000000000000000000000001", "status": "queued"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            );
        }
    });
    (base, seen)
}

fn twilio_signature(url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    sorted.sort();
    let data: String = std::iter::once(url.to_string())
        .chain(sorted.into_iter().map(|(k, v)| k + &v))
        .collect();
    let mut mac =
        <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(TWILIO_TOKEN.as_bytes()).expect("key");
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// POSTs `params` to `path` signed as Twilio signs for the public address; the status.
fn post_signed(server: &Server, path: &str, params: &[(&str, &str)]) -> u16 {
    let signature = twilio_signature(&format!("{PUBLIC}{path}"), params);
    agent()
        .post(&server.url(path))
        .header("X-Twilio-Signature", &signature)
        .send_form(params.iter().copied())
        .expect("post")
        .status()
        .as_u16()
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

#[test]
fn an_sms_reply_reaches_the_gateway_and_the_thread_shows_it_delivered() {
    let (api, seen) = fake_twilio();
    let server = Server::start_in(
        temp_dir("replies"),
        &[
            ("PASSAGE_PUBLIC_URL", PUBLIC),
            ("PASSAGE_TWILIO_ACCOUNT_SID", SID),
            ("PASSAGE_TWILIO_FROM", FROM),
            ("PASSAGE_TWILIO_API_URL", api.as_str()),
        ],
    );
    // An SMS comes in.
    let inbound = [
        ("MessageSid", "SMin0001"),
        ("From", REPORTER),
        ("To", FROM),
        ("Body", "My employer keeps my passport"),
    ];
    assert_eq!(
        post_signed(&server, "/api/v1/channels/twilio/sms", &inbound),
        200
    );
    let intake = server.token("intake@hotline.demo");
    let (_, list) = call("GET", &server.url("/api/v1/reports"), Some(&intake), None);
    let report = list
        .as_array()
        .expect("reports")
        .iter()
        .filter(|r| r["channel"] == "sms")
        .max_by_key(|r| r["received_at"].as_i64())
        .and_then(|r| r["id"].as_str())
        .expect("the SMS report")
        .to_string();

    // Staff answer on the report's page.
    let mut ui = Client::sign_in(&server, "intake@hotline.demo");
    let page = ui.get(&format!("/reports/{report}"));
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.body);
    let sent = ui.post(
        &format!("/reports/{report}/message"),
        &[("csrf", &csrf), ("body", REPLY)],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);

    // The gateway receives it as its Messages API documents.
    wait_for("the reply at the gateway", || {
        !seen.lock().expect("lock").is_empty()
    });
    let r = seen.lock().expect("lock")[0].clone();
    assert_eq!(
        r.line,
        format!("POST /2010-04-01/Accounts/{SID}/Messages.json HTTP/1.1")
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TWILIO_TOKEN}"));
    assert_eq!(
        r.header("Authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(r.field("To").as_deref(), Some(REPORTER));
    assert_eq!(r.field("From").as_deref(), Some(FROM));
    assert_eq!(r.field("Body").as_deref(), Some(REPLY));
    let callback = r.field("StatusCallback").expect("a status callback");
    assert_eq!(callback, format!("{PUBLIC}/api/v1/channels/twilio/status"));
    wait_for("the reply recorded as sent", || {
        ui.get(&format!("/reports/{report}"))
            .body
            .contains("Sent to the gateway")
    });

    // Twilio's status callback, signed for the address it was given.
    let status = [
        ("AccountSid", SID),
        ("MessageSid", "SMe2e00000000000000000000000000001"),
        ("MessageStatus", "delivered"),
        ("To", REPORTER),
        ("From", FROM),
    ];
    let path = "/api/v1/channels/twilio/status";
    let forged = agent()
        .post(&server.url(path))
        .header("X-Twilio-Signature", "Zm9yZ2Vk")
        .send_form(status.iter().copied())
        .expect("post");
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(post_signed(&server, path, &status), 204);

    let page = ui.get(&format!("/reports/{report}"));
    assert!(
        page.body.contains("<p class=\"delivery\">Delivered</p>"),
        "the thread shows the reply delivered: {}",
        page.body
    );
    let (_, json) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{report}")),
        Some(&intake),
        None,
    );
    let reply = json["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["from"] == "staff")
        .expect("the reply")
        .clone();
    assert_eq!(reply["delivery"]["status"], "delivered");

    // The log has ids and states, never the number or the words.
    let log = server.log();
    assert!(log.contains("reply sent"), "{log}");
    assert!(log.contains("reply status recorded"), "{log}");
    for secret in ["900321", "somewhere safe", "passport"] {
        assert!(!log.contains(secret), "{secret:?} reached the log");
    }
}

/// Runs `passage serve` with `env`, expecting it to refuse to start; returns its error output.
fn refused(env: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_passage"));
    cmd.args(["serve", "--data-dir"])
        .arg(temp_dir("replies-refused"))
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("PASSAGE_DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run passage");
    assert!(!out.status.success(), "passage started with {env:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn gateway_settings_that_would_expose_replies_are_refused_at_start() {
    // A person's number and words leave over TLS: plain http only to this machine.
    let err = refused(&[("PASSAGE_TWILIO_API_URL", "http://api.twilio.example")]);
    assert!(
        err.contains("twilio_api_url") && err.contains("https://"),
        "{err}"
    );
    let err = refused(&[("PASSAGE_RAPIDPRO_URL", "http://textit.example")]);
    assert!(err.contains("rapidpro_url"), "{err}");
    let err = refused(&[
        ("PASSAGE_TWILIO_FROM", FROM),
        ("PASSAGE_TWILIO_MESSAGING_SERVICE_SID", "MG0"),
    ]);
    assert!(err.contains("not both"), "{err}");
    let err = refused(&[("PASSAGE_DELIVERY_RETENTION_DAYS", "0")]);
    assert!(err.contains("delivery_retention_days"), "{err}");
}
