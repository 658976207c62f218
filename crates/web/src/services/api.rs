//! The service directory over the API: search by type, country and language; an
//! organisation's administrators and supervisors add and change its entries; its staff keep
//! capacity current. Immigration enforcement is refused all of it (403 with the reason).

use super::types::{CapacityInput, DirectoryEntry, ServiceInput, ServiceQuery};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, ErrorBody, Id, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_store::Authority;

fn bad_query() -> WebError {
    WebError::new(
        StatusCode::BAD_REQUEST,
        passage_core::ErrorCode::InvalidQuery,
        "Use type, country and language.",
    )
}

#[utoipa::path(get, path = "/api/v1/services", tag = "services",
    summary = "The service directory, searched by type, country (where it is or covers) and language; filters combine",
    params(ServiceQuery),
    responses(
        (status = 200, description = "Entries by name; a confidential address only to its own organisation", body = Vec<DirectoryEntry>),
        crate::kit::responses::Refusals,
        (status = 400, description = "Structured error", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ServiceQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<DirectoryEntry>>, WebError> {
    let Query(q) = query.map_err(|_| bad_query())?;
    let q = q.parse()?;
    let found = state.store.service_directory(&actor, &q).await?;
    Ok(Json(found.into_iter().map(DirectoryEntry::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/services/{id}", tag = "services",
    summary = "One directory entry",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The entry", body = DirectoryEntry),
        crate::kit::responses::Refusals,
        (status = 404, description = "Structured error", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<DirectoryEntry>, WebError> {
    Ok(Json(state.store.service_entry(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/services", tag = "services",
    summary = "Add a service of your organisation (administrators and supervisors). Immigration enforcement offers none; consular assistance is a consulate's",
    request_body = ServiceInput,
    responses(
        (status = 201, description = "Added", body = DirectoryEntry),
        crate::kit::responses::Refusals,
        (status = 422, description = "Structured error with `fields`", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Result<(StatusCode, Json<DirectoryEntry>), WebError> {
    let org = actor.org_id();
    let entry = state
        .store
        .create_service_entry(&Authority::User(actor), org, &input.raw())
        .await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

#[utoipa::path(put, path = "/api/v1/services/{id}", tag = "services",
    summary = "Change a service of your organisation at the version you read (409 `version_conflict` if it changed)",
    params(("id" = uuid::Uuid, Path)),
    request_body = ServiceInput,
    responses(
        (status = 200, description = "Changed", body = DirectoryEntry),
        crate::kit::responses::Refusals,
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 409, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error with `fields`", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Result<Json<DirectoryEntry>, WebError> {
    let version = input.version.ok_or_else(|| {
        WebError::from(passage_store::StoreError::invalid(
            "version",
            passage_core::ErrorCode::Required,
            "version is required: the version of the entry you read",
        ))
    })?;
    let entry = state
        .store
        .update_service_entry(&actor, id, version, &input.raw())
        .await?;
    Ok(Json(entry.into()))
}

#[utoipa::path(post, path = "/api/v1/services/{id}/capacity", tag = "services",
    summary = "Set the free places and the total of a service of your organisation; with `version`, refused (409) if someone changed it since",
    params(("id" = uuid::Uuid, Path)),
    request_body = CapacityInput,
    responses(
        (status = 200, description = "The capacity now", body = super::types::DirectoryCapacity),
        crate::kit::responses::Refusals,
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 409, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error with `fields`", body = ErrorBody)))]
pub async fn capacity(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(input): ApiJson<CapacityInput>,
) -> Result<Json<super::types::DirectoryCapacity>, WebError> {
    let capacity =
        passage_core::services::Capacity::check(&input.free.to_string(), &input.total.to_string())
            .map_err(passage_store::StoreError::Invalid)?;
    let now = state
        .store
        .set_service_capacity(&actor, id, capacity, input.version)
        .await?;
    Ok(Json(now.into()))
}
