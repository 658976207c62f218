//! Public submissions under load: acknowledged submissions/s with p50/p99, then a check that
//! every acknowledged receipt opens its report.

use crate::common::{Phase, agent, header, run};
use anyhow::{Result, bail};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn submit(agent: &ureq::Agent, base: &str, i: usize) -> Result<String> {
    // The body of issue 3's contract, as partner clients send it (no time token: one is
    // optional, and fetching and waiting it out inside the timed loop measured the wait).
    let body = json!({"language": "en", "category": "unpaid_wages", "narrative": format!("benchmark report {i}: not paid for three months, passport kept by the employer")});
    let mut res = agent
        .post(&format!("{base}/api/v1/public/reports"))
        .send_json(&body)?;
    if res.status().as_u16() != 201 {
        bail!("status {}", res.status());
    }
    let v: Value = res.body_mut().read_json()?;
    Ok(v["receipt"].as_str().unwrap_or_default().to_string())
}

/// Offers `rate` submissions per second for `seconds`, latency measured from the scheduled send
/// time (so a slow server cannot hide its queueing).
fn fixed_rate(
    base: &str,
    threads: usize,
    rate: usize,
    seconds: u64,
    sink: Arc<Mutex<Vec<String>>>,
) -> Phase {
    let total = rate * seconds as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(100);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (base, sink) = (base.to_string(), sink.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let (mut lat, mut errors) = (Vec::new(), 0);
                for i in (t..total).step_by(threads) {
                    let due = start + interval * i as u32;
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    match submit(&agent, &base, i) {
                        Ok(r) => {
                            lat.push(due.elapsed());
                            if let Ok(mut v) = sink.lock() {
                                v.push(r);
                            }
                        }
                        Err(_) => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut phase = Phase {
        name: "submit @ fixed rate",
        latencies: Vec::new(),
        errors: 0,
        wall: Duration::ZERO,
    };
    for h in handles {
        if let Ok((lat, errors)) = h.join() {
            phase.latencies.extend(lat);
            phase.errors += errors;
        }
    }
    phase.wall = start.elapsed();
    phase
}

pub fn bench(base: &str, threads: usize, burst: usize, rate: usize, seconds: u64) -> Result<()> {
    let base = base.trim_end_matches('/').to_string();
    let receipts = Arc::new(Mutex::new(Vec::new()));
    let (b, sink) = (base.clone(), receipts.clone());
    let mut closed = run("submit (closed loop)", threads, burst, move |agent, i| {
        let r = submit(agent, &b, i)?;
        if let Ok(mut v) = sink.lock() {
            v.push(r);
        }
        Ok(())
    });
    let mut paced = fixed_rate(&base, threads, rate, seconds, receipts.clone());
    header();
    println!("{}", closed.row());
    println!("{}", paced.row());
    println!(
        "\n{threads} concurrent clients; fixed-rate phase offered {rate}/s for {seconds} s, latency from the scheduled send time."
    );

    let receipts: Vec<String> = receipts.lock().map(|v| v.clone()).unwrap_or_default();
    let checker = agent();
    let mut lost = 0;
    for r in &receipts {
        let mut res = checker
            .post(&format!("{base}/api/v1/public/reports/follow-up"))
            .send_json(json!({"receipt": r}))?;
        let ok = res.status().as_u16() == 200 && res.body_mut().read_json::<Value>().is_ok();
        if !ok {
            lost += 1;
        }
    }
    println!(
        "acknowledged: {}, found again by receipt: {}, lost: {lost}",
        receipts.len(),
        receipts.len() - lost
    );
    if lost > 0 || closed.errors + paced.errors > 0 {
        bail!("{lost} lost, {} errors", closed.errors + paced.errors);
    }
    Ok(())
}
