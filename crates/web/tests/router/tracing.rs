//! Family tracing and age assessment over HTTP (issue 17 item 4). The case's own organisation
//! opens tracing requests, adds searched family members, records steps through partners
//! (referrals of the case) and closes a request with an outcome; it records age assessments,
//! and the page says "treated as a child" when the benefit of the doubt applies. Bad input is
//! 422 naming the field with nothing written; a partner the case was referred to and any other
//! organisation get 404 as for a case that does not exist; immigration enforcement the firewall.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

/// A shelter caseworker with a case of Mariama's; returns (worker, case id, person id).
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
            Some(json!({"given_name": "Mariama", "family_name": "Kamara", "date_of_birth": "2009", "citizenships": ["SL"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["child_protection"], "stage": "destination", "summary": "Arrived alone."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    (worker, cid, pid)
}

/// A partner NGO with a tracing service; the case referred to it on the person's consent.
/// Returns the partner's caseworker and the referral's id.
async fn referred_to_partner(app: &App, worker: &User, cid: &str, pid: &str) -> (User, String) {
    let partner = app
        .user(OrgKind::Ngo, "t@partner.test", &[Role::Caseworker])
        .await;
    let org = app.actor("t@partner.test").await.org_id();
    let admin = app
        .member(org, "admin@partner.test", &[Role::OrgAdmin])
        .await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Family tracing", "type": "family_tracing", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service = entry.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(worker),
            Some(json!({"purpose": "referral", "organisation_id": org, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let sent = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/referrals"),
            Some(worker),
            Some(json!({"service_id": service, "purpose": "referral", "shared_fields": []})),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    (partner, sent.json()["id"].as_str().expect("id").to_string())
}

fn id(a: &crate::harness::Answer) -> String {
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

fn age(lower: i64, upper: i64, method: &str) -> Value {
    json!({"assessed_on": "2026-11-02", "method": method, "assessed_by": "City social services",
           "age_lower": lower, "age_upper": upper})
}

#[tokio::test]
async fn tracing_runs_from_request_to_outcome_through_a_partner_referral() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/tracing");
    let tid = id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"opened_on": "2026-10-20", "reason": "migration_journey"})),
        )
        .await);
    let mid = id(&app
        .api(
            Method::POST,
            &format!("{base}/{tid}/members"),
            Some(&worker),
            Some(
                json!({"relation": "mother", "name": "Hawa Kamara", "last_known_place": "Agadez"}),
            ),
        )
        .await);
    let changed = app
        .api(
            Method::POST,
            &format!("{base}/{tid}/members/{mid}/status"),
            Some(&worker),
            Some(json!({"status": "contact_made"})),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.body);
    let (partner, referral) = referred_to_partner(&app, &worker, &cid, &pid).await;
    id(&app
        .api(
            Method::POST,
            &format!("{base}/{tid}/contacts"),
            Some(&worker),
            Some(json!({"referral_id": referral})),
        )
        .await);
    let list = app.api(Method::GET, &base, Some(&worker), None).await;
    assert_eq!(list.status, 200);
    let r = &list.json()[0];
    assert_eq!(r["status"], "open");
    assert_eq!(r["members"][0]["name"], "Hawa Kamara");
    assert_eq!(r["members"][0]["status"], "contact_made");
    assert_eq!(r["contacts"][0]["referral_id"], referral.as_str());
    assert_eq!(r["contacts"][0]["referral_status"], "sent");

    // The partner reads its referral but never the tracing request: 404 as for no case.
    for path in [base.clone(), format!("/cases/{cid}/age-assessments")] {
        let seen = app.api(Method::GET, &path, Some(&partner), None).await;
        assert_eq!(seen.status, 404, "{}", seen.body);
        assert!(!seen.body.contains("Hawa"));
    }

    // Closing needs an outcome note; nothing changes without one.
    let bare = app
        .api(
            Method::POST,
            &format!("{base}/{tid}/close"),
            Some(&worker),
            Some(json!({"status": "reunited"})),
        )
        .await;
    assert_eq!(bare.status, 422, "{}", bare.body);
    assert_eq!(bare.json()["fields"][0]["field"], "outcome");
    assert_eq!(bare.json()["fields"][0]["code"], "outcome_required");
    let closed = app
        .api(
            Method::POST,
            &format!("{base}/{tid}/close"),
            Some(&worker),
            Some(json!({"status": "reunited", "outcome": "Reunited with her mother"})),
        )
        .await;
    assert_eq!(closed.status, 204, "{}", closed.body);
    let r = app
        .api(Method::GET, &base, Some(&worker), None)
        .await
        .json();
    assert_eq!(r[0]["status"], "reunited");
    assert_eq!(r[0]["outcome"], "Reunited with her mother");
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let path = format!("/cases/{cid}/age-assessments");
    let reversed = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(age(19, 16, "interview")),
        )
        .await;
    assert_eq!(reversed.status, 422, "{}", reversed.body);
    assert_eq!(reversed.json()["fields"][0]["field"], "age_upper");
    let too_old = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(age(30, 121, "interview")),
        )
        .await;
    assert_eq!(too_old.status, 422);
    assert_eq!(too_old.json()["fields"][0]["field"], "age_upper");
    let method = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(age(15, 17, "guess")),
        )
        .await;
    assert_eq!(method.status, 422);
    assert_eq!(method.json()["fields"][0]["field"], "method");
    let reason = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/tracing"),
            Some(&worker),
            Some(json!({"opened_on": "2026-10-20", "reason": "war"})),
        )
        .await;
    assert_eq!(reason.status, 422);
    assert_eq!(reason.json()["fields"][0]["field"], "reason");
    let list = app
        .api(Method::GET, &path, Some(&worker), None)
        .await
        .json();
    assert_eq!(list, json!([]));
    let list = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/tracing"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn another_organisation_gets_404_and_enforcement_the_firewall() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let stranger = app
        .user(
            OrgKind::Ngo,
            "n@ngo.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let ages = format!("/cases/{cid}/age-assessments");
    let tracing = format!("/cases/{cid}/tracing");
    let missing = format!("/cases/{}/tracing", uuid::Uuid::now_v7());
    let open = json!({"opened_on": "2026-10-20", "reason": "conflict"});
    for (path, body) in [
        (&ages, age(15, 17, "interview")),
        (&tracing, open.clone()),
        (&missing, open.clone()),
    ] {
        let a = app
            .api(Method::POST, path, Some(&stranger), Some(body.clone()))
            .await;
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        let a = app.api(Method::GET, path, Some(&stranger), None).await;
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        for (m, b) in [(Method::GET, None), (Method::POST, Some(body))] {
            let a = app.api(m, path, Some(&officer), b).await;
            assert_eq!(a.status, 403, "{path}: {}", a.body);
            assert_eq!(a.json()["reason"], "immigration_firewall");
        }
    }
    for who in [&stranger, &officer] {
        let page = app.page(&tracing, Some(who)).await;
        assert!(page.status == 403 || page.status == 404, "{}", page.status);
        assert!(!page.body.contains("Mariama"));
    }
    // Nothing was written by either.
    let list = app
        .api(Method::GET, &ages, Some(&worker), None)
        .await
        .json();
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn the_page_records_an_assessment_and_says_treated_as_a_child() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let path = format!("/cases/{cid}/tracing");
    let first = app.page(&path, Some(&worker)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(select(&first.html(), "#treated-as-child").is_empty());
    assert_eq!(
        attrs(&first.html(), ".case-nav a[aria-current]", "href"),
        vec![path.clone()]
    );
    // A form with problems comes back with them, and what was typed.
    let bad = app
        .post_form(
            &format!("{path}/age"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("assessed_on", "2026-11-02"),
                ("method", "medical_xray"),
                ("assessed_by", "Hospital radiology"),
                ("age_lower", "19"),
                ("age_upper", "16"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#age-age-upper"]
    );
    assert_eq!(
        attrs(&bad.html(), "#age-assessed-by", "value"),
        ["Hospital radiology"]
    );
    let saved = app
        .post_form(
            &format!("{path}/age"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("assessed_on", "2026-11-02"),
                ("method", "medical_xray"),
                ("assessed_by", "Hospital radiology"),
                ("age_lower", "16"),
                ("age_upper", "19"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{path}?done=saved").as_str())
    );
    let opened = app
        .post_form(
            &format!("{path}/open"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("opened_on", "2026-10-20"),
                ("reason", "conflict"),
            ],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let after = app.page(&path, Some(&worker)).await;
    let html = after.html();
    assert_eq!(
        select(&html, "#treated-as-child strong"),
        ["Treated as a child (benefit of the doubt)"]
    );
    assert_eq!(select(&html, ".age-assessment .age-range"), ["16–19"]);
    assert_eq!(select(&html, ".age-caution").len(), 1, "X-ray caution");
    assert_eq!(select(&html, ".tracing-request .tracing-status"), ["Open"]);
    // Vocabulary is shown by label.
    assert!(after.body.contains("Medical: bone X-ray"));
    assert!(!after.body.contains(">medical_xray<"));
}
