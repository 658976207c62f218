//! Case list filters over HTTP against the real binary: the query parameters, their 400s, and
//! the list page's filter form and pages without JavaScript.

mod common;

use common::*;

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
