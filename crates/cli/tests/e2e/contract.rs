//! The API contract, end to end against the real binary on SQLite with the demo world.

use crate::common::*;
use serde_json::json;

fn person_and_case(server: &Server, token: &str, given: &str) -> (String, String) {
    let (s, p) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(token),
        Some(
            json!({"given_name": given, "family_name": "Okafor", "date_of_birth": "1993-04", "sex": "female", "citizenships": ["NG"], "migration_status": "asylum seeker"}),
        ),
    );
    assert_eq!(s, 201, "{p}");
    let pid = p["id"].as_str().expect("person id").to_string();
    let (s, c) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(token),
        Some(
            json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Passport taken by the recruiter."}),
        ),
    );
    assert_eq!(s, 201, "{c}");
    (pid, c["id"].as_str().expect("case id").to_string())
}

#[test]
fn health_tokens_and_identity() {
    let server = Server::start();
    assert_eq!(call("GET", &server.url("/healthz"), None, None).0, 200);
    let url = server.url("/api/v1/auth/token");
    let wrong = call(
        "POST",
        &url,
        None,
        Some(json!({"email": "caseworker@shelter.demo", "password": "nope"})),
    );
    let unknown = call(
        "POST",
        &url,
        None,
        Some(json!({"email": "nobody@shelter.demo", "password": "nope"})),
    );
    assert_eq!(wrong.0, 401);
    assert_eq!(wrong, unknown, "no user enumeration by status or body");
    assert_eq!(call("GET", &server.url("/api/v1/me"), None, None).0, 401);
    assert_eq!(
        call(
            "GET",
            &server.url("/api/v1/me"),
            Some(&"0".repeat(64)),
            None
        )
        .0,
        401
    );

    let token = server.token("consul@consulate.demo");
    let (s, me) = call("GET", &server.url("/api/v1/me"), Some(&token), None);
    assert_eq!(s, 200);
    assert_eq!(me["email"], "consul@consulate.demo");
    assert_eq!(me["roles"], json!(["consular"]));
    assert_eq!(me["organisation"]["kind"], "consulate");
    assert_eq!(me["organisation"]["country"], "PH");
    assert!(
        me["id"].is_string()
            && me["organisation"]["id"].is_string()
            && me["organisation"]["name"].is_string()
    );

    // A revoked token stops working.
    assert_eq!(call("DELETE", &url, Some(&token), None).0, 204);
    assert_eq!(
        call("GET", &server.url("/api/v1/me"), Some(&token), None).0,
        401
    );
}

#[test]
fn cases_are_seen_by_those_allowed_and_by_nobody_else() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let (_, case_id) = person_and_case(&server, &worker, "Chiamaka");
    let case_url = server.url(&format!("/api/v1/cases/{case_id}"));

    let (s, case) = call("GET", &case_url, Some(&worker), None);
    assert_eq!(s, 200);
    assert_eq!(case["person"]["given_name"], "Chiamaka");
    assert_eq!(case["person"]["migration_status"], "asylum seeker");
    assert_eq!(case["person"]["sex"], "feminine");
    assert_eq!(case["types"], json!(["trafficking"]));
    assert_eq!(case["summary"], "Passport taken by the recruiter.");

    let supervisor = server.token("supervisor@shelter.demo");
    assert_eq!(call("GET", &case_url, Some(&supervisor), None).0, 200);

    let missing = call(
        "GET",
        &server.url("/api/v1/cases/01900000-0000-7000-8000-000000000000"),
        Some(&worker),
        None,
    );
    assert_eq!(missing.0, 404);
    for email in [
        "intake@hotline.demo",
        "inspector@labour.demo",
        "consul@consulate.demo",
        "officer@immigration.demo",
        "analyst@statistics.demo",
        "admin@passage.demo",
    ] {
        let other = call("GET", &case_url, Some(&server.token(email)), None);
        assert_eq!(
            other, missing,
            "{email} must get the same 404 as a missing case"
        );
    }
}

#[test]
fn name_search_and_the_firewall_on_lists() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let (s, all) = call("GET", &server.url("/api/v1/cases"), Some(&worker), None);
    assert_eq!(s, 200);
    assert_eq!(
        all.as_array().expect("array").len(),
        5,
        "the caseworker's five demo cases"
    );
    let (_, found) = call(
        "GET",
        &server.url("/api/v1/cases?q=nunez"),
        Some(&worker),
        None,
    );
    let names: Vec<&str> = found
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["person_name"].as_str())
        .collect();
    assert_eq!(names, vec!["María José Núñez García"]);
    let (_, cyrillic) = call(
        "GET",
        &server.url("/api/v1/cases?q=%D0%9E%D0%BB%D0%B5%D0%BD"),
        Some(&worker),
        None,
    );
    assert_eq!(
        cyrillic.as_array().expect("array").len(),
        1,
        "search in the person's own script"
    );
    // The consulate finds none of the shelter's cases, not even the one referred to it.
    let (_, consul) = call(
        "GET",
        &server.url("/api/v1/cases?q=santos"),
        Some(&server.token("consul@consulate.demo")),
        None,
    );
    assert_eq!(consul.as_array().expect("array").len(), 0);
    // Immigration enforcement: no case data, only statistics.
    let officer = server.token("officer@immigration.demo");
    let (s, body) = call(
        "GET",
        &server.url("/api/v1/cases?q=santos"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 403);
    assert_eq!(body["code"], "forbidden");
    let (s, stats) = call(
        "GET",
        &server.url("/api/v1/stats/summary"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 200);
    let k = stats["k"].as_u64().expect("k");
    assert_eq!(k, 11, "CTDC's k by default");
    let cells = stats["cells"].as_array().expect("cells");
    assert!(!cells.is_empty(), "a cell per case type");
    assert!(cells.iter().all(|c| c["key"]["type"].is_string()));
    assert!(
        cells
            .iter()
            .all(|c| c["count"].is_null() == c["suppressed"].as_bool().expect("flag"))
    );
    assert!(
        cells
            .iter()
            .all(|c| c["count"].is_null() || c["count"].as_u64().is_some_and(|n| n == 0 || n >= k))
    );
    assert!(stats["excluded_without_consent"].is_u64());
    let (s, crossed) = call(
        "GET",
        &server.url("/api/v1/stats/summary?by=type,stage&from=2026-01-01&to=2026-06-30"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 200, "{crossed}");
    assert!(
        crossed["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .all(|c| c["key"]["type"].is_string() && c["key"]["stage"].is_string())
    );
    let (s, bad) = call(
        "GET",
        &server.url("/api/v1/stats/summary?by=name"),
        Some(&officer),
        None,
    );
    assert_eq!((s, bad["code"].as_str()), (400, Some("invalid_query")));
    let (s, _) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(&officer),
        Some(json!({"given_name": "X", "family_name": "Y"})),
    );
    assert_eq!(s, 403);
}

#[test]
fn the_openapi_document_describes_the_contract() {
    let server = Server::start();
    let (s, doc) = call("GET", &server.url("/api/v1/openapi.json"), None, None);
    assert_eq!(s, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/persons",
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/stats/summary",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}
