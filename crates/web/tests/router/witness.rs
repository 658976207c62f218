//! A witness's report on the public form: several categories ticked in Arabic, no name, a
//! photo whose GPS position is gone when staff download it, and the day the report and its
//! receipt will be erased, on the confirmation page, the receipt page and in the JSON answer.

use crate::harness::*;
use axum::body::Body;
use axum::http::{Method, Request, header};
use passage_core::{Category, OrgKind, Role};
use passage_web::WebConfig;
use serde_json::json;

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(data);
    s
}

/// A phone photo with its EXIF GPS position and camera.
fn photo_with_gps() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(
        0xE1,
        b"Exif\0\0MM\0*GPSLatitude 36.8065 N GPSLongitude 10.1815 E Model WitnessPhone",
    ));
    j.extend(segment(0xDB, &[0u8; 65]));
    j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0xD9]);
    j
}

/// The day a report sent now is erased with the default retention.
fn expected_expiry() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    passage_core::intake::expires_on(now, passage_core::intake::DEFAULT_RETENTION_DAYS).to_string()
}

async fn app() -> App {
    App::with_config(WebConfig {
        min_fill_seconds: 0,
        ..Default::default()
    })
    .await
}

/// The complaint form posted as a browser posts it (multipart, anonymous).
async fn post_report(app: &App, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Answer {
    let form = app.page("/report?lang=ar", None).await;
    let token = attrs(&form.html(), "input[name=t]", "value").remove(0);
    let boundary = "witness-boundary";
    let mut body = Vec::new();
    let mut part = |name: &str, extra: &str, value: &[u8]| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    };
    part("t", "", token.as_bytes());
    for (k, v) in fields {
        part(k, "", v.as_bytes());
    }
    match file {
        Some((name, bytes)) => part("file", &format!("; filename=\"{name}\""), bytes),
        None => part("file", "; filename=\"\"", b""),
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/report")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.send_from(req, std::net::SocketAddr::from(([203, 0, 113, 9], 50000)))
        .await
}

#[tokio::test]
async fn a_witness_ticks_two_categories_in_arabic_sends_a_photo_and_learns_when_it_is_erased() {
    let app = app().await;
    let intake = app
        .user(OrgKind::Hotline, "intake@h.test", &[Role::Intake])
        .await;
    let outsider = app
        .user(OrgKind::Ngo, "worker@n.test", &[Role::Supervisor])
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "officer@i.test", Role::ALL)
        .await;

    // The form: in Arabic, right to left, a box per category, the witness path, a file field.
    let form = app.page("/report?lang=ar", None).await.html();
    assert_eq!(attrs(&form, "html", "dir"), ["rtl"]);
    assert_eq!(
        attrs(&form, "form[action='/report']", "enctype"),
        ["multipart/form-data"]
    );
    assert_eq!(
        attrs(
            &form,
            "#category input[type=checkbox][name=category]",
            "value"
        )
        .len(),
        Category::ALL.len()
    );
    assert!(
        select(&form, "#category label")
            .iter()
            .any(|l| l.contains("إساءة من الشرطة"))
    );
    assert_eq!(
        select(&form, "label:has(#witness)"),
        ["رأيت هذا يحدث لشخص آخر"]
    );
    assert_eq!(attrs(&form, "input[type=file]", "name"), ["file"]);
    assert!(select(&form, "script:not([src='/static/exit.js'])").is_empty());

    let sent = post_report(
        &app,
        &[
            ("lang", "ar"),
            ("category", "housing"),
            ("category", "abuse_by_officials"),
            ("witness", "yes"),
            ("narrative", "رأيت رجال الشرطة يضربون رجلاً أمام المبنى"),
        ],
        Some(("IMG_2041.jpg", &photo_with_gps())),
    )
    .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let done = sent.html();
    let expiry = select(&done, "#expiry").remove(0);
    assert!(expiry.contains(&expected_expiry()), "{expiry}");
    assert!(expiry.contains("سنمحو"), "{expiry}");
    let receipt: String = select(&done, ".receipt").remove(0).replace(' ', "");

    // The receipt page says it too.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/report/follow-up")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("lang=ar&receipt={receipt}")))
        .expect("request");
    let follow = app
        .send_from(req, std::net::SocketAddr::from(([203, 0, 113, 9], 50000)))
        .await;
    assert_eq!(follow.status, 200, "{}", follow.body);
    assert!(select(&follow.html(), "#expiry")[0].contains(&expected_expiry()));

    // Staff see both categories, a witness, and the photo, without its GPS position.
    let actor = app.actor("intake@h.test").await;
    let id = app
        .store
        .list_reports(&actor, None, 10)
        .await
        .expect("queue")[0]
        .id;
    let page = app.page(&format!("/reports/{id}"), Some(&intake)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    let facts = select(&html, "dl.facts dd").join(" | ");
    assert!(
        facts.contains("Abuse by officials") && facts.contains("Housing"),
        "{facts}"
    );
    assert!(facts.to_lowercase().contains("witness"), "{facts}");
    let links = attrs(&html, ".report-files a", "href");
    assert_eq!(links.len(), 1);
    assert_eq!(select(&html, ".report-files a bdi"), ["IMG_2041.jpg"]);
    let file = app.page(&links[0], Some(&intake)).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.headers[header::CONTENT_TYPE], "image/jpeg");
    assert!(
        file.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    for secret in ["GPSLatitude", "36.8065", "WitnessPhone", "Exif"] {
        assert!(
            !file.body.contains(secret),
            "{secret} left in the stored file"
        );
    }
    assert!(file.body.contains("JFIF"), "the picture itself is kept");
    // Another organisation and immigration enforcement: not found, as for no such file.
    for who in [&outsider, &officer] {
        assert_eq!(app.page(&links[0], Some(who)).await.status, 404);
        assert_eq!(
            app.page(&format!("/reports/{id}"), Some(who)).await.status,
            404
        );
    }
    let api = app
        .api(Method::GET, &format!("/reports/{id}"), Some(&intake), None)
        .await
        .json();
    assert_eq!(api["categories"], json!(["abuse_by_officials", "housing"]));
    assert_eq!(api["reporter_type"], "witness");
    assert_eq!(api["attachments"][0]["content_type"], "image/jpeg");
    let file_id = api["attachments"][0]["id"].as_str().expect("id");
    let path = format!("/reports/{id}/attachments/{file_id}");
    let got = app.api(Method::GET, &path, Some(&intake), None).await;
    assert_eq!(got.status, 200);
    assert!(!got.body.contains("GPSLatitude"));
    for who in [&outsider, &officer] {
        let refused = app.api(Method::GET, &path, Some(who), None).await;
        assert_eq!(refused.status, 404);
        assert_eq!(refused.json()["code"], "not_found");
    }
}

#[tokio::test]
async fn a_file_that_cannot_be_cleaned_is_refused_on_the_form_and_nothing_is_kept() {
    let app = app().await;
    app.user(OrgKind::Hotline, "intake@h.test", &[Role::Intake])
        .await;
    let locked = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF\n";
    let sent = post_report(
        &app,
        &[
            ("lang", "ar"),
            ("category", "threats_violence"),
            ("narrative", "هددونا"),
        ],
        Some(("letter.pdf", locked)),
    )
    .await;
    assert_eq!(sent.status, 422, "{}", sent.body);
    let html = sent.html();
    assert_eq!(attrs(&html, ".error-summary a", "href"), ["#file"]);
    assert!(select(&html, ".error-summary a")[0].contains("PDF"));
    assert_eq!(
        attrs(&html, "input[name=category][checked]", "value"),
        ["threats_violence"],
        "what was ticked is kept"
    );
    let wrong = post_report(
        &app,
        &[("lang", "ar"), ("category", "housing"), ("narrative", "x")],
        Some(("run.exe", b"MZ\x90\0\x03\0")),
    )
    .await;
    assert_eq!(wrong.status, 415);
    let actor = app.actor("intake@h.test").await;
    assert!(
        app.store
            .list_reports(&actor, None, 10)
            .await
            .expect("queue")
            .is_empty()
    );
    // No category at all: the error points at the boxes.
    let none = post_report(&app, &[("lang", "ar"), ("narrative", "x")], None).await;
    assert_eq!(none.status, 422);
    assert_eq!(
        attrs(&none.html(), ".error-summary a", "href"),
        ["#category"]
    );
    // A good photo sent with a form that comes back for something else: the reporter is told
    // to choose the file again, since a browser cannot keep it.
    let photo = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\0\0\0\0\0\0\0\0\0\0\0\0IEND\0\0\0\0";
    let back = post_report(
        &app,
        &[("lang", "ar"), ("narrative", "x")],
        Some(("photo.png", photo)),
    )
    .await;
    assert_eq!(back.status, 422, "{}", back.body);
    let html = back.html();
    assert_eq!(
        attrs(&html, ".error-summary a", "href"),
        ["#category", "#file"]
    );
    assert!(select(&html, ".error-summary a")[1].contains("اختره مرة أخرى"));
}

#[tokio::test]
async fn the_json_door_takes_several_categories_and_answers_the_day_of_erasure() {
    let app = app().await;
    app.user(OrgKind::Hotline, "intake@h.test", &[Role::Intake])
        .await;
    let a = app
        .api(
            Method::POST,
            "/public/reports",
            None,
            Some(json!({"language": "en", "categories": ["sexual_exploitation", "smuggling_dangerous_journey"], "witness": true, "narrative": "Girls kept in a flat"})),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let j = a.json();
    assert_eq!(j["expires_on"], expected_expiry());
    let receipt = j["receipt"].as_str().expect("receipt").to_string();
    let f = app
        .api(
            Method::POST,
            "/public/reports/follow-up",
            None,
            Some(json!({ "receipt": receipt })),
        )
        .await;
    assert_eq!(f.json()["expires_on"], expected_expiry());
    // The older single field still works.
    let old = app
        .api(
            Method::POST,
            "/public/reports",
            None,
            Some(json!({"language": "en", "category": "debt", "narrative": "They keep our passports"})),
        )
        .await;
    assert_eq!(old.status, 201, "{}", old.body);
    let bad = app
        .api(
            Method::POST,
            "/public/reports",
            None,
            Some(json!({"language": "en", "categories": ["housing", "wages"], "narrative": "x"})),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["fields"][0]["field"], "categories");
    let actor = app.actor("intake@h.test").await;
    let queue = app
        .store
        .list_reports(&actor, None, 10)
        .await
        .expect("queue");
    assert_eq!(queue.len(), 2);
    assert!(queue.iter().any(|r| r.categories
        == vec![
            Category::SexualExploitation,
            Category::SmugglingDangerousJourney
        ]));
}
