//! Screening against the real binary: the instruments contract, a screening's result that
//! explains itself (201), an unknown indicator refused (422), saving step by step, the case's
//! HTCDS fields filled, identification by a supervisor only, the firewall; and the pages: the
//! interview one question at a time in the interview language, all on one page, the result, the
//! supervisor's identification, and the red-flag screen inside the hotline desk.

use crate::common::ui_client::*;
use crate::common::*;
use serde_json::{Value, json};

const DIMENSIONS: [&str; 6] = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitative_conditions",
    "coercion_at_destination",
    "abuse_of_vulnerability_at_destination",
];

/// Every group of the adult rule met, one question declined.
fn presumed() -> Value {
    json!({"dr_nature_of_job": "yes", "dr_wages": "yes", "ec_excessive_hours": "yes",
           "ec_low_or_no_salary": "yes", "cd_documents": "yes", "cd_debt_bondage": "yes",
           "cd_violence": "declined"})
}

fn open_case(server: &Server, token: &str) -> String {
    let (s, p) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(token),
        Some(
            json!({"given_name": "Amina", "family_name": "Tester", "date_of_birth": "1990", "citizenships": ["NG"]}),
        ),
    );
    assert_eq!(s, 201, "{p}");
    let (s, c) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(token),
        Some(
            json!({"person_id": p["id"], "types": ["trafficking"], "stage": "destination",
                    "summary": "Passport taken by the employer."}),
        ),
    );
    assert_eq!(s, 201, "{c}");
    c["id"].as_str().expect("id").to_string()
}

