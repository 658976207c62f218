//! Tokens and the signed-in user's profile.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{Credentials, Me, Token};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, ClientSource, ErrorBody, WebError, bearer};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use passage_store::{LoginError, SessionKind};

/// `POST /auth/token`: the same 401 whether the user exists or not.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    summary = "Exchange e-mail, password and (where needed) a one-time code for a bearer token",
    description = "401 `invalid_credentials` for a wrong e-mail, password or code alike; 401 `second_factor_required` only when the password was right, the user has or needs a second factor and no `totp` was given.",
    security(()),
    request_body = Credentials,
    responses(
        (status = 200, description = "Success", body = Token),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody),
        (status = 429, description = "Structured error", body = ErrorBody)))]
pub async fn token(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<Json<Token>, WebError> {
    if !state.limiter.allow(ip) {
        return Err(WebError::too_many());
    }
    if c.email.len() > 254
        || c.password.len() > 1024
        || c.totp.as_ref().is_some_and(|t| t.len() > 64)
    {
        return Err(WebError::invalid_credentials());
    }
    match super::sign_in(
        &state,
        ip,
        &c.email,
        &c.password,
        c.totp.as_deref(),
        SessionKind::Api,
    )
    .await?
    {
        Ok(session) => Ok(Json(Token {
            token: session.token,
        })),
        Err(LoginError::Invalid) => Err(WebError::invalid_credentials()),
        Err(LoginError::SecondFactorRequired(_)) => Err(WebError::second_factor_required()),
        Err(LoginError::TooManyAttempts { retry_after_secs }) => {
            Err(WebError::too_many_attempts(retry_after_secs))
        }
        Err(LoginError::Store(e)) => Err(e.into()),
    }
}

/// `DELETE /auth/token`: revokes the presented token.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    summary = "Revoke the presented token",
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Structured error", body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, WebError> {
    let token = bearer(&headers).ok_or_else(WebError::unauthenticated)?;
    state.store.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /me`.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    summary = "The signed-in user",
    responses(
        (status = 200, description = "Success", body = Me),
        (status = 401, description = "Structured error", body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Me>, WebError> {
    Ok(Json(state.store.me(&actor).await?.into()))
}
