//! Persons, cases and statistics.

use crate::extract::{ApiActor, ApiJson};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use passage_core::records::{RawCase, RawPerson};
use passage_store::cases::{CaseListItem, CaseView, Page};
use passage_store::stats::Summary;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

/// The current year, the upper bound of a date of birth.
pub fn this_year() -> u16 {
    time::OffsetDateTime::now_utc().year().clamp(1900, 9999) as u16
}

pub async fn create_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(raw): ApiJson<RawPerson>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let person = raw.validate(this_year())?;
    let id = state.store.create_person(&actor, person).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn create_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(raw): ApiJson<RawCase>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let case = raw.validate()?;
    let id = state.store.create_case(&actor, case).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn get_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, WebError> {
    // A malformed id is as absent as a forbidden one.
    let id = Uuid::parse_str(&id).map_err(|_| WebError::not_found())?;
    Ok(Json(state.store.get_case(&actor, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

pub async fn list_cases(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<CaseListItem>>, WebError> {
    let Query(q) = query.map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "Use q (a name), limit (1–200) and offset (0 or more).",
        )
    })?;
    let page = Page {
        limit: q.limit.unwrap_or(50),
        offset: q.offset.unwrap_or(0),
    };
    if !(1..=200).contains(&page.limit) || page.offset < 0 {
        return Err(WebError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "limit must be 1–200 and offset 0 or more.",
        ));
    }
    Ok(Json(
        state.store.list_cases(&actor, q.q.as_deref(), page).await?,
    ))
}

pub async fn stats_summary(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Summary>, WebError> {
    Ok(Json(
        state
            .store
            .stats_summary(&actor, state.config.min_cell)
            .await?,
    ))
}
