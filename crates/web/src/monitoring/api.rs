//! The monitoring views and visits over the API. The figures are counts only, each under k
//! suppressed; immigration enforcement is 403 `immigration_firewall` on every route.

use super::types::{FiguresView, VisitDetail, VisitInput, VisitItem};
use crate::AppState;
use crate::incidents::query;
use crate::incidents::types::{IncidentCreated, IncidentQuery};
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_core::monitoring::IncidentAction;
use passage_store::{Authority, StoreError};

#[utoipa::path(get, path = "/api/v1/monitoring", tag = "incidents",
    summary = "Incidents of every organisation in a country (yours when not given) between two days (the last twelve months when not given), counted by region, month, kind, bias motive, place type and perpetrator type: each count under k is null and suppressed, a second one with it when a dimension would hide only one, and no total (supervisors and analysts of organisations that record incidents, a ministry's analysts)",
    params(IncidentQuery),
    responses(
        (status = 200, description = "The figures", body = FiguresView),
        crate::kit::responses::Refusals,
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "A country or a day that does not exist", body = crate::kit::ErrorBody)))]
pub async fn figures(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    q: Result<Query<IncidentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<FiguresView>, WebError> {
    state
        .store
        .incident_firewall(&actor, IncidentAction::Monitor)
        .await?;
    let filter = query(q)?.raw().validate().map_err(StoreError::Invalid)?;
    let f = state
        .store
        .monitoring_figures(&actor, &filter, state.config.min_cell)
        .await?;
    Ok(Json(FiguresView::from(&f)))
}

#[utoipa::path(post, path = "/api/v1/monitoring/visits", tag = "incidents",
    summary = "Record a monitoring visit to a detention centre or a forced-return operation, with its findings (sealed); incidents seen there are recorded with its `visit_id`",
    request_body = VisitInput,
    responses(
        (status = 201, description = "Recorded", body = IncidentCreated),
        crate::kit::responses::Guarded))]
pub async fn create_visit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<VisitInput>,
) -> Result<(StatusCode, Json<IncidentCreated>), WebError> {
    state
        .store
        .incident_firewall(&actor, IncidentAction::Record)
        .await?;
    let org = actor.org_id();
    let id = state
        .store
        .record_visit(&Authority::User(actor), org, &body.raw())
        .await?;
    Ok((StatusCode::CREATED, Json(IncidentCreated { id })))
}

#[utoipa::path(get, path = "/api/v1/monitoring/visits", tag = "incidents",
    summary = "Your organisation's monitoring visits, latest first",
    responses(
        (status = 200, description = "Latest first", body = Vec<VisitItem>),
        crate::kit::responses::Refusals))]
pub async fn visits(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<VisitItem>>, WebError> {
    let list = state.store.monitoring_visits(&actor).await?;
    Ok(Json(list.iter().map(VisitItem::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/monitoring/visits/{id}", tag = "incidents",
    summary = "One monitoring visit of your organisation with its findings and the incidents recorded from it",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The visit", body = VisitDetail),
        crate::kit::responses::Guarded))]
pub async fn visit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<VisitDetail>, WebError> {
    let v = state.store.monitoring_visit(&actor, id).await?;
    Ok(Json(VisitDetail::from(&v)))
}
