//! `/stats/measures`: the four Ps as four tables, one per P — the same answers as the API,
//! with the period and whose figures (national, or the reader's own organisation) to choose.
//! A suppressed figure is said to be hidden, never shown as 0; beside each figure, how many were
//! left out for want of consent.

use super::measures::{MeasuresQuery, measure_question};
use crate::AppState;
use crate::kit::{Nav, UiSession, WebError, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_store::StoreError;
use passage_store::stats::{Disclosure, Figure, MeasureQuestion, Measures, Pillar};

/// One line of a table: measure, figure, left out.
pub struct Line {
    pub(super) measure: String,
    pub(super) value: String,
    pub(super) excluded: String,
}

#[derive(Template)]
#[template(path = "stats_measures.html")]
struct MeasuresPage {
    nav: Nav,
    min_cell: u64,
    min_cell_less: u64,
    released_on: String,
    from: String,
    to: String,
    problem: Option<String>,
    /// The reader's organisation's id, and whether its own figures are shown.
    own_org: String,
    own: bool,
    country: String,
    /// (P's id, P's title, its lines).
    pillars: Vec<(String, String, Vec<Line>)>,
}

pub async fn measures(
    State(state): State<AppState>,
    s: UiSession,
    q: Result<Query<MeasuresQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let disclosure = Disclosure::published(state.config.stats_k);
    let (asked, mut problem) = match measure_question(&q) {
        Ok(a) => (a, None),
        Err(e) => (MeasureQuestion::default(), Some(e.message().to_string())),
    };
    let answer = match state.store.stats_measures(actor, &asked, disclosure).await {
        Ok(m) => m,
        Err(StoreError::Rule { message, .. }) => {
            problem = Some(message);
            let default = MeasureQuestion {
                org: asked.org,
                ..MeasureQuestion::default()
            };
            state
                .store
                .stats_measures(actor, &default, disclosure)
                .await?
        }
        Err(e) => return Err(e.into()),
    };
    let pillars = Pillar::ALL
        .iter()
        .map(|p| {
            let lines = answer
                .figures
                .iter()
                .filter(|f| f.pillar == *p)
                .map(|f| line(&nav, &answer, f))
                .collect();
            (
                p.as_str().to_string(),
                nav.t(&format!("stats-measures-pillar-{}", p.as_str())),
                lines,
            )
        })
        .collect();
    Ok(page(&MeasuresPage {
        min_cell: answer.k,
        min_cell_less: answer.k.saturating_sub(1),
        released_on: answer.released_on.clone(),
        from: answer.from.clone(),
        to: answer.to.clone(),
        problem,
        own_org: actor.org_id().to_string(),
        own: answer.org.is_some(),
        country: nav.country(&answer.country),
        pillars,
        nav,
    }))
}

/// Currencies counted without minor units (ISO 4217 exponent 0).
const NO_MINOR_UNITS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];

/// An amount in minor units, in major units: `50000` EUR is `500.00`.
fn amount(minor: u64, currency: &str) -> String {
    if NO_MINOR_UNITS.contains(&currency) {
        minor.to_string()
    } else {
        format!("{}.{:02}", minor / 100, minor % 100)
    }
}

pub(super) fn line(nav: &Nav, m: &Measures, f: &Figure) -> Line {
    let mut measure = nav.t(&format!("stats-measures-m-{}", f.measure));
    if let Some(c) = f.currency.as_deref().filter(|c| !c.is_empty()) {
        measure = format!("{measure} ({c})");
    }
    let value = match (f.value, f.suppressed) {
        (_, true) => nav.t1("stats-measures-suppressed", "min", m.k),
        (None, false) => nav.t("stats-measures-none"),
        (Some(n), false) => match (f.measure.as_str(), f.currency.as_deref()) {
            ("days_to_first_service", _) => nav.t1("stats-measures-days", "n", n),
            ("compensation_recovered", Some(c)) if !c.is_empty() => amount(n, c),
            _ => n.to_string(),
        },
    };
    let excluded = match f.measure.as_str() {
        "complaints_received" | "rights_pages_read" => nav.t("stats-measures-not-personal"),
        _ => f.excluded_without_consent.to_string(),
    };
    Line {
        measure,
        value,
        excluded,
    }
}

#[cfg(test)]
mod tests {
    use super::amount;

    #[test]
    fn amounts_are_shown_in_major_units() {
        assert_eq!(amount(50_000, "EUR"), "500.00");
        assert_eq!(amount(5, "GBP"), "0.05");
        assert_eq!(amount(50_000, "JPY"), "50000");
    }
}
