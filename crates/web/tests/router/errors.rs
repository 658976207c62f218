//! Errors as clients see them: every code is one the document lists, and the firewall is told
//! apart by its reason, on the API and on the page.

use crate::harness::{App, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};

fn listed(code: &str) -> bool {
    passage_core::ErrorCode::parse(code).is_some()
}

#[tokio::test]
async fn refusals_carry_a_listed_code_and_a_message() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;

    let anonymous = app.api(Method::GET, "/cases", None, None).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.json()["code"], "unauthenticated");

    let missing = app
        .api(
            Method::GET,
            &format!("/cases/{}", uuid::Uuid::new_v4()),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], "not_found");

    let unparsable = app
        .api(Method::GET, "/cases/not-an-id", Some(&worker), None)
        .await;
    assert_eq!(
        unparsable.status, 404,
        "an id that does not parse names no record"
    );

    let invalid = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(serde_json::json!({"given_name": "", "family_name": ""})),
        )
        .await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    let body = invalid.json();
    assert_eq!(body["code"], "validation_failed");
    let fields = body["fields"].as_array().expect("fields");
    assert!(!fields.is_empty());
    for answer in [&anonymous, &missing, &invalid] {
        let code = answer.json()["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(listed(&code), "{code} is not a listed code");
        assert!(
            !answer.json()["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
    }
    for f in fields {
        let code = f["code"].as_str().unwrap_or_default();
        assert!(listed(code), "field code {code} is not listed");
    }
}

#[tokio::test]
async fn the_firewall_is_named_by_its_reason_on_the_api_and_the_page() {
    let app = App::new().await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;

    let api = app.api(Method::GET, "/cases", Some(&officer), None).await;
    assert_eq!(api.status, 403, "{}", api.body);
    assert_eq!(api.json()["code"], "forbidden");
    assert_eq!(api.json()["reason"], "immigration_firewall");

    let page = app.page("/cases", Some(&officer)).await;
    assert_eq!(page.status, 403);
    let links = crate::harness::attrs(&page.html(), "main a[href='/stats']", "href");
    assert_eq!(links, ["/stats"], "the firewall page points to statistics");

    // A refusal that is not the firewall names no reason and offers no statistics link.
    let admin_page = app.page("/admin/users", Some(&worker)).await;
    assert_eq!(admin_page.status, 403, "{}", admin_page.body);
    assert!(select(&admin_page.html(), "main a[href='/stats']").is_empty());
}
