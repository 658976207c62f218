//! The erasure and legal-hold API. Each handler's `#[utoipa::path]` is its part of the
//! OpenAPI document.

use super::types::{Erase, Erased, ErasureState, Hold};
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ApiJson, WebError};
use axum::Json;
use axum::extract::State;
use passage_core::ErrorCode;
use passage_core::validate::Problems;

#[utoipa::path(get, path = "/api/v1/cases/{id}/erasure", tag = "erasure",
    summary = "Whether the case is under a legal hold and whether its person was erased",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The state", body = ErasureState),
        crate::kit::responses::Reads))]
pub async fn state(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<ErasureState>, WebError> {
    Ok(Json(state.store.erasure_state(&actor, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/legal-hold", tag = "erasure",
    summary = "Set or lift the case's legal hold (a supervisor of the case's organisation)",
    params(("id" = uuid::Uuid, Path)),
    request_body = Hold,
    responses(
        (status = 200, description = "The state", body = ErasureState),
        crate::kit::responses::Writes))]
pub async fn hold(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<Hold>,
) -> Result<Json<ErasureState>, WebError> {
    state.store.set_legal_hold(&actor, id, b.hold).await?;
    Ok(Json(state.store.erasure_state(&actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/erase-person", tag = "erasure",
    summary = "Erase the person of the case: their data key is destroyed, their identity, documents, search terms, linkage keys and files deleted, the case's free text emptied; refused under a legal hold (`legal_hold`)",
    params(("id" = uuid::Uuid, Path)),
    request_body = Erase,
    responses(
        (status = 200, description = "Erased", body = Erased),
        crate::kit::responses::Writes))]
pub async fn erase(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<Erase>,
) -> Result<Json<Erased>, WebError> {
    if !b.confirm {
        let mut p = Problems::default();
        p.add(
            "confirm",
            ErrorCode::Required,
            "confirm that the person's data is to be erased for good",
        );
        return Err(p.into());
    }
    Ok(Json(
        state
            .store
            .erase_person(&actor, id, &b.reason)
            .await?
            .into(),
    ))
}
