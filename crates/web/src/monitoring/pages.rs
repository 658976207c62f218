//! The monitoring pages: `/monitoring` (the figures: a tile map of the country's regions drawn
//! on the server as SVG, with its data table for screen readers; the trend by month as SVG bars
//! with its table; breakdowns by kind, bias motive, place type and perpetrator type; every
//! count under k reads "fewer than k") and the monitoring visits (`/monitoring/visits`, the
//! form at `/monitoring/visits/new`, one visit at `/monitoring/visits/{id}`).

use crate::AppState;
use crate::incidents::pages_kit::{Choice, choices, countries};
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use crate::stats::charts::{Row, TileMap, tile_map};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::monitoring::IncidentAction;
use passage_core::monitoring::regions::regions_of;
use passage_core::monitoring::views::RawFilter;
use passage_core::monitoring::visits::{RawVisit, VisitKind};
use passage_core::stats::Cell;
use passage_store::monitoring::views::NOT_RECORDED;
use passage_store::{Authority, StoreError};

const BAR_W: u32 = 22;
const BAR_GAP: u32 = 4;
const BARS_H: u32 = 140;
const ROW_BAR: u32 = 160;

/// The fill and the ink (text colour) of a tile of each shade; every pair reads at 4.5:1.
const SHADES: [(&str, &str); 5] = [
    ("#f3f3f3", "#1a1a1a"),
    ("#d4d4d4", "#1a1a1a"),
    ("#c6dbef", "#1a1a1a"),
    ("#6baed6", "#1a1a1a"),
    ("#08519c", "#ffffff"),
];

/// One month's bar.
pub struct Bar {
    x: u32,
    y: u32,
    h: u32,
    fill: &'static str,
    title: String,
}

/// A row of a table: the label, the count in words, the bar's width.
pub struct Line {
    key: String,
    label: String,
    value: String,
    bar: u32,
    suppressed: bool,
}

/// A breakdown: its id, heading and rows.
pub struct Breakdown {
    id: &'static str,
    title: String,
    lines: Vec<Line>,
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct FigureFilter {
    country: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct FiguresPage {
    nav: Nav,
    countries: Vec<Choice>,
    country: String,
    from: String,
    to: String,
    k: u64,
    map: TileMap,
    regions: Vec<Line>,
    bars: Vec<Bar>,
    bars_w: u32,
    months: Vec<Line>,
    breakdowns: Vec<Breakdown>,
    errors: Vec<UiError>,
}

fn value(nav: &Nav, c: &Cell, k: u64) -> String {
    match c.count {
        Some(n) => n.to_string(),
        None => nav.t1("monitoring-fewer-than", "k", k),
    }
}

fn lines(nav: &Nav, cells: &[Cell], k: u64, label: impl Fn(&str) -> String) -> Vec<Line> {
    let max = cells
        .iter()
        .filter_map(|c| c.count)
        .max()
        .unwrap_or(0)
        .max(1);
    cells
        .iter()
        .map(|c| Line {
            key: c.key.clone(),
            label: label(&c.key),
            value: value(nav, c, k),
            bar: c.count.map_or(0, |n| {
                u32::try_from(n * u64::from(ROW_BAR) / max).unwrap_or(ROW_BAR)
            }),
            suppressed: c.suppressed,
        })
        .collect()
}

pub async fn figures(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<FigureFilter>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    state
        .store
        .incident_firewall(actor, IncidentAction::Monitor)
        .await?;
    let raw = RawFilter {
        country: q.country.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let (filter, errors) = match raw.validate() {
        Ok(f) => (f, Vec::new()),
        Err(p) => (
            RawFilter::default()
                .validate()
                .map_err(StoreError::Invalid)?,
            ui_errors(StoreError::Invalid(p), |f| format!("figures-{f}"))?,
        ),
    };
    let k = state.config.min_cell;
    let f = state.store.monitoring_figures(actor, &filter, k).await?;
    let nav = Nav::of(&state, &s).await?;
    let not_recorded = nav.t("monitoring-not-recorded");
    let key_label = |vocab: &'static str| {
        let nav = &nav;
        let not_recorded = not_recorded.clone();
        move |key: &str| {
            if key == NOT_RECORDED {
                not_recorded.clone()
            } else {
                nav.label(vocab, key)
            }
        }
    };
    // The map: one tile per region at its place in the grid, drawn by the shared chart code.
    let map_rows: Vec<Row> = f
        .regions
        .iter()
        .map(|c| Row {
            key: c.key.clone(),
            label: nav.label("region", &c.key),
            count: c.count,
            suppressed: c.suppressed,
            value: match c.count {
                Some(n) => n.to_string(),
                None => nav.t1("monitoring-under-k-short", "k", k),
            },
        })
        .collect();
    let map = tile_map(
        "map",
        nav.t("monitoring-map-alt"),
        nav.t2("monitoring-span", "from", &f.from, "to", &f.to),
        regions_of(f.country),
        &map_rows,
    );
    // The trend: one bar per month.
    let month_max = f
        .months
        .iter()
        .filter_map(|c| c.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = f
        .months
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let h = match c.count {
                Some(n) => u32::try_from(n * u64::from(BARS_H) / month_max).unwrap_or(BARS_H),
                None => 6,
            };
            let i = u32::try_from(i).unwrap_or(0);
            Bar {
                x: i * (BAR_W + BAR_GAP),
                y: BARS_H - h,
                h,
                fill: if c.suppressed {
                    SHADES[1].0
                } else {
                    SHADES[4].0
                },
                title: format!("{}: {}", c.key, value(&nav, c, k)),
            }
        })
        .collect();
    let bars_w = u32::try_from(f.months.len()).unwrap_or(0) * (BAR_W + BAR_GAP);
    let breakdowns = vec![
        Breakdown {
            id: "by-kind",
            title: nav.t("monitoring-by-kind"),
            lines: lines(&nav, &f.kinds, k, key_label("incident_kind")),
        },
        Breakdown {
            id: "by-motive",
            title: nav.t("monitoring-by-motive"),
            lines: lines(&nav, &f.motives, k, key_label("bias_motive")),
        },
        Breakdown {
            id: "by-place",
            title: nav.t("monitoring-by-place"),
            lines: lines(&nav, &f.places, k, key_label("place_type")),
        },
        Breakdown {
            id: "by-perpetrator",
            title: nav.t("monitoring-by-perpetrator"),
            lines: lines(&nav, &f.perpetrators, k, key_label("perpetrator_type")),
        },
    ];
    let regions = lines(&nav, &f.regions, k, key_label("region"));
    let months = lines(&nav, &f.months, k, |m| m.to_string());
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&FiguresPage {
            countries: countries(&nav, f.country.as_str()),
            country: nav.country(f.country.as_str()),
            from: f.from.clone(),
            to: f.to.clone(),
            k,
            map,
            regions,
            bars,
            bars_w,
            months,
            breakdowns,
            errors,
            nav,
        }),
        has_errors,
    ))
}

