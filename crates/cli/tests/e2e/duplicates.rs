//! Duplicate persons against the real binary: a person registered twice (in another script)
//! reaches the supervisors' review page with the explanation, is merged and the merge undone
//! with plain forms; the API refuses caseworkers. Across organisations only the holder of the
//! record is told, and there only its supervisors: the registering side sees nothing until the
//! holder's person agreed, a consulate's registration raises nothing, and the partner is named
//! to both sides once the person agreed on each.

use crate::common::ui_client::*;
use crate::common::*;
use serde_json::json;

fn register(server: &Server, token: &str, given: &str, family: &str) -> (String, String) {
    let (s, p) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(token),
        Some(
            json!({"given_name": given, "family_name": family, "date_of_birth": "1987-03-21", "citizenships": ["UA"]}),
        ),
    );
    assert_eq!(s, 201, "{p}");
    checked(server, token, p["id"].as_str().unwrap());
    let (s, c) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(token),
        Some(
            json!({"person_id": p["id"], "types": ["labour_exploitation"], "stage": "destination", "summary": "Unpaid harvest work."}),
        ),
    );
    assert_eq!(s, 201, "{c}");
    (
        p["id"].as_str().unwrap().to_string(),
        c["id"].as_str().unwrap().to_string(),
    )
}

/// The person's duplicate status as the API gives it to `token`.
fn link_status(server: &Server, token: &str, person: &str) -> serde_json::Value {
    let (s, status) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{person}/duplicates")),
        Some(token),
        None,
    );
    assert_eq!(s, 200, "{status}");
    status
}

