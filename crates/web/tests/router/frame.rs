//! The page frame a person can always rely on: sign-out on every page a signed-in user sees,
//! refusals included; the case's tabs saying which section is open.

use crate::harness::{App, attrs, select};
use passage_core::{OrgKind, Role};

#[tokio::test]
async fn a_refusal_keeps_the_signed_in_frame_with_sign_out() {
    let app = App::new().await;
    let worker = app
        .user(OrgKind::Ngo, "w@casa.test", &[Role::Caseworker])
        .await;
    for (path, status) in [
        ("/admin/users", 403),
        ("/cases/00000000-0000-0000-0000-000000000000", 404),
        ("/no-such-page", 404),
    ] {
        let page = app.page(path, Some(&worker)).await;
        assert_eq!(page.status, status, "{path}");
        let html = page.html();
        assert_eq!(
            select(&html, "form[action='/logout'] button").len(),
            1,
            "{path}: the refusal page offers sign-out"
        );
        assert_eq!(
            attrs(&html, "form[action='/logout'] input[name=csrf]", "value"),
            std::slice::from_ref(&worker.csrf),
            "{path}: the sign-out form works (it carries the session's token)"
        );
        assert!(
            !select(&html, "nav a[href='/cases']").is_empty(),
            "{path}: the way back to work is there"
        );
    }
    // Someone not signed in gets no sign-out and no navigation.
    let outsider = app.page("/no-such-page", None).await;
    assert!(select(&outsider.html(), "form[action='/logout']").is_empty());
}

#[tokio::test]
async fn the_case_tabs_mark_the_open_section_and_only_it() {
    let app = App::new().await;
    let worker = app
        .user(OrgKind::Ngo, "w@casa.test", &[Role::Caseworker])
        .await;
    let made = app
        .post_form(
            "/cases/new",
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("given_name", "Rosa"),
                ("types", "labour_exploitation"),
                ("stage", "destination"),
                ("summary", "Kept in the house, no pay."),
            ],
        )
        .await;
    let case = made
        .location
        .expect("a redirect")
        .split('?')
        .next()
        .expect("path")
        .to_string();
    for (section, label) in [
        ("", "Overview"),
        ("/needs", "Needs and plan"),
        ("/consent", "Consent"),
    ] {
        let page = app.page(&format!("{case}{section}"), Some(&worker)).await;
        assert_eq!(page.status, 200, "{case}{section}");
        let current = select(&page.html(), ".case-nav a[aria-current=page]");
        assert_eq!(current.len(), 1, "{section}: exactly one tab is current");
        assert!(
            current[0].contains(label),
            "{section}: the current tab is {label}, not {}",
            current[0]
        );
    }
}

#[tokio::test]
async fn a_role_that_cannot_open_cases_is_not_offered_the_new_case_form() {
    let app = App::new().await;
    let provider = app
        .user(
            OrgKind::ServiceProvider,
            "clinic@c.test",
            &[Role::ServiceProvider],
        )
        .await;
    let worker = app
        .user(OrgKind::Ngo, "w@casa.test", &[Role::Caseworker])
        .await;
    let cases = app.page("/cases", Some(&provider)).await;
    assert_eq!(cases.status, 200);
    assert!(
        select(&cases.html(), "nav a[href='/cases/new']").is_empty(),
        "no link to a form that would fail"
    );
    let form = app.page("/cases/new", Some(&provider)).await;
    assert_eq!(form.status, 403, "refused at once, not on submit");
    assert!(select(&form.html(), "form[action='/cases/new']").is_empty());
    // Someone who may open cases keeps both.
    let ok = app.page("/cases", Some(&worker)).await;
    assert_eq!(select(&ok.html(), "nav a[href='/cases/new']").len(), 1);
    assert_eq!(app.page("/cases/new", Some(&worker)).await.status, 200);
}

#[tokio::test]
async fn the_hotline_desk_keeps_the_new_case_form() {
    let app = App::new().await;
    let desk = app
        .user(OrgKind::Hotline, "desk@h.test", &[Role::Intake])
        .await;
    let page = app.page("/reports", Some(&desk)).await;
    assert_eq!(
        select(&page.html(), "nav a[href='/cases/new']").len(),
        1,
        "intake staff open cases from calls: the link stays"
    );
    assert_eq!(app.page("/cases/new", Some(&desk)).await.status, 200);
}

#[tokio::test]
async fn a_button_that_ends_something_is_marked_as_dangerous() {
    use axum::http::Method;
    use serde_json::json;
    let app = App::new().await;
    let worker = app
        .user(OrgKind::Ngo, "w@casa.test", &[Role::Caseworker])
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Rosa", "family_name": "Lima"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "No pay."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(&worker),
            Some(json!({"purpose": "services", "method": "verbal"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let page = app
        .page(&format!("/cases/{cid}/consent"), Some(&worker))
        .await;
    assert_eq!(page.status, 200);
    let html = page.html();
    let withdraw = attrs(&html, "form[action*='/withdraw'] button", "class");
    assert!(!withdraw.is_empty(), "a consent in force can be withdrawn");
    assert!(
        withdraw.iter().all(|c| c == "danger"),
        "withdrawing is marked as dangerous: {withdraw:?}"
    );
    let record = attrs(&html, "form[action$='/consent'] button", "class");
    assert!(
        record.iter().all(|c| c != "danger"),
        "recording a consent is not: {record:?}"
    );
}
