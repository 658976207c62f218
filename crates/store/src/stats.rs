//! Aggregate statistics: the only case information every role, and immigration enforcement,
//! may obtain. Counts only, small cells suppressed in core.
//!
//! Figures are published as a daily release: the counts are cut once per UTC day, at the
//! first request of the day, and every reader gets that cut until the next day. Live counts
//! would let someone who knows of one person's case (an immigration-enforcement user, say) poll
//! a suppressed cell before and after a change and watch that one case move.

use crate::{Actor, Store, StoreError};
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::stats::{Cell, suppress};
use passage_core::{CaseType, Stage};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub min_cell: u64,
    /// The UTC day of the release these figures come from (`YYYY-MM-DD`).
    pub released_on: String,
    /// When the release was cut (milliseconds since the Unix epoch): the figures are as of then.
    pub as_of: i64,
    pub by_type: Vec<Cell>,
    pub by_stage: Vec<Cell>,
}

/// Raw counts of one dimension, as a release keeps them.
type Counts = Vec<(String, i64)>;

impl Store {
    /// Today's release, suppressed with `min_cell`; cut now if no one has asked today.
    pub async fn stats_summary(&self, actor: &Actor, min_cell: u64) -> Result<Summary, StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadStatistics,
            Relation::Unrelated,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        let day = self.clock.today().to_string();
        let (by_type, by_stage, as_of) = match self.release(&day).await? {
            Some(r) => r,
            None => self.cut_release(&day).await?,
        };
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
            released_on: day,
            as_of,
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

    async fn release(&self, day: &str) -> Result<Option<(Counts, Counts, i64)>, StoreError> {
        let row: Option<(String, String, i64)> =
            sqlx::query_as("SELECT by_type, by_stage, cut_at FROM stats_releases WHERE day = $1")
                .bind(day)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(t, s, at)| {
            let parse = |text: &str| {
                serde_json::from_str::<Counts>(text)
                    .map_err(|_| StoreError::Corrupt("statistics release"))
            };
            Ok((parse(&t)?, parse(&s)?, at))
        })
        .transpose()
    }

    /// Cuts the day's release from the live counts. Two first readers at once agree: the
    /// second one's insert is ignored and both read the one that was kept.
    async fn cut_release(&self, day: &str) -> Result<(Counts, Counts, i64), StoreError> {
        let mut tx = self.begin().await?;
        let by_type: Counts =
            sqlx::query_as("SELECT case_type, COUNT(*) FROM case_types GROUP BY case_type")
                .fetch_all(&mut *tx.tx)
                .await?;
        let by_stage: Counts = sqlx::query_as("SELECT stage, COUNT(*) FROM cases GROUP BY stage")
            .fetch_all(&mut *tx.tx)
            .await?;
        let json = |c: &Counts| {
            serde_json::to_string(c).map_err(|_| StoreError::Corrupt("statistics release"))
        };
        sqlx::query(
            "INSERT INTO stats_releases (day, cut_at, by_type, by_stage) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(tx.now)
        .bind(json(&by_type)?)
        .bind(json(&by_stage)?)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        self.release(day)
            .await?
            .ok_or(StoreError::Corrupt("statistics release"))
    }
}
