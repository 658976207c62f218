//! Labour inspection (issue 15 items 5, 6 and 8): a labour inspectorate's visits with their
//! findings, orders, sanctions and follow-ups, its work list, and the ranking of entities for
//! inspection. Only its inspectors and supervisors get an answer; immigration enforcement meets
//! the firewall on every route; nothing here names who complained.

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
        .route("/inspections", get(api::work_list).post(api::create))
        .route("/inspections/targets", get(api::targets))
        .route("/inspections/{id}", get(api::get))
        .route("/inspections/{id}/outcome", post(api::outcome))
        .route("/inspections/orders/{id}/complied", post(api::complied))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(pages::work_list).post(pages::record))
        .route("/inspections/targets", get(pages::targets))
        .route("/inspections/{id}", get(pages::show))
        .route("/inspections/{id}/outcome", post(pages::outcome))
        .route("/inspections/orders/{id}/complied", post(pages::complied))
}
