//! Aggregate statistics: the only case information every role, and immigration enforcement,
//! may obtain. Counts only, small cells suppressed in core.

use crate::{Actor, Store, StoreError};
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::stats::{Cell, suppress};
use passage_core::{CaseType, Stage};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub min_cell: u64,
    pub by_type: Vec<Cell>,
    pub by_stage: Vec<Cell>,
}

impl Store {
    pub async fn stats_summary(&self, actor: &Actor, min_cell: u64) -> Result<Summary, StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadStatistics,
            Relation::Unrelated,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        let by_type: Vec<(String, i64)> =
            sqlx::query_as("SELECT case_type, COUNT(*) FROM case_types GROUP BY case_type")
                .fetch_all(&self.pool)
                .await?;
        let by_stage: Vec<(String, i64)> =
            sqlx::query_as("SELECT stage, COUNT(*) FROM cases GROUP BY stage")
                .fetch_all(&self.pool)
                .await?;
        let full = |keys: Vec<&'static str>, counts: &[(String, i64)]| -> Vec<(String, u64)> {
            keys.into_iter()
                .map(|k| {
                    (
                        k.to_string(),
                        counts
                            .iter()
                            .find(|(c, _)| c == k)
                            .map_or(0, |(_, n)| (*n).max(0) as u64),
                    )
                })
                .collect()
        };
        Ok(Summary {
            min_cell,
            by_type: suppress(
                &full(CaseType::ALL.iter().map(|t| t.as_str()).collect(), &by_type),
                min_cell,
            ),
            by_stage: suppress(
                &full(Stage::ALL.iter().map(|s| s.as_str()).collect(), &by_stage),
                min_cell,
            ),
        })
    }
}
