//! International protection needs over HTTP (issue 14 item 5). `POST
//! /api/v1/cases/{id}/protection-needs` records one (201 with its id); from then on the case
//! never reaches a consulate or other authority of a listed country: a share it had ends at
//! once (the consulate's next read is a 404), and sharing anew answers 422
//! `international_protection`. Bad input is 422 `validation_failed` with fields, a case the
//! caller may not see 404, a partner 403 `owner_only`, immigration enforcement the firewall.
//! A partner reads the countries, never the reason. The case page carries the mark and the
//! form.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use axum::response::IntoResponse;
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

/// A consulate (of GB, as the harness makes every organisation) with the case shared on the
/// person's consent; returns the consul.
async fn shared_with_consulate(app: &App, worker: &User, cid: &str, pid: &str) -> User {
    let consul = app
        .user(OrgKind::Consulate, "c@consulate.test", &[Role::Consular])
        .await;
    let consulate = app.actor("c@consulate.test").await.org_id();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(worker),
            Some(json!({"purpose": "referral", "organisation_id": consulate, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    app.store
        .share_case(
            &app.actor("w@shelter.test").await,
            cid.parse().expect("uuid"),
            consulate,
            "consent",
        )
        .await
        .expect("share");
    consul
}

fn need(countries: &[&str]) -> Value {
    json!({"kind": "refugee", "countries": countries, "reason": REASON})
}

#[tokio::test]
async fn a_recorded_need_answers_201_and_the_consulate_of_the_country_fled_loses_the_case() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let consul = shared_with_consulate(&app, &worker, &cid, &pid).await;
    let path = format!("/cases/{cid}/protection-needs");
    let read = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&consul), None)
        .await;
    assert_eq!(
        read.status, 200,
        "the consulate reads the shared case before"
    );

    let created = app
        .api(Method::POST, &path, Some(&worker), Some(need(&["gb"])))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_str().expect("the recorded need's id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");

    // At once: the consulate of the listed country finds nothing.
    for p in [format!("/cases/{cid}"), path.clone()] {
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

    // Sharing the case with that consulate again is refused: 422 international_protection.
    let consulate = app.actor("c@consulate.test").await.org_id();
    let refused = app
        .store
        .share_case(
            &app.actor("w@shelter.test").await,
            cid.parse().expect("uuid"),
            consulate,
            "vital_interest",
        )
        .await
        .expect_err("refused");
    let res = passage_web::WebError::from(refused).into_response();
    assert_eq!(res.status().as_u16(), 422);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 16)
        .await
        .expect("body");
    let answer: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(answer["code"], "international_protection");
}

#[tokio::test]
async fn bad_input_is_422_only_the_owner_records_and_a_partner_never_reads_the_reason() {
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

    // A partner reading the shared case: 403 owner_only.
    let consul = shared_with_consulate(&app, &worker, &cid, &pid).await;
    let partner = app
        .api(Method::POST, &path, Some(&consul), Some(need(&["ER"])))
        .await;
    assert_eq!(partner.status, 403, "{}", partner.body);
    assert_eq!(partner.json()["code"], "owner_only");
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

    // The owner records one; the partner (another country's consulate) reads whom not to
    // tell, never why.
    let created = app
        .api(Method::POST, &path, Some(&worker), Some(need(&["ER"])))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let seen = app.api(Method::GET, &path, Some(&consul), None).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let seen = seen.json();
    assert_eq!(seen[0]["countries"], json!(["ER"]));
    assert!(seen[0].get("reason").is_none(), "{seen}");
    assert!(!seen.to_string().contains("Deserted"));
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
