//! Screening: instruments, interviews saved step by step, explained results, identification.

mod api;
pub(crate) mod openapi;
pub(crate) mod pages;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/screening/instruments", get(api::instruments))
        .route("/cases/{id}/screenings", get(api::list).post(api::create))
        .route("/screenings/{id}", get(api::get_one).patch(api::save))
        .route("/screenings/{id}/identification", post(api::identify))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/screenings",
            get(pages::list).post(pages::start),
        )
        .route("/screenings/{id}", get(pages::show).post(pages::save))
        .route("/screenings/{id}/identification", post(pages::identify))
}
