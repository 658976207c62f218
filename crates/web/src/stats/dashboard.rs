//! The dashboards: `/stats/dashboard` (the reader's organisation), `/stats/national` (every
//! organisation of the reader's country, with the incidents' region map when the reader may
//! see the monitoring figures) and the public `/statistics` (released national figures, no
//! organisation, cacheable). Each shows cases by type, stage, sex, CTDC age band and
//! citizenship, a month trend of cases opened and a crossed breakdown of the reader's choice,
//! each chart drawn on the server next to its data table, each table downloadable as CSV and
//! XLSX (`?table=by_type&format=csv`), and each saying how many cases were left out for want
//! of consent. Every figure comes through the one door, [`passage_store::Store::stats_summary`]
//! (or its public twin) with the published disclosure.

use super::charts::{self, Bars, Row, TileMap, Trend};
use crate::AppState;
use crate::cases::query::bad_query;
use crate::i18n::I18n;
use crate::intake::PublicPage;
use crate::kit::download::{self, Format};
use crate::kit::xlsx::Value;
use crate::kit::{Nav, UiSession, WebError, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use passage_core::casework::calendar::Day;
use passage_core::monitoring::regions::regions_of;
use passage_core::monitoring::views::Filter;
use passage_core::{Country, DenyReason};
use passage_stats::facts::UNKNOWN;
use passage_store::stats::{Dimension, Disclosure, Question, Summary};
use passage_store::{Actor, StoreError};
use uuid::Uuid;

/// Citizenships shown on a chart (the download holds every one).
const TOP_CITIZENSHIPS: usize = 10;

/// What a dashboard may be broken down by, crossed with the case type.
const BREAKDOWNS: &[Dimension] = &[
    Dimension::Stage,
    Dimension::Status,
    Dimension::Sex,
    Dimension::Age,
    Dimension::Citizenship,
];

/// The filters and, for a download, the table and format.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct DashQuery {
    /// First month, `YYYY-MM` (or a day of it).
    from: String,
    /// Last month, `YYYY-MM` (or a day of it).
    to: String,
    /// The dimension crossed with the case type.
    breakdown: String,
    /// The organisation (on `/stats/dashboard`: only the reader's own).
    org: String,
    /// The country (on `/statistics`).
    country: String,
    /// A download: the table's id and `csv` or `xlsx`.
    table: String,
    format: String,
    lang: Option<String>,
}

/// Whose figures a page shows.
#[derive(Debug, Clone, Copy)]
enum Whose {
    Org(Uuid),
    National,
    Public(Country),
}

/// The words of a page in its reader's language.
struct Words<'a> {
    i18n: &'a I18n,
    lang: String,
}

impl Words<'_> {
    fn t(&self, id: &str) -> String {
        self.i18n.t(&self.lang, id)
    }
    fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.i18n.t_args(&self.lang, id, &[(name, &value)])
    }
    fn t2(
        &self,
        id: &str,
        a: &str,
        av: impl std::fmt::Display,
        b: &str,
        bv: impl std::fmt::Display,
    ) -> String {
        self.i18n.t_args(&self.lang, id, &[(a, &av), (b, &bv)])
    }

    /// A dimension's value by label.
    fn value(&self, d: Dimension, v: &str) -> String {
        if v == UNKNOWN {
            return self.t("stats-dash-unknown");
        }
        match d {
            Dimension::Type => self.i18n.label(&self.lang, "case_type", v),
            Dimension::Stage => self.i18n.label(&self.lang, "stage", v),
            Dimension::Status => self.i18n.label(&self.lang, "case_status", v),
            Dimension::Sex => self.i18n.label(&self.lang, "sex", v),
            Dimension::Citizenship | Dimension::Country => {
                crate::names::country_name(&self.lang, v)
                    .map_or_else(|| v.to_string(), str::to_string)
            }
            Dimension::Age | Dimension::Month => v.to_string(),
        }
    }

    /// A dimension's name.
    fn dimension(&self, d: Dimension) -> String {
        self.t(&format!("stats-dash-dim-{}", d.as_str()))
    }
}

/// A row of a table: the key (the values joined by `|`), the labels, the count as said.
pub struct TableRow {
    key: String,
    labels: Vec<String>,
    value: String,
    suppressed: bool,
}

