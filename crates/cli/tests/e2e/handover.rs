//! A report handed over end to end with the real binary and the demo world (issue 14): a
//! public report reaches the helpline, the helpline hands it to the labour inspectorate, the
//! inspector reads it and answers, and the reporter follows up by receipt as before.

use crate::common::*;
use serde_json::json;

#[test]
fn the_helpline_hands_a_report_to_the_inspectorate_and_the_reporter_follows_up() {
    let server = Server::start();
    let (s, v) = call(
        "POST",
        &server.url("/api/v1/public/reports"),
        None,
        Some(json!({"language": "en", "category": "unpaid_wages",
                    "narrative": "No wages since March at the packing plant",
                    "form_token": public_form_token(&server)})),
    );
    assert_eq!(s, 201, "{v}");
    let receipt = v["receipt"].as_str().expect("receipt").to_string();

    let intake = server.token("intake@hotline.demo");
    let (_, queue) = call(
        "GET",
        &server.url("/api/v1/reports?status=new"),
        Some(&intake),
        None,
    );
    // The demo seeds reports of the same category: find ours by its narrative.
    let id = queue
        .as_array()
        .expect("queue")
        .iter()
        .filter(|r| r["categories"] == json!(["unpaid_wages"]))
        .filter_map(|r| r["id"].as_str())
        .find(|id| {
            let (_, r) = call(
                "GET",
                &server.url(&format!("/api/v1/reports/{id}")),
                Some(&intake),
                None,
            );
            r["narrative"] == "No wages since March at the packing plant"
        })
        .expect("the report at the helpline")
        .to_string();

    // The helpline chooses the inspectorate by name among the allowed organisations.
    let (s, targets) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{id}/hand-over-targets")),
        Some(&intake),
        None,
    );
    assert_eq!(s, 200, "{targets}");
    let targets = targets.as_array().expect("targets");
    let names: Vec<&str> = targets.iter().filter_map(|t| t["name"].as_str()).collect();
    for never in [
        "Border and Immigration Enforcement",
        "Consulate of the Philippines",
        "Migrant Helpline",
    ] {
        assert!(!names.contains(&never), "{never} in {names:?}");
    }
    let inspectorate = targets
        .iter()
        .find(|t| t["name"] == "Labour Inspectorate")
        .and_then(|t| t["id"].as_str())
        .expect("the inspectorate is a target")
        .to_string();
    let (s, moved) = call(
        "POST",
        &server.url(&format!("/api/v1/reports/{id}/hand-over")),
        Some(&intake),
        Some(
            json!({"organisation_id": inspectorate, "reason": "Unpaid wages: the inspectorate's remit"}),
        ),
    );
    assert_eq!(s, 200, "{moved}");
    assert_eq!(moved["status"], "handed_over");
    let (s, _) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{id}")),
        Some(&intake),
        None,
    );
    assert_eq!(s, 404, "the helpline no longer reads it");

    // The inspector finds it and answers.
    let inspector = server.token("inspector@labour.demo");
    let (s, report) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{id}")),
        Some(&inspector),
        None,
    );
    assert_eq!(s, 200, "{report}");
    assert_eq!(
        report["narrative"],
        "No wages since March at the packing plant"
    );
    let (s, _) = call(
        "POST",
        &server.url(&format!("/api/v1/reports/{id}/messages")),
        Some(&inspector),
        Some(json!({"body": "An inspector will visit the plant this week."})),
    );
    assert_eq!(s, 201);

    // The reporter follows up with the same receipt and reads the inspectorate's reply, with
    // no organisation named.
    let (s, f) = call(
        "POST",
        &server.url("/api/v1/public/reports/follow-up"),
        None,
        Some(json!({"receipt": receipt})),
    );
    assert_eq!(s, 200, "{f}");
    let msgs = f["messages"].as_array().expect("messages");
    assert_eq!(
        msgs.last().and_then(|m| m["body"].as_str()),
        Some("An inspector will visit the plant this week.")
    );
    let text = f.to_string();
    assert!(
        !text.contains("Inspectorate") && !text.contains("Helpline"),
        "{text}"
    );
    let (s, _) = call(
        "POST",
        &server.url("/api/v1/public/reports/messages"),
        None,
        Some(json!({"receipt": receipt, "body": "Thank you, I work the night shift."})),
    );
    assert_eq!(s, 201);
    let (_, report) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{id}")),
        Some(&inspector),
        None,
    );
    assert_eq!(
        report["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["body"].as_str()),
        Some("Thank you, I work the night shift.")
    );
}
