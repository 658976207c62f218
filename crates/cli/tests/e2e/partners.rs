//! The consulate against the real binary, on the demo world: the shelter referred Maricel
//! Santos's case to the consulate's service on her referral consent. The consulate reads the
//! referral with the minimal fields only, never the case itself, and changes nothing of it
//! (every read and write of the case answers as for a case that does not exist); when Maricel
//! withdraws the consent, the consulate's next read of the referral answers 404 too, and the
//! shelter reads why.

use crate::common::*;
use serde_json::json;

#[test]
fn a_consulate_reads_only_what_was_referred_and_loses_it_with_the_consent() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let consul = server.token("consul@consulate.demo");
    let (_, cases) = call("GET", &server.url("/api/v1/cases"), Some(&worker), None);
    let maricel = cases
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| {
            c["person_name"]
                .as_str()
                .unwrap_or("")
                .starts_with("Maricel")
        })
        .expect("demo case")
        .clone();
    let case = maricel["id"].as_str().expect("id").to_string();
    let person = maricel["person_id"].as_str().expect("person").to_string();
    let case_url = server.url(&format!("/api/v1/cases/{case}"));
    let (s, before) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(s, 200, "{before}");
    let (_, nothing) = call(
        "GET",
        &server.url("/api/v1/cases/0190a5e0-0000-7000-8000-000000000000"),
        Some(&consul),
        None,
    );
    let v = before["version"].clone();

    // The referral is in the consulate's incoming list, with the minimal fields only.
    let (s, incoming) = call(
        "GET",
        &server.url("/api/v1/referrals?direction=incoming"),
        Some(&consul),
        None,
    );
    assert_eq!(s, 200, "{incoming}");
    // The shelter refers two persons to the consulate: Maricel, and the demo returnee whose
    // travel documents it asked for.
    let (referral_url, s, seen) = incoming
        .as_array()
        .expect("list")
        .iter()
        .filter(|r| {
            r["from_organisation_name"]
                .as_str()
                .is_some_and(|n| n.contains("Shelter"))
        })
        .filter_map(|r| r["id"].as_str())
        .map(|id| {
            let url = server.url(&format!("/api/v1/referrals/{id}"));
            let (s, seen) = call("GET", &url, Some(&consul), None);
            (url, s, seen)
        })
        .find(|(_, _, seen)| seen["shared"]["name"] == "Maricel Santos")
        .expect("the demo referral");
    let referral = seen["id"].as_str().expect("id").to_string();
    assert_eq!(s, 200, "{seen}");
    assert_eq!(seen["shared_fields"], json!(["name", "languages", "needs"]));
    assert_eq!(seen["shared"]["name"], "Maricel Santos");
    assert!(seen["shared"].get("migration_status").is_none(), "{seen}");
    assert!(
        seen.get("case_id").is_none(),
        "the receiver never learns the case's id"
    );

    // The case itself: every read and write as for a case that does not exist.
    for (method, path, body) in [
        ("GET", format!("/api/v1/cases/{case}"), None),
        ("GET", format!("/api/v1/persons/{person}"), None),
        (
            "PATCH",
            format!("/api/v1/cases/{case}"),
            Some(json!({"version": v, "summary": "Returned home."})),
        ),
        (
            "POST",
            format!("/api/v1/cases/{case}/transitions"),
            Some(
                json!({"to": "closed", "reason": "Returned", "outcome": "return_with_reintegration"}),
            ),
        ),
        (
            "POST",
            format!("/api/v1/cases/{case}/notes"),
            Some(json!({"confidentiality": "normal", "body": "Passport renewal started."})),
        ),
    ] {
        let (s, e) = call(method, &server.url(&path), Some(&consul), body);
        assert_eq!(s, 404, "{method} {path}: {e}");
        assert_eq!(e, nothing, "{method} {path}: as for nothing");
    }
    let (_, after) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(after, before, "the shelter's case is unchanged");

    // Maricel withdraws her referral consent to the consulate.
    let (_, consents) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{person}/consents")),
        Some(&worker),
        None,
    );
    let consent = consents
        .as_array()
        .expect("consents")
        .iter()
        .find(|c| c["purpose"] == "referral")
        .and_then(|c| c["id"].as_str())
        .expect("the referral consent")
        .to_string();
    let (s, _) = call(
        "DELETE",
        &server.url(&format!("/api/v1/persons/{person}/consents/{consent}")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 204);
    let (s, gone) = call("GET", &referral_url, Some(&consul), None);
    assert_eq!(s, 404, "{gone}");
    let (_, incoming) = call(
        "GET",
        &server.url("/api/v1/referrals?direction=incoming"),
        Some(&consul),
        None,
    );
    assert!(
        incoming
            .as_array()
            .expect("list")
            .iter()
            .all(|r| r["id"] != referral.as_str()),
        "{incoming}"
    );
    let (s, mine) = call("GET", &referral_url, Some(&worker), None);
    assert_eq!(s, 200, "{mine}");
    assert_eq!(mine["status"], "withdrawn");
    assert_eq!(mine["access_ended_reason"], "consent_withdrawn");
    let (s, _) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(s, 200, "the shelter keeps its case");
}
