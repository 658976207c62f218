//! The record of statistics releases: every export written (HTCDS with its k, CTDC with its ε
//! and marginals) and what each dataset's privacy budget has left — for readers of statistics,
//! over the API and as a page. Ids, kinds, periods and parameters only: nothing about a person.

use crate::AppState;
use crate::kit::{ApiActor, ErrorBody, Nav, UiSession, WebError, page};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

/// Every release and every dataset's budget.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Releases {
    /// Newest first
    pub releases: Vec<Release>,
    /// Datasets that spent epsilon, with their budget
    pub datasets: Vec<DatasetBudget>,
}

/// One release.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Release {
    pub id: String,
    /// htcds or ctdc
    pub kind: String,
    /// The dataset: kind and months, e.g. ctdc:2025-01..2025-12 or ctdc:all
    pub dataset: String,
    /// First month (YYYY-MM), empty when open
    pub period_from: String,
    /// Last month (YYYY-MM), empty when open
    pub period_to: String,
    /// Epsilon spent (decimal), null for a release that spends none
    pub epsilon: Option<String>,
    /// The parameters as recorded (JSON text: k, epsilon per query, marginals, columns)
    pub parameters: String,
    pub rows_written: u64,
    /// Unix milliseconds
    pub released_at: i64,
}

/// A dataset's privacy budget.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetBudget {
    pub dataset: String,
    /// Epsilon the dataset may spend in all (decimal)
    pub budget: String,
    /// Epsilon spent by releases over overlapping months of the same kind (decimal)
    pub used: String,
    /// Epsilon left (decimal)
    pub left: String,
}

impl From<passage_store::stats::Releases> for Releases {
    fn from(r: passage_store::stats::Releases) -> Releases {
        Releases {
            releases: r
                .releases
                .into_iter()
                .map(|x| Release {
                    id: x.id,
                    kind: x.kind,
                    dataset: x.dataset,
                    period_from: x.period_from,
                    period_to: x.period_to,
                    epsilon: x.epsilon,
                    parameters: x.parameters,
                    rows_written: x.rows_written,
                    released_at: x.released_at,
                })
                .collect(),
            datasets: r
                .datasets
                .into_iter()
                .map(|d| DatasetBudget {
                    dataset: d.dataset,
                    budget: d.budget,
                    used: d.used,
                    left: d.left,
                })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/stats/releases", tag = "stats",
    summary = "Every statistics release written (HTCDS exports with their k, CTDC synthetic releases with their epsilon and marginals), newest first, and each dataset's privacy budget used and left; ids and parameters only",
    responses(
        (status = 200, description = "Success", body = Releases),
        (status = 401, description = "Structured error", body = ErrorBody)))]
pub async fn stats_releases(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Releases>, WebError> {
    Ok(Json(state.store.stats_releases(&actor).await?.into()))
}

/// One release as the page shows it.
struct Row {
    kind: String,
    dataset: String,
    period: String,
    epsilon: String,
    parameters: Vec<(String, String)>,
    rows: u64,
    when: String,
}

#[derive(Template)]
#[template(path = "stats_releases.html")]
struct ReleasesPage {
    nav: Nav,
    releases: Vec<Row>,
    datasets: Vec<DatasetBudget>,
}

/// The parameters of a release as (name, value) pairs: a list is joined, an object skipped.
fn parameters(json: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| {
            let shown = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => return None,
            };
            Some((k, shown))
        })
        .collect()
}

pub async fn page_releases(
    State(state): State<AppState>,
    s: UiSession,
) -> Result<Response, WebError> {
    let list = state.store.stats_releases(&s.session.actor).await?;
    let nav = Nav::of(&state, &s).await?;
    let open = nav.t("staff-releases-open");
    let releases = list
        .releases
        .into_iter()
        .map(|r| Row {
            kind: nav.t(&format!("staff-releases-kind-{}", r.kind)),
            period: match (r.period_from.is_empty(), r.period_to.is_empty()) {
                (true, true) => nav.t("staff-releases-all"),
                _ => format!(
                    "{} – {}",
                    if r.period_from.is_empty() {
                        &open
                    } else {
                        &r.period_from
                    },
                    if r.period_to.is_empty() {
                        &open
                    } else {
                        &r.period_to
                    }
                ),
            },
            epsilon: r
                .epsilon
                .unwrap_or_else(|| nav.t("staff-releases-no-epsilon")),
            parameters: parameters(&r.parameters)
                .into_iter()
                .map(|(k, v)| {
                    let label = nav.t(&format!("staff-releases-param-{}", k.replace('_', "-")));
                    let value = if k == "noise" {
                        nav.t(&format!("staff-releases-noise-{}", v.replace('_', "-")))
                    } else {
                        v
                    };
                    (label, value)
                })
                .collect(),
            rows: r.rows_written,
            when: nav.when(r.released_at),
            dataset: r.dataset,
        })
        .collect();
    let datasets = Releases::from(passage_store::stats::Releases {
        releases: Vec::new(),
        datasets: list.datasets,
    })
    .datasets;
    Ok(page(&ReleasesPage {
        nav,
        releases,
        datasets,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_listed_by_name() {
        let p = parameters(r#"{"k":11,"columns":["a","b"],"epsilon":"0.5","x":{"y":1}}"#);
        assert!(p.contains(&("k".into(), "11".into())));
        assert!(p.contains(&("columns".into(), "a, b".into())));
        assert!(p.contains(&("epsilon".into(), "0.5".into())));
        assert_eq!(p.len(), 3);
        assert!(parameters("not json").is_empty());
    }
}
