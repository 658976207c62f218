//! The case lifecycle contract against the real binary: PATCH with the version read (409
//! version_conflict and nothing changed when stale), transitions and their refusal codes, the
//! supervisor's approval of closing a high-risk case, identification and the deadlines it
//! starts, the history, jurisdiction profiles from configuration, the immigration firewall,
//! and the overview's edit form keeping what was typed when someone changed the case meanwhile.

use crate::common::ui_client::*;
use crate::common::*;
use serde_json::{Value, json};

fn day(offset: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let days = secs.div_euclid(86_400) + offset;
    // Civil date from days since 1970-01-01 (days-from-civil inverse).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A new person and case opened by `token`'s user; its id.
fn open_case(server: &Server, token: &str, given: &str) -> String {
    let (s, p) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(token),
        Some(
            json!({"given_name": given, "family_name": "Tester", "date_of_birth": "1990", "citizenships": ["NP"]}),
        ),
    );
    assert_eq!(s, 201, "{p}");
    let (s, c) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(token),
        Some(
            json!({"person_id": p["id"], "types": ["labour_exploitation"], "stage": "destination",
                    "summary": "Worked without pay at a car wash."}),
        ),
    );
    assert_eq!(s, 201, "{c}");
    c["id"].as_str().expect("id").to_string()
}

fn get_case(server: &Server, token: &str, id: &str) -> Value {
    let (s, c) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{id}")),
        Some(token),
        None,
    );
    assert_eq!(s, 200, "{c}");
    c
}

fn transition(server: &Server, token: &str, id: &str, body: Value) -> (u16, Value) {
    call(
        "POST",
        &server.url(&format!("/api/v1/cases/{id}/transitions")),
        Some(token),
        Some(body),
    )
}