#[test]
fn the_screening_contract_over_http() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let supervisor = server.token("supervisor@shelter.demo");
    let officer = server.token("officer@immigration.demo");

    let (s, _) = call(
        "GET",
        &server.url("/api/v1/screening/instruments"),
        None,
        None,
    );
    assert_eq!(s, 401);
    let (s, all) = call(
        "GET",
        &server.url("/api/v1/screening/instruments"),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{all}");
    let all = all.as_array().expect("a list");
    let ids: Vec<&str> = all.iter().filter_map(|i| i["id"].as_str()).collect();
    for id in [
        "ilo_adult_labour",
        "ilo_adult_sexual",
        "ilo_child_labour",
        "ilo_child_sexual",
        "ilo_forced_labour",
        "hotline_red_flags",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    for i in all {
        assert!(i["version"].is_string(), "{}", i["id"]);
        assert!(["adult", "child"].contains(&i["population"].as_str().unwrap_or("")));
        let exploitation = i["exploitation"].as_str().unwrap_or("");
        assert!(["labour", "sexual", "forced_labour", "hotline"].contains(&exploitation));
        for x in i["indicators"].as_array().expect("indicators") {
            assert!(x["id"].is_string());
            assert!(["strong", "medium", "weak"].contains(&x["strength"].as_str().unwrap_or("")));
            for l in ["en", "fr", "es", "ar"] {
                assert!(
                    !x["question"][l].as_str().unwrap_or("").is_empty(),
                    "{} {l}",
                    x["id"]
                );
            }
            if exploitation == "labour" || exploitation == "sexual" {
                assert!(
                    DIMENSIONS.contains(&x["dimension"].as_str().unwrap_or("")),
                    "{}",
                    x["dimension"]
                );
            }
        }
    }

    let case = open_case(&server, &worker);
    let url = server.url(&format!("/api/v1/cases/{case}/screenings"));
    let (s, r) = call(
        "POST",
        &url,
        Some(&worker),
        Some(json!({"instrument": "ilo_adult_labour", "answers": presumed()})),
    );
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["conclusion"], "presumed_trafficking");
    let coercion = r["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "coercion_at_destination")
        .unwrap();
    assert_eq!(coercion["positive"], true);
    assert_eq!(
        coercion["because"],
        json!(["cd_documents", "cd_debt_bondage"])
    );
    assert!(r["could_change"].is_array());
    let first = r["id"].as_str().unwrap().to_string();

    // Only yes answers: nothing tips; one unknown to tip the last group is named.
    let (s, r) = call(
        "POST",
        &url,
        Some(&worker),
        Some(json!({"instrument": "ilo_adult_labour",
        "answers": {"dr_nature_of_job": "yes", "dr_wages": "yes", "ec_excessive_hours": "yes",
                    "ec_low_or_no_salary": "yes", "cd_documents": "yes"}})),
    );
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["conclusion"], "indicators_present");
    assert!(
        r["could_change"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "cd_debt_bondage"),
        "{}",
        r["could_change"]
    );

    let (s, e) = call(
        "POST",
        &url,
        Some(&worker),
        Some(json!({"instrument": "ilo_adult_labour", "answers": {"made_up": "yes"}})),
    );
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["fields"][0]["code"], "unknown_indicator");
    let (s, e) = call(
        "POST",
        &url,
        Some(&worker),
        Some(json!({"instrument": "nope", "answers": {}})),
    );
    assert_eq!(
        (s, e["fields"][0]["code"].as_str()),
        (422, Some("unknown_instrument"))
    );

    // Step by step.
    let (s, p) = call(
        "POST",
        &url,
        Some(&worker),
        Some(json!({"instrument": "ilo_forced_labour", "language": "es", "complete": false})),
    );
    assert_eq!(
        (s, p["status"].as_str(), p["conclusion"].is_null()),
        (201, Some("in_progress"), true),
        "{p}"
    );
    let one = server.url(&format!("/api/v1/screenings/{}", p["id"].as_str().unwrap()));
    let forced = all.iter().find(|i| i["id"] == "ilo_forced_labour").unwrap();
    let some: Value = forced["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|x| (x["id"].as_str().unwrap().to_string(), json!("no")))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let (s, p2) = call(
        "PATCH",
        &one,
        Some(&worker),
        Some(json!({"answers": some, "version": p["version"]})),
    );
    assert_eq!(s, 200, "{p2}");
    let (s, stale) = call(
        "PATCH",
        &one,
        Some(&worker),
        Some(json!({"answers": {}, "version": p["version"], "complete": true})),
    );
    assert_eq!((s, stale["code"].as_str()), (409, Some("version_conflict")));
    let (s, done) = call(
        "PATCH",
        &one,
        Some(&worker),
        Some(json!({"complete": true, "version": p2["version"]})),
    );
    assert_eq!(
        (s, done["status"].as_str()),
        (200, Some("completed")),
        "{done}"
    );
    assert_eq!(done["answers"].as_object().unwrap().len(), 2);

    let (_, history) = call("GET", &url, Some(&worker), None);
    assert_eq!(history.as_array().unwrap().len(), 3, "every screening kept");

    // The case carries what was found (HTCDS).
    let (_, c) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}")),
        Some(&worker),
        None,
    );
    assert!(
        c["methods_of_control"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "DebtBondage"),
        "{c}"
    );
    assert_eq!(c["type_of_exploitation"], json!(["ForcedLabour"]));

    // Identification: supervisors only, referring to the screening.
    let ident = server.url(&format!("/api/v1/screenings/{first}/identification"));
    let (s, _) = call("POST", &ident, Some(&worker), Some(json!({})));
    assert_eq!(s, 403);
    let (s, r) = call("POST", &ident, Some(&supervisor), Some(json!({})));
    assert_eq!(s, 200, "{r}");
    let (_, c) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}")),
        Some(&supervisor),
        None,
    );
    assert_eq!(c["identification"]["status"], "possible_victim");
    assert_eq!(c["identification"]["screening"], first.as_str());

    // The immigration firewall: nothing, not even existence.
    for (m, u, b) in [
        ("GET", url.clone(), None),
        (
            "POST",
            url.clone(),
            Some(json!({"instrument": "ilo_adult_labour", "answers": {}})),
        ),
        (
            "GET",
            server.url(&format!("/api/v1/screenings/{first}")),
            None,
        ),
        ("POST", ident.clone(), Some(json!({}))),
    ] {
        let (s, _) = call(m, &u, Some(&officer), b);
        assert_eq!(s, 404, "{m} {u}");
    }
    let (s, doc) = call("GET", &server.url("/api/v1/openapi.json"), None, None);
    assert_eq!(s, 200);
    assert!(doc["paths"]["/api/v1/cases/{id}/screenings"]["post"].is_object());
}

fn field<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page"));
    let rest = &html[at + marker.len()..];
    &rest[..rest.find('"').unwrap_or(0)]
}

