//! The case list's pages over HTTP against the real binary, on cases made by
//! `passage demo generate`: the `Link` header leads from page to page keeping the filters, the
//! pages together hold every case once, and generated cases are found by name like registered
//! ones.

use crate::common::*;
use std::collections::HashSet;
use std::process::Command;

/// GET with a token; status, body and the `Link` header.
fn get(url: &str, token: &str) -> (u16, serde_json::Value, Option<String>) {
    let mut res = agent()
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("request");
    let link = res
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = res.status().as_u16();
    let body = res
        .body_mut()
        .read_json()
        .unwrap_or(serde_json::Value::Null);
    (status, body, link)
}

/// The target of the link with this `rel`.
fn rel(link: &Option<String>, rel: &str) -> Option<String> {
    link.as_deref()?.split(", ").find_map(|part| {
        let (target, params) = part.split_once(">; ")?;
        (params == format!("rel=\"{rel}\"")).then(|| target.trim_start_matches('<').to_string())
    })
}

/// Every page from `path`, following `rel="next"`; each page's items.
fn walk(server: &Server, token: &str, path: &str) -> Vec<Vec<serde_json::Value>> {
    let mut pages = Vec::new();
    let mut next = Some(path.to_string());
    while let Some(path) = next {
        let (status, body, link) = get(&server.url(&path), token);
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(
            rel(&link, "prev").is_some(),
            !pages.is_empty(),
            "{path}: prev after the first page only"
        );
        pages.push(body.as_array().expect("array").clone());
        next = rel(&link, "next");
        assert!(pages.len() < 100, "the pages end");
    }
    pages
}

#[test]
fn generated_cases_page_through_links_and_are_found_by_name() {
    // The demo world once, then 130 synthetic cases by the command, then serve again.
    let dir = Server::start().kill();
    let out = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args([
            "demo",
            "generate",
            "--cases",
            "130",
            "--batch",
            "40",
            "--data-dir",
        ])
        .arg(&dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run generate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("130 synthetic cases"));
    let generate = |org: &str| {
        Command::new(env!("CARGO_BIN_EXE_passage"))
            .args([
                "demo",
                "generate",
                "--cases",
                "5",
                "--org",
                org,
                "--data-dir",
            ])
            .arg(&dir)
            .env_remove("PASSAGE_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .output()
            .expect("run generate")
    };
    assert!(generate("Safe Harbour Shelter").status.success());
    for (org, why) in [
        ("Border and Immigration Enforcement", "may open cases"),
        ("Nowhere", "no organisation named"),
    ] {
        let out = generate(org);
        assert!(!out.status.success(), "{org}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(why),
            "{org}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let server = Server::start_in(dir, &[]);
    let token = server.token("supervisor@shelter.demo");

    // Every case once, newest first, across pages of 25.
    let pages = walk(&server, &token, "/api/v1/cases?limit=25");
    assert!(pages.len() >= 6, "{} pages", pages.len());
    assert!(pages[..pages.len() - 1].iter().all(|p| p.len() == 25));
    let all: Vec<&serde_json::Value> = pages.iter().flatten().collect();
    let ids: HashSet<&str> = all.iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), all.len(), "each case once");
    assert!(all.len() >= 135, "{}", all.len());
    let created: Vec<i64> = all
        .iter()
        .map(|c| c["created_at"].as_i64().expect("created_at"))
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // The demo's closed history makes the whole list longer than the largest page; the open
    // cases fit in one.
    let (_, one_page, link) = get(&server.url("/api/v1/cases?status=open&limit=200"), &token);
    assert_eq!(
        one_page.as_array().map(Vec::len),
        Some(all.iter().filter(|c| c["status"] == "open").count())
    );
    assert_eq!(link, None, "a list that fits one page has no links");
    let (_, first, link) = get(&server.url("/api/v1/cases?limit=200"), &token);
    assert_eq!(first.as_array().map(Vec::len), Some(200));
    assert!(link.is_some(), "a longer list links to its next page");

    // The links keep the filters; every page holds only what the filter asks.
    let pages = walk(&server, &token, "/api/v1/cases?status=open&limit=4");
    let open: Vec<&serde_json::Value> = pages.iter().flatten().collect();
    assert!(open.len() > 4, "more than one page of open cases");
    assert!(open.iter().all(|c| c["status"] == "open"));
    let expected = all.iter().filter(|c| c["status"] == "open").count();
    assert_eq!(open.len(), expected, "the open pages hold every open case");

    // A generated case is found by a prefix of each of its names, across pages.
    let target = all
        .iter()
        .find(|c| {
            c["person_name"]
                .as_str()
                .is_some_and(|n| n.split(' ').count() == 2 && n.is_ascii())
        })
        .expect("a generated case");
    let name = target["person_name"].as_str().expect("name");
    let (given, family) = name.split_once(' ').expect("two names");
    let q = format!("{} {}", &given[..3], &family[..3]).to_lowercase();
    let pages = walk(
        &server,
        &token,
        &format!("/api/v1/cases?q={}&limit=3", q.replace(' ', "+")),
    );
    let found: Vec<&serde_json::Value> = pages.iter().flatten().collect();
    assert!(
        found.iter().any(|c| c["id"] == target["id"]),
        "{q} finds {name}"
    );
    assert!(found.iter().all(|c| {
        passage_store::search::matches(&q, &[c["person_name"].as_str().unwrap_or("")])
    }));
    let expected = all
        .iter()
        .filter(|c| passage_store::search::matches(&q, &[c["person_name"].as_str().unwrap_or("")]))
        .count();
    assert_eq!(found.len(), expected, "every case whose name matches, once");

    // The caseworker who registered them sees them; immigration enforcement gets nothing.
    let worker = server.token("caseworker@shelter.demo");
    let (status, mine, _) = get(&server.url("/api/v1/cases?limit=200"), &worker);
    assert_eq!(status, 200);
    assert!(mine.as_array().expect("array").len() >= 130);
    let officer = server.token("officer@immigration.demo");
    let (status, _, link) = get(&server.url("/api/v1/cases?limit=2"), &officer);
    assert_eq!((status, link), (403, None));
    // The list page: Next only when there is a next page, the filters kept in its links, and
    // a bad filter named in an error summary that links to its field.
    let (_, mine_all, _) = get(&server.url("/api/v1/cases?assigned=me&limit=200"), &worker);
    let mine_all = mine_all.as_array().expect("array").len();
    let pages = mine_all.div_ceil(50);
    assert!(pages >= 3, "{mine_all}");
    let mut ui = ui_client::Client::sign_in(&server, "caseworker@shelter.demo");
    let first = ui.get("/cases?assigned=me");
    assert_eq!(first.status, 200);
    assert!(
        first
            .body
            .contains("href=\"/cases?assigned=me&#38;offset=50\" rel=\"next\""),
        "Next keeps the filter: {}",
        first.body
    );
    assert!(!first.body.contains("rel=\"prev\""));
    let last = ui.get(&format!("/cases?assigned=me&offset={}", (pages - 1) * 50));
    assert!(
        !last.body.contains("rel=\"next\""),
        "no Next on the last page"
    );
    assert!(last.body.contains("rel=\"prev\""));
    assert_eq!(
        last.body.matches("class=\"case-link\"").count(),
        mine_all - (pages - 1) * 50
    );
    let bad = ui.get("/cases?risk=extreme&status=open");
    assert!(
        bad.body.contains("<a href=\"#risk\">risk must be one of"),
        "{}",
        bad.body
    );
    let short = ui.get("/cases?q=a");
    assert!(short.body.contains("<a href=\"#q\">"), "{}", short.body);
}
