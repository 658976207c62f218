//! Duplicate persons: the supervisors' review queue, merges and their undo, and partner signals
//! resolved through the persons' consent.

mod api;
pub(crate) mod openapi;
mod pages;
mod partners;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/duplicates", get(api::queue))
        .route("/duplicates/{id}/merge", post(api::merge))
        .route("/duplicates/{id}/dismiss", post(api::dismiss))
        .route("/merges", get(api::merges))
        .route("/merges/{id}/undo", post(api::undo))
        .route("/persons/{id}/duplicates", get(api::status))
        .route("/persons/{id}/partner-signals", get(api::partner_signals))
        .route(
            "/persons/{id}/partner-signals/{signal}/consent",
            post(api::partner_consent),
        )
        .route(
            "/persons/{id}/partner-signals/{signal}/decline",
            post(api::partner_decline),
        )
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/duplicates", get(pages::show))
        .route("/duplicates/{id}/{action}", post(pages::act))
        .route("/merges/{id}/undo", post(pages::undo))
        .route("/cases/{id}/partners", get(partners::show))
        .route(
            "/cases/{id}/partners/{signal}/{action}",
            post(partners::act),
        )
}
