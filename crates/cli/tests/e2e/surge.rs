//! Nothing lost under a surge: concurrent public submissions, the server killed with SIGKILL in
//! the middle, restarted; every receipt that was acknowledged must open its report.

use crate::common::*;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[test]
fn every_acknowledged_submission_survives_a_crash() {
    let dir = temp_dir("surge");
    let env = [("PASSAGE_PUBLIC_SUBMISSIONS_PER_SOURCE", "100000")];
    let server = Server::start_in(dir.clone(), &env);
    let url = server.url("/api/v1/public/reports");
    let form_token = public_form_token(&server);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (url, acknowledged, stop) = (url.clone(), acknowledged.clone(), stop.clone());
            let form_token = form_token.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(5)))
                    .build()
                    .into();
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 2_000 {
                    i += 1;
                    let body = json!({"language": "en", "category": "debt", "narrative": format!("worker {w} report {i}"), "form_token": form_token});
                    // A request cut by the crash has no answer: it was never acknowledged.
                    let Ok(mut res) = agent.post(&url).send_json(&body) else { continue };
                    if res.status().as_u16() == 201
                        && let Ok(v) = res.body_mut().read_json::<serde_json::Value>()
                        && let Some(r) = v["receipt"].as_str()
                        && let Ok(mut list) = acknowledged.lock()
                    {
                        list.push(r.to_string());
                    }
                }
            })
        })
        .collect();
    // Let the load build up, then crash the server while requests are in flight.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().map(|l| l.len()).unwrap_or(0) < 150
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let dir = server.kill();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let receipts = acknowledged.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(
        receipts.len() >= 150,
        "load did not build up: {} acknowledged",
        receipts.len()
    );

    let server = Server::start_in(dir, &env);
    let follow = server.url("/api/v1/public/reports/follow-up");
    let mut lost = Vec::new();
    for r in &receipts {
        let (s, _) = call("POST", &follow, None, Some(json!({"receipt": r})));
        if s != 200 {
            lost.push((r.clone(), s));
        }
    }
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged reports lost: {:?}",
        lost.len(),
        receipts.len(),
        &lost[..lost.len().min(5)]
    );
    let dir = server.kill();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["audit", "verify", "--data-dir"])
        .arg(&dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "the audit chain survives the crash: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
