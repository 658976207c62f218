//! The restore drill, with the real binary: `passage backup` while the demo world is served, a
//! person erased afterwards, the old backup restored with the newest keyring into a new data
//! directory, and a server started on it: the audit chain verifies, the erased person reads as
//! erased (no error), the others are intact. A changed backup and a wrong master key are
//! refused with a message.

use crate::common::ui_client::{Client, csrf_of};
use crate::common::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn passage(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .env_remove("PASSAGE_MASTER_KEY_FILE")
        .output()
        .expect("run passage")
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn refused(out: &Output, what: &str) -> String {
    assert!(!out.status.success(), "{what} should fail");
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

/// A person and a case registered through the API; returns (person, case).
fn register(server: &Server, token: &str, given: &str) -> (String, String) {
    let (s, p) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(token),
        Some(
            json!({"given_name": given, "family_name": "Drill", "date_of_birth": "1991", "citizenships": ["NP"]}),
        ),
    );
    assert_eq!(s, 201, "{p}");
    let pid = p["id"].as_str().expect("id").to_string();
    let (s, c) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(token),
        Some(
            json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Wages withheld for months."}),
        ),
    );
    assert_eq!(s, 201, "{c}");
    (pid, c["id"].as_str().expect("id").to_string())
}

/// A new data directory holding only the master key of `from`.
fn directory_with_key(tag: &str, from: &Path) -> PathBuf {
    let dir = temp_dir(tag);
    std::fs::copy(from.join("master.key"), dir.join("master.key")).expect("copy key");
    dir
}

#[test]
fn an_old_backup_restored_with_the_newest_keyring_keeps_an_erased_person_erased() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let supervisor = server.token("supervisor@shelter.demo");
    let (amina, amina_case) = register(&server, &worker, "Aminadrill");
    let (_, kept_case) = register(&server, &worker, "Thidrill");
    let out_dir = temp_dir("backups");
    let old = out_dir.join("old.passage-backup");

    // A backup while the server serves.
    let printed = ok(
        &passage(
            &["backup", "--out", old.to_str().expect("path")],
            &server.data_dir,
        ),
        "backup",
    );
    assert!(printed.contains("keyring"), "{printed}");
    let old_ring = out_dir.join("old.passage-backup.keyring");
    assert_eq!((mode(&old), mode(&old_ring)), (0o600, 0o600));
    let key = std::fs::read_to_string(server.data_dir.join("master.key")).expect("key");
    let root = key.lines().next().expect("root");
    assert!(!printed.contains(root), "no key is printed");
    let bytes = std::fs::read(&old).expect("backup");
    assert!(!bytes.windows(10).any(|w| w == b"Aminadrill"));
    assert!(
        !bytes.windows(15).any(|w| w == b"SQLite format 3"),
        "sealed"
    );

    // Under a legal hold the erasure is refused, through the API and on the page.
    let hold = server.url(&format!("/api/v1/cases/{amina_case}/legal-hold"));
    let (s, v) = call("PUT", &hold, Some(&worker), Some(json!({"hold": true})));
    assert_eq!(s, 422, "a caseworker sets no hold: {v}");
    let (s, v) = call("PUT", &hold, Some(&supervisor), Some(json!({"hold": true})));
    assert_eq!((s, v["legal_hold"].as_bool()), (200, Some(true)), "{v}");
    let erase = server.url(&format!("/api/v1/cases/{amina_case}/erase-person"));
    let (s, v) = call(
        "POST",
        &erase,
        Some(&supervisor),
        Some(json!({"reason": "asked by the person", "confirm": true})),
    );
    assert_eq!((s, v["code"].as_str()), (422, Some("legal_hold")), "{v}");
    let mut ui = Client::sign_in(&server, "supervisor@shelter.demo");
    let page = ui.get(&format!("/cases/{amina_case}/erasure"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"erase-refused\""), "{}", page.body);
    let (s, _) = call(
        "PUT",
        &hold,
        Some(&supervisor),
        Some(json!({"hold": false})),
    );
    assert_eq!(s, 200);

    // The supervisor erases the person on the page: confirmation needed.
    let page = ui.get(&format!("/cases/{amina_case}/erasure"));
    let csrf = csrf_of(&page.body);
    let action = format!("/cases/{amina_case}/erasure/erase");
    let page = ui.post(
        &action,
        &[("csrf", &csrf), ("reason", "asked by the person")],
    );
    assert_eq!(page.status, 422, "not confirmed");
    let page = ui.post(
        &action,
        &[
            ("csrf", &csrf),
            ("reason", "asked by the person"),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = ui.get(&format!("/cases/{amina_case}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"person-erased\""));
    assert!(!page.body.contains("Aminadrill"));

    // The newest keyring, after the erasure.
    let newest = out_dir.join("new.passage-backup");
    ok(
        &passage(
            &["backup", "--out", newest.to_str().expect("path")],
            &server.data_dir,
        ),
        "second backup",
    );
    let newest_ring = out_dir.join("new.passage-backup.keyring");
    let source = server.kill();

    // The old data with the newest keyring, into a new directory.
    let restored = directory_with_key("restored", &source);
    let args = [
        "restore",
        "--from",
        old.to_str().expect("path"),
        "--keyring",
        newest_ring.to_str().expect("path"),
    ];
    let printed = ok(&passage(&args, &restored), "restore");
    assert!(printed.contains("audit chain intact"), "{printed}");
    assert!(
        printed.contains("1 persons erased since the backup"),
        "{printed}"
    );
    let again = refused(&passage(&args, &restored), "restore over a database");
    assert!(again.contains("--force"), "{again}");
    ok(&passage(&["audit", "verify"], &restored), "audit verify");

    let server = Server::start_in(restored.clone(), &[]);
    let worker = server.token("caseworker@shelter.demo");
    let (s, c) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{amina_case}")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["person"]["given_name"], "");
    assert!(c["person"]["erased_at"].is_i64(), "{c}");
    let (s, p) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{amina}")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{p}");
    assert!(!p.to_string().contains("Aminadrill"));
    let (s, c) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{kept_case}")),
        Some(&worker),
        None,
    );
    assert_eq!(
        (s, c["person"]["given_name"].as_str()),
        (200, Some("Thidrill"))
    );
    let mut ui = Client::sign_in(&server, "caseworker@shelter.demo");
    let page = ui.get(&format!("/cases/{amina_case}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"person-erased\""));
    let page = ui.get("/cases?q=Aminadrill");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains(&amina_case));
    drop(server);

    // A changed backup is refused, and nothing is left behind.
    let mut bytes = std::fs::read(&old).expect("backup");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    let tampered = out_dir.join("tampered.passage-backup");
    std::fs::write(&tampered, &bytes).expect("write");
    let dir = directory_with_key("tampered", &source);
    let err = refused(
        &passage(
            &[
                "restore",
                "--from",
                tampered.to_str().expect("path"),
                "--keyring",
                newest_ring.to_str().expect("path"),
            ],
            &dir,
        ),
        "a changed backup",
    );
    assert!(err.contains("changed, cut or damaged"), "{err}");
    assert!(!dir.join("passage.db").exists());

    // Another master key is refused by name.
    let dir = temp_dir("wrong-key");
    std::fs::write(dir.join("master.key"), format!("{}\n", "ab".repeat(32))).expect("key");
    let err = refused(
        &passage(&["restore", "--from", old.to_str().expect("path")], &dir),
        "another master key",
    );
    assert!(err.contains("master key"), "{err}");
    assert!(!dir.join("passage.db").exists());
    for d in [source, restored, out_dir] {
        std::fs::remove_dir_all(d).ok();
    }
}
