//! Names, not ids: a report is linked to a case found by the person's name, "New case" looks
//! for the person first, task lists and the duplicates page name people, triage lines say what
//! each report is about, closing a report is confirmed, and a case opened from a report keeps
//! what the report said. Every search stays inside what the user may see: another
//! organisation's user gets the same answer for someone it does not hold as for nobody.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

/// Registers a person with a case through the form and returns the case id.
async fn register(app: &App, who: &User, given: &str, family: &str) -> String {
    let fields = [
        ("given_name", given),
        ("family_name", family),
        ("types", "labour_exploitation"),
        ("stage", "destination"),
        ("summary", "Wages unpaid for four months."),
    ];
    register_by_form(app, who, &fields).await
}

/// A call logged through the API; returns the report id.
async fn call(app: &App, desk: &User, body: serde_json::Value) -> String {
    let a = app
        .api(Method::POST, "/reports", Some(desk), Some(body))
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

async fn report_status(app: &App, who: &User, id: &str) -> String {
    app.api(Method::GET, &format!("/reports/{id}"), Some(who), None)
        .await
        .json()["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn plain_call(narrative: &str) -> serde_json::Value {
    json!({"caller_type": "victim", "language": "en", "categories": ["unpaid_wages"],
           "narrative": narrative})
}

#[tokio::test]
async fn a_report_is_linked_to_a_case_found_by_the_persons_name_in_any_word_order() {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let lead = app
        .member(hotline, "lead@h.test", &[Role::Supervisor])
        .await;
    let case = register(&app, &lead, "Maria", "Santos").await;
    register(&app, &lead, "Ana", "Lima").await;
    let report = call(&app, &lead, plain_call("My sister has not been paid")).await;

    let page = app
        .page(&format!("/reports/{report}?q=santos+maria"), Some(&lead))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        attrs(
            &html,
            "table.link-matches form input[name=case_id]",
            "value"
        ),
        std::slice::from_ref(&case),
        "one Link button, for Maria Santos only"
    );
    assert_eq!(
        attrs(&html, "table.link-matches form", "action"),
        [format!("/reports/{report}/link")]
    );
    assert!(
        select(&html, "table.link-matches button")[0].contains("Maria Santos"),
        "the button names the person for a screen reader"
    );
    assert_eq!(
        attrs(&html, "form[role=search]", "method"),
        ["get"],
        "searching changes nothing"
    );

    let linked = app
        .post_form(
            &format!("/reports/{report}/link"),
            &lead,
            &[("csrf", &lead.csrf), ("case_id", &case)],
        )
        .await;
    assert_eq!(linked.status, 303, "{}", linked.body);
    assert_eq!(
        linked.location.as_deref(),
        Some(format!("/reports/{report}?done=names-linked").as_str())
    );
    let after = app
        .page(&format!("/reports/{report}?done=names-linked"), Some(&lead))
        .await;
    assert!(
        attrs(&after.html(), "a", "href").contains(&format!("/cases/{case}")),
        "the report leads to its case"
    );
    assert!(after.body.contains("The report is linked to the case."));
    assert_eq!(
        select(&after.html(), &format!("dd a[href='/cases/{case}']")),
        ["Maria Santos"],
        "the linked case is named by its person, not 'open the case'"
    );
    // The API's link keeps its contract: a case id in, 200/204 out.
    let api = app
        .api(
            Method::GET,
            &format!("/reports/{report}"),
            Some(&lead),
            None,
        )
        .await;
    assert_eq!(api.json()["case_id"], case.as_str());
}

#[tokio::test]
async fn searching_by_name_tells_another_organisation_nothing_about_this_organisations_people() {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let lead = app
        .member(hotline, "lead@h.test", &[Role::Supervisor])
        .await;
    let other = app.org(OrgKind::Ngo, "Elsewhere").await;
    let stranger = app
        .member(other, "lead@n.test", &[Role::Supervisor, Role::Intake])
        .await;
    let their_report = call(&app, &stranger, plain_call("A worker called about wages")).await;
    let link_search = format!("/reports/{their_report}?q=Maria+Santos");
    let new_search = "/cases/new?q=Maria+Santos";

    // Before anyone registers Maria Santos, then after this organisation did: the other
    // organisation's answers are the same, byte for byte.
    let link_before = app.page(&link_search, Some(&stranger)).await;
    let new_before = app.page(new_search, Some(&stranger)).await;
    assert_eq!((link_before.status, new_before.status), (200, 200));
    assert_eq!(select(&link_before.html(), "p.link-none").len(), 1);
    assert_eq!(select(&new_before.html(), "p.known-none").len(), 1);

    let case = register(&app, &lead, "Maria", "Santos").await;
    let link_after = app.page(&link_search, Some(&stranger)).await;
    let new_after = app.page(new_search, Some(&stranger)).await;
    assert_eq!(
        link_after.body, link_before.body,
        "no existence oracle in linking"
    );
    assert_eq!(
        new_after.body, new_before.body,
        "no existence oracle in registering"
    );
    assert!(!link_after.body.contains(&case) && !new_after.body.contains(&case));

    // Linking by the id itself is refused as for a case that does not exist.
    let forced = app
        .post_form(
            &format!("/reports/{their_report}/link"),
            &stranger,
            &[("csrf", &stranger.csrf), ("case_id", &case)],
        )
        .await;
    let missing = app
        .post_form(
            &format!("/reports/{their_report}/link"),
            &stranger,
            &[
                ("csrf", &stranger.csrf),
                ("case_id", "0190a3b4-0000-7000-8000-000000000000"),
            ],
        )
        .await;
    assert_eq!((forced.status, missing.status), (422, 422));
    assert_eq!(
        select(&forced.html(), ".error-summary li"),
        select(&missing.html(), ".error-summary li")
    );

    // The organisation that holds her finds her.
    let own = app.page(new_search, Some(&lead)).await;
    assert_eq!(
        attrs(&own.html(), "table.known-people a.known-person", "href"),
        [format!("/cases/{case}")]
    );
}

#[tokio::test]
async fn new_case_looks_for_the_person_first_and_none_of_these_opens_the_form_with_the_name() {
    let app = App::new().await;
    let org = app.org(OrgKind::Ngo, "Shelter").await;
    let lead = app.member(org, "lead@s.test", &[Role::Supervisor]).await;
    let case = register(&app, &lead, "Олександр", "Коваленко").await;

    let first = app.page("/cases/new", Some(&lead)).await;
    assert_eq!(first.status, 200);
    let html = first.html();
    assert_eq!(
        attrs(&html, "form[role=search]", "action"),
        ["/cases/new#search"]
    );
    assert!(
        attrs(&html, "details#register", "open").is_empty(),
        "the form waits behind the search"
    );

    // The search reads other scripts and any word order (Latin letters find Cyrillic).
    let found = app
        .page("/cases/new?q=kovalenko+oleksandr", Some(&lead))
        .await;
    let html = found.html();
    assert_eq!(
        attrs(&html, "a.known-person", "href"),
        [format!("/cases/{case}")]
    );
    assert!(attrs(&html, "details#register", "open").is_empty());
    assert_eq!(
        select(&html, "details#register summary"),
        ["None of these — register a new person"]
    );

    let nobody = app.page("/cases/new?q=Amina+Diallo", Some(&lead)).await;
    let html = nobody.html();
    assert_eq!(select(&html, "p.known-none").len(), 1);
    assert_eq!(attrs(&html, "details#register", "open").len(), 1);
    assert_eq!(attrs(&html, "input[name=given_name]", "value"), ["Amina"]);
    assert_eq!(attrs(&html, "input[name=family_name]", "value"), ["Diallo"]);

    // The form still registers by POST as before.
    register(&app, &lead, "Amina", "Diallo").await;
    let again = app.page("/cases/new?q=diallo", Some(&lead)).await;
    assert_eq!(attrs(&again.html(), "a.known-person", "href").len(), 1);
}

#[tokio::test]
async fn triage_lines_carry_an_excerpt_the_language_the_place_and_a_new_message_mark() {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let desk = app.member(hotline, "desk@h.test", &[Role::Intake]).await;
    let long = format!("{} end of the story", "x".repeat(130));
    let id = call(
        &app,
        &desk,
        json!({"caller_type": "victim", "language": "fr", "categories": ["unpaid_wages"],
               "narrative": long, "country": "FR", "place": "Lyon"}),
    )
    .await;
    // A public report (routed to the hotline) whose reporter wrote after staff answered.
    let public = passage_core::reports::RawPublicReport {
        language: "es".into(),
        category: "debt".into(),
        narrative: "Me deben dinero".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    let receipt = app
        .store
        .submit_public_report(public, passage_core::Channel::WebForm)
        .await
        .expect("submitted");
    let queue = app.page("/reports", Some(&desk)).await;
    let public_id = attrs(&queue.html(), "a.report-link", "href")
        .into_iter()
        .find(|h| !h.ends_with(&id))
        .expect("the public report")
        .trim_start_matches("/reports/")
        .to_string();
    let answered = app
        .post_form(
            &format!("/reports/{public_id}/message"),
            &desk,
            &[("csrf", &desk.csrf), ("body", "¿Está a salvo?")],
        )
        .await;
    assert_eq!(answered.status, 303);
    let marks = |a: &Answer| select(&a.html(), "strong.new-message");
    assert!(marks(&app.page("/reports", Some(&desk)).await).is_empty());
    app.store
        .reporter_message(
            &receipt,
            passage_core::validate::Text::parse("body", "Sí, gracias", 100).expect("text"),
        )
        .await
        .expect("reporter writes");

    let queue = app.page("/reports", Some(&desk)).await;
    let html = queue.html();
    let row = |rid: &str| format!("tr#report-{rid}");
    let excerpt = select(
        &html,
        &format!("{} a.report-link span.excerpt[dir=auto]", row(&id)),
    );
    assert_eq!(excerpt.len(), 1);
    assert_eq!(excerpt[0].chars().count(), 121, "{}", excerpt[0]);
    assert!(excerpt[0].ends_with('…') && !excerpt[0].contains("end of the story"));
    let cells = select(&html, &format!("{} td", row(&id)));
    assert!(cells.iter().any(|c| c == "French"), "{cells:?}");
    assert!(
        cells
            .iter()
            .any(|c| c.contains("Lyon") && c.contains("France")),
        "{cells:?}"
    );
    // The link text names the report (urgency and what it is about), not "open".
    let link = select(&html, &format!("{} a.report-link", row(&id)));
    assert!(
        link[0].contains("Normal") && link[0].contains("xxxx"),
        "{link:?}"
    );
    // Only the report whose reporter wrote last is marked, in words.
    assert_eq!(
        select(&html, &format!("{} strong.new-message", row(&public_id))),
        ["New message from the reporter"]
    );
    assert!(select(&html, &format!("{} strong.new-message", row(&id))).is_empty());
}

#[tokio::test]
async fn closing_a_report_needs_its_confirmation_and_the_button_says_it_is_dangerous() {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let desk = app.member(hotline, "desk@h.test", &[Role::Intake]).await;
    let id = call(&app, &desk, plain_call("Wages unpaid")).await;
    let page = app.page(&format!("/reports/{id}"), Some(&desk)).await;
    let form = format!("form[action='/reports/{id}/close']");
    let html = page.html();
    assert_eq!(attrs(&html, &format!("{form} button"), "class"), ["danger"]);
    assert_eq!(
        attrs(&html, &format!("{form} input[type=checkbox]"), "name"),
        ["confirm"]
    );

    let unconfirmed = app
        .post_form(
            &format!("/reports/{id}/close"),
            &desk,
            &[
                ("csrf", &desk.csrf),
                ("reason", "duplicate of another call"),
            ],
        )
        .await;
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    assert!(
        unconfirmed
            .body
            .contains("Tick “I have checked” to close the report.")
    );
    assert_ne!(
        report_status(&app, &desk, &id).await,
        "closed",
        "nothing was closed"
    );

    let closed = app
        .post_form(
            &format!("/reports/{id}/close"),
            &desk,
            &[
                ("csrf", &desk.csrf),
                ("reason", "duplicate of another call"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    assert_eq!(
        closed.location.as_deref(),
        Some(format!("/reports/{id}?done=names-closed").as_str())
    );
    assert_eq!(report_status(&app, &desk, &id).await, "closed");
}

#[tokio::test]
async fn a_case_opened_from_a_report_keeps_country_place_employer_and_categories_and_is_not_typed_as_trafficking()
 {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let desk = app
        .member(hotline, "desk@h.test", &[Role::Intake, Role::Caseworker])
        .await;
    let id = call(
        &app,
        &desk,
        json!({"caller_type": "victim", "language": "en",
               "categories": ["documents_taken", "not_free_to_leave"],
               "narrative": "They kept his passport", "country": "ES",
               "place": "Almería greenhouses", "employer": "Agro Sur SL"}),
    )
    .await;
    let opened = app
        .post_form(
            &format!("/reports/{id}/open-case"),
            &desk,
            &[("csrf", &desk.csrf)],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let case = case_of(opened.location.as_deref().expect("location"));
    let api = app
        .api(Method::GET, &format!("/cases/{case}"), Some(&desk), None)
        .await
        .json();
    assert_eq!(api["types"], json!(["labour_exploitation"]), "{api}");
    assert_eq!(api["country"], "ES");
    let page = app.page(&format!("/cases/{case}"), Some(&desk)).await;
    let origin = select(&page.html(), "#origin dd");
    assert!(
        origin.iter().any(|d| d.contains("Almería greenhouses")),
        "{origin:?}"
    );
    assert!(
        origin.iter().any(|d| d.contains("Agro Sur SL")),
        "{origin:?}"
    );
    assert!(
        origin
            .iter()
            .any(|d| d.contains("Documents taken") && d.contains("Not free to leave")),
        "the categories by their labels: {origin:?}"
    );
}

#[tokio::test]
async fn my_tasks_and_the_dashboard_name_the_person_of_each_task() {
    let app = App::new().await;
    let org = app.org(OrgKind::Ngo, "Shelter").await;
    let lead = app.member(org, "lead@s.test", &[Role::Supervisor]).await;
    let case = register(&app, &lead, "Maria", "Santos").await;
    let task = app
        .api(
            Method::POST,
            &format!("/cases/{case}/tasks"),
            Some(&lead),
            Some(json!({"title": "Call the labour inspectorate", "due_on": "2020-01-02"})),
        )
        .await;
    assert_eq!(task.status, 201, "{}", task.body);
    for page in ["/tasks", "/dashboard"] {
        let a = app.page(page, Some(&lead)).await;
        assert_eq!(a.status, 200, "{page}");
        assert_eq!(
            select(&a.html(), "a.task-case"),
            ["Tasks of Maria Santos"],
            "{page}"
        );
    }
}

#[tokio::test]
async fn the_duplicates_page_links_both_records_by_name_and_never_claims_certainty() {
    let app = App::new().await;
    let org = app.org(OrgKind::Ngo, "Shelter").await;
    let lead = app.member(org, "lead@s.test", &[Role::Supervisor]).await;
    let cases = kovalenko_twice(&app, &lead).await;
    let page = app.page("/duplicates", Some(&lead)).await;
    assert_eq!(page.status, 200);
    let html = page.html();
    let mut links = attrs(&html, "a.dup-record", "href");
    links.sort();
    let mut expected: Vec<String> = cases.iter().map(|c| format!("/cases/{c}/person")).collect();
    expected.sort();
    assert_eq!(links, expected, "both records, each by its name");
    let names = select(&html, "a.dup-record");
    assert!(
        names.contains(&"Oleksandr Kovalenko".to_string()),
        "{names:?}"
    );
    let score = select(&html, "td.dup-score");
    assert_eq!(score.len(), 1);
    assert!(!score[0].contains("100%"), "{}", score[0]);
    assert!(score[0].starts_with("very likely ("), "{}", score[0]);
    let agreed = select(&html, "p.dup-agreed");
    assert!(agreed[0].contains("date of birth"), "{agreed:?}");
}
