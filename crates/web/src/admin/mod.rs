//! Administration: an organisation's users, invited with a one-time enrolment link, and the
//! grants of roles that read personal data, approved by a second person.

mod api;
mod grants;
pub(crate) mod openapi;
mod pages;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/role-grants", get(api::grants))
        .route("/role-grants/{id}/approve", post(api::approve))
        .route("/role-grants/{id}/refuse", post(api::refuse))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(pages::users).post(pages::add_user))
        .route("/admin/users/{id}/{action}", post(pages::set_state))
        .route("/admin/organisation/time-zone", post(pages::set_time_zone))
        .route("/admin/grants", get(grants::grants_page))
        .route("/admin/grants/{id}/{action}", post(grants::decide))
}
