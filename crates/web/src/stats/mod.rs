//! Statistics: the only door analysts and immigration-enforcement users have, aggregates with
//! small cells suppressed: the summary (API and `/stats`), the dashboards of an organisation
//! and of the country (`/stats/dashboard`, `/stats/national`) and the public figures
//! (`/statistics`), with charts drawn on the server ([`charts`]) and every table downloadable.

mod api;
pub(crate) mod charts;
mod dashboard;
mod measures;
mod measures_page;
pub(crate) mod openapi;
mod pages;
mod releases;
mod types;

pub(crate) use pages::statistics_page;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::get;

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/stats/summary", get(api::stats_summary))
        .route("/stats/measures", get(measures::stats_measures))
        .route("/stats/releases", get(releases::stats_releases))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/stats", get(pages::stats))
        .route("/stats/measures", get(measures_page::measures))
        .route("/stats/releases", get(releases::page_releases))
        .route("/stats/dashboard", get(dashboard::organisation))
        .route("/stats/national", get(dashboard::national))
        .route("/statistics", get(dashboard::public))
}
