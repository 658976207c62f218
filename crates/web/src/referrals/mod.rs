//! Referrals (issue 14 item 2): a case's organisation asks a service of another organisation
//! to work with the person. Sent from a case on a basis covering the receiving organisation,
//! listed incoming and outgoing, read by the receiver as only the fields shared, answered by
//! the receiver (accept takes a place of a service that keeps its capacity; decline needs a
//! reason), and ended at once when the consent that covered it is withdrawn.

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
        .route("/cases/{id}/referrals", post(api::create))
        .route("/referrals", get(api::list))
        .route("/referrals/{id}", get(api::get))
        .route("/referrals/{id}/accept", post(api::accept))
        .route("/referrals/{id}/decline", post(api::decline))
        .route("/referrals/{id}/open-case", post(api::open_case))
        .route("/referrals/{id}/close", post(api::close))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/referrals",
            get(pages::case_referrals).post(pages::refer),
        )
        .route("/referrals", get(pages::list))
        .route("/referrals/{id}", get(pages::show))
        .route("/referrals/{id}/{step}", post(pages::step))
}
