//! The dashboards: `/stats/dashboard` (the reader's organisation), `/stats/national` (every
//! organisation of the reader's country, with the incidents' region map when the reader may
//! see the monitoring figures) and the public `/statistics` (released national figures, no
//! organisation, cacheable). Each shows cases by type, stage, sex, CTDC age band,
//! citizenship, sector (ISIC) and means of control found, a month trend of cases opened and a crossed breakdown of the reader's choice,
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

/// The breakdowns offered: the ones the release groups crossed with the type at its cut.
const BREAKDOWNS: &[Dimension] = passage_store::stats::CROSSED_WITH_TYPE;

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
            Dimension::Sector => self.i18n.label(&self.lang, "sector", v),
            Dimension::Control => self.i18n.label(&self.lang, "control", v),
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
    ("by_sector", Dimension::Sector, Kind::Bars),
    ("by_control", Dimension::Control, Kind::Bars),
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

mod measures;
mod tables;

pub(crate) use tables::summary_sheet_plain;
use tables::{figures, gather, sheet};

/// A download of `table`, when one was asked for.
fn download_asked(q: &DashQuery) -> Result<Option<(Format, String)>, WebError> {
    if q.format.trim().is_empty() && q.table.trim().is_empty() {
        return Ok(None);
    }
    let format =
        Format::parse(&q.format).ok_or_else(|| bad_query("format is csv or xlsx".into()))?;
    let table = q.table.trim();
    let known = TABLES.iter().any(|(t, _, _)| *t == table)
        || table == BREAKDOWN
        || table == REGIONS
        || measures::TABLES.iter().any(|(t, _)| *t == table);
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
    // The four Ps of the same period, unless another table is downloaded.
    let pillar = |t: &str| measures::TABLES.iter().any(|(id, _)| *id == t);
    let fours = match &only {
        Some((_, t)) if !pillar(t) => None,
        _ => {
            let period = built.sums.first().map_or_else(
                || {
                    let a = asked(&q, &w);
                    (a.from, a.to)
                },
                |s| (Day::parse(&s.2.from), Day::parse(&s.2.to)),
            );
            measures::ask(&state, &actor, whose, period, only.is_some()).await?
        }
    };
    if let Some((format, table)) = only {
        let rows = match &fours {
            Some(m) if pillar(&table) => measures::sheet(&w, m, &table),
            _ => sheet(&w, &built, &table),
        }
        .ok_or_else(WebError::not_found)?;
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
        measures: fours
            .as_ref()
            .map(|m| measures::figures(&w, &nav, path, &q, m))
            .unwrap_or_default(),
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
    // The regions and the four Ps are the staff dashboards' only.
    if only
        .as_ref()
        .is_some_and(|(_, t)| t == REGIONS || t.starts_with("p_"))
    {
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
