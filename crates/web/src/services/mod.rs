//! The service directory: providers and their services (type, coverage, languages,
//! eligibility, hours, contact, capacity kept current), for staff to find where to refer, and
//! the public service finder. Immigration enforcement neither offers services nor reads the
//! directory.

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
        .route("/services", get(api::list).post(api::create))
        .route("/services/{id}", get(api::get).put(api::update))
        .route("/services/{id}/capacity", post(api::capacity))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/services", get(pages::finder))
        .route("/directory", get(pages::directory))
        .route("/directory/mine", get(pages::mine))
        .route("/directory/new", get(pages::new_form).post(pages::create))
        .route(
            "/directory/{id}/edit",
            get(pages::edit_form).post(pages::update),
        )
        .route("/directory/{id}/capacity/{step}", post(pages::capacity))
        .route("/directory/{id}/answer-hours", post(pages::answer_hours))
}
