//! The statistics summary as the API answers it; its OpenAPI schema is derived from it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A question to the statistics: what to break cases down by, and the period.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// One to three of: type, stage, status, sex, age, citizenship, country, month (YYYY-MM of
    /// the opening day), comma-separated
    /// (default: type)
    pub by: Option<String>,
    /// First day (YYYY-MM-DD), widened to the start of its month (default: twelve months back)
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), widened to the end of its month and cut at the last month that
    /// has ended (default: the last month that has ended)
    pub to: Option<String>,
    /// Count only this organisation's cases: the caller's own organisation's id, no other
    /// (default: the national figure, every organisation of the caller's country)
    pub org: Option<String>,
    /// `json` (the default) or `csv` (one row per cell: the dimensions, count, suppressed,
    /// from, to, excluded_without_consent)
    pub format: Option<String>,
}

/// Counts of cases opened in whole, ended months, crossed by the dimensions asked for, each
/// count with cell-key noise and every count from 1 to k − 1 suppressed with its complements.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    /// Counts from 1 to k − 1 are suppressed
    pub k: u64,
    /// The period counted (YYYY-MM-DD, whole months)
    pub from: String,
    pub to: String,
    /// The UTC day of the daily release the figures come from (YYYY-MM-DD)
    pub released_on: String,
    pub cells: Vec<Cell>,
    /// Cases of the period left out because their consent or legal basis does not cover
    /// statistics (with the same noise as a cell)
    pub excluded_without_consent: u64,
}

/// One published cell: the count, or null with `suppressed` set.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cell {
    /// The cell's value in each dimension asked for, e.g. {"type":"trafficking"}
    pub key: BTreeMap<String, String>,
    pub count: Option<u64>,
    pub suppressed: bool,
}

impl From<passage_store::stats::Summary> for Summary {
    fn from(s: passage_store::stats::Summary) -> Summary {
        Summary {
            k: s.k,
            from: s.from,
            to: s.to,
            released_on: s.released_on,
            cells: s
                .cells
                .into_iter()
                .map(|c| Cell {
                    key: c.key,
                    count: c.count,
                    suppressed: c.suppressed,
                })
                .collect(),
            excluded_without_consent: s.excluded_without_consent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    /// The answer has the contract's shape: k, cells with key/count/suppressed, and how many
    /// were left out.
    #[test]
    fn the_summary_keeps_the_contract() {
        let s = passage_store::stats::Summary {
            k: 11,
            from: "2026-01-01".into(),
            to: "2026-11-30".into(),
            released_on: "2026-12-07".into(),
            cells: vec![passage_store::stats::Cell {
                key: [("type".to_string(), "trafficking".to_string())].into(),
                count: None,
                suppressed: true,
            }],
            excluded_without_consent: 4,
        };
        let v = to_value(Summary::from(s)).expect("json");
        assert_eq!(v["k"], 11);
        assert_eq!(
            v["cells"],
            json!([{"key": {"type": "trafficking"}, "count": null, "suppressed": true}])
        );
        assert_eq!(v["excluded_without_consent"], 4);
    }
}
