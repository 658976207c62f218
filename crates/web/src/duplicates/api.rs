//! Duplicate persons: the organisation's review queue with each score's explanation, merge,
//! "different people", undo a merge, and what a reader of a person may know (a pending review,
//! a merge, a partner that may hold a record), and resolving a partner signal through the
//! person's consent.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::error::path_id as id_of;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::{Path, State};
use passage_core::casework::consent::RawAgreement;
use passage_store::casework::duplicates::{DuplicateCandidate, LinkStatus, Merge, PartnerSignal};
use serde_json::{Value, json};

pub async fn queue(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<DuplicateCandidate>>, WebError> {
    Ok(Json(state.store.duplicate_queue(&actor).await?))
}

pub async fn merge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let merge = state.store.merge_duplicate(&actor, id_of(&id)?).await?;
    Ok(Json(json!({ "merge": merge })))
}

pub async fn dismiss(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    state.store.dismiss_duplicate(&actor, id_of(&id)?).await?;
    Ok(Json(json!({ "id": id, "status": "distinct" })))
}

pub async fn merges(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<Merge>>, WebError> {
    Ok(Json(state.store.merges(&actor).await?))
}

pub async fn undo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    state.store.undo_merge(&actor, id_of(&id)?).await?;
    Ok(Json(json!({ "merge": id, "undone": true })))
}

pub async fn status(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<LinkStatus>, WebError> {
    Ok(Json(
        state.store.person_link_status(&actor, id_of(&id)?).await?,
    ))
}

pub async fn partner_signals(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<PartnerSignal>>, WebError> {
    Ok(Json(
        state.store.partner_signals(&actor, id_of(&id)?).await?,
    ))
}

pub async fn partner_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((person, signal)): Path<(String, String)>,
    ApiJson(body): ApiJson<RawAgreement>,
) -> Result<Json<PartnerSignal>, WebError> {
    let (person, signal) = (id_of(&person)?, id_of(&signal)?);
    let (method, language) = body.validate()?;
    Ok(Json(
        state
            .store
            .consent_partner_signal(&actor, person, signal, method, language)
            .await?,
    ))
}

pub async fn partner_decline(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((person, signal)): Path<(String, String)>,
) -> Result<Json<PartnerSignal>, WebError> {
    let (person, signal) = (id_of(&person)?, id_of(&signal)?);
    Ok(Json(
        state
            .store
            .decline_partner_signal(&actor, person, signal)
            .await?,
    ))
}
