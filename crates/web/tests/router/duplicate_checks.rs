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
    let mut cases = Vec::new();
    for (given, family) in [("Oleksandr", "Kovalenko"), ("Олександр", "Коваленко")]
    {
        let done = app
            .post_form(
                "/cases/new",
                &lead,
                &[
                    ("csrf", &lead.csrf),
                    ("given_name", given),
                    ("family_name", family),
                    ("date_of_birth", "1990-05-17"),
                    ("sex", "masculine"),
                    ("citizenships", "UA"),
                    ("types", "labour_exploitation"),
                    ("stage", "destination"),
                    ("summary", "Recruited for farm work."),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let location = done.location.expect("location");
        let case = location
            .trim_start_matches("/cases/")
            .split(['?', '/', '#'])
            .next()
            .expect("case id")
            .to_string();
        cases.push(case);
    }
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
