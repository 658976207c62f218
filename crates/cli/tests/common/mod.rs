//! Starts the real `passage` binary for end-to-end tests: a fresh data directory, a free port,
//! the demo world with a known password. The server is killed when the handle drops.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub mod faults;
pub mod ui_client;

pub const DEMO_PASSWORD: &str = "correct horse battery staple";
pub const TWILIO_TOKEN: &str = "twilio-test-auth-token";
pub const RAPIDPRO_TOKEN: &str = "rapidpro-test-secret";

pub struct Server {
    pub base: String,
    pub data_dir: PathBuf,
    child: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "passage-{tag}-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

impl Server {
    /// Starts `passage serve --demo` on SQLite in a new data directory.
    pub fn start() -> Server {
        Server::start_in(temp_dir("e2e"), &[])
    }

    /// Starts in `data_dir` with extra environment variables.
    pub fn start_in(data_dir: PathBuf, env: &[(&str, &str)]) -> Server {
        Server::launch(data_dir, env, true)
    }

    /// Starts in `data_dir` without the demo world: a deployment's own start.
    pub fn start_plain(data_dir: PathBuf, env: &[(&str, &str)]) -> Server {
        Server::launch(data_dir, env, false)
    }

    fn launch(data_dir: PathBuf, env: &[(&str, &str)], demo: bool) -> Server {
        let port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_passage"));
        cmd.args(["serve", "--data-dir"])
            .arg(&data_dir)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("PASSAGE_DEMO_PASSWORD", DEMO_PASSWORD)
            .env_remove("PASSAGE_DATABASE_URL")
            .env_remove("PASSAGE_REQUIRE_2FA")
            .env("RUST_LOG", "info")
            .env("PASSAGE_MIN_FILL_SECONDS", "0")
            // No person key kept between requests: every page must load the keys it opens,
            // as a server must for persons another server made.
            .env("PASSAGE_PERSON_KEY_CACHE", "0")
            .env("PASSAGE_TWILIO_AUTH_TOKEN", TWILIO_TOKEN)
            .env("PASSAGE_RAPIDPRO_TOKEN", RAPIDPRO_TOKEN)
            .stdout(Stdio::null())
            .stderr(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(data_dir.join("server.log"))
                    .expect("log file"),
            );
        if demo {
            cmd.arg("--demo");
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start passage");
        let server = Server {
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
            child,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = ureq::get(&format!("{}/healthz", self.base)).call()
                && r.status() == 200
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("passage did not become ready at {}", self.base);
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data_dir.join("server.log")).unwrap_or_default()
    }

    /// Stops the server (as a crash would: SIGKILL) and keeps the data directory.
    pub fn kill(mut self) -> PathBuf {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.data_dir.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An API token for a demo user.
    pub fn token(&self, email: &str) -> String {
        let body = serde_json::json!({"email": email, "password": DEMO_PASSWORD});
        let mut res = agent()
            .post(&self.url("/api/v1/auth/token"))
            .send_json(&body)
            .expect("token request");
        assert_eq!(res.status(), 200, "login of {email}");
        let v: serde_json::Value = res.body_mut().read_json().expect("json");
        v["token"].as_str().expect("token").to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP agent that returns 4xx/5xx as responses instead of errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A JSON request with an optional bearer token; returns status and parsed body (Null if none).
/// A time token for public reports over the API (the harness's server asks for no wait).
pub fn public_form_token(server: &Server) -> String {
    let (s, v) = call(
        "GET",
        &server.url("/api/v1/public/reports/form-token"),
        None,
        None,
    );
    assert_eq!(s, 200, "{v}");
    v["form_token"].as_str().expect("form token").to_string()
}

pub fn call(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let a = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let res = match (method, body) {
        ("GET", _) => {
            let mut r = a.get(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        ("DELETE", _) => {
            let mut r = a.delete(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        ("PUT", body) => {
            let mut r = a.put(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.send_json(body.unwrap_or(serde_json::Value::Null))
        }
        ("PATCH", body) => {
            let mut r = a.patch(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.send_json(body.unwrap_or(serde_json::Value::Null))
        }
        (_, body) => {
            let mut r = a.post(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.send_json(body.unwrap_or(serde_json::Value::Null))
        }
    };
    let mut res = res.expect("request");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}