#[test]
fn the_interview_the_result_and_the_hotline_red_flags_on_the_pages() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    let case = open_case(&server, &token);
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");

    let list = c.get(&format!("/cases/{case}/screenings"));
    assert_eq!(list.status, 200);
    assert!(list.body.contains("No screening yet") && list.body.contains("Interview language"));
    let csrf = csrf_of(&list.body);
    let bad = c.post(
        &format!("/cases/{case}/screenings"),
        &[
            ("csrf", &csrf),
            ("instrument", "nope"),
            ("language", "ar"),
            ("mode", "one"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("href=\"#instrument\""),
        "the error links to its field"
    );
    let started = c.post(
        &format!("/cases/{case}/screenings"),
        &[
            ("csrf", &csrf),
            ("instrument", "ilo_adult_labour"),
            ("language", "ar"),
            ("mode", "one"),
        ],
    );
    assert_eq!(started.status, 303);
    let at = started.location.clone();
    assert!(at.contains("mode=one"), "{at}");

    // One question at a time, in Arabic, the staff member's English beside it.
    let q1 = c.get(&at);
    assert_eq!(q1.status, 200);
    assert!(q1.body.contains("Question 1 of 66"), "one question");
    assert!(
        q1.body.contains("lang=\"ar\" dir=\"rtl\""),
        "asked in Arabic, right to left"
    );
    assert!(q1.body.contains("In English:"));
    assert!(q1.body.contains("name=\"a_dr_nature_of_job\""));
    let version = field(&q1.body, "name=\"version\" value=\"").to_string();
    let sid = at
        .trim_start_matches("/screenings/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let next = c.post(
        &format!("/screenings/{sid}"),
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("mode", "one"),
            ("q", "0"),
            ("a_dr_nature_of_job", "yes"),
            ("go", "next"),
        ],
    );
    assert_eq!(
        (next.status, next.location.as_str()),
        (
            303,
            format!("/screenings/{sid}?mode=one&q=1&done=saved").as_str()
        )
    );
    let q2 = c.get(&next.location);
    assert!(q2.body.contains("Question 2 of 66") && q2.body.contains("1 of 66 answered"));
    // A stale page is refused with the saved answers shown, nothing lost.
    let stale = c.post(
        &format!("/screenings/{sid}"),
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("mode", "one"),
            ("q", "1"),
            ("a_dr_wages", "yes"),
            ("go", "next"),
        ],
    );
    assert_eq!(stale.status, 422);
    assert!(stale.body.contains("Someone saved answers"));

    // Stop, then go on with every question on one page.
    let list = c.get(&format!("/cases/{case}/screenings"));
    assert!(list.body.contains("in progress"));
    let all = c.get(&format!("/screenings/{sid}?mode=all"));
    assert!(
        all.body.contains("name=\"a_av_personal_characteristics\""),
        "every question"
    );
    assert!(
        all.body
            .contains("name=\"a_dr_nature_of_job\" value=\"yes\" checked"),
        "saved answers shown"
    );
    let version = field(&all.body, "name=\"version\" value=\"").to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("version", &version),
        ("mode", "all"),
        ("go", "finish"),
        // 6 of 66 answered: finishing with questions open is confirmed.
        ("confirm", "yes"),
    ];
    form.extend([
        ("a_dr_wages", "yes"),
        ("a_ec_excessive_hours", "yes"),
        ("a_ec_low_or_no_salary", "yes"),
        ("a_cd_documents", "yes"),
        ("a_cd_debt_bondage", "yes"),
    ]);
    let done = c.post(&format!("/screenings/{sid}"), &form);
    assert_eq!(
        (done.status, done.location.as_str()),
        (
            303,
            format!("/screenings/{sid}?done=screening-finished").as_str()
        )
    );
    let result = c.get(&done.location);
    assert!(
        result
            .body
            .contains("Presumed victim: the indicators meet the rule"),
        "the conclusion in words"
    );
    assert!(
        result.body.contains("two strong indicators"),
        "which rule made a dimension positive"
    );
    assert!(
        result.body.contains("assess and meet the person"),
        "a result never gates help"
    );
    assert!(
        !result.body.contains("Record identification"),
        "caseworkers do not identify"
    );

    let mut sup = Client::sign_in(&server, "supervisor@shelter.demo");
    let seen = sup.get(&format!("/screenings/{sid}"));
    assert!(seen.body.contains("Record identification"));
    let scsrf = csrf_of(&seen.body);
    let ident = sup.post(
        &format!("/screenings/{sid}/identification"),
        &[("csrf", &scsrf)],
    );
    assert_eq!(ident.status, 303);
    let overview = sup.get(&format!("/cases/{case}"));
    assert!(
        overview
            .body
            .contains(&format!("href=\"/screenings/{sid}\"")),
        "identification refers to the screening"
    );
    assert!(
        overview.body.contains("DebtBondage"),
        "methods of control on the case"
    );

    // The officer of immigration enforcement sees none of it.
    let mut officer = Client::sign_in(&server, "officer@immigration.demo");
    assert_eq!(officer.get(&format!("/screenings/{sid}")).status, 404);
    assert_eq!(
        officer.get(&format!("/cases/{case}/screenings")).status,
        404
    );

    // The hotline desk's red-flag screen goes with the report.
    let mut desk = Client::sign_in(&server, "intake@hotline.demo");
    let page = desk.get("/hotline");
    assert!(page.body.contains("id=\"red-flags\""));
    let first_flag = field(&page.body, "name=\"rf_").to_string();
    let dcsrf = csrf_of(&page.body);
    let key = format!("rf_{first_flag}");
    let saved = desk.post(
        "/hotline",
        &[
            ("csrf", &dcsrf),
            ("caller_type", "victim"),
            ("language", "es"),
            ("urgency", "normal"),
            ("categories", "unpaid_wages"),
            ("narrative", "Trabaja sin salario en una granja."),
            (&key, "yes"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = desk.get(&saved.location);
    assert!(report.body.contains("Red flags at the desk"));
    assert!(
        report.body.contains("Indicators present"),
        "a red flag raises indicators present, never more"
    );
}

#[test]
fn a_deployment_brings_its_own_instruments_and_a_broken_one_stops_the_start() {
    let dir = temp_dir("instruments");
    let own = dir.join("instruments");
    std::fs::create_dir_all(&own).expect("dir");
    std::fs::create_dir_all(dir.join("data")).expect("dir");
    // A national variant of the hotline screen, replacing the built-in one by id.
    let variant = include_str!("../../../core/instruments/hotline_red_flags.toml").replacen(
        "version = \"",
        "version = \"national-",
        1,
    );
    std::fs::write(own.join("hotline.toml"), &variant).expect("write");
    let server = Server::start_in(
        dir.join("data"),
        &[("PASSAGE_INSTRUMENTS_DIR", own.to_str().expect("path"))],
    );
    let token = server.token("caseworker@shelter.demo");
    let (_, all) = call(
        "GET",
        &server.url("/api/v1/screening/instruments"),
        Some(&token),
        None,
    );
    let hotline = all
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "hotline_red_flags")
        .unwrap();
    assert!(
        hotline["version"]
            .as_str()
            .unwrap()
            .starts_with("national-"),
        "{}",
        hotline["version"]
    );
    drop(server);

    let start = |file: &str, text: &str| {
        std::fs::write(own.join(file), text).expect("write");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_passage"))
            .args(["serve", "--data-dir"])
            .arg(dir.join("data"))
            .args(["--listen", "127.0.0.1:1"])
            .env("PASSAGE_INSTRUMENTS_DIR", &own)
            .env_remove("PASSAGE_DATABASE_URL")
            .output()
            .expect("run passage");
        std::fs::remove_file(own.join(file)).expect("remove");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let unknown_dimension = variant.replacen(
        "dimension = \"coercion_at_destination\"",
        "dimension = \"coercion_somewhere\"",
        1,
    );
    let (ok, text) = start("zz-bad.toml", &unknown_dimension);
    assert!(
        !ok && text.contains("zz-bad.toml")
            && text.contains("unknown dimension `coercion_somewhere`"),
        "{text}"
    );
    let first = variant.find("[[indicators]]").expect("indicators");
    let next = variant[first + 1..]
        .find("[[indicators]]")
        .map(|n| n + first + 1)
        .unwrap_or(variant.len());
    let duplicate = format!("{variant}\n{}", &variant[first..next]);
    let (ok, text) = start("zz-dup.toml", &duplicate);
    assert!(
        !ok && text.contains("zz-dup.toml") && text.contains("duplicate indicator id"),
        "{text}"
    );
}
