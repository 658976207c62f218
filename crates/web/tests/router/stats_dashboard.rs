//! The dashboards through the router: each chart's table is the API's answer to the same
//! question, and the chart draws the table's numbers; a suppressed count is suppressed in the
//! chart, the table, the CSV and the XLSX alike (never a zero); the public page answers
//! without signing in and names no organisation; one organisation's figures are refused to
//! anyone outside it, existing or not, with the same answer; immigration enforcement reaches
//! the national page and nothing of a case.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::records::{RawCase, RawPerson};
use passage_core::{OrgKind, Role};
use passage_store::{Actor, Clock};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// 2026-03-10 12:00 UTC: the month the cases are opened in.
const MARCH: i64 = 1_773_144_000_000;
/// 2026-04-02 09:00 UTC: March has ended and is released.
const APRIL: i64 = 1_775_120_400_000;
/// The shelter's own word for itself: never on the public page.
const SHELTER: &str = "Harbourlight Shelter";
const PERIOD: &str = "from=2026-03&to=2026-03";
const API_PERIOD: &str = "from=2026-03-01&to=2026-03-31";

/// Opens `n` cases of `kind` at `stage`, each person with a statistics consent.
async fn cases(app: &App, actor: &Actor, n: usize, kind: &str, stage: &str, sex: &str) {
    for i in 0..n {
        let person = RawPerson {
            given_name: format!("Nadira{i}"),
            family_name: "Quillon".into(),
            date_of_birth: Some("1990-05-02".into()),
            sex: Some(sex.into()),
            citizenships: Some(vec!["NP".into()]),
            migration_status: None,
        }
        .validate(2026)
        .expect("person");
        let pid = app
            .store
            .create_person(actor, person)
            .await
            .expect("person");
        let raw = RawCase {
            person_id: pid.to_string(),
            types: vec![kind.into()],
            stage: stage.into(),
            summary: "Held by an employer.".into(),
        }
        .validate()
        .expect("case");
        app.store.create_case(actor, raw).await.expect("case");
        let consent = NewConsent {
            purpose: ConsentPurpose::Statistics,
            organisation_id: None,
            basis: LegalBasis::Consent,
            method: Some(ConsentMethod::Verbal),
            language: None,
            reason: None,
        };
        app.store
            .record_consent(actor, pid, consent)
            .await
            .expect("consent");
    }
}

struct World {
    app: App,
    shelter: Uuid,
    caseworker: User,
    officer: User,
}

/// A shelter with cases opened in March, read in April, with counts under `k` suppressed.
async fn world(k: u64) -> World {
    let clock = Clock::fixed(MARCH);
    let app = App::built(
        {
            let clock = clock.clone();
            move |s| s.with_clock(clock)
        },
        passage_web::WebConfig {
            stats_k: k,
            ..Default::default()
        },
    )
    .await;
    let shelter = app.org(OrgKind::Ngo, SHELTER).await;
    app.account(
        shelter,
        "cw@shelter.test",
        &[Role::Caseworker, Role::Supervisor],
    )
    .await;
    let immigration = app
        .org(OrgKind::ImmigrationEnforcement, "Border Office")
        .await;
    app.account(immigration, "officer@border.test", &[Role::Analyst])
        .await;
    let worker = app.actor("cw@shelter.test").await;
    cases(&app, &worker, 30, "trafficking", "destination", "feminine").await;
    cases(&app, &worker, 15, "detention", "destination", "feminine").await;
    cases(
        &app,
        &worker,
        3,
        "labour_exploitation",
        "transit",
        "masculine",
    )
    .await;
    clock.advance(APRIL - MARCH);
    World {
        caseworker: app.sign_in("cw@shelter.test").await,
        officer: app.sign_in("officer@border.test").await,
        shelter,
        app,
    }
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"))
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// A table of the page: data-key → (shown count, suppressed).
fn table(html: &Html, id: &str) -> BTreeMap<String, (String, bool)> {
    html.select(&sel(&format!("#{id}-table tbody tr")))
        .map(|tr| {
            let key = tr.value().attr("data-key").unwrap_or_default().to_string();
            let count = tr
                .select(&sel("td.count"))
                .map(text)
                .next()
                .unwrap_or_default();
            let suppressed = tr.value().classes().any(|c| c == "suppressed");
            (key, (count, suppressed))
        })
        .collect()
}

/// A chart's drawn values: data-key → (value written, drawn as suppressed).
fn chart(html: &Html, id: &str) -> BTreeMap<String, (String, bool)> {
    let chart_id = id.replace('_', "-");
    html.select(&sel(&format!("#{chart_id}-chart g[data-key]")))
        .map(|g| {
            let key = g.value().attr("data-key").unwrap_or_default().to_string();
            let value = g
                .select(&sel(".value"))
                .map(text)
                .next()
                .unwrap_or_default();
            let suppressed = g.value().classes().any(|c| c == "suppressed");
            (key, (value, suppressed))
        })
        .collect()
}

/// The API's cells for one dimension: key → (count as the page says it, suppressed).
fn cells(v: &Value, dim: &str, k: u64) -> BTreeMap<String, (String, bool)> {
    v["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| {
            let key = c["key"][dim].as_str().expect("key").to_string();
            let shown = match c["count"].as_u64() {
                Some(n) => n.to_string(),
                None => format!("suppressed (fewer than {k})"),
            };
            (key, (shown, c["suppressed"].as_bool().expect("flag")))
        })
        .collect()
}

