//! Notifications and organisation webhooks over HTTP (issue 14 item 8): a referral received
//! shows in the receiving staff's inbox (API and `/inbox`, labelled in the page's language,
//! linking to the referral, counted in the header) until marked read; nobody else's
//! notification can be marked; immigration enforcement gets nothing; an organisation's
//! administrator registers an endpoint (its secret shown once) that another organisation's
//! administrator can neither see nor remove, and sees what was sent to it.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;
use uuid::Uuid;

struct World {
    worker: User,
    staff: User,
    house_admin: User,
    stranger_admin: User,
    officer: User,
    case: String,
    service: Uuid,
}

async fn world(app: &App) -> World {
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
    let house_admin = app
        .member(house, "admin@house.test", &[Role::OrgAdmin])
        .await;
    let stranger_admin = app
        .user(OrgKind::Hotline, "admin@stranger.test", &[Role::OrgAdmin])
        .await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@imm.test",
            &[Role::Analyst],
        )
        .await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&house_admin),
            Some(json!({"name": "Night shelter", "type": "shelter", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service: Uuid = entry.json()["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Joy", "family_name": "Reyes", "date_of_birth": "1994-03"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Passport held."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(&worker),
            Some(json!({"purpose": "referral", "organisation_id": house, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    World {
        worker,
        staff,
        house_admin,
        stranger_admin,
        officer,
        case: case.json()["id"].as_str().expect("id").to_string(),
        service,
    }
}

async fn send(app: &App, w: &World) -> String {
    let r = app
        .api(
            Method::POST,
            &format!("/cases/{}/referrals", w.case),
            Some(&w.worker),
            Some(
                json!({"service_id": w.service, "purpose": "referral", "note": "Arrives tonight."}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_referral_received_is_in_the_receivers_inbox_until_read() {
    let app = App::new().await;
    let w = world(&app).await;
    let rid = send(&app, &w).await;

    let inbox = app
        .api(Method::GET, "/notifications", Some(&w.staff), None)
        .await;
    assert_eq!(inbox.status, 200, "{}", inbox.body);
    let body = inbox.json();
    assert_eq!(body["unread"], 1);
    let n = &body["notifications"][0];
    assert_eq!(n["kind"], "referral_received");
    assert_eq!(n["referral_id"], rid.as_str());
    assert!(!inbox.body.contains("Joy") && !inbox.body.contains("Arrives"));
    let nid = n["id"].as_str().expect("id").to_string();

    for nobody in [&w.officer, &w.stranger_admin, &w.house_admin] {
        let r = app
            .api(Method::GET, "/notifications", Some(nobody), None)
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["notifications"], json!([]), "{}", r.body);
    }

    let page = app.page("/inbox?lang=fr", Some(&w.staff)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        select(&html, "#inbox tbody tr.unread td a"),
        vec!["Orientation reçue"]
    );
    assert_eq!(
        attrs(&html, "#inbox tbody tr td a", "href"),
        vec![format!("/referrals/{rid}")]
    );
    assert_eq!(select(&html, "#nav-inbox"), vec!["Notifications (1)"]);
    let page = app.page("/inbox", Some(&w.staff)).await.html();
    assert_eq!(
        select(&page, "#inbox tbody tr td a"),
        vec!["Referral received"]
    );
    assert_eq!(select(&page, "#nav-inbox"), vec!["Inbox (1)"]);

    // Nobody else marks it, not even a colleague's administrator; an unknown id is the same.
    for other in [&w.house_admin, &w.stranger_admin, &w.officer] {
        let r = app
            .api(
                Method::POST,
                &format!("/notifications/{nid}/read"),
                Some(other),
                None,
            )
            .await;
        assert_eq!(r.status, 404, "{}", r.body);
    }
    let r = app
        .post_form(
            &format!("/inbox/{nid}/read"),
            &w.house_admin,
            &[("csrf", &w.house_admin.csrf)],
        )
        .await;
    assert_eq!(r.status, 404);

    let r = app
        .post_form(
            &format!("/inbox/{nid}/read"),
            &w.staff,
            &[("csrf", &w.staff.csrf)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/inbox?done=inbox-read"));
    let page = app
        .page("/inbox?done=inbox-read", Some(&w.staff))
        .await
        .html();
    assert_eq!(select(&page, "#nav-inbox"), vec!["Inbox (0)"]);
    assert_eq!(select(&page, "p.notice"), vec!["Marked as read."]);
    assert!(select(&page, "#inbox tbody tr.unread").is_empty());
    assert_eq!(select(&page, "#inbox tbody tr.read").len(), 1);

    // The answer reaches the sender.
    let r = app
        .api(
            Method::POST,
            &format!("/referrals/{rid}/accept"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let mine = app
        .api(Method::GET, "/notifications", Some(&w.worker), None)
        .await
        .json();
    assert_eq!(mine["notifications"][0]["kind"], "referral_answered");
}

#[tokio::test]
async fn an_endpoint_is_kept_by_its_organisations_administrators_only() {
    let app = App::new().await;
    let w = world(&app).await;
    for (who, status) in [(&w.staff, 403), (&w.officer, 403)] {
        let r = app
            .api(
                Method::POST,
                "/webhooks",
                Some(who),
                Some(json!({"url": "https://x.example/h"})),
            )
            .await;
        assert_eq!(r.status, status, "{}", r.body);
        let r = app.api(Method::GET, "/webhooks", Some(who), None).await;
        assert_eq!(r.status, status, "{}", r.body);
    }
    let r = app
        .api(
            Method::POST,
            "/webhooks",
            Some(&w.house_admin),
            Some(json!({"url": "http://hooks.example/h"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let made = app
        .api(
            Method::POST,
            "/webhooks",
            Some(&w.house_admin),
            Some(json!({"url": "https://hooks.house.example/h"})),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let made = made.json();
    let id = made["id"].as_str().expect("id").to_string();
    let secret = made["secret"].as_str().expect("secret").to_string();
    assert_eq!(secret.len(), 64);

    // Another organisation's administrator sees its own (none) and cannot remove this one.
    let theirs = app
        .api(Method::GET, "/webhooks", Some(&w.stranger_admin), None)
        .await;
    assert_eq!(theirs.status, 200);
    assert_eq!(theirs.json()["endpoint"], json!(null));
    assert!(!theirs.body.contains("hooks.house.example"));
    let r = app
        .api(
            Method::DELETE,
            &format!("/webhooks/{id}"),
            Some(&w.stranger_admin),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app
        .post_form(
            &format!("/admin/webhooks/{id}/delete"),
            &w.stranger_admin,
            &[("csrf", &w.stranger_admin.csrf)],
        )
        .await;
    assert_eq!(r.status, 404);
    let page = app.page("/admin/webhooks", Some(&w.stranger_admin)).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("hooks.house.example"));

    send(&app, &w).await;
    let mine = app
        .api(Method::GET, "/webhooks", Some(&w.house_admin), None)
        .await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let mine = mine.json();
    assert_eq!(mine["endpoint"]["url"], "https://hooks.house.example/h");
    assert!(
        mine["endpoint"].get("secret").is_none(),
        "the secret is never shown again"
    );
    assert_eq!(mine["deliveries"][0]["event"], "referral_received");
    assert_eq!(mine["deliveries"][0]["status"], "pending");
    assert!(!mine.to_string().contains(&secret));

    let page = app.page("/admin/webhooks", Some(&w.house_admin)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        select(&html, "#webhook-endpoint code"),
        vec!["https://hooks.house.example/h"]
    );
    assert_eq!(
        select(&html, "#deliveries tbody tr td:first-child"),
        vec!["Referral received"]
    );
    assert!(select(&html, "#webhook-secret").is_empty());
    assert!(!page.body.contains(&secret));
    assert_eq!(
        attrs(&html, "nav a[href='/admin/webhooks']", "href").len(),
        1
    );

    // Registered from the page, the new secret is shown once, on that answer.
    let r = app
        .post_form(
            "/admin/webhooks",
            &w.house_admin,
            &[
                ("csrf", &w.house_admin.csrf),
                ("url", "http://127.0.0.1:9/h"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = select(&r.html(), "#webhook-secret code");
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].len(), 64);
    assert_ne!(shown[0], secret);
    let r = app
        .post_form(
            "/admin/webhooks",
            &w.house_admin,
            &[
                ("csrf", &w.house_admin.csrf),
                ("url", "http://hooks.example/"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(select(&r.html(), ".error-summary li").len(), 1);
    // A notice given up on is in a banner on every page of the organisation's administrators.
    let claimed = app
        .store
        .claim_due_org_webhooks(i64::MAX / 4, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    for i in 0..passage_store::outbox::MAX_ATTEMPTS {
        app.store
            .mark_webhook_failed_as(&claimed[0].id, i, "HTTP 503")
            .await
            .expect("failed");
    }
    let users = app.page("/admin/users", Some(&w.house_admin)).await.html();
    assert_eq!(
        attrs(&users, "#webhooks-dead-banner a", "href"),
        vec!["/admin/webhooks"]
    );
    let log = app
        .page("/admin/webhooks", Some(&w.house_admin))
        .await
        .html();
    assert_eq!(select(&log, "#deliveries tr.dead").len(), 1);
    assert_eq!(select(&log, "#webhooks-dead").len(), 1);
    for other in [&w.staff, &w.stranger_admin] {
        let page = app.page("/inbox", Some(other)).await.html();
        assert!(select(&page, "#webhooks-dead-banner").is_empty());
    }
    // Mended, the administrator sends them again; the banner goes.
    let r = app
        .api(Method::POST, "/webhooks/retry", Some(&w.staff), None)
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post_form(
            "/admin/webhooks/retry",
            &w.house_admin,
            &[("csrf", &w.house_admin.csrf)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some("/admin/webhooks?done=webhooks-requeued")
    );
    let users = app.page("/admin/users", Some(&w.house_admin)).await.html();
    assert!(select(&users, "#webhooks-dead-banner").is_empty());
    let again = app
        .api(Method::GET, "/webhooks", Some(&w.house_admin), None)
        .await
        .json();
    assert_eq!(again["dead"], 0);
    assert_eq!(again["deliveries"][0]["status"], "pending");
    assert_eq!(again["deliveries"][0]["attempts"], 0);
    let now = app
        .api(Method::GET, "/webhooks", Some(&w.house_admin), None)
        .await
        .json();
    let id = now["endpoint"]["id"].as_str().expect("id").to_string();
    let r = app
        .api(
            Method::DELETE,
            &format!("/webhooks/{id}"),
            Some(&w.house_admin),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
}

#[tokio::test]
async fn a_services_managers_set_its_answer_time() {
    let app = App::new().await;
    let w = world(&app).await;
    let path = format!("/services/{}/answer-hours", w.service);
    for (who, status) in [(&w.staff, 403), (&w.stranger_admin, 403), (&w.officer, 403)] {
        let r = app
            .api(
                Method::PUT,
                &path,
                Some(who),
                Some(json!({"answer_hours": 24})),
            )
            .await;
        assert_eq!(r.status, status, "{}", r.body);
    }
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&w.house_admin),
            Some(json!({"answer_hours": 0})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&w.house_admin),
            Some(json!({"answer_hours": 24})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["answer_hours"], 24);
    let rid = send(&app, &w).await;
    let r = app
        .api(
            Method::GET,
            &format!("/referrals/{rid}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    let sent = r["sent_at"].as_i64().expect("sent_at");
    assert_eq!(r["answer_due"].as_i64(), Some(sent + 24 * 3_600_000), "{r}");
}
