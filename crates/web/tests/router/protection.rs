//! International protection needs over HTTP (issue 14 item 5). `POST
//! /api/v1/cases/{id}/protection-needs` records one (201 with its id); from then on the case
//! never reaches a consulate or other authority of a listed country: a referral it had ends at
//! once for its receiver (the consulate's next read is a 404; the referrer reads why), and
//! referring anew answers 422 `international_protection`. Bad input is 422 `validation_failed`
//! with fields, a case the caller may not see (a consulate it was referred to included) 404,
//! immigration enforcement the firewall. The case page carries the mark and the form.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

const REASON: &str = "Deserted from national service; brother detained after.";

/// A shelter caseworker with a case of Senait's; returns (worker, case id, person id).
async fn shelter_case(app: &App) -> (User, String, String) {
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
            Some(json!({"given_name": "Senait", "family_name": "Tesfay", "date_of_birth": "1991-02-14", "citizenships": ["ER"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Unpaid for months."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    (worker, cid, pid)
}

/// A consulate (of GB, as the harness makes every organisation) with a consular service; the
/// case referred to it on the person's consent. Returns the consul, the service and the
/// referral's id.
async fn referred_to_consulate(
    app: &App,
    worker: &User,
    cid: &str,
    pid: &str,
) -> (User, String, String) {
    let consul = app
        .user(OrgKind::Consulate, "c@consulate.test", &[Role::Consular])
        .await;
    let consulate = app.actor("c@consulate.test").await.org_id();
    let admin = app
        .member(consulate, "admin@consulate.test", &[Role::OrgAdmin])
        .await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Assistance to nationals", "type": "consular_assistance", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service = entry.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(worker),
            Some(json!({"purpose": "referral", "organisation_id": consulate, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let sent = refer(app, worker, cid, &service).await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let id = sent.json()["id"].as_str().expect("id").to_string();
    (consul, service, id)
}

async fn refer(app: &App, worker: &User, cid: &str, service: &str) -> crate::harness::Answer {
    app.api(
        Method::POST,
        &format!("/cases/{cid}/referrals"),
        Some(worker),
        Some(json!({"service_id": service, "purpose": "referral", "shared_fields": []})),
    )
    .await
}

fn need(countries: &[&str]) -> Value {
    json!({"kind": "refugee", "countries": countries, "reason": REASON})
}

#[tokio::test]
async fn a_recorded_need_answers_201_and_the_consulate_of_the_country_fled_loses_the_referral() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let (consul, service, referral) = referred_to_consulate(&app, &worker, &cid, &pid).await;
    let path = format!("/cases/{cid}/protection-needs");
    let referral_path = format!("/referrals/{referral}");
    let read = app
        .api(Method::GET, &referral_path, Some(&consul), None)
        .await;
    assert_eq!(read.status, 200, "the consulate reads the referral before");

    let created = app
        .api(Method::POST, &path, Some(&worker), Some(need(&["gb"])))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_str().expect("the recorded need's id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");

    // At once: the consulate of the listed country finds nothing.
    for p in [referral_path.clone(), format!("/cases/{cid}"), path.clone()] {
        let gone = app.api(Method::GET, &p, Some(&consul), None).await;
        assert_eq!(gone.status, 404, "{p}: {}", gone.body);
        assert_eq!(gone.json()["code"], "not_found");
    }
    // The owner lists the need, with its reason.
    let list = app.api(Method::GET, &path, Some(&worker), None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["kind"], "refugee");
    assert_eq!(list[0]["countries"], json!(["GB"]));
    assert_eq!(list[0]["reason"], REASON);

    let incoming = app
        .api(
            Method::GET,
            "/referrals?direction=incoming",
            Some(&consul),
            None,
        )
        .await;
    assert_eq!(incoming.json(), json!([]), "not in its list either");
    // The referrer reads that the receiver lost it, and why.
    let mine = app
        .api(Method::GET, &referral_path, Some(&worker), None)
        .await
        .json();
    assert_eq!(mine["status"], "withdrawn");
    assert_eq!(mine["access_ended_reason"], "international_protection");

    // Referring the case to that consulate again is refused: 422 international_protection.
    let refused = refer(&app, &worker, &cid, &service).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["code"], "international_protection");
}

#[tokio::test]
async fn bad_input_is_422_and_only_the_cases_own_organisation_records_or_reads_a_need() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let path = format!("/cases/{cid}/protection-needs");

    let bad = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"kind": "stateless", "countries": ["XX"], "reason": ""})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let bad = bad.json();
    assert_eq!(bad["code"], "validation_failed");
    let fields: Vec<(String, String)> = bad["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_string(),
                f["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("kind".to_string(), "unknown_value".to_string()),
            ("countries".to_string(), "invalid_country".to_string()),
            ("reason".to_string(), "required".to_string()),
        ]
    );
    let none = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"kind": "asylum_seeker", "countries": [], "reason": "x"})),
        )
        .await;
    assert_eq!(none.status, 422);
    assert_eq!(none.json()["fields"][0]["field"], "countries");
    assert_eq!(none.json()["fields"][0]["code"], "required");

    // A consulate the case was referred to: as for a case that does not exist.
    let (consul, _, _) = referred_to_consulate(&app, &worker, &cid, &pid).await;
    let receiver = app
        .api(Method::POST, &path, Some(&consul), Some(need(&["ER"])))
        .await;
    assert_eq!(receiver.status, 404, "{}", receiver.body);
    // Another organisation's caseworker: as for a case that does not exist.
    let stranger = app
        .user(OrgKind::Ngo, "n@ngo.test", &[Role::Caseworker])
        .await;
    let hidden = app
        .api(Method::POST, &path, Some(&stranger), Some(need(&["ER"])))
        .await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);
    let missing = app
        .api(
            Method::POST,
            &format!("/cases/{}/protection-needs", uuid::Uuid::now_v7()),
            Some(&worker),
            Some(need(&["ER"])),
        )
        .await;
    assert_eq!(missing.status, 404);
    // Nothing was recorded by any of them.
    let list = app
        .api(Method::GET, &path, Some(&worker), None)
        .await
        .json();
    assert_eq!(list, json!([]));

    // The owner records one; the consulate reads nothing of it.
    let created = app
        .api(Method::POST, &path, Some(&worker), Some(need(&["ER"])))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let seen = app.api(Method::GET, &path, Some(&consul), None).await;
    assert_eq!(seen.status, 404, "{}", seen.body);
    assert!(!seen.body.contains("Deserted"));
}

