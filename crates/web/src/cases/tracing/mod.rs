//! Family tracing and age assessment on a case (issue 17 item 4): tracing requests with the
//! family members searched and the referrals that carry steps to partners, and age
//! assessments with the benefit of the doubt. The case's own organisation only.

mod api;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}/tracing", get(api::list).post(api::open))
        .route("/cases/{id}/tracing/{tid}/members", post(api::add_member))
        .route(
            "/cases/{id}/tracing/{tid}/members/{mid}/status",
            post(api::member_status_change),
        )
        .route("/cases/{id}/tracing/{tid}/contacts", post(api::add_contact))
        .route("/cases/{id}/tracing/{tid}/close", post(api::close))
        .route(
            "/cases/{id}/age-assessments",
            get(api::list_ages).post(api::record_age),
        )
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/tracing", get(pages::show))
        .route("/cases/{id}/tracing/age", post(pages::record_age))
        .route("/cases/{id}/tracing/open", post(pages::open))
        .route("/cases/{id}/tracing/{tid}/members", post(pages::add_member))
        .route(
            "/cases/{id}/tracing/{tid}/members/{mid}/status",
            post(pages::member_status),
        )
        .route(
            "/cases/{id}/tracing/{tid}/contacts",
            post(pages::add_contact),
        )
        .route("/cases/{id}/tracing/{tid}/close", post(pages::close))
}