/// A chart, or none (a crossed table).
pub enum Chart {
    Bars(Bars),
    Trend(Trend),
    Map(TileMap),
    None,
}

/// A figure: its table, its chart, its downloads and what was left out.
pub struct Figure {
    id: &'static str,
    title: String,
    heads: Vec<String>,
    count_head: String,
    rows: Vec<TableRow>,
    chart: Chart,
    /// More said under the table (the citizenships not shown).
    note: Option<String>,
    excluded: String,
    csv: String,
    xlsx: String,
    csv_label: String,
    xlsx_label: String,
}

/// One 1-dimension table of a summary, with how a chart is drawn from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bars,
    Trend,
    Top,
}

/// The tables of a dashboard: id, dimension, chart.
const TABLES: &[(&str, Dimension, Kind)] = &[
    ("by_type", Dimension::Type, Kind::Bars),
    ("by_stage", Dimension::Stage, Kind::Bars),
    ("by_sex", Dimension::Sex, Kind::Bars),
    ("by_age", Dimension::Age, Kind::Bars),
    ("by_citizenship", Dimension::Citizenship, Kind::Top),
    ("by_month", Dimension::Month, Kind::Trend),
];
/// The crossed table's id.
const BREAKDOWN: &str = "breakdown";
/// The incidents' regions (national page, monitoring figures).
const REGIONS: &str = "regions";

#[derive(Template)]
#[template(path = "stats_dashboard.html")]
struct DashPage {
    nav: Nav,
    /// `/stats/dashboard` or `/stats/national`.
    path: &'static str,
    heading: String,
    intro: String,
    counted: String,
    problem: Option<String>,
    from: String,
    to: String,
    breakdowns: Vec<(String, String, bool)>,
    figures: Vec<Figure>,
    /// The four-Ps measures (`/stats/measures`) join the dashboards here when they land: the
    /// same figures, charts and downloads.
    measures: Vec<Figure>,
}

#[derive(Template)]
#[template(path = "stats_public.html")]
struct PublicStatsPage {
    p: PublicPage,
    intro: String,
    counted: String,
    problem: Option<String>,
    from: String,
    to: String,
    countries: Vec<(String, String, bool)>,
    country: String,
    breakdowns: Vec<(String, String, bool)>,
    figures: Vec<Figure>,
}

/// The period and breakdown asked for; a period that is no period is the default, and the
/// problem is said.
struct Asked {
    from: Option<Day>,
    to: Option<Day>,
    breakdown: Dimension,
    problem: Option<String>,
}

/// A month (`YYYY-MM`) or a day.
fn month(text: &str) -> Result<Option<Day>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let day = if t.len() == 7 {
        Day::parse(&format!("{t}-01"))
    } else {
        Day::parse(t)
    };
    day.map(Some).ok_or(())
}

fn asked(q: &DashQuery, w: &Words<'_>) -> Asked {
    let breakdown = Dimension::parse(q.breakdown.trim())
        .filter(|d| BREAKDOWNS.contains(d))
        .unwrap_or(Dimension::Stage);
    match (month(&q.from), month(&q.to)) {
        (Ok(from), Ok(to)) if from.zip(to).is_none_or(|(f, t)| f <= t) => Asked {
            from,
            to,
            breakdown,
            problem: None,
        },
        _ => Asked {
            from: None,
            to: None,
            breakdown,
            problem: Some(w.t("stats-dash-bad-period")),
        },
    }
}

async fn ask(
    state: &AppState,
    actor: Option<&Actor>,
    whose: Whose,
    by: Vec<Dimension>,
    from: Option<Day>,
    to: Option<Day>,
) -> Result<Summary, StoreError> {
    let mut q = Question {
        by,
        from,
        to,
        org: None,
    };
    let k = state.config.stats_k;
    match (whose, actor) {
        (Whose::Public(c), _) => state.store.public_stats_summary(c, &q, k).await,
        (Whose::Org(org), Some(a)) => {
            q.org = Some(org);
            state
                .store
                .stats_summary(a, &q, Disclosure::published(k))
                .await
        }
        (Whose::National, Some(a)) => {
            state
                .store
                .stats_summary(a, &q, Disclosure::published(k))
                .await
        }
        (_, None) => Err(StoreError::Forbidden(DenyReason::NoGrant)),
    }
}