#[test]
fn the_lifecycle_contract_over_http() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let supervisor = server.token("supervisor@shelter.demo");
    let id = open_case(&server, &worker, "Sunita");
    let case_url = server.url(&format!("/api/v1/cases/{id}"));

    // PATCH with the version read: 200 and the updated case.
    let fresh = get_case(&server, &worker, &id);
    assert_eq!(fresh["version"], 1);
    assert_eq!(fresh["risk"], "medium");
    assert_eq!(fresh["identification"], Value::Null);
    assert_eq!(
        fresh["next_statuses"],
        json!(["assessment", "case_plan", "services", "follow_up", "closed"])
    );
    let (s, updated) = call(
        "PATCH",
        &case_url,
        Some(&worker),
        Some(
            json!({"version": 1, "risk": "high", "country": "GB", "summary": "Car wash; moved to the shelter."}),
        ),
    );
    assert_eq!(s, 200, "{updated}");
    assert_eq!(updated["id"], id.as_str());
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["risk"], "high");
    assert_eq!(updated["country"], "GB");

    // A stale version: 409 version_conflict, and nothing of it is written.
    let (s, err) = call(
        "PATCH",
        &case_url,
        Some(&worker),
        Some(json!({"version": 1, "risk": "low", "summary": "Stale"})),
    );
    assert_eq!((s, err["code"].as_str()), (409, Some("version_conflict")));
    let now = get_case(&server, &worker, &id);
    assert_eq!(now["version"], 2);
    assert_eq!(now["risk"], "high");
    assert_eq!(now["summary"], "Car wash; moved to the shelter.");
    // Without a version, or with an unknown field: 422 / 400, never a 500.
    let (s, err) = call(
        "PATCH",
        &case_url,
        Some(&worker),
        Some(json!({"risk": "low"})),
    );
    assert_eq!((s, err["code"].as_str()), (422, Some("validation_failed")));
    let (s, _) = call(
        "PATCH",
        &case_url,
        Some(&worker),
        Some(json!({"version": 2, "status": "closed"})),
    );
    assert!((400..500).contains(&s), "{s}");

    // Transitions and their refusals.
    let (s, moved) = transition(&server, &worker, &id, json!({"to": "assessment"}));
    assert_eq!((s, moved["status"].as_str()), (200, Some("assessment")));
    let refused = |body: Value, code: &str| {
        let (s, err) = transition(&server, &worker, &id, body.clone());
        assert_eq!((s, err["code"].as_str()), (422, Some(code)), "{body}");
    };
    refused(json!({"to": "open"}), "reason_required");
    let (s, _) = transition(&server, &worker, &id, json!({"to": "services"}));
    assert_eq!(s, 200);
    // Two steps back is not a move the lifecycle has.
    refused(
        json!({"to": "open", "reason": "x"}),
        "transition_not_allowed",
    );
    refused(json!({"to": "archived"}), "validation_failed");
    refused(
        json!({"to": "closed", "reason": "Done"}),
        "outcome_required",
    );
    refused(
        json!({"to": "closed", "outcome": "other"}),
        "reason_required",
    );

    // High risk: the caseworker's close becomes a request for a supervisor.
    let close = json!({"to": "closed", "reason": "Went home with support", "outcome": "return_with_reintegration"});
    let (s, err) = transition(&server, &worker, &id, close.clone());
    assert_eq!(
        (s, err["code"].as_str()),
        (422, Some("supervisor_approval_required"))
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("asked")
    );
    assert_eq!(get_case(&server, &worker, &id)["status"], "services");
    let (s, _) = call("GET", &server.url("/api/v1/approvals"), Some(&worker), None);
    assert_eq!(s, 403);
    let (s, list) = call(
        "GET",
        &server.url("/api/v1/approvals"),
        Some(&supervisor),
        None,
    );
    assert_eq!(s, 200);
    let approval = list
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["case_id"] == id.as_str())
        .expect("the request")
        .clone();
    assert_eq!(approval["outcome"], "return_with_reintegration");
    assert_eq!(approval["reason"], "Went home with support");
    let approve = server.url(&format!(
        "/api/v1/approvals/{}/approve",
        approval["id"].as_str().expect("id")
    ));
    let (s, _) = call("POST", &approve, Some(&worker), None);
    assert_eq!(s, 403);
    let (s, done) = call("POST", &approve, Some(&supervisor), None);
    assert_eq!(
        (s, done["decision"].as_str()),
        (200, Some("approved")),
        "{done}"
    );
    let closed = get_case(&server, &worker, &id);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["outcome"], "return_with_reintegration");
    assert!(closed["closed_at"].is_i64());
    assert_eq!(closed["next_statuses"], json!(["open"]));
    let (s, err) = call("POST", &approve, Some(&supervisor), None);
    assert_eq!((s, err["code"].as_str()), (422, Some("already_decided")));
    let (s, err) = transition(
        &server,
        &worker,
        &id,
        json!({"to": "assessment", "reason": "x"}),
    );
    assert_eq!(
        (s, err["code"].as_str()),
        (422, Some("transition_not_allowed"))
    );
    let (s, reopened) = transition(
        &server,
        &worker,
        &id,
        json!({"to": "open", "reason": "New threats"}),
    );
    assert_eq!((s, reopened["status"].as_str()), (200, Some("open")));
    let open = get_case(&server, &worker, &id);
    assert_eq!(
        (open["outcome"].clone(), open["closed_at"].clone()),
        (Value::Null, Value::Null)
    );

    // Identification starts the recovery and reflection period: 30 days after the decision.
    let decided = day(-3);
    let (s, c) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{id}/identification")),
        Some(&worker),
        Some(
            json!({"status": "possible_victim", "decided_by": "Single Competent Authority", "decided_on": decided}),
        ),
    );
    assert_eq!(s, 200, "{c}");
    let c = get_case(&server, &worker, &id);
    assert_eq!(c["identification"]["status"], "possible_victim");
    assert_eq!(c["identification"]["decided_on"], decided.as_str());
    let deadlines = c["deadlines"].as_array().expect("deadlines");
    assert!(
        deadlines
            .iter()
            .any(|d| d["kind"] == "recovery_reflection_period" && d["due"] == day(27).as_str()),
        "{deadlines:?}"
    );
    assert_eq!(c["jurisdiction"], "gb");
    let (s, err) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{id}/identification")),
        Some(&worker),
        Some(json!({"status": "actual_victim", "decided_by": "SCA", "decided_on": day(2)})),
    );
    assert_eq!((s, err["code"].as_str()), (422, Some("validation_failed")));
    assert_eq!(err["fields"][0]["field"], "decided_on");

    // The history: who changed what.
    let (s, h) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{id}/history")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200);
    let h = h.as_array().expect("history");
    let risk = h
        .iter()
        .find(|e| e["field"] == "risk")
        .expect("risk change");
    assert_eq!(
        (risk["old"].as_str(), risk["new"].as_str()),
        (Some("medium"), Some("high"))
    );
    assert_eq!(risk["by"], "Carla Caseworker");
    assert!(
        h.iter()
            .any(|e| e["field"] == "status" && e["new"] == "closed")
    );
    assert!(h.iter().any(|e| e["field"] == "identification_status"));
}

