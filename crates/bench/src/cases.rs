//! Case lists on a large world: the first page, each filter, name search and a deep page,
//! through the staff API, with p50/p95/p99 per query (name search also under variant spellings).

use crate::common::{agent, run};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::sync::Arc;

const QUERIES: &[(&str, &str)] = &[
    ("first page", ""),
    ("status=services", "status=services"),
    ("type=labour_exploitation", "type=labour_exploitation"),
    ("stage=transit", "stage=transit"),
    ("risk=high", "risk=high"),
    ("overdue=true", "overdue=true"),
    ("assigned=me", "assigned=me"),
    (
        "status + risk + stage",
        "status=assessment&risk=high&stage=destination",
    ),
    ("name prefix q=ami", "q=ami"),
    ("name two letters q=ma", "q=ma"),
    ("name two words q=fat hadd", "q=fat%20hadd"),
    ("full name q=tigist kovalenko", "q=tigist%20kovalenko"),
    ("name + filter", "q=mar&status=open"),
    // Variant spellings (the register holds Yusuf, Haddad, Fatima, Hussein): a common name
    // under another spelling, two words each under another spelling, and a variant nobody has.
    ("variant q=yousef", "q=yousef"),
    ("variant two words q=yousef hadad", "q=yousef%20hadad"),
    ("variant two words q=fatma hussain", "q=fatma%20hussain"),
    ("variant, no match q=muhammad", "q=muhammad"),
    ("deep page offset=5000", "offset=5000"),
    ("deep page offset=50000", "offset=50000"),
];

/// Requests per query sent before measuring, one at a time, after a warm-up of the whole server
/// (every query, several clients, so every pooled connection has run them): the first hundred
/// or so requests after a start are two to three times slower while connections and caches warm.
const WARM_UP: usize = 50;
const WARM_UP_SERVER: usize = 400;

pub fn bench(
    base: &str,
    email: &str,
    password: &str,
    threads: usize,
    requests: usize,
) -> Result<()> {
    let base = base.trim_end_matches('/').to_string();
    let mut res = agent()
        .post(&format!("{base}/api/v1/auth/token"))
        .send_json(json!({"email": email, "password": password}))
        .context("signing in")?;
    if res.status().as_u16() != 200 {
        bail!("sign-in failed with {}", res.status());
    }
    let token: Arc<String> = Arc::new(
        res.body_mut().read_json::<Value>()?["token"]
            .as_str()
            .context("no token")?
            .to_string(),
    );
    let (b, t) = (Arc::new(base.clone()), token.clone());
    run("warm-up", 4, WARM_UP_SERVER, move |a, i| {
        a.get(&format!(
            "{b}/api/v1/cases?{}",
            QUERIES[i % QUERIES.len()].1
        ))
        .header("Authorization", &format!("Bearer {t}"))
        .call()?;
        Ok(())
    });
    println!("| query | requests | errors | rows | p50 ms | p95 ms | p99 ms |");
    println!("|---|---|---|---|---|---|---|");
    for (name, query) in QUERIES {
        let url = Arc::new(format!("{base}/api/v1/cases?{query}"));
        let (u, t) = (url.clone(), token.clone());
        run(name, 1, WARM_UP, move |a, _| {
            a.get(u.as_str())
                .header("Authorization", &format!("Bearer {t}"))
                .call()?;
            Ok(())
        });
        let rows = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (u, t, r) = (url.clone(), token.clone(), rows.clone());
        let mut phase = run(name, threads, requests, move |a, _| {
            let mut res = a
                .get(u.as_str())
                .header("Authorization", &format!("Bearer {t}"))
                .call()?;
            if res.status().as_u16() != 200 {
                bail!("status {}", res.status());
            }
            let v: Value = res.body_mut().read_json()?;
            r.store(
                v.as_array().map_or(0, Vec::len),
                std::sync::atomic::Ordering::Relaxed,
            );
            Ok(())
        });
        phase.latencies.sort();
        let q = |p: f64| {
            let n = phase.latencies.len();
            if n == 0 {
                return 0.0;
            }
            phase.latencies[((n as f64 * p).ceil() as usize).clamp(1, n) - 1].as_secs_f64() * 1000.0
        };
        println!(
            "| {name} | {} | {} | {} | {:.1} | {:.1} | {:.1} |",
            phase.latencies.len() + phase.errors,
            phase.errors,
            rows.load(std::sync::atomic::Ordering::Relaxed),
            q(0.50),
            q(0.95),
            q(0.99)
        );
    }
    Ok(())
}
