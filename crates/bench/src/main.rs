//! `passage-bench`: drives a running Passage over HTTP and prints requests/s with p50/p99
//! latencies, one table row per operation. Used by `scripts/bench`; a benchmark, not a test.

use anyhow::{Context, Result, bail};
use clap::Parser;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Base URL of a running Passage.
    #[arg(long)]
    base: String,
    #[arg(long)]
    email: String,
    #[arg(long)]
    password: String,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    threads: usize,
    /// Operations per phase.
    #[arg(long, default_value_t = 2000)]
    requests: usize,
}

const NAMES: &[(&str, &str)] = &[
    ("María José", "Núñez García"),
    ("Олена", "Коваленко"),
    ("Amina", "Diallo"),
    ("Nguyễn Thị", "Lan"),
    ("Rahim", "Uddin"),
    ("أمينة", "الحسن"),
    ("Maricel", "Santos"),
    ("Pavel", "Ionescu"),
];

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn post(agent: &ureq::Agent, url: &str, token: &str, body: &Value) -> Result<(u16, Value)> {
    let mut res = agent
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)?;
    let status = res.status().as_u16();
    Ok((status, res.body_mut().read_json().unwrap_or(Value::Null)))
}

/// One phase's measurements.
struct Phase {
    name: &'static str,
    latencies: Vec<Duration>,
    errors: usize,
    wall: Duration,
}

impl Phase {
    fn row(&mut self) -> String {
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
fn run<F>(name: &'static str, threads: usize, total: usize, op: F) -> Phase
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

fn main() -> Result<()> {
    let args = Args::parse();
    let base = args.base.trim_end_matches('/').to_string();
    let mut res = agent()
        .post(&format!("{base}/api/v1/auth/token"))
        .send_json(json!({"email": args.email, "password": args.password}))
        .context("signing in")?;
    if res.status().as_u16() != 200 {
        bail!("sign-in failed with {}", res.status());
    }
    let token: String = res.body_mut().read_json::<Value>()?["token"]
        .as_str()
        .context("no token")?
        .to_string();

    let ids = Arc::new(std::sync::Mutex::new(Vec::with_capacity(args.requests)));
    let (b, t, sink) = (base.clone(), token.clone(), ids.clone());
    let mut create = run(
        "create-case",
        args.threads,
        args.requests,
        move |agent, i| {
            let (given, family) = NAMES[i % NAMES.len()];
            let person = json!({"given_name": given, "family_name": family, "date_of_birth": "1990-05", "sex": "feminine", "citizenships": ["PH"]});
            let (s, p) = post(agent, &format!("{b}/api/v1/persons"), &t, &person)?;
            if s != 201 {
                bail!("person: {s}");
            }
            let case = json!({"person_id": p["id"], "types": ["labour_exploitation"], "stage": "destination", "summary": "synthetic benchmark case"});
            let (s, c) = post(agent, &format!("{b}/api/v1/cases"), &t, &case)?;
            if s != 201 {
                bail!("case: {s}");
            }
            if let (Some(id), Ok(mut v)) = (c["id"].as_str(), sink.lock()) {
                v.push(id.to_string());
            }
            Ok(())
        },
    );
    let ids: Vec<String> = ids.lock().map(|v| v.clone()).unwrap_or_default();
    if ids.is_empty() {
        bail!("no case was created");
    }
    let ids = Arc::new(ids);
    let (b, t) = (base.clone(), token.clone());
    let mut get = run("get-case", args.threads, args.requests, move |agent, i| {
        let url = format!("{b}/api/v1/cases/{}", ids[i % ids.len()]);
        let res = agent
            .get(&url)
            .header("Authorization", &format!("Bearer {t}"))
            .call()?;
        if res.status().as_u16() != 200 {
            bail!("get: {}", res.status());
        }
        Ok(())
    });
    println!("| operation | requests | errors | req/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|---|");
    println!("{}", create.row());
    println!("{}", get.row());
    println!(
        "\n{} concurrent clients; a create-case operation is two HTTP requests (person, then case).",
        args.threads
    );
    if create.errors + get.errors > 0 {
        bail!("{} requests failed", create.errors + get.errors);
    }
    Ok(())
}
