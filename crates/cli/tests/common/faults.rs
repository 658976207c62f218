//! What the fault tests share: whether they must run (CI) and may (root), a throwaway
//! PostgreSQL cluster they can stop and start, databases on the CI cluster, and the writes they
//! count (public reports by receipt, case notes by their text).

use super::{Server, call, public_form_token};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// CI sets `CI`: a fault test that cannot run there is a failure, not a skip.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Skips (outside CI) or fails (in CI) a test that cannot run here.
pub fn cannot_run(why: &str) {
    assert!(!ci(), "CI must run this fault test: {why}");
    eprintln!("skipped: {why}");
}

/// A PostgreSQL server of its own, in a temporary directory, on a free port: the test may
/// stop and start it. Stopped and removed on drop.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
}

fn pg_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("pg_ctl").exists())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop()
}

impl Cluster {
    /// Initialises and starts a cluster; `None` when PostgreSQL's programs are not installed.
    pub fn start() -> Option<Cluster> {
        let bin = pg_bin()?;
        let port = TcpPort::free();
        let dir = std::env::temp_dir().join(format!("passage-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cluster dir");
        if is_root() {
            let ok = Command::new("chown")
                .arg("postgres")
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown of the cluster directory");
        }
        let cluster = Cluster { bin, dir, port };
        let data = cluster.dir.join("data");
        let ok = cluster
            .as_postgres("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "initdb of the throwaway cluster");
        cluster.pg_start();
        Some(cluster)
    }

    fn as_postgres(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// The superuser's address of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    pub fn pg_start(&self) {
        let out = self
            .as_postgres("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=on",
                self.port,
                self.dir.display()
            ))
            .args(["-w", "start"])
            .output()
            .expect("pg_ctl start");
        assert!(
            out.status.success(),
            "PostgreSQL started: {}",
            std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
        );
    }

    /// Stops the server the way an operator's restart does (`-m fast`: sessions are cut).
    pub fn pg_stop(&self) {
        let ok = self
            .as_postgres("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "PostgreSQL stopped");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .as_postgres("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

struct TcpPort;

impl TcpPort {
    fn free() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port")
    }
}

/// Runs SQL as the administrator of `admin_url` (creating and dropping databases).
pub fn admin_sql(admin_url: &str, sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        use sqlx::Executor;
        let admin =
            passage_store::Store::connect(admin_url, passage_store::Keys::from_bytes([0; 32]))
                .await
                .expect("connect");
        admin
            .operator("test")
            .unsafe_raw_pool()
            .execute(sqlx::AssertSqlSafe(sql.to_string()))
            .await
            .expect("admin statement");
    });
}

/// A new empty database `name` on the server of `admin_url`; returns its address.
pub fn fresh_database(admin_url: &str, name: &str) -> String {
    admin_sql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
    admin_sql(admin_url, &format!("CREATE DATABASE {name}"));
    format!(
        "{}/{name}",
        admin_url.rsplit_once('/').expect("database in url").0
    )
}

/// `passage audit verify` against the data directory (and database) given.
pub fn audit_verifies(dir: &Path, database_url: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_passage"));
    cmd.args(["audit", "verify", "--data-dir"]).arg(dir);
    match database_url {
        Some(url) => cmd.env("PASSAGE_DATABASE_URL", url),
        None => cmd.env_remove("PASSAGE_DATABASE_URL"),
    };
    let out = cmd.output().expect("audit verify");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// An agent that answers 4xx/5xx as responses and gives up on a request after `secs`.
pub fn patient_agent(secs: u64) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(secs)))
        .build()
        .into()
}

/// One write's answer: its status and code, and what identifies it when acknowledged.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// The receipt (reports) or `None`.
    pub receipt: Option<String>,
}

fn post(agent: &ureq::Agent, url: &str, token: Option<&str>, body: serde_json::Value) -> Answer {
    let mut req = agent.post(url);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    match req.send_json(&body) {
        Ok(mut res) => {
            let status = res.status().as_u16();
            let v: serde_json::Value = res.body_mut().read_json().unwrap_or_default();
            Answer {
                status,
                code: v["code"].as_str().unwrap_or_default().to_string(),
                message: v["message"].as_str().unwrap_or_default().to_string(),
                receipt: v["receipt"].as_str().map(str::to_string),
            }
        }
        // No answer (cut, timed out): never acknowledged.
        Err(_) => Answer {
            status: 0,
            code: String::new(),
            message: String::new(),
            receipt: None,
        },
    }
}

/// Sends a public report.
pub fn submit_report(agent: &ureq::Agent, server: &Server, form_token: &str, text: &str) -> Answer {
    post(
        agent,
        &server.url("/api/v1/public/reports"),
        None,
        json!({"language": "en", "category": "debt", "narrative": text, "form_token": form_token}),
    )
}

/// Adds a case note.
pub fn add_note(
    agent: &ureq::Agent,
    server: &Server,
    token: &str,
    case: &str,
    text: &str,
) -> Answer {
    post(
        agent,
        &server.url(&format!("/api/v1/cases/{case}/notes")),
        Some(token),
        json!({"body": text}),
    )
}

/// The demo case the fault tests write notes on.
pub fn demo_case(server: &Server, token: &str) -> String {
    let (s, cases) = call(
        "GET",
        &server.url("/api/v1/cases?q=santos"),
        Some(token),
        None,
    );
    assert_eq!(s, 200, "{cases}");
    cases[0]["id"].as_str().expect("the demo case").to_string()
}

/// The texts of a case's notes.
pub fn note_texts(server: &Server, token: &str, case: &str) -> std::collections::HashSet<String> {
    let (s, v) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}/notes")),
        Some(token),
        None,
    );
    assert_eq!(s, 200, "{v}");
    v.as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["body"].as_str().map(str::to_string))
        .collect()
}

/// The receipts among `receipts` whose report cannot be opened.
pub fn missing_receipts(server: &Server, receipts: &[String]) -> Vec<String> {
    let follow = server.url("/api/v1/public/reports/follow-up");
    receipts
        .iter()
        .filter(|r| call("POST", &follow, None, Some(json!({"receipt": r}))).0 != 200)
        .cloned()
        .collect()
}

/// A form token for `server`.
pub fn form_token(server: &Server) -> String {
    public_form_token(server)
}
