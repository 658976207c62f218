//! A partner against the real binary, on the demo world: the shelter shared Maricel Santos's
//! case with the consulate on her referral consent. The consulate works on what was referred
//! to it (a note) but never changes the shelter's case (summary, assignment, closing with a
//! return outcome: 403 `owner_only`, the case unchanged); when Maricel withdraws the consent,
//! the consulate's next read answers as for a case that does not exist.

use crate::common::*;
use serde_json::json;

#[test]
fn a_consulate_never_takes_over_a_shared_case_and_loses_it_with_the_consent() {
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
    let (s, _) = call("GET", &case_url, Some(&consul), None);
    assert_eq!(s, 200, "the consulate reads the case shared with it");
    let v = before["version"].clone();

    for (method, path, body) in [
        (
            "PATCH",
            format!("/api/v1/cases/{case}"),
            json!({"version": v, "summary": "Returned home."}),
        ),
        (
            "PATCH",
            format!("/api/v1/cases/{case}"),
            json!({"version": v, "assigned_to": null}),
        ),
        (
            "POST",
            format!("/api/v1/cases/{case}/transitions"),
            json!({"to": "closed", "reason": "Returned", "outcome": "return_with_reintegration"}),
        ),
    ] {
        let (s, e) = call(method, &server.url(&path), Some(&consul), Some(body));
        assert_eq!(s, 403, "{method} {path}: {e}");
        assert_eq!(e["code"], "owner_only", "{e}");
    }
    let (_, after) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(after, before, "the shelter's case is unchanged");

    let (s, note) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{case}/notes")),
        Some(&consul),
        Some(json!({"confidentiality": "normal", "body": "Passport renewal started."})),
    );
    assert_eq!(s, 201, "the consulate's own note: {note}");

    // Maricel withdraws her referral consent to the consulate.
    let (_, consents) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{person}/consents")),
        Some(&worker),
        None,
    );
    let referral = consents
        .as_array()
        .expect("consents")
        .iter()
        .find(|c| c["purpose"] == "referral")
        .and_then(|c| c["id"].as_str())
        .expect("the referral consent")
        .to_string();
    let (s, _) = call(
        "DELETE",
        &server.url(&format!("/api/v1/persons/{person}/consents/{referral}")),
        Some(&worker),
        None,
    );
    assert_eq!(s, 204);
    let (s, gone) = call("GET", &case_url, Some(&consul), None);
    let (_, nothing) = call(
        "GET",
        &server.url("/api/v1/cases/0190a5e0-0000-7000-8000-000000000000"),
        Some(&consul),
        None,
    );
    assert_eq!(s, 404);
    assert_eq!(gone, nothing, "as for a case that does not exist");
    let (s, _) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(s, 200, "the shelter keeps its case");
}
