//! Notifications (issue 14 item 8): each user's inbox of a referral's events (received,
//! answered, overdue, withdrawn), with the unread count in every page's header, and an
//! organisation's own signed webhook endpoint with its delivery log, for its administrators.

mod api;
pub(crate) mod openapi;
mod pages;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{delete, get, post, put};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/notifications", get(api::inbox))
        .route("/notifications/{id}/read", post(api::read))
        .route("/webhooks", get(api::webhooks).post(api::register))
        .route("/webhooks/{id}", delete(api::remove))
        .route("/webhooks/retry", post(api::retry))
        .route("/services/{id}/answer-hours", put(api::answer_hours))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(pages::inbox))
        .route("/inbox/{id}/read", post(pages::read))
        .route(
            "/admin/webhooks",
            get(pages::webhooks).post(pages::register),
        )
        .route("/admin/webhooks/{id}/delete", post(pages::remove))
        .route("/admin/webhooks/retry", post(pages::retry))
}
