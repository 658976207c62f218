//! The statistics page: what analysts and immigration-enforcement users see of Passage — the
//! same answers as the API, as tables, with the period to choose.

use super::api::question;
use super::types::SummaryQuery;
use crate::AppState;
use crate::kit::{Nav, UiSession, WebError, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_store::stats::{Dimension, Disclosure, Question, Summary};

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    nav: Nav,
    min_cell: u64,
    min_cell_less: u64,
    released_on: String,
    from: String,
    to: String,
    excluded: u64,
    /// A problem with the period asked for, said in words; the default period is shown.
    problem: Option<String>,
    by_type: Vec<(String, String)>,
    by_stage: Vec<(String, String)>,
}

pub async fn stats(
    State(state): State<AppState>,
    s: UiSession,
    q: Result<Query<SummaryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    render(state, s, q).await
}

/// The statistics page for this session (also what `/` shows those who see only statistics).
pub async fn statistics_page(state: AppState, s: UiSession) -> Result<Response, WebError> {
    render(state, s, SummaryQuery::default()).await
}

async fn answer(
    state: &AppState,
    s: &UiSession,
    by: Dimension,
    from: &Question,
) -> Result<Summary, passage_store::StoreError> {
    let q = Question {
        by: vec![by],
        ..from.clone()
    };
    state
        .store
        .stats_summary(
            &s.session.actor,
            &q,
            Disclosure::published(state.config.stats_k),
        )
        .await
}

async fn render(state: AppState, s: UiSession, q: SummaryQuery) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let asked = SummaryQuery { by: None, ..q };
    let (period, mut problem) = match question(&asked) {
        Ok(p) => (p, None),
        Err(e) => (
            Question {
                by: vec![],
                from: None,
                to: None,
                org: None,
            },
            Some(e.message().to_string()),
        ),
    };
    let (by_type, by_stage) = match (
        answer(&state, &s, Dimension::Type, &period).await,
        answer(&state, &s, Dimension::Stage, &period).await,
    ) {
        (Ok(t), Ok(st)) => (t, st),
        (Err(passage_store::StoreError::Rule { message, .. }), _) => {
            problem = Some(message);
            let default = Question {
                by: vec![],
                from: None,
                to: None,
                org: None,
            };
            (
                answer(&state, &s, Dimension::Type, &default).await?,
                answer(&state, &s, Dimension::Stage, &default).await?,
            )
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let min = by_type.k;
    let show = |sum: &Summary, dim: &str| -> Vec<(String, String)> {
        sum.cells
            .iter()
            .map(|c| {
                (
                    c.key.get(dim).cloned().unwrap_or_default(),
                    c.count.map_or_else(
                        || nav.t1("staff-stats-fewer", "min", min),
                        |n| n.to_string(),
                    ),
                )
            })
            .collect()
    };
    let (t, st) = (show(&by_type, "type"), show(&by_stage, "stage"));
    Ok(page(&StatsPage {
        min_cell: min,
        min_cell_less: min.saturating_sub(1),
        released_on: by_type.released_on.clone(),
        from: by_type.from.clone(),
        to: by_type.to.clone(),
        excluded: by_type.excluded_without_consent,
        problem,
        by_type: t,
        by_stage: st,
        nav,
    }))
}
