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

/// Whether a case exists must not be learnt by asking for it from outside: an immigration
/// enforcement user, an analyst and a caseworker of another organisation get the same answer,
/// status and body, for a real case as for an id that names nothing, on the API and the page.
#[tokio::test]
async fn no_outsider_learns_whether_a_case_exists() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(serde_json::json!({"given_name": "Amina", "family_name": "Diallo"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let person_id = person.json()["id"].as_str().expect("person id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(serde_json::json!({
                "person_id": person_id,
                "types": ["labour_exploitation"],
                "stage": "destination",
                "summary": "Wages withheld."
            })),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let real = case.json()["id"].as_str().expect("case id").to_string();
    let none = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        app.api(Method::GET, &format!("/cases/{real}"), Some(&worker), None)
            .await
            .status,
        200,
        "the owner reads the case, so the case the outsiders ask for is real"
    );

    let outsiders = [
        app.user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await,
        app.user(
            OrgKind::ServiceProvider,
            "a@analysts.test",
            &[Role::Analyst],
        )
        .await,
        app.user(OrgKind::Ngo, "c@other.test", &[Role::Caseworker])
            .await,
    ];
    for who in &outsiders {
        for path in ["/cases/{id}", "/persons/{id}"] {
            let ids = [real.as_str(), none.as_str()];
            let [a, b] = ids.map(|id| path.replace("{id}", id));
            let (ra, rb) = (
                app.api(Method::GET, &a, Some(who), None).await,
                app.api(Method::GET, &b, Some(who), None).await,
            );
            assert!(ra.status >= 400, "{a}: {}", ra.body);
            assert_eq!((ra.status, &ra.body), (rb.status, &rb.body), "{path}");
        }
        let (pa, pb) = (
            app.page(&format!("/cases/{real}"), Some(who)).await,
            app.page(&format!("/cases/{none}"), Some(who)).await,
        );
        assert!(pa.status >= 400);
        assert_eq!(pa.status, pb.status, "the case page's status");
        assert_eq!(
            select(&pa.html(), "main"),
            select(&pb.html(), "main"),
            "the case page's text"
        );
    }
}

#[tokio::test]
async fn a_path_segment_that_is_not_an_id_answers_as_a_missing_record() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let some = uuid::Uuid::new_v4();

    // The API: one id, and the second of two.
    let missing = app
        .api(
            Method::GET,
            &format!("/persons/{some}"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    for path in [
        "/persons/not-an-id".to_string(),
        format!("/persons/{some}/consents/not-an-id"),
    ] {
        let method = if path.contains("consents") {
            Method::DELETE
        } else {
            Method::GET
        };
        let answer = app.api(method, &path, Some(&worker), None).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert_eq!(answer.json(), missing.json(), "{path}");
    }

    // A page, and a staff form posted to a path with an id and an action.
    let missing = app.page(&format!("/cases/{some}"), Some(&worker)).await;
    assert_eq!(missing.status, 404);
    let malformed = app.page("/cases/not-an-id", Some(&worker)).await;
    assert_eq!(malformed.status, 404);
    assert_eq!(
        select(&malformed.html(), "main"),
        select(&missing.html(), "main")
    );
    let posted = app
        .post_form(
            &format!("/cases/{some}/tasks/not-an-id/complete"),
            &worker,
            &[("csrf", &worker.csrf), ("version", "1")],
        )
        .await;
    assert_eq!(posted.status, 404, "{}", posted.body);
    assert_eq!(
        select(&posted.html(), "main"),
        select(&missing.html(), "main")
    );
}

/// Readiness asks the database; liveness does not. A database that cannot be reached makes
/// `/readyz` answer 503 `database_unavailable` and every write 503 with the same code, while
/// `/healthz` stays 200 (the process needs no restart).
#[allow(clippy::disallowed_methods)]
#[tokio::test]
async fn readiness_checks_the_database_and_a_lost_database_is_a_503() {
    let app = App::new().await;
    let worker = app
        .user(OrgKind::Ngo, "ready@ngo.test", &[Role::Caseworker])
        .await;
    let ready = app.page("/readyz", None).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["status"], "ok");

    app.store
        .operator("router test")
        .unsafe_raw_pool()
        .close()
        .await;
    let ready = app.page("/readyz", None).await;
    assert_eq!(ready.status, 503);
    assert_eq!(
        (
            ready.json()["status"].as_str(),
            ready.json()["code"].as_str()
        ),
        (Some("unavailable"), Some("database_unavailable"))
    );
    assert_eq!(app.page("/healthz", None).await.status, 200);
    let write = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(serde_json::json!({"given_name": "A", "family_name": "B"})),
        )
        .await;
    assert_eq!(write.status, 503, "{}", write.body);
    assert_eq!(write.json()["code"], "database_unavailable");
    assert!(write.headers.contains_key("retry-after"));
}
