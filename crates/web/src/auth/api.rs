//! Tokens and the signed-in user's profile.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::{ApiActor, ApiJson, bearer};
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use passage_store::{LoginError, SessionKind};
use serde::Deserialize;
use serde_json::{Value, json};
use std::net::SocketAddr;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    email: String,
    password: String,
}

/// `POST /auth/token`: the same 401 whether the user exists or not.
pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<Json<Value>, WebError> {
    if !state.limiter.allow(addr.ip()) {
        return Err(WebError::too_many());
    }
    if c.email.len() > 254 || c.password.len() > 1024 {
        return Err(WebError::invalid_credentials());
    }
    match state
        .store
        .login(&c.email, &c.password, SessionKind::Api)
        .await
    {
        Ok(session) => Ok(Json(json!({ "token": session.token }))),
        Err(LoginError::Invalid) => Err(WebError::invalid_credentials()),
        Err(LoginError::Store(e)) => Err(e.into()),
    }
}

/// `DELETE /auth/token`: revokes the presented token.
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, WebError> {
    let token = bearer(&headers).ok_or_else(WebError::unauthenticated)?;
    state.store.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /me`.
pub async fn me(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Value>, WebError> {
    let user = state.store.me(&actor).await?;
    Ok(Json(json!({
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "roles": user.roles,
        "organisation": {
            "id": user.organisation.id,
            "name": user.organisation.name,
            "kind": user.organisation.kind,
            "country": user.organisation.country,
        }
    })))
}
