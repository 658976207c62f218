//! Labour inspection over the API. Each handler's `#[utoipa::path]` is its part of the OpenAPI
//! document. Only inspectors and supervisors of a labour inspectorate get an answer; others are
//! 403 `forbidden` with a reason (the register itself is not secret), immigration enforcement
//! 403 `immigration_firewall` on every route, and another inspectorate's visit is 404.

use super::types::{
    ComplianceInput, InspectionCreated, InspectionDetail, InspectionInput, OutcomeInput,
    TargetItem, TargetQuery, WorkListView,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_core::labour::entities::Sector;
use passage_core::{Country, ErrorCode};
use passage_store::{Authority, StoreError};

#[utoipa::path(post, path = "/api/v1/inspections", tag = "inspections",
    summary = "Record a visit of your labour inspectorate to an entity: planned, done or cancelled, joint with other organisations, with the forced-labour indicators and labour-law categories found, the orders issued, the sanction confirmed (it reaches the public recruiter check) and a follow-up visit planned",
    request_body = InspectionInput,
    responses(
        (status = 201, description = "Recorded", body = InspectionCreated),
        crate::kit::responses::Guarded))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<InspectionInput>,
) -> Result<(StatusCode, Json<InspectionCreated>), WebError> {
    state.store.inspection_firewall(&actor).await?;
    let org = actor.org_id();
    let id = state
        .store
        .record_inspection(&Authority::User(actor), org, &body.raw())
        .await?;
    Ok((StatusCode::CREATED, Json(InspectionCreated { id })))
}

#[utoipa::path(get, path = "/api/v1/inspections", tag = "inspections",
    summary = "Your inspectorate's work list: visits planned by date, follow-ups overdue and orders past their deadline",
    responses(
        (status = 200, description = "The work list", body = WorkListView),
        crate::kit::responses::Refusals))]
pub async fn work_list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<WorkListView>, WebError> {
    let list = state.store.inspection_work_list(&actor).await?;
    Ok(Json(WorkListView::from(list)))
}

#[utoipa::path(get, path = "/api/v1/inspections/targets", tag = "inspections",
    summary = "Entities ranked for inspection, highest score first, in a country and a sector when given; each score is the sum of its parts (complaints, null and worth nothing under k; indicators found; licence status; days since the last visit, null when never visited)",
    params(TargetQuery),
    responses(
        (status = 200, description = "Highest score first", body = Vec<TargetItem>),
        crate::kit::responses::Refusals,
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "A country or sector that does not exist", body = crate::kit::ErrorBody)))]
pub async fn targets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<TargetQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<TargetItem>>, WebError> {
    state.store.inspection_firewall(&actor).await?;
    let Query(q) = query.map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidQuery,
            "Use country and sector.",
        )
    })?;
    let (country, sector) = filters(q.country.as_deref(), q.sector.as_deref())?;
    let found = state
        .store
        .inspection_targets(&actor, country, sector)
        .await?;
    Ok(Json(found.iter().map(TargetItem::from).collect()))
}

/// The country and sector of a ranking as typed: empty is none, anything else must exist.
pub(crate) fn filters(
    country: Option<&str>,
    sector: Option<&str>,
) -> Result<(Option<Country>, Option<Sector>), StoreError> {
    let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(Country::parse(c).ok_or_else(|| {
            StoreError::invalid(
                "country",
                ErrorCode::InvalidCountry,
                "country must be an ISO 3166-1 alpha-2 code such as AE",
            )
        })?),
    };
    let sector = match sector.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Sector::read(s).ok_or_else(|| {
            StoreError::invalid(
                "sector",
                ErrorCode::UnknownValue,
                "sector must be an ISIC Rev.4 section, a letter from A to U",
            )
        })?),
    };
    Ok((country, sector))
}

#[utoipa::path(get, path = "/api/v1/inspections/{id}", tag = "inspections",
    summary = "One visit of your inspectorate (or one it was joint with): findings, orders, sanctions, follow-ups, and what complaints say of the entity as counts by category (null under k), never who complained",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The visit", body = InspectionDetail),
        crate::kit::responses::Guarded))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<InspectionDetail>, WebError> {
    let v = state.store.inspection(&actor, id).await?;
    let (_, cells) = state.store.entity_links(&actor, v.entity_id).await?;
    Ok(Json(InspectionDetail::of(v, cells)))
}

#[utoipa::path(post, path = "/api/v1/inspections/{id}/outcome", tag = "inspections",
    summary = "Record what became of a planned visit of your inspectorate: done, with its findings, orders, sanction and follow-up, or cancelled (422 already_done once concluded)",
    params(("id" = uuid::Uuid, Path)),
    request_body = OutcomeInput,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Guarded))]
pub async fn outcome(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<OutcomeInput>,
) -> Result<StatusCode, WebError> {
    state.store.inspection_firewall(&actor).await?;
    state
        .store
        .conclude_inspection(&actor, id, &body.raw())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/inspections/orders/{id}/complied", tag = "inspections",
    summary = "Record the day an order of your inspectorate was complied with: it leaves the work list (422 already_done the second time)",
    params(("id" = uuid::Uuid, Path)),
    request_body = ComplianceInput,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Guarded))]
pub async fn complied(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<ComplianceInput>,
) -> Result<StatusCode, WebError> {
    state.store.inspection_firewall(&actor).await?;
    state
        .store
        .order_complied(&actor, id, &body.complied_on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
