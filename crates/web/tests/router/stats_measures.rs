//! The four Ps over the API and as a page: the contract's shape, a rights page read through the
//! real page counted, a small figure hidden and never shown as 0, the asker's own organisation
//! or the national figure only (any other organisation refused alike, whether it exists or
//! not), and immigration enforcement given the aggregates.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use passage_store::Clock;
use uuid::Uuid;

/// 2026-03-10 12:00 UTC.
const MARCH: i64 = 1_773_144_000_000;
/// 2026-04-02 09:00 UTC: March is released.
const APRIL: i64 = 1_775_120_400_000;

/// Reads a British rights page `n` times in March, then moves to April.
async fn app_with_reads(n: usize) -> App {
    let clock = Clock::fixed(MARCH);
    let app = App::configured({
        let clock = clock.clone();
        move |s| s.with_clock(clock)
    })
    .await;
    for _ in 0..n {
        let page = app.page("/rights/GB/destination/work?lang=fr", None).await;
        assert_eq!(page.status, 200);
        assert!(
            page.headers.get("set-cookie").is_none(),
            "no cookie to count a reader"
        );
    }
    clock.advance(APRIL - MARCH);
    app
}

#[tokio::test]
async fn the_measures_keep_their_contract_and_count_rights_pages_read() {
    let app = app_with_reads(30).await;
    let analyst = app
        .user(OrgKind::Ministry, "analyst@m.test", &[Role::Analyst])
        .await;
    let ok = app
        .api(
            Method::GET,
            "/stats/measures?from=2026-03-14&to=2026-03-20",
            Some(&analyst),
            None,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let v = ok.json();
    assert_eq!(v["k"], 11);
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-03-01"), Some("2026-03-31"))
    );
    assert_eq!(v["country"], "GB");
    assert!(v["org"].is_null());
    let figures = v["figures"].as_array().expect("figures");
    let measures: Vec<&str> = figures
        .iter()
        .filter_map(|f| f["measure"].as_str())
        .collect();
    assert_eq!(
        measures,
        [
            "complaints_received",
            "rights_pages_read",
            "persons_assisted",
            "services_delivered",
            "referrals_accepted",
            "days_to_first_service",
            "referred_to_law_enforcement",
            "proceedings_opened",
            "compensation_recovered",
            "cross_organisation_referrals",
            "cross_border_referrals",
        ]
    );
    for f in figures {
        assert!(
            f["pillar"].is_string() && f["suppressed"].is_boolean(),
            "{f}"
        );
        assert!(f["excluded_without_consent"].is_u64(), "{f}");
    }
    // Thirty reads, with a little noise: counted, and nothing else about them.
    let reads = figures
        .iter()
        .find(|f| f["measure"] == "rights_pages_read")
        .expect("reads");
    assert_eq!(reads["pillar"], "prevention");
    let n = reads["value"].as_u64().expect("published");
    assert!((20..=40).contains(&n), "{n}");
    let months = v["months"].as_array().expect("months");
    assert!(
        months
            .iter()
            .any(|m| m["month"] == "2026-03" && m["measure"] == "rights_pages_read")
    );
    // Questions it cannot answer.
    for (q, code, status) in [
        ("org=not-an-id", "invalid_query", 400),
        ("from=2026-13-01", "invalid_query", 400),
        ("from=2026-06-01&to=2026-01-01", "invalid_query", 400),
        ("from=2099-01-01", "period_not_released", 422),
    ] {
        let a = app
            .api(
                Method::GET,
                &format!("/stats/measures?{q}"),
                Some(&analyst),
                None,
            )
            .await;
        assert_eq!(a.status, status, "{q}: {}", a.body);
        assert_eq!(a.json()["code"], code, "{q}");
    }
}

/// The attack: another organisation's figures, asked by a staff member or by immigration
/// enforcement. Refused, with the same answer for an organisation that does not exist.
#[tokio::test]
async fn only_the_own_organisation_or_the_national_figure() {
    let app = app_with_reads(0).await;
    let shelter = app.org(OrgKind::ServiceProvider, "Shelter").await;
    let worker = app
        .member(shelter, "worker@s.test", &[Role::Caseworker])
        .await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "officer@i.test",
            &[Role::Analyst],
        )
        .await;
    let own = app
        .api(
            Method::GET,
            &format!("/stats/measures?org={shelter}"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert_eq!(own.json()["org"], shelter.to_string());
    let mut answers = Vec::new();
    for (who, org) in [
        (&officer, shelter),
        (&officer, Uuid::now_v7()),
        (&worker, Uuid::now_v7()),
    ] {
        let a = app
            .api(
                Method::GET,
                &format!("/stats/measures?org={org}"),
                Some(who),
                None,
            )
            .await;
        assert_eq!(a.status, 403, "{}", a.body);
        answers.push(a.json()["code"].clone());
    }
    assert!(answers.iter().all(|c| *c == answers[0]), "{answers:?}");
    let national = app
        .api(Method::GET, "/stats/measures", Some(&officer), None)
        .await;
    assert_eq!(national.status, 200, "{}", national.body);
}

#[tokio::test]
async fn the_page_shows_four_tables_and_hides_small_figures() {
    let app = app_with_reads(3).await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "officer@i.test",
            &[Role::Analyst],
        )
        .await;
    let page = app
        .page(
            "/stats/measures?from=2026-03-01&to=2026-03-31",
            Some(&officer),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        select(&html, "main h2"),
        ["Prevention", "Protection", "Prosecution", "Partnership"]
    );
    assert_eq!(select(&html, "table.measures").len(), 4);
    let rows = select(&html, "table.measures tbody tr");
    assert_eq!(rows.len(), 11, "{rows:?}");
    let reads = rows
        .iter()
        .find(|r| r.contains("Rights pages read"))
        .expect("reads row");
    assert!(reads.contains("hidden (fewer than 11)"), "{reads}");
    assert!(reads.contains("not about a person"), "{reads}");
    // Each measure with its figure and how many were left out beside it.
    assert_eq!(select(&html, "table.measures tbody tr > *").len(), 33);
    assert_eq!(attrs(&html, "#measures-from", "value"), ["2026-03-01"]);
    assert!(
        select(&html, "#measures-org option")
            .iter()
            .any(|o| o.contains("United Kingdom"))
    );
    // A period with no ended month: said on the page, the default shown.
    let later = app
        .page("/stats/measures?from=2099-01-01", Some(&officer))
        .await;
    assert_eq!(later.status, 200);
    assert!(
        select(&later.html(), "#measures-problem")
            .join(" ")
            .contains("released by whole months")
    );
    // In Arabic, right to left, every label translated.
    let ar = app.page("/stats/measures?lang=ar", Some(&officer)).await;
    assert_eq!(ar.status, 200);
    assert_eq!(select(&ar.html(), "main h2")[0], "الوقاية");
}
