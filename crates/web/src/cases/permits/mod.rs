//! Residence and work permits on protection grounds on a case (issue 17 item 1): the
//! applications made for the person, their decisions, appeals, renewals and expiry, with the
//! reminders kept as tasks. Behind the firewall as the migration status is: the case's own
//! organisation, and in it those who may read the migration status.

mod api;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post, put};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}/permits", get(api::list).post(api::record))
        .route("/cases/{id}/permits/{pid}", put(api::correct))
        .route("/cases/{id}/permits/{pid}/status", post(api::status))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/permits", get(pages::show).post(pages::record))
        .route("/cases/{id}/permits/{pid}/status", post(pages::status))
}
