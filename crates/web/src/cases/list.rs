//! The case list: name search, filters (status, type, stage, risk, overdue, assigned to me) and
//! pages, all in the query string so every view is a link and works without JavaScript.

use super::query::ListQuery;
use crate::AppState;
use crate::kit::UiError;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::casework::RiskLevel;
use passage_core::{CaseStatus, CaseType, Stage};
use passage_store::StoreError;
use passage_store::cases::Page;
use uuid::Uuid;

const PER_PAGE: i64 = 50;

pub struct Row {
    id: Uuid,
    person_name: String,
    types: String,
    stage: String,
    status: String,
    opened: String,
}

/// A select's options: (value, shown, selected).
type Options = Vec<(&'static str, bool)>;

#[derive(Template)]
#[template(path = "cases.html")]
struct ListPage {
    nav: Nav,
    q: String,
    statuses: Options,
    types: Options,
    stages: Options,
    risks: Options,
    overdue: bool,
    mine: bool,
    items: Vec<Row>,
    errors: Vec<UiError>,
    page_no: i64,
    prev: Option<String>,
    next: Option<String>,
}

fn options<T: Copy + PartialEq>(
    all: &[T],
    chosen: Option<T>,
    name: fn(T) -> &'static str,
) -> Options {
    all.iter().map(|v| (name(*v), chosen == Some(*v))).collect()
}

/// The query string of this view at another offset.
fn link(pairs: &[(&str, String)], offset: i64) -> String {
    let mut out = url_pairs(pairs);
    if offset > 0 {
        out.push(format!("offset={offset}"));
    }
    format!("/cases?{}", out.join("&"))
}

fn url_pairs(pairs: &[(&str, String)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    s: UiSession,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    // A bad filter is named in an error summary linked to its field ("risk must be one of: …").
    let (filter, mut error) = match query.filter() {
        Ok(f) => (f, None),
        Err(e) => {
            let message = e.message().to_string();
            let field = ["status", "type", "stage", "risk", "overdue", "assigned"]
                .into_iter()
                .find(|f| message.starts_with(&format!("{f} must ")))
                .unwrap_or("q");
            (
                Default::default(),
                Some(UiError {
                    code: None,
                    anchor: field.to_string(),
                    message,
                }),
            )
        }
    };
    let offset = query.offset().max(0);
    let q: String = filter
        .q
        .clone()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let (items, has_more) = match state
        .store
        .search_cases_page(
            &s.session.actor,
            &filter,
            Page {
                limit: PER_PAGE,
                offset,
            },
        )
        .await
    {
        Ok(page) => (page.items, page.has_more),
        Err(StoreError::Invalid(p)) => {
            error = p.0.first().map(|e| UiError {
                code: None,
                anchor: e.field.clone(),
                message: e.message.clone(),
            });
            (Vec::new(), false)
        }
        Err(e) => return Err(e.into()),
    };
    let pairs = [
        ("q", q.clone()),
        (
            "status",
            filter
                .status
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
        ),
        (
            "type",
            filter
                .case_type
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
        ),
        (
            "stage",
            filter
                .stage
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
        ),
        (
            "risk",
            filter
                .risk
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
        ),
        (
            "overdue",
            if filter.overdue {
                "true".into()
            } else {
                String::new()
            },
        ),
        (
            "assigned",
            if filter.assigned_to_me {
                "me".into()
            } else {
                String::new()
            },
        ),
    ];
    let rows = items
        .into_iter()
        .map(|c| Row {
            id: c.id,
            person_name: c.person_name,
            types: nav.labels("case_type", &c.types),
            stage: nav.label("stage", c.stage.as_str()),
            status: nav.label("case_status", c.status.as_str()),
            opened: nav.when(c.created_at),
        })
        .collect();
    Ok(page(&ListPage {
        nav,
        q,
        statuses: options(CaseStatus::ALL, filter.status, CaseStatus::as_str),
        types: options(CaseType::ALL, filter.case_type, CaseType::as_str),
        stages: options(Stage::ALL, filter.stage, Stage::as_str),
        risks: options(RiskLevel::ALL, filter.risk, RiskLevel::as_str),
        overdue: filter.overdue,
        mine: filter.assigned_to_me,
        items: rows,
        errors: error.into_iter().collect(),
        page_no: offset / PER_PAGE + 1,
        prev: (offset > 0).then(|| link(&pairs, (offset - PER_PAGE).max(0))),
        next: has_more.then(|| link(&pairs, offset + PER_PAGE)),
    }))
}
