//! What every benchmark shares: HTTP clients, the worker pool and latency statistics.

use anyhow::Result;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

pub fn post(agent: &ureq::Agent, url: &str, token: &str, body: &Value) -> Result<(u16, Value)> {
    let mut res = agent
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)?;
    let status = res.status().as_u16();
    Ok((status, res.body_mut().read_json().unwrap_or(Value::Null)))
}

/// One phase's measurements.
pub struct Phase {
    pub name: &'static str,
    pub latencies: Vec<Duration>,
    pub errors: usize,
    pub wall: Duration,
}

impl Phase {
    pub fn row(&mut self) -> String {
        self.latencies.sort();
        let q = |p: f64| {
            let n = self.latencies.len();
            if n == 0 {
                return 0.0;
            }
            let i = ((n as f64 * p).ceil() as usize).clamp(1, n) - 1;
            self.latencies[i].as_secs_f64() * 1000.0
        };
        let done = self.latencies.len();
        format!(
            "| {} | {} | {} | {:.0} | {:.1} | {:.1} |",
            self.name,
            done + self.errors,
            self.errors,
            done as f64 / self.wall.as_secs_f64(),
            q(0.50),
            q(0.99)
        )
    }
}

/// Runs `op` `total` times over `threads` clients; `op` gets the client and the operation index.
pub fn run<F>(name: &'static str, threads: usize, total: usize, op: F) -> Phase
where
    F: Fn(&ureq::Agent, usize) -> Result<()> + Send + Sync + 'static,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (op, next) = (op.clone(), next.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let (mut lat, mut errors) = (Vec::new(), 0usize);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let t = Instant::now();
                    match op(&agent, i) {
                        Ok(()) => lat.push(t.elapsed()),
                        Err(_) => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut phase = Phase {
        name,
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

/// Prints the table header used by every phase row.
pub fn header() {
    println!("| operation | requests | errors | req/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|---|");
}
