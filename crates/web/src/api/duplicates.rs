//! Duplicate persons: the organisation's review queue with each score's explanation, merge,
//! "different people", undo a merge, and what a reader of a person may know (a pending review,
//! a merge, a partner that may hold a record), and resolving a partner signal through the
//! person's consent.

use crate::extract::{ApiActor, ApiJson};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use passage_core::casework::ConsentMethod;
use passage_core::casework::person::language_code;
use passage_core::validate::Problems;
use passage_store::casework::duplicates::{DuplicateCandidate, LinkStatus, Merge, PartnerSignal};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

fn id_of(id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::not_found())
}

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

/// How the person's agreement to be connected with a partner was given.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PartnerConsent {
    #[serde(default)]
    method: String,
    #[serde(default)]
    language: Option<String>,
}

impl PartnerConsent {
    /// The method (verbal, written or digital) and an optional ISO 639 language.
    pub(crate) fn validate(self) -> Result<(ConsentMethod, Option<String>), WebError> {
        let mut p = Problems::default();
        let method = ConsentMethod::parse(self.method.trim());
        if method.is_none() {
            p.add(
                "method",
                "invalid_value",
                format!(
                    "method must say how the person agreed: {}",
                    ConsentMethod::allowed()
                ),
            );
        }
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) => language_code(l).or_else(|| {
                p.add(
                    "language",
                    "invalid_value",
                    "language must be an ISO 639 code such as en, fr, ar or tl",
                );
                None
            }),
        };
        match method {
            Some(m) if p.0.is_empty() => Ok((m, language)),
            _ => Err(p.into()),
        }
    }
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
    ApiJson(body): ApiJson<PartnerConsent>,
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
