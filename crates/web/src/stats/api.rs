//! The statistics summary over the API: suppressed counts by case type and stage.

use crate::AppState;
use crate::kit::{ApiActor, WebError};
use axum::Json;
use axum::extract::State;
use passage_store::stats::Summary;

pub async fn stats_summary(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Summary>, WebError> {
    Ok(Json(
        state
            .store
            .stats_summary(&actor, state.config.min_cell)
            .await?,
    ))
}
