//! Aggregate statistics: the only case information every role, and immigration enforcement,
//! may obtain — and the only door analysts have.
//!
//! Every figure is counted from the statistical facts ([`facts`]), never from the sealed
//! record, and goes out through one door, [`Store::stats_summary`]:
//!
//! - **Only consented data counts.** A case whose person has no statistics consent or other
//!   basis in force is left out, and every answer says how many were
//!   (`excluded_without_consent`).
//! - **Fixed release periods.** Figures are released by whole calendar months, once a month
//!   has ended; a question's period is widened to whole months and cut at the last month
//!   released. Two periods a day apart are the same question, and a case opened today is in no
//!   figure until its month is over. The facts behind them are refreshed once per UTC day (the
//!   day's release, cut at the first question of the day), so a change to one case cannot be
//!   watched within a day either.
//! - **Noise that the same people always get.** Each count carries cell-key noise
//!   (`passage_stats::cellkey`, discrete Laplace of scale [`NOISE_SCALE`]): asking again
//!   gives the same answer, and two overlapping questions — filters a value apart — differ by
//!   the people between them plus two independent draws, so their difference does not say how
//!   many people it was.
//! - **Small cells suppressed** with `k` (default 11, as CTDC): every count from 1 to k − 1,
//!   with complementary suppression over rows, columns and margins so that no hidden cell can
//!   be worked out from the totals (`passage_stats::suppress`).
//! - **Whose facts.** A question names one organisation (`Question::org`, only the asker's
//!   own) or none: then the figure is national, every organisation of the asker's
//!   organisation's country. The public figures ([`Store::public_stats_summary`]) are national
//!   figures of a country, always published with noise and suppression.

mod events;
mod export;
mod fact_values;
mod facts;
mod measure_cells;
mod measures;
mod releases;

pub use export::{ROUND, Round};
pub use measures::{Figure, MeasureQuestion, Measures, MonthFigure, Pillar};
pub use releases::{
    DatasetBudget, ExportKind, ExportRequest, ExportTicket, Month, Period, Release, Releases,
};

use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::labour::entities::Sector;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::screening::METHODS_OF_CONTROL;
use passage_core::{CaseStatus, CaseType, ErrorCode, Sex, Stage};
use passage_core::{Country, DenyReason};
use passage_stats::facts::{AGE_BANDS, UNKNOWN};
use passage_stats::suppress::{Shown, protect};
use passage_stats::{StatsError, cellkey};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The discrete-Laplace scale of the cell-key noise on every published count: `t/s` = 2/1.
pub const NOISE_SCALE: (u64, u64) = (1, 2);
/// Most dimensions one question may cross.
pub const DIMENSIONS_MAX: usize = 3;
/// Months released when a question names no period.
pub const DEFAULT_MONTHS: i64 = 12;

/// What a figure can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Type,
    Stage,
    Status,
    Sex,
    Age,
    Citizenship,
    Country,
    /// The month a case was opened in (`YYYY-MM`).
    Month,
    /// The sector (ISIC Rev.4 section) of the entities linked to the case.
    Sector,
    /// The means of control the case's completed screenings found (HTCDS values).
    Control,
}

