//! Erasing the person of a case and the case's legal hold (issue 19): a supervisor of the
//! case's organisation erases the person, with a reason and a confirmation, unless a legal
//! hold is set; the hold is set and lifted by a supervisor. The store does the erasure and
//! audits it (see `passage_store::erasure`).

mod api;
pub(crate) mod openapi;
mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post, put};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}/erasure", get(api::state))
        .route("/cases/{id}/legal-hold", put(api::hold))
        .route("/cases/{id}/erase-person", post(api::erase))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/erasure", get(pages::show))
        .route("/cases/{id}/erasure/hold", post(pages::hold))
        .route("/cases/{id}/erasure/erase", post(pages::erase))
}
