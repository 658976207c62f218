//! The case list's query, shared by the API list and the list page: filters by vocabulary
//! spelling (a 400 names what is allowed) and the query string of another page.

use crate::kit::WebError;
use axum::http::StatusCode;
use passage_core::casework::RiskLevel;
use passage_core::{CaseStatus, CaseType, Stage};
use passage_store::cases::Page;
use passage_store::casework::filters::CaseFilter;
use serde::Deserialize;

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    q: Option<String>,
    #[param(schema_with = crate::kit::schema::case_status)]
    status: Option<String>,
    #[serde(rename = "type")]
    #[param(schema_with = crate::kit::schema::case_type)]
    case_type: Option<String>,
    #[param(schema_with = crate::kit::schema::stage)]
    stage: Option<String>,
    #[param(schema_with = crate::kit::schema::risk_level)]
    risk: Option<String>,
    /// true: only cases with an open task past its due date
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    /// me: only cases assigned to you
    #[param(schema_with = assigned_me)]
    assigned: Option<String>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub(crate) limit: Option<i64>,
    #[param(minimum = 0, default = 0)]
    pub(crate) offset: Option<i64>,
}

fn assigned_me() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["me"])
}

pub(crate) fn bad_query(message: String) -> WebError {
    WebError::new(
        StatusCode::BAD_REQUEST,
        passage_core::ErrorCode::InvalidQuery,
        message,
    )
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