impl Dimension {
    pub const ALL: &'static [Dimension] = &[
        Dimension::Type,
        Dimension::Stage,
        Dimension::Status,
        Dimension::Sex,
        Dimension::Age,
        Dimension::Citizenship,
        Dimension::Country,
        Dimension::Month,
        Dimension::Sector,
        Dimension::Control,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Type => "type",
            Dimension::Stage => "stage",
            Dimension::Status => "status",
            Dimension::Sex => "sex",
            Dimension::Age => "age",
            Dimension::Citizenship => "citizenship",
            Dimension::Country => "country",
            Dimension::Month => "month",
            Dimension::Sector => "sector",
            Dimension::Control => "control",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Dimension::ALL.iter().copied().find(|d| d.as_str() == text)
    }

    /// The column of the facts ([`facts`]) the dimension is counted by (of `stats_fact_types`
    /// for the type).
    fn column(self) -> &'static str {
        match self {
            Dimension::Type => "case_type",
            Dimension::Stage => "stage",
            Dimension::Status => "status",
            Dimension::Sex => "sex",
            Dimension::Age => "age_band",
            Dimension::Citizenship => "citizenship",
            Dimension::Country => "country",
            Dimension::Month => "opened_on",
            Dimension::Sector | Dimension::Control => "value",
        }
    }

    /// The dimension's value in a query over the facts (`f`, and `t` for the types).
    fn fact_expr(self) -> String {
        match self {
            Dimension::Type => format!("t.{}", self.column()),
            Dimension::Sector => format!("vs.{}", self.column()),
            Dimension::Control => format!("vc.{}", self.column()),
            Dimension::Month => format!("SUBSTR(f.{}, 1, 7)", self.column()),
            _ => format!("f.{}", self.column()),
        }
    }

    /// The join a dimension's values need (`t`, `vs`, `vc`): a case with two types counts in
    /// both; a case with no sector or means of control counts as unknown.
    fn join(self) -> &'static str {
        match self {
            Dimension::Type => " JOIN stats_fact_types t ON t.case_id = f.case_id",
            Dimension::Sector => {
                " LEFT JOIN stats_fact_values vs ON vs.case_id = f.case_id AND vs.dimension = 'sector'"
            }
            Dimension::Control => {
                " LEFT JOIN stats_fact_values vc ON vc.case_id = f.case_id AND vc.dimension = 'control'"
            }
            _ => "",
        }
    }

    /// Every value the dimension has over the period `from`–`to`, in a stable order; `None`
    /// for open lists (countries), whose values are those counted.
    fn values(self, from: Day, to: Day) -> Option<Vec<String>> {
        let own = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect());
        match self {
            Dimension::Type => own(&CaseType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
            Dimension::Stage => own(&Stage::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
            Dimension::Status => own(&CaseStatus::ALL
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()),
            Dimension::Sex => {
                let mut v: Vec<&str> = Sex::ALL
                    .iter()
                    .filter(|s| **s != Sex::NonSpecifiedUnknown)
                    .map(|s| s.as_str())
                    .collect();
                v.push(UNKNOWN);
                own(&v)
            }
            Dimension::Age => {
                let mut v: Vec<&str> = AGE_BANDS.iter().map(|(b, _)| *b).collect();
                v.push(UNKNOWN);
                own(&v)
            }
            Dimension::Month => {
                let mut months = Vec::new();
                let mut m = month_start(from);
                while m <= to {
                    months.push(m.to_string()[..7].to_string());
                    m = m.plus_months(1);
                }
                Some(months)
            }
            Dimension::Sector => {
                let mut v: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
                v.push(UNKNOWN);
                own(&v)
            }
            Dimension::Control => {
                let mut v: Vec<&str> = METHODS_OF_CONTROL.to_vec();
                v.push(UNKNOWN);
                own(&v)
            }
            Dimension::Citizenship | Dimension::Country => None,
        }
    }
}

/// A question: the dimensions crossed, the period asked for (widened to whole months), and
/// whose facts are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub by: Vec<Dimension>,
    pub from: Option<Day>,
    pub to: Option<Day>,
    /// Count only this organisation's facts (only the asker's own may be named); `None`: the
    /// national figure, every organisation of the asker's organisation's country.
    pub org: Option<Uuid>,
}

/// Whose facts an answer counts.
enum Scope {
    Org(String),
    Country(String),
    /// Every organisation (the comparison of the grouping with the facts only).
    All,
}

impl Scope {
    /// The condition on the organisation column `col`, with the scope's value as parameter
    /// `$n`. From this closed list, never from a question's text.
    fn clause(&self, col: &str, n: u8) -> String {
        match self {
            Scope::Org(_) => format!(" AND {col} = ${n}"),
            Scope::Country(_) => {
                format!(" AND {col} IN (SELECT o.id FROM organisations o WHERE o.country = ${n})")
            }
            Scope::All => String::new(),
        }
    }

    /// The value bound to the clause's parameter, when it has one.
    fn value(&self) -> Option<&str> {
        match self {
            Scope::Org(v) | Scope::Country(v) => Some(v),
            Scope::All => None,
        }
    }
}

