//! Follow-up after closing: visits with a sustainability check.

mod api;
pub(crate) mod openapi;
mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}/follow-ups", get(api::list))
        .route("/follow-ups/{id}", post(api::record))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/follow-up", get(pages::show))
        .route("/cases/{id}/follow-up/{visit}", post(pages::record))
}
