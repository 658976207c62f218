//! A registration's duplicate check runs after the registration answers: until it is done, the
//! person's page and the API say that it is still running instead of saying nothing was found.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use passage_store::casework::duplicates::LinkCheckMode;

#[tokio::test]
async fn the_person_page_and_the_api_say_while_the_duplicate_check_runs() {
    // Nothing compares until the test runs the checks: the state a busy checker leaves.
    let app = App::configured(|s| s.with_link_check_mode(LinkCheckMode::Deferred)).await;
    let org = app.org(OrgKind::Ngo, "Shelter").await;
    let lead = app.member(org, "lead@s.test", &[Role::Supervisor]).await;
    let cases = kovalenko_twice(&app, &lead).await;
    let second = &cases[1];
    let person = app
        .api(Method::GET, &format!("/cases/{second}"), Some(&lead), None)
        .await
        .json()["person"]["id"]
        .as_str()
        .expect("person id")
        .to_string();
    let path = format!("/persons/{person}/duplicates");

    let page = app
        .page(&format!("/cases/{second}/person"), Some(&lead))
        .await;
    assert_eq!(page.status, 200);
    let html = page.html();
    assert_eq!(select(&html, "#duplicate-check-running").len(), 1);
    assert!(select(&html, "#duplicate-review").is_empty());
    let before = app.api(Method::GET, &path, Some(&lead), None).await.json();
    assert_eq!(before["duplicate_check_running"], true, "{before}");
    assert_eq!(before["pending_review"], false, "{before}");

    assert_eq!(app.store.run_link_checks().await.expect("checks"), 2);
    let page = app
        .page(&format!("/cases/{second}/person"), Some(&lead))
        .await;
    let html = page.html();
    assert!(select(&html, "#duplicate-check-running").is_empty());
    assert_eq!(select(&html, "#duplicate-review").len(), 1);
    let after = app.api(Method::GET, &path, Some(&lead), None).await.json();
    assert_eq!(after["duplicate_check_running"], false, "{after}");
    assert_eq!(after["pending_review"], true, "{after}");
}

/// The state of a running check is the holder's alone: another organisation and immigration
/// enforcement get, for a person whose check is running and again once it has run, the same
/// answer as for a person who does not exist, so the check is no oracle of who is registered.
#[tokio::test]
async fn outsiders_learn_nothing_of_a_running_or_finished_check() {
    let app = App::configured(|s| s.with_link_check_mode(LinkCheckMode::Deferred)).await;
    let org = app.org(OrgKind::Ngo, "Shelter").await;
    let lead = app.member(org, "lead@s.test", &[Role::Supervisor]).await;
    let other = app.org(OrgKind::Ngo, "Other").await;
    let stranger = app.member(other, "lead@o.test", &[Role::Supervisor]).await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@border.test", Role::ALL)
        .await;
    let cases = kovalenko_twice(&app, &lead).await;
    let person = app
        .api(
            Method::GET,
            &format!("/cases/{}", cases[1]),
            Some(&lead),
            None,
        )
        .await
        .json()["person"]["id"]
        .as_str()
        .expect("person id")
        .to_string();
    let nobody = uuid::Uuid::now_v7().to_string();
    for round in ["running", "finished"] {
        for who in [&stranger, &officer] {
            let real = app
                .api(
                    Method::GET,
                    &format!("/persons/{person}/duplicates"),
                    Some(who),
                    None,
                )
                .await;
            let none = app
                .api(
                    Method::GET,
                    &format!("/persons/{nobody}/duplicates"),
                    Some(who),
                    None,
                )
                .await;
            assert_eq!(real.status, 404, "{round}: {}", real.body);
            assert_eq!(
                (real.status, real.json()["code"].clone()),
                (none.status, none.json()["code"].clone()),
                "{round}"
            );
            assert!(!real.body.contains("duplicate_check_running"), "{round}");
        }
        if round == "running" {
            assert_eq!(app.store.run_link_checks().await.expect("checks"), 2);
        }
    }
}
