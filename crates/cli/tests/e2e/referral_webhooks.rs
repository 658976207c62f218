//! A referral's webhook to its receiving organisation, against the real binary: the shelter's
//! administrator registers an endpoint where nothing listens yet; a referral sent to the
//! shelter is created (201) all the same; when the receiver comes up it gets the
//! `referral_received` notice, signed with the endpoint's own secret, with ids only.

use crate::common::*;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// (headers, body) of each request the receiver accepted.
type Seen = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// Listens on `port` and answers every POST 200, recording it.
fn receive_on(listener: TcpListener) -> Seen {
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() || !line.starts_with("POST /hooks/shelter ") {
                continue;
            }
            let mut headers = Vec::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.trim_end().split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            let len = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0; len];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            record.lock().expect("lock").push((headers, body));
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    seen
}

fn wait_for(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("key");
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
fn a_receiver_that_was_down_gets_the_signed_referral_later() {
    // A port nobody listens on until the receiver comes up.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let server = Server::start_in(temp_dir("referral-webhooks"), &[]);
    let api = |p: &str| server.url(&format!("/api/v1{p}"));

    let admin = server.token("orgadmin@shelter.demo");
    let (status, made) = call(
        "POST",
        &api("/webhooks"),
        Some(&admin),
        Some(json!({"url": format!("http://127.0.0.1:{port}/hooks/shelter")})),
    );
    assert_eq!(status, 201, "{made}");
    let secret = made["secret"].as_str().expect("secret").to_string();

    // The helpline refers a person to the shelter.
    let intake = server.token("intake@hotline.demo");
    let (status, services) = call("GET", &api("/services?type=shelter"), Some(&intake), None);
    assert_eq!(status, 200, "{services}");
    let entry = services
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["name"] == "Safe Harbour women's shelter")
        .expect("the shelter's service")
        .clone();
    let (status, person) = call(
        "POST",
        &api("/persons"),
        Some(&intake),
        Some(
            json!({"given_name": "Marisol", "family_name": "Quintana", "date_of_birth": "1990-05"}),
        ),
    );
    assert_eq!(status, 201, "{person}");
    let pid = person["id"].as_str().expect("id");
    let (status, case) = call(
        "POST",
        &api("/cases"),
        Some(&intake),
        Some(
            json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Unpaid for months."}),
        ),
    );
    assert_eq!(status, 201, "{case}");
    let (status, consent) = call(
        "POST",
        &api(&format!("/persons/{pid}/consents")),
        Some(&intake),
        Some(
            json!({"purpose": "referral", "organisation_id": entry["organisation_id"], "method": "written"}),
        ),
    );
    assert_eq!(status, 201, "{consent}");
    let (status, sent) = call(
        "POST",
        &api(&format!(
            "/cases/{}/referrals",
            case["id"].as_str().expect("id")
        )),
        Some(&intake),
        Some(
            json!({"service_id": entry["id"], "purpose": "referral", "note": "Needs a bed tonight."}),
        ),
    );
    assert_eq!(status, 201, "sent while the receiver is down: {sent}");
    let referral = sent["id"].as_str().expect("id").to_string();

    // The first attempt fails; the log says so without the payload.
    wait_for("the failed attempt", 30, || {
        server.log().contains("organisation webhook not delivered")
    });
    let (_, log) = call("GET", &api("/webhooks"), Some(&admin), None);
    assert_eq!(log["deliveries"][0]["status"], "pending", "{log}");
    assert!(log["deliveries"][0]["next_at"].is_i64(), "{log}");

    // The receiver comes up and gets the notice on a retry.
    let seen = receive_on(TcpListener::bind(("127.0.0.1", port)).expect("bind the port"));
    wait_for("the retry", 60, || !seen.lock().expect("lock").is_empty());
    wait_for("the delivery to be recorded", 30, || {
        server.log().contains("organisation webhook delivered")
    });
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1, "delivered once");
    let (headers, body) = &seen[0];
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("x-passage-event"), Some("referral_received"));
    assert_eq!(
        header("x-passage-signature"),
        Some(sign(&secret, body).as_str())
    );
    let payload: serde_json::Value = serde_json::from_slice(body).expect("json");
    assert_eq!(payload["event"], "referral_received");
    assert_eq!(payload["referral_id"], referral.as_str());
    assert!(payload["organisation_id"].is_string() && payload["at"].is_string());
    assert_eq!(payload.as_object().map(|o| o.len()), Some(4), "{payload}");
    let text = String::from_utf8_lossy(body);
    for word in ["Marisol", "Quintana", "bed tonight"] {
        assert!(!text.contains(word), "the notice carries {word:?}");
    }
    let (_, log) = call("GET", &api("/webhooks"), Some(&admin), None);
    assert_eq!(log["deliveries"][0]["status"], "delivered", "{log}");
    assert!(
        !server.log().contains(&secret),
        "the secret reached the log"
    );

    // The shelter's caseworker has it in the inbox.
    let worker = server.token("caseworker@shelter.demo");
    let (status, inbox) = call("GET", &api("/notifications"), Some(&worker), None);
    assert_eq!(status, 200);
    assert!(
        inbox["notifications"]
            .as_array()
            .expect("list")
            .iter()
            .any(|n| n["referral_id"] == referral.as_str() && n["kind"] == "referral_received"),
        "{inbox}"
    );
}