/// A count as said on the page.
fn said(w: &Words<'_>, count: Option<u64>, k: u64) -> String {
    count.map_or_else(|| w.t1("stats-dash-suppressed", "k", k), |n| n.to_string())
}

/// The rows of a one-dimension summary.
fn rows_of(w: &Words<'_>, sum: &Summary, d: Dimension) -> Vec<Row> {
    sum.cells
        .iter()
        .map(|c| {
            let key = c.key.get(d.as_str()).cloned().unwrap_or_default();
            Row {
                label: w.value(d, &key),
                key,
                count: c.count,
                suppressed: c.suppressed,
                value: said(w, c.count, sum.k),
            }
        })
        .collect()
}

fn links(base: &str, q: &DashQuery, id: &str) -> (String, String) {
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("from", &q.from),
        ("to", &q.to),
        ("breakdown", &q.breakdown),
        ("org", &q.org),
        ("country", &q.country),
    ] {
        if !v.trim().is_empty() {
            pairs.append_pair(k, v.trim());
        }
    }
    if let Some(l) = &q.lang {
        pairs.append_pair("lang", l);
    }
    pairs.append_pair("table", id);
    let query = pairs.finish();
    (
        format!("{base}?{query}&format=csv"),
        format!("{base}?{query}&format=xlsx"),
    )
}

/// Builds a figure's frame: title, downloads and the left-out sentence.
#[allow(clippy::too_many_arguments)]
fn figure(
    w: &Words<'_>,
    base: &str,
    q: &DashQuery,
    id: &'static str,
    title: String,
    heads: Vec<String>,
    rows: Vec<TableRow>,
    chart: Chart,
    excluded: u64,
) -> Figure {
    let (csv, xlsx) = links(base, q, id);
    Figure {
        id,
        heads,
        count_head: w.t("stats-dash-cases"),
        rows,
        chart,
        note: None,
        excluded: w.t1("stats-dash-excluded", "n", excluded),
        csv,
        xlsx,
        csv_label: w.t1("stats-dash-csv", "table", &title),
        xlsx_label: w.t1("stats-dash-xlsx", "table", &title),
        title,
    }
}

fn table_rows(rows: &[Row]) -> Vec<TableRow> {
    rows.iter()
        .map(|r| TableRow {
            key: r.key.clone(),
            labels: vec![r.label.clone()],
            value: r.value.clone(),
            suppressed: r.suppressed,
        })
        .collect()
}

