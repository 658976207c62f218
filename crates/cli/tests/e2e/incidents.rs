//! Incidents against the real binary and the demo world (issue 16 items 1 and 5): a
//! caseworker records an incident through the API without anyone's name; the monitoring view
//! of the demo ministry's analyst counts it inside its region's suppressed count ("fewer than
//! k": the region stays under k with it) while London, above k, is published; bad input is a
//! 422 naming the field with nothing written; immigration enforcement meets the firewall.

use crate::common::ui_client::Client;
use crate::common::*;
use passage_core::casework::calendar::Day;
use serde_json::{Value, json};

/// A day counted from today (UTC).
fn day(offset: i64) -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Day::from_unix_ms(ms).plus_days(offset).to_string()
}

fn region(figures: &Value, key: &str) -> Value {
    figures["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .find(|c| c["key"] == key)
        .cloned()
        .unwrap_or_else(|| panic!("no {key} in {figures}"))
}

#[test]
fn an_incident_recorded_through_the_api_is_counted_inside_a_suppressed_cell() {
    let server = Server::start();
    let api = |p: &str| server.url(&format!("/api/v1{p}"));
    let worker = server.token("caseworker@shelter.demo");
    let analyst = server.token("analyst@statistics.demo");

    let (s, before) = call("GET", &api("/monitoring?country=GB"), Some(&analyst), None);
    assert_eq!(s, 200, "{before}");
    let k = before["min_cell"].as_u64().expect("k");
    assert_eq!(
        region(&before, "north_west"),
        json!({"key": "north_west", "count": null, "suppressed": true})
    );
    assert!(
        region(&before, "london")["count"]
            .as_u64()
            .expect("published")
            >= k
    );

    let (_, mine_before) = call("GET", &api("/incidents"), Some(&worker), None);
    let (s, created) = call(
        "POST",
        &api("/incidents"),
        Some(&worker),
        Some(json!({
            "occurred_on": day(-1),
            "country": "GB",
            "region": "north_west",
            "place_type": "school",
            "kinds": ["discrimination_education", "hate_speech"],
            "bias_motives": ["nationality"],
            "perpetrator_type": "unknown",
            "affected": {"girls": 1, "boys": 2},
            "source": "victim",
            "narrative": "Three pupils were told to go back where they came from."
        })),
    );
    assert_eq!(s, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_string();

    // The recording organisation sees it in its list; the view counts it, still suppressed.
    let (_, mine) = call("GET", &api("/incidents?country=GB"), Some(&worker), None);
    assert!(
        mine.as_array()
            .expect("list")
            .iter()
            .any(|i| i["id"] == id.as_str()),
        "{mine}"
    );
    let (_, after) = call("GET", &api("/monitoring?country=GB"), Some(&analyst), None);
    assert_eq!(
        region(&after, "north_west"),
        json!({"key": "north_west", "count": null, "suppressed": true}),
        "the region stays under k with the new incident"
    );
    assert_eq!(region(&after, "london"), region(&before, "london"));
    let kind = after["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|c| c["key"] == "discrimination_education")
        .cloned()
        .expect("kind");
    assert_eq!(
        kind["suppressed"], true,
        "one incident of that kind: {kind}"
    );
    assert!(!after.to_string().contains("back where they came from"));

    // The page shows the same: London's count, "fewer than k" for the North West.
    let mut c = Client::sign_in(&server, "analyst@statistics.demo");
    let page = c.get("/monitoring?country=GB");
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.body;
    assert!(html.contains(&format!("fewer than {k}")), "{html}");
    assert!(html.contains("<svg class=\"chart tile-map\""), "{html}");

    // Bad input: 422 naming the field, nothing written.
    let (s, bad) = call(
        "POST",
        &api("/incidents"),
        Some(&worker),
        Some(json!({"occurred_on": day(1), "country": "GB",
                    "place_type": "school", "kinds": ["discrimination_education"],
                    "affected": {"girls": -1}, "source": "victim", "narrative": "x"})),
    );
    assert_eq!(s, 422, "{bad}");
    let fields: Vec<&str> = bad["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["occurred_on", "affected.girls"]);
    let (_, mine_after) = call("GET", &api("/incidents"), Some(&worker), None);
    assert_eq!(
        mine_after.as_array().map(Vec::len),
        mine_before.as_array().map(|l| l.len() + 1)
    );

    // Immigration enforcement: the firewall.
    let officer = server.token("officer@immigration.demo");
    for path in ["/incidents", "/monitoring?country=GB"] {
        let (s, v) = call("GET", &api(path), Some(&officer), None);
        assert_eq!(s, 403, "{path}: {v}");
        assert_eq!(v["reason"], "immigration_firewall");
    }
}
