//! Persons, cases and statistics.

use crate::extract::{ApiActor, ApiJson};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::casework::RiskLevel;
use passage_core::records::{RawCase, RawPerson};
use passage_core::{CaseStatus, CaseType, Stage};
use passage_store::cases::{CaseView, Page};
use passage_store::casework::filters::CaseFilter;
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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    status: Option<String>,
    #[serde(rename = "type")]
    case_type: Option<String>,
    stage: Option<String>,
    risk: Option<String>,
    overdue: Option<String>,
    assigned: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

fn bad_query(message: String) -> WebError {
    WebError::new(StatusCode::BAD_REQUEST, "invalid_query", message)
}

/// Parses one vocabulary filter; empty means no filter.
fn vocab<T>(
    name: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    allowed: fn() -> String,
) -> Result<Option<T>, WebError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| bad_query(format!("{name} must be one of: {}", allowed()))),
    }
}

impl ListQuery {
    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0)
    }

    /// The filter, or a 400 that names what is allowed.
    pub fn filter(&self) -> Result<CaseFilter, WebError> {
        let flag = |name: &str, value: Option<&str>, yes: &str| match value.map(str::trim) {
            None | Some("") | Some("false") => Ok(false),
            Some(v) if v == yes => Ok(true),
            Some(_) => Err(bad_query(format!("{name} must be {yes}"))),
        };
        Ok(CaseFilter {
            q: self.q.clone().filter(|q| !q.trim().is_empty()),
            status: vocab(
                "status",
                self.status.as_deref(),
                CaseStatus::parse,
                CaseStatus::allowed,
            )?,
            case_type: vocab(
                "type",
                self.case_type.as_deref(),
                CaseType::parse,
                CaseType::allowed,
            )?,
            stage: vocab("stage", self.stage.as_deref(), Stage::parse, Stage::allowed)?,
            risk: vocab(
                "risk",
                self.risk.as_deref(),
                RiskLevel::parse,
                RiskLevel::allowed,
            )?,
            overdue: flag("overdue", self.overdue.as_deref(), "true")?,
            assigned_to_me: flag("assigned", self.assigned.as_deref(), "me")?,
        })
    }
}

/// The query string of a case list with `filter` at `offset`: vocabulary spellings, the name
/// query encoded, the limit when not the default. Used for the `Link` header of the API list.
pub fn list_query_string(filter: &CaseFilter, limit: i64, offset: i64) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = &filter.q {
        out.append_pair("q", q);
    }
    let pairs = [
        ("status", filter.status.map(CaseStatus::as_str)),
        ("type", filter.case_type.map(CaseType::as_str)),
        ("stage", filter.stage.map(Stage::as_str)),
        ("risk", filter.risk.map(RiskLevel::as_str)),
        ("overdue", filter.overdue.then_some("true")),
        ("assigned", filter.assigned_to_me.then_some("me")),
    ];
    for (k, v) in pairs {
        if let Some(v) = v {
            out.append_pair(k, v);
        }
    }
    if limit != Page::default().limit {
        out.append_pair("limit", &limit.to_string());
    }
    if offset > 0 {
        out.append_pair("offset", &offset.to_string());
    }
    out.finish()
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
