//! The API contract of name search under variant spellings: `GET /api/v1/cases?q=Muhammad`
//! finds a person registered as "Mohammed", `q=alrashidi` finds "Al-Rashidi", `q=Olena` finds
//! "Олена"; an unrelated name is not found, and another organisation finds nothing.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

async fn register(app: &App, who: &User, given: &str, family: &str) -> String {
    let a = app
        .api(
            Method::POST,
            "/persons",
            Some(who),
            Some(json!({"given_name": given, "family_name": family})),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let person = a.json()["id"].as_str().expect("person id").to_string();
    let c = app
        .api(
            Method::POST,
            "/cases",
            Some(who),
            Some(json!({
                "person_id": person,
                "types": ["labour_exploitation"],
                "stage": "destination",
                "summary": "Wages unpaid for four months."
            })),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.body);
    c.json()["id"].as_str().expect("case id").to_string()
}

async fn search(app: &App, who: &User, q: &str) -> Vec<String> {
    let a = app
        .api(
            Method::GET,
            &format!("/cases?q={}", urlencode(q)),
            Some(who),
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn cases_are_found_under_variant_spellings_of_the_name() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::Ngo,
            "variants@ngo.test",
            &[Role::Intake, Role::Supervisor],
        )
        .await;
    let mohammed = register(&app, &worker, "Mohammed", "Haddad").await;
    let rashidi = register(&app, &worker, "Karim", "Al-Rashidi").await;
    let olena = register(&app, &worker, "Олена", "Шевченко").await;
    let mahmoud = register(&app, &worker, "Mahmoud", "Nasser").await;

    assert_eq!(
        search(&app, &worker, "Muhammad").await,
        std::slice::from_ref(&mohammed)
    );
    assert_eq!(
        search(&app, &worker, "Mohamed").await,
        std::slice::from_ref(&mohammed)
    );
    assert_eq!(
        search(&app, &worker, "alrashidi").await,
        std::slice::from_ref(&rashidi)
    );
    assert_eq!(search(&app, &worker, "al rashidi").await, [rashidi]);
    assert_eq!(search(&app, &worker, "Olena").await, [olena]);
    assert_eq!(search(&app, &worker, "Mahmoud").await, [mahmoud]);
    assert!(search(&app, &worker, "Ahmed").await.is_empty());

    // Another organisation gets the answer nobody gets.
    let other = app
        .user(
            OrgKind::Ngo,
            "other@ngo2.test",
            &[Role::Intake, Role::Supervisor],
        )
        .await;
    assert!(search(&app, &other, "Muhammad").await.is_empty());
}