const TABLES: &[(&str, &str)] = &[
    ("by_type", "type"),
    ("by_stage", "stage"),
    ("by_sex", "sex"),
    ("by_age", "age"),
    ("by_month", "month"),
    ("by_sector", "sector"),
    ("by_control", "control"),
];

#[tokio::test]
async fn each_chart_and_its_table_are_the_apis_answer() {
    let w = world(11).await;
    let app = &w.app;
    for (path, org) in [
        ("/stats/national", String::new()),
        ("/stats/dashboard", format!("&org={}", w.shelter)),
    ] {
        let page = app
            .page(&format!("{path}?{PERIOD}"), Some(&w.caseworker))
            .await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let html = page.html();
        assert_eq!(attrs(&html, "#dash-from", "value"), ["2026-03"]);
        for (id, dim) in TABLES {
            let api = app
                .api(
                    Method::GET,
                    &format!("/stats/summary?by={dim}&{API_PERIOD}{org}"),
                    Some(&w.caseworker),
                    None,
                )
                .await;
            assert_eq!(api.status, 200, "{}", api.body);
            let expected = cells(&api.json(), dim, 11);
            assert!(!expected.is_empty());
            assert_eq!(
                table(&html, id),
                expected,
                "{path} {id}: the table is the API's"
            );
            assert_eq!(
                chart(&html, id),
                expected,
                "{path} {id}: the chart is the table"
            );
            assert_eq!(
                attrs(&html, &format!("#{}-chart", id.replace('_', "-")), "role"),
                ["img"]
            );
            let excluded = select(&html, &format!("#{id} .excluded")).join(" ");
            assert!(excluded.contains("left out"), "{id}: {excluded}");
        }
        // The month trend lists the month even when it counts nothing.
        assert!(table(&html, "by_month").contains_key("2026-03"));
        // The trafficking cases are counted on both pages (30, give or take the noise; the
        // three of labour exploitation are hidden with the detention cases as complement).
        let t = table(&html, "by_type");
        let n: u64 = t["trafficking"]
            .0
            .parse()
            .unwrap_or_else(|_| panic!("{t:?}"));
        assert!((20..=40).contains(&n), "{n}");
        // The breakdown is chosen: type crossed with the case status.
        let crossed = app
            .page(
                &format!("{path}?{PERIOD}&breakdown=status"),
                Some(&w.caseworker),
            )
            .await
            .html();
        assert!(table(&crossed, "breakdown").contains_key("trafficking|open"));
    }
    // The citizenships: the most frequent, by label.
    let html = app
        .page(&format!("/stats/national?{PERIOD}"), Some(&w.caseworker))
        .await
        .html();
    assert_eq!(select(&html, "#by_citizenship-table tbody th"), ["Nepal"]);
}

