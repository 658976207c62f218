//! Case list filters over HTTP against the real binary: the query parameters, their 400s, and
//! the list page's filter form and pages without JavaScript.

use crate::common::*;

#[test]
fn the_case_list_takes_filters_and_names_what_is_allowed() {
    let server = Server::start();
    let token = server.token("supervisor@shelter.demo");
    let get = |q: &str| {
        call(
            "GET",
            &server.url(&format!("/api/v1/cases?{q}")),
            Some(&token),
            None,
        )
    };
    let (s, all) = get("");
    assert_eq!(s, 200, "{all}");
    let all = all.as_array().expect("array").len();
    assert!(all >= 4, "the shelter's demo cases");
    for q in [
        "status=open",
        "type=trafficking",
        "stage=destination",
        "risk=high",
        "overdue=true",
        "assigned=me",
        "status=open&risk=medium&limit=2",
    ] {
        let (s, v) = get(q);
        assert_eq!(s, 200, "{q}: {v}");
        let n = v.as_array().expect("array").len();
        assert!(n <= all, "{q} narrows");
    }
    let (_, open) = get("status=open");
    assert!(
        open.as_array()
            .expect("array")
            .iter()
            .all(|c| c["status"] == "open")
    );
    let (_, limited) = get("limit=2");
    assert_eq!(limited.as_array().map(Vec::len), Some(2.min(all)));
    for (q, word) in [
        ("status=pending", "status must be one of"),
        ("risk=extreme", "risk must be one of"),
        ("overdue=yes", "overdue must be true"),
        ("assigned=someone", "assigned must be me"),
        ("colour=red", "Use q"),
    ] {
        let (s, v) = get(q);
        assert_eq!(
            (s, v["code"].as_str()),
            (400, Some("invalid_query")),
            "{q}: {v}"
        );
        assert!(
            v["message"].as_str().unwrap_or("").contains(word),
            "{q}: {v}"
        );
    }
    // Immigration enforcement gets no list, filtered or not.
    let officer = server.token("officer@immigration.demo");
    let (s, _) = call(
        "GET",
        &server.url("/api/v1/cases?status=open"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 403);
}

#[test]
fn closing_a_case_plans_follow_up_visits_that_record_a_sustainability_check() {
    let server = Server::start();
    let token = server.token("caseworker@shelter.demo");
    let (s, person) = call(
        "POST",
        &server.url("/api/v1/persons"),
        Some(&token),
        Some(serde_json::json!({"given_name": "Hawa", "family_name": "Kamara"})),
    );
    assert_eq!(s, 201, "{person}");
    let (s, case) = call(
        "POST",
        &server.url("/api/v1/cases"),
        Some(&token),
        Some(
            serde_json::json!({"person_id": person["id"], "types": ["labour_exploitation"], "stage": "return", "summary": "Returned home with support."}),
        ),
    );
    assert_eq!(s, 201, "{case}");
    let id = case["id"].as_str().expect("id").to_string();
    let (s, v) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{id}/transitions")),
        Some(&token),
        Some(
            serde_json::json!({"to": "closed", "outcome": "return_with_reintegration", "reason": "Back home, business grant paid."}),
        ),
    );
    assert_eq!(s, 200, "{v}");
    let list = |t: &str| {
        call(
            "GET",
            &server.url(&format!("/api/v1/cases/{id}/follow-ups")),
            Some(t),
            None,
        )
    };
    let (s, visits) = list(&token);
    assert_eq!(s, 200, "{visits}");
    let visits = visits.as_array().expect("array").clone();
    assert_eq!(visits.len(), 3, "3, 6 and 12 months: {visits:?}");
    let first = &visits[0];
    let url = server.url(&format!(
        "/api/v1/follow-ups/{}",
        first["id"].as_str().expect("id")
    ));
    let today =
        passage_core::casework::calendar::Day::from_unix_ms(passage_store::now_ms()).to_string();
    let visit = |version: i64, economic: i64| serde_json::json!({"done_on": today, "economic": economic, "social": 2, "psychosocial": 3, "note": "Shop open", "version": version});
    let version = first["version"].as_i64().expect("version");
    let (s, v) = call("POST", &url, Some(&token), Some(visit(version, 7)));
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("validation_failed")),
        "{v}"
    );
    let (s, v) = call("POST", &url, Some(&token), Some(visit(version, 1)));
    assert_eq!(s, 200, "{v}");
    let (s, v) = call("POST", &url, Some(&token), Some(visit(version, 3)));
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("version_conflict")),
        "a stale write changes nothing: {v}"
    );
    let (_, after) = list(&token);
    assert_eq!(after[0]["economic"], 1);
    assert_eq!(after[0]["note"], "Shop open");
    let officer = server.token("officer@immigration.demo");
    assert_eq!(list(&officer).0, 404);
    assert_eq!(
        call("POST", &url, Some(&officer), Some(visit(version + 1, 2))).0,
        404
    );
}
