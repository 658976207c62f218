//! The shared kit of the web crate: what API handlers and pages both use, so that neither
//! imports from the other. The error type, extractors (the signed-in actor, JSON bodies, staff
//! forms, path ids), the page frame, and the collector that makes every API route known to the
//! OpenAPI test.

pub(crate) mod client;
pub(crate) mod download;
pub(crate) mod error;
pub(crate) mod extract;
pub(crate) mod form;
pub(crate) mod page;
pub(crate) mod responses;
pub(crate) mod routes;
pub(crate) mod schema;
pub(crate) mod xlsx;

pub(crate) use client::ClientSource;
pub use client::{BadProxy, TrustedProxies};
pub use error::{ErrorBody, WebError};
pub(crate) use extract::{ApiActor, ApiJson, Id, Ids, UiSession, bearer, cookie, form_pairs};
pub(crate) use form::{Form, UiError, done, see_other};
pub(crate) use page::{Nav, check_csrf, constant_time_eq, landing, page, when};
pub(crate) use routes::ApiRoutes;

/// This year (UTC), the upper bound of a plausible year of birth.
pub fn this_year() -> u16 {
    time::OffsetDateTime::now_utc().year().clamp(1900, 9999) as u16
}

/// Today (UTC) on the store's clock: deadlines and due dates are days.
pub fn today(state: &crate::AppState) -> passage_core::casework::calendar::Day {
    state.store.clock().today()
}
