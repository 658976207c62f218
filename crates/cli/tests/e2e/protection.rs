//! International protection against the real binary, on the demo world: the shelter referred
//! Maricel Santos's case to the Philippine consulate on her consent. When she says she fears
//! return to the Philippines and the shelter records it, the consulate's next read of the
//! referral answers as for one that does not exist, and the shelter reads why.

use crate::common::*;
use serde_json::json;

#[test]
fn recording_a_fear_of_return_ends_the_consulates_access_at_once() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let consul = server.token("consul@consulate.demo");
    let (_, cases) = call("GET", &server.url("/api/v1/cases"), Some(&worker), None);
    let case = cases
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| {
            c["person_name"]
                .as_str()
                .unwrap_or("")
                .starts_with("Maricel")
        })
        .and_then(|c| c["id"].as_str())
        .expect("demo case")
        .to_string();
    let case_url = server.url(&format!("/api/v1/cases/{case}"));
    let (_, outgoing) = call(
        "GET",
        &server.url("/api/v1/referrals?direction=outgoing"),
        Some(&worker),
        None,
    );
    let referral = outgoing
        .as_array()
        .expect("the shelter's referrals")
        .iter()
        .find(|r| r["case_id"] == case.as_str())
        .and_then(|r| r["id"].as_str())
        .expect("the demo referral")
        .to_string();
    let referral_url = server.url(&format!("/api/v1/referrals/{referral}"));
    let (s, _) = call("GET", &referral_url, Some(&consul), None);
    assert_eq!(s, 200, "the consulate reads what was referred to it");

    let (s, bad) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{case}/protection-needs")),
        Some(&worker),
        Some(json!({"kind": "fear_of_return", "countries": ["XX"], "reason": ""})),
    );
    assert_eq!(s, 422, "{bad}");
    let (s, _) = call("GET", &referral_url, Some(&consul), None);
    assert_eq!(s, 200, "a refused record changes nothing");

    let (s, made) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{case}/protection-needs")),
        Some(&worker),
        Some(json!({"kind": "fear_of_return", "countries": ["PH"],
                    "reason": "Her recruiter works with officials at home."})),
    );
    assert_eq!(s, 201, "{made}");
    assert!(made["id"].is_string(), "{made}");
    let (s, gone) = call("GET", &referral_url, Some(&consul), None);
    assert_eq!(
        s, 404,
        "the consulate of the country she fears loses the referral: {gone}"
    );
    assert_eq!(gone["code"], "not_found");
    let (_, mine) = call("GET", &referral_url, Some(&worker), None);
    assert_eq!(mine["status"], "withdrawn");
    assert_eq!(mine["access_ended_reason"], "international_protection");
    let (s, _) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(s, 200, "the shelter keeps its case");
}

/// The demo's fear-of-return need: Maricel Dizon, registered by the inspectorate, fears return
/// to the Philippines. The need is in force with a review planned; the attempt to refer her
/// case to the Philippine consulate was refused and recorded; the consulate finds her case as
/// it finds one that does not exist; her case page shows the banner and the refusal.
#[test]
fn the_demo_need_refused_the_referral_to_the_consulate_of_the_country_fled() {
    let server = Server::start();
    let inspector = server.token("inspector@labour.demo");
    let consul = server.token("consul@consulate.demo");
    let (_, cases) = call("GET", &server.url("/api/v1/cases"), Some(&inspector), None);
    let case = cases
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| {
            c["person_name"]
                .as_str()
                .unwrap_or("")
                .starts_with("Maricel Dizon")
        })
        .and_then(|c| c["id"].as_str())
        .expect("demo case")
        .to_string();
    let needs_url = server.url(&format!("/api/v1/cases/{case}/protection-needs"));
    let (s, needs) = call("GET", &needs_url, Some(&inspector), None);
    assert_eq!(s, 200, "{needs}");
    assert_eq!(needs[0]["kind"], "fear_of_return");
    assert_eq!(needs[0]["countries"], json!(["PH"]));
    assert_eq!(needs[0]["raised_by"], "the_person");
    assert_eq!(needs[0]["status"], "in_force");
    assert!(needs[0]["next_review_on"].is_string(), "{needs}");
    // The consulate: the same 404 as for a case that does not exist.
    let missing = server.url(&format!("/api/v1/cases/{}", uuid::Uuid::now_v7()));
    let (s1, real) = call(
        "GET",
        &server.url(&format!("/api/v1/cases/{case}")),
        Some(&consul),
        None,
    );
    let (s2, none) = call("GET", &missing, Some(&consul), None);
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(real, none);
    let (s, _) = call("GET", &needs_url, Some(&consul), None);
    assert_eq!(s, 404);
    // Maricel Santos's referral to the consulate, on her consent, is untouched.
    let (_, incoming) = call(
        "GET",
        &server.url("/api/v1/referrals?direction=incoming"),
        Some(&consul),
        None,
    );
    let names: Vec<&str> = incoming
        .as_array()
        .expect("referrals")
        .iter()
        .filter_map(|r| r["shared"]["name"].as_str())
        .collect();
    assert!(names.contains(&"Maricel Santos"), "{incoming}");
    assert!(
        !names.iter().any(|n| n.starts_with("Maricel Dizon")),
        "nothing of the person who fled: {incoming}"
    );
}
