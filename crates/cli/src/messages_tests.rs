//! The sender against a real HTTP server on localhost that speaks each gateway's documented
//! shapes: it checks what it is sent (path, auth header, form or JSON fields) and answers as
//! the gateway would. The store is a real SQLite database with a fixed clock.

use super::*;
use passage_core::messages::DeliveryStatus;
use passage_core::{Channel, Country, OrgKind, Role};
use passage_store::orgs::NewUser;
use passage_store::reports::channels::Inbound;
use passage_store::{Actor, Clock, Keys, SessionKind};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Mutex;
use uuid::Uuid;

const NUMBER: &str = "+447700900123";
const TEXT: &str = "We can help & you are safe? Call 100%";
const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "twilio-auth-token";

/// One request the fake gateway received.
#[derive(Debug, Clone)]
struct Request {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn form(&self) -> Vec<(String, String)> {
        self.body
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect()
    }

    fn field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A gateway on localhost answering each request with the next scripted (status, JSON).
fn gateway(script: Vec<(u16, &'static str)>) -> (String, Arc<Mutex<Vec<Request>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        let mut script = script.into_iter();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
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
            record.lock().expect("lock").push(Request {
                line: line.trim_end().to_string(),
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let (status, json) = script.next().unwrap_or((500, "{}"));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            );
        }
    });
    (base, seen)
}

struct Desk {
    store: Store,
    clock: Clock,
    intake: Actor,
}

