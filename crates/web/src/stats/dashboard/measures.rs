//! The four Ps on the staff dashboards: one figure per P, its measures in a table with the words
//! of `/stats/measures`, the measures that count events drawn as bars (a median of days or a sum
//! of money is in the table only, not on a scale of counts), and each table downloadable.
//! The figures come through the one door for them, [`passage_store::Store::stats_measures`],
//! with the published disclosure: the dashboard's organisation, or national.

use super::tables::figure;
use super::{Chart, DashQuery, Figure, TableRow, Whose, Words};
use crate::AppState;
use crate::cases::query::bad_query;
use crate::kit::xlsx::Value;
use crate::kit::{Nav, WebError};
use crate::stats::charts::{self, Row};
use crate::stats::measures_page::line;
use passage_core::casework::calendar::Day;
use passage_store::stats::{Disclosure, MeasureQuestion, Measures, Pillar};
use passage_store::{Actor, StoreError};

/// The tables' ids, one per P.
pub(super) const TABLES: &[(&str, Pillar)] = &[
    ("p_prevention", Pillar::Prevention),
    ("p_protection", Pillar::Protection),
    ("p_prosecution", Pillar::Prosecution),
    ("p_partnership", Pillar::Partnership),
];

/// Measures that are not counts of events.
fn not_a_count(measure: &str) -> bool {
    matches!(measure, "days_to_first_service" | "compensation_recovered")
}

/// The measures of the period the dashboard shows (its first table's), for its organisation or
/// national; `None` for the public page, which has no reader to ask as.
pub(super) async fn ask(
    state: &AppState,
    actor: &Actor,
    whose: Whose,
    (from, to): (Option<Day>, Option<Day>),
    download: bool,
) -> Result<Option<Measures>, WebError> {
    let org = match whose {
        Whose::Org(org) => Some(org),
        Whose::National => None,
        Whose::Public(_) => return Ok(None),
    };
    let q = MeasureQuestion { from, to, org };
    let disclosure = Disclosure::published(state.config.stats_k);
    match state.store.stats_measures(actor, &q, disclosure).await {
        Ok(m) => Ok(Some(m)),
        // A download of a period not released is refused with the reason; on the page the
        // tables above already said it, and the P's are left out.
        Err(StoreError::Rule { message, .. }) if download => Err(bad_query(message)),
        Err(StoreError::Rule { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// One figure per P.
pub(super) fn figures(
    w: &Words<'_>,
    nav: &Nav,
    base: &str,
    q: &DashQuery,
    m: &Measures,
) -> Vec<Figure> {
    TABLES
        .iter()
        .map(|(id, p)| {
            let mine: Vec<_> = m.figures.iter().filter(|f| f.pillar == *p).collect();
            let lines: Vec<_> = mine.iter().map(|f| line(nav, m, f)).collect();
            let bars: Vec<Row> = mine
                .iter()
                .zip(&lines)
                .filter(|(f, _)| !not_a_count(&f.measure))
                .map(|(f, l)| Row {
                    key: f.measure.clone(),
                    label: l.measure.clone(),
                    count: f.value,
                    suppressed: f.suppressed,
                    value: l.value.clone(),
                })
                .collect();
            let rows = mine
                .iter()
                .zip(&lines)
                .map(|(f, l)| TableRow {
                    key: f.measure.clone(),
                    labels: vec![l.measure.clone(), l.excluded.clone()],
                    value: l.value.clone(),
                    suppressed: f.suppressed,
                })
                .collect();
            let title = w.t(&format!("stats-measures-pillar-{}", p.as_str()));
            let desc = w.t2("stats-dash-chart-desc", "from", &m.from, "to", &m.to);
            let chart = Chart::Bars(charts::bars(
                &id.replace('_', "-"),
                title.clone(),
                desc,
                &bars,
            ));
            let mut f = figure(
                w,
                base,
                q,
                id,
                title,
                vec![w.t("stats-dash-measure"), w.t("stats-dash-left-out")],
                rows,
                chart,
                0,
            );
            f.count_head = w.t("stats-dash-value");
            f.excluded = w.t("stats-dash-measures-excluded");
            f
        })
        .collect()
}

/// A P's table as the rows of a sheet: the measure, its value (empty when suppressed or when
/// there is none), whether it is suppressed, its currency, the period and how many were left out.
pub(super) fn sheet(w: &Words<'_>, m: &Measures, table: &str) -> Option<Vec<Vec<Value>>> {
    let (_, p) = TABLES.iter().find(|(id, _)| *id == table)?;
    let text = |s: &str| Value::Text(s.to_string());
    let mut rows = vec![
        [
            "measure",
            "measure_label",
            "value",
            "suppressed",
            "currency",
            "from",
            "to",
            "excluded_without_consent",
        ]
        .map(text)
        .to_vec(),
    ];
    for f in m.figures.iter().filter(|f| f.pillar == *p) {
        rows.push(vec![
            text(&f.measure),
            text(&w.t(&format!("stats-measures-m-{}", f.measure))),
            f.value.map_or(Value::Empty, Value::Number),
            text(if f.suppressed { "true" } else { "false" }),
            text(f.currency.as_deref().unwrap_or("")),
            text(&m.from),
            text(&m.to),
            Value::Number(f.excluded_without_consent),
        ]);
    }
    Some(rows)
}
