//! `passage keys rotate` against the real binary: the demo world is rotated, the server reads
//! every case back unchanged and the audit chain still verifies.

use crate::common::*;
use std::process::Command;

fn passage(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .output()
        .expect("run passage")
}

/// Starts the server again on `dir`: every case reads back as `before`, and the audit chain
/// verifies afterwards. Removes the directory.
fn reads_back_and_verifies(dir: std::path::PathBuf, before: &serde_json::Value) {
    let server = Server::start_in(dir, &[]);
    let token = server.token("caseworker@shelter.demo");
    assert_eq!(&cases(&server, &token), before);
    let dir = server.kill();
    let out = passage(&["audit", "verify"], &dir);
    assert!(
        out.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn cases(server: &Server, token: &str) -> serde_json::Value {
    let (s, list) = call(
        "GET",
        &server.url("/api/v1/cases?limit=200"),
        Some(token),
        None,
    );
    assert_eq!(s, 200);
    let ids: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect();
    assert!(!ids.is_empty(), "the demo world has cases");
    let full: Vec<_> = ids
        .iter()
        .map(|id| {
            let (s, v) = call(
                "GET",
                &server.url(&format!("/api/v1/cases/{id}")),
                Some(token),
                None,
            );
            assert_eq!(s, 200);
            v
        })
        .collect();
    serde_json::json!(full)
}

#[test]
fn rotation_keeps_every_case_readable_and_the_audit_chain_intact() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    let before = cases(&server, &token);
    let dir = server.kill();

    let out = passage(&["keys", "rotate", "--batch", "7"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rotate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("values resealed"), "{stdout}");
    let key = std::fs::read_to_string(dir.join("master.key")).expect("key file");
    let root = key.lines().next().expect("root");
    assert!(!stdout.contains(root), "no key is printed");
    let retired: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("master.key.retired-")
        })
        .collect();
    assert_eq!(retired.len(), 1);
    assert!(!dir.join("master.key.next").exists());

    reads_back_and_verifies(dir, &before);
}

/// `passage keys reseal-persons` after an upgrade: it moves whatever of the demo world is
/// still under the field key, prints counts only, a second run moves nothing, and every case
/// reads back unchanged.
#[test]
fn resealing_persons_moves_what_is_left_once_and_keeps_every_case_readable() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    let before = cases(&server, &token);
    let dir = server.kill();
    let mut said = Vec::new();
    for _ in 0..2 {
        let out = passage(&["keys", "reseal-persons", "--batch", "50"], &dir);
        assert!(
            out.status.success(),
            "reseal-persons: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            stdout.contains("values moved under their person's data key"),
            "{stdout}"
        );
        assert!(
            !stdout.contains("Amina") && !stdout.contains('@'),
            "{stdout}"
        );
        said.push(stdout);
    }
    assert!(
        said[1].starts_with("0 values moved under their person's data key; 0 person keys made"),
        "the second run moves nothing: {}",
        said[1]
    );
    reads_back_and_verifies(dir, &before);
}
