//! The JSON API under `/api/v1`. Errors are `{"code","message"}` (plus `fields` for
//! validation), every unknown path is a JSON 404.

mod auth;
pub mod cases;
pub use cases::this_year;
mod openapi;

use crate::{AppState, WebError};
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(auth::token).delete(auth::revoke))
        .route("/me", get(auth::me))
        .route("/persons", post(cases::create_person))
        .route("/cases", post(cases::create_case).get(cases::list_cases))
        .route("/cases/{id}", get(cases::get_case))
        .route("/stats/summary", get(cases::stats_summary))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { WebError::not_found() })
}
