//! The intake contract end to end: the public API, follow-up, staff handling, messaging
//! gateways, and the anti-abuse limits, against the real binary.

use crate::common::*;
use serde_json::json;

fn submit(server: &Server, body: serde_json::Value) -> (u16, serde_json::Value) {
    let mut body = body;
    if body.get("form_token").is_none() {
        body["form_token"] = public_form_token(server).into();
    }
    call(
        "POST",
        &server.url("/api/v1/public/reports"),
        None,
        Some(body),
    )
}

#[test]
fn a_migrant_reports_anonymously_and_follows_up() {
    let server = Server::start();
    let (s, v) = submit(
        &server,
        json!({"language": "es", "category": "recruitment_fraud", "narrative": "El patrón tiene mi pasaporte", "country": "es", "place": "Almería", "employer": "Finca X"}),
    );
    assert_eq!(s, 201, "{v}");
    let receipt = v["receipt"].as_str().expect("receipt").to_string();
    assert!(
        receipt.len() == 16 && receipt.bytes().all(|b| b.is_ascii_digit()),
        "{receipt}"
    );
    let follow = |r: &str| {
        call(
            "POST",
            &server.url("/api/v1/public/reports/follow-up"),
            None,
            Some(json!({"receipt": r})),
        )
    };
    let (s, f) = follow(&receipt);
    assert_eq!((s, f["status"].as_str()), (200, Some("received")));
    assert_eq!(f["messages"], json!([]));

    // The helpline's intake staff find it in the queue of new reports.
    let intake = server.token("intake@hotline.demo");
    let (s, queue) = call(
        "GET",
        &server.url("/api/v1/reports?status=new"),
        Some(&intake),
        None,
    );
    assert_eq!(s, 200);
    let item = queue
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["categories"] == json!(["recruitment_fraud"]))
        .expect("the report")
        .clone();
    let id = item["id"].as_str().expect("id").to_string();
    let (s, report) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{id}")),
        Some(&intake),
        None,
    );
    assert_eq!(
        (s, report["narrative"].as_str()),
        (200, Some("El patrón tiene mi pasaporte"))
    );
    assert_eq!(report["employer"], "Finca X");

    // Staff answer; the reporter reads it and answers back.
    let (s, _) = call(
        "POST",
        &server.url(&format!("/api/v1/reports/{id}/messages")),
        Some(&intake),
        Some(json!({"body": "¿Está a salvo ahora?"})),
    );
    assert_eq!(s, 201);
    let (s, _) = call(
        "POST",
        &server.url("/api/v1/public/reports/messages"),
        None,
        Some(json!({"receipt": receipt, "body": "Sí, estoy con una amiga."})),
    );
    assert_eq!(s, 201);
    let (_, f) = follow(&receipt);
    let msgs = f["messages"].as_array().expect("messages");
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        (msgs[0]["from"].as_str(), msgs[0]["body"].as_str()),
        (Some("staff"), Some("¿Está a salvo ahora?"))
    );
    assert_eq!(msgs[1]["from"], "reporter");
    assert!(msgs[0]["at"].is_string());

    let (s, c) = call(
        "POST",
        &server.url(&format!("/api/v1/reports/{id}/open-case")),
        Some(&intake),
        None,
    );
    assert_eq!(s, 201, "{c}");
    let case_id = c["case_id"].as_str().expect("case id");
    let (s, case) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case_id}")),
        Some(&intake),
        None,
    );
    assert_eq!(
        (s, case["types"].clone()),
        (200, json!(["labour_exploitation"]))
    );

    // Nobody outside the helpline, and never immigration enforcement, sees report data.
    for email in [
        "officer@immigration.demo",
        "caseworker@shelter.demo",
        "analyst@statistics.demo",
    ] {
        let t = server.token(email);
        let (s, body) = call(
            "GET",
            &server.url("/api/v1/reports?status=new"),
            Some(&t),
            None,
        );
        assert_eq!(s, 403, "{email}: {body}");
        assert!(body.get("narrative").is_none());
        assert_eq!(
            call(
                "GET",
                &server.url(&format!("/api/v1/reports/{id}")),
                Some(&t),
                None
            )
            .0,
            404,
            "{email}"
        );
    }
}

#[test]
fn bad_reports_and_receipts_get_clear_errors_and_guessing_is_stopped() {
    let server = Server::start();
    let (s, v) = submit(
        &server,
        json!({"language": "en", "category": "unpaid", "narrative": ""}),
    );
    assert_eq!((s, v["code"].as_str()), (422, Some("validation_failed")));
    let (s, v) = submit(
        &server,
        json!({"language": "en", "category": "unpaid_wages", "narrative": "x", "immigration_status": "none"}),
    );
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("invalid_body")),
        "unknown fields are refused"
    );
    let url = server.url("/api/v1/public/reports/follow-up");
    let (s, v) = call(
        "POST",
        &url,
        None,
        Some(json!({"receipt": "1234567890123456"})),
    );
    assert_eq!((s, v["code"].as_str()), (404, Some("unknown_receipt")));
    let mut statuses = Vec::new();
    for i in 0..12 {
        statuses.push(
            call(
                "POST",
                &url,
                None,
                Some(json!({"receipt": format!("{:016}", 1000 + i)})),
            )
            .0,
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&429),
        "repeated failures from one source are blocked: {statuses:?}"
    );
    assert!(
        !server.log().contains("1234567890123456"),
        "receipts never reach the log"
    );
}