/// Reads a stored zip archive back (local headers, central directory, CRCs).
fn unzip(zip: &[u8]) -> BTreeMap<String, String> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let u16at = |i: usize| usize::from(u16::from_le_bytes([zip[i], zip[i + 1]]));
    let u32at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]);
    let end = zip.len() - 22;
    assert_eq!(u32at(end), 0x0605_4b50, "end of central directory");
    let mut p = u32at(end + 16) as usize;
    let mut files = BTreeMap::new();
    for _ in 0..u16at(end + 10) {
        assert_eq!(u32at(p), 0x0201_4b50, "central directory entry");
        let crc = u32at(p + 16);
        let size = u32at(p + 24) as usize;
        let name_len = u16at(p + 28);
        let name = String::from_utf8(zip[p + 46..p + 46 + name_len].to_vec()).expect("name");
        let local = u32at(p + 42) as usize;
        assert_eq!(u32at(local), 0x0403_4b50, "local header of {name}");
        assert_eq!(u16at(local + 8), 0, "stored");
        let start = local + 30 + u16at(local + 26) + u16at(local + 28);
        let data = &zip[start..start + size];
        assert_eq!(crc32(data), crc, "CRC of {name}");
        files.insert(name, String::from_utf8(data.to_vec()).expect("xml"));
        p += 46 + name_len;
    }
    files
}

#[tokio::test]
async fn a_suppressed_count_is_suppressed_in_the_chart_the_table_the_csv_and_the_xlsx() {
    // With k = 1000 every count of the shelter's 48 cases is hidden.
    let w = world(1000).await;
    let app = &w.app;
    let api = app
        .api(
            Method::GET,
            &format!("/stats/summary?by=type&{API_PERIOD}"),
            Some(&w.caseworker),
            None,
        )
        .await;
    let v = api.json();
    let trafficking = v["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["key"]["type"] == "trafficking")
        .expect("listed")
        .clone();
    assert_eq!(trafficking["count"], Value::Null);
    assert_eq!(trafficking["suppressed"], true);
    let html = app
        .page(&format!("/stats/national?{PERIOD}"), Some(&w.caseworker))
        .await
        .html();
    let words = "suppressed (fewer than 1000)".to_string();
    assert_eq!(
        table(&html, "by_type")["trafficking"],
        (words.clone(), true)
    );
    assert_eq!(chart(&html, "by_type")["trafficking"], (words, true));
    let hatched = attrs(
        &html,
        "#by-type-chart g.suppressed[data-key=trafficking] rect",
        "fill",
    );
    assert_eq!(
        hatched,
        ["url(#by-type-hatch)"],
        "hatched, never a zero bar"
    );
    // The CSV download: an empty count and the suppressed flag.
    let csv_href = attrs(&html, "#by_type a.csv", "href");
    assert_eq!(csv_href.len(), 1);
    let csv = app.page(&csv_href[0], Some(&w.caseworker)).await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("type,type_label,count,suppressed,from,to,excluded_without_consent")
    );
    let row = lines
        .find(|l| l.starts_with("trafficking,"))
        .expect("trafficking row");
    assert!(
        row.starts_with("trafficking,Trafficking in persons,,true,2026-03-01,2026-03-31,"),
        "{row}"
    );
    // The XLSX download: the same row, no count cell, the flag.
    let xlsx_href = attrs(&html, "#by_type a.xlsx", "href");
    let xlsx = app.page(&xlsx_href[0], Some(&w.caseworker)).await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let files = unzip(&xlsx.bytes);
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
    ] {
        assert!(files.contains_key(part), "{part}");
    }
    let sheet = &files["xl/worksheets/sheet1.xml"];
    let row_at = sheet.find(">trafficking</t>").expect("the trafficking row");
    let row = &sheet[sheet[..row_at].rfind("<row").expect("row")..];
    let row = &row[..row.find("</row>").expect("end")];
    assert!(row.contains(">Trafficking in persons</t>"));
    assert!(row.contains(">true</t>"), "{row}");
    assert!(!row.contains(r#"<c r="C"#), "no count cell: {row}");
    // The API's CSV: the same, without labels; JSON stays the default.
    let api_csv = app
        .api(
            Method::GET,
            &format!("/stats/summary?by=type&{API_PERIOD}&format=csv"),
            Some(&w.caseworker),
            None,
        )
        .await;
    assert_eq!(api_csv.status, 200);
    assert!(
        api_csv
            .body
            .lines()
            .any(|l| l.starts_with("trafficking,,true,2026-03-01,2026-03-31,")),
        "{}",
        api_csv.body
    );
    assert!(
        api.headers["content-type"]
            .to_str()
            .expect("type")
            .contains("json")
    );
}

#[tokio::test]
async fn the_public_page_answers_without_signing_in_and_names_no_organisation() {
    let w = world(11).await;
    let app = &w.app;
    let home = app.page("/report", None).await.html();
    assert_eq!(
        attrs(&home, "#statistics-link", "href"),
        ["/statistics?lang=en"]
    );
    let page = app.page(&format!("/statistics?{PERIOD}"), None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.headers["cache-control"]
            .to_str()
            .expect("header")
            .starts_with("public"),
        "cacheable"
    );
    assert!(!page.body.contains(SHELTER), "no organisation named");
    assert!(!page.body.contains("Border Office"));
    let html = page.html();
    // The national figures as published: the same as the national API answer.
    let api = app
        .api(
            Method::GET,
            &format!("/stats/summary?by=type&{API_PERIOD}"),
            Some(&w.officer),
            None,
        )
        .await;
    assert_eq!(table(&html, "by_type"), cells(&api.json(), "type", 11));
    // Asking for one organisation's figures there changes nothing.
    let org = app
        .page(&format!("/statistics?{PERIOD}&org={}", w.shelter), None)
        .await;
    assert_eq!(org.status, 200);
    assert_eq!(table(&org.html(), "by_type"), table(&html, "by_type"));
    // The breakdown is the reader's choice there too.
    let by_sex = app
        .page(&format!("/statistics?{PERIOD}&breakdown=sex"), None)
        .await
        .html();
    assert!(table(&by_sex, "breakdown").contains_key("trafficking|feminine"));
    // Downloads are public too.
    let href = attrs(&html, "#by_stage a.csv", "href");
    let csv = app.page(&href[0], None).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("stage,stage_label,count,suppressed"));
}

