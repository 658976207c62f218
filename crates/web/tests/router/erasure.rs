//! The attack on erasure and the legal hold over HTTP: another organisation (even its
//! supervisor) and immigration enforcement learn nothing of the case through the erasure routes
//! (the same 404 as for a case that does not exist) and change nothing; the case's own
//! caseworker may not hold or erase (`supervisor_required`: only a supervisor may); after every attempt the person is
//! not erased and the case is not held.

use crate::harness::{App, User};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

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
            Some(json!({"given_name": "Amina", "family_name": "Diallo", "citizenships": ["SN"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(
                json!({"person_id": pid, "types": ["trafficking"], "stage": "destination",
                        "summary": "Domestic servitude."}),
            ),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    (worker, case.json()["id"].as_str().expect("id").to_string())
}

#[tokio::test]
async fn no_one_outside_the_case_can_erase_or_hold_it_or_learn_it_exists() {
    let app = App::new().await;
    let (worker, case) = shelter_case(&app).await;
    let missing = "01900000-0000-7000-8000-000000000000";
    let other = app
        .user(
            OrgKind::Ngo,
            "s@other.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@border.test", Role::ALL)
        .await;
    let hold = json!({"hold": true});
    let erase = json!({"reason": "asked by the person", "confirm": true});
    for who in [&other, &officer] {
        for id in [case.as_str(), missing] {
            let attempts = [
                (Method::GET, format!("/cases/{id}/erasure"), None),
                (
                    Method::PUT,
                    format!("/cases/{id}/legal-hold"),
                    Some(hold.clone()),
                ),
                (
                    Method::POST,
                    format!("/cases/{id}/erase-person"),
                    Some(erase.clone()),
                ),
            ];
            for (method, path, body) in attempts {
                let a = app.api(method, &path, Some(who), body).await;
                assert_eq!(a.status, 404, "{path}: {}", a.body);
                assert!(!a.body.contains("Amina"), "{path}: {}", a.body);
            }
        }
    }
    // The case's own caseworker reads the state but may neither hold nor erase.
    let hold_try = app
        .api(
            Method::PUT,
            &format!("/cases/{case}/legal-hold"),
            Some(&worker),
            Some(hold),
        )
        .await;
    assert_eq!(hold_try.status, 422, "{}", hold_try.body);
    assert_eq!(hold_try.json()["code"], "supervisor_required");
    let erase_try = app
        .api(
            Method::POST,
            &format!("/cases/{case}/erase-person"),
            Some(&worker),
            Some(erase),
        )
        .await;
    assert_eq!(erase_try.status, 422, "{}", erase_try.body);
    assert_eq!(erase_try.json()["code"], "supervisor_required");
    let state = app
        .api(
            Method::GET,
            &format!("/cases/{case}/erasure"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(state.status, 200, "{}", state.body);
    let state = state.json();
    assert_eq!(state["legal_hold"], false, "{state}");
    assert!(state["erased_at"].is_null(), "{state}");
    let person = app
        .api(Method::GET, &format!("/cases/{case}"), Some(&worker), None)
        .await;
    assert!(
        person.body.contains("Amina"),
        "the person is intact: {}",
        person.body
    );
}