/// How a question is answered: the suppression threshold, and whether counts carry noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disclosure {
    pub k: u64,
    noise: bool,
}

impl Disclosure {
    /// Published figures: suppression with `k` and cell-key noise.
    pub fn published(k: u64) -> Disclosure {
        Disclosure { k, noise: true }
    }

    /// Suppression without noise: for tests that count exactly and for a release whose noise
    /// is added afterwards. Never for an answer to a person: the web crate's lints refuse it.
    pub fn unsafe_exact(k: u64) -> Disclosure {
        Disclosure { k, noise: false }
    }
}

/// One published cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The cell's value in each dimension asked for.
    pub key: BTreeMap<String, String>,
    pub count: Option<u64>,
    pub suppressed: bool,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub k: u64,
    /// The period counted: whole months, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// The UTC day of the release the figures come from.
    pub released_on: String,
    pub cells: Vec<Cell>,
    /// Cases in the period left out because their consent or basis does not cover statistics.
    pub excluded_without_consent: u64,
}

/// The first day of `day`'s month.
fn month_start(day: Day) -> Day {
    let (y, m, _) = day.ymd();
    Day::from_ymd(y, m, 1).unwrap_or(day)
}

/// The period a question counts: whole months, ending with the last month that has ended.
pub fn released_period(q: &Question, today: Day) -> Result<(Day, Day), StoreError> {
    let latest = month_start(today).plus_days(-1);
    let to =
        q.to.map(|t| month_start(t).plus_months(1).plus_days(-1))
            .map_or(latest, |t| t.min(latest));
    let from = q.from.map_or_else(
        || month_start(latest).plus_months(1 - DEFAULT_MONTHS),
        month_start,
    );
    if from > to {
        return Err(StoreError::Rule {
            code: ErrorCode::PeriodNotReleased,
            message: format!(
                "Figures are released by whole months once a month has ended: the latest month released is {}.",
                &latest.to_string()[..7]
            ),
        });
    }
    Ok((from, to))
}

fn stats_error(e: StatsError) -> StoreError {
    match e {
        StatsError::NoRandomness => StoreError::Crypto("no randomness"),
        _ => StoreError::Corrupt("statistics parameters"),
    }
}

