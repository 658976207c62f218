//! Issue 17's "done when", against the real binary and the demo world, as one story: the
//! recognised victim's permit is about to expire and its reminder is an overdue task on the
//! caseworker's list and the supervisor's dashboard; the trafficking victim's trial hearing is
//! next week, among her case's deadlines with its preparation on the work list; a person's fear
//! of return refuses a referral to the consulate of the country she fled, and the consulate
//! finds nothing; the separated child has a tracing request and is treated as a child. Then the
//! two contracts of the issue, on a case of the caseworker's own. In Chromium: the supervisor's
//! dashboard shows the hearing coming up and the permit reminder overdue.

use crate::common::*;
use crate::webdriver::Browser;
use passage_core::casework::calendar::Day;
use serde_json::{Value, json};

fn today() -> Day {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Day::from_unix_ms(ms)
}

fn case_of(server: &Server, token: &str, name: &str) -> String {
    let (s, cases) = call(
        "GET",
        &server.url("/api/v1/cases?limit=200"),
        Some(token),
        None,
    );
    assert_eq!(s, 200, "{cases}");
    cases
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["person_name"].as_str().unwrap_or("").starts_with(name))
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("the demo case of {name}: {cases}"))
        .to_string()
}

fn titles(tasks: &Value) -> Vec<String> {
    tasks
        .as_array()
        .expect("tasks")
        .iter()
        .filter_map(|t| t["title"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_demo_world_holds_every_protection_issue_17_promises() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let api = |p: &str| server.url(&format!("/api/v1{p}"));
    let today = today();

    // A permit about to expire: granted, expiring inside the profile's reminder window, its
    // reminder an overdue task.
    let maricel = case_of(&server, &worker, "Maricel");
    let (s, permits) = call(
        "GET",
        &api(&format!("/cases/{maricel}/permits")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{permits}");
    let permit = &permits["permits"][0];
    assert_eq!(permit["status"], "granted", "{permits}");
    let expires = Day::parse(permit["expires_on"].as_str().expect("expiry")).expect("day");
    assert!(
        expires > today && expires <= today.plus_days(60),
        "{expires}"
    );
    let (s, overdue) = call(
        "GET",
        &api("/tasks?assigned=me&overdue=true"),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200);
    assert!(
        titles(&overdue)
            .iter()
            .any(|t| t.starts_with("Permit expires on")),
        "{overdue}"
    );

    // A trial hearing next week, among the case's deadlines, its preparation on the work list.
    let maria = case_of(&server, &worker, "María José");
    let (s, proceedings) = call(
        "GET",
        &api(&format!("/cases/{maria}/proceedings")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{proceedings}");
    let trial = proceedings
        .as_array()
        .expect("proceedings")
        .iter()
        .find(|p| p["kind"] == "criminal" && p["stage"] == "trial")
        .unwrap_or_else(|| panic!("a criminal trial: {proceedings}"));
    assert_eq!(trial["victim_role"], "witness");
    let hearing = Day::parse(trial["hearings"][0]["date"].as_str().expect("date")).expect("day");
    assert!(
        hearing > today && hearing <= today.plus_days(14),
        "next week: {hearing}"
    );
    let (_, case) = call("GET", &api(&format!("/cases/{maria}")), Some(&worker), None);
    assert!(
        case["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .any(|d| d["kind"] == "hearing" && d["due"] == hearing.to_string()),
        "{case}"
    );
    let (_, mine) = call("GET", &api("/tasks?assigned=me"), Some(&worker), None);
    assert!(
        titles(&mine)
            .iter()
            .any(|t| t.starts_with("Prepare the person for the trial hearing on ")),
        "{mine}"
    );

    // A fear of return that refuses a referral to the consulate of the country fled.
    let inspector = server.token("inspector@labour.demo");
    let dizon = case_of(&server, &inspector, "Maricel Dizon");
    let (_, needs) = call(
        "GET",
        &api(&format!("/cases/{dizon}/protection-needs")),
        Some(&inspector),
        None,
    );
    assert_eq!(needs[0]["kind"], "fear_of_return", "{needs}");
    assert_eq!(needs[0]["countries"], json!(["PH"]));
    assert_eq!(needs[0]["status"], "in_force");
    let (_, services) = call(
        "GET",
        &api("/services?type=consular_assistance"),
        Some(&inspector),
        None,
    );
    let consular = services
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|e| e["name"] == "Assistance to Filipino nationals")
        })
        .and_then(|e| e["id"].as_str())
        .unwrap_or_else(|| panic!("the consulate's service: {services}"))
        .to_string();
    let (s, refused) = call(
        "POST",
        &api(&format!("/cases/{dizon}/referrals")),
        Some(&inspector),
        Some(json!({"service_id": consular, "purpose": "referral", "shared_fields": []})),
    );
    assert_eq!(
        (s, refused["code"].as_str()),
        (422, Some("international_protection")),
        "{refused}"
    );
    let consul = server.token("consul@consulate.demo");
    let (s, _) = call("GET", &api(&format!("/cases/{dizon}")), Some(&consul), None);
    assert_eq!(s, 404, "the consulate finds nothing");

    // A separated child with a tracing request, treated as a child.
    let amina = case_of(&server, &worker, "Amina");
    let (s, tracing) = call(
        "GET",
        &api(&format!("/cases/{amina}/tracing")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{tracing}");
    assert!(
        tracing.as_array().is_some_and(|l| !l.is_empty()),
        "{tracing}"
    );
    let (_, ages) = call(
        "GET",
        &api(&format!("/cases/{amina}/age-assessments")),
        Some(&worker),
        None,
    );
    assert_eq!(ages[0]["treated_as_child"], true, "{ages}");

    // The contracts, on a case of the caseworker's own: each answers 201 with its id only.
    let (s, person) = call(
        "POST",
        &api("/persons"),
        Some(&worker),
        Some(json!({"given_name": "Noor", "family_name": "Haddad", "citizenships": ["SY"]})),
    );
    assert_eq!(s, 201, "{person}");
    let (s, opened) = call(
        "POST",
        &api("/cases"),
        Some(&worker),
        Some(
            json!({"person_id": person["id"], "types": ["trafficking"], "stage": "destination",
                    "summary": "Recruited for a cleaning job; kept in a flat."}),
        ),
    );
    assert_eq!(s, 201, "{opened}");
    let own = opened["id"].as_str().expect("id").to_string();
    let soon = today.plus_days(30).to_string();
    let (s, made) = call(
        "POST",
        &api(&format!("/cases/{own}/permits")),
        Some(&worker),
        Some(
            json!({"kind": "trafficking_victim", "status": "granted", "applied_on": today.plus_days(-90).to_string(), "expires_on": soon}),
        ),
    );
    assert_eq!(s, 201, "{made}");
    assert_eq!(
        made.as_object().map(|o| o.len()),
        Some(1),
        "only the id: {made}"
    );
    let (_, overdue) = call(
        "GET",
        &api("/tasks?assigned=me&overdue=true"),
        Some(&worker),
        None,
    );
    assert!(
        overdue
            .as_array()
            .expect("tasks")
            .iter()
            .any(|t| t["case_id"] == own.as_str()),
        "a permit expiring inside the window is an overdue task: {overdue}"
    );
    let (s, made) = call(
        "POST",
        &api(&format!("/cases/{own}/proceedings")),
        Some(&worker),
        Some(
            json!({"kind": "criminal", "stage": "investigation", "authority": "Metropolitan Police", "victim_role": "witness"}),
        ),
    );
    assert_eq!(s, 201, "{made}");
    assert_eq!(
        made.as_object().map(|o| o.len()),
        Some(1),
        "only the id: {made}"
    );
    let (s, bad) = call(
        "POST",
        &api(&format!("/cases/{own}/proceedings")),
        Some(&worker),
        Some(json!({"kind": "military", "stage": "trial"})),
    );
    assert_eq!(s, 422, "{bad}");

    // In Chromium: the supervisor's dashboard shows what is overdue and what comes up.
    let Some(browser) = Browser::launch() else {
        return;
    };
    browser.clear_cookies();
    browser.goto(&server.url("/login"));
    browser
        .find("input[name=email]")
        .send_keys("supervisor@shelter.demo");
    browser
        .find("input[name=password]")
        .send_keys(DEMO_PASSWORD);
    browser.find("button[type=submit]").click_and_wait();
    browser.goto(&server.url("/dashboard"));
    let overdue = browser.find("#overdue").text();
    assert!(
        overdue.contains("Permit expires on"),
        "{}",
        browser.source()
    );
    let upcoming = browser.find("#upcoming").text();
    assert!(
        upcoming.contains("Prepare the person for the trial hearing on"),
        "{}",
        browser.source()
    );
}
