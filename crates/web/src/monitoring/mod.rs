//! Monitoring (issue 16 items 1 and 5): monitors' visits to detention centres and forced-return
//! operations, and the monitoring views — incidents of every organisation counted on a tile map
//! of the country's regions drawn on the server with its table, by month, and by kind, bias
//! motive, place type and perpetrator type, every count under k suppressed. Immigration
//! enforcement meets the firewall on every route.

mod api;
pub(crate) mod openapi;
mod pages;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::get;

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/monitoring", get(api::figures))
        .route(
            "/monitoring/visits",
            get(api::visits).post(api::create_visit),
        )
        .route("/monitoring/visits/{id}", get(api::visit))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/monitoring", get(pages::figures))
        .route(
            "/monitoring/visits",
            get(pages::visits).post(pages::record_visit),
        )
        .route("/monitoring/visits/new", get(pages::new_visit))
        .route("/monitoring/visits/{id}", get(pages::visit))
}
