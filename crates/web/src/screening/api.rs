//! Screening: the instruments, and screenings of a case (start, save answers, finish, history,
//! identification from a screening).

use std::collections::BTreeMap;

use crate::AppState;
use crate::kit::WebError;
use crate::kit::error::path_id as id_of;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use passage_core::screening::{Instrument, LANGUAGES};
use passage_store::casework::screening::{NewScreening, Screening};
use serde::Deserialize;
use serde_json::{Value, json};

/// An instrument as the API shows it: everything an interviewer's screen needs.
pub fn instrument_json(i: &Instrument) -> Value {
    json!({
        "id": i.id,
        "version": i.version,
        "population": i.population,
        "exploitation": i.exploitation,
        "title": i.title,
        "source": i.source,
        "ceiling": i.ceiling,
        "languages": LANGUAGES,
        "rule": {"groups": i.rule.groups},
        "dimensions": i.dimensions.iter().map(|d| json!({"id": d.id, "title": d.title})).collect::<Vec<_>>(),
        "indicators": i.indicators.iter().map(|x| json!({
            "id": x.id,
            "dimension": x.dimension,
            "strength": x.strength,
            "question": x.question,
            "guidance": x.guidance,
            "methods_of_control": x.methods_of_control,
        })).collect::<Vec<_>>(),
    })
}

pub async fn instruments(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
) -> Json<Vec<Value>> {
    Json(
        state
            .store
            .instruments()
            .all()
            .map(instrument_json)
            .collect(),
    )
}

/// A screening as the API shows it: the result's fields at the top, as the contract names them.
fn screening_json(s: &Screening) -> Value {
    let mut v = json!({
        "id": s.id,
        "case_id": s.case_id,
        "instrument": s.instrument,
        "instrument_version": s.instrument_version,
        "language": s.language,
        "status": s.status,
        "answers": s.answers,
        "created_by": s.created_by,
        "created_at": s.created_at,
        "completed_at": s.completed_at,
        "version": s.version,
        "conclusion": null,
        "dimensions": [],
        "could_change": [],
    });
    if let (Some(r), Some(obj)) = (&s.result, v.as_object_mut())
        && let Ok(Value::Object(result)) = serde_json::to_value(r)
    {
        obj.extend(result);
    }
    v
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    instrument: String,
    #[serde(default)]
    answers: BTreeMap<String, String>,
    /// The interview language (en, fr, es, ar); English when absent.
    #[serde(default)]
    language: String,
    /// false keeps the screening in progress to go on later; true (the default) finishes it.
    #[serde(default = "yes")]
    complete: bool,
}

fn yes() -> bool {
    true
}

pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CreateBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let new = NewScreening {
        instrument: b.instrument,
        language: b.language,
        answers: b.answers,
        complete: b.complete,
    };
    let s = state
        .store
        .create_screening(&actor, id_of(&id)?, new)
        .await?;
    Ok((StatusCode::CREATED, Json(screening_json(&s))))
}

pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Value>>, WebError> {
    let all = state.store.screenings(&actor, id_of(&id)?).await?;
    Ok(Json(all.iter().map(screening_json).collect()))
}

pub async fn get_one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let s = state.store.screening(&actor, id_of(&id)?).await?;
    Ok(Json(screening_json(&s)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveBody {
    #[serde(default)]
    answers: BTreeMap<String, String>,
    #[serde(default)]
    complete: bool,
    version: i64,
}

pub async fn save(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SaveBody>,
) -> Result<Json<Value>, WebError> {
    let s = state
        .store
        .save_screening(&actor, id_of(&id)?, b.answers, b.complete, b.version)
        .await?;
    Ok(Json(screening_json(&s)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentifyBody {
    /// The case's version as read; absent means "whatever it is now".
    #[serde(default)]
    version: Option<i64>,
}

pub async fn identify(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<IdentifyBody>,
) -> Result<Json<Value>, WebError> {
    let version = state
        .store
        .identify_from_screening(&actor, id_of(&id)?, b.version)
        .await?;
    Ok(Json(
        json!({ "screening": id, "status": "possible_victim", "version": version }),
    ))
}
