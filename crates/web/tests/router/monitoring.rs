//! The monitoring views through the router (issue 16 item 5): incidents of every organisation
//! counted on a tile map of the country's regions (SVG drawn on the server, with its table),
//! by month and by kind, motive, place and perpetrator; every count under k reads "fewer than
//! k", and the differencing attack — a total from one table minus the published cells of
//! another — gives no suppressed cell back. Who reads it; immigration enforcement never.
//! Monitoring visits: recorded, read by their organisation only, incidents recorded from them.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

const K: u64 = 3;

async fn app() -> App {
    App::with_config(passage_web::WebConfig {
        min_cell: K,
        ..Default::default()
    })
    .await
}

async fn record(app: &App, who: &User, region: &str, n: usize) {
    let day = app.store.clock().today().plus_days(-1).to_string();
    for _ in 0..n {
        let a = app
            .api(
                Method::POST,
                "/incidents",
                Some(who),
                Some(
                    json!({"occurred_on": day, "country": "GB", "region": region,
                            "place_type": "street", "kinds": ["violence"],
                            "bias_motives": ["ethnicity"], "affected": {"men": 1},
                            "source": "victim", "narrative": "Chased down the high street."}),
                ),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
    }
}

fn number(s: &str) -> Option<u64> {
    s.trim().parse().ok()
}

#[tokio::test]
async fn small_counts_are_suppressed_and_no_difference_gives_one_back() {
    let app = app().await;
    let ngo = app
        .user(OrgKind::Ngo, "cw@ngo.test", &[Role::Caseworker])
        .await;
    let hotline = app
        .user(OrgKind::Hotline, "cw@hotline.test", &[Role::Intake])
        .await;
    // London 5 across two organisations, Scotland 4, Wales 1.
    record(&app, &ngo, "london", 3).await;
    record(&app, &hotline, "london", 2).await;
    record(&app, &hotline, "scotland", 4).await;
    record(&app, &ngo, "wales", 1).await;
    let analyst = app
        .user(OrgKind::Ngo, "analyst@equality.test", &[Role::Analyst])
        .await;

    let page = app.page("/monitoring?country=GB", Some(&analyst)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    // The map: twelve tiles, labelled, with a table for screen readers.
    assert_eq!(select(&html, "svg.tile-map g.tile").len(), 12);
    assert_eq!(attrs(&html, "svg.tile-map", "role"), ["img"]);
    let cell = |key: &str| select(&html, &format!("#regions-table tr[data-key=\"{key}\"] td"));
    assert_eq!(cell("london"), ["5"]);
    assert_eq!(cell("wales"), ["fewer than 3"]);
    assert_eq!(
        cell("scotland"),
        ["fewer than 3"],
        "4 is not under k, but alone Wales would be recovered from a total"
    );
    assert_eq!(cell("north_east"), ["0"]);
    let tiles = select(&html, "svg.tile-map .tile-value");
    assert!(tiles.contains(&"5".to_string()) && tiles.contains(&"< 3".to_string()));
    // No total anywhere: no table has a footer or a row of sums.
    assert!(select(&html, "tfoot").is_empty());
    assert!(select(&html, "tr[data-key=\"total\"]").is_empty());

    // The differencing attack: the month table's published cells add up to every incident
    // counted; subtract the published regions and what remains is the hidden regions' sum.
    let months: u64 = select(&html, "#months-table td")
        .iter()
        .filter_map(|t| number(t))
        .sum();
    assert_eq!(months, 10);
    let regions: Vec<String> = select(&html, "#regions-table td");
    let published: u64 = regions.iter().filter_map(|t| number(t)).sum();
    let hidden = regions.iter().filter(|t| number(t).is_none()).count();
    let remainder = months - published;
    assert!(hidden >= 2, "a lone hidden cell would equal the remainder");
    assert_ne!(remainder, 1, "Wales's true count is not given back");
    assert_eq!(remainder, 5, "only the sum of Wales and Scotland");

    // Breakdowns by label, suppressed the same way.
    let kind = select(&html, "#by-kind tr[data-key=\"violence\"] td");
    assert_eq!(kind.first().map(String::as_str), Some("10"));
    let motive = select(&html, "#by-motive tr[data-key=\"ethnicity\"] th");
    assert_eq!(motive, ["Ethnicity"]);

    // The API: null where suppressed, no total.
    let api = app
        .api(Method::GET, "/monitoring?country=GB", Some(&analyst), None)
        .await;
    assert_eq!(api.status, 200, "{}", api.body);
    let v = api.json();
    assert_eq!(v["min_cell"], K);
    let wales = v["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .find(|c| c["key"] == "wales")
        .cloned()
        .expect("wales");
    assert_eq!(
        wales,
        json!({"key": "wales", "count": null, "suppressed": true})
    );
    assert!(v.get("total").is_none());
    // A bad filter names the field.
    let bad = app
        .api(
            Method::GET,
            "/monitoring?from=yesterday",
            Some(&analyst),
            None,
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["fields"][0]["field"], "from");

    // Who: a ministry's analyst reads it; a caseworker does not; enforcement never.
    let ministry = app
        .user(OrgKind::Ministry, "analyst@ministry.test", &[Role::Analyst])
        .await;
    assert_eq!(
        app.page("/monitoring?country=GB", Some(&ministry))
            .await
            .status,
        200
    );
    assert_eq!(app.page("/monitoring", Some(&ngo)).await.status, 403);
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@imm.test", Role::ALL)
        .await;
    assert_eq!(app.page("/monitoring", Some(&officer)).await.status, 403);
    let a = app
        .api(Method::GET, "/monitoring", Some(&officer), None)
        .await;
    assert_eq!(a.json()["reason"], "immigration_firewall");
    let nav = app.page("/monitoring", Some(&analyst)).await.html();
    assert!(attrs(&nav, "header nav a", "href").contains(&"/monitoring".to_string()));
}

#[tokio::test]
async fn a_monitoring_visit_is_recorded_and_incidents_are_recorded_from_it() {
    let app = app().await;
    let monitor = app
        .user(
            OrgKind::InternationalOrganisation,
            "m@io.test",
            &[Role::Caseworker],
        )
        .await;
    let other = app
        .user(OrgKind::Ngo, "cw@ngo.test", &[Role::Caseworker])
        .await;
    let form = app.page("/monitoring/visits/new", Some(&monitor)).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(
        attrs(&form.html(), "#visit-kind option", "value"),
        ["", "detention_visit", "return_monitoring"]
    );
    let bad = app
        .post_form(
            "/monitoring/visits",
            &monitor,
            &[("csrf", &monitor.csrf), ("kind", "picnic")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let day = app.store.clock().today().plus_days(-1).to_string();
    let ok = app
        .post_form(
            "/monitoring/visits",
            &monitor,
            &[
                ("csrf", &monitor.csrf),
                ("kind", "return_monitoring"),
                ("place_name", "Charter flight from Stansted"),
                ("visited_on", &day),
                ("findings", "Restraints used on a compliant returnee."),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let to = ok.location.expect("location");
    let path = to.split('?').next().unwrap_or("").to_string();
    let visit = path.rsplit('/').next().unwrap_or("").to_string();
    let html = app.page(&path, Some(&monitor)).await.html();
    assert_eq!(
        select(&html, ".findings"),
        ["Restraints used on a compliant returnee."]
    );
    assert_eq!(app.page(&path, Some(&other)).await.status, 404);
    // The form opened from the visit records an incident that names it.
    let form = app
        .page(&format!("/incidents/new?visit={visit}"), Some(&monitor))
        .await
        .html();
    assert_eq!(
        attrs(&form, "#incident-source option[selected]", "value"),
        ["monitor"]
    );
    let created = app
        .api(
            Method::POST,
            "/incidents",
            Some(&monitor),
            Some(
                json!({"occurred_on": day, "country": "GB", "place_type": "transport",
                        "kinds": ["abuse_during_return"], "source": "monitor",
                        "visit_id": visit, "narrative": "Restraints on a compliant returnee."}),
            ),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let html = app.page(&path, Some(&monitor)).await.html();
    assert_eq!(select(&html, ".visit-incidents li").len(), 1);
    let listed = app
        .api(Method::GET, "/monitoring/visits", Some(&monitor), None)
        .await
        .json();
    assert_eq!(listed[0]["kind"], "return_monitoring");
    let theirs = app
        .api(Method::GET, "/monitoring/visits", Some(&other), None)
        .await
        .json();
    assert_eq!(theirs, json!([]));
}
