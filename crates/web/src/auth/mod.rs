//! Signing in and out: API tokens, the sign-in page, and where each user lands.

mod api;
mod enrol;
pub(crate) mod openapi;
mod pages;
mod second_step;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/auth/token", post(api::token).delete(api::revoke))
        .route("/me", get(api::me))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::start))
        .route("/settings/language", post(pages::set_language))
        .route("/login", get(pages::login_page).post(pages::login))
        .route(
            "/login/code",
            get(second_step::code_page).post(second_step::submit_code),
        )
        .route("/enrol/{token}", get(enrol::enrol_page).post(enrol::enrol))
        .route("/logout", post(pages::logout))
}
