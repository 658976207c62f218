//! The response type of the statistics summary, owned by the API; its OpenAPI schema is derived
//! from it.

use serde::Serialize;
use utoipa::ToSchema;

/// Counts by case type and stage from the day's release, small cells suppressed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    /// Counts below this are suppressed
    pub min_cell: u64,
    /// The UTC day of the daily release these figures come from (YYYY-MM-DD)
    pub released_on: String,
    /// When the release was cut (milliseconds since the Unix epoch): figures are as of then
    pub as_of: i64,
    pub by_type: Vec<Cell>,
    pub by_stage: Vec<Cell>,
}

/// One published cell: the count, or null with `suppressed` set when it is too small.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cell {
    pub key: String,
    pub count: Option<u64>,
    pub suppressed: bool,
}

impl From<passage_core::stats::Cell> for Cell {
    fn from(c: passage_core::stats::Cell) -> Cell {
        Cell {
            key: c.key,
            count: c.count,
            suppressed: c.suppressed,
        }
    }
}

impl From<passage_store::stats::Summary> for Summary {
    fn from(s: passage_store::stats::Summary) -> Summary {
        Summary {
            min_cell: s.min_cell,
            released_on: s.released_on,
            as_of: s.as_of,
            by_type: s.by_type.into_iter().map(Cell::from).collect(),
            by_stage: s.by_stage.into_iter().map(Cell::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::to_value;

    /// The summary serialises exactly as the store value it replaced.
    #[test]
    fn summary_serialises_as_the_store_value() {
        let cell = |key: &str, count: Option<u64>| passage_core::stats::Cell {
            key: key.into(),
            count,
            suppressed: count.is_none(),
        };
        let s = passage_store::stats::Summary {
            min_cell: 5,
            released_on: "2026-12-06".into(),
            as_of: 1_765_000_000_000,
            by_type: vec![cell("trafficking", Some(7)), cell("detention", None)],
            by_stage: vec![cell("transit", Some(0))],
        };
        assert_eq!(
            to_value(Summary::from(s.clone())).expect("web"),
            to_value(s).expect("store")
        );
    }
}
