//! Referrals over HTTP (issue 14 item 2): `POST /api/v1/cases/{id}/referrals` answers 201
//! `{"id"}`, or 422 `consent_required` when no basis covers the receiving organisation;
//! `GET /api/v1/referrals?direction=` lists incoming and outgoing; the receiver reads only the
//! shared fields, anyone else 404; the receiver accepts or declines (with a reason), and the
//! referrer reads the answer; a withdrawn consent turns the receiver's reads to 404 at once.

use crate::harness::{App, User, attrs, select};
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

async fn sent_id(app: &App, w: &World) -> String {
    let sent = send(app, w, json!([])).await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    sent.json()["id"].as_str().expect("id").to_string()
}

/// The body each receiver step takes.
fn body_of(step: &str) -> Option<Value> {
    match step {
        "decline" => Some(json!({"reason": "x"})),
        "close" => Some(json!({"outcome": "x"})),
        _ => None,
    }
}

async fn post(app: &App, path: &str, who: &User, body: Option<Value>) -> crate::harness::Answer {
    app.api(Method::POST, path, Some(who), body).await
}

#[tokio::test]
async fn the_receiver_opens_a_linked_case_once_and_closes_with_an_outcome_the_referrer_reads() {
    let app = App::new().await;
    let w = world(&app, Some(1)).await;
    consent(&app, &w).await;
    let id = sent_id(&app, &w).await;
    let early = post(&app, &format!("/referrals/{id}/open-case"), &w.staff, None).await;
    assert_eq!(early.status, 422, "{}", early.body);
    assert_eq!(early.json()["code"], "transition_not_allowed");
    let accepted = post(&app, &format!("/referrals/{id}/accept"), &w.staff, None).await;
    assert_eq!(accepted.status, 204);

    let opened = post(&app, &format!("/referrals/{id}/open-case"), &w.staff, None).await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let case_id = opened.json()["case_id"]
        .as_str()
        .expect("case_id")
        .to_string();
    let again = post(&app, &format!("/referrals/{id}/open-case"), &w.staff, None).await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(again.json()["code"], "already_linked");
    let theirs = app
        .api(
            Method::GET,
            &format!("/cases/{case_id}"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    let not_theirs = app
        .api(
            Method::GET,
            &format!("/cases/{case_id}"),
            Some(&w.worker),
            None,
        )
        .await;
    assert_eq!(
        not_theirs.status, 404,
        "the referrer never reads the receiver's case"
    );

    // The referrer neither closes nor opens a case from it.
    for step in ["close", "open-case", "accept"] {
        let refused = post(
            &app,
            &format!("/referrals/{id}/{step}"),
            &w.worker,
            body_of(step),
        )
        .await;
        assert_eq!(refused.status, 404, "{step}: {}", refused.body);
    }
    let blank = post(
        &app,
        &format!("/referrals/{id}/close"),
        &w.staff,
        Some(json!({"outcome": "  "})),
    )
    .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    // The only place is taken until the referral closes.
    assert_eq!(
        send(&app, &w, json!([])).await.json()["code"],
        "service_full"
    );
    let closed = post(
        &app,
        &format!("/referrals/{id}/close"),
        &w.staff,
        Some(json!({"outcome": "Stayed two weeks, then moved to her sister's."})),
    )
    .await;
    assert_eq!(closed.status, 204, "{}", closed.body);

    let mine = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(mine["status"], "closed");
    assert_eq!(
        mine["outcome"],
        "Stayed two weeks, then moved to her sister's."
    );
    assert!(mine["closed_at"].is_i64());
    assert!(mine.get("linked_case_id").is_none());
    let outgoing = app
        .api(
            Method::GET,
            "/referrals?direction=outgoing",
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(outgoing[0]["status"], "closed");
    assert_eq!(outgoing[0]["to_organisation_name"], "House");
    // The bed is free again.
    assert_eq!(send(&app, &w, json!([])).await.status, 201);
}

#[tokio::test]
async fn a_third_organisation_gets_404_on_every_referral_route_and_page() {
    let app = App::new().await;
    let w = world(&app, None).await;
    consent(&app, &w).await;
    let id = sent_id(&app, &w).await;
    let read = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&w.stranger),
            None,
        )
        .await;
    assert_eq!(read.status, 404);
    for step in ["accept", "decline", "open-case", "close"] {
        let r = post(
            &app,
            &format!("/referrals/{id}/{step}"),
            &w.stranger,
            body_of(step),
        )
        .await;
        assert_eq!(r.status, 404, "{step}: {}", r.body);
    }
    let sent = app
        .api(
            Method::POST,
            &format!("/cases/{}/referrals", w.case),
            Some(&w.stranger),
            Some(json!({"service_id": w.service, "purpose": "referral"})),
        )
        .await;
    assert_eq!(sent.status, 404, "{}", sent.body);
    assert_eq!(
        app.page(&format!("/referrals/{id}"), Some(&w.stranger))
            .await
            .status,
        404
    );
    for step in ["accept", "decline", "open-case", "close"] {
        let r = app
            .post_form(
                &format!("/referrals/{id}/{step}"),
                &w.stranger,
                &[
                    ("csrf", &w.stranger.csrf),
                    ("reason", "x"),
                    ("outcome", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, 404, "{step}: {}", r.body);
    }
    for who in [&w.stranger, &w.staff] {
        let page = app
            .page(&format!("/cases/{}/referrals", w.case), Some(who))
            .await;
        assert_eq!(page.status, 404, "the referrer's case stays its own");
        let refer = app
            .post_form(
                &format!("/cases/{}/referrals", w.case),
                who,
                &[
                    ("csrf", &who.csrf),
                    ("service_id", &w.service.to_string()),
                    ("purpose", "referral"),
                ],
            )
            .await;
        assert_eq!(refer.status, 404, "{}", refer.body);
    }
    let listed = app.page("/referrals", Some(&w.stranger)).await;
    assert_eq!(listed.status, 200);
    assert!(select(&listed.html(), "a.referral-link").is_empty());
}

#[tokio::test]
async fn immigration_enforcement_gets_nothing() {
    let app = App::new().await;
    let w = world(&app, None).await;
    consent(&app, &w).await;
    let id = sent_id(&app, &w).await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@border.test",
            &[Role::Analyst],
        )
        .await;
    // Its organisation offers no service anyone could choose.
    let border = app.org(OrgKind::ImmigrationEnforcement, "Border").await;
    let admin = app.member(border, "a@border.test", &[Role::OrgAdmin]).await;
    let offer = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Desk", "type": "shelter", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert!(offer.status == 403 || offer.status == 404, "{}", offer.body);
    for direction in ["incoming", "outgoing"] {
        let r = app
            .api(
                Method::GET,
                &format!("/referrals?direction={direction}"),
                Some(&officer),
                None,
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.json()["code"], "forbidden");
    }
    let one = app
        .api(
            Method::GET,
            &format!("/referrals/{id}"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(one.status, 404);
    for step in ["accept", "decline", "open-case", "close"] {
        let r = post(
            &app,
            &format!("/referrals/{id}/{step}"),
            &officer,
            body_of(step),
        )
        .await;
        assert_eq!(r.status, 404, "{step}");
    }
    assert_eq!(app.page("/referrals", Some(&officer)).await.status, 403);
    assert_eq!(
        app.page(&format!("/referrals/{id}"), Some(&officer))
            .await
            .status,
        404
    );
    let home = app.page("/stats", Some(&officer)).await;
    assert!(attrs(&home.html(), "header nav a[href='/referrals']", "href").is_empty());
    // The Refer form offers only services of organisations that may receive.
    let form = app
        .page(&format!("/cases/{}/referrals", w.case), Some(&w.worker))
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let offered = attrs(&form.html(), "#referral-service option", "value");
    assert_eq!(offered, vec![String::new(), w.service.to_string()]);
}

#[tokio::test]
async fn referral_pages_carry_a_referral_from_the_refer_form_to_its_close() {
    let app = App::new().await;
    let w = world(&app, Some(2)).await;
    let tab = format!("/cases/{}/referrals", w.case);

    let page = app.page(&tab, Some(&w.worker)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        attrs(&html, "#referral-fields input[checked]", "value"),
        vec!["name", "languages", "needs"],
        "the minimal set is ticked"
    );
    assert_eq!(
        attrs(&html, ".case-nav a[aria-current='page']", "href"),
        vec![tab.clone()]
    );
    assert!(!attrs(&html, "header nav a[href='/referrals']", "href").is_empty());
    let service = w.service.to_string();
    let form = [
        ("csrf", w.worker.csrf.as_str()),
        ("service_id", service.as_str()),
        ("purpose", "referral"),
        ("shared_fields", "name"),
        ("shared_fields", "summary"),
        ("note", "Arrives tonight."),
    ];
    // Without consent the form comes back with the reason, in the page's language.
    let refused = app
        .post_form(&format!("{tab}?lang=fr"), &w.worker, &form)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let html = refused.html();
    let summary = select(&html, ".error-summary li");
    assert_eq!(summary.len(), 1);
    assert!(
        summary[0].starts_with("Le consentement de la personne"),
        "{summary:?}"
    );
    assert_eq!(
        attrs(&html, "#referral-fields input[checked]", "value"),
        vec!["name", "summary"],
        "what was ticked stays ticked"
    );
    assert_eq!(
        attrs(&html, "#referral-service option[selected]", "value"),
        vec![service.clone()]
    );

    consent(&app, &w).await;
    let sent = app.post_form(&tab, &w.worker, &form).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let listed = app.page(&tab, Some(&w.worker)).await.html();
    assert_eq!(
        select(&listed, "tr.referral .referral-status"),
        vec!["Sent"]
    );
    assert_eq!(select(&listed, "tr.referral td bdi"), vec!["House"]);
    assert!(select(&listed, "tr.referral .referral-clock")[0].ends_with("left)"));

    // The receiver finds it in incoming and reads only what was shared.
    let incoming = app.page("/referrals", Some(&w.staff)).await.html();
    let links = attrs(&incoming, "#incoming a.referral-link", "href");
    assert_eq!(links.len(), 1);
    assert!(select(&incoming, "#outgoing a.referral-link").is_empty());
    let one = links[0].clone();
    let page = app.page(&one, Some(&w.staff)).await.html();
    assert_eq!(
        select(&page, "#referral-shared dt"),
        vec!["Name", "Case summary"]
    );
    assert_eq!(
        select(&page, "#referral-shared dd"),
        vec!["Joy Reyes", "Passport held by the employer."]
    );
    assert!(!page.html().contains("irregular"));
    assert_eq!(select(&page, "#referral-accept button").len(), 1);
    assert!(select(&page, "#referral-open-case button").is_empty());
    assert!(
        select(&page, "#referral-case").is_empty(),
        "no way to the referrer's case"
    );

    let blank = app
        .post_form(
            &format!("{one}/decline"),
            &w.staff,
            &[("csrf", &w.staff.csrf), ("reason", " ")],
        )
        .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    assert_eq!(
        attrs(&blank.html(), ".error-summary a", "href"),
        vec!["#referral-reason"]
    );
    let accepted = app
        .post_form(
            &format!("{one}/accept"),
            &w.staff,
            &[("csrf", &w.staff.csrf)],
        )
        .await;
    assert_eq!(accepted.status, 303);
    let page = app.page(&one, Some(&w.staff)).await.html();
    assert_eq!(
        attrs(&page, "#referral-status", "data-status"),
        vec!["accepted"]
    );
    assert!(select(&page, "#referral-accept").is_empty());
    let opened = app
        .post_form(
            &format!("{one}/open-case"),
            &w.staff,
            &[("csrf", &w.staff.csrf)],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let to = opened.location.clone().expect("to the new case");
    assert!(to.starts_with("/cases/"), "{to}");
    let page = app.page(&one, Some(&w.staff)).await.html();
    let linked = attrs(&page, "#referral-linked-case", "href");
    assert_eq!(linked.len(), 1);
    assert!(to.starts_with(&linked[0]));
    assert!(select(&page, "#referral-open-case").is_empty(), "once");

    // The referrer has no answer forms.
    let theirs = app.page(&one, Some(&w.worker)).await.html();
    assert!(
        select(
            &theirs,
            "#referral-accept, #close-form, #referral-open-case"
        )
        .is_empty()
    );
    assert_eq!(attrs(&theirs, "#referral-case", "href"), vec![tab.clone()]);
    let refused = app
        .post_form(
            &format!("{one}/close"),
            &w.worker,
            &[("csrf", &w.worker.csrf), ("outcome", "x")],
        )
        .await;
    assert_eq!(refused.status, 404);

    let closed = app
        .post_form(
            &format!("{one}/close"),
            &w.staff,
            &[("csrf", &w.staff.csrf), ("outcome", "Stayed two weeks.")],
        )
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let listed = app.page(&tab, Some(&w.worker)).await.html();
    assert_eq!(
        select(&listed, "tr.referral .referral-status"),
        vec!["Closed"]
    );
    assert_eq!(
        select(&listed, "tr.referral .referral-outcome"),
        vec!["Stayed two weeks."]
    );
    let ar = app
        .page(&format!("{tab}?lang=ar"), Some(&w.worker))
        .await
        .html();
    assert_eq!(select(&ar, "tr.referral .referral-status"), vec!["أُغلقت"]);
}

#[tokio::test]
async fn a_full_service_is_told_on_the_refer_form_by_its_code() {
    let app = App::new().await;
    let w = world(&app, Some(1)).await;
    consent(&app, &w).await;
    let id = sent_id(&app, &w).await;
    let accepted = post(&app, &format!("/referrals/{id}/accept"), &w.staff, None).await;
    assert_eq!(accepted.status, 204);
    let service = w.service.to_string();
    let refused = app
        .post_form(
            &format!("/cases/{}/referrals?lang=es", w.case),
            &w.worker,
            &[
                ("csrf", w.worker.csrf.as_str()),
                ("service_id", service.as_str()),
                ("purpose", "referral"),
                ("note", "Otra vez."),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let html = refused.html();
    assert_eq!(
        select(&html, ".error-summary li"),
        vec![
            "No hay plazas libres en este servicio ahora. Elija otro servicio o inténtelo más tarde."
        ]
    );
    assert_eq!(
        attrs(&html, ".error-summary a", "href"),
        vec!["#referral-service"]
    );
    assert_eq!(select(&html, "#referral-note"), vec!["Otra vez."]);
}