// ------------------------------------------------------------------ visits

/// The visit form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    kind: String,
    place_name: String,
    visited_on: String,
    findings: String,
}
crate::form_body!(VisitForm);

/// A visit as a line of the list.
pub struct VisitLine {
    id: String,
    kind: String,
    place_name: String,
    visited_on: String,
}

#[derive(Template)]
#[template(path = "monitoring_visits.html")]
struct VisitsPage {
    nav: Nav,
    visits: Vec<VisitLine>,
}

pub async fn visits(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let list = state.store.monitoring_visits(&s.session.actor).await?;
    let nav = Nav::of(&state, &s).await?;
    Ok(page(&VisitsPage {
        visits: list
            .iter()
            .map(|v| VisitLine {
                id: v.id.to_string(),
                kind: nav.label("visit_kind", v.kind.as_str()),
                place_name: v.place_name.clone(),
                visited_on: v.visited_on.clone(),
            })
            .collect(),
        nav,
    }))
}

#[derive(Template)]
#[template(path = "monitoring_visit_new.html")]
struct VisitFormPage {
    nav: Nav,
    form: VisitForm,
    kinds: Vec<Choice>,
    errors: Vec<UiError>,
}

async fn visit_form(
    state: &AppState,
    s: &UiSession,
    form: VisitForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&VisitFormPage {
            kinds: choices(
                VisitKind::ALL,
                VisitKind::as_str,
                |v| nav.label("visit_kind", v),
                std::slice::from_ref(&form.kind),
            ),
            form,
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn new_visit(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    state
        .store
        .incident_firewall(&s.session.actor, IncidentAction::Record)
        .await?;
    visit_form(&state, &s, VisitForm::default(), Vec::new()).await
}

pub async fn record_visit(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<VisitForm>,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    state
        .store
        .incident_firewall(&actor, IncidentAction::Record)
        .await?;
    let org = actor.org_id();
    let raw = RawVisit {
        kind: form.kind.clone(),
        place_name: form.place_name.clone(),
        visited_on: form.visited_on.clone(),
        findings: form.findings.clone(),
    };
    match state
        .store
        .record_visit(&Authority::User(actor), org, &raw)
        .await
    {
        Ok(id) => Ok(done(&format!("/monitoring/visits/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("visit-{f}"))?;
            visit_form(&state, &s, form, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "monitoring_visit.html")]
struct VisitPage {
    nav: Nav,
    id: String,
    kind: String,
    place_name: String,
    visited_on: String,
    findings: String,
    incidents: Vec<(String, String)>,
}

pub async fn visit(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    let v = state.store.monitoring_visit(&s.session.actor, id).await?;
    let nav = Nav::of(&state, &s).await?;
    Ok(page(&VisitPage {
        id: id.to_string(),
        kind: nav.label("visit_kind", v.summary.kind.as_str()),
        place_name: v.summary.place_name.clone(),
        visited_on: v.summary.visited_on.clone(),
        findings: v.findings.clone(),
        incidents: v
            .incidents
            .iter()
            .map(|(i, d)| (i.to_string(), d.clone()))
            .collect(),
        nav,
    }))
}
