//! The person's own copy of what Passage holds about them (the right of access), the
//! disclosure register of a case and the corrections the person asked for (issue 19 item 2):
//! the API and the pages. The store builds each from its ordinary read paths with the reader as
//! actor, so the copy shows what its reader may see and nothing more.

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
        .route("/cases/{id}/copy", get(api::copy))
        .route("/cases/{id}/disclosures", get(api::disclosures))
        .route(
            "/cases/{id}/corrections",
            get(api::corrections).post(api::request),
        )
        .route("/cases/{id}/corrections/{cid}/decision", post(api::decide))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/copy", get(pages::copy))
        .route("/cases/{id}/disclosures", get(pages::show))
        .route("/cases/{id}/corrections", post(pages::request))
        .route(
            "/cases/{id}/corrections/{cid}/decision",
            post(pages::decide),
        )
}
