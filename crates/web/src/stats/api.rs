//! The statistics summary over the API.
//! The handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{Summary, SummaryQuery};
use crate::AppState;
use crate::cases::query::bad_query;
use crate::kit::download::{self, Format};
use crate::kit::{ApiActor, ErrorBody, WebError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use passage_core::casework::calendar::Day;
use passage_store::stats::{Dimension, Disclosure, Question};

/// Reads a question; a bad one is 400 `invalid_query` saying what would do.
pub(crate) fn question(q: &SummaryQuery) -> Result<Question, WebError> {
    let names: Vec<&str> = Dimension::ALL.iter().map(|d| d.as_str()).collect();
    let by_text = q.by.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let mut by = Vec::new();
    for part in by_text.unwrap_or("type").split(',').map(str::trim) {
        let Some(d) = Dimension::parse(part) else {
            return Err(bad_query(format!(
                "by takes one to three of {} (comma-separated); '{part}' is not one",
                names.join(", ")
            )));
        };
        if by.contains(&d) {
            return Err(bad_query(format!("by names {part} twice")));
        }
        by.push(d);
    }
    if by.len() > passage_store::stats::DIMENSIONS_MAX {
        return Err(bad_query("by takes at most three dimensions".into()));
    }
    let day = |name: &str, v: Option<&str>| -> Result<Option<Day>, WebError> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(t) => Day::parse(t)
                .map(Some)
                .ok_or_else(|| bad_query(format!("{name} is a day, YYYY-MM-DD; '{t}' is not"))),
        }
    };
    let from = day("from", q.from.as_deref())?;
    let to = day("to", q.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(bad_query("from comes after to".into()));
    }
    let org = match q.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(o) => Some(
            uuid::Uuid::parse_str(o)
                .map_err(|_| bad_query(format!("org is an organisation's id; '{o}' is not")))?,
        ),
    };
    Ok(Question { by, from, to, org })
}

#[utoipa::path(get, path = "/api/v1/stats/summary", tag = "stats",
    summary = "Counts of cases by type, stage, status, sex, age band, citizenship, country or month (one to three crossed), over whole months that have ended, of the caller's organisation (org) or of every organisation of its country: only cases whose consent or basis covers statistics, each count with cell-key noise, counts from 1 to k − 1 suppressed with their complements; the only door analysts and immigration enforcement have",
    params(SummaryQuery),
    responses(
        (status = 200, description = "Success (JSON, or with format=csv a CSV of one row per cell)",
            content((Summary = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A question that cannot be answered (invalid_query)", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Another organisation's figures, whether it exists or not (forbidden)", body = ErrorBody),
        (status = 422, description = "No month of the period has been released (period_not_released)", body = ErrorBody)))]
pub async fn stats_summary(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    q: Result<Query<SummaryQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = q.map_err(|_| bad_query("Use by, from, to, org and format.".into()))?;
    let csv = match q.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(f) => return Err(bad_query(format!("format is json or csv; '{f}' is not"))),
    };
    let question = question(&q)?;
    let summary = state
        .store
        .stats_summary(
            &actor,
            &question,
            Disclosure::published(state.config.stats_k),
        )
        .await?;
    if csv {
        let rows = super::dashboard::summary_sheet_plain(&question.by, &summary);
        return download::respond(Format::Csv, "summary", &rows);
    }
    Ok(Json(Summary::from(summary)).into_response())
}