#[test]
fn outsiders_and_immigration_enforcement_get_nothing() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let id = open_case(&server, &worker, "Ramesh");
    for who in [
        "officer@immigration.demo",
        "consul@consulate.demo",
        "inspector@labour.demo",
    ] {
        let t = server.token(who);
        let (s, _) = call(
            "GET",
            &server.url(&format!("/api/v1/cases/{id}")),
            Some(&t),
            None,
        );
        assert_eq!(s, 404, "{who} read");
        let (s, _) = call(
            "PATCH",
            &server.url(&format!("/api/v1/cases/{id}")),
            Some(&t),
            Some(json!({"version": 1, "risk": "low"})),
        );
        assert_eq!(s, 404, "{who} patch");
        let (s, _) = transition(&server, &t, &id, json!({"to": "assessment"}));
        assert_eq!(s, 404, "{who} transition");
        let (s, _) = call(
            "POST",
            &server.url(&format!("/api/v1/cases/{id}/identification")),
            Some(&t),
            Some(json!({"status": "not_a_victim", "decided_by": "x", "decided_on": day(-1)})),
        );
        assert_eq!(s, 404, "{who} identification");
        let (s, _) = call(
            "GET",
            &server.url(&format!("/api/v1/cases/{id}/history")),
            Some(&t),
            None,
        );
        assert_eq!(s, 404, "{who} history");
    }
    let officer = server.token("officer@immigration.demo");
    let (s, err) = call(
        "GET",
        &server.url("/api/v1/approvals"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 403, "{err}");
    // The demo's pending request (an unaccompanied girl's case) is out of reach too.
    let supervisor = server.token("supervisor@shelter.demo");
    let (_, list) = call(
        "GET",
        &server.url("/api/v1/approvals"),
        Some(&supervisor),
        None,
    );
    let pending = list[0]["id"].as_str().expect("a demo request").to_string();
    for action in ["approve", "reject"] {
        let (s, _) = call(
            "POST",
            &server.url(&format!("/api/v1/approvals/{pending}/{action}")),
            Some(&officer),
            None,
        );
        assert_eq!(s, 404, "{action}");
    }
    // Nothing changed.
    let c = get_case(&server, &worker, &id);
    assert_eq!(
        (c["version"].as_i64(), c["status"].as_str()),
        (Some(1), Some("open"))
    );
    let (_, still) = call(
        "GET",
        &server.url("/api/v1/approvals"),
        Some(&supervisor),
        None,
    );
    assert_eq!(
        still.as_array().map(Vec::len),
        list.as_array().map(Vec::len)
    );
}

