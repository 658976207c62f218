//! Transfers (issue 14 item 3): the case itself moves to another organisation. Proposed from a
//! case on a basis covering the receiving organisation, listed incoming and outgoing, read by
//! the receiver as a minimal view until it accepts (then the case is its own), declined with a
//! reason, closed by the receiver with an outcome the sender reads on its stub, and ended at
//! once when the covering consent is withdrawn while pending.

mod api;
pub(crate) mod openapi;
mod pages;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}/transfers", post(api::create))
        .route("/transfers", get(api::list))
        .route("/transfers/{id}", get(api::get))
        .route("/transfers/{id}/accept", post(api::accept))
        .route("/transfers/{id}/decline", post(api::decline))
        .route("/transfers/{id}/close", post(api::close))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/transfer",
            get(pages::case_form).post(pages::propose),
        )
        .route("/transfers", get(pages::list))
        .route("/transfers/{id}", get(pages::one))
        .route("/transfers/{id}/accept", post(pages::accept))
        .route("/transfers/{id}/decline", post(pages::decline))
        .route("/transfers/{id}/close", post(pages::close))
}
