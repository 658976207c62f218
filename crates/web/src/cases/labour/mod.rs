//! What happened to the worker (issue 15 item 3) and their remedies (item 4), on a case: fees
//! and costs paid, debts, the contract promised beside the one found, wages owed, and wage and
//! compensation claims. The "Work and pay" tab shows it all with its forms; the screening
//! interview shows which records support a question.

mod api;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post, put};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route(
            "/cases/{id}/labour/fees",
            get(api::fees).post(api::record_fee),
        )
        .route(
            "/cases/{id}/labour/debts",
            get(api::debts).post(api::record_debt),
        )
        .route(
            "/cases/{id}/labour/contracts",
            get(api::contracts).post(api::record_contract),
        )
        .route(
            "/cases/{id}/labour/wages",
            get(api::wages).post(api::record_wages),
        )
        .route(
            "/cases/{id}/labour/claims",
            get(api::claims).post(api::record_claim),
        )
        .route("/cases/{id}/labour/claims/{claim}", put(api::change_claim))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/labour", get(pages::show))
        .route("/cases/{id}/labour/fees", post(pages::record_fee))
        .route("/cases/{id}/labour/debts", post(pages::record_debt))
        .route("/cases/{id}/labour/contracts", post(pages::record_contract))
        .route("/cases/{id}/labour/wages", post(pages::record_wages))
        .route("/cases/{id}/labour/claims", post(pages::record_claim))
        .route(
            "/cases/{id}/labour/claims/{claim}",
            post(pages::change_claim),
        )
}