#[test]
fn twilio_sms_needs_a_valid_signature_and_threads_by_sender() {
    let server = Server::start();
    let url = server.url("/api/v1/channels/twilio/sms");
    let params = [
        ("MessageSid", "SM0001"),
        ("From", "+447700900321"),
        ("To", "+447700900000"),
        ("Body", "Boss keeps my passport"),
        ("NumMedia", "0"),
        ("ApiVersion", "2010-04-01"),
    ];
    let owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let signature = twilio_signature(TWILIO_TOKEN, &url, &owned);
    let post = |sig: Option<&str>, p: &[(&str, &str)]| {
        let mut req = agent().post(&url);
        if let Some(sig) = sig {
            req = req.header("X-Twilio-Signature", sig);
        }
        let mut res = req.send_form(p.iter().copied()).expect("post");
        (
            res.status().as_u16(),
            res.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    assert_eq!(post(None, &params).0, 403);
    assert_eq!(post(Some("bm90IGEgc2lnbmF0dXJl"), &params).0, 403);
    let intake = server.token("intake@hotline.demo");
    let count = || {
        call("GET", &server.url("/api/v1/reports"), Some(&intake), None)
            .1
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = count();
    let (s, xml) = post(Some(&signature), &params);
    assert_eq!(s, 200);
    assert!(
        xml.starts_with("<?xml") && xml.contains("<Response>") && xml.contains("<Message>"),
        "{xml}"
    );
    assert_eq!(count(), before + 1);
    // Gateways retry: the same MessageSid is stored once.
    assert_eq!(post(Some(&signature), &params).0, 200);
    assert_eq!(count(), before + 1);
    assert!(
        !server.log().contains("900321"),
        "phone numbers are never logged"
    );

    // RapidPro/TextIt with its shared secret.
    let rp = server.url("/api/v1/channels/rapidpro");
    let body = json!({"contact": {"uuid": "c-1", "name": "X", "urn": "whatsapp:250788000111"}, "flow": {"uuid": "f", "name": "intake"},
                      "results": {"story": {"value": "no pay for 3 months", "category": "All Responses"}}, "path": []});
    let res = agent().post(&rp).send_json(&body).expect("post");
    assert_eq!(res.status().as_u16(), 403);
    let mut res = agent()
        .post(&rp)
        .header("X-Passage-Token", RAPIDPRO_TOKEN)
        .send_json(&body)
        .expect("post");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.body_mut()
            .read_json::<serde_json::Value>()
            .expect("json")["status"],
        "new_report"
    );
    assert_eq!(count(), before + 2);
}

/// Twilio's signature, computed independently of the server's code.
fn twilio_signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let data: String = std::iter::once(url.to_string())
        .chain(sorted.into_iter().map(|(k, v)| k + &v))
        .collect();
    hmac_sha1_base64(token.as_bytes(), data.as_bytes())
}

fn hmac_sha1_base64(key: &[u8], data: &[u8]) -> String {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).expect("key");
    mac.update(data);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn passage(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run passage");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn routing_rules_added_from_the_command_line_send_reports_and_never_to_immigration() {
    let dir = Server::start().kill();
    let (ok, text) = passage(
        &dir,
        &[
            "routing",
            "add",
            "--org",
            "Safe Harbour Shelter",
            "--category",
            "recruitment_fraud",
            "--country",
            "PT",
        ],
    );
    assert!(ok, "{text}");
    let (ok, text) = passage(
        &dir,
        &[
            "routing",
            "add",
            "--org",
            "Border and Immigration Enforcement",
            "--category",
            "threats_violence",
        ],
    );
    assert!(
        !ok && text.contains("never routed to immigration"),
        "{text}"
    );
    let (ok, text) = passage(
        &dir,
        &[
            "routing",
            "add",
            "--org",
            "Safe Harbour Shelter",
            "--category",
            "no_such",
        ],
    );
    assert!(!ok && text.contains("category must be one of"), "{text}");
    let (ok, list) = passage(&dir, &["routing", "list"]);
    assert!(
        ok && list.contains("recruitment_fraud\tPT\tSafe Harbour Shelter"),
        "{list}"
    );
    assert!(!list.contains("Immigration"), "{list}");

    let server = Server::start_in(dir, &[]);
    let (s, _) = submit(
        &server,
        json!({"language": "en", "category": "recruitment_fraud", "narrative": "The job did not exist", "country": "pt"}),
    );
    assert_eq!(s, 201);
    let (s, _) = submit(
        &server,
        json!({"language": "en", "category": "recruitment_fraud", "narrative": "The job did not exist", "country": "fr"}),
    );
    assert_eq!(s, 201);
    let new_of = |email: &str| {
        let (s, v) = call(
            "GET",
            &server.url("/api/v1/reports?status=new"),
            Some(&server.token(email)),
            None,
        );
        assert_eq!(s, 200, "{v}");
        v.as_array()
            .expect("list")
            .iter()
            .filter(|r| r["categories"] == json!(["recruitment_fraud"]))
            .map(|r| r["country"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        new_of("supervisor@shelter.demo"),
        ["PT"],
        "the rule matched"
    );
    assert_eq!(
        new_of("intake@hotline.demo"),
        ["FR"],
        "no rule: the hotline"
    );
}
