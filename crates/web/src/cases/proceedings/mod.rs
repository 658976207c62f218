//! Proceedings on a case (issue 17 item 3): the perpetrators, criminal and other proceedings
//! with their stages, the victim's role and protection measures, hearings with a task before
//! each, the outcome and sentence, compensation that joins the case's remedies, and the
//! person's stance on cooperation, which assistance never depends on. The case's own
//! organisation only; the page is the case's "Justice" section.

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
        .route("/cases/{id}/proceedings", get(api::list).post(api::open))
        .route("/cases/{id}/proceedings/{pid}/stage", post(api::stage))
        .route(
            "/cases/{id}/proceedings/{pid}/perpetrators",
            post(api::link),
        )
        .route(
            "/cases/{id}/proceedings/{pid}/measures",
            post(api::set_measure),
        )
        .route(
            "/cases/{id}/proceedings/{pid}/hearings",
            post(api::add_hearing),
        )
        .route(
            "/cases/{id}/proceedings/{pid}/hearings/{hid}",
            post(api::change_hearing),
        )
        .route("/cases/{id}/proceedings/{pid}/outcome", post(api::outcome))
        .route(
            "/cases/{id}/proceedings/{pid}/compensation",
            post(api::order),
        )
        .route("/cases/{id}/proceedings/{pid}/payments", post(api::pay))
        .route(
            "/cases/{id}/perpetrators",
            get(api::perpetrators).post(api::add_perpetrator),
        )
        .route(
            "/cases/{id}/cooperation",
            get(api::get_cooperation).post(api::set_cooperation),
        )
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/justice", get(pages::show))
        .route(
            "/cases/{id}/justice/cooperation",
            post(pages::set_cooperation),
        )
        .route(
            "/cases/{id}/justice/perpetrators",
            post(pages::add_perpetrator),
        )
        .route("/cases/{id}/justice/proceedings", post(pages::open))
        .route("/cases/{id}/justice/{pid}/stage", post(pages::stage))
        .route("/cases/{id}/justice/{pid}/perpetrators", post(pages::link))
        .route(
            "/cases/{id}/justice/{pid}/measures",
            post(pages::measure_form),
        )
        .route("/cases/{id}/justice/{pid}/hearings", post(pages::hearing))
        .route(
            "/cases/{id}/justice/{pid}/hearings/{hid}",
            post(pages::change_hearing),
        )
        .route("/cases/{id}/justice/{pid}/outcome", post(pages::outcome))
        .route("/cases/{id}/justice/{pid}/compensation", post(pages::order))
        .route("/cases/{id}/justice/{pid}/payments", post(pages::pay))
}
