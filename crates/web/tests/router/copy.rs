//! The person's copy, the disclosure register and corrections over HTTP (issue 19 item 2).
//! The contract: `GET /api/v1/cases/{id}/copy` → 200 with the case, person, consents, needs,
//! services, referrals, notes, attachments, disclosures and corrections; `GET
//! /api/v1/cases/{id}/disclosures` → 200 `{"disclosures","statistics_consent_in_force"}`;
//! `POST /api/v1/cases/{id}/corrections {"what","asked_on"}` → 201 `{"id"}`, bad input 422
//! naming each field; `POST .../corrections/{cid}/decision {"outcome","reason"?}` → 204, once
//! (then 422 `transition_not_allowed`). Another organisation and immigration enforcement get
//! 404. The copy page is linked from the case overview, is written in the language chosen, and
//! carries no staff header.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

/// A shelter caseworker with a case of Maricel's; returns (worker, case id).
async fn shelter_case(app: &App) -> (User, String) {
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
            Some(json!({"given_name": "Maricel", "family_name": "Santos",
                        "citizenships": ["PH"], "migration_status": "overstayed visa"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Domestic servitude."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    (worker, case.json()["id"].as_str().expect("id").to_string())
}

#[tokio::test]
async fn the_copy_answers_its_reader_and_nobody_else() {
    let app = App::new().await;
    let (worker, case) = shelter_case(&app).await;
    let copy = app
        .api(
            Method::GET,
            &format!("/cases/{case}/copy"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(copy.status, 200, "{}", copy.body);
    let body = copy.json();
    for key in [
        "produced_at",
        "case",
        "person",
        "consents",
        "needs",
        "services",
        "referrals",
        "notes",
        "attachments",
        "disclosures",
        "corrections",
    ] {
        assert!(body.get(key).is_some(), "copy has {key}: {body}");
    }
    assert_eq!(body["person"]["given_name"], "Maricel");
    assert_eq!(body["case"]["id"], case.as_str());
    // The case's own caseworker may read the migration status; it is in their copy.
    assert_eq!(body["person"]["migration_status"], "overstayed visa");

    let other = app
        .user(
            OrgKind::Ngo,
            "c@other.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@border.test", Role::ALL)
        .await;
    for who in [&other, &officer] {
        for path in [
            format!("/cases/{case}/copy"),
            format!("/cases/{case}/disclosures"),
            format!("/cases/{case}/corrections"),
        ] {
            let a = app.api(Method::GET, &path, Some(who), None).await;
            assert_eq!(a.status, 404, "{path}: {}", a.body);
            assert!(!a.body.contains("Maricel"));
        }
        let page = app.page(&format!("/cases/{case}/copy"), Some(who)).await;
        assert!(!page.body.contains("Maricel"), "the page shows nothing");
        assert_ne!(page.status, 200);
    }
}

#[tokio::test]
async fn the_register_and_corrections_keep_their_contract() {
    let app = App::new().await;
    let (worker, case) = shelter_case(&app).await;
    let register = app
        .api(
            Method::GET,
            &format!("/cases/{case}/disclosures"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(register.status, 200, "{}", register.body);
    assert_eq!(
        register.json(),
        json!({"disclosures": [], "statistics_consent_in_force": false})
    );

    let bad = app
        .api(
            Method::POST,
            &format!("/cases/{case}/corrections"),
            Some(&worker),
            Some(json!({"what": " ", "asked_on": "yesterday"})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<String> = bad.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fields, vec!["what", "asked_on"]);

    let made = app
        .api(
            Method::POST,
            &format!("/cases/{case}/corrections"),
            Some(&worker),
            Some(json!({"what": "My family name is Santos-Reyes.", "asked_on": "2026-05-04"})),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let cid = made.json()["id"].as_str().expect("id").to_string();
    let path = format!("/cases/{case}/corrections/{cid}/decision");
    let no_reason = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"outcome": "refused"})),
        )
        .await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    assert_eq!(no_reason.json()["fields"][0]["field"], "reason");
    let decided = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"outcome": "made"})),
        )
        .await;
    assert_eq!(decided.status, 204, "{}", decided.body);
    let again = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"outcome": "made"})),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(again.json()["code"], "transition_not_allowed");
    let listed = app
        .api(
            Method::GET,
            &format!("/cases/{case}/corrections"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()[0]["outcome"], "made");
    assert_eq!(listed.json()[0]["asked_on"], "2026-05-04");
}

#[tokio::test]
async fn the_copy_page_is_linked_printable_and_in_the_language_chosen() {
    let app = App::new().await;
    let (worker, case) = shelter_case(&app).await;
    let overview = app.page(&format!("/cases/{case}"), Some(&worker)).await;
    assert_eq!(overview.status, 200);
    let links = attrs(&overview.html(), "a", "href");
    assert!(links.contains(&format!("/cases/{case}/copy")), "{links:?}");
    assert!(
        links.contains(&format!("/cases/{case}/disclosures")),
        "{links:?}"
    );

    let copy = app
        .page(&format!("/cases/{case}/copy"), Some(&worker))
        .await;
    assert_eq!(copy.status, 200, "{}", copy.body);
    let html = copy.html();
    assert_eq!(attrs(&html, "html", "lang"), vec!["en"]);
    assert!(select(&html, "header.top").is_empty(), "no staff header");
    assert!(select(&html, ".case-nav").is_empty(), "no case tabs");
    assert_eq!(select(&html, "h1").len(), 1);
    assert!(select(&html, "h1")[0].contains("Maricel Santos"));
    assert!(!select(&html, "#disclosures").is_empty());
    assert!(!select(&html, "#corrections").is_empty());

    let arabic = app
        .page(&format!("/cases/{case}/copy?lang=ar"), Some(&worker))
        .await;
    assert_eq!(arabic.status, 200);
    let html = arabic.html();
    assert_eq!(attrs(&html, "html", "lang"), vec!["ar"]);
    assert_eq!(attrs(&html, "html", "dir"), vec!["rtl"]);

    // The tab records a request with the form and shows it.
    let tab = app
        .page(&format!("/cases/{case}/disclosures"), Some(&worker))
        .await;
    assert_eq!(tab.status, 200, "{}", tab.body);
    let posted = app
        .post_form(
            &format!("/cases/{case}/corrections"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("what", "Spelling of my village"),
                ("asked_on", "2026-05-04"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let tab = app
        .page(&format!("/cases/{case}/disclosures"), Some(&worker))
        .await;
    let rows = select(&tab.html(), "tr.correction");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("Spelling of my village"));
    assert_eq!(select(&tab.html(), "form.correction-decision").len(), 1);
}
