//! The record of releases: every release with its parameters and each dataset's budget used
//! and left, for readers of statistics (immigration enforcement included: ids and parameters
//! only), shown by label, never by id.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use passage_stats::dp::Epsilon;
use passage_store::Store;
use passage_store::stats::{ExportKind, ExportRequest, Month, Period};

/// Records a release as `passage export` does (the operator stands where the command line
/// stands; no request can).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
async fn release(store: &Store, kind: ExportKind, epsilon: Option<&str>, period: Period) {
    let op = store.operator("router test");
    let request = ExportRequest {
        kind,
        period,
        epsilon: epsilon.map(|e| Epsilon::parse(e).expect("epsilon")),
        budget: Epsilon::parse("3").expect("budget"),
    };
    let ticket = store
        .stats_export_open(op.authority(), request)
        .await
        .expect("open");
    let parameters = match kind {
        ExportKind::Htcds => serde_json::json!({"k": 11, "suppressed": 4}),
        ExportKind::Ctdc => {
            serde_json::json!({"epsilon": epsilon, "queries": 28, "noise": "discrete_laplace"})
        }
    };
    store
        .stats_export_record(ticket, &parameters, 120)
        .await
        .expect("recorded");
}

#[tokio::test]
async fn releases_are_listed_with_their_parameters_and_budgets() {
    let app = App::new().await;
    let analyst = app
        .user(OrgKind::Ministry, "analyst@m.test", &[Role::Analyst])
        .await;
    let page = app.page("/stats/releases", Some(&analyst)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(select(&page.html(), "#no-releases").len(), 1);
    assert_eq!(select(&page.html(), "#no-budgets").len(), 1);

    let year = Period {
        from: Month::parse("2025-01"),
        to: Month::parse("2025-12"),
    };
    release(&app.store, ExportKind::Ctdc, Some("0.5"), year).await;
    release(&app.store, ExportKind::Htcds, None, year).await;
    let page = app.page("/stats/releases", Some(&analyst)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        select(&html, "#releases .kind"),
        [
            "HTCDS records (k-anonymity)",
            "CTDC synthetic records (differential privacy)"
        ],
        "newest first, by label"
    );
    assert_eq!(select(&html, "#releases .epsilon"), ["none", "0.5"]);
    assert_eq!(select(&html, "#releases .rows"), ["120", "120"]);
    let params = select(&html, "#releases .parameters").join(" ");
    assert!(params.contains("Smallest group shown (k)"), "{params}");
    assert!(params.contains("discrete Laplace noise"), "{params}");
    assert!(!params.contains("discrete_laplace"), "a value by its label");
    assert_eq!(select(&html, "#budgets .budget"), ["3"]);
    assert_eq!(select(&html, "#budgets .used"), ["0.5"]);
    assert_eq!(select(&html, "#budgets .left"), ["2.5"]);

    // The API says the same.
    let api = app
        .api(Method::GET, "/stats/releases", Some(&analyst), None)
        .await;
    assert_eq!(api.status, 200, "{}", api.body);
    let v = api.json();
    assert_eq!(v["releases"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["releases"][1]["dataset"], "ctdc:2025-01..2025-12");
    assert_eq!(v["releases"][1]["epsilon"], "0.5");
    assert_eq!(v["releases"][0]["epsilon"], serde_json::Value::Null);
    assert_eq!(v["datasets"][0]["left"], "2.5");

    // Immigration enforcement sees this door too: parameters only, no person.
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "officer@i.test",
            &[Role::Analyst],
        )
        .await;
    let page = app.page("/stats/releases", Some(&officer)).await;
    assert_eq!(page.status, 200);
    // Nobody signed in: nothing.
    let anon = app.api(Method::GET, "/stats/releases", None, None).await;
    assert_eq!(anon.status, 401);
}
