//! A person's identity, consent, attachments and best interests against the real binary: the
//! consent contract exactly as published, an upload and download round trip (metadata gone,
//! download headers), the configurable size cap above the global body limit, version
//! conflicts, and nothing for immigration enforcement.

use crate::common::*;
use serde_json::{Value, json};

/// The attachment cap the server runs with here: above the 64 KiB global body limit, so an
/// upload between the two proves the route's own limit.
const CAP: usize = 200_000;

fn start() -> Server {
    Server::start_in(
        temp_dir("person"),
        &[("PASSAGE_ATTACHMENT_MAX_BYTES", "200000")],
    )
}

/// The caseworker's first case and its person.
fn first_case(server: &Server, token: &str) -> (String, String) {
    let (status, cases) = call("GET", &server.url("/api/v1/cases"), Some(token), None);
    assert_eq!(status, 200);
    let case = cases[0]["id"].as_str().expect("a demo case").to_string();
    let (status, c) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}")),
        Some(token),
        None,
    );
    assert_eq!(status, 200);
    (
        case,
        c["person"]["id"].as_str().expect("person").to_string(),
    )
}

fn org_of(server: &Server, email: &str) -> String {
    let (_, me) = call(
        "GET",
        &server.url("/api/v1/me"),
        Some(&server.token(email)),
        None,
    );
    me["organisation"]["id"].as_str().expect("org").to_string()
}

