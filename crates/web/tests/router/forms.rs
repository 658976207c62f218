//! A staff form as a person meets it: the CSRF token is required, a refusal comes back as the
//! form with its values and an error summary linked to the fields (422), a success redirects.

use crate::harness::{App, attrs, select};
use passage_core::{OrgKind, Role};

#[tokio::test]
async fn a_staff_form_checks_csrf_shows_errors_and_redirects_after_success() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;

    let form = app.page("/cases/new", Some(&worker)).await;
    assert_eq!(form.status, 200);
    let tokens = attrs(
        &form.html(),
        "form[action='/cases/new'] input[name=csrf]",
        "value",
    );
    assert_eq!(
        tokens.as_slice(),
        std::slice::from_ref(&worker.csrf),
        "the form carries the session's token"
    );

    let forged = app
        .post_form(
            "/cases/new",
            &worker,
            &[("given_name", "Maria"), ("summary", "x")],
        )
        .await;
    assert_eq!(forged.status, 403, "a post without the token is refused");

    let incomplete = app
        .post_form(
            "/cases/new",
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("given_name", "Maria"),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(incomplete.status, 422, "{}", incomplete.body);
    let html = incomplete.html();
    let links = attrs(&html, ".error-summary a", "href");
    assert!(!links.is_empty(), "the summary lists the problems");
    for link in &links {
        let id = link.trim_start_matches('#');
        assert!(
            !select(&html, &format!("[id='{id}']")).is_empty() || id.is_empty(),
            "summary link {link} leads to no field"
        );
    }
    assert_eq!(
        attrs(&html, "input[name=given_name]", "value"),
        ["Maria"],
        "what was typed is kept"
    );

    let done = app
        .post_form(
            "/cases/new",
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("given_name", "Maria"),
                ("family_name", "Santos"),
                ("types", "labour_exploitation"),
                ("stage", "destination"),
                ("summary", "Passport held by the employer."),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let to = done.location.expect("a redirect");
    assert!(to.starts_with("/cases/"), "{to}");
    let case = app.page(&to, Some(&worker)).await;
    assert_eq!(case.status, 200);
    assert!(
        select(&case.html(), "h1")
            .iter()
            .any(|h| h.contains("Maria")),
        "the new case's page names its person"
    );
}

#[tokio::test]
async fn a_save_says_so_once_on_the_page_it_lands_on() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let made = app
        .post_form(
            "/cases/new",
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("given_name", "Amina"),
                ("types", "labour_exploitation"),
                ("stage", "destination"),
                ("summary", "Wages withheld for three months."),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let to = made.location.expect("a redirect");
    let landed = app.page(&to, Some(&worker)).await;
    assert_eq!(landed.status, 200);
    assert_eq!(
        select(&landed.html(), "main p.notice[role=status]"),
        ["Saved."],
        "the page after a save says it was saved"
    );
    let case = to.split('?').next().expect("a path");
    let again = app.page(case, Some(&worker)).await;
    assert!(
        select(&again.html(), "p.notice").is_empty(),
        "the line is shown once, not on every later visit"
    );
    for forged in ["done=%3Cb%3Ex", "done=no-such-thing", "done=saved%20now"] {
        let page = app.page(&format!("{case}?{forged}"), Some(&worker)).await;
        assert!(
            select(&page.html(), "p.notice").is_empty(),
            "?{forged} shows nothing: only a known message is shown"
        );
    }
}

#[tokio::test]
async fn a_refusal_is_told_in_the_language_of_the_page() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    // A form read into the rules' problems: the date of birth is not a date.
    let bad = app
        .post_form(
            "/cases/new?lang=fr",
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("given_name", "Maria"),
                ("date_of_birth", "31/31/1990"),
                ("types", "labour_exploitation"),
                ("stage", "destination"),
                ("summary", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let lines = select(&bad.html(), ".error-summary a");
    assert!(
        lines.iter().any(|l| l.starts_with("Date de naissance : ")),
        "the problem names the field in French: {lines:?}"
    );
    // A form of a case's work: a note without text, in Arabic.
    let made = app
        .post_form(
            "/cases/new",
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("given_name", "Maria"),
                ("types", "labour_exploitation"),
                ("stage", "destination"),
                ("summary", "x"),
            ],
        )
        .await;
    let case = made.location.expect("a redirect");
    let case = case.split('?').next().expect("path");
    let empty = app
        .post_form(
            &format!("{case}/notes?lang=ar"),
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("body", ""),
                ("confidentiality", "case_team"),
            ],
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    let lines = select(&empty.html(), ".error-summary a");
    assert!(
        lines.iter().any(|l| l.contains("مطلوب")),
        "the problem is in Arabic: {lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.is_ascii()),
        "no line is left in English: {lines:?}"
    );
}
