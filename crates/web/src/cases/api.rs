//! Persons, cases and statistics.

use super::lifecycle::types::Case;
use super::query::{ListQuery, bad_query, list_query_string};
use crate::AppState;
use crate::kit::WebError;
use crate::kit::{ApiActor, ApiJson, this_year};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::records::{RawCase, RawPerson};
use passage_store::cases::Page;
use serde_json::{Value, json};
use uuid::Uuid;

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

/// Documented with the lifecycle, whose `Case` it answers.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "lifecycle",
    summary = "A case, its person, its lifecycle and its deadlines (audited)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Case),
        (status = 401, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 404, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Case>, WebError> {
    // A malformed id is as absent as a forbidden one.
    let id = Uuid::parse_str(&id).map_err(|_| WebError::not_found())?;
    Ok(Json(state.store.get_case(&actor, id).await?.into()))
}

/// The list stays a JSON array; paging is in a `Link` header (RFC 8288) with `rel="next"` when
/// the next page has cases and `rel="prev"` when this is not the first page. No total count:
/// counting every match would read every matching case.
pub async fn list_cases(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|_| {
        bad_query("Use q (a name), status, type, stage, risk, overdue=true, assigned=me, limit (1–200) and offset (0 or more).".into())
    })?;
    let page = Page {
        limit: q.limit.unwrap_or(50),
        offset: q.offset.unwrap_or(0),
    };
    if !(1..=200).contains(&page.limit) || page.offset < 0 {
        return Err(bad_query(
            "limit must be 1–200 and offset 0 or more.".into(),
        ));
    }
    let filter = q.filter()?;
    let listed = state.store.search_cases_page(&actor, &filter, page).await?;
    let link = |offset: i64, rel: &str| {
        format!(
            "</api/v1/cases?{}>; rel=\"{rel}\"",
            list_query_string(&filter, page.limit, offset)
        )
    };
    let mut links = Vec::new();
    if page.offset > 0 {
        links.push(link((page.offset - page.limit).max(0), "prev"));
    }
    if listed.has_more {
        links.push(link(page.offset + page.limit, "next"));
    }
    let mut res = Json(listed.items).into_response();
    if !links.is_empty()
        && let Ok(v) = HeaderValue::from_str(&links.join(", "))
    {
        res.headers_mut().insert(header::LINK, v);
    }
    Ok(res)
}
