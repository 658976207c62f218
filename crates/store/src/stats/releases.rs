//! The record of releases and the privacy budget of each dataset.
//!
//! Every export is recorded (`stats_exports`) with its parameters, and every differentially
//! private one spends part of its dataset's ε. A dataset is an export kind and a period of
//! months; since releases over overlapping months are about the same people, what a dataset
//! has spent is the sum of the ε of every release of its kind whose months overlap its own
//! (sequential composition, counted conservatively). A release that would take the dataset past
//! its budget is refused before anything is read — `privacy_budget_spent`, saying what is
//! left — and refused again, with nothing recorded, if another release took the rest while it
//! was being written.
//!
//! Only the operator opens an export ([`Store::stats_export_open`]): the ticket it returns is
//! the capability every later step takes. Releases are listed to readers of statistics
//! ([`Store::stats_releases`]): ids, kinds, periods and parameters, nothing about a person.

use crate::auth::Authority;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::calendar::Day;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_stats::budget::{self, Budget};
use passage_stats::dp::Epsilon;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// Which export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// De-identified HTCDS 2.0 records with k-anonymity; spends no ε.
    Htcds,
    /// CTDC-layout synthetic records from differentially private marginals.
    Ctdc,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Htcds => "htcds",
            ExportKind::Ctdc => "ctdc",
        }
    }
}

/// A whole month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let day = Day::parse(&format!("{}-01", text.trim()))?;
        let (y, m, _) = day.ymd();
        Some(Month {
            year: i32::try_from(y).ok()?,
            month: m,
        })
    }

    /// The month a day is in.
    pub fn of(day: Day) -> Month {
        let (y, m, _) = day.ymd();
        Month {
            year: i32::try_from(y).unwrap_or(i32::MAX),
            month: m,
        }
    }

    fn first_day(self) -> Day {
        Day::from_ymd(i64::from(self.year), self.month, 1).unwrap_or(Day(0))
    }

    /// Unix milliseconds at the start of the month (UTC).
    pub fn start_ms(self) -> i64 {
        self.first_day().0.saturating_mul(86_400_000)
    }

    /// Unix milliseconds at the start of the next month.
    pub fn end_ms(self) -> i64 {
        self.first_day().plus_months(1).0.saturating_mul(86_400_000)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The months an export covers, both ends included; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Month>,
    pub to: Option<Month>,
}

impl Period {
    /// The dataset's name: `kind:from..to`, or `kind:all` when both ends are open.
    pub fn dataset(&self, kind: ExportKind) -> String {
        match (self.from, self.to) {
            (None, None) => format!("{}:all", kind.as_str()),
            (f, t) => format!(
                "{}:{}..{}",
                kind.as_str(),
                f.map(|m| m.to_string()).unwrap_or_default(),
                t.map(|m| m.to_string()).unwrap_or_default()
            ),
        }
    }

    fn ends(&self) -> (String, String) {
        (
            self.from.map(|m| m.to_string()).unwrap_or_default(),
            self.to.map(|m| m.to_string()).unwrap_or_default(),
        )
    }
}

/// Whether two periods (`YYYY-MM` ends, `''` open) share a month.
fn overlap(a: (&str, &str), b: (&str, &str)) -> bool {
    let lo = |s: &str| {
        if s.is_empty() {
            "0000-00".to_string()
        } else {
            s.to_string()
        }
    };
    let hi = |s: &str| {
        if s.is_empty() {
            "9999-99".to_string()
        } else {
            s.to_string()
        }
    };
    lo(a.0) <= hi(b.1) && lo(b.0) <= hi(a.1)
}

/// What an export asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    pub kind: ExportKind,
    pub period: Period,
    /// The ε the release spends (CTDC); `None` for an export that spends none (HTCDS).
    pub epsilon: Option<Epsilon>,
    /// The dataset's budget (configuration), for a release that spends ε.
    pub budget: Epsilon,
}

/// Permission to read the consented cases of one export and to record it: made only by
/// [`Store::stats_export_open`], for the operator, after the budget check.
#[derive(Debug, Clone)]
pub struct ExportTicket {
    pub(crate) request: ExportRequest,
    pub(crate) by: Authority,
    /// The dataset's budget before this release.
    pub before: Budget,
}

impl ExportTicket {
    pub fn request(&self) -> &ExportRequest {
        &self.request
    }

    pub fn dataset(&self) -> String {
        self.request.period.dataset(self.request.kind)
    }
}