/// Waits until the server has compared the person (it does so in the background, once a
/// burst of registrations has passed): what either side sees is only meaningful after, the
/// absence of a signal above all.
fn checked(server: &Server, token: &str, person: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while link_status(server, token, person)["duplicate_check_running"] != false {
        assert!(
            std::time::Instant::now() < deadline,
            "the duplicate check of {person} never ran"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

fn officer_token(server: &Server) -> String {
    server.token("officer@immigration.demo")
}

#[test]
fn duplicates_are_reviewed_merged_and_undone_and_partners_learn_only_that_a_record_may_exist() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let supervisor = server.token("supervisor@shelter.demo");
    let consul = server.token("consul@consulate.demo");
    let hotline = server.token("intake@hotline.demo");
    let link = |person: &str, token: &str| {
        link_status(&server, token, person)["partner_may_hold"]
            .as_bool()
            .expect("a flag")
    };
    let signals = |person: &str, token: &str| {
        let (s, list) = call(
            "GET",
            &server.url(&format!("/api/v1/persons/{person}/partner-signals")),
            Some(token),
            None,
        );
        assert_eq!(s, 200, "{list}");
        list.as_array().expect("a list").clone()
    };
    // The demo world holds one: the labour inspectorate held Pavel Ionescu's record when the
    // hotline registered him. The inspectorate (its inspector reviews its duplicates) is told;
    // the hotline, which registered him, learns nothing.
    for (email, told) in [
        ("inspector@labour.demo", true),
        ("intake@hotline.demo", false),
    ] {
        let token = server.token(email);
        let (_, cases) = call("GET", &server.url("/api/v1/cases"), Some(&token), None);
        let pavel = cases
            .as_array()
            .and_then(|c| c.iter().find(|c| c["person_name"] == "Pavel Ionescu"))
            .unwrap_or_else(|| panic!("{email} has Pavel's case: {cases}"));
        let person = pavel["person_id"].as_str().unwrap();
        assert_eq!(link(person, &token), told, "{email}");
        assert_eq!(signals(person, &token).len(), usize::from(told), "{email}");
    }
    let (first, first_case) = register(&server, &worker, "Oleksandr", "Kovalenko");
    let (again, again_case) = register(&server, &worker, "Олександр", "Коваленко");

    let (s, _) = call(
        "GET",
        &server.url("/api/v1/duplicates"),
        Some(&worker),
        None,
    );
    assert_eq!(
        s, 403,
        "caseworkers do not review other caseworkers' persons"
    );
    let (s, queue) = call(
        "GET",
        &server.url("/api/v1/duplicates"),
        Some(&supervisor),
        None,
    );
    assert_eq!(s, 200, "{queue}");
    let pair = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["person_id"] == again.as_str())
        .expect("found");
    assert_eq!(pair["other_id"], first.as_str());
    assert!(pair["probability"].as_f64().unwrap() > 0.9);

    // The page: the pair with why, merge, then undo.
    let mut ui = Client::sign_in(&server, "supervisor@shelter.demo");
    let page = ui.get("/duplicates");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Олександр Коваленко") && page.body.contains("Oleksandr Kovalenko"));
    assert!(
        page.body.contains("date of birth: exact"),
        "the explanation in words"
    );
    let csrf = csrf_of(&page.body);
    let id = pair["id"].as_str().unwrap();
    let merged = ui.post(&format!("/duplicates/{id}/merge"), &[("csrf", &csrf)]);
    assert_eq!(merged.status, 303);
    let (_, case) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{again_case}")),
        Some(&supervisor),
        None,
    );
    assert_eq!(
        case["person"]["id"],
        first.as_str(),
        "the case moved to the person kept"
    );
    let page = ui.get("/duplicates");
    let at = page.body.find("/merges/").expect("an undo form");
    let merge_id = &page.body[at + 8..at + 8 + 36];
    let undone = ui.post(&format!("/merges/{merge_id}/undo"), &[("csrf", &csrf)]);
    assert_eq!(undone.status, 303);
    let (_, case) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{again_case}")),
        Some(&supervisor),
        None,
    );
    assert_eq!(case["person"]["id"], again.as_str(), "undone exactly");
    let stale = ui.post(&format!("/duplicates/{id}/merge"), &[("csrf", "wrong")]);
    assert_eq!(stale.status, 403, "CSRF checked");

    // A consulate registers him too: that raises nothing, on either side.
    let (theirs, theirs_case) = register(&server, &consul, "Oleksandr", "Kovalenko");
    assert!(!link(&theirs, &consul));
    assert!(signals(&theirs, &consul).is_empty());
    let mut consulate = Client::sign_in(&server, "consul@consulate.demo");
    let person_page = consulate.get(&format!("/cases/{theirs_case}/person"));
    assert_eq!(person_page.status, 200);
    assert!(
        !person_page
            .body
            .contains("A partner organisation may hold a record of this person")
    );
    assert!(!link(&first, &supervisor), "the consulate probed nobody");
    assert!(signals(&first, &supervisor).is_empty());

    // The hotline registers him: it observes what it would if nobody held him.
    let (ours, _) = register(&server, &hotline, "Oleksandr", "Kovalenko");
    assert!(!link(&ours, &hotline));
    assert!(signals(&ours, &hotline).is_empty());
    // The shelter, which held him, is told: its supervisor, not the caseworker.
    assert!(link(&first, &supervisor));
    assert!(!link(&first, &worker));
    assert!(signals(&first, &worker).is_empty());
    let signal = signals(&first, &supervisor)
        .first()
        .expect("a signal for the holder")["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The shelter's person agrees: its page offers the question and names nobody.
    let partners = ui.get(&format!("/cases/{first_case}/partners"));
    assert_eq!(partners.status, 200);
    assert!(
        partners.body.contains("Record agreement"),
        "{}",
        partners.body
    );
    assert!(
        !partners.body.contains("Migrant Helpline"),
        "nobody named yet"
    );
    let agreed = ui.post(
        &format!("/cases/{first_case}/partners/{signal}/consent"),
        &[
            ("csrf", &csrf_of(&partners.body)),
            ("method", "verbal"),
            ("language", "uk"),
        ],
    );
    assert_eq!(agreed.status, 303, "{}", agreed.body);
    // Now the hotline is asked to ask its own person, still without a name.
    let mine = signals(&ours, &hotline);
    let mine = mine
        .iter()
        .find(|x| x["id"] == signal.as_str())
        .expect("now shown to the registering side");
    assert_eq!(mine["partner_consent"], true, "the partner asks");
    assert!(mine["partner_organisation"].is_null(), "{mine}");
    assert!(link(&ours, &hotline));
    // A method that is not one is refused with the field named; nothing is recorded.
    let consent = format!("/api/v1/persons/{ours}/partner-signals/{signal}/consent");
    let (s, e) = call(
        "POST",
        &server.url(&consent),
        Some(&hotline),
        Some(json!({"method": "nod"})),
    );
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["fields"][0]["field"], "method", "{e}");
    // Immigration enforcement cannot see or act on it.
    let (s, _) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{ours}/partner-signals")),
        Some(&officer_token(&server)),
        None,
    );
    assert_eq!(s, 404);
    // The hotline's person agrees: connected, and each side now names the other.
    let (s, done) = call(
        "POST",
        &server.url(&consent),
        Some(&hotline),
        Some(json!({"method": "written", "language": "uk"})),
    );
    assert_eq!(s, 200, "{done}");
    assert_eq!(done["status"], "connected");
    assert!(
        !done["partner_organisation"]["name"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
    let partners = ui.get(&format!("/cases/{first_case}/partners"));
    assert!(
        partners.body.contains("Connected with"),
        "{}",
        partners.body
    );
    let (s, _) = call(
        "POST",
        &server.url(&consent),
        Some(&hotline),
        Some(json!({"method": "verbal"})),
    );
    assert_eq!(s, 422, "a resolved signal takes nothing more");

    // Immigration enforcement learns nothing.
    let officer = officer_token(&server);
    let (s, _) = call(
        "GET",
        &server.url("/api/v1/duplicates"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 403);
    let (s, _) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{first}/duplicates")),
        Some(&officer),
        None,
    );
    assert_eq!(s, 404);
}