impl Store {
    /// Answers a question from today's release (cut now if no one has asked today).
    pub async fn stats_summary(
        &self,
        actor: &Actor,
        question: &Question,
        disclosure: Disclosure,
    ) -> Result<Summary, StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadStatistics,
            Relation::Unrelated,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        let scope = match question.org {
            Some(org) if org == actor.org_id() => Scope::Org(org.to_string()),
            // Another organisation's figures, existing or not: the same refusal.
            Some(_) => return Err(StoreError::Forbidden(DenyReason::OutOfScope)),
            None => {
                let (country,): (String,) =
                    sqlx::query_as("SELECT country FROM organisations WHERE id = $1")
                        .bind(actor.org_id().to_string())
                        .fetch_one(&self.pool)
                        .await?;
                Scope::Country(country)
            }
        };
        self.answer(scope, question, disclosure).await
    }

    /// The national figures of `country` for anyone, signed in or not: always published with
    /// noise and suppression with `k`, never one organisation's.
    pub async fn public_stats_summary(
        &self,
        country: Country,
        question: &Question,
        k: u64,
    ) -> Result<Summary, StoreError> {
        if question.org.is_some() {
            return Err(StoreError::Forbidden(DenyReason::OutOfScope));
        }
        self.answer(
            Scope::Country(country.as_str().to_string()),
            question,
            Disclosure::published(k),
        )
        .await
    }

    /// The countries whose organisations' figures may be asked for publicly, those with the
    /// most organisations first.
    pub async fn stats_countries(&self) -> Result<Vec<Country>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT country, COUNT(*) AS n FROM organisations GROUP BY country \
             ORDER BY n DESC, country",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(c, _)| Country::parse(&c))
            .collect())
    }

    async fn answer(
        &self,
        scope: Scope,
        question: &Question,
        disclosure: Disclosure,
    ) -> Result<Summary, StoreError> {
        if question.by.is_empty() || question.by.len() > DIMENSIONS_MAX {
            return Err(StoreError::invalid(
                "by",
                ErrorCode::InvalidQuery,
                "name one to three dimensions",
            ));
        }
        let today = self.clock.today();
        let (from, to) = released_period(question, today)?;
        let released_on = self.cut_release(today).await?;
        let counted = self.count_cells(&question.by, from, to, &scope).await?;
        let excluded = self.count_excluded(from, to, &scope).await?;
        let secret = self.keys.stats_key();
        let noisy = |(n, key): (u64, u32)| -> Result<u64, StoreError> {
            if disclosure.noise {
                cellkey::perturb(&secret, key, n, NOISE_SCALE.0, NOISE_SCALE.1).map_err(stats_error)
            } else {
                Ok(n)
            }
        };
        // The grid: every value of each dimension, so that a zero is a listed zero.
        let axes: Vec<Vec<String>> = question
            .by
            .iter()
            .enumerate()
            .map(|(i, d)| {
                d.values(from, to).unwrap_or_else(|| {
                    let mut seen: Vec<String> = counted.keys().map(|k| k[i].clone()).collect();
                    seen.sort();
                    seen.dedup();
                    seen
                })
            })
            .collect();
        // Rows are the combinations of every dimension but the last; columns the last one.
        let (row_axes, col_axis) = axes.split_at(axes.len() - 1);
        let mut rows: Vec<Vec<String>> = vec![Vec::new()];
        for axis in row_axes {
            rows = rows
                .into_iter()
                .flat_map(|prefix| {
                    axis.iter().map(move |v| {
                        let mut p = prefix.clone();
                        p.push(v.clone());
                        p
                    })
                })
                .collect();
        }
        let cols = &col_axis[0];
        let mut table = Vec::with_capacity(rows.len());
        for prefix in &rows {
            let mut line = Vec::with_capacity(cols.len());
            for c in cols {
                let mut key = prefix.clone();
                key.push(c.clone());
                let found = counted.get(&key).copied().unwrap_or((0, 0));
                line.push(noisy(found)?);
            }
            table.push(line);
        }
        let shown = protect(&table, disclosure.k);
        let mut cells = Vec::with_capacity(rows.len() * cols.len());
        for (prefix, line) in rows.iter().zip(&shown.cells) {
            for (c, s) in cols.iter().zip(line) {
                let key = question
                    .by
                    .iter()
                    .map(|d| d.as_str().to_string())
                    .zip(prefix.iter().chain(std::iter::once(c)).cloned())
                    .collect();
                cells.push(Cell {
                    key,
                    count: s.count(),
                    suppressed: matches!(s, Shown::Suppressed),
                });
            }
        }
        Ok(Summary {
            k: disclosure.k,
            from: from.to_string(),
            to: to.to_string(),
            released_on,
            cells,
            excluded_without_consent: noisy(excluded)?,
        })
    }

    /// Counts and cell keys of consented cases opened in the period, by the dimensions' values.
    /// A question by one dimension reads the release's grouping (`stats_cells`, made at the
    /// cut: a few hundred rows); a crossing groups the facts. Both give the same answer.
    async fn count_cells(
        &self,
        by: &[Dimension],
        from: Day,
        to: Day,
        scope: &Scope,
    ) -> Result<BTreeMap<Vec<String>, (u64, u32)>, StoreError> {
        // One dimension, or the type crossed with one of the dashboards' breakdowns, is
        // grouped at the cut; any other crossing groups the facts.
        let (name, pair) = match by {
            [one] => (one.as_str().to_string(), false),
            [Dimension::Type, other] if CROSSED_WITH_TYPE.contains(other) => {
                (crossed_name(*other), true)
            }
            _ => return self.count_cells_from_facts(by, from, to, scope).await,
        };
        // The scope's clause comes from its closed list, never from the question's text.
        let sql = format!(
            "SELECT c.value AS d0, CAST(SUM(c.cases) AS BIGINT) AS n, \
                CAST(COALESCE(SUM(c.key_sum), 0) % 4294967296 AS BIGINT) AS k \
             FROM stats_cells c \
             WHERE c.dimension = $1 AND c.consented = 1 AND c.month >= $2 AND c.month <= $3{} \
             GROUP BY c.value",
            scope.clause("c.org_id", 4)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(name)
            .bind(month_of(from))
            .bind(month_of(to));
        if let Some(v) = scope.value() {
            query = query.bind(v);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let cells = read_cells(1, rows)?;
        if !pair {
            return Ok(cells);
        }
        // `type|value`, an empty value being one the case does not have.
        let mut out = BTreeMap::new();
        for (key, n) in cells {
            let joined = key.into_iter().next().unwrap_or_default();
            let (t, v) = joined.split_once('|').unwrap_or((joined.as_str(), ""));
            let v = if v.is_empty() { UNKNOWN } else { v };
            out.insert(vec![t.to_string(), v.to_string()], n);
        }
        Ok(out)
    }

    /// The same counts as [`Store::count_cells`], grouped from every fact: what the grouping
    /// must always equal (its test compares both on random worlds).
    async fn count_cells_from_facts(
        &self,
        by: &[Dimension],
        from: Day,
        to: Day,
        scope: &Scope,
    ) -> Result<BTreeMap<Vec<String>, (u64, u32)>, StoreError> {
        let cols: Vec<String> = by.iter().map(|d| d.fact_expr()).collect();
        let join: String = by.iter().map(|d| d.join()).collect();
        // Dimension columns and the scope come from closed lists, never from the question's text.
        let sql = format!(
            "SELECT {named}, COUNT(*) AS n, \
                CAST(COALESCE(SUM(f.record_key), 0) % 4294967296 AS BIGINT) AS k \
             FROM stats_facts f{join} \
             WHERE f.consented = 1 AND f.opened_on >= $1 AND f.opened_on <= $2{only} \
             GROUP BY {list}",
            named = named_columns(&cols),
            list = cols.join(", "),
            only = scope.clause("f.org_id", 3),
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from.to_string())
            .bind(to.to_string());
        if let Some(v) = scope.value() {
            query = query.bind(v);
        }
        let rows = query.fetch_all(&self.pool).await?;
        read_cells(by.len(), rows)
    }

    /// Cases opened in the period whose facts were left out for want of consent.
    async fn count_excluded(
        &self,
        from: Day,
        to: Day,
        scope: &Scope,
    ) -> Result<(u64, u32), StoreError> {
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(c.cases), 0) AS BIGINT), \
                CAST(COALESCE(SUM(c.key_sum), 0) % 4294967296 AS BIGINT) \
             FROM stats_cells c WHERE c.dimension = '' AND c.consented = 0 \
               AND c.month >= $1 AND c.month <= $2{}",
            scope.clause("c.org_id", 3)
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(month_of(from))
            .bind(month_of(to));
        if let Some(v) = scope.value() {
            query = query.bind(v);
        }
        let (n, k): (i64, i64) = query.fetch_one(&self.pool).await?;
        Ok((n.max(0) as u64, (k & 0xFFFF_FFFF) as u32))
    }

    /// [`Store::count_excluded`] from every fact.
    async fn count_excluded_from_facts(
        &self,
        from: Day,
        to: Day,
        scope: &Scope,
    ) -> Result<(u64, u32), StoreError> {
        let sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(f.record_key), 0) % 4294967296 AS BIGINT) \
             FROM stats_facts f WHERE f.consented = 0 AND f.opened_on >= $1 \
             AND f.opened_on <= $2{}",
            scope.clause("f.org_id", 3)
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(from.to_string())
            .bind(to.to_string());
        if let Some(v) = scope.value() {
            query = query.bind(v);
        }
        let (n, k): (i64, i64) = query.fetch_one(&self.pool).await?;
        Ok((n.max(0) as u64, (k & 0xFFFF_FFFF) as u32))
    }

    /// Cuts today's release if no one has: the server's daily job, so that the first question
    /// of the day finds the facts refreshed and grouped instead of waiting for them (over a
    /// million cases the cut takes minutes). Returns the release's day. It returns no figure
    /// and needs no reader: figures still go out only through the questions above.
    pub async fn prepare_stats_release(&self) -> Result<String, StoreError> {
        self.cut_release(self.clock.today()).await
    }

    /// Today's release: the facts are refreshed at the first question of the UTC day, and
    /// grouped into `stats_cells`; later questions that day read them as they were then.
    /// Returns the release's day.
    async fn cut_release(&self, today: Day) -> Result<String, StoreError> {
        let day = today.to_string();
        let cut: Option<(i64,)> = sqlx::query_as("SELECT grouped FROM stats_cuts WHERE day = $1")
            .bind(&day)
            .fetch_optional(&self.pool)
            .await?;
        if matches!(cut, Some((1,))) {
            return Ok(day);
        }
        // A day cut before the grouping existed keeps its facts: they are only grouped.
        let refreshed = match cut {
            None => {
                let n = self.refresh_stats_facts().await?;
                self.refresh_stats_events().await?;
                Some(n)
            }
            Some(_) => None,
        };
        // Every transaction takes the audit chain's head first, so one cut is grouped at a
        // time; a question that waited finds the day grouped and leaves it.
        let mut tx = self.begin().await?;
        let again: Option<(i64,)> = sqlx::query_as("SELECT grouped FROM stats_cuts WHERE day = $1")
            .bind(&day)
            .fetch_optional(&mut *tx.tx)
            .await?;
        if matches!(again, Some((1,))) {
            return Ok(day);
        }
        group_cells(&mut tx).await?;
        measure_cells::group_measures(&mut tx, measures::COUNTED).await?;
        sqlx::query(
            "INSERT INTO stats_cuts (day, cut_at, cases, grouped) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (day) DO UPDATE SET grouped = 1",
        )
        .bind(&day)
        .bind(tx.now)
        .bind(refreshed.map_or(0, |n| i64::try_from(n).unwrap_or(i64::MAX)))
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(crate::audit::Event {
            actor_user: None,
            actor_org: None,
            action: "stats.release_cut",
            object_type: "stats_release",
            object_id: Some(day.clone()),
            outcome: "ok",
            purpose: None,
        })
        .await?;
        tx.commit().await?;
        Ok(day)
    }
}

