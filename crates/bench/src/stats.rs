//! The statistics a dashboard needs, on a large world with history (see `passage demo generate
//! --months`): signs in as an analyst (an API token and a browser session), times the first
//! statistics question on its own (it cuts the day's release only when the server's release job
//! has not: `scripts/bench-stats` waits for that job and times it from the log), then asks each
//! page in turn, one at a time, and prints p50/p95 per page and for
//! the whole set as one dashboard would ask it.

use crate::common::agent;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Requests of each page before measuring.
const WARM_UP: usize = 3;

/// Signs in through the login form: the pre-session cookie and its form token, then the
/// session cookie. Returns the `Cookie` header value.
fn browser_session(base: &str, email: &str, password: &str) -> Result<String> {
    let plain: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let cookies = |res: &ureq::http::Response<ureq::Body>| -> Vec<String> {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter(|kv| kv.split_once('=').is_some_and(|(_, v)| !v.is_empty()))
            .map(str::to_string)
            .collect()
    };
    let mut page = plain.get(&format!("{base}/login")).call()?;
    let pre = cookies(&page).join("; ");
    let html = page.body_mut().read_to_string()?;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("no form token on the login page")?
        .to_string();
    let res = plain
        .post(&format!("{base}/login"))
        .header("Cookie", &pre)
        .send_form([
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])?;
    let session = cookies(&res);
    if res.status().as_u16() != 303 || session.is_empty() {
        bail!(
            "browser sign-in failed with {} (a second factor asked?)",
            res.status()
        );
    }
    Ok(session.join("; "))
}

/// One request of `path` (API paths with the token, pages with the session cookie); its time.
fn ask(a: &ureq::Agent, base: &str, path: &str, token: &str, cookie: &str) -> Result<Duration> {
    let t = Instant::now();
    let req = a.get(&format!("{base}{path}"));
    let req = if path.starts_with("/api/") {
        req.header("Authorization", &format!("Bearer {token}"))
    } else {
        req.header("Cookie", cookie)
    };
    let mut res = req.call()?;
    let status = res.status().as_u16();
    let body = res.body_mut().read_to_string()?;
    let took = t.elapsed();
    if status != 200 {
        bail!("{path}: status {status}");
    }
    if path.starts_with("/api/") {
        let v: Value = serde_json::from_str(&body)?;
        if v.get("cells").is_none() {
            bail!("{path}: no cells in the answer");
        }
    }
    Ok(took)
}

fn quantile(sorted: &[Duration], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    sorted[((n as f64 * p).ceil() as usize).clamp(1, n) - 1].as_secs_f64() * 1000.0
}

pub fn bench(base: &str, email: &str, password: &str, pages: &[String], runs: usize) -> Result<()> {
    let base = base.trim_end_matches('/').to_string();
    let a = agent();
    let mut res = a
        .post(&format!("{base}/api/v1/auth/token"))
        .send_json(json!({"email": email, "password": password}))
        .context("signing in")?;
    if res.status().as_u16() != 200 {
        bail!("sign-in failed with {}", res.status());
    }
    let token = res.body_mut().read_json::<Value>()?["token"]
        .as_str()
        .context("no token")?
        .to_string();
    let cookie = browser_session(&base, email, password)?;
    // The first question cuts the day's release when the server's job has not; a long one then,
    // so without the usual limit.
    let patient: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(3600)))
        .build()
        .into();
    let first = pages.first().context("no pages")?;
    let cut = ask(&patient, &base, first, &token, &cookie)?;
    println!("first question: {:.1} s ({first})", cut.as_secs_f64());
    for path in pages {
        for _ in 0..WARM_UP {
            ask(&a, &base, path, &token, &cookie)?;
        }
    }
    let mut each: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); pages.len()];
    let mut whole = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut sum = Duration::ZERO;
        for (i, path) in pages.iter().enumerate() {
            let took = ask(&a, &base, path, &token, &cookie)?;
            each[i].push(took);
            sum += took;
        }
        whole.push(sum);
    }
    println!("| page | runs | p50 ms | p95 ms |");
    println!("|---|---|---|---|");
    for (path, lat) in pages.iter().zip(each.iter_mut()) {
        lat.sort();
        println!(
            "| {path} | {runs} | {:.1} | {:.1} |",
            quantile(lat, 0.5),
            quantile(lat, 0.95)
        );
    }
    whole.sort();
    println!(
        "| all {} pages, one after another | {runs} | {:.1} | {:.1} |",
        pages.len(),
        quantile(&whole, 0.5),
        quantile(&whole, 0.95)
    );
    // One machine-readable line for the script's summary table.
    println!(
        "summary first_s={:.2} p50_ms={:.1} p95_ms={:.1}",
        cut.as_secs_f64(),
        quantile(&whole, 0.5),
        quantile(&whole, 0.95)
    );
    Ok(())
}