#[tokio::test]
async fn one_organisations_figures_are_refused_to_anyone_outside_it_with_one_answer() {
    let w = world(11).await;
    let app = &w.app;
    let outsider = app
        .user(OrgKind::Ngo, "cw@other.test", &[Role::Caseworker])
        .await;
    let mut answers = Vec::new();
    for org in [w.shelter, Uuid::new_v4()] {
        let api = app
            .api(
                Method::GET,
                &format!("/stats/summary?by=type&org={org}"),
                Some(&outsider),
                None,
            )
            .await;
        assert_eq!(api.status, 403, "{}", api.body);
        let page = app
            .page(&format!("/stats/dashboard?org={org}"), Some(&outsider))
            .await;
        assert_eq!(page.status, 403);
        assert!(!page.body.contains(SHELTER));
        answers.push((api.body, select(&page.html(), "main").join(" ")));
    }
    assert_eq!(answers[0], answers[1], "the same whether it exists or not");
    // The shelter's own figures are its own to read.
    let own = app
        .page(
            &format!("/stats/dashboard?org={}", w.shelter),
            Some(&w.caseworker),
        )
        .await;
    assert_eq!(own.status, 200);
    // And the outsider's own dashboard counts nothing of the shelter's.
    let theirs = app
        .page(&format!("/stats/dashboard?{PERIOD}"), Some(&outsider))
        .await
        .html();
    assert_eq!(table(&theirs, "by_type")["trafficking"].0, "0");
}

#[tokio::test]
async fn immigration_enforcement_reaches_the_national_page_and_not_a_case() {
    let w = world(11).await;
    let app = &w.app;
    let national = app
        .page(&format!("/stats/national?{PERIOD}"), Some(&w.officer))
        .await;
    assert_eq!(national.status, 200, "{}", national.body);
    let html = national.html();
    assert!(!table(&html, "by_type").is_empty());
    assert!(
        select(&html, "#regions").is_empty(),
        "no monitoring figures behind the firewall"
    );
    assert!(!national.body.contains("Nadira") && !national.body.contains("Quillon"));
    // What the navigation offers: statistics and the inbox, nothing of a case.
    let nav: Vec<String> = attrs(&html, "header nav a", "href");
    assert!(
        nav.iter().all(|h| h == "/stats" || h == "/inbox"),
        "{nav:?}"
    );
    let sub = attrs(&html, "main nav.subnav a", "href");
    assert_eq!(
        sub,
        [
            "/stats",
            "/stats/dashboard",
            "/stats/national",
            "/statistics"
        ]
    );
    assert_eq!(
        app.page("/stats/dashboard", Some(&w.officer)).await.status,
        200
    );
    // A case of the shelter: nothing.
    let list = app
        .api(Method::GET, "/cases", Some(&w.caseworker), None)
        .await
        .json();
    let case = list["items"][0]["id"]
        .as_str()
        .or_else(|| list[0]["id"].as_str())
        .expect("a case id")
        .to_string();
    let page = app.page(&format!("/cases/{case}"), Some(&w.officer)).await;
    assert!(page.status == 403 || page.status == 404, "{}", page.status);
    assert!(!page.body.contains("Nadira") && !page.body.contains("Quillon"));
    let api = app
        .api(
            Method::GET,
            &format!("/cases/{case}"),
            Some(&w.officer),
            None,
        )
        .await;
    assert!(api.status == 403 || api.status == 404);
    assert!(!api.body.contains("Nadira"));
}

