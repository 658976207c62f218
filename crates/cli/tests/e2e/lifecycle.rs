//! Restarts, the demo world and `passage audit verify` against the real binary.

use crate::common::*;
use std::process::Command;

fn verify(dir: &std::path::Path) -> (bool, String) {
    audit(dir, &["verify"])
}

/// `passage audit ARGS --data-dir DIR` on the SQLite file: success and what it printed.
fn audit(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_passage"))
        .arg("audit")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run passage audit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn tamper(dir: &std::path::Path, sql: &'static str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let keys = passage_store::Keys::load(&dir.join("master.key")).expect("key");
        let url = format!("sqlite://{}", dir.join("passage.db").display());
        let store = passage_store::Store::connect(&url, keys)
            .await
            .expect("open");
        sqlx_execute(&store, sql).await;
    });
}

async fn sqlx_execute(store: &passage_store::Store, sql: &'static str) {
    use sqlx::Executor;
    store
        .operator("test")
        .unsafe_raw_pool()
        .execute(sql)
        .await
        .expect("tamper");
}

#[test]
fn the_demo_world_is_seeded_once_and_survives_restarts() {
    let server = Server::start();
    let token = server.token("supervisor@shelter.demo");
    let (_, first) = call("GET", &server.url("/api/v1/cases"), Some(&token), None);
    let dir = server.kill();
    let server = Server::start_in(dir, &[]);
    let token = server.token("supervisor@shelter.demo");
    let (_, second) = call("GET", &server.url("/api/v1/cases"), Some(&token), None);
    // The shelter's five named cases and its closed history fill the first page.
    assert_eq!(first.as_array().map(Vec::len), Some(50));
    assert_eq!(
        first, second,
        "a restart neither duplicates nor loses the demo world"
    );
}

#[test]
fn audit_verify_names_the_first_bad_event() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    call("GET", &server.url("/api/v1/cases"), Some(&token), None);
    let dir = server.kill();
    let (ok, text) = verify(&dir);
    assert!(ok, "{text}");
    let n: u64 = text
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("a count");
    assert!(n > 20, "{text}");

    tamper(
        &dir,
        "UPDATE audit_events SET action = 'case.create' WHERE seq = 12",
    );
    let (ok, text) = verify(&dir);
    assert!(!ok && text.contains("sequence 12"), "{text}");
    // Deleting an earlier event is caught too, and named first.
    tamper(&dir, "DELETE FROM audit_events WHERE seq = 9");
    let (ok, text) = verify(&dir);
    assert!(!ok && text.contains("sequence 9"), "{text}");
}

/// An event slipped in below sequence 1 is not skipped, and an emptied log (events deleted,
/// head reset) is not reported intact.
#[test]
fn audit_verify_counts_from_one_and_refuses_an_emptied_log() {
    let server = Server::start();
    let dir = server.kill();
    assert!(verify(&dir).0);
    tamper(
        &dir,
        "INSERT INTO audit_events (seq, at, actor_user, actor_org, action, object_type, object_id, outcome, purpose, prev_hash, hash) \
         SELECT 0, at, actor_user, actor_org, action, object_type, object_id, outcome, purpose, prev_hash, hash FROM audit_events WHERE seq = 1",
    );
    let (ok, text) = verify(&dir);
    assert!(!ok && text.contains("sequence 1"), "{text}");
    tamper(&dir, "DELETE FROM audit_events");
    tamper(
        &dir,
        "UPDATE audit_head SET seq = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000'",
    );
    let (ok, text) = verify(&dir);
    assert!(!ok && text.contains("empty"), "{text}");
}

fn checkpoint(dir: &std::path::Path) -> String {
    let (ok, text) = audit(dir, &["checkpoint"]);
    assert!(ok, "{text}");
    text
}

fn verify_since(dir: &std::path::Path, file: &std::path::Path) -> (bool, String) {
    let file = file.to_string_lossy();
    audit(dir, &["verify", "--checkpoint", &file])
}

