//! Signing in and out: API tokens, the sign-in page, and where each user lands.

mod api;
mod enrol;
pub(crate) mod openapi;
mod pages;
mod second_step;
mod types;

use crate::AppState;
use crate::guard::Verdict;
use crate::kit::{ApiRoutes, WebError};
use axum::Router;
use axum::routing::{get, post};
use passage_store::auth::NewSession;
use passage_store::{LoginError, SessionKind};

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

/// A sign-in through both throttles: the source's over all accounts (in memory, here, per
/// instance) and the source's and the account's in the store (in the database, so shared by
/// every instance serving it). Only a wrong password counts as a failure here; the outer error
/// is this source's own wait.
pub(crate) async fn sign_in(
    state: &AppState,
    ip: std::net::IpAddr,
    email: &str,
    password: &str,
    code: Option<&str>,
    kind: SessionKind,
) -> Result<Result<NewSession, LoginError>, WebError> {
    match state.guard.sign_in_attempt(ip) {
        Verdict::Wait(wait) => {
            let ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
            return Err(WebError::too_many_attempts(
                passage_core::throttle::retry_after_secs(ms),
            ));
        }
        Verdict::Slow(pause) => tokio::time::sleep(pause).await,
        Verdict::Go => {}
    }
    let result = state
        .store
        .login_from(email, password, code, kind, &ip.to_string())
        .await;
    if !matches!(result, Err(LoginError::Invalid)) {
        state.guard.sign_in_ok(ip);
    }
    Ok(result)
}
