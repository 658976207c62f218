//! A return that is safe, with the country of origin (issue 17 item 5): the return
//! assessment and the person's informed choice, the journey plan (refused without a voluntary
//! choice to return, and to a country the person fled), travel documents and the hand-over
//! as referrals of the referral network, and the reintegration visits the partner in the
//! country of origin records on its referral, which flow back to the case.

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
        .route("/cases/{id}/return", get(api::show))
        .route("/cases/{id}/return/risks", post(api::add_risk))
        .route("/cases/{id}/return/family", post(api::family))
        .route("/cases/{id}/return/choices", post(api::add_choice))
        .route("/cases/{id}/return/journey", post(api::journey))
        .route("/cases/{id}/return/documents", post(api::documents))
        .route(
            "/cases/{id}/return/documents/status",
            post(api::documents_status),
        )
        .route("/cases/{id}/return/handover", post(api::handover))
        .route(
            "/referrals/{id}/reintegration-visits",
            get(api::follow_up).post(api::record_visit),
        )
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/return", get(pages::show))
        .route("/cases/{id}/return/risks", post(pages::add_risk))
        .route("/cases/{id}/return/family", post(pages::family))
        .route("/cases/{id}/return/choices", post(pages::add_choice))
        .route("/cases/{id}/return/journey", post(pages::journey))
        .route("/cases/{id}/return/documents", post(pages::documents))
        .route(
            "/cases/{id}/return/documents/status",
            post(pages::documents_status),
        )
        .route("/cases/{id}/return/handover", post(pages::handover))
        .route(
            "/referrals/{id}/reintegration",
            get(pages::partner).post(pages::record_visit),
        )
}
