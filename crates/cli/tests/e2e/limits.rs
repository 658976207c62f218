//! Limits against the real binary, configured as a deployment configures them: trusted
//! proxies from `PASSAGE_TRUSTED_PROXIES`, Secure cookies from an https public URL, and the
//! sign-in throttle that slows the guesser and lets the owner in.

use crate::common::*;
use serde_json::json;

const OWNER: &str = "caseworker@shelter.demo";

fn sign_in(server: &Server, password: &str, forwarded: &str) -> (u16, Option<String>, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut res = agent
        .post(&server.url("/api/v1/auth/token"))
        .header("X-Forwarded-For", forwarded)
        .send_json(json!({ "email": OWNER, "password": password }))
        .expect("request");
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = res.body_mut().read_to_string().unwrap_or_default();
    (res.status().as_u16(), retry, body)
}

/// Behind the one trusted proxy (here the test itself, at 127.0.0.1), a guesser who writes a
/// new leftmost `X-Forwarded-For` entry on every try is still one client: after five failures
/// it owes a wait, even with the right password. The owner, behind the same proxy at another
/// address, signs in.
#[test]
fn forged_forwarded_entries_do_not_reset_the_sign_in_throttle_and_the_owner_gets_in() {
    let server = Server::start_in(
        temp_dir("limits"),
        &[("PASSAGE_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")],
    );
    for i in 0..5 {
        let (status, _, body) = sign_in(
            &server,
            "wrong guess number",
            &format!("192.0.2.{i}, 198.51.100.7"),
        );
        assert_eq!(status, 401, "{body}");
    }
    let (status, retry, body) = sign_in(&server, DEMO_PASSWORD, "192.0.2.99, 198.51.100.7");
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("too_many_attempts"), "{body}");
    assert_eq!(retry.as_deref(), Some("60"));
    let (status, _, body) = sign_in(&server, DEMO_PASSWORD, "198.51.100.8");
    assert_eq!(status, 200, "the owner at another address signs in: {body}");
}

#[test]
fn a_bad_trusted_proxy_list_stops_start_up() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["serve", "--data-dir"])
        .arg(temp_dir("limits-bad"))
        .args(["--listen", "127.0.0.1:0"])
        .env("PASSAGE_TRUSTED_PROXIES", "10.0.0.0/99")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PASSAGE_TRUSTED_PROXIES"), "{err}");
}

/// With an https public URL the cookies are Secure with `__Host-` names, without switching
/// secure cookies on by hand.
#[test]
fn an_https_public_url_makes_the_cookies_secure() {
    let server = Server::start_in(
        temp_dir("limits-https"),
        &[("PASSAGE_PUBLIC_URL", "https://passage.example.org")],
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let res = agent.get(&server.url("/login")).call().expect("request");
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("__Host-passage_login=") && c.contains("; Secure")),
        "{cookies:?}"
    );
}