/// A release as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    pub id: String,
    pub kind: String,
    pub dataset: String,
    pub period_from: String,
    pub period_to: String,
    /// ε spent, as a decimal; `None` for an export that spends none.
    pub epsilon: Option<String>,
    /// The parameters, as recorded (JSON text).
    pub parameters: String,
    pub rows_written: u64,
    /// Unix milliseconds.
    pub released_at: i64,
}

/// A dataset's budget as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetBudget {
    pub dataset: String,
    /// ε the dataset may spend in all, as a decimal (as configured at its last release).
    pub budget: String,
    /// ε spent by releases over its months, as a decimal.
    pub used: String,
    /// ε left, as a decimal.
    pub left: String,
}

/// Every release and every dataset's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Releases {
    pub releases: Vec<Release>,
    pub datasets: Vec<DatasetBudget>,
}

fn ten_thousandths(e: Epsilon) -> Result<u64, StoreError> {
    budget::ten_thousandths(e).ok_or_else(|| {
        StoreError::invalid(
            "epsilon",
            ErrorCode::InvalidQuery,
            "epsilon is stated with at most four decimals",
        )
    })
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Store {
    /// What releases of `kind` over months overlapping `period` have spent, in ten-thousandths
    /// of ε.
    async fn spent_over<'e, E>(
        exec: E,
        kind: ExportKind,
        period: &Period,
    ) -> Result<u64, StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let rows = sqlx::query(
            "SELECT period_from, period_to, epsilon FROM stats_exports \
             WHERE kind = $1 AND epsilon IS NOT NULL",
        )
        .bind(kind.as_str())
        .fetch_all(exec)
        .await?;
        let (from, to) = period.ends();
        let mut spent = 0u64;
        for row in rows {
            let f: String = row.try_get("period_from")?;
            let t: String = row.try_get("period_to")?;
            let e: i64 = row.try_get("epsilon")?;
            if overlap((&f, &t), (&from, &to)) {
                spent = spent.saturating_add(u64::try_from(e).unwrap_or(0));
            }
        }
        Ok(spent)
    }

    /// Opens an export for the operator: checks the budget (a release that would pass it is
    /// refused, audited, with what is left in the message) and audits the start. Nothing is
    /// read or written yet.
    pub async fn stats_export_open(
        &self,
        by: &Authority,
        request: ExportRequest,
    ) -> Result<ExportTicket, StoreError> {
        if !matches!(by, Authority::Operator(_)) {
            return Err(StoreError::Forbidden(
                passage_core::policy::DenyReason::NoGrant,
            ));
        }
        let dataset = request.period.dataset(request.kind);
        let total = ten_thousandths(request.budget)?;
        let spent = Store::spent_over(&self.pool, request.kind, &request.period).await?;
        let before = Budget { total, spent };
        let refused = match request.epsilon {
            Some(e) => before.charge(e).err().map(|_| before.left()),
            None => None,
        };
        let mut tx = self.begin().await?;
        let outcome = if refused.is_some() { "refused" } else { "ok" };
        tx.audit(by.event(
            "stats.export.open",
            "stats_dataset",
            Some(dataset.clone()),
            outcome,
        ))
        .await?;
        tx.commit().await?;
        if let Some(left) = refused {
            return Err(budget_spent(&dataset, left));
        }
        Ok(ExportTicket {
            request,
            by: by.clone(),
            before,
        })
    }

    /// Records an export that was written: checks the budget again in the same transaction
    /// (another release may have taken it meanwhile: then nothing is recorded and the file must
    /// not be published), inserts the release and audits it. Returns the release's id.
    pub async fn stats_export_record(
        &self,
        ticket: ExportTicket,
        parameters: &serde_json::Value,
        rows_written: u64,
    ) -> Result<String, StoreError> {
        let request = ticket.request;
        let dataset = request.period.dataset(request.kind);
        let total = ten_thousandths(request.budget)?;
        let mut tx = self.begin().await?;
        let spent = Store::spent_over(&mut *tx.tx, request.kind, &request.period).await?;
        let now = Budget { total, spent };
        let epsilon = match request.epsilon {
            Some(e) => {
                if now.charge(e).is_err() {
                    tx.audit(ticket.by.event(
                        "stats.export.record",
                        "stats_dataset",
                        Some(dataset.clone()),
                        "refused",
                    ))
                    .await?;
                    tx.commit().await?;
                    return Err(budget_spent(&dataset, now.left()));
                }
                Some(to_i64(ten_thousandths(e)?))
            }
            None => None,
        };
        let id = Uuid::now_v7().to_string();
        let event = ticket.by.event(
            "stats.export.record",
            "stats_export",
            Some(id.clone()),
            "ok",
        );
        let by = event
            .actor_user
            .clone()
            .or_else(|| event.purpose.map(str::to_string))
            .unwrap_or_default();
        let (from, to) = request.period.ends();
        sqlx::query(
            "INSERT INTO stats_exports (id, kind, dataset, period_from, period_to, epsilon, \
               budget, parameters, rows_written, released_at, released_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(request.kind.as_str())
        .bind(&dataset)
        .bind(from)
        .bind(to)
        .bind(epsilon)
        .bind(epsilon.map(|_| to_i64(total)))
        .bind(parameters.to_string())
        .bind(to_i64(rows_written))
        .bind(tx.now)
        .bind(by)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(event).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every release, newest first, and every dataset's budget, for readers of statistics.
    pub async fn stats_releases(&self, actor: &Actor) -> Result<Releases, StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadStatistics,
            Relation::Unrelated,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        let rows = sqlx::query(
            "SELECT id, kind, dataset, period_from, period_to, epsilon, budget, parameters, \
               rows_written, released_at FROM stats_exports ORDER BY released_at DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut releases = Vec::with_capacity(rows.len());
        // Each dataset with ε spent: its kind, period and the budget last configured for it.
        let mut datasets: Vec<(String, String, String, String, u64)> = Vec::new();
        for row in &rows {
            let epsilon: Option<i64> = row.try_get("epsilon")?;
            let budget_total: Option<i64> = row.try_get("budget")?;
            let r = Release {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                dataset: row.try_get("dataset")?,
                period_from: row.try_get("period_from")?,
                period_to: row.try_get("period_to")?,
                epsilon: epsilon.map(|e| budget::show(u64::try_from(e).unwrap_or(0))),
                parameters: row.try_get("parameters")?,
                rows_written: u64::try_from(row.try_get::<i64, _>("rows_written")?).unwrap_or(0),
                released_at: row.try_get("released_at")?,
            };
            if let Some(total) = budget_total
                && !datasets.iter().any(|d| d.0 == r.dataset)
            {
                datasets.push((
                    r.dataset.clone(),
                    r.kind.clone(),
                    r.period_from.clone(),
                    r.period_to.clone(),
                    u64::try_from(total).unwrap_or(0),
                ));
            }
            releases.push(r);
        }
        let datasets = datasets
            .into_iter()
            .map(|(dataset, kind, from, to, total)| {
                let used: u64 = releases
                    .iter()
                    .filter(|r| {
                        r.kind == kind && overlap((&r.period_from, &r.period_to), (&from, &to))
                    })
                    .filter_map(|r| r.epsilon.as_deref().and_then(|e| Epsilon::parse(e).ok()))
                    .filter_map(budget::ten_thousandths)
                    .sum();
                DatasetBudget {
                    dataset,
                    budget: budget::show(total),
                    used: budget::show(used),
                    left: budget::show(total.saturating_sub(used)),
                }
            })
            .collect();
        Ok(Releases { releases, datasets })
    }
}

fn budget_spent(dataset: &str, left: u64) -> StoreError {
    StoreError::Rule {
        code: ErrorCode::PrivacyBudgetSpent,
        message: format!(
            "The privacy budget of {dataset} does not cover this release: epsilon {} is left.",
            budget::show(left)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_overlap_when_they_share_a_month() {
        assert!(overlap(("", ""), ("2025-01", "2025-02")));
        assert!(overlap(("2025-01", "2025-06"), ("2025-06", "")));
        assert!(!overlap(("2025-01", "2025-05"), ("2025-06", "")));
        assert!(!overlap(("", "2024-12"), ("2025-01", "2025-12")));
    }

    #[test]
    fn months_are_read_and_named() {
        let m = Month::parse("2025-02").unwrap();
        assert_eq!(m.to_string(), "2025-02");
        assert_eq!(m.end_ms() - m.start_ms(), 28 * 86_400_000);
        assert!(Month::parse("2025-13").is_none());
        assert!(Month::parse("2025").is_none());
        let p = Period {
            from: Some(m),
            to: None,
        };
        assert_eq!(p.dataset(ExportKind::Ctdc), "ctdc:2025-02..");
    }
}
