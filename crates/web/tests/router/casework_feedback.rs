//! What the tired caseworker asked for (issue 13), as a person meets it on the case pages: one
//! save for the whole needs assessment that never drops what was typed, a reason required to
//! reject a request and shown on the case, a confirmation before a child's case closes, notes
//! that start protective on a case about violence, due dates that move (and a date in the past
//! asked about first), and attachments that say what they are.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

/// A shelter with a caseworker and a supervisor.
struct Shelter {
    app: App,
    worker: User,
    supervisor: User,
}

async fn shelter() -> Shelter {
    let app = App::new().await;
    let org = app.org(OrgKind::Ngo, "Shelter").await;
    let worker = app.member(org, "w@shelter.test", &[Role::Caseworker]).await;
    let supervisor = app
        .member(org, "s@shelter.test", &[Role::Caseworker, Role::Supervisor])
        .await;
    Shelter {
        app,
        worker,
        supervisor,
    }
}

/// Opens a case over the API: a person (born `born`, if given) with these case types.
async fn open_case(app: &App, who: &User, born: Option<&str>, types: &[&str]) -> String {
    let mut person = json!({"given_name": "Aisha", "family_name": "Bello"});
    if let Some(b) = born {
        person["date_of_birth"] = json!(b);
    }
    let p = app
        .api(Method::POST, "/persons", Some(who), Some(person))
        .await;
    assert_eq!(p.status, 201, "{}", p.body);
    let pid = p.json()["id"].as_str().expect("person id").to_string();
    let c = app
        .api(
            Method::POST,
            "/cases",
            Some(who),
            Some(json!({
                "person_id": pid,
                "types": types,
                "stage": "destination",
                "summary": "Met at the bus station.",
            })),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.body);
    c.json()["id"].as_str().expect("case id").to_string()
}

/// Every hidden and visible field of the needs form as rendered, to post it back changed.
fn needs_fields(html: &scraper::Html) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let sel = |css: &str| scraper::Selector::parse(css).expect("selector");
    for e in html.select(&sel("#needs-form input")) {
        let name = e.value().attr("name").unwrap_or_default().to_string();
        let value = e.value().attr("value").unwrap_or_default().to_string();
        if e.value().attr("type") == Some("checkbox") && e.value().attr("checked").is_none() {
            continue;
        }
        out.push((name, value));
    }
    for e in html.select(&sel("#needs-form textarea")) {
        let name = e.value().attr("name").unwrap_or_default().to_string();
        // As a browser sends a textarea: its line breaks as CRLF.
        out.push((name, e.text().collect::<String>().replace('\n', "\r\n")));
    }
    for e in html.select(&sel("#needs-form select")) {
        let name = e.value().attr("name").unwrap_or_default().to_string();
        let chosen = e
            .select(&sel("option[selected]"))
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or_default()
            .to_string();
        out.push((name, chosen));
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let f = fields
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    f.1 = value.to_string();
}

async fn post_owned(
    app: &App,
    path: &str,
    who: &User,
    fields: &[(String, String)],
) -> crate::harness::Answer {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(path, who, &pairs).await
}