fn phone_photo() -> Vec<u8> {
    let seg = |m: u8, d: &[u8]| {
        let mut v = vec![0xFF, m];
        v.extend_from_slice(&((d.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(d);
        v
    };
    let mut j = vec![0xFF, 0xD8];
    j.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(seg(0xE1, b"Exif\0\0MM\0*GPS-MARKER 51.5072N 0.1276W"));
    j.extend(seg(0xFE, b"COMMENT-MARKER"));
    j.extend(seg(0xDB, &[0u8; 65]));
    j.extend(seg(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(seg(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    j
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Posts a multipart form with one file part.
fn upload(server: &Server, token: &str, case: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
    let boundary = "----passage-test-boundary-7d1f";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut res = agent()
        .post(&server.url(&format!("/api/v1/cases/{case}/attachments")))
        .header("Authorization", &format!("Bearer {token}"))
        .header(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .expect("upload");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn the_consent_contract() {
    let server = start();
    let token = server.token("caseworker@shelter.demo");
    let (_, person) = first_case(&server, &token);
    let consents = server.url(&format!("/api/v1/persons/{person}/consents"));
    let consulate = org_of(&server, "consul@consulate.demo");
    let immigration = org_of(&server, "officer@immigration.demo");

    // {"purpose","organisation_id"?} → 201 {"id"}
    let (status, body) = call(
        "POST",
        &consents,
        Some(&token),
        Some(json!({"purpose": "services"})),
    );
    assert_eq!(status, 201, "{body}");
    let services = body["id"].as_str().expect("id").to_string();
    let (status, body) = call(
        "POST",
        &consents,
        Some(&token),
        Some(
            json!({"purpose": "referral", "organisation_id": consulate, "method": "written", "language": "tl"}),
        ),
    );
    assert_eq!(status, 201, "{body}");
    let referral = body["id"].as_str().expect("id").to_string();

    // A referral names an organisation, never immigration enforcement.
    let (status, body) = call(
        "POST",
        &consents,
        Some(&token),
        Some(json!({"purpose": "referral"})),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    let (status, body) = call(
        "POST",
        &consents,
        Some(&token),
        Some(json!({"purpose": "referral", "organisation_id": immigration})),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("immigration_firewall")),
        "{body}"
    );

    // Another basis needs a reason.
    let (status, body) = call(
        "POST",
        &consents,
        Some(&token),
        Some(json!({"purpose": "services", "basis": "vital_interest"})),
    );
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "reason");
    let (status, _) = call(
        "POST",
        &consents,
        Some(&token),
        Some(
            json!({"purpose": "services", "basis": "best_interests_of_child", "reason": "Nine years old, alone", "method": "verbal"}),
        ),
    );
    assert_eq!(status, 201);
    let (status, body) = call(
        "POST",
        &consents,
        Some(&token),
        Some(json!({"purpose": "services", "language": "english"})),
    );
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("language"))
    );

    // DELETE withdraws, at once; a withdrawn consent is never in force again.
    let withdraw = server.url(&format!("/api/v1/persons/{person}/consents/{referral}"));
    let (status, _) = call("DELETE", &withdraw, Some(&token), None);
    assert!(status == 204 || status == 200, "{status}");
    let (status, list) = call("GET", &consents, Some(&token), None);
    assert_eq!(status, 200);
    let find = |list: &Value, id: &str| -> Value {
        list.as_array()
            .expect("array")
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .expect("listed")
    };
    let r = find(&list, &referral);
    assert_eq!(r["in_force"], false);
    assert!(r["withdrawn_at"].is_i64());
    assert_eq!(r["organisation_id"], consulate.as_str());
    assert_eq!(r["language"], "tl");
    assert_eq!(find(&list, &services)["in_force"], true);
    let (status, _) = call(
        "DELETE",
        &format!("{withdraw}?method=verbal"),
        Some(&token),
        None,
    );
    assert!(status == 204 || status == 200);
    let (_, again) = call("GET", &consents, Some(&token), None);
    assert_eq!(find(&again, &referral)["in_force"], false);
    assert_eq!(
        find(&again, &referral)["withdrawn_at"],
        r["withdrawn_at"],
        "the first withdrawal stands"
    );
    let (status, _) = call(
        "DELETE",
        &server.url(&format!(
            "/api/v1/persons/{person}/consents/0190b3a2-0000-7000-8000-000000000000"
        )),
        Some(&token),
        None,
    );
    assert_eq!(status, 404);

    // Immigration enforcement gets nothing.
    let officer = server.token("officer@immigration.demo");
    for (method, body) in [
        ("GET", None),
        ("POST", Some(json!({"purpose": "services"}))),
    ] {
        let (status, _) = call(method, &consents, Some(&officer), body);
        assert!(status == 404 || status == 403, "{method}: {status}");
    }
    let (status, _) = call("DELETE", &withdraw, Some(&officer), None);
    assert!(status == 404 || status == 403);
}

#[test]
fn identity_documents_attachments_and_children_over_http() {
    let server = start();
    let token = server.token("caseworker@shelter.demo");
    let (case, person) = first_case(&server, &token);
    let person_url = server.url(&format!("/api/v1/persons/{person}"));

    // Identity: partial update with the version read; a stale one is a conflict.
    let (status, p) = call("GET", &person_url, Some(&token), None);
    assert_eq!(status, 200);
    let version = p["version"].as_i64().expect("version");
    let (status, body) = call(
        "PATCH",
        &person_url,
        Some(&token),
        Some(
            json!({"version": version, "given_name_latin": "Amihan", "languages": ["tl", "en"],
                    "contacts": [{"kind": "phone", "value": "+63 917 000 0000"}],
                    "vulnerabilities": ["domestic_worker"], "aliases": null}),
        ),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], version + 1);
    let (status, body) = call(
        "PATCH",
        &person_url,
        Some(&token),
        Some(json!({"version": version, "given_name": "Lost update"})),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("version_conflict"))
    );
    let (status, body) = call(
        "PATCH",
        &person_url,
        Some(&token),
        Some(json!({"version": version + 1, "nationality": "PH"})),
    );
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")));
    let (_, p) = call("GET", &person_url, Some(&token), None);
    assert_eq!(p["given_name_latin"], "Amihan");
    assert_eq!(p["languages"], json!(["tl", "en"]));
    let (_, found) = call(
        "GET",
        &server.url("/api/v1/cases?q=amihan"),
        Some(&token),
        None,
    );
    assert!(
        found
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["id"] == case.as_str()),
        "found by the Latin name"
    );

    // A passport held by the employer is a key indicator.
    let (status, body) = call(
        "POST",
        &server.url(&format!("/api/v1/persons/{person}/documents")),
        Some(&token),
        Some(
            json!({"kind": "passport", "number": "P1234567", "country": "PH", "held_by": "employer"}),
        ),
    );
    assert_eq!(status, 201, "{body}");
    let doc = body["id"].as_str().expect("id").to_string();
    let (_, p) = call("GET", &person_url, Some(&token), None);
    assert_eq!(
        p["key_indicators"],
        json!(["identity_document_held_by_other"])
    );
    let (status, body) = call(
        "PATCH",
        &server.url(&format!("/api/v1/persons/{person}/documents/{doc}")),
        Some(&token),
        Some(json!({"version": 1, "held_by": "person"})),
    );
    assert_eq!((status, body["version"].as_i64()), (200, Some(2)));

    // Upload and download: metadata gone, the download is never rendered or cached.
    let photo = phone_photo();
    let (status, meta) = upload(&server, &token, &case, "passport.jpg", &photo);
    assert_eq!(status, 201, "{meta}");
    assert_eq!(meta["content_type"], "image/jpeg");
    let id = meta["id"].as_str().expect("id").to_string();
    let mut res = agent()
        .get(&server.url(&format!("/api/v1/attachments/{id}")))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("download");
    assert_eq!(res.status().as_u16(), 200);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(header("content-type"), "image/jpeg");
    assert!(header("content-disposition").starts_with("attachment;"));
    assert!(header("content-disposition").contains("passport.jpg"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("cache-control"), "no-store");
    let bytes = res.body_mut().read_to_vec().expect("bytes");
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    assert!(!contains(&bytes, b"GPS-MARKER") && !contains(&bytes, b"COMMENT-MARKER"));
    assert!(
        contains(&bytes, &[0x12, 0x34]),
        "the picture itself is kept"
    );

    // The raw-body form, above the global 64 KiB limit and under the cap.
    let letter = "Contract says 8 hours; she works 16.\n".repeat(2500);
    assert!(letter.len() > 64 * 1024 && letter.len() < CAP);
    let mut res = agent()
        .post(&server.url(&format!("/api/v1/cases/{case}/attachments")))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/octet-stream")
        .header("X-Filename", "contract.txt")
        .send(letter.as_bytes())
        .expect("raw upload");
    assert_eq!(res.status().as_u16(), 201);
    let meta: Value =
        serde_json::from_str(&res.body_mut().read_to_string().expect("body")).expect("json");
    assert_eq!(meta["content_type"], "text/plain; charset=utf-8");
    assert_eq!(meta["filename"], "contract.txt");

    // Type by the bytes; over the cap refused.
    let (status, body) = upload(&server, &token, &case, "scan.pdf", b"PK\x03\x04zipfile");
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_file_type"))
    );
    let (status, body) = upload(&server, &token, &case, "big.txt", &vec![b'a'; CAP + 1000]);
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("file_too_large"))
    );
    let (status, list) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}/attachments")),
        Some(&token),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(list.as_array().expect("list").len(), 2);

    // Best interests: recorded unsigned, signed off by the supervisor only.
    let (status, body) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{case}/best-interests")),
        Some(&token),
        Some(
            json!({"assessment": "Assessed with the child present", "decision": "Stay in the shelter's family unit",
                    "guardian_name": "Appointed guardian"}),
        ),
    );
    assert_eq!(
        (status, body["final"].as_bool()),
        (201, Some(false)),
        "{body}"
    );
    let bi = body["id"].as_str().expect("id").to_string();
    let sign = server.url(&format!("/api/v1/best-interests/{bi}/sign-off"));
    let (status, body) = call("POST", &sign, Some(&token), None);
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("supervisor_required"))
    );
    let supervisor = server.token("supervisor@shelter.demo");
    let (status, body) = call("POST", &sign, Some(&supervisor), None);
    assert_eq!(
        (status, body["final"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
    let (_, list) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}/best-interests")),
        Some(&token),
        None,
    );
    assert_eq!(list[0]["final"], true);

    // Immigration enforcement gets nothing of any of it.
    for email in ["officer@immigration.demo"] {
        let other = server.token(email);
        for (method, url, body) in [
            ("GET", person_url.clone(), None),
            (
                "PATCH",
                person_url.clone(),
                Some(json!({"version": 1, "given_name": "X"})),
            ),
            (
                "POST",
                format!("{person_url}/documents"),
                Some(json!({"kind": "passport", "held_by": "person"})),
            ),
            (
                "GET",
                server.url(&format!("/api/v1/cases/{case}/attachments")),
                None,
            ),
            (
                "GET",
                server.url(&format!("/api/v1/attachments/{id}")),
                None,
            ),
            (
                "GET",
                server.url(&format!("/api/v1/cases/{case}/best-interests")),
                None,
            ),
            ("POST", sign.clone(), None),
        ] {
            let (status, _) = call(method, &url, Some(&other), body);
            assert!(
                status == 404 || status == 403,
                "{email} {method} {url}: {status}"
            );
        }
        let (status, _) = upload(&server, &other, &case, "x.txt", b"hello");
        assert!(status == 404 || status == 403, "{email} upload: {status}");
    }
}
