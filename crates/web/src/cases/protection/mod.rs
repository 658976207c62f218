//! International protection needs on a case (issue 14 item 5): recorded by the case's own
//! organisation, listed for readers of the case, and read by the rule that keeps the case from
//! any consulate or other authority of a country the person fled.

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
        .route(
            "/cases/{id}/protection-needs",
            get(api::list).post(api::record),
        )
        .route(
            "/cases/{id}/protection-needs/{nid}/reviews",
            post(api::review),
        )
        .route("/cases/{id}/protection-needs/{nid}/end", post(api::end))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/protection",
            get(pages::show).post(pages::record),
        )
        .route("/cases/{id}/protection/{nid}/review", post(pages::review))
        .route("/cases/{id}/protection/{nid}/end", post(pages::end))
}
