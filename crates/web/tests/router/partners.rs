//! A partner on the API: a case shared with a consulate on the person's consent. The consulate
//! is refused every change only the owner may make (403 `owner_only`, the case unchanged),
//! while its own notes and services go through; when the person withdraws the consent, the
//! consulate's next read or write answers exactly as for a case that does not exist.

use crate::harness::{App, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

#[tokio::test]
async fn a_partner_is_refused_the_owners_writes_and_loses_the_case_with_the_consent() {
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
    let owner = app.actor("w@shelter.test").await;
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
    let consent = consent.json()["id"].as_str().expect("id").to_string();
    app.store
        .share_case(&owner, cid.parse().expect("uuid"), consulate, "consent")
        .await
        .expect("share");
    let read = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&consul), None)
        .await;
    assert_eq!(read.status, 200, "the partner reads the shared case");
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
        assert_eq!(answer.status, 403, "{method} {path}: {}", answer.body);
        let e = answer.json();
        assert_eq!(e["code"], "owner_only", "{method} {path}: {e}");
        assert!(
            e["message"]
                .as_str()
                .is_some_and(|m| m.contains("organisation that owns this case")),
            "{e}"
        );
    }
    let after = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await
        .json();
    assert_eq!(after, before, "the case is unchanged");

    // The partner's page offers none of those changes; the owner's does.
    for (who, owner) in [(&consul, false), (&worker, true)] {
        let page = app.page(&format!("/cases/{cid}"), Some(who)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let html = page.html();
        for form in ["form#details-form", "form#move-form", "form#ident-form"] {
            assert_eq!(!select(&html, form).is_empty(), owner, "{form}");
        }
        assert_eq!(select(&html, "#partner-note").is_empty(), owner);
    }

    // The partner's own work goes through.
    let note = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/notes"),
            Some(&consul),
            Some(json!({"confidentiality": "normal", "body": "Passport renewal started."})),
        )
        .await;
    assert_eq!(note.status, 201, "{}", note.body);
    let service = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/services"),
            Some(&consul),
            Some(json!({"service_type": "documentation", "provider": "Consulate", "delivered_on": today})),
        )
        .await;
    assert_eq!(service.status, 201, "{}", service.body);

    // The person withdraws the consent the share rests on.
    let withdrawn = app
        .api(
            Method::DELETE,
            &format!("/persons/{pid}/consents/{consent}"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(withdrawn.status, 204, "{}", withdrawn.body);
    let nothing = uuid::Uuid::new_v4();
    let missing = app
        .api(
            Method::GET,
            &format!("/cases/{nothing}"),
            Some(&consul),
            None,
        )
        .await;
    for (method, path, body) in [
        (Method::GET, format!("/cases/{cid}"), None),
        (Method::GET, format!("/cases/{cid}/notes"), None),
        (Method::GET, format!("/persons/{pid}"), None),
        (
            Method::POST,
            format!("/cases/{cid}/notes"),
            Some(json!({"confidentiality": "normal", "body": "Still there?"})),
        ),
    ] {
        let answer = app.api(method.clone(), &path, Some(&consul), body).await;
        assert_eq!(answer.status, 404, "{method} {path}: {}", answer.body);
        assert_eq!(answer.body, missing.body, "{method} {path}: as for nothing");
    }
    // The owner still reads and works on its case.
    let own = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await;
    assert_eq!(own.status, 200);
}
