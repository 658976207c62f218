//! Register-person, create-case and get-case through the staff API.

use crate::common::{agent, header, post, run};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::sync::Arc;

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

/// Signs in and runs both phases.
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
    let token: String = res.body_mut().read_json::<Value>()?["token"]
        .as_str()
        .context("no token")?
        .to_string();

    // Registering a person alone: the request duplicate detection runs in.
    let (b, t) = (base.clone(), token.clone());
    let mut register = run("register-person", threads, requests, move |agent, i| {
        let (given, family) = NAMES[i % NAMES.len()];
        let person = json!({"given_name": given, "family_name": family, "date_of_birth": "1991-07", "sex": "feminine", "citizenships": ["PH"]});
        let (s, _) = post(agent, &format!("{b}/api/v1/persons"), &t, &person)?;
        if s != 201 {
            bail!("person: {s}");
        }
        Ok(())
    });
    let ids = Arc::new(std::sync::Mutex::new(Vec::with_capacity(requests)));
    let (b, t, sink) = (base.clone(), token.clone(), ids.clone());
    let mut create = run("create-case", threads, requests, move |agent, i| {
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
    });
    let ids: Vec<String> = ids.lock().map(|v| v.clone()).unwrap_or_default();
    if ids.is_empty() {
        bail!("no case was created");
    }
    let ids = Arc::new(ids);
    let (b, t) = (base.clone(), token.clone());
    let mut get = run("get-case", threads, requests, move |agent, i| {
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
    header();
    println!("{}", register.row());
    println!("{}", create.row());
    println!("{}", get.row());
    println!(
        "\n{} concurrent clients; a create-case operation is two HTTP requests (person, then case).",
        threads
    );
    if register.errors + create.errors + get.errors > 0 {
        bail!(
            "{} requests failed",
            register.errors + create.errors + get.errors
        );
    }
    Ok(())
}