#[tokio::test]
async fn typing_in_two_need_domains_and_one_save_keeps_both() {
    let Shelter { app, worker, .. } = shelter().await;
    let case = open_case(&app, &worker, None, &["labour_exploitation"]).await;
    let path = format!("/cases/{case}/needs");
    let page = app.page(&path, Some(&worker)).await;
    assert_eq!(page.status, 200);
    let html = page.html();
    assert_eq!(
        select(&html, "form#needs-form button[type=submit]").len(),
        1,
        "one form, one save for the nine domains"
    );
    assert_eq!(select(&html, "form#needs-form fieldset").len(), 9);
    let mut fields = needs_fields(&html);
    set(&mut fields, "urgency-shelter", "high");
    set(
        &mut fields,
        "description-shelter",
        "Sleeping at the bus station.\r\nNo blanket.",
    );
    set(&mut fields, "urgency-legal", "normal");
    set(
        &mut fields,
        "description-legal",
        "Wants to claim unpaid wages.",
    );
    let saved = post_owned(&app, &path, &worker, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved
            .location
            .as_deref()
            .unwrap_or_default()
            .contains("done=saved"),
        "the status line says it was saved"
    );

    let needs = app
        .api(
            Method::GET,
            &format!("/cases/{case}/needs"),
            Some(&worker),
            None,
        )
        .await
        .json();
    let by_domain = |d: &str| {
        needs
            .as_array()
            .expect("needs")
            .iter()
            .find(|n| n["domain"] == d)
            .cloned()
            .unwrap_or_else(|| panic!("{d} was not saved"))
    };
    assert_eq!(
        by_domain("shelter")["description"],
        "Sleeping at the bus station.\nNo blanket."
    );
    assert_eq!(by_domain("shelter")["urgency"], "high");
    assert_eq!(
        by_domain("legal")["description"],
        "Wants to claim unpaid wages."
    );
    assert_eq!(
        needs.as_array().map(Vec::len),
        Some(2),
        "domains left untouched are not recorded"
    );

    // A second save that changes only one domain gives only that one a new version.
    let page = app.page(&path, Some(&worker)).await.html();
    let mut fields = needs_fields(&page);
    // Ticking a box: an unticked one is not sent at all.
    fields.push(("met-legal".into(), "1".into()));
    let again = post_owned(&app, &path, &worker, &fields).await;
    assert_eq!(again.status, 303, "{}", again.body);
    let needs = app
        .api(
            Method::GET,
            &format!("/cases/{case}/needs"),
            Some(&worker),
            None,
        )
        .await
        .json();
    let version = |d: &str| {
        needs
            .as_array()
            .expect("needs")
            .iter()
            .find(|n| n["domain"] == d)
            .map(|n| n["version"].as_i64())
    };
    assert_eq!(
        version("legal"),
        Some(Some(2)),
        "the changed domain has a new version"
    );
    assert_eq!(
        version("shelter"),
        Some(Some(1)),
        "the untouched domain keeps its version"
    );
}