/// Counts and cell keys by the dimensions' values, with the cases left out for want of
/// consent (count and cell key).
pub type Counted = (BTreeMap<Vec<String>, (u64, u32)>, (u64, u32));

impl Store {
    /// See [`crate::operator::Operator::stats_counted_both_ways`].
    pub(crate) async fn stats_counted_both_ways(
        &self,
        by: &[Dimension],
        from: Day,
        to: Day,
    ) -> Result<[Counted; 2], StoreError> {
        self.cut_release(self.clock.today()).await?;
        Ok([
            (
                self.count_cells(by, from, to, &Scope::All).await?,
                self.count_excluded(from, to, &Scope::All).await?,
            ),
            (
                self.count_cells_from_facts(by, from, to, &Scope::All)
                    .await?,
                self.count_excluded_from_facts(from, to, &Scope::All)
                    .await?,
            ),
        ])
    }
}

/// The month `YYYY-MM` of a day, as `stats_cells` keeps it.
fn month_of(day: Day) -> String {
    day.to_string().chars().take(7).collect()
}

/// `col AS d0, col AS d1, …` for the dimensions' columns.
fn named_columns(cols: &[String]) -> String {
    cols.iter()
        .enumerate()
        .map(|(i, c)| format!("{c} AS d{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads grouped rows (`d0`…, `n`, `k`) into counts and cell keys by the dimensions' values.
fn read_cells(
    dimensions: usize,
    rows: Vec<sqlx::any::AnyRow>,
) -> Result<BTreeMap<Vec<String>, (u64, u32)>, StoreError> {
    use sqlx::Row;
    let mut out = BTreeMap::new();
    for row in rows {
        let mut key = Vec::with_capacity(dimensions);
        for i in 0..dimensions {
            let v: Option<String> = row.try_get(format!("d{i}").as_str())?;
            key.push(v.unwrap_or_else(|| UNKNOWN.to_string()));
        }
        let n: i64 = row.try_get("n")?;
        let k: i64 = row.try_get("k")?;
        out.insert(key, (n.max(0) as u64, (k & 0xFFFF_FFFF) as u32));
    }
    Ok(out)
}

/// Groups the day's facts into `stats_cells`: for every month and organisation, the count and
/// cell-key sum of all cases, consented or not (dimension ''), and of the consented cases by
/// each value of each dimension. Both engines group NULLs together, as questions over the
/// facts do.
async fn group_cells(tx: &mut crate::db::Tx) -> Result<(), StoreError> {
    const MONTH: &str = "SUBSTR(f.opened_on, 1, 7)";
    sqlx::query("DELETE FROM stats_cells")
        .execute(&mut *tx.tx)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO stats_cells (month, org_id, consented, dimension, value, cases, key_sum) \
         SELECT {MONTH}, f.org_id, f.consented, '', NULL, CAST(COUNT(*) AS BIGINT), \
           CAST(COALESCE(SUM(f.record_key), 0) AS BIGINT) \
         FROM stats_facts f GROUP BY {MONTH}, f.org_id, f.consented"
    )))
    .execute(&mut *tx.tx)
    .await?;
    for d in Dimension::ALL {
        let value = d.fact_expr();
        let join = d.join();
        // The dimension's name and column come from the closed list above.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stats_cells (month, org_id, consented, dimension, value, cases, key_sum) \
             SELECT {MONTH}, f.org_id, 1, '{name}', {value}, CAST(COUNT(*) AS BIGINT), \
               CAST(COALESCE(SUM(f.record_key), 0) AS BIGINT) \
             FROM stats_facts f{join} WHERE f.consented = 1 \
             GROUP BY {MONTH}, f.org_id, {value}",
            name = d.as_str(),
        )))
        .execute(&mut *tx.tx)
        .await?;
    }
    // The type crossed with each breakdown of the dashboards, as `type|value`.
    for d in CROSSED_WITH_TYPE {
        let t = Dimension::Type.fact_expr();
        let value = format!("{t} || '|' || COALESCE({}, '')", d.fact_expr());
        let join = format!("{}{}", Dimension::Type.join(), d.join());
        // The names, columns and joins come from the closed lists above.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stats_cells (month, org_id, consented, dimension, value, cases, key_sum) \
             SELECT {MONTH}, f.org_id, 1, '{name}', {value}, CAST(COUNT(*) AS BIGINT), \
               CAST(COALESCE(SUM(f.record_key), 0) AS BIGINT) \
             FROM stats_facts f{join} WHERE f.consented = 1 \
             GROUP BY {MONTH}, f.org_id, {value}",
            name = crossed_name(*d),
        )))
        .execute(&mut *tx.tx)
        .await?;
    }
    Ok(())
}

