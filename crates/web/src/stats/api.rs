//! The statistics summary over the API: suppressed counts by case type and stage.
//! The handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::Summary;
use crate::AppState;
use crate::kit::{ApiActor, ErrorBody, WebError};
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/api/v1/stats/summary", tag = "stats",
    summary = "Counts by case type and stage, small cells suppressed",
    responses(
        (status = 200, description = "Success", body = Summary),
        (status = 401, description = "Structured error", body = ErrorBody)))]
pub async fn stats_summary(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Summary>, WebError> {
    let summary = state
        .store
        .stats_summary(&actor, state.config.min_cell)
        .await?;
    Ok(Json(summary.into()))
}
