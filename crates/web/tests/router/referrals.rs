//! Referrals over HTTP (issue 14 item 2): `POST /api/v1/cases/{id}/referrals` answers 201
//! `{"id"}`, or 422 `consent_required` when no basis covers the receiving organisation;
//! `GET /api/v1/referrals?direction=` lists incoming and outgoing; the receiver reads only the
//! shared fields, anyone else 404; the receiver accepts or declines (with a reason), and the
//! referrer reads the answer; a withdrawn consent turns the receiver's reads to 404 at once.

use crate::harness::{App, User};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};
use uuid::Uuid;

struct World {
    worker: User,
    staff: User,
    stranger: User,
    house: Uuid,
    service: Uuid,
    case: String,
    person: String,
}

async fn world(app: &App, places: Option<i64>) -> World {
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let house = app.org(OrgKind::ServiceProvider, "House").await;
    let staff = app
        .member(house, "staff@house.test", &[Role::Caseworker])
        .await;
    let stranger = app
        .user(OrgKind::Hotline, "s@stranger.test", &[Role::Caseworker])
        .await;
    let admin = app
        .member(house, "admin@house.test", &[Role::OrgAdmin])
        .await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Night shelter", "type": "shelter", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service: Uuid = entry.json()["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    if let Some(n) = places {
        let cap = app
            .api(
                Method::POST,
                &format!("/services/{service}/capacity"),
                Some(&staff),
                Some(json!({"free": n, "total": n, "version": 0})),
            )
            .await;
        assert!(cap.status < 300, "{} {}", cap.status, cap.body);
    }
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Joy", "family_name": "Reyes", "date_of_birth": "1994-03", "citizenships": ["PH"], "migration_status": "irregular"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Passport held by the employer."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    World {
        worker,
        staff,
        stranger,
        house,
        service,
        case: case.json()["id"].as_str().expect("id").to_string(),
        person: pid,
    }
}

async fn consent(app: &App, w: &World) -> String {
    let r = app
        .api(
            Method::POST,
            &format!("/persons/{}/consents", w.person),
            Some(&w.worker),
            Some(json!({"purpose": "referral", "organisation_id": w.house, "method": "written"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().expect("id").to_string()
}

async fn send(app: &App, w: &World, fields: Value) -> crate::harness::Answer {
    app.api(
        Method::POST,
        &format!("/cases/{}/referrals", w.case),
        Some(&w.worker),
        Some(json!({"service_id": w.service, "purpose": "referral", "shared_fields": fields, "note": "Arrives tonight."})),
    )
    .await
}

#[tokio::test]
async fn a_referral_is_refused_without_consent_then_sent_read_and_answered() {
    let app = App::new().await;
    let w = world(&app, Some(1)).await;

    let refused = send(&app, &w, json!([])).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["code"], "consent_required");

    consent(&app, &w).await;
    let sent = send(&app, &w, json!([])).await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let body = sent.json();
    assert_eq!(
        body.as_object().expect("object").len(),
        1,
        "only the id: {body}"
    );
    let id = body["id"].as_str().expect("id").to_string();

    let incoming = app
        .api(
            Method::GET,
            "/referrals?direction=incoming",
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(incoming.status, 200, "{}", incoming.body);
    assert_eq!(incoming.json()[0]["id"], id.as_str());
    let outgoing = app
        .api(
            Method::GET,
            "/referrals?direction=outgoing",
            Some(&w.worker),
            None,
        )
        .await;
    assert_eq!(outgoing.json()[0]["id"], id.as_str());
    assert_eq!(outgoing.json()[0]["case_id"], w.case.as_str());

    let seen = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let seen = seen.json();
    let mut keys: Vec<&String> = seen["shared"].as_object().expect("shared").keys().collect();
    keys.sort();
    assert_eq!(keys, ["languages", "name", "needs"]);
    assert!(
        seen.get("case_id").is_none(),
        "the receiver never learns the case"
    );
    assert!(!seen.to_string().contains("irregular"));
    assert!(!seen.to_string().contains("Passport"));
    assert_eq!(seen["status"], "sent");
    assert_eq!(seen["note"], "Arrives tonight.");

    let nobody = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.stranger),
            None,
        )
        .await;
    assert_eq!(nobody.status, 404);
    let nobody = app
        .api(
            Method::POST,
            &format!("/referrals/{id}/accept"),
            Some(&w.stranger),
            None,
        )
        .await;
    assert_eq!(nobody.status, 404);

    let accepted = app
        .api(
            Method::POST,
            &format!("/referrals/{id}/accept"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(accepted.status, 204, "{}", accepted.body);
    let mine = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.worker),
            None,
        )
        .await;
    assert_eq!(mine.json()["status"], "accepted");

    // The only place is taken: the next referral to the service is refused.
    let full = send(&app, &w, json!([])).await;
    assert_eq!(full.status, 422, "{}", full.body);
    assert_eq!(full.json()["code"], "service_full");
}

#[tokio::test]
async fn a_decline_needs_a_reason_and_the_referrer_reads_it() {
    let app = App::new().await;
    let w = world(&app, None).await;
    consent(&app, &w).await;
    let id = send(&app, &w, json!(["name"])).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let blank = app
        .api(
            Method::POST,
            &format!("/referrals/{id}/decline"),
            Some(&w.staff),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    let declined = app
        .api(
            Method::POST,
            &format!("/referrals/{id}/decline"),
            Some(&w.staff),
            Some(json!({"reason": "No place for children."})),
        )
        .await;
    assert_eq!(declined.status, 204, "{}", declined.body);
    let mine = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(mine["status"], "declined");
    assert_eq!(mine["outcome"], "No place for children.");
}

#[tokio::test]
async fn withdrawing_the_consent_turns_the_receivers_reads_to_404_at_once() {
    let app = App::new().await;
    let w = world(&app, None).await;
    let basis = consent(&app, &w).await;
    let id = send(&app, &w, json!([])).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let before = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(before.status, 200);
    let gone = app
        .api(
            Method::DELETE,
            &format!("/persons/{}/consents/{basis}", w.person),
            Some(&w.worker),
            None,
        )
        .await;
    assert!(gone.status < 300, "{} {}", gone.status, gone.body);
    let after = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(after.status, 404);
    let listed = app
        .api(
            Method::GET,
            "/referrals?direction=incoming",
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(listed.json(), json!([]));
    let mine = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.worker),
            None,
        )
        .await;
    assert_eq!(mine.json()["status"], "withdrawn");
}

#[tokio::test]
async fn an_unknown_service_is_404_and_an_unknown_field_is_422() {
    let app = App::new().await;
    let w = world(&app, None).await;
    let unknown = app
        .api(
            Method::POST,
            &format!("/cases/{}/referrals", w.case),
            Some(&w.worker),
            Some(json!({"service_id": Uuid::now_v7(), "purpose": "referral", "shared_fields": []})),
        )
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let bad = app
        .api(
            Method::POST,
            &format!("/cases/{}/referrals", w.case),
            Some(&w.worker),
            Some(
                json!({"service_id": w.service, "purpose": "referral", "shared_fields": ["diary"]}),
            ),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
}
