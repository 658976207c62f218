//! The disk fills up under the embedded database: the data directory is a small tmpfs, a file
//! takes the rest of it while reporters and caseworkers keep writing. Every write is answered
//! 201 or 503 `storage_full` (never 500, never a hang), nothing acknowledged is lost, and once
//! the file is removed the same server takes writes again. Needs root to mount (CI runs as
//! root; elsewhere it is skipped unless `CI` is set).

use crate::common::faults::*;
use crate::common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `mb` megabytes mounted at a new directory, unmounted on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(mb: u32) -> SmallDisk {
        let dir = temp_dir("full-disk");
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={mb}m,mode=0700"),
                "tmpfs",
            ])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "mounting a tmpfs at {}", dir.display());
        SmallDisk(dir)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Writes into `path` until the file system refuses: the disk is full.
fn fill(path: &Path) -> u64 {
    let mut file = std::fs::File::create(path).expect("filler");
    let mut written = 0u64;
    for size in [1 << 20, 64 << 10, 4 << 10, 512] {
        let chunk = vec![0x5a; size];
        while file.write_all(&chunk).is_ok() {
            written += size as u64;
        }
    }
    let _ = file.sync_all();
    written
}

/// Every answer is an acknowledgement or the storage refusal; never a fault of the server.
fn refused_well(a: &Answer, what: &str) {
    assert!(
        a.status == 201 || (a.status == 503 && a.code == "storage_full"),
        "{what} answered {} {} while the disk was full",
        a.status,
        a.code
    );
    if a.status == 503 {
        assert!(
            a.message.contains("free disk space"),
            "a message an operator can act on: {}",
            a.message
        );
    }
}

/// What was acknowledged: receipts of reports, texts of notes.
#[derive(Default)]
struct Writes {
    receipts: Vec<String>,
    notes: Vec<String>,
}

#[test]
fn a_full_disk_refuses_writes_with_503_loses_nothing_and_recovers() {
    if !is_root() {
        cannot_run("mounting a small disk needs root");
        return;
    }
    let disk = SmallDisk::mount(96);
    let dir = disk.0.join("data");
    std::fs::create_dir_all(&dir).expect("data dir");
    let env = [("PASSAGE_PUBLIC_SUBMISSIONS_PER_SOURCE", "100000")];
    let server = Server::start_in(dir.clone(), &env);
    let token = server.token("caseworker@shelter.demo");
    let case = demo_case(&server, &token);
    let form = form_token(&server);
    let agent = patient_agent(30);
    let mut w = Writes::default();
    let write = |w: &mut Writes, n: usize, phase: &str| {
        let mut refused = 0;
        for i in 0..n {
            let text = format!("{phase} report {i} {}", "x".repeat(4000));
            let a = submit_report(&agent, &server, &form, &text);
            refused_well(&a, "a public report");
            if let Some(r) = a.receipt.filter(|_| a.status == 201) {
                w.receipts.push(r);
            } else {
                refused += 1;
            }
            let body = format!("{phase} note {i}");
            let a = add_note(&agent, &server, &token, &case, &body);
            refused_well(&a, "a case note");
            if a.status == 201 {
                w.notes.push(body);
            } else {
                refused += 1;
            }
        }
        refused
    };
    assert_eq!(
        write(&mut w, 10, "before"),
        0,
        "an empty disk takes every write"
    );
    let before = w.receipts.len() + w.notes.len();

    let filler = disk.0.join("filler");
    let filled = fill(&filler);
    // Writes go on until the database needs room it cannot get; some may still fit in pages
    // it had already, and those are acknowledged and must be kept.
    let mut refused = 0;
    let mut rounds = 0;
    while refused < 10 && rounds < 100 {
        refused += write(&mut w, 10, &format!("during {rounds}"));
        rounds += 1;
    }
    assert!(
        refused >= 10,
        "the full disk refused nothing ({filled} bytes filled)"
    );
    let during = w.receipts.len() + w.notes.len();
    let (s, health) = call("GET", &server.url("/healthz"), None, None);
    assert_eq!(s, 200, "the process stays alive: {health}");

    std::fs::remove_file(&filler).expect("space returns");
    assert_eq!(
        write(&mut w, 10, "after"),
        0,
        "the same server takes writes again once space returns"
    );
    let (receipts, notes) = (w.receipts, w.notes);
    let missing = missing_receipts(&server, &receipts);
    assert!(missing.is_empty(), "reports lost: {missing:?}");
    let kept = note_texts(&server, &token, &case);
    let lost: Vec<&String> = notes.iter().filter(|n| !kept.contains(*n)).collect();
    assert!(lost.is_empty(), "notes lost: {lost:?}");
    eprintln!(
        "full disk: {before} writes acknowledged before, {} while full ({refused} refused with storage_full), {} after space returned; all {} found, and again after a restart",
        during - before,
        receipts.len() + notes.len() - during,
        receipts.len() + notes.len()
    );

    // And after a crash: the acknowledged writes were durable, not only in memory.
    let dir = server.kill();
    let server = Server::start_in(dir.clone(), &env);
    let missing = missing_receipts(&server, &receipts);
    assert!(
        missing.is_empty(),
        "reports lost after restart: {missing:?}"
    );
    let token = server.token("caseworker@shelter.demo");
    let kept = note_texts(&server, &token, &case);
    assert!(
        notes.iter().all(|n| kept.contains(n)),
        "notes lost after restart"
    );
    let dir = server.kill();
    let (ok, out) = audit_verifies(&dir, None);
    assert!(ok, "the audit chain verifies: {out}");
}
