//! The person, consent, documents and child pages without a browser, against the real binary:
//! plain forms with CSRF (multipart for uploads), post/redirect/get, errors on the page, the key
//! indicator and the unsigned decisions shown, immigration enforcement refused.

use crate::common::ui_client::*;
use crate::common::*;

/// The value of the hidden `version` input of the identity form.
fn version_of(html: &str) -> String {
    let key = "id=\"version\" name=\"version\" value=\"";
    let at = html.find(key).expect("a version field") + key.len();
    html[at..].split('"').next().unwrap_or_default().to_string()
}

fn first_case(server: &Server) -> String {
    let token = server.token("caseworker@shelter.demo");
    let (_, cases) = call("GET", &server.url("/api/v1/cases"), Some(&token), None);
    cases[0]["id"].as_str().expect("case").to_string()
}

fn photo() -> Vec<u8> {
    let seg = |m: u8, d: &[u8]| {
        let mut v = vec![0xFF, m];
        v.extend_from_slice(&((d.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(d);
        v
    };
    let mut j = vec![0xFF, 0xD8];
    j.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(seg(0xE1, b"Exif\0\0MM\0*GPS-MARKER 14.5995N 120.9842E"));
    j.extend(seg(0xDB, &[0u8; 65]));
    j.extend(seg(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(seg(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    j
}

#[test]
fn the_person_page_edits_identity_and_documents() {
    let server = Server::start();
    let case = first_case(&server);
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");
    let path = format!("/cases/{case}/person");
    let p = c.get(&path);
    assert_eq!(p.status, 200);
    let html = p.text();
    assert!(html.contains("Migration status <span class=\"tag\">firewalled</span>"));
    assert!(
        html.contains(
            "href=\"/cases/{case}/consent\""
                .replace("{case}", &case)
                .as_str()
        )
    );
    let csrf = csrf_of(&html);
    let version = version_of(&html);

    // A passport held by the employer shows as a key indicator.
    let res = c.post(
        &format!("{path}/documents"),
        &[
            ("csrf", &csrf),
            ("kind", "passport"),
            ("number", "P9988776"),
            ("country", "PH"),
            ("held_by", "employer"),
        ],
    );
    assert_eq!(res.status, 303);
    let html = c.get(&path).text();
    assert!(html.contains("Key indicator"));
    assert!(html.contains("key indicator: not held by the person"));

    // Identity saved with the version; typed errors come back linked to their fields.
    let res = c.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("given_name", "Maria"),
            ("family_name", "Santos"),
            ("given_name_latin", "Maria"),
            ("languages", "tl en"),
            ("contacts", "phone: +63 917 111 2222\nmaria@example.org"),
            ("vulnerabilities", "domestic_worker"),
            ("vulnerabilities", "gbv_survivor"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(
        res.location,
        format!("{path}?done=saved"),
        "back to the page, saying so"
    );
    let html = c.get(&path).text();
    assert!(
        html.contains("email: maria@example.org"),
        "a bare e-mail is recognised"
    );
    assert!(html.contains("Domestic worker, Survivor of gender-based violence"));
    let res = c.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("given_name", "Lost update"),
        ],
    );
    assert_eq!(res.status, 409);
    assert!(res.text().contains("Someone changed this"));
    let fresh = version_of(&c.get(&path).text());
    let res = c.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", &fresh),
            ("given_name", "Maria"),
            ("date_of_birth", "1990-02-30"),
            ("given_name_latin", "Мария"),
        ],
    );
    assert_eq!(res.status, 422);
    let html = res.text();
    assert!(html.contains("href=\"#date_of_birth\""));
    assert!(html.contains("href=\"#given_name_latin\""));
    assert!(
        html.contains("value=\"1990-02-30\""),
        "what was typed is kept"
    );

    // Without the CSRF token nothing changes.
    let res = c.post(
        &format!("{path}/documents"),
        &[("kind", "visa"), ("held_by", "person")],
    );
    assert_eq!(res.status, 403);

    // Immigration enforcement gets no page.
    let mut officer = Client::sign_in(&server, "officer@immigration.demo");
    let res = officer.get(&path);
    assert!(res.status == 404 || res.status == 403, "{}", res.status);
    assert!(!res.text().contains("Maria"));
}

#[test]
fn consent_attachments_and_child_pages() {
    let server = Server::start();
    let case = first_case(&server);
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");

    // Consent: record, see it in force, withdraw, see it withdrawn.
    let consent = format!("/cases/{case}/consent");
    let html = c.get(&consent).text();
    let csrf = csrf_of(&html);
    assert!(
        !html.contains("Border and Immigration Enforcement"),
        "immigration enforcement is never offered"
    );
    let res = c.post(
        &consent,
        &[
            ("csrf", &csrf),
            ("purpose", "services"),
            ("basis", "consent"),
            ("method", "verbal"),
            ("language", "tl"),
        ],
    );
    assert_eq!(res.status, 303);
    let html = c.get(&consent).text();
    assert!(html.contains("In force"));
    let at = html.find("/withdraw\"").expect("a withdraw form");
    let start = html[..at].rfind("/consent/").expect("consent id") + "/consent/".len();
    let id = html[start..at].to_string();
    let res = c.post(
        &format!("{consent}/{id}/withdraw"),
        &[("csrf", &csrf), ("method", "written")],
    );
    assert_eq!(res.status, 303);
    let html = c.get(&consent).text();
    assert!(html.contains("Withdrawn") && html.contains("(Written)"));
    let res = c.post(
        &consent,
        &[
            ("csrf", &csrf),
            ("purpose", "services"),
            ("basis", "vital_interest"),
        ],
    );
    assert_eq!(res.status, 422);
    assert!(res.text().contains("href=\"#reason\""));

    // Attachments: multipart upload, listed, downloaded without its metadata.
    let files = format!("/cases/{case}/attachments");
    let html = c.get(&files).text();
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let res = c.upload(&files, &[("csrf", &csrf)], ("payslip.jpg", &photo()));
    assert_eq!(res.status, 303, "{}", res.text());
    let html = c.get(&files).text();
    assert!(html.contains("payslip.jpg"));
    let at = html.find("\" download>").expect("a download link");
    let start = html[..at].rfind("href=\"").expect("href") + "href=\"".len();
    let link = html[start..at].to_string();
    let file = c.get(&link);
    assert_eq!(file.status, 200);
    assert!(file.header("content-disposition").starts_with("attachment"));
    assert_eq!(file.header("x-content-type-options"), "nosniff");
    assert_eq!(file.header("cache-control"), "no-store");
    assert!(file.bytes.starts_with(&[0xFF, 0xD8]));
    assert!(!file.bytes.windows(10).any(|w| w == b"GPS-MARKER"));
    let res = c.upload(&files, &[("csrf", &csrf)], ("tool.exe", b"MZ\x90\0\x03\0"));
    assert_eq!(res.status, 415);
    assert!(res.text().contains("Only PDF, JPEG, PNG and plain text"));
    let res = c.upload(&files, &[("csrf", "wrong")], ("payslip.jpg", &photo()));
    assert_eq!(res.status, 403);
    assert_eq!(
        c.get(&files).text().matches("\" download>").count(),
        1,
        "refused uploads stored nothing"
    );

    // Child: a caseworker's decision is not final and they cannot sign it off…
    let child = format!("/cases/{case}/child");
    let res = c.post(
        &child,
        &[
            ("csrf", &csrf),
            ("assessment", "Spoke with the child and the aunt"),
            ("decision", "Stay with the aunt, weekly visits"),
            ("guardian_name", "Aunt"),
        ],
    );
    assert_eq!(res.status, 303);
    let html = c.get(&child).text();
    let article = |html: &str, text: &str| -> String {
        html.split("<article")
            .find(|a| a.contains(text))
            .expect("the decision is shown")
            .to_string()
    };
    let mine = "Stay with the aunt, weekly visits";
    assert!(article(&html, mine).contains("NOT FINAL"));
    assert!(html.contains("not final</strong>"));
    assert!(!html.contains("Sign off this decision"));
    // …a supervisor can.
    let mut sup = Client::sign_in(&server, "supervisor@shelter.demo");
    let html = sup.get(&child).text();
    assert!(html.contains("Sign off this decision"));
    let at = html.find("/sign-off\"").expect("a sign-off form");
    let start = html[..at].rfind("/child/").expect("id") + "/child/".len();
    let bi = html[start..at].to_string();
    let sup_csrf = csrf_of(&html);
    let res = sup.post(&format!("{child}/{bi}/sign-off"), &[("csrf", &sup_csrf)]);
    assert_eq!(res.status, 303);
    let html = c.get(&child).text();
    assert!(article(&html, mine).contains("Final decision"));
    assert!(!article(&html, mine).contains("NOT FINAL"));
    // Signing again is refused on the page.
    let res = sup.post(&format!("{child}/{bi}/sign-off"), &[("csrf", &sup_csrf)]);
    assert_eq!(res.status, 422);
    assert!(res.text().contains("already signed off"));

    let mut officer = Client::sign_in(&server, "officer@immigration.demo");
    for path in [&consent, &files, &child, &link] {
        let res = officer.get(path);
        assert!(
            res.status == 404 || res.status == 403,
            "{path}: {}",
            res.status
        );
    }
}