#[test]
fn jurisdiction_profiles_come_from_configuration() {
    // An extra profile for Spain: a 90-day recovery period.
    let dir = temp_dir("jurisdictions");
    let profiles = dir.join("profiles");
    std::fs::create_dir_all(&profiles).expect("dir");
    std::fs::create_dir_all(dir.join("data")).expect("dir");
    std::fs::write(
        profiles.join("es.toml"),
        "name = \"es\"\ncountries = [\"ES\"]\nrecovery_reflection_days = 90\nreasonable_grounds_working_days = 5\n",
    )
    .expect("profile");
    let server = Server::start_in(
        dir.join("data"),
        &[(
            "PASSAGE_JURISDICTIONS_DIR",
            profiles.to_str().expect("path"),
        )],
    );
    let worker = server.token("caseworker@shelter.demo");
    let id = open_case(&server, &worker, "Lucia");
    let (s, _) = call(
        "PATCH",
        &server.url(&format!("/api/v1/cases/{id}")),
        Some(&worker),
        Some(json!({"version": 1, "country": "es"})),
    );
    assert_eq!(s, 200);
    let decided = day(-1);
    let (s, c) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{id}/identification")),
        Some(&worker),
        Some(
            json!({"status": "actual_victim", "decided_by": "Policía Nacional", "decided_on": decided}),
        ),
    );
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["jurisdiction"], "es");
    assert!(
        c["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .any(|d| d["kind"] == "recovery_reflection_period" && d["due"] == day(89).as_str()),
        "{c}"
    );
    drop(server);

    // A profile below the CETS 197 minimum stops the start, naming the file.
    std::fs::write(
        profiles.join("short.toml"),
        "name = \"short\"\nrecovery_reflection_days = 14\nreasonable_grounds_working_days = 5\n",
    )
    .expect("profile");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["serve", "--data-dir"])
        .arg(dir.join("data"))
        .args(["--listen", "127.0.0.1:1"])
        .env("PASSAGE_JURISDICTIONS_DIR", &profiles)
        .env_remove("PASSAGE_DATABASE_URL")
        .output()
        .expect("run passage");
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("short.toml") && text.contains("at least 30 days"),
        "{text}"
    );
}

// ---------------------------------------------------------------- the overview's forms

/// The value of the first hidden input named `name`.
fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).expect(name) + key.len();
    html[at..].split('"').next().unwrap_or_default().to_string()
}

