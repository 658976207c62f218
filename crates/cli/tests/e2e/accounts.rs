//! Staff accounts with the real binary: the second factor on the API and the sign-in page, a
//! deployment's own start requiring it of supervisors, and an administrator's invitation that
//! gives no case read until a second person approves (issue 12).

use crate::common::ui_client::{Client, csrf_of};
use crate::common::*;
use passage_core::totp;
use serde_json::json;
use std::process::Command;

/// The secret shown on an enrolment page.
fn secret_on(html: &str) -> Vec<u8> {
    let marker = "<code id=\"totp-secret\">";
    let at = html.find(marker).expect("a secret to enrol") + marker.len();
    let end = at + html[at..].find('<').expect("end of the secret");
    totp::base32_decode(&html[at..end]).expect("base32")
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Signs in with the password, then enrols the second factor the page shows. Returns the
/// secret and the page after the code (the recovery codes).
fn sign_in_and_enrol(c: &mut Client, email: &str, password: &str) -> (Vec<u8>, ui_client::Page) {
    let login = c.get("/login");
    let res = c.post(
        "/login",
        &[
            ("csrf", &csrf_of(&login.body)),
            ("email", email),
            ("password", password),
        ],
    );
    assert_eq!((res.status, res.location.as_str()), (303, "/login/code"));
    let page = c.get("/login/code");
    assert_eq!(page.status, 200);
    let secret = secret_on(&page.body);
    let code = totp::code_at(&secret, totp::step_of(unix_now()));
    let done = c.post(
        "/login/code",
        &[("csrf", &csrf_of(&page.body)), ("code", &code)],
    );
    (secret, done)
}

#[test]
fn with_2fa_required_a_token_needs_a_code() {
    let server = Server::start_in(temp_dir("2fa"), &[("PASSAGE_REQUIRE_2FA", "true")]);
    let email = "caseworker@shelter.demo";
    let url = server.url("/api/v1/auth/token");
    let (status, body) = call(
        "POST",
        &url,
        None,
        Some(json!({"email": email, "password": DEMO_PASSWORD})),
    );
    assert_eq!(status, 401);
    assert_eq!(body["code"], "second_factor_required");
    let (status, body) = call(
        "POST",
        &url,
        None,
        Some(json!({"email": email, "password": "wrong", "totp": "123456"})),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );

    // The sign-in page leads through enrolment before any page.
    let mut c = Client::new(&server);
    let (secret, done) = sign_in_and_enrol(&mut c, email, DEMO_PASSWORD);
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        done.body.matches("<li><code>").count(),
        10,
        "ten recovery codes"
    );
    assert_eq!(c.get("/cases").status, 200);

    // A code of the next step is within the window and was not used yet.
    let code = totp::code_at(&secret, totp::step_of(unix_now()) + 1);
    let (status, body) = call(
        "POST",
        &url,
        None,
        Some(json!({"email": email, "password": DEMO_PASSWORD, "totp": code})),
    );
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token");
    let (status, _) = call("GET", &server.url("/api/v1/me"), Some(token), None);
    assert_eq!(status, 200);
    // The same code again is refused as a wrong password is.
    let (status, body) = call(
        "POST",
        &url,
        None,
        Some(json!({"email": email, "password": DEMO_PASSWORD, "totp": code})),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );

    // The page's second step: a wrong code is refused and the page asks again.
    let mut again = Client::new(&server);
    let login = again.get("/login");
    again.post(
        "/login",
        &[
            ("csrf", &csrf_of(&login.body)),
            ("email", email),
            ("password", DEMO_PASSWORD),
        ],
    );
    let page = again.get("/login/code");
    assert!(
        !page.body.contains("totp-secret"),
        "enrolled: no new secret"
    );
    let wrong = again.post(
        "/login/code",
        &[("csrf", &csrf_of(&page.body)), ("code", "abcdef")],
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(again.get("/cases").location, "/login");
}

fn passage(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> bool {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_passage"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("PASSAGE_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("passage");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write");
    }
    child.wait().expect("wait").success()
}

#[test]
fn a_supervisor_in_a_deployments_own_start_must_enrol() {
    let dir = temp_dir("2fa-plain");
    assert!(passage(
        &dir,
        &[
            "org",
            "add",
            "--name",
            "Shelter",
            "--kind",
            "ngo",
            "--country",
            "GB"
        ],
        None,
    ));
    let pw = "a long enough password\n";
    for (email, role) in [
        ("sup@ngo.test", "supervisor"),
        ("cw@ngo.test", "caseworker"),
    ] {
        assert!(passage(
            &dir,
            &[
                "user", "add", "--email", email, "--name", email, "--org", "Shelter", "--role",
                role
            ],
            Some(pw),
        ));
    }
    // The operator cannot give a role the organisation's kind forbids.
    assert!(!passage(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "c@ngo.test",
            "--name",
            "C",
            "--org",
            "Shelter",
            "--role",
            "consular"
        ],
        Some(pw),
    ));
    let server = Server::start_plain(dir, &[]);
    let url = server.url("/api/v1/auth/token");
    let password = pw.trim_end();
    let (status, body) = call(
        "POST",
        &url,
        None,
        Some(json!({"email": "sup@ngo.test", "password": password})),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("second_factor_required"))
    );
    // A caseworker signs in with the password alone unless every role is required.
    let (status, _) = call(
        "POST",
        &url,
        None,
        Some(json!({"email": "cw@ngo.test", "password": password})),
    );
    assert_eq!(status, 200);
    let mut c = Client::new(&server);
    let (_, done) = sign_in_and_enrol(&mut c, "sup@ngo.test", password);
    assert_eq!(done.status, 200);
    assert_eq!(c.get("/cases").status, 200);
}
