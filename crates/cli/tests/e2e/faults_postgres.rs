//! PostgreSQL restarted under load: Passage serves on a throwaway cluster while reporters and
//! a caseworker write; the cluster is stopped (`-m fast`) and started again. While it is down,
//! writes are refused at once with 503 `database_unavailable` (never a hang, never a 500) and
//! `/readyz` says unavailable; once it is back, the same Passage process takes writes again;
//! every acknowledged write is there. Runs when `PASSAGE_TEST_POSTGRES_URL` is set (always in
//! CI); it starts its own cluster, since it must restart it.

use crate::common::faults::*;
use crate::common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the load saw: acknowledged writes and every refusal by status and code.
#[derive(Default)]
struct Seen {
    receipts: Vec<String>,
    notes: Vec<String>,
    refusals: Vec<(u16, String)>,
}

fn acknowledged(seen: &Mutex<Seen>) -> usize {
    seen.lock()
        .map(|s| s.receipts.len() + s.notes.len())
        .unwrap_or(0)
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "{what} did not happen");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn postgresql_restarted_under_load_fails_fast_and_recovers_without_losing_a_write() {
    if std::env::var("PASSAGE_TEST_POSTGRES_URL").is_err() {
        cannot_run("PASSAGE_TEST_POSTGRES_URL not set");
        return;
    }
    let Some(cluster) = Cluster::start() else {
        cannot_run("the PostgreSQL programs are not installed");
        return;
    };
    let url = fresh_database(&cluster.url("postgres"), "passage_restart");
    let env = [
        ("PASSAGE_DATABASE_URL", url.as_str()),
        ("PASSAGE_PUBLIC_SUBMISSIONS_PER_SOURCE", "100000"),
    ];
    let server = Arc::new(Server::start_in(temp_dir("pg-restart"), &env));
    let token = server.token("caseworker@shelter.demo");
    let case = demo_case(&server, &token);
    let form = form_token(&server);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (server, seen, stop) = (server.clone(), seen.clone(), stop.clone());
            let (token, case, form) = (token.clone(), case.clone(), form.clone());
            std::thread::spawn(move || {
                // A request that hangs past this is a failure of the test, not a refusal.
                let agent = patient_agent(20);
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let note = format!("worker {w} note {i}");
                    let a = if i % 2 == 0 {
                        add_note(&agent, &server, &token, &case, &note)
                    } else {
                        submit_report(&agent, &server, &form, &format!("worker {w} report {i}"))
                    };
                    let Ok(mut s) = seen.lock() else { return };
                    match (a.status, a.receipt) {
                        (201, Some(r)) => s.receipts.push(r),
                        (201, None) => s.notes.push(note),
                        (status, _) => s.refusals.push((status, a.code)),
                    }
                    drop(s);
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        })
        .collect();

    wait_for("load building up", || acknowledged(&seen) >= 100);
    cluster.pg_stop();
    let before_stop = acknowledged(&seen);
    // While the database is down: refused, at once, with the code that says why.
    let agent = patient_agent(20);
    let (s, ready) = call("GET", &server.url("/readyz"), None, None);
    assert_eq!(
        (s, ready["code"].as_str()),
        (503, Some("database_unavailable")),
        "{ready}"
    );
    let (s, _) = call("GET", &server.url("/healthz"), None, None);
    assert_eq!(s, 200, "liveness does not depend on the database");
    let a = submit_report(&agent, &server, &form, "while the database is down");
    assert_eq!((a.status, a.code.as_str()), (503, "database_unavailable"));
    assert!(!a.message.is_empty());
    let a = add_note(&agent, &server, &token, &case, "while the database is down");
    assert_eq!((a.status, a.code.as_str()), (503, "database_unavailable"));
    wait_for("the load meeting the outage", || {
        seen.lock().map(|s| s.refusals.len() >= 20).unwrap_or(false)
    });

    cluster.pg_start();
    wait_for("readiness after the restart", || {
        call("GET", &server.url("/readyz"), None, None).0 == 200
    });
    let resumed = acknowledged(&seen);
    wait_for("writes after the restart", || {
        acknowledged(&seen) >= resumed + 100
    });
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let seen = std::mem::take(&mut *seen.lock().expect("seen"));
    let odd: Vec<&(u16, String)> = seen
        .refusals
        .iter()
        .filter(|(s, c)| !(*s == 503 && c == "database_unavailable"))
        .collect();
    assert!(
        odd.is_empty(),
        "every refusal is 503 database_unavailable, none hung (0) or failed (500): {odd:?}"
    );
    let missing = missing_receipts(&server, &seen.receipts);
    assert!(missing.is_empty(), "reports lost: {missing:?}");
    let kept = note_texts(&server, &token, &case);
    let lost: Vec<&String> = seen.notes.iter().filter(|n| !kept.contains(*n)).collect();
    assert!(lost.is_empty(), "notes lost: {lost:?}");
    eprintln!(
        "postgres restart: {} reports and {} notes acknowledged ({before_stop} before the stop), {} refused with database_unavailable, all found",
        seen.receipts.len(),
        seen.notes.len(),
        seen.refusals.len()
    );
    let dir = server.data_dir.clone();
    drop(server);
    let (ok, out) = audit_verifies(&dir, Some(&url));
    assert!(ok, "the audit chain verifies: {out}");
}
