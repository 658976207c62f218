//! Two Passage processes serving one PostgreSQL database, as behind a load balancer: their
//! migrations may race at start; writes through both at once are all kept; a session opened on
//! one works (and ends) on the other; the sign-in throttle of an account counts the attempts
//! made on both; the audit chain they append to together verifies. Runs when
//! `PASSAGE_TEST_POSTGRES_URL` is set (always in CI), on a database of that server.

use crate::common::faults::*;
use crate::common::*;
use serde_json::json;
use std::sync::Arc;

fn sign_in(server: &Server, email: &str, password: &str) -> u16 {
    call(
        "POST",
        &server.url("/api/v1/auth/token"),
        None,
        Some(json!({"email": email, "password": password})),
    )
    .0
}

#[test]
fn two_instances_on_one_postgresql_share_writes_sessions_throttles_and_the_audit_chain() {
    let Ok(admin_url) = std::env::var("PASSAGE_TEST_POSTGRES_URL") else {
        cannot_run("PASSAGE_TEST_POSTGRES_URL not set");
        return;
    };
    let name = format!("passage_two_{}", std::process::id());
    let url = fresh_database(&admin_url, &name);

    // Both processes migrate an empty database at the same moment.
    let migrations: Vec<_> = (0..2)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_passage"))
                .arg("migrate")
                .arg("--data-dir")
                .arg(temp_dir(&format!("migrate-{i}")))
                .env("PASSAGE_DATABASE_URL", &url)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("migrate")
        })
        .collect();
    for child in migrations {
        let out = child.wait_with_output().expect("migrate");
        assert!(
            out.status.success(),
            "a racing migration: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // One data directory: the two processes share the master key, as deployments must.
    let dir = temp_dir("two");
    let env = [
        ("PASSAGE_DATABASE_URL", url.as_str()),
        ("PASSAGE_PUBLIC_SUBMISSIONS_PER_SOURCE", "100000"),
    ];
    let a = Arc::new(Server::start_in(dir.clone(), &env));
    let b = Arc::new(Server::start_in(dir.clone(), &env));

    // Writes through both at once; the public form's token was fetched from A only, as a
    // reporter's browser gets the form from whichever instance served the page.
    let token = a.token("caseworker@shelter.demo");
    let case = demo_case(&a, &token);
    let form = form_token(&a);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (a, b) = (a.clone(), b.clone());
            let (token, case, form) = (token.clone(), case.clone(), form.clone());
            std::thread::spawn(move || {
                let agent = patient_agent(30);
                let (mut receipts, mut notes, mut refused) = (Vec::new(), Vec::new(), Vec::new());
                for i in 0..50 {
                    let server = if (i + w) % 2 == 0 { &a } else { &b };
                    let r = submit_report(&agent, server, &form, &format!("w{w} report {i}"));
                    match r.receipt {
                        Some(x) if r.status == 201 => receipts.push(x),
                        _ => refused.push((r.status, r.code)),
                    }
                    let text = format!("w{w} note {i}");
                    let n = add_note(&agent, server, &token, &case, &text);
                    if n.status == 201 {
                        notes.push(text);
                    } else {
                        refused.push((n.status, n.code));
                    }
                }
                (receipts, notes, refused)
            })
        })
        .collect();
    let (mut receipts, mut notes, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    for w in workers {
        let (r, n, x) = w.join().expect("worker");
        receipts.extend(r);
        notes.extend(n);
        refused.extend(x);
    }
    assert!(refused.is_empty(), "writes refused: {refused:?}");
    assert_eq!((receipts.len(), notes.len()), (200, 200));
    for server in [&a, &b] {
        let missing = missing_receipts(server, &receipts);
        assert!(missing.is_empty(), "reports lost: {missing:?}");
        let kept = note_texts(server, &token, &case);
        assert!(
            notes.iter().all(|n| kept.contains(n)),
            "notes lost on {}",
            server.base
        );
    }

    // A session opened on A works on B, and signing out on B ends it on A.
    let (s, me) = call("GET", &b.url("/api/v1/me"), Some(&token), None);
    assert_eq!(s, 200, "A's session on B: {me}");
    let (s, _) = call("DELETE", &b.url("/api/v1/auth/token"), Some(&token), None);
    assert!(s < 300, "signing out on B: {s}");
    let (s, _) = call("GET", &a.url("/api/v1/me"), Some(&token), None);
    assert_eq!(s, 401, "the session ended on A too");

    // A guesser's failures on A count on B: after the free attempts on A, B makes it wait too.
    let victim = "supervisor@shelter.demo";
    for i in 0..5 {
        assert_eq!(sign_in(&a, victim, "wrong guess"), 401, "guess {i}");
    }
    assert_eq!(
        sign_in(&a, victim, "wrong guess"),
        429,
        "A makes the guesser wait"
    );
    assert_eq!(
        sign_in(&b, victim, "wrong guess"),
        429,
        "B makes the same guesser wait: the throttle is shared"
    );
    eprintln!(
        "two instances: {} reports and {} notes acknowledged through both, all found on each",
        receipts.len(),
        notes.len()
    );

    drop(a);
    drop(b);
    let (ok, out) = audit_verifies(&dir, Some(&url));
    assert!(ok, "the audit chain both appended to verifies: {out}");
    admin_sql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
}
