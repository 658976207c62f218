//! Cases: persons and cases, the case list, and the parts of case work — lifecycle, the person
//! (identity, documents, consent, attachments, children), work (needs, plan, tasks, notes,
//! services, dashboard), follow-up, international protection needs, family tracing and age
//! assessment, permits on protection grounds, proceedings and perpetrators, a safe return, and
//! what happened to the worker (fees, debts, contracts, wages owed) with their claims.

mod api;
pub(crate) mod copy;
pub(crate) mod erasure;
pub(crate) mod follow_up;
pub(crate) mod labour;
pub(crate) mod lifecycle;
mod list;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod permits;
pub(crate) mod person;
pub(crate) mod proceedings;
pub(crate) mod protection;
pub(crate) mod query;
pub(crate) mod returns;
pub(crate) mod tracing;
mod types;
pub(crate) mod work;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/persons", post(api::create_person))
        .route("/cases", post(api::create_case).get(api::list_cases))
        .route("/cases/{id}", get(api::get_case))
        .merge(lifecycle::api())
        .merge(person::api())
        .merge(work::api())
        .merge(follow_up::api())
        .merge(protection::api())
        .merge(labour::api())
        .merge(tracing::api())
        .merge(returns::api())
        .merge(permits::api())
        .merge(proceedings::api())
        .merge(erasure::api())
        .merge(copy::api())
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list::list))
        .route("/cases/new", get(pages::new_form).post(pages::create))
        .route("/cases/{id}", get(pages::show))
        .merge(lifecycle::pages())
        .merge(person::pages())
        .merge(work::pages())
        .merge(follow_up::pages())
        .merge(protection::pages())
        .merge(labour::pages())
        .merge(tracing::pages())
        .merge(returns::pages())
        .merge(permits::pages())
        .merge(proceedings::pages())
        .merge(erasure::pages())
        .merge(copy::pages())
}
