//! Incidents (issue 16 item 1): events of discrimination, xenophobic violence and abuse
//! recorded without a named person — from the form, from a public report the organisation
//! handles, or from a monitoring visit — read, verified and linked to a case by the recording
//! organisation only. Immigration enforcement meets the firewall on every route.

mod api;
pub(crate) mod openapi;
mod pages;
pub(crate) mod pages_kit;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) use api::query;

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/incidents", get(api::list).post(api::create))
        .route("/incidents/{id}", get(api::get))
        .route("/incidents/{id}/verification", post(api::verify))
        .route("/incidents/{id}/link", post(api::link))
        .route("/incidents/{id}/unlink", post(api::unlink))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(pages::list).post(pages::record))
        .route("/incidents/new", get(pages::new))
        .route("/incidents/{id}", get(pages::show))
        .route("/incidents/{id}/verify", post(pages::verify))
        .route("/incidents/{id}/link", post(pages::link))
        .route("/incidents/{id}/unlink", post(pages::unlink))
}
