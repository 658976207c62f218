//! The one error type of the web layer. It carries a stable snake_case code and a message a
//! person can act on, and separately the detail that goes to the log (never personal data).
//! API routes render it as JSON; UI routes turn it into a page (see `kit::page::render_errors`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passage_core::validate::FieldError;
use passage_core::{DenyReason, ErrorCode};
use passage_store::StoreError;
use serde::Serialize;

/// The body of every error answer; documented as the `Error` schema.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    #[schema(schema_with = crate::kit::schema::error_code)]
    pub code: ErrorCode,
    /// For a person to read; clients choose by `code`, never by this text.
    pub message: String,
    /// Why a `forbidden` was answered: pages and clients tell the firewall apart by this, not
    /// by the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::kit::schema::deny_reason, required = false)]
    pub reason: Option<DenyReason>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(schema_with = crate::kit::schema::field_errors, required = false)]
    pub fields: Vec<FieldError>,
}

#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// For the log only.
    pub detail: Option<String>,
    /// Seconds the client must wait, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl WebError {
    /// The message shown to the user.
    pub fn message(&self) -> &str {
        &self.body.message
    }

    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
                reason: None,
                fields: Vec::new(),
            },
            detail: None,
            retry_after: None,
        }
    }

    pub fn not_found() -> WebError {
        WebError::new(
            StatusCode::NOT_FOUND,
            passage_core::ErrorCode::NotFound,
            "There is nothing here, or you may not see it.",
        )
    }

    pub fn unauthenticated() -> WebError {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            passage_core::ErrorCode::Unauthenticated,
            "Sign in first: send a bearer token from POST /api/v1/auth/token.",
        )
    }

    pub fn invalid_credentials() -> WebError {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            passage_core::ErrorCode::InvalidCredentials,
            "The e-mail address or password is incorrect.",
        )
    }

    /// The password was right and a second factor is needed: the one answer that says which
    /// part is missing, given only when the password was right and no code was sent.
    pub fn second_factor_required() -> WebError {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            passage_core::ErrorCode::SecondFactorRequired,
            "Give the six-digit code of your authenticator app (or a recovery code) as `totp`. Without a second factor yet, sign in once on the sign-in page to enrol one.",
        )
    }

    pub fn forbidden(reason: DenyReason) -> WebError {
        let message = match reason {
            DenyReason::ImmigrationFirewall => {
                "Your organisation can see aggregate statistics only. Individual records are never available to immigration enforcement."
            }
            DenyReason::NoGrant | DenyReason::OutOfScope => "Your roles do not allow this.",
        };
        let mut e = WebError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message);
        // Only the firewall is named: it is the same for every record, so it tells nothing of
        // one; the other reasons stay a plain `forbidden`.
        e.body.reason = (reason == DenyReason::ImmigrationFirewall).then_some(reason);
        e
    }

    pub fn internal(detail: impl Into<String>) -> WebError {
        WebError {
            detail: Some(detail.into()),
            ..WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                passage_core::ErrorCode::InternalError,
                "Something went wrong on our side. Nothing was lost; try again.",
            )
        }
    }

    pub fn bad_csrf() -> WebError {
        WebError::new(
            StatusCode::FORBIDDEN,
            passage_core::ErrorCode::CsrfFailed,
            "This form expired. Go back, reload the page and submit again.",
        )
    }

    pub fn too_many() -> WebError {
        WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            passage_core::ErrorCode::RateLimited,
            "Too many attempts. Wait a minute and try again.",
        )
    }

    /// A wait owed after failed attempts from this client: 429 with `Retry-After`.
    pub fn too_many_attempts(retry_after_secs: u64) -> WebError {
        WebError {
            retry_after: Some(retry_after_secs),
            ..WebError::new(
                StatusCode::TOO_MANY_REQUESTS,
                passage_core::ErrorCode::TooManyAttempts,
                format!(
                    "Too many failed attempts from here. Wait {retry_after_secs} seconds and try again."
                ),
            )
        }
    }

    /// Every slot for password and receipt checks stayed taken: 503, retry shortly.
    pub fn busy() -> WebError {
        WebError {
            retry_after: Some(1),
            ..WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                passage_core::ErrorCode::ServerBusy,
                "The server is busy checking other requests. Try again in a moment.",
            )
        }
    }
}

impl WebError {
    /// The database's disk is full: 503; nothing was written, and the server takes writes
    /// again by itself once space is freed.
    pub fn storage_full() -> WebError {
        WebError {
            retry_after: Some(60),
            detail: Some("storage full".into()),
            ..WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                passage_core::ErrorCode::StorageFull,
                "The server has no room left to save this, so nothing was saved. Keep what you wrote and send it again later. Operators: free disk space where the database lives; no restart is needed.",
            )
        }
    }

    /// The database cannot be reached: 503 at once rather than a hanging request.
    pub fn database_unavailable() -> WebError {
        WebError {
            retry_after: Some(5),
            detail: Some("database unavailable".into()),
            ..WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                passage_core::ErrorCode::DatabaseUnavailable,
                "The database cannot be reached just now, so nothing was saved. Keep what you wrote and send it again in a minute.",
            )
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        match e {
            StoreError::NotFound => WebError::not_found(),
            StoreError::Forbidden(reason) => WebError::forbidden(reason),
            StoreError::Invalid(problems) => WebError {
                body: ErrorBody {
                    code: passage_core::ErrorCode::ValidationFailed,
                    message: problems
                        .0
                        .iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    reason: None,
                    fields: problems.0,
                },
                status: StatusCode::UNPROCESSABLE_ENTITY,
                detail: None,
                retry_after: None,
            },
            StoreError::Conflict(what) => WebError::new(
                StatusCode::CONFLICT,
                passage_core::ErrorCode::Conflict,
                format!("{what} already exists."),
            ),
            StoreError::VersionConflict { current } => WebError::new(
                StatusCode::CONFLICT,
                passage_core::ErrorCode::VersionConflict,
                format!(
                    "Someone changed this record (it is now at version {current}). Reload it, reapply your change and save again."
                ),
            ),
            StoreError::Busy => WebError::busy(),
            StoreError::StorageFull => WebError::storage_full(),
            StoreError::DatabaseUnavailable => WebError::database_unavailable(),
            StoreError::Rule { code, message } => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            // Database messages can quote values: the log gets only what may be logged.
            other => WebError::internal(other.log_detail()),
        }
    }
}

impl From<passage_core::validate::Problems> for WebError {
    fn from(p: passage_core::validate::Problems) -> WebError {
        StoreError::Invalid(p).into()
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let Some(detail) = &self.detail {
            tracing::error!(code = self.body.code.as_str(), detail = %detail, "request failed");
        } else {
            tracing::info!(
                code = self.body.code.as_str(),
                status = self.status.as_u16(),
                "request refused"
            );
        }
        let mut res = (self.status, Json(self.body.clone())).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res.extensions_mut().insert(self.body);
        res
    }
}