/// A rewind that leaves a consistent chain (the tail cut, the head moved back) passes a plain
/// verify; against a checkpoint cut before, it fails. An altered checkpoint is refused.
#[test]
fn a_signed_checkpoint_proves_the_log_was_not_rewound() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    call("GET", &server.url("/api/v1/cases"), Some(&token), None);
    let dir = server.kill();
    let text = checkpoint(&dir);
    assert!(
        text.starts_with("passage audit checkpoint v1\nseq: "),
        "{text}"
    );
    let file = dir.join("checkpoint.txt");
    std::fs::write(&file, &text).expect("write");
    let (ok, out) = verify_since(&dir, &file);
    assert!(ok && out.contains("holds the checkpoint"), "{out}");
    // More happens after the checkpoint: still holds.
    let server = Server::start_in(dir, &[]);
    let token = server.token("caseworker@shelter.demo");
    call("GET", &server.url("/api/v1/cases"), Some(&token), None);
    let dir = server.kill();
    assert!(verify_since(&dir, &file).0);
    // The attack: cut the log to well before the checkpoint and move the head back.
    tamper(
        &dir,
        "DELETE FROM audit_events WHERE seq > (SELECT MAX(seq) - 40 FROM audit_events)",
    );
    tamper(
        &dir,
        "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_events), \
         hash = (SELECT hash FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events))",
    );
    assert!(verify(&dir).0, "the cut chain is consistent in itself");
    let (ok, out) = verify_since(&dir, &file);
    assert!(!ok && out.contains("cut or rewound"), "{out}");
    // A checkpoint edited to an earlier sequence is refused, not believed.
    let seq: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("seq: "))
        .and_then(|n| n.parse().ok())
        .expect("seq");
    std::fs::write(&file, text.replace(&format!("seq: {seq}"), "seq: 3")).expect("write");
    let (ok, out) = verify_since(&dir, &file);
    assert!(!ok && out.contains("signature"), "{out}");
}

/// The same binary on PostgreSQL: `PASSAGE_DATABASE_URL` switches the engine.
#[test]
fn the_binary_serves_on_postgresql_when_a_url_says_so() {
    let Ok(admin_url) = std::env::var("PASSAGE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the PostgreSQL end-to-end test"
        );
        eprintln!("PASSAGE_TEST_POSTGRES_URL not set: skipped");
        return;
    };
    let name = format!("passage_e2e_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        use sqlx::Executor;
        let admin =
            passage_store::Store::connect(&admin_url, passage_store::Keys::from_bytes([0; 32]))
                .await
                .expect("connect");
        admin
            .operator("test")
            .unsafe_raw_pool()
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .await
            .expect("drop");
        admin
            .operator("test")
            .unsafe_raw_pool()
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create");
    });
    let url = format!(
        "{}/{name}",
        admin_url.rsplit_once('/').expect("database in url").0
    );
    let server = Server::start_in(temp_dir("pg"), &[("PASSAGE_DATABASE_URL", &url)]);
    let token = server.token("caseworker@shelter.demo");
    let (s, cases) = call(
        "GET",
        &server.url("/api/v1/cases?q=santos"),
        Some(&token),
        None,
    );
    assert_eq!(s, 200);
    let id = cases[0]["id"].as_str().expect("the demo case").to_string();
    let (s, case) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{id}")),
        Some(&token),
        None,
    );
    assert_eq!(
        (s, case["person"]["family_name"].as_str()),
        (200, Some("Santos"))
    );
    assert!(
        !std::fs::exists(server.data_dir.join("passage.db")).unwrap_or(true),
        "no SQLite file when PostgreSQL is chosen"
    );
    let dir = server.kill();
    let out = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["audit", "verify", "--data-dir"])
        .arg(&dir)
        .env("PASSAGE_DATABASE_URL", &url)
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
