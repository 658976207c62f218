//! An emergency call is seen from every staff page of the organisation that received it, not
//! only on the triage page; the triage page and the dashboard refresh themselves.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

#[tokio::test]
async fn an_unacknowledged_emergency_shows_a_banner_on_every_staff_page_of_its_organisation() {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let desk = app.member(hotline, "desk@h.test", &[Role::Intake]).await;
    let lead = app
        .member(hotline, "lead@h.test", &[Role::Supervisor])
        .await;
    let elsewhere = app
        .user(OrgKind::Ngo, "worker@n.test", &[Role::Caseworker])
        .await;
    let banner = |a: &Answer| select(&a.html(), ".emergency-banner");
    assert!(
        banner(&app.page("/stats", Some(&lead)).await).is_empty(),
        "no emergency yet"
    );

    let call = app
        .api(
            Method::POST,
            "/reports",
            Some(&desk),
            Some(json!({"caller_type": "victim", "language": "en", "categories": ["threats_violence"],
                        "narrative": "He is at the door now", "immediate_danger": true})),
        )
        .await;
    assert_eq!(call.status, 201, "{}", call.body);
    let id = call.json()["id"].as_str().expect("id").to_string();
    // A page far from triage, for the supervisor and the desk: the banner with the count.
    for (who, page) in [(&lead, "/stats"), (&desk, "/stats"), (&lead, "/dashboard")] {
        let a = app.page(page, Some(who)).await;
        assert_eq!(a.status, 200, "{page}");
        let b = banner(&a);
        assert_eq!(b.len(), 1, "{page}: {}", a.body);
        assert!(b[0].contains("emergency report"), "{}", b[0]);
        assert_eq!(
            attrs(&a.html(), ".emergency-banner a", "href"),
            vec!["/reports".to_string()]
        );
    }
    // The story is shown in its own direction (a narrative in Arabic reads right to left).
    let page = app.page(&format!("/reports/{id}"), Some(&desk)).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        select(&page.html(), "p.narrative[dir=auto]"),
        vec!["He is at the door now".to_string()]
    );
    // Another organisation learns nothing of it.
    assert!(banner(&app.page("/stats", Some(&elsewhere)).await).is_empty());
    // Triage and the dashboard refresh themselves without a script when the user turns it on
    // (a timing the user controls: not by default), and say how to stop.
    for page in ["/reports", "/dashboard"] {
        let a = app.page(page, Some(&lead)).await;
        assert!(attrs(&a.html(), "meta[http-equiv=refresh]", "content").is_empty());
        assert_eq!(
            attrs(&a.html(), "p.refresh a", "href"),
            vec![format!("{page}?auto=1")]
        );
        let a = app.page(&format!("{page}?auto=1"), Some(&lead)).await;
        assert_eq!(
            attrs(&a.html(), "meta[http-equiv=refresh]", "content"),
            vec!["60".to_string()],
            "{page}"
        );
        assert_eq!(
            attrs(&a.html(), "p.refresh a", "href"),
            vec![page.to_string()]
        );
    }
    // Acknowledged: the banner goes.
    let ack = app
        .api(
            Method::POST,
            &format!("/reports/{id}/acknowledge"),
            Some(&desk),
            None,
        )
        .await;
    assert!((200..300).contains(&ack.status), "{}", ack.body);
    assert!(banner(&app.page("/stats", Some(&lead)).await).is_empty());
}

/// Each role starts on its own page: the hotline desk on triage, a supervisor on the dashboard,
/// a caseworker on the case list, a statistics-only user on the statistics.
#[tokio::test]
async fn each_role_lands_on_its_own_page() {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let shelter = app.org(OrgKind::ServiceProvider, "Shelter").await;
    for (org, email, role, to) in [
        (hotline, "desk@h.test", Role::Intake, "/reports"),
        (shelter, "lead@s.test", Role::Supervisor, "/dashboard"),
        (shelter, "worker@s.test", Role::Caseworker, "/cases"),
    ] {
        let who = app.member(org, email, &[role]).await;
        let a = app.page("/", Some(&who)).await;
        assert_eq!(
            (a.status, a.location.as_deref()),
            (303, Some(to)),
            "{email}"
        );
    }
    let analyst = app
        .user(OrgKind::Ministry, "analyst@m.test", &[Role::Analyst])
        .await;
    let a = app.page("/", Some(&analyst)).await;
    assert_eq!(a.status, 200);
    assert_eq!(select(&a.html(), "h1").len(), 1);
}