/// Everything a dashboard shows, or the one table asked for as a download.
struct Built {
    sums: Vec<(&'static str, Vec<Dimension>, Summary)>,
    regions: Option<passage_store::monitoring::views::Figures>,
    breakdown: Dimension,
    problem: Option<String>,
}

async fn gather(
    state: &AppState,
    actor: Option<&Actor>,
    whose: Whose,
    w: &Words<'_>,
    q: &DashQuery,
    only: Option<&str>,
) -> Result<Built, WebError> {
    let a = asked(q, w);
    let mut problem = a.problem;
    let mut period = (a.from, a.to);
    let mut wanted: Vec<(&'static str, Vec<Dimension>)> =
        TABLES.iter().map(|(id, d, _)| (*id, vec![*d])).collect();
    wanted.push((BREAKDOWN, vec![Dimension::Type, a.breakdown]));
    if let Some(t) = only {
        wanted.retain(|(id, _)| *id == t);
    }
    let mut sums = Vec::with_capacity(wanted.len());
    for (id, by) in wanted {
        let answer = match ask(state, actor, whose, by.clone(), period.0, period.1).await {
            // A period with no released month: said in words, the default shown (a download
            // is refused instead).
            Err(StoreError::Rule { message, .. }) if only.is_none() && period != (None, None) => {
                problem = Some(message);
                period = (None, None);
                ask(state, actor, whose, by.clone(), None, None).await?
            }
            Err(StoreError::Rule { message, .. }) if only.is_some() => {
                return Err(bad_query(message));
            }
            other => other?,
        };
        sums.push((id, by, answer));
    }
    let regions = match (whose, actor) {
        (Whose::National, Some(actor)) if only.is_none_or(|t| t == REGIONS) => {
            let from = sums.first().and_then(|s| Day::parse(&s.2.from));
            let to = sums.first().and_then(|s| Day::parse(&s.2.to));
            let filter = Filter {
                country: None,
                from,
                to,
            };
            match state
                .store
                .monitoring_figures(actor, &filter, state.config.min_cell)
                .await
            {
                Ok(f) => Some(f),
                // Who may not read the monitoring figures sees the dashboard without them.
                Err(StoreError::Forbidden(_)) if only.is_none() => None,
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    Ok(Built {
        sums,
        regions,
        breakdown: a.breakdown,
        problem,
    })
}

/// The figures of a dashboard, in order.
fn figures(w: &Words<'_>, base: &str, q: &DashQuery, b: &Built) -> Vec<Figure> {
    let mut out = Vec::new();
    for (id, by, sum) in &b.sums {
        let excluded = sum.excluded_without_consent;
        if *id == BREAKDOWN {
            let rows = sum
                .cells
                .iter()
                .map(|c| {
                    let vals: Vec<String> = by
                        .iter()
                        .map(|d| c.key.get(d.as_str()).cloned().unwrap_or_default())
                        .collect();
                    TableRow {
                        key: vals.join("|"),
                        labels: by.iter().zip(&vals).map(|(d, v)| w.value(*d, v)).collect(),
                        value: said(w, c.count, sum.k),
                        suppressed: c.suppressed,
                    }
                })
                .collect();
            let title = w.t1("stats-dash-breakdown-title", "by", w.dimension(b.breakdown));
            let heads = by.iter().map(|d| w.dimension(*d)).collect();
            out.push(figure(
                w,
                base,
                q,
                BREAKDOWN,
                title,
                heads,
                rows,
                Chart::None,
                excluded,
            ));
            continue;
        }
        let Some((_, d, kind)) = TABLES.iter().find(|(t, _, _)| t == id) else {
            continue;
        };
        let mut rows = rows_of(w, sum, *d);
        let mut note = None;
        if *kind == Kind::Top {
            let all = rows.len();
            rows.retain(|r| r.count.is_some_and(|n| n > 0));
            rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
            rows.truncate(TOP_CITIZENSHIPS);
            if all > rows.len() {
                note = Some(w.t1("stats-dash-top-note", "n", all - rows.len()));
            }
        }
        let title = w.t(&format!("stats-dash-title-{id}"));
        let desc = w.t2("stats-dash-chart-desc", "from", &sum.from, "to", &sum.to);
        let chart_id = id.replace('_', "-");
        let chart = match kind {
            Kind::Trend => Chart::Trend(charts::trend(&chart_id, title.clone(), desc, &rows)),
            Kind::Bars | Kind::Top => {
                Chart::Bars(charts::bars(&chart_id, title.clone(), desc, &rows))
            }
        };
        let mut f = figure(
            w,
            base,
            q,
            id,
            title,
            vec![w.dimension(*d)],
            table_rows(&rows),
            chart,
            excluded,
        );
        f.note = note;
        out.push(f);
    }
    if let Some(m) = &b.regions {
        let list = regions_of(m.country);
        let k = m.k;
        let rows: Vec<Row> = m
            .regions
            .iter()
            .map(|c| Row {
                key: c.key.clone(),
                label: if c.key == passage_store::monitoring::views::NOT_RECORDED {
                    w.t("stats-dash-no-region")
                } else {
                    w.i18n.label(&w.lang, "region", &c.key)
                },
                count: c.count,
                suppressed: c.suppressed,
                value: said(w, c.count, k),
            })
            .collect();
        let title = w.t("stats-dash-title-regions");
        let desc = w.t2("stats-dash-regions-desc", "from", &m.from, "to", &m.to);
        let chart = if list.is_empty() {
            Chart::None
        } else {
            Chart::Map(charts::tile_map(
                "regions",
                title.clone(),
                desc,
                list,
                &rows,
            ))
        };
        let mut f = figure(
            w,
            base,
            q,
            REGIONS,
            title,
            vec![w.t("stats-dash-dim-region")],
            table_rows(&rows),
            chart,
            0,
        );
        // Incidents are counted without a person's consent: none is left out.
        f.excluded = w.t("stats-dash-regions-excluded");
        out.push(f);
    }
    out
}

/// The one table asked for, as rows of a sheet: the dimensions (value and label), the count
/// (empty when suppressed), whether it is suppressed, the period and how many were left out.
fn sheet(w: &Words<'_>, b: &Built, table: &str) -> Option<Vec<Vec<Value>>> {
    let text = |s: &str| Value::Text(s.to_string());
    if table == REGIONS {
        let m = b.regions.as_ref()?;
        let mut rows = vec![
            [
                "region",
                "region_label",
                "count",
                "suppressed",
                "from",
                "to",
            ]
            .map(text)
            .to_vec(),
        ];
        for c in &m.regions {
            rows.push(vec![
                text(&c.key),
                text(&w.i18n.label(&w.lang, "region", &c.key)),
                c.count.map_or(Value::Empty, Value::Number),
                text(if c.suppressed { "true" } else { "false" }),
                text(&m.from),
                text(&m.to),
            ]);
        }
        return Some(rows);
    }
    let (_, by, sum) = b.sums.iter().find(|(id, _, _)| *id == table)?;
    Some(summary_sheet(Some(w), by, sum))
}

/// A summary as the rows of a sheet (the API's CSV, without labels; a dashboard's download,
/// with them).
pub(crate) fn summary_sheet_plain(by: &[Dimension], sum: &Summary) -> Vec<Vec<Value>> {
    summary_sheet(None, by, sum)
}

fn summary_sheet(w: Option<&Words<'_>>, by: &[Dimension], sum: &Summary) -> Vec<Vec<Value>> {
    let text = |s: &str| Value::Text(s.to_string());
    let mut head = Vec::new();
    for d in by {
        head.push(text(d.as_str()));
        if w.is_some() {
            head.push(text(&format!("{}_label", d.as_str())));
        }
    }
    for h in [
        "count",
        "suppressed",
        "from",
        "to",
        "excluded_without_consent",
    ] {
        head.push(text(h));
    }
    let mut rows = vec![head];
    for c in &sum.cells {
        let mut row = Vec::new();
        for d in by {
            let v = c.key.get(d.as_str()).cloned().unwrap_or_default();
            if let Some(w) = w {
                row.push(text(&v));
                row.push(text(&w.value(*d, &v)));
            } else {
                row.push(text(&v));
            }
        }
        row.push(c.count.map_or(Value::Empty, Value::Number));
        row.push(text(if c.suppressed { "true" } else { "false" }));
        row.push(text(&sum.from));
        row.push(text(&sum.to));
        row.push(Value::Number(sum.excluded_without_consent));
        rows.push(row);
    }
    rows
}

/// A download of `table`, when one was asked for.
fn download_asked(q: &DashQuery) -> Result<Option<(Format, String)>, WebError> {
    if q.format.trim().is_empty() && q.table.trim().is_empty() {
        return Ok(None);
    }
    let format =
        Format::parse(&q.format).ok_or_else(|| bad_query("format is csv or xlsx".into()))?;
    let table = q.table.trim();
    let known =
        TABLES.iter().any(|(t, _, _)| *t == table) || table == BREAKDOWN || table == REGIONS;
    if !known {
        return Err(bad_query(format!(
            "table '{table}' is not a table of this page"
        )));
    }
    Ok(Some((format, table.to_string())))
}

fn breakdown_choices(w: &Words<'_>, chosen: Dimension) -> Vec<(String, String, bool)> {
    BREAKDOWNS
        .iter()
        .map(|d| (d.as_str().to_string(), w.dimension(*d), *d == chosen))
        .collect()
}

/// Shows a month of a summary's period as the filter's value (`YYYY-MM`).
fn ym(day: &str) -> String {
    day.get(..7).unwrap_or(day).to_string()
}

async fn staff(
    state: AppState,
    s: UiSession,
    q: DashQuery,
    national: bool,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    let whose = if national {
        Whose::National
    } else {
        match q.org.trim() {
            "" => Whose::Org(actor.org_id()),
            o => match Uuid::parse_str(o) {
                Ok(org) if org == actor.org_id() => Whose::Org(org),
                // Another organisation's, existing or not: the same refusal.
                _ => return Err(StoreError::Forbidden(DenyReason::OutOfScope).into()),
            },
        }
    };
    let nav = Nav::of(&state, &s).await?;
    let w = Words {
        i18n: &state.i18n,
        lang: nav.lang.clone(),
    };
    let path = if national {
        "/stats/national"
    } else {
        "/stats/dashboard"
    };
    let only = download_asked(&q)?;
    let built = gather(
        &state,
        Some(&actor),
        whose,
        &w,
        &q,
        only.as_ref().map(|(_, t)| t.as_str()),
    )
    .await?;
    if let Some((format, table)) = only {
        let rows = sheet(&w, &built, &table).ok_or_else(WebError::not_found)?;
        let name = format!(
            "{}-{table}",
            if national { "national" } else { "organisation" }
        );
        return download::respond(format, &name, &rows);
    }
    let (from, to) = built
        .sums
        .first()
        .map(|s| (s.2.from.clone(), s.2.to.clone()))
        .unwrap_or_default();
    let heading = if national {
        w.t("stats-dash-national")
    } else {
        w.t("stats-dash-organisation")
    };
    let intro = if national {
        w.t1("stats-dash-national-intro", "k", state.config.stats_k)
    } else {
        w.t1("stats-dash-organisation-intro", "k", state.config.stats_k)
    };
    let figures = figures(&w, path, &q, &built);
    Ok(page(&DashPage {
        path,
        heading,
        intro,
        counted: w.t2("stats-dash-counted", "from", &from, "to", &to),
        problem: built.problem.clone(),
        from: ym(&from),
        to: ym(&to),
        breakdowns: breakdown_choices(&w, built.breakdown),
        figures,
        measures: Vec::new(),
        nav,
    }))
}

/// `/stats/dashboard`: the reader's organisation.
pub async fn organisation(
    State(state): State<AppState>,
    s: UiSession,
    q: Result<Query<DashQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    staff(state, s, q, false).await
}

/// `/stats/national`: every organisation of the reader's country.
pub async fn national(
    State(state): State<AppState>,
    s: UiSession,
    q: Result<Query<DashQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    staff(state, s, q, true).await
}

/// Public, the same for every reader of a language: kept for an hour.
fn cacheable(mut res: Response) -> Response {
    if res.status() == StatusCode::OK {
        let h = res.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
    res
}

/// `/statistics`: the released national figures of a country, for anyone.
pub async fn public(
    State(state): State<AppState>,
    q: Result<Query<DashQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let mut q = q.map(|Query(q)| q).unwrap_or_default();
    // Never one organisation's figures here.
    q.org = String::new();
    let mut p = PublicPage::new(&state, "/statistics", q.lang.as_deref(), &headers);
    let w = Words {
        i18n: &state.i18n,
        lang: p.lang.clone(),
    };
    let countries = state.store.stats_countries().await?;
    let asked_country = Country::parse(q.country.trim());
    let Some(country) = asked_country
        .filter(|c| countries.contains(c))
        .or_else(|| countries.first().copied())
    else {
        return Err(WebError::not_found());
    };
    q.country = country.as_str().to_string();
    let only = download_asked(&q)?;
    if only.as_ref().is_some_and(|(_, t)| t == REGIONS) {
        return Err(WebError::not_found());
    }
    let built = gather(
        &state,
        None,
        Whose::Public(country),
        &w,
        &q,
        only.as_ref().map(|(_, t)| t.as_str()),
    )
    .await?;
    if let Some((format, table)) = only {
        let rows = sheet(&w, &built, &table).ok_or_else(WebError::not_found)?;
        let name = format!("{}-{table}", country.as_str());
        return Ok(cacheable(download::respond(format, &name, &rows)?));
    }
    let (from, to) = built
        .sums
        .first()
        .map(|s| (s.2.from.clone(), s.2.to.clone()))
        .unwrap_or_default();
    p.keep = format!("&country={}", country.as_str());
    let figures = figures(&w, "/statistics", &q, &built);
    let lang = p.lang.clone();
    let res = crate::intake::render_public(
        &PublicStatsPage {
            intro: w.t1("stats-dash-public-intro", "k", state.config.stats_k),
            counted: w.t2("stats-dash-counted", "from", &from, "to", &to),
            problem: built.problem.clone(),
            from: ym(&from),
            to: ym(&to),
            countries: countries
                .iter()
                .map(|c| {
                    (
                        c.as_str().to_string(),
                        w.value(Dimension::Country, c.as_str()),
                        *c == country,
                    )
                })
                .collect(),
            country: w.value(Dimension::Country, country.as_str()),
            breakdowns: breakdown_choices(&w, built.breakdown),
            figures,
            p,
        },
        StatusCode::OK,
        &lang,
    );
    Ok(cacheable(res))
}