async fn desk() -> Desk {
    let dir = std::env::temp_dir().join(format!("passage-sender-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}", dir.join("passage.db").display());
    let clock = Clock::fixed(passage_store::now_ms());
    let store = Store::connect(&url, Keys::from_bytes([5; 32]).with_person_key_cache(0))
        .await
        .expect("connect")
        .with_clock(clock.clone());
    store.migrate().await.expect("migrate");
    let op = store.operator("test");
    let org = store
        .create_organisation(
            op.authority(),
            "Hotline",
            OrgKind::Hotline,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let password = "a long enough password";
    store
        .create_user(
            op.authority(),
            NewUser {
                org_id: org,
                email: "intake@h.test",
                display_name: "Intake",
                password,
                roles: &[Role::Intake],
            },
        )
        .await
        .expect("user");
    let intake = store
        .login("intake@h.test", password, SessionKind::Api)
        .await
        .expect("login")
        .actor;
    Desk {
        store,
        clock,
        intake,
    }
}

impl Desk {
    /// A report from `sender` through `channel` and a staff reply to it.
    async fn replied(&self, channel: Channel, provider: &str, sender: &str) -> Uuid {
        let report = match self
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
        {
            Inbound::NewReport(id) => id,
            other => panic!("expected a new report, got {other:?}"),
        };
        let text = passage_core::validate::Text::parse("text", TEXT, 5_000).expect("text");
        self.store
            .staff_message(&self.intake, report, text)
            .await
            .expect("reply");
        report
    }

    /// The reply's state as the report's thread shows it to staff.
    async fn shown(&self, report: Uuid) -> passage_store::reports::outbound::DeliveryView {
        let view = self
            .store
            .get_report(&self.intake, report)
            .await
            .expect("read");
        view.messages
            .iter()
            .find_map(|m| m.delivery)
            .expect("the reply shows a delivery state")
    }

    async fn provider_id(&self, report: Uuid) -> Option<String> {
        let op = self.store.operator("test");
        let replies = self
            .store
            .replies_of(op.authority(), report)
            .await
            .expect("replies");
        replies.first().and_then(|r| r.2.clone())
    }
}

fn twilio_at(base: &str) -> Option<Twilio> {
    Some(Twilio {
        api: base.to_string(),
        account_sid: SID.into(),
        auth_token: TOKEN.into(),
        from: TwilioFrom::Number("+447700900000".into()),
    })
}

#[tokio::test]
async fn a_twilio_reply_is_posted_as_documented_and_marked_sent() {
    let d = desk().await;
    let report = d.replied(Channel::Sms, "twilio", NUMBER).await;
    let (base, seen) = gateway(vec![(
        201,
        r#"{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "to": "+447700900123"}"#,
    )]);
    let gw = Arc::new(Gateways::new(
        twilio_at(&base),
        None,
        Some("https://passage.example/".into()),
    ));
    assert_eq!(round(&d.store, &gw).await, 1);
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(
        r.line,
        format!("POST /2010-04-01/Accounts/{SID}/Messages.json HTTP/1.1")
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"));
    assert_eq!(
        r.header("Authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert!(
        r.header("Content-Type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")),
        "{r:?}"
    );
    assert_eq!(r.field("To").as_deref(), Some(NUMBER));
    assert_eq!(r.field("From").as_deref(), Some("+447700900000"));
    assert_eq!(r.field("Body").as_deref(), Some(TEXT));
    assert_eq!(
        r.field("StatusCallback").as_deref(),
        Some("https://passage.example/api/v1/channels/twilio/status")
    );
    assert_eq!(r.field("MessagingServiceSid"), None);
    let shown = d.shown(report).await;
    assert_eq!((shown.status, shown.attempts), (DeliveryStatus::Sent, 1));
    assert_eq!(
        d.provider_id(report).await.as_deref(),
        Some("SM0123456789abcdef0123456789abcdef")
    );
    assert_eq!(
        round(&d.store, &gw).await,
        0,
        "a sent reply is not sent again"
    );
}

#[tokio::test]
async fn a_messaging_service_replaces_the_from_number() {
    let d = desk().await;
    d.replied(Channel::Sms, "twilio", NUMBER).await;
    let (base, seen) = gateway(vec![(201, r#"{"sid": "SM1", "status": "accepted"}"#)]);
    let mut t = twilio_at(&base).expect("twilio");
    t.from = TwilioFrom::Service("MG0123".into());
    let gw = Arc::new(Gateways::new(Some(t), None, None));
    round(&d.store, &gw).await;
    let r = seen.lock().expect("lock")[0].clone();
    assert_eq!(r.field("MessagingServiceSid").as_deref(), Some("MG0123"));
    assert_eq!(r.field("From"), None);
    assert_eq!(
        r.field("StatusCallback"),
        None,
        "no public address: no callback asked"
    );
}

#[tokio::test]
async fn a_number_twilio_refuses_is_failed_with_its_reason_in_the_thread() {
    let d = desk().await;
    let report = d.replied(Channel::Sms, "twilio", NUMBER).await;
    let (base, seen) = gateway(vec![(
        400,
        r#"{"code": 21211, "message": "The 'To' number is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#,
    )]);
    let gw = Arc::new(Gateways::new(twilio_at(&base), None, None));
    round(&d.store, &gw).await;
    let shown = d.shown(report).await;
    assert_eq!(
        (shown.status, shown.reason, shown.attempts),
        (
            DeliveryStatus::Failed,
            Some(FailureReason::NumberCannotReceive),
            1
        )
    );
    d.clock.advance(passage_core::messages::MAX_DELAY_MS * 2);
    assert_eq!(
        round(&d.store, &gw).await,
        0,
        "a permanent failure is not retried"
    );
    assert_eq!(seen.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn a_503_is_retried_after_the_backoff_and_then_sent() {
    let d = desk().await;
    let report = d.replied(Channel::Sms, "twilio", NUMBER).await;
    let (base, seen) = gateway(vec![
        (
            503,
            r#"{"code": 20500, "message": "Internal Server Error", "status": 503}"#,
        ),
        (201, r#"{"sid": "SM2", "status": "queued"}"#),
    ]);
    let gw = Arc::new(Gateways::new(twilio_at(&base), None, None));
    round(&d.store, &gw).await;
    let shown = d.shown(report).await;
    assert_eq!((shown.status, shown.attempts), (DeliveryStatus::Queued, 1));
    assert_eq!(round(&d.store, &gw).await, 0, "not before the backoff");
    d.clock.advance(passage_core::messages::FIRST_DELAY_MS);
    assert_eq!(round(&d.store, &gw).await, 1);
    let shown = d.shown(report).await;
    assert_eq!((shown.status, shown.attempts), (DeliveryStatus::Sent, 2));
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].body, seen[1].body, "the retry sends the same reply");
}

#[tokio::test]
async fn a_rapidpro_reply_is_a_broadcast_to_the_urn_with_the_token() {
    let d = desk().await;
    let urn = "whatsapp:250788000111";
    let report = d.replied(Channel::Chat, "rapidpro", urn).await;
    let (base, seen) = gateway(vec![(
        201,
        r#"{"uuid": "0199bb98-3637-778d-9dfc-0ab85c950d7c", "urns": ["whatsapp:250788000111"], "contacts": [], "groups": [], "text": {"eng": "x"}, "status": "queued", "created_on": "2026-12-07T12:00:00Z"}"#,
    )]);
    let gw = Arc::new(Gateways::new(
        None,
        Some(Rapidpro {
            api: base.clone(),
            token: "workspace-api-token".into(),
        }),
        None,
    ));
    round(&d.store, &gw).await;
    let r = seen.lock().expect("lock")[0].clone();
    assert_eq!(r.line, "POST /api/v2/broadcasts.json HTTP/1.1");
    assert_eq!(r.header("Authorization"), Some("Token workspace-api-token"));
    assert!(
        r.header("Content-Type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(json["urns"], serde_json::json!([urn]));
    assert_eq!(json["text"]["eng"], TEXT);
    assert_eq!(json["base_language"], "eng");
    let shown = d.shown(report).await;
    assert_eq!(shown.status, DeliveryStatus::Sent);
    assert_eq!(
        d.provider_id(report).await.as_deref(),
        Some("0199bb98-3637-778d-9dfc-0ab85c950d7c")
    );
}

#[tokio::test]
async fn rapidpro_refusals_are_permanent_and_rate_limits_passing() {
    let d = desk().await;
    let first = d
        .replied(Channel::Chat, "rapidpro", "tel:+250788000111")
        .await;
    let second = d
        .replied(Channel::Chat, "rapidpro", "tel:+250788000222")
        .await;
    let (base, _seen) = gateway(vec![
        (400, r#"{"urns": ["Not a valid URN"]}"#),
        (429, r#"{"detail": "Request was throttled."}"#),
    ]);
    let gw = Arc::new(Gateways::new(
        None,
        Some(Rapidpro {
            api: base,
            token: "t".into(),
        }),
        None,
    ));
    round(&d.store, &gw).await;
    let a = d.shown(first).await;
    let b = d.shown(second).await;
    assert_eq!(
        (a.status, a.reason),
        (DeliveryStatus::Failed, Some(FailureReason::Refused))
    );
    assert_eq!((b.status, b.attempts), (DeliveryStatus::Queued, 1));
}

#[tokio::test]
async fn without_a_configured_gateway_a_reply_is_failed_and_shown_not_kept_queued() {
    let d = desk().await;
    let sms = d.replied(Channel::Sms, "twilio", NUMBER).await;
    let chat = d.replied(Channel::Chat, "rapidpro", "whatsapp:1").await;
    let gw = Arc::new(Gateways::new(None, None, None));
    assert_eq!(round(&d.store, &gw).await, 2);
    for report in [sms, chat] {
        let shown = d.shown(report).await;
        assert_eq!(
            (shown.status, shown.reason, shown.attempts),
            (
                DeliveryStatus::Failed,
                Some(FailureReason::GatewayNotConfigured),
                0
            )
        );
    }
}

#[tokio::test]
async fn an_unreachable_gateway_is_a_passing_failure() {
    let d = desk().await;
    let report = d.replied(Channel::Sms, "twilio", NUMBER).await;
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let gw = Arc::new(Gateways::new(
        twilio_at(&format!("http://127.0.0.1:{port}")),
        None,
        None,
    ));
    round(&d.store, &gw).await;
    let shown = d.shown(report).await;
    assert_eq!((shown.status, shown.attempts), (DeliveryStatus::Queued, 1));
}
