//! HTTP layer of Passage: the JSON API under `/api/v1` (OpenAPI at `/api/v1/openapi.json`) and
//! the staff UI rendered on the server, working without JavaScript.
//!
//! Every request gets a request id and a tracing span (method, route template, status: never a
//! query string, which can hold a name). Every response carries the security headers; anything
//! not static is `Cache-Control: no-store`. Bodies are capped. Authentication is a bearer token
//! (API) or an `HttpOnly`, `SameSite=Strict` session cookie with a CSRF token on every form (UI).

//! The source is laid out by capability, as the store is: `intake`, `cases` (with its parts
//! `lifecycle`, `person`, `work`, `follow_up`), `screening`, `duplicates`, `stats`, `services`,
//! `rights`, `admin` and `auth`, each with its API handlers, its pages and its part of the OpenAPI document, and a
//! `routes` function per side. What both sides need lives in `kit`; neither side imports the
//! other.

// The operator's handle is refused by `clippy.toml`; no module may lift the refusal.
#![forbid(clippy::disallowed_methods, clippy::disallowed_types)]

mod admin;
mod auth;
mod cases;
mod duplicates;
mod entities;
mod guard;
mod i18n;
mod incidents;
mod inspections;
mod intake;
mod investigations;
mod kit;
mod limit;
mod monitoring;
mod names;
mod notifications;
mod openapi;
mod referrals;
mod rights;
mod screening;
mod security;
mod services;
mod stats;
mod transfers;

pub use guard::PublicLimits;
pub use kit::{BadProxy, ErrorBody, TrustedProxies, WebError, this_year};
pub use rights::{RightsError, RightsLibrary};

use axum::Router;
use axum::routing::get;
use passage_store::Store;
use std::sync::Arc;

/// Web settings from configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Cookies get `Secure` and the `__Host-` prefix (set when served over TLS, directly or
    /// behind a proxy). Always on when `public_url` is `https://`.
    pub secure_cookies: bool,
    /// Monitoring and register counts below this are suppressed.
    pub min_cell: u64,
    /// The statistics door's k: counts from 1 to k − 1 are suppressed (default 11).
    pub stats_k: u64,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Limits of the anonymous door.
    pub public_limits: PublicLimits,
    /// Proxies whose `X-Forwarded-For` is believed; the client is the rightmost address there
    /// that is not one of them. Empty: the socket's peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// The address users and gateways reach Passage at (`https://…`), for webhook signatures.
    pub public_url: Option<String>,
    /// Twilio auth token; without it the SMS webhook refuses everything.
    pub twilio_auth_token: Option<String>,
    /// Shared secret of the RapidPro/TextIt webhook; without it the webhook refuses everything.
    pub rapidpro_token: Option<String>,
    /// Minimum seconds between showing the public form and accepting it (a script pays this,
    /// a person writing a report does not notice it).
    pub min_fill_seconds: i64,
    /// Largest attachment accepted, in bytes (after which an upload is refused with 413).
    pub attachment_limit: usize,
    /// The public rights pages (built in, and a deployment's own folder), checked at start.
    pub rights: RightsLibrary,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            min_cell: passage_core::stats::DEFAULT_MIN_CELL,
            stats_k: passage_stats::suppress::DEFAULT_K,
            body_limit: 64 * 1024,
            public_limits: PublicLimits::default(),
            trusted_proxies: TrustedProxies::default(),
            public_url: None,
            twilio_auth_token: None,
            rapidpro_token: None,
            min_fill_seconds: 3,
            attachment_limit: passage_core::casework::files::DEFAULT_MAX_BYTES,
            rights: RightsLibrary::built_in(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub(crate) limiter: Arc<limit::Limiter>,
    pub(crate) guard: Arc<guard::Guard>,
    pub(crate) i18n: Arc<i18n::I18n>,
    /// Keys the public form's time token and the sign-in form's pre-session: derived from the
    /// master key, so every instance of one installation accepts the others' forms.
    pub(crate) form_key: [u8; 32],
}

impl AppState {
    /// Fails when the operating system has no randomness (the guard's key would be fixed and
    /// guessable); start-up stops rather than serve with it.
    pub fn new(store: Store, config: WebConfig) -> Result<AppState, passage_store::StoreError> {
        let mut config = config;
        // Served at an https:// address, cookies are Secure (and take the `__Host-` names)
        // whatever else was configured.
        config.secure_cookies |= config
            .public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"));
        let form_key = store.keys().form_key();
        Ok(AppState {
            store,
            guard: Arc::new(guard::Guard::new(config.public_limits)?),
            config: Arc::new(config),
            limiter: Arc::new(limit::Limiter::new(20, 60)),
            i18n: Arc::new(i18n::I18n::load()),
            form_key,
        })
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
        .route("/readyz", get(readyz))
        .nest("/api/v1", api_routes().router)
        .merge(pages(state.clone()))
        .with_state(state);
    security::apply(app, body_limit, secure)
}

/// Every API route, relative to `/api/v1`, with the list of its paths.
pub(crate) fn api_routes() -> kit::ApiRoutes {
    let routes = auth::api()
        .merge(admin::api())
        .merge(intake::api())
        .merge(cases::api())
        .merge(screening::api())
        .merge(duplicates::api())
        .merge(stats::api())
        .merge(services::api())
        .merge(referrals::api())
        .merge(entities::api())
        .merge(inspections::api())
        .merge(incidents::api())
        .merge(monitoring::api())
        .merge(investigations::api())
        .merge(transfers::api())
        .merge(notifications::api())
        .route("/openapi.json", get(openapi::document));
    kit::ApiRoutes {
        router: routes.router.fallback(|| async { WebError::not_found() }),
        paths: routes.paths,
    }
}

/// Every page, with refusals rendered as pages.
fn pages(state: AppState) -> Router<AppState> {
    auth::pages()
        .merge(intake::pages())
        .merge(cases::pages())
        .merge(screening::pages())
        .merge(duplicates::pages())
        .merge(stats::pages())
        .merge(services::pages())
        .merge(transfers::pages())
        .merge(referrals::pages())
        .merge(entities::pages())
        .merge(rights::pages())
        .merge(inspections::pages())
        .merge(incidents::pages())
        .merge(monitoring::pages())
        .merge(investigations::pages())
        .merge(admin::pages())
        .merge(notifications::pages())
        .route("/static/app.css", get(kit::page::stylesheet))
        .fallback(|| async { WebError::not_found() })
        .layer(axum::middleware::from_fn_with_state(
            state,
            kit::page::render_errors,
        ))
}

/// Readiness for load balancers and benchmarks: the database answers a trivial query within
/// two seconds (else 503 `database_unavailable`), and how many receipts wait to be hardened.
/// `/healthz` stays liveness only: a lost database is no reason to restart the process.
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match state.store.ping(std::time::Duration::from_secs(2)).await {
        Ok(()) => axum::Json(
            serde_json::json!({ "status": "ok", "receipts_waiting": state.store.receipts_waiting() }),
        )
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e.log_detail(), "not ready: the database does not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "unavailable", "code": passage_core::ErrorCode::DatabaseUnavailable.as_str() })),
            )
                .into_response()
        }
    }
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
