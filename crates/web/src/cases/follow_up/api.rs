//! Follow-up visits after closure and their sustainability check.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::error::path_id as id_of;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::{Path, State};
use passage_store::casework::follow_up::{FollowUp, Visit};
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<FollowUp>>, WebError> {
    Ok(Json(state.store.follow_ups(&actor, id_of(&id)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitBody {
    done_on: String,
    economic: i64,
    social: i64,
    psychosocial: i64,
    #[serde(default)]
    note: Option<String>,
    version: i64,
}

pub async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<VisitBody>,
) -> Result<Json<Value>, WebError> {
    let visit = Visit {
        done_on: b.done_on,
        economic: b.economic.to_string(),
        social: b.social.to_string(),
        psychosocial: b.psychosocial.to_string(),
        note: b.note,
        version: b.version,
    };
    let version = state
        .store
        .record_follow_up(&actor, id_of(&id)?, visit)
        .await?;
    Ok(Json(json!({ "id": id, "version": version })))
}
