//! A case's lifecycle: details, status transitions with four eyes on closing, identification,
//! history and approvals.

mod api;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, patch, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}", patch(api::patch_case))
        .route("/cases/{id}/transitions", post(api::transition))
        .route("/cases/{id}/identification", post(api::identification))
        .route("/cases/{id}/history", get(api::history))
        .route("/approvals", get(api::approvals))
        .route("/approvals/{id}/approve", post(api::approve))
        .route("/approvals/{id}/reject", post(api::reject))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/details", post(pages::forms::save_details))
        .route("/cases/{id}/transition", post(pages::forms::move_case))
        .route(
            "/cases/{id}/identification",
            post(pages::forms::record_identification),
        )
        .route("/cases/{id}/history", get(pages::history::history))
        .route("/approvals", get(pages::history::approvals))
        .route("/approvals/{id}/{action}", post(pages::history::decide))
}