/// The dimensions the type is crossed with at the cut (the dashboards' breakdowns).
pub const CROSSED_WITH_TYPE: &[Dimension] = &[
    Dimension::Stage,
    Dimension::Status,
    Dimension::Sex,
    Dimension::Age,
    Dimension::Citizenship,
    Dimension::Sector,
    Dimension::Control,
];

/// The grouping's name of the type crossed with `d`.
fn crossed_name(d: Dimension) -> String {
    format!("type|{}", d.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(from: Option<&str>, to: Option<&str>) -> Question {
        Question {
            by: vec![Dimension::Type],
            from: from.and_then(Day::parse),
            to: to.and_then(Day::parse),
            org: None,
        }
    }

    #[test]
    fn periods_are_whole_months_that_have_ended() {
        let today = Day::parse("2026-12-07").unwrap();
        let p =
            |f, t| released_period(&q(f, t), today).map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(
            p(None, None).unwrap(),
            ("2025-12-01".into(), "2026-11-30".into())
        );
        // A day apart is the same question.
        assert_eq!(
            p(Some("2026-03-14"), Some("2026-05-02")).unwrap(),
            p(Some("2026-03-15"), Some("2026-05-03")).unwrap()
        );
        assert_eq!(
            p(Some("2026-03-14"), Some("2026-05-02")).unwrap(),
            ("2026-03-01".into(), "2026-05-31".into())
        );
        // The running month is never released.
        assert_eq!(
            p(Some("2026-11-01"), Some("2026-12-31")).unwrap().1,
            "2026-11-30"
        );
        assert!(p(Some("2026-12-01"), None).is_err());
    }
}