#[test]
fn the_overview_edit_form_keeps_what_was_typed_when_the_case_changed_meanwhile() {
    let server = Server::start();
    let worker_token = server.token("caseworker@shelter.demo");
    let id = open_case(&server, &worker_token, "Bimala");
    let mut ui = Client::sign_in(&server, "caseworker@shelter.demo");
    let overview = ui.get(&format!("/cases/{id}"));
    assert_eq!(overview.status, 200);
    for label in [
        "Edit details",
        "Move to another status",
        "Record an identification decision",
        "Deadlines",
        "for=\"details-summary\"",
        "for=\"move-to\"",
        "for=\"ident-decided_on\"",
    ] {
        assert!(overview.body.contains(label), "{label} missing");
    }
    let csrf = field(&overview.body, "csrf");
    let version = field(&overview.body, "version");
    assert_eq!(version, "1");
    let form = |summary: &'static str, risk: &'static str, version: String| {
        vec![
            ("csrf", csrf.clone()),
            ("version", version),
            ("types", "labour_exploitation".into()),
            ("types", "trafficking".into()),
            ("stage", "destination".into()),
            ("risk", risk.into()),
            ("country", "GB".into()),
            ("assigned_to", String::new()),
            ("summary", summary.into()),
        ]
    };
    let post = |ui: &mut Client, f: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        ui.post(&format!("/cases/{id}/details"), &pairs)
    };

    // Meanwhile a colleague's API client changes the summary.
    let (s, _) = call(
        "PATCH",
        &server.url(&format!("/api/v1/cases/{id}")),
        Some(&worker_token),
        Some(json!({"version": 1, "summary": "Changed by someone else"})),
    );
    assert_eq!(s, 200);

    // Saving the form read at version 1: a conflict page with the case as it is now and the
    // typed input kept, nothing saved.
    let stale = post(
        &mut ui,
        form("My careful notes from the interview", "high", "1".into()),
    );
    assert_eq!(stale.status, 409);
    assert!(
        stale.body.contains("Someone changed this case"),
        "{}",
        stale.body
    );
    assert!(stale.body.contains("My careful notes from the interview"));
    assert!(stale.body.contains("Changed by someone else"));
    assert_eq!(field(&stale.body, "version"), "2");
    let c = get_case(&server, &worker_token, &id);
    assert_eq!(
        (c["summary"].as_str(), c["risk"].as_str()),
        (Some("Changed by someone else"), Some("medium"))
    );

    // Saving again from the conflict page (version 2) applies it.
    let saved = post(
        &mut ui,
        form("My careful notes from the interview", "high", "2".into()),
    );
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, format!("/cases/{id}?done=saved").as_str()),
        "back to the case, saying it was saved"
    );
    let c = get_case(&server, &worker_token, &id);
    assert_eq!(c["summary"], "My careful notes from the interview");
    assert_eq!(
        (
            c["risk"].as_str(),
            c["country"].as_str(),
            c["version"].as_i64()
        ),
        (Some("high"), Some("GB"), Some(3))
    );

    // A mistake comes back with the input and a linked error summary.
    let bad = post(&mut ui, form("Kept text", "extreme", "3".into()));
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#details-risk\""));
    assert!(bad.body.contains("Kept text"));
    // Without the CSRF token nothing happens.
    let mut no_csrf = form("x", "low", "3".into());
    no_csrf[0].1 = "wrong".into();
    assert_eq!(post(&mut ui, no_csrf).status, 403);

    // Closing a high-risk case from the overview asks the supervisor, who approves on the
    // approvals page; the history page shows the change.
    let page = ui.get(&format!("/cases/{id}"));
    let moved = ui.post(
        &format!("/cases/{id}/transition"),
        &[
            ("csrf", &csrf),
            ("version", &field(&page.body, "version")),
            ("to", "closed"),
            ("reason", "Settled with her sister"),
            ("outcome", "local_integration"),
        ],
    );
    assert_eq!(moved.status, 303);
    let page = ui.get(&format!("/cases/{id}"));
    assert!(
        page.body.contains("Closing waits for a supervisor"),
        "{}",
        page.body
    );
    let mut sup = Client::sign_in(&server, "supervisor@shelter.demo");
    let approvals = sup.get("/approvals");
    assert_eq!(approvals.status, 200);
    assert!(
        approvals.body.contains("href=\"/approvals\""),
        "header link for supervisors"
    );
    assert!(approvals.body.contains("Settled with her sister"));
    let marker = format!("href=\"/cases/{id}\"");
    let row_start = approvals.body.find(&marker).expect("the request's row");
    let row_id = approvals.body[..row_start]
        .rfind("id=\"approval-")
        .map(|at| approvals.body[at + 13..at + 49].to_string())
        .expect("approval id");
    let sup_csrf = field(&approvals.body, "csrf");
    let approved = sup.post(
        &format!("/approvals/{row_id}/approve"),
        &[("csrf", &sup_csrf)],
    );
    assert_eq!(
        (approved.status, approved.location.as_str()),
        (303, "/approvals?done=feedback-approved")
    );
    assert_eq!(get_case(&server, &worker_token, &id)["status"], "closed");
    let history = ui.get(&format!("/cases/{id}/history"));
    assert_eq!(history.status, 200);
    assert!(history.body.contains("Changed by someone else") && history.body.contains("Closed"));
    // A caseworker has no approvals page.
    assert_eq!(ui.get("/approvals").status, 403);
}
