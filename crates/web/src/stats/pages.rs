//! The statistics page: what analysts and immigration-enforcement users see of Passage, counts
//! with small cells suppressed.

use crate::AppState;
use crate::kit::{Nav, UiSession, WebError, page, when};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    nav: Nav,
    min_cell: u64,
    min_cell_less: u64,
    released_on: String,
    cut_time: String,
    by_type: Vec<(String, String)>,
    by_stage: Vec<(String, String)>,
}

pub async fn stats(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    statistics_page(state, s).await
}

/// The statistics page for this session (also what `/` shows those who see only statistics).
pub async fn statistics_page(state: AppState, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let summary = state
        .store
        .stats_summary(&s.session.actor, state.config.min_cell)
        .await?;
    let min = summary.min_cell;
    let show = |cells: Vec<passage_core::stats::Cell>| {
        cells
            .into_iter()
            .map(|c| {
                (
                    c.key,
                    c.count.map_or_else(
                        || nav.t1("staff-stats-fewer", "min", min),
                        |n| n.to_string(),
                    ),
                )
            })
            .collect()
    };
    let cut_time = when(summary.as_of)
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let by_type = show(summary.by_type);
    let by_stage = show(summary.by_stage);
    Ok(page(&StatsPage {
        nav,
        min_cell: min,
        min_cell_less: min.saturating_sub(1),
        released_on: summary.released_on,
        cut_time,
        by_type,
        by_stage,
    }))
}
