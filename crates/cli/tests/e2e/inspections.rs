//! Labour inspection against the real binary and the demo world: the demo inspectorate's
//! inspector finds the demo recruiter first in the ranking for its country, with the parts of
//! its score (complaints past k, indicators its visit found, the revoked licence, the days
//! since that visit), and its work list holds the order past its deadline and the follow-up;
//! no answer names a worker who complained. Staff who do not inspect are refused with a
//! reason, immigration enforcement meets the firewall.

use crate::common::*;

#[test]
fn the_inspector_finds_the_demo_recruiter_first_with_its_reasons() {
    let server = Server::start();
    let api = |p: &str| server.url(&format!("/api/v1{p}"));
    let inspector = server.token("inspector@labour.demo");
    let (s, found) = call(
        "GET",
        &api("/entities?q=Al%20Noor%20Manpower"),
        Some(&inspector),
        None,
    );
    assert_eq!(s, 200, "{found}");
    let recruiter = found[0]["id"]
        .as_str()
        .expect("the demo recruiter")
        .to_string();

    let url = api("/inspections/targets?country=AE");
    let mut res = agent()
        .get(&url)
        .header("Authorization", &format!("Bearer {inspector}"))
        .call()
        .expect("targets");
    assert_eq!(res.status().as_u16(), 200);
    let body = res.body_mut().read_to_string().expect("body");
    for never in [
        "Reza",
        "Karimi",
        "Dilnoza",
        "María",
        "Maricel",
        "Passport kept",
    ] {
        assert!(!body.contains(never), "never who complained: {never}");
    }
    let targets: serde_json::Value = serde_json::from_str(&body).expect("json");
    let first = &targets[0];
    assert_eq!(first["entity_id"], recruiter.as_str(), "{targets}");
    let part = |factor: &str| {
        first["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .find(|p| p["factor"] == factor)
            .cloned()
            .unwrap_or_else(|| panic!("no {factor} in {first}"))
    };
    assert!(
        part("complaints")["value"].as_u64().expect("past k") >= 10,
        "{first}"
    );
    assert!(part("complaints")["points"].as_u64() > Some(0));
    assert_eq!(part("indicators_found")["value"], 3, "{first}");
    assert_eq!(part("licence_status")["value"], "revoked", "{first}");
    assert_eq!(part("days_since_last_visit")["value"], 45, "{first}");
    let sum: u64 = first["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["points"].as_u64().expect("points"))
        .sum();
    assert_eq!(first["score"].as_u64(), Some(sum));
    // A country where the demo has no recruiter: an empty ranking.
    let (s, none) = call(
        "GET",
        &api("/inspections/targets?country=PH"),
        Some(&inspector),
        None,
    );
    assert_eq!((s, none), (200, serde_json::json!([])));

    // The work list: the order past its deadline and the follow-up to come.
    let (s, list) = call("GET", &api("/inspections"), Some(&inspector), None);
    assert_eq!(s, 200, "{list}");
    assert_eq!(
        list["overdue_orders"][0]["entity_id"],
        recruiter.as_str(),
        "{list}"
    );
    assert_eq!(list["overdue_orders"][0]["category"], "identity_documents");
    assert_eq!(
        list["planned"][0]["entity_id"],
        recruiter.as_str(),
        "{list}"
    );
    assert_eq!(list["planned"][0]["follow_up"], true);
    let visit = list["overdue_orders"][0]["inspection_id"]
        .as_str()
        .expect("visit")
        .to_string();
    let (s, v) = call(
        "GET",
        &api(&format!("/inspections/{visit}")),
        Some(&inspector),
        None,
    );
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "done");
    for never in ["Reza", "Karimi", "María"] {
        assert!(!v.to_string().contains(never), "{v}");
    }

    // Staff who do not inspect: refused; immigration enforcement: the firewall.
    let worker = server.token("caseworker@shelter.demo");
    let (s, refused) = call("GET", &url, Some(&worker), None);
    assert_eq!(s, 403, "{refused}");
    assert_eq!(refused["code"], "forbidden");
    let officer = server.token("officer@immigration.demo");
    let (s, refused) = call("GET", &url, Some(&officer), None);
    assert_eq!(s, 403, "{refused}");
    assert_eq!(refused["reason"], "immigration_firewall", "{refused}");
}
