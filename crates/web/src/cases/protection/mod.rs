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
use axum::routing::get;

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new().route(
        "/cases/{id}/protection-needs",
        get(api::list).post(api::record),
    )
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new().route(
        "/cases/{id}/protection",
        get(pages::show).post(pages::record),
    )
}
