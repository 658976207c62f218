//! HTTP layer of Passage: the JSON API under `/api/v1` (OpenAPI at `/api/v1/openapi.json`) and
//! the staff UI rendered on the server, working without JavaScript.
//!
//! Every request gets a request id and a tracing span (method, route template, status: never a
//! query string, which can hold a name). Every response carries the security headers; anything
//! not static is `Cache-Control: no-store`. Bodies are capped. Authentication is a bearer token
//! (API) or an `HttpOnly`, `SameSite=Strict` session cookie with a CSRF token on every form (UI).

pub mod api;
mod error;
mod extract;
mod limit;
mod security;
mod ui;

pub use error::{ErrorBody, WebError};

use axum::Router;
use axum::routing::get;
use passage_store::Store;
use std::sync::Arc;

/// Web settings from configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Cookies get `Secure` and the `__Host-` prefix (set when served over TLS, directly or
    /// behind a proxy).
    pub secure_cookies: bool,
    /// Statistics cells below this are suppressed.
    pub min_cell: u64,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            min_cell: passage_core::stats::DEFAULT_MIN_CELL,
            body_limit: 64 * 1024,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub(crate) limiter: Arc<limit::Limiter>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            limiter: Arc::new(limit::Limiter::new(20, 60)),
        }
    }

    pub(crate) fn cookie_name(&self) -> &'static str {
        if self.config.secure_cookies {
            "__Host-passage"
        } else {
            "passage"
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    let secure = state.config.secure_cookies;
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api::router())
        .merge(ui::router())
        .with_state(state);
    security::apply(app, body_limit, secure)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