#[tokio::test]
async fn a_conflict_on_one_need_keeps_everything_typed_and_names_that_domain() {
    let Shelter {
        app,
        worker,
        supervisor,
    } = shelter().await;
    let case = open_case(&app, &worker, None, &["labour_exploitation"]).await;
    let path = format!("/cases/{case}/needs");
    // Health is recorded; the caseworker opens the form.
    let first = app
        .api(
            Method::PUT,
            &format!("/cases/{case}/needs"),
            Some(&worker),
            Some(json!({"domain": "health", "urgency": "low"})),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    let stale = needs_fields(&app.page(&path, Some(&worker)).await.html());
    // Meanwhile the supervisor changes health.
    let theirs = app
        .api(
            Method::PUT,
            &format!("/cases/{case}/needs"),
            Some(&supervisor),
            Some(json!({"domain": "health", "urgency": "high", "description": "Asthma attack", "version": 1})),
        )
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    // The caseworker types in two domains, one of them health, and saves once.
    let mut fields = stale;
    set(&mut fields, "description-health", "Needs an inhaler.");
    set(&mut fields, "urgency-family", "normal");
    set(&mut fields, "description-family", "Sister lives in Lyon.");
    let refused = post_owned(&app, &path, &worker, &fields).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let html = refused.html();
    assert_eq!(
        select(&html, "textarea[name=description-health]"),
        ["Needs an inhaler."],
        "the text typed where the conflict is stays"
    );
    assert_eq!(
        select(&html, "textarea[name=description-family]"),
        ["Sister lives in Lyon."],
        "the text typed elsewhere stays"
    );
    assert_eq!(
        select(&html, "#need-health .field-error").len(),
        1,
        "the conflict is named at its domain"
    );
    assert!(select(&html, "#need-family .field-error").is_empty());
    assert_eq!(
        attrs(&html, ".error-summary a", "href"),
        ["#need-health"],
        "the summary leads to the domain"
    );
    // Nothing of the refused save was kept: family is still not recorded.
    let needs = app
        .api(
            Method::GET,
            &format!("/cases/{case}/needs"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert!(
        !needs
            .as_array()
            .expect("needs")
            .iter()
            .any(|n| n["domain"] == "family"),
        "a refused assessment keeps nothing"
    );
    // Saving the form as it came back applies what was typed, knowingly over theirs.
    let again = post_owned(&app, &path, &worker, &needs_fields(&html)).await;
    assert_eq!(again.status, 303, "{}", again.body);
    let needs = app
        .api(
            Method::GET,
            &format!("/cases/{case}/needs"),
            Some(&worker),
            None,
        )
        .await
        .json();
    let health = needs
        .as_array()
        .expect("needs")
        .iter()
        .find(|n| n["domain"] == "health")
        .cloned()
        .expect("health");
    assert_eq!(health["description"], "Needs an inhaler.");
    assert!(
        needs
            .as_array()
            .expect("needs")
            .iter()
            .any(|n| n["domain"] == "family")
    );
}

/// A child's case whose closing waits for the supervisor; answers (case, approval).
async fn child_closing(s: &Shelter) -> (String, String) {
    let case = open_case(&s.app, &s.worker, Some("2016-05-01"), &["child_protection"]).await;
    let asked = s
        .app
        .api(
            Method::POST,
            &format!("/cases/{case}/transitions"),
            Some(&s.worker),
            Some(json!({"to": "closed", "reason": "Placed with her aunt", "outcome": "other"})),
        )
        .await;
    assert_eq!(asked.status, 422, "{}", asked.body);
    assert_eq!(asked.json()["code"], "supervisor_approval_required");
    let page = s.app.page("/approvals", Some(&s.supervisor)).await;
    let ids = attrs(&page.html(), "tr[id^=approval-]", "id");
    assert_eq!(ids.len(), 1, "{}", page.body);
    (case, ids[0].trim_start_matches("approval-").to_string())
}

#[tokio::test]
async fn rejecting_without_a_reason_is_refused_and_a_reason_is_shown_on_the_case() {
    let s = shelter().await;
    let (case, approval) = child_closing(&s).await;
    let reject = format!("/approvals/{approval}/reject");

    let page = s.app.page("/approvals", Some(&s.supervisor)).await.html();
    assert_eq!(
        attrs(&page, &format!("form[action='{reject}'] button"), "class"),
        ["danger"],
        "rejecting weighs as much as it does"
    );

    let bare = s
        .app
        .post_form(
            &reject,
            &s.supervisor,
            &[("csrf", &s.supervisor.csrf), ("reason", "  ")],
        )
        .await;
    assert_eq!(bare.status, 422, "{}", bare.body);
    let html = bare.html();
    assert_eq!(
        attrs(&html, ".error-summary a", "href"),
        [format!("#reason-{approval}")]
    );
    let pending = s
        .app
        .api(Method::GET, "/approvals", Some(&s.supervisor), None)
        .await;
    assert_eq!(
        pending.json().as_array().map(Vec::len),
        Some(1),
        "a rejection without a reason rejects nothing"
    );
    let over_api = s
        .app
        .api(
            Method::POST,
            &format!("/approvals/{approval}/reject"),
            Some(&s.supervisor),
            None,
        )
        .await;
    assert_eq!(
        over_api.status, 422,
        "the API asks for the reason too: {}",
        over_api.body
    );

    let reason = "Talk to the guardian before she moves.";
    let done = s
        .app
        .post_form(
            &reject,
            &s.supervisor,
            &[("csrf", &s.supervisor.csrf), ("reason", reason)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        done.location
            .as_deref()
            .unwrap_or_default()
            .contains("done=feedback-rejected"),
        "{:?}",
        done.location
    );
    let after = s
        .app
        .page("/approvals?done=feedback-rejected", Some(&s.supervisor))
        .await;
    assert!(
        !select(&after.html(), ".notice").is_empty(),
        "a status line names what was done"
    );

    let case_page = s.app.page(&format!("/cases/{case}"), Some(&s.worker)).await;
    assert_eq!(case_page.status, 200);
    let shown = select(&case_page.html(), "#close-rejected");
    assert_eq!(
        shown.len(),
        1,
        "the caseworker sees the rejection on the case"
    );
    assert!(shown[0].contains(reason), "{shown:?}");
}

#[tokio::test]
async fn approving_a_childs_case_closure_without_confirming_does_not_approve() {
    let s = shelter().await;
    let (case, approval) = child_closing(&s).await;
    let approve = format!("/approvals/{approval}/approve");
    let page = s.app.page("/approvals", Some(&s.supervisor)).await.html();
    assert_eq!(
        select(
            &page,
            &format!("form[action='{approve}'] input[name=confirm][type=checkbox]")
        )
        .len(),
        1,
        "the page asks to confirm"
    );
    assert_eq!(
        select(&page, &format!("#what-{approval}")).len(),
        1,
        "and says what will happen"
    );

    let unconfirmed = s
        .app
        .post_form(&approve, &s.supervisor, &[("csrf", &s.supervisor.csrf)])
        .await;
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    let c = s
        .app
        .api(
            Method::GET,
            &format!("/cases/{case}"),
            Some(&s.worker),
            None,
        )
        .await;
    assert_eq!(
        c.json()["status"],
        "open",
        "nothing closed without the confirmation"
    );

    let confirmed = s
        .app
        .post_form(
            &approve,
            &s.supervisor,
            &[("csrf", &s.supervisor.csrf), ("confirm", "1")],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    let c = s
        .app
        .api(
            Method::GET,
            &format!("/cases/{case}"),
            Some(&s.worker),
            None,
        )
        .await;
    assert_eq!(c.json()["status"], "closed");
}

#[tokio::test]
async fn a_new_note_on_a_gbv_case_starts_at_the_most_protective_level() {
    let Shelter { app, worker, .. } = shelter().await;
    let gbv = open_case(&app, &worker, None, &["gender_based_violence"]).await;
    let other = open_case(&app, &worker, None, &["labour_exploitation"]).await;
    let checked =
        |html: &scraper::Html| attrs(html, "input[name=confidentiality][checked]", "value");
    let page = app
        .page(&format!("/cases/{gbv}/notes"), Some(&worker))
        .await;
    assert_eq!(checked(&page.html()), ["sensitive"]);
    let page = app
        .page(&format!("/cases/{other}/notes"), Some(&worker))
        .await;
    assert_eq!(checked(&page.html()), ["normal"]);
}

#[tokio::test]
async fn a_due_date_changes_and_a_date_in_the_past_is_confirmed_first() {
    let Shelter { app, worker, .. } = shelter().await;
    let case = open_case(&app, &worker, None, &["labour_exploitation"]).await;
    let tasks = format!("/cases/{case}/tasks");

    // Adding with a past date comes back with the typed values and a box to confirm.
    let past = app
        .post_form(
            &tasks,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("title", "Call the labour inspector"),
                ("due_on", "2001-02-03"),
            ],
        )
        .await;
    assert_eq!(past.status, 422, "{}", past.body);
    let html = past.html();
    assert_eq!(
        attrs(&html, "#task-title", "value"),
        ["Call the labour inspector"]
    );
    assert_eq!(attrs(&html, "#task-due_on", "value"), ["2001-02-03"]);
    assert_eq!(
        select(&html, "input#task-confirm_past[type=checkbox]").len(),
        1
    );
    let none = app.api(Method::GET, &tasks, Some(&worker), None).await;
    assert_eq!(
        none.json().as_array().map(Vec::len),
        Some(0),
        "nothing added unconfirmed"
    );

    let added = app
        .post_form(
            &tasks,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("title", "Call the labour inspector"),
                ("due_on", "2099-02-03"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert!(
        added
            .location
            .as_deref()
            .unwrap_or_default()
            .contains("done=feedback-task-added")
    );
    let list = app
        .api(Method::GET, &tasks, Some(&worker), None)
        .await
        .json();
    let task = list[0]["id"].as_str().expect("task").to_string();
    let version = list[0]["version"].as_i64().expect("version").to_string();

    let due = format!("/cases/{case}/tasks/{task}/due");
    let moved = app
        .post_form(
            &due,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("version", &version),
                ("due_on", "2099-03-01"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let list = app
        .api(Method::GET, &tasks, Some(&worker), None)
        .await
        .json();
    assert_eq!(list[0]["due_on"], "2099-03-01");
    let version = list[0]["version"].as_i64().expect("version").to_string();

    let back = app
        .post_form(
            &due,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("version", &version),
                ("due_on", "2002-01-01"),
            ],
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.body);
    let html = back.html();
    assert_eq!(
        attrs(&html, &format!("#due-{task}"), "value"),
        ["2002-01-01"],
        "the typed date stays"
    );
    assert_eq!(
        select(&html, &format!("input#confirm-due-{task}[type=checkbox]")).len(),
        1
    );
    let list = app
        .api(Method::GET, &tasks, Some(&worker), None)
        .await
        .json();
    assert_eq!(list[0]["due_on"], "2099-03-01", "unchanged until confirmed");

    let confirmed = app
        .post_form(
            &due,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("version", &version),
                ("due_on", "2002-01-01"),
                ("confirm_past", "1"),
            ],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    let list = app
        .api(Method::GET, &tasks, Some(&worker), None)
        .await
        .json();
    assert_eq!(list[0]["due_on"], "2002-01-01");
    assert_eq!(list[0]["overdue"], true);

    // The API moves it too, with the version read.
    let version = list[0]["version"].as_i64().expect("version");
    let api = app
        .api(
            Method::POST,
            &format!("/tasks/{task}/due"),
            Some(&worker),
            Some(json!({"due_on": "2099-12-31", "version": version})),
        )
        .await;
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.json()["due_on"], "2099-12-31");
    let stale = app
        .api(
            Method::POST,
            &format!("/tasks/{task}/due"),
            Some(&worker),
            Some(json!({"due_on": "2099-12-30", "version": version})),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
}

#[tokio::test]
async fn an_attachment_keeps_its_description_and_document_type_in_the_list() {
    let Shelter { app, worker, .. } = shelter().await;
    let case = open_case(&app, &worker, None, &["labour_exploitation"]).await;
    let path = format!("/cases/{case}/attachments");
    let form = app.page(&path, Some(&worker)).await.html();
    assert!(
        attrs(&form, "select[name=kind] option", "value").contains(&"payslip".to_string()),
        "the document types are offered"
    );
    let up = app
        .post_multipart(
            &path,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("kind", "payslip"),
                ("description", "March payslip, wages cut by half"),
            ],
            ("march.txt", b"Wages: 400"),
        )
        .await;
    assert_eq!(up.status, 303, "{}", up.body);
    let list = app.page(&path, Some(&worker)).await.html();
    assert_eq!(select(&list, "td.attachment-kind"), ["Payslip"]);
    assert_eq!(
        select(&list, "td.attachment-description"),
        ["March payslip, wages cut by half"]
    );

    let bad = app
        .post_multipart(
            &path,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("kind", "diary"),
                ("description", "Kept when refused"),
            ],
            ("april.txt", b"Wages: 0"),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        select(&bad.html(), "#attachment-description"),
        ["Kept when refused"],
        "what was typed stays"
    );
}

#[tokio::test]
async fn the_api_upload_keeps_a_description_and_document_type_too() {
    let Shelter { app, worker, .. } = shelter().await;
    let case = open_case(&app, &worker, None, &["labour_exploitation"]).await;
    let up = app
        .post_multipart(
            &format!("/api/v1/cases/{case}/attachments"),
            &worker,
            &[
                ("kind", "employment_contract"),
                ("description", "Signed in Manila"),
            ],
            ("contract.txt", b"Two years, 400 a month"),
        )
        .await;
    assert_eq!(up.status, 201, "{}", up.body);
    let list = app
        .api(
            axum::http::Method::GET,
            &format!("/cases/{case}/attachments"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let first = &list.json()[0];
    assert_eq!(first["kind"], "employment_contract", "{first}");
    assert_eq!(first["description"], "Signed in Manila", "{first}");
    let bad = app
        .post_multipart(
            &format!("/api/v1/cases/{case}/attachments"),
            &worker,
            &[("kind", "diary")],
            ("diary.txt", b"x"),
        )
        .await;
    assert_eq!(
        bad.status, 422,
        "an unknown document type is refused: {}",
        bad.body
    );
}
