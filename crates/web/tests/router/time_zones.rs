//! Times on staff pages are in the organisation's time zone, which its administrator chooses
//! from a list; nobody else changes it, and a name not on the list is refused with a reason.

use crate::harness::{App, select};
use passage_core::{OrgKind, Role};

#[tokio::test]
async fn an_administrator_chooses_the_time_zone_and_others_cannot() {
    let app = App::new().await;
    let org = app.org(OrgKind::Ngo, "Casa Amiga").await;
    let admin = app.member(org, "admin@casa.test", &[Role::OrgAdmin]).await;
    let worker = app.member(org, "w@casa.test", &[Role::Caseworker]).await;

    let page = app.page("/admin/users", Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        select(&page.html(), "#time_zone option[selected]"),
        ["UTC"],
        "a new organisation starts on UTC"
    );
    assert!(
        select(&page.html(), "#time_zone option")
            .iter()
            .any(|z| z == "America/Mexico_City"),
        "the list holds the world's zones"
    );

    let saved = app
        .post_form(
            "/admin/organisation/time-zone",
            &admin,
            &[("csrf", &admin.csrf), ("time_zone", "America/Mexico_City")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let again = app.page("/admin/users", Some(&admin)).await;
    assert_eq!(
        select(&again.html(), "#time_zone option[selected]"),
        ["America/Mexico_City"]
    );

    let wrong = app
        .post_form(
            "/admin/organisation/time-zone",
            &admin,
            &[("csrf", &admin.csrf), ("time_zone", "Mars/Olympus_Mons")],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(
        !select(&wrong.html(), ".error-summary li").is_empty(),
        "the refusal says why"
    );

    let refused = app
        .post_form(
            "/admin/organisation/time-zone",
            &worker,
            &[("csrf", &worker.csrf), ("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(
        refused.status, 403,
        "a caseworker does not change the organisation"
    );
    let kept = app.page("/admin/users", Some(&admin)).await;
    assert_eq!(
        select(&kept.html(), "#time_zone option[selected]"),
        ["America/Mexico_City"],
        "neither the wrong name nor the caseworker changed it"
    );
}

#[tokio::test]
async fn triage_shows_times_in_the_organisations_zone_and_the_time_left() {
    use axum::http::Method;
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Línea").await;
    let admin = app.member(hotline, "admin@l.test", &[Role::OrgAdmin]).await;
    let desk = app.member(hotline, "desk@l.test", &[Role::Intake]).await;
    let saved = app
        .post_form(
            "/admin/organisation/time-zone",
            &admin,
            &[("csrf", &admin.csrf), ("time_zone", "Asia/Manila")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let call = app
        .api(
            Method::POST,
            "/reports",
            Some(&desk),
            Some(
                serde_json::json!({"caller_type": "victim", "language": "en",
                "categories": ["threats_violence"], "narrative": "He is at the door now",
                "immediate_danger": true}),
            ),
        )
        .await;
    assert_eq!(call.status, 201, "{}", call.body);
    let triage = app.page("/reports", Some(&desk)).await;
    assert_eq!(triage.status, 200);
    let html = triage.html();
    let received = select(&html, "tbody tr td");
    assert!(
        received.iter().any(|c| c.ends_with(" PST")),
        "times are Manila's (PST, UTC+8), not UTC: {received:?}"
    );
    assert!(
        !received.iter().any(|c| c.ends_with(" UTC")),
        "no time is left in UTC: {received:?}"
    );
    let left = select(&html, "tbody tr .left");
    assert_eq!(left.len(), 1, "the waiting emergency shows its time left");
    assert!(
        left[0].ends_with(" left") && left[0].contains("min"),
        "a countdown in words: {left:?}"
    );
}
