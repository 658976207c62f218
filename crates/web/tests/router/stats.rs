//! The statistics page and API: the period chosen by whole months, a problem with it said in
//! words on the page (never an error page), the contract's shape over the API, and immigration
//! enforcement let in here and nowhere else.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};

#[tokio::test]
async fn the_statistics_page_shows_the_period_and_what_was_left_out() {
    let app = App::new().await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "officer@i.test",
            &[Role::Analyst],
        )
        .await;
    let page = app
        .page("/stats?from=2026-03-14&to=2026-05-02", Some(&officer))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        attrs(&html, "#stats-from", "value"),
        ["2026-03-01"],
        "widened to the start of the month"
    );
    assert_eq!(attrs(&html, "#stats-to", "value"), ["2026-05-31"]);
    assert!(select(&html, "#excluded").join(" ").contains("left out"));
    assert!(select(&html, "#stats-problem").is_empty());
    // A period with no ended month, or not a date: said on the page, the default shown.
    for (q, words) in [
        ("from=2099-01-01", "released by whole months"),
        ("from=14%2F03%2F2026", "YYYY-MM-DD"),
    ] {
        let page = app.page(&format!("/stats?{q}"), Some(&officer)).await;
        assert_eq!(page.status, 200, "{q}");
        let problem = select(&page.html(), "#stats-problem").join(" ");
        assert!(problem.contains(words), "{q}: {problem}");
    }
}

#[tokio::test]
async fn the_summary_keeps_its_contract_and_refuses_what_it_cannot_answer() {
    let app = App::new().await;
    let analyst = app
        .user(OrgKind::Ministry, "analyst@m.test", &[Role::Analyst])
        .await;
    let ok = app
        .api(
            Method::GET,
            "/stats/summary?by=type,stage&from=2026-01-01&to=2026-06-30",
            Some(&analyst),
            None,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let v = ok.json();
    assert_eq!(v["k"], 11);
    assert_eq!(v["from"], "2026-01-01");
    let cells = v["cells"].as_array().expect("cells");
    assert!(!cells.is_empty());
    assert!(
        cells
            .iter()
            .all(|c| c["key"].as_object().is_some_and(|k| k.len() == 2))
    );
    assert!(v["excluded_without_consent"].is_u64());
    for (q, code, status) in [
        ("by=type,type", "invalid_query", 400),
        ("by=name", "invalid_query", 400),
        ("by=type,stage,sex,age", "invalid_query", 400),
        ("from=2026-13-01", "invalid_query", 400),
        ("from=2026-06-01&to=2026-01-01", "invalid_query", 400),
        ("from=2099-01-01", "period_not_released", 422),
    ] {
        let a = app
            .api(
                Method::GET,
                &format!("/stats/summary?{q}"),
                Some(&analyst),
                None,
            )
            .await;
        assert_eq!(a.status, status, "{q}: {}", a.body);
        assert_eq!(a.json()["code"], code, "{q}");
    }
}
