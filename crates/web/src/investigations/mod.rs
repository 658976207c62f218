//! An ombudsperson's investigations (issue 16 item 3): a complaint of the office — a report, a
//! case, or a referral it received and accepted — taken up for investigation of an authority,
//! with the questions sent and answers received, findings, recommendations and their
//! follow-up. Only the ombudsperson and the supervisor of an ombudsperson's office get an
//! answer (the supervisor alone closes; the office's analyst reads counts); immigration
//! enforcement meets the firewall on every route; another office's investigation or subject is
//! 404, as one that does not exist.

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
        .route("/investigations", get(api::list).post(api::create))
        .route("/investigations/counts", get(api::counts))
        .route("/investigations/{id}", get(api::get))
        .route("/investigations/{id}/questions", post(api::question))
        .route(
            "/investigations/{id}/questions/{qid}/answer",
            post(api::answer),
        )
        .route("/investigations/{id}/findings", post(api::findings))
        .route(
            "/investigations/{id}/recommendations",
            post(api::recommendation),
        )
        .route(
            "/investigations/{id}/recommendations/{rid}/follow-up",
            post(api::follow_up),
        )
        .route("/investigations/{id}/close", post(api::close))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/investigations", get(pages::work_list).post(pages::open))
        .route("/investigations/{id}", get(pages::show))
        .route("/investigations/{id}/questions", post(pages::question))
        .route(
            "/investigations/{id}/questions/{qid}/answer",
            post(pages::answer),
        )
        .route("/investigations/{id}/findings", post(pages::findings))
        .route(
            "/investigations/{id}/recommendations",
            post(pages::recommendation),
        )
        .route(
            "/investigations/{id}/recommendations/{rid}/follow-up",
            post(pages::follow_up),
        )
        .route("/investigations/{id}/close", post(pages::close))
}
