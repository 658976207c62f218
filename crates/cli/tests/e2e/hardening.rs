//! Bad input, security headers, logs and storage at rest, end to end against the real binary.

use crate::common::*;
use serde_json::json;

fn count_cases(server: &Server, token: &str) -> usize {
    let (s, v) = call(
        "GET",
        &server.url("/api/v1/cases?limit=200"),
        Some(token),
        None,
    );
    assert_eq!(s, 200);
    v.as_array().expect("array").len()
}

fn raw_post(
    server: &Server,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let mut res = agent()
        .post(&server.url(path))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", content_type)
        .send(&body[..])
        .expect("request");
    let text = res.body_mut().read_to_string().unwrap_or_default();
    (
        res.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

#[test]
fn bad_input_gets_a_structured_error_and_writes_nothing() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    let before = count_cases(&server, &token);
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        ("/api/v1/persons", "application/json", b"{\"given_name\": ".to_vec(), 400, "malformed_json"),
        ("/api/v1/persons", "application/json", br#"{"given_name":"A","family_name":"B","nickname":"C"}"#.to_vec(), 422, "invalid_body"),
        ("/api/v1/persons", "application/json", br#"{"given_name":7,"family_name":"B"}"#.to_vec(), 422, "invalid_body"),
        ("/api/v1/persons", "text/plain", br#"{"given_name":"A","family_name":"B"}"#.to_vec(), 415, "unsupported_media_type"),
        ("/api/v1/persons", "application/json", br#"{"given_name":"A","family_name":"B","citizenships":["ZZ"]}"#.to_vec(), 422, "validation_failed"),
        ("/api/v1/persons", "application/json", br#"{"given_name":"A","family_name":"B","date_of_birth":"1990-02-30"}"#.to_vec(), 422, "validation_failed"),
        ("/api/v1/persons", "application/json", br#"{"given_name":"  ","family_name":"B"}"#.to_vec(), 422, "validation_failed"),
        ("/api/v1/cases", "application/json", br#"{"person_id":"nope","types":["x"],"stage":"mars","summary":""}"#.to_vec(), 422, "validation_failed"),
        ("/api/v1/cases", "application/json", br#"{"person_id":"01900000-0000-7000-8000-000000000000","types":["trafficking"],"stage":"transit","summary":"s"}"#.to_vec(), 422, "validation_failed"),
    ];
    for (path, ct, body, status, code) in cases {
        let shown = String::from_utf8_lossy(&body).to_string();
        let (s, v) = raw_post(&server, path, &token, ct, body);
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (status, code),
            "{path} {shown} → {v}"
        );
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "a message a person can act on: {v}"
        );
    }
    // An oversize body is refused. Just over the 64 KiB cap, so the server reads all of it
    // before it answers: a body far larger is refused part-read and the connection reset,
    // which can cut the answer off before the client reads it.
    let big = format!(
        r#"{{"given_name":"A","family_name":"{}"}}"#,
        "x".repeat(64 * 1024 + 200)
    );
    let (s, v) = raw_post(
        &server,
        "/api/v1/persons",
        &token,
        "application/json",
        big.into_bytes(),
    );
    assert_eq!(
        (s, v["code"].as_str().unwrap_or("")),
        (413, "body_too_large")
    );
    // A validation error names every field at once.
    let (_, v) = raw_post(
        &server,
        "/api/v1/persons",
        &token,
        "application/json",
        r#"{"given_name":"","family_name":"Wojciechowska-Brzęk","sex":"xenomorphic","citizenships":["XQ"]}"#
            .as_bytes()
            .to_vec(),
    );
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["given_name", "sex", "citizenships"]);
    assert_eq!(count_cases(&server, &token), before, "nothing was written");
    // The log records the requests, and none of the values submitted in them.
    let log = server.log();
    assert!(
        log.contains("/api/v1/persons"),
        "requests are logged by route: {log}"
    );
    for value in ["Wojciechowska", "Brzęk", "xenomorphic", "XQ"] {
        assert!(!log.contains(value), "{value} reached the log");
    }
}

#[test]
fn every_response_carries_the_security_headers() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    for (path, auth) in [
        ("/healthz", false),
        ("/login", false),
        ("/api/v1/cases", true),
        ("/api/v1/nowhere", true),
        ("/nowhere", false),
    ] {
        let mut req = agent().get(&server.url(path));
        if auth {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        let res = req.call().expect("request");
        let h = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
        assert!(!h("x-request-id").is_empty(), "{path}");
    }
    let (s, v) = call("GET", &server.url("/api/v1/nowhere"), Some(&token), None);
    assert_eq!((s, v["code"].as_str()), (404, Some("not_found")));
}

#[test]
fn personal_data_is_sealed_at_rest_and_never_logged() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    let (s, p) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(&token),
        Some(
            json!({"given_name": "Quetzalli", "family_name": "Xochitlzin", "migration_status": "irregular"}),
        ),
    );
    assert_eq!(s, 201);
    let (s, _) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(&token),
        Some(
            json!({"person_id": p["id"], "types": ["labour_exploitation"], "stage": "destination", "summary": "Zyxwvutsrqp narrative marker"}),
        ),
    );
    assert_eq!(s, 201);
    let (_, found) = call(
        "GET",
        &server.url("/api/v1/cases?q=quetzalli"),
        Some(&token),
        None,
    );
    assert_eq!(found.as_array().expect("array").len(), 1);
    // A public report with a narrative and a contact, once by phone and once by e-mail.
    let form_token = public_form_token(&server);
    for contact in ["+34 611 987 654", "nadia.kovalenko@example.org"] {
        let (s, v) = call(
            "POST",
            &server.url("/api/v1/public/reports"),
            None,
            Some(
                json!({"language": "en", "category": "debt", "narrative": "Mnemosyne orchard foreman kept our passports", "contact": contact, "form_token": form_token}),
            ),
        );
        assert_eq!(s, 201, "{v}");
    }
    let log = server.log();
    assert!(
        log.contains("/api/v1/cases") && log.contains("/api/v1/public/reports"),
        "requests are logged by route: {log}"
    );
    let dir = server.kill();
    // The database is there (the write-ahead log may have been folded into it), so the
    // search below reads data, not a missing file.
    let db = std::fs::metadata(dir.join("passage.db")).expect("the database file");
    assert!(db.len() > 0, "the database file holds the data");
    for needle in [
        "Quetzalli",
        "Xochitlzin",
        "quetzalli",
        "Zyxwvutsrqp",
        "irregular",
        "Mnemosyne orchard",
        "611 987 654",
        "611987654",
        "nadia.kovalenko",
    ] {
        assert!(!log.contains(needle), "{needle} reached the log");
        for file in ["passage.db", "passage.db-wal"] {
            let bytes = std::fs::read(dir.join(file)).unwrap_or_default();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in plaintext in {file}"
            );
        }
    }
    let key = std::fs::metadata(dir.join("master.key")).expect("key file");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(key.permissions().mode() & 0o777, 0o600);
}