#[tokio::test]
async fn immigration_enforcement_gets_the_firewall_refusal() {
    let app = App::new().await;
    let (_, cid, _) = shelter_case(&app).await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let path = format!("/cases/{cid}/protection-needs");
    for (method, body) in [(Method::GET, None), (Method::POST, Some(need(&["ER"])))] {
        let answer = app.api(method, &path, Some(&officer), body).await;
        assert_eq!(answer.status, 403, "{}", answer.body);
        assert_eq!(answer.json()["code"], "forbidden");
        assert_eq!(answer.json()["reason"], "immigration_firewall");
    }
    let page = app
        .page(&format!("/cases/{cid}/protection"), Some(&officer))
        .await;
    assert!(
        page.status == 403 || page.status == 404,
        "never the page: {}",
        page.status
    );
    assert!(!page.body.contains("Senait"));
}

#[tokio::test]
async fn the_case_page_carries_the_mark_and_the_form_records_a_need() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let overview = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    assert_eq!(overview.status, 200);
    assert!(select(&overview.html(), "#protection-mark").is_empty());
    assert_eq!(
        attrs(&overview.html(), "#protection a", "href"),
        [format!("/cases/{cid}/protection")]
    );

    let form_page = app
        .page(&format!("/cases/{cid}/protection"), Some(&worker))
        .await;
    assert_eq!(form_page.status, 200, "{}", form_page.body);
    let html = form_page.html();
    assert_eq!(
        attrs(&html, "#protection-kind option", "value"),
        ["", "asylum_seeker", "refugee", "fear_of_return"]
    );
    let countries = attrs(
        &html,
        "select#protection-countries[multiple] option",
        "value",
    );
    assert!(countries.contains(&"ER".to_string()) && countries.len() > 200);

    // A form with problems comes back with them, and what was typed.
    let bad = app
        .post_form(
            &format!("/cases/{cid}/protection"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "refugee"),
                ("reason", "Fled"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#protection-countries"]
    );
    assert_eq!(select(&bad.html(), "#protection-reason"), ["Fled"]);

    let saved = app
        .post_form(
            &format!("/cases/{cid}/protection"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "fear_of_return"),
                ("countries", "ER"),
                ("countries", "SD"),
                ("reason", REASON),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/cases/{cid}/protection?done=saved").as_str())
    );
    let after = app
        .page(&format!("/cases/{cid}/protection"), Some(&worker))
        .await;
    let html = after.html();
    assert_eq!(
        select(&html, ".protection-need .protection-countries"),
        ["Eritrea, Sudan"]
    );
    assert!(after.body.contains(REASON), "the owner reads the reason");

    let overview = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    let mark = select(&overview.html(), "#protection-mark strong");
    assert_eq!(
        mark,
        ["International protection needs: do not share with authorities of Eritrea, Sudan"]
    );
}
