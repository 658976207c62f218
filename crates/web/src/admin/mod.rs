//! Administration: an organisation's users.

mod pages;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(pages::users).post(pages::add_user))
        .route("/admin/users/{id}/{action}", post(pages::set_state))
}