#[tokio::test]
async fn the_national_page_draws_the_incidents_regions_for_who_may_see_them() {
    let w = world(11).await;
    let html = w
        .app
        .page(&format!("/stats/national?{PERIOD}"), Some(&w.caseworker))
        .await
        .html();
    assert_eq!(
        select(&html, "#regions-chart g.tile").len(),
        12,
        "GB's regions"
    );
    assert_eq!(attrs(&html, "#regions-chart", "role"), ["img"]);
    let rows = table(&html, "regions");
    assert!(rows.contains_key("london"));
    let drawn = chart(&html, "regions");
    for (k, v) in &drawn {
        assert_eq!(rows.get(k), Some(v), "{k}: the map is the table");
    }
}

/// The four Ps on the dashboards: each P's table holds the measures API's figures for the same
/// period and the same organisation (or national), its counted measures are drawn, and its
/// download carries the same values.
#[tokio::test]
async fn the_four_ps_on_a_dashboard_are_the_measures_apis_answer() {
    let w = world(11).await;
    let app = &w.app;
    for (path, org) in [
        ("/stats/national", String::new()),
        ("/stats/dashboard", format!("&org={}", w.shelter)),
    ] {
        let api = app
            .api(
                Method::GET,
                &format!("/stats/measures?{API_PERIOD}{org}"),
                Some(&w.caseworker),
                None,
            )
            .await;
        assert_eq!(api.status, 200, "{}", api.body);
        let v = api.json();
        let figures = v["figures"].as_array().expect("figures");
        let persons = figures
            .iter()
            .find(|f| f["measure"] == "persons_assisted")
            .expect("persons assisted");
        // 48 consented cases were opened in March: a figure, not hidden.
        assert!(persons["value"].as_u64().is_some_and(|n| n > 11), "{v}");
        let page = app
            .page(&format!("{path}?{PERIOD}"), Some(&w.caseworker))
            .await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let html = page.html();
        for p in ["prevention", "protection", "prosecution", "partnership"] {
            let id = format!("p_{p}");
            let shown = table(&html, &id);
            let expected: BTreeMap<String, bool> = figures
                .iter()
                .filter(|f| f["pillar"] == p)
                .map(|f| {
                    (
                        f["measure"].as_str().expect("measure").to_string(),
                        f["suppressed"].as_bool().expect("flag"),
                    )
                })
                .collect();
            assert!(!expected.is_empty(), "{p}");
            assert_eq!(
                shown
                    .iter()
                    .map(|(k, (_, s))| (k.clone(), *s))
                    .collect::<BTreeMap<_, _>>(),
                expected,
                "{path} {id}: the table is the API's"
            );
        }
        let persons_row = &table(&html, "p_protection")["persons_assisted"];
        assert_eq!(
            persons_row.0,
            persons["value"].as_u64().expect("n").to_string()
        );
        assert_eq!(
            chart(&html, "p_protection")["persons_assisted"].0,
            persons_row.0,
            "{path}: the chart draws the table"
        );
        let csv = app
            .page(
                &format!("{path}?{PERIOD}{org}&table=p_protection&format=csv"),
                Some(&w.caseworker),
            )
            .await;
        assert_eq!(csv.status, 200, "{}", csv.body);
        let line = csv
            .body
            .lines()
            .find(|l| l.starts_with("persons_assisted,"))
            .expect("persons assisted row");
        assert!(
            line.contains(&format!(",{},false,", persons_row.0)),
            "{line}"
        );
    }
}
