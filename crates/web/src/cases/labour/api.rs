//! What happened to the worker on a case, and their claims. Each handler's `#[utoipa::path]`
//! is its part of the OpenAPI document. Bad input is a 422 naming each field, nothing written.

use super::types::{
    Claim, ClaimChange, ClaimChanged, Contracts, Debt, Fee, NewClaim, NewContract, NewDebt, NewFee,
    NewWages, Recorded, Wages,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError, today};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::labour::remedies::RawClaim;
use passage_core::labour::worker::{RawContract, RawDebt, RawFee, RawWages};
use passage_store::StoreError;
use uuid::Uuid;

type Created = (StatusCode, Json<Recorded>);

fn created(id: Uuid) -> Created {
    (StatusCode::CREATED, Json(Recorded { id }))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/labour/fees", tag = "labour",
    summary = "Recruitment fees and costs the worker paid, oldest first",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Fees", body = Vec<Fee>), crate::kit::responses::Reads))]
pub async fn fees(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Fee>>, WebError> {
    let a = state.store.worker_account(&actor, id).await?;
    Ok(Json(a.fees.iter().map(Fee::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/labour/fees", tag = "labour",
    summary = "Record a recruitment fee or cost the worker paid (the case's own organisation); it supports the screening's recruitment-fee indicator",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewFee,
    responses((status = 201, description = "Recorded", body = Recorded), crate::kit::responses::Changes))]
pub async fn record_fee(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewFee>,
) -> Result<Created, WebError> {
    let fee = RawFee::from(body).validate(today(&state))?;
    Ok(created(
        state.store.record_labour_fee(&actor, id, fee).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/labour/debts", tag = "labour",
    summary = "Debts the worker owes, oldest first",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Debts", body = Vec<Debt>), crate::kit::responses::Reads))]
pub async fn debts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Debt>>, WebError> {
    let a = state.store.worker_account(&actor, id).await?;
    Ok(Json(a.debts.iter().map(Debt::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/labour/debts", tag = "labour",
    summary = "Record a debt the worker owes (the case's own organisation)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewDebt,
    responses((status = 201, description = "Recorded", body = Recorded), crate::kit::responses::Changes))]
pub async fn record_debt(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewDebt>,
) -> Result<Created, WebError> {
    let debt = RawDebt::from(body).validate()?;
    Ok(created(
        state.store.record_labour_debt(&actor, id, debt).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/labour/contracts", tag = "labour",
    summary = "The contract promised and the contract found, with the terms that differ (contract substitution)",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Contracts", body = Contracts), crate::kit::responses::Reads))]
pub async fn contracts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Contracts>, WebError> {
    let a = state.store.worker_account(&actor, id).await?;
    Ok(Json(Contracts::from(&a)))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/labour/contracts", tag = "labour",
    summary = "Record the contract promised or the contract found (the latest of each counts; the case's own organisation)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewContract,
    responses((status = 201, description = "Recorded", body = Recorded), crate::kit::responses::Changes))]
pub async fn record_contract(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewContract>,
) -> Result<Created, WebError> {
    let contract = RawContract::from(body).validate()?;
    Ok(created(
        state
            .store
            .record_labour_contract(&actor, id, contract)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/labour/wages", tag = "labour",
    summary = "Wages owed to the worker, oldest first",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Wages owed", body = Vec<Wages>), crate::kit::responses::Reads))]
pub async fn wages(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Wages>>, WebError> {
    let a = state.store.worker_account(&actor, id).await?;
    Ok(Json(a.wages.iter().map(Wages::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/labour/wages", tag = "labour",
    summary = "Record wages owed to the worker for a period (the case's own organisation)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewWages,
    responses((status = 201, description = "Recorded", body = Recorded), crate::kit::responses::Changes))]
pub async fn record_wages(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewWages>,
) -> Result<Created, WebError> {
    let wages = RawWages::from(body).validate(today(&state))?;
    Ok(created(
        state.store.record_labour_wages(&actor, id, wages).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/labour/claims", tag = "labour",
    summary = "Wage and compensation claims, with stage, amounts and deadline, oldest first",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Claims", body = Vec<Claim>), crate::kit::responses::Reads))]
pub async fn claims(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Claim>>, WebError> {
    let a = state.store.worker_account(&actor, id).await?;
    Ok(Json(a.claims.iter().map(Claim::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/labour/claims", tag = "labour",
    summary = "Record a wage or compensation claim, at stage preparing (the case's own organisation)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewClaim,
    responses((status = 201, description = "Recorded", body = Recorded), crate::kit::responses::Changes))]
pub async fn record_claim(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewClaim>,
) -> Result<Created, WebError> {
    let claim = RawClaim::from(body).validate()?;
    Ok(created(
        state.store.record_labour_claim(&actor, id, claim).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/labour/claims/{claim}", tag = "labour",
    summary = "Move a claim to its next stage, record what was recovered or set its deadline, with the version you read (409 version_conflict otherwise; 422 transition_not_allowed for a move back)",
    params(("id" = uuid::Uuid, Path), ("claim" = uuid::Uuid, Path)),
    request_body = ClaimChange,
    responses((status = 200, description = "Changed", body = ClaimChanged), crate::kit::responses::Writes))]
pub async fn change_claim(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, claim)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<ClaimChange>,
) -> Result<Json<ClaimChanged>, WebError> {
    let Some(version) = body.version else {
        return Err(StoreError::invalid(
            "version",
            passage_core::ErrorCode::Required,
            "send the version of the claim you read",
        )
        .into());
    };
    let version = state
        .store
        .change_labour_claim(&actor, id, claim, version, body.raw())
        .await?;
    Ok(Json(ClaimChanged { version }))
}
