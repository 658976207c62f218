//! Another organisation on the API: the person consented to a referral to a consulate, but no
//! referral was sent. The consulate reads nothing of the case and changes nothing of it —
//! every read and every write answers exactly as for a case that does not exist, and the case
//! is left as it was. Referrals and transfers are the only ways data crosses organisations.

use crate::harness::{App, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

#[tokio::test]
async fn a_consented_organisation_without_a_referral_reaches_nothing_of_the_case() {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let consul = app
        .user(OrgKind::Consulate, "c@consulate.test", &[Role::Consular])
        .await;
    let consulate = app.actor("c@consulate.test").await.org_id();

    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Maricel", "family_name": "Santos", "date_of_birth": "1991-11-02", "citizenships": ["PH"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Domestic worker; phone taken."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(&worker),
            Some(json!({"purpose": "referral", "organisation_id": consulate, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let nothing = uuid::Uuid::new_v4();
    let missing = app
        .api(
            Method::GET,
            &format!("/cases/{nothing}"),
            Some(&consul),
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
    let before = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await
        .json();
    let v = before["version"].clone();

    // What a consulate did to a shelter's case: overwrite the summary, unassign the
    // caseworker, raise the risk, close it with a return outcome, decide identification,
    // rename the person.
    let today =
        passage_core::casework::calendar::Day::from_unix_ms(passage_store::now_ms()).to_string();
    let attempts = [
        (
            Method::PATCH,
            format!("/cases/{cid}"),
            json!({"version": v, "summary": "Returned home."}),
        ),
        (
            Method::PATCH,
            format!("/cases/{cid}"),
            json!({"version": v, "assigned_to": null}),
        ),
        (
            Method::PATCH,
            format!("/cases/{cid}"),
            json!({"version": v, "risk": "high"}),
        ),
        (
            Method::POST,
            format!("/cases/{cid}/transitions"),
            json!({"to": "closed", "reason": "Returned", "outcome": "return_with_reintegration"}),
        ),
        (
            Method::POST,
            format!("/cases/{cid}/transitions"),
            json!({"to": "assessment"}),
        ),
        (
            Method::POST,
            format!("/cases/{cid}/identification"),
            json!({"status": "possible_victim", "decided_by": "Consulate", "decided_on": today}),
        ),
        (
            Method::PATCH,
            format!("/persons/{pid}"),
            json!({"version": 1, "given_name": "Maria"}),
        ),
        (
            Method::POST,
            format!("/cases/{cid}/tasks"),
            json!({"title": "Book a flight", "due_on": today}),
        ),
        (
            Method::POST,
            format!("/persons/{pid}/consents"),
            json!({"purpose": "services", "method": "verbal"}),
        ),
    ];
    for (method, path, body) in attempts {
        let answer = app
            .api(method.clone(), &path, Some(&consul), Some(body))
            .await;
        assert_eq!(answer.status, 404, "{method} {path}: {}", answer.body);
        assert_eq!(answer.body, missing.body, "{method} {path}: as for nothing");
    }
    let after = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await
        .json();
    assert_eq!(after, before, "the case is unchanged");

    // Nor any read, nor its own work on the case, on the API or the pages.
    for (method, path, body) in [
        (Method::GET, format!("/cases/{cid}"), None),
        (Method::GET, format!("/cases/{cid}/notes"), None),
        (Method::GET, format!("/persons/{pid}"), None),
        (
            Method::POST,
            format!("/cases/{cid}/notes"),
            Some(json!({"confidentiality": "normal", "body": "Passport renewal started."})),
        ),
        (
            Method::POST,
            format!("/cases/{cid}/services"),
            Some(
                json!({"service_type": "documentation", "provider": "Consulate", "delivered_on": today}),
            ),
        ),
    ] {
        let answer = app.api(method.clone(), &path, Some(&consul), body).await;
        assert_eq!(answer.status, 404, "{method} {path}: {}", answer.body);
        assert_eq!(answer.body, missing.body, "{method} {path}: as for nothing");
    }
    let page = app.page(&format!("/cases/{cid}"), Some(&consul)).await;
    assert_eq!(page.status, 404, "{}", page.body);
    let own_page = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    let html = own_page.html();
    for form in ["form#details-form", "form#move-form", "form#ident-form"] {
        assert!(
            !select(&html, form).is_empty(),
            "the owner's page offers {form}"
        );
    }
    // The owner still reads and works on its case.
    let own = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await;
    assert_eq!(own.status, 200);
}
