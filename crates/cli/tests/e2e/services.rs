//! The service directory against the real binary and the demo world: a demo user finds the demo
//! shelter with its beds, and the public finder never shows the shelter's confidential address.

use crate::common::*;

#[test]
fn a_demo_user_finds_the_demo_shelter_with_its_capacity() {
    let server = Server::start();
    let intake = server.token("intake@hotline.demo");
    let (s, list) = call(
        "GET",
        &server.url("/api/v1/services?type=shelter"),
        Some(&intake),
        None,
    );
    assert_eq!(s, 200, "{list}");
    let entries = list.as_array().expect("a list");
    assert_eq!(entries.len(), 1, "{list}");
    let shelter = &entries[0];
    assert_eq!(shelter["name"], "Safe Harbour women's shelter");
    assert_eq!(shelter["type"], "shelter");
    assert_eq!(shelter["country"], "GB");
    assert!(shelter["organisation_id"].is_string());
    assert!(shelter["languages"].as_array().expect("languages").len() >= 2);
    assert_eq!(shelter["capacity"]["free"], 3);
    assert_eq!(shelter["capacity"]["total"], 12);
    assert_eq!(shelter["capacity"]["full"], false);
    assert!(shelter["capacity"]["updated_at"].as_i64().expect("ms") > 0);
    assert!(
        shelter["address"].is_null(),
        "the helpline never gets the address"
    );

    // Several types at the demo organisations, none at immigration enforcement.
    let (_, all) = call("GET", &server.url("/api/v1/services"), Some(&intake), None);
    let mut types: Vec<&str> = all
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "child_protection",
            "consular_assistance",
            "interpretation",
            "labour_rights",
            "legal_aid",
            "return_reintegration",
            "shelter"
        ]
    );

    let officer = server.token("officer@immigration.demo");
    let (s, refused) = call("GET", &server.url("/api/v1/services"), Some(&officer), None);
    assert_eq!(s, 403, "{refused}");

    let finder = agent()
        .get(&server.url("/services?lang=ar"))
        .call()
        .expect("finder")
        .into_body()
        .read_to_string()
        .expect("body");
    assert!(
        finder.contains("Safe Harbour women"),
        "the public shelter is listed"
    );
    assert!(
        !finder.contains("Quiet Row"),
        "the shelter's address stays confidential"
    );
}
