//! Persons, cases and statistics.

use super::lifecycle::types::Case;
use super::query::{ListQuery, bad_query, list_query_string};
use super::types::{CaseListItem, Created, NewCase, NewPerson};
use crate::AppState;
use crate::kit::Id;
use crate::kit::WebError;
use crate::kit::{ApiActor, ApiJson, this_year};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::records::{RawCase, RawPerson};
use passage_store::cases::Page;

#[utoipa::path(post, path = "/api/v1/persons", tag = "cases",
    summary = "Register a person in your organisation",
    request_body = NewPerson,
    responses(
        (status = 201, description = "Success", body = Created),
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 401, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 413, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 415, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewPerson>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let person = RawPerson::from(body).validate(this_year())?;
    let id = state.store.create_person(&actor, person).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    summary = "Open a case for a person",
    request_body = NewCase,
    responses(
        (status = 201, description = "Success", body = Created),
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 401, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn create_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewCase>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let case = RawCase::from(body).validate()?;
    let id = state.store.create_case(&actor, case).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
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
    Id(id): Id,
) -> Result<Json<Case>, WebError> {
    // A malformed id is as absent as a forbidden one.
    Ok(Json(state.store.get_case(&actor, id).await?.into()))
}

/// The list stays a JSON array; paging is in a `Link` header (RFC 8288) with `rel="next"` when
/// the next page has cases and `rel="prev"` when this is not the first page. No total count:
/// counting every match would read every matching case.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    summary = "Cases you may see, newest first; q searches the person's name (prefixes or variant spellings, any order, case and accents ignored)",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of cases (a JSON array)", body = Vec<CaseListItem>,
            headers(("Link" = String, description = "Paging (RFC 8288): `</api/v1/cases?…&offset=N>; rel=\"next\"` when the next page has cases, `rel=\"prev\"` after the first page; the filters are kept. No total count is given."))),
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 401, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 403, description = "Structured error", body = crate::kit::ErrorBody),
        (status = 422, description = "Structured error", body = crate::kit::ErrorBody)))]
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
    let items: Vec<CaseListItem> = listed.items.into_iter().map(CaseListItem::from).collect();
    let mut res = Json(items).into_response();
    if !links.is_empty()
        && let Ok(v) = HeaderValue::from_str(&links.join(", "))
    {
        res.headers_mut().insert(header::LINK, v);
    }
    Ok(res)
}
