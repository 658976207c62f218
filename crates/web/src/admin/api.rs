//! Role grants over the API, for an organisation's administrators and supervisors. Each
//! handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::RoleGrant;
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ErrorBody, WebError};
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/api/v1/role-grants", tag = "admin",
    summary = "The organisation's pending role grants and the recent decided ones (administrators and supervisors)",
    responses(
        (status = 200, description = "Pending first, then the fifty most recent decided", body = Vec<RoleGrant>),
        crate::kit::responses::Refusals))]
pub async fn grants(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<RoleGrant>>, WebError> {
    let grants = state.store.role_grants(&actor).await?;
    Ok(Json(grants.into_iter().map(RoleGrant::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/role-grants/{id}/approve", tag = "admin",
    summary = "Approve a pending grant: the role is held at once. Refused (422 `own_decision`) to the one who asked and the one it is for",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Approved", body = RoleGrant),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<RoleGrant>, WebError> {
    let grant = state.store.decide_grant(&actor, id, true).await?;
    Ok(Json(grant.into()))
}

#[utoipa::path(post, path = "/api/v1/role-grants/{id}/refuse", tag = "admin",
    summary = "Refuse a pending grant",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Refused", body = RoleGrant),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn refuse(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<RoleGrant>, WebError> {
    let grant = state.store.decide_grant(&actor, id, false).await?;
    Ok(Json(grant.into()))
}
