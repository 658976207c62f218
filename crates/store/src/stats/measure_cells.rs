//! The four Ps grouped at the release cut (`stats_measure_cells`), and the reads that answer
//! from them: a counted measure by month, the median's days by value, compensation by
//! currency, and the persons' grids ([`passage_stats::spans`]) from which the persons open in
//! any range of months are added up. A question reads a few hundred rows, never the events.

use super::events::kind;
use crate::db::Tx;
use crate::{Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_stats::spans::{self, Cell, Grid, Month, OPEN, Span};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// A count and its cell key.
pub(super) type Keyed = (u64, u32);

/// Where figures are counted: the country, and the organisation or ''.
pub(super) struct Where<'a> {
    pub country: &'a str,
    pub org: &'a str,
}

/// The persons' grid (consented cases) and the grid of cases left out.
pub(super) const PERSONS: &str = "persons_assisted";
pub(super) const CASES_LEFT_OUT: &str = "cases_left_out";
pub(super) const FIRST_SERVICE: &str = "days_to_first_service";
pub(super) const COMPENSATION: &str = "compensation_recovered";

/// The text kept for the last month of a case still open (after every real month).
const OPEN_TEXT: &str = "9999-12";

/// A counted measure: its name, its kind of event and a further fixed condition.
pub(super) struct Counted {
    pub measure: &'static str,
    pub kind: &'static str,
    pub only: &'static str,
}

const INSERT: &str = "INSERT INTO stats_measure_cells (measure, country, org_id, month, \
    until_month, consented, currency, value, n, key_sum, total, cases)";
const KEY_SUM: &str = "CAST(COALESCE(SUM(record_key), 0) % 4294967296 AS BIGINT)";

/// Groups the day's events into `stats_measure_cells` (inside the cut's transaction).
pub(super) async fn group_measures(tx: &mut Tx, counted: &[Counted]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM stats_measure_cells")
        .execute(&mut *tx.tx)
        .await?;
    const MONTH: &str = "SUBSTR(day, 1, 7)";
    for c in counted {
        // The measure's name and condition come from the fixed list, never from a question.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{INSERT} SELECT '{measure}', country, org_id, {MONTH}, '', consented, '', NULL, \
               COUNT(*), {KEY_SUM}, 0, 0 \
             FROM stats_events WHERE source_kind = $1{only} \
             GROUP BY country, org_id, {MONTH}, consented",
            measure = c.measure,
            only = c.only,
        )))
        .bind(c.kind)
        .execute(&mut *tx.tx)
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{INSERT} SELECT '{FIRST_SERVICE}', country, org_id, {MONTH}, '', consented, '', value, \
           COUNT(*), {KEY_SUM}, 0, 0 \
         FROM stats_events WHERE source_kind = $1 AND (consented = 0 OR value IS NOT NULL) \
         GROUP BY country, org_id, {MONTH}, consented, value"
    )))
    .bind(kind::FIRST_SERVICE)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{INSERT} SELECT '{COMPENSATION}', country, org_id, {MONTH}, '', consented, \
           COALESCE(currency, ''), NULL, COUNT(*), {KEY_SUM}, \
           CAST(COALESCE(SUM(value), 0) AS BIGINT), COUNT(DISTINCT case_id) \
         FROM stats_events WHERE source_kind = $1 \
         GROUP BY country, org_id, {MONTH}, consented, COALESCE(currency, '')"
    )))
    .bind(kind::COMPENSATION)
    .execute(&mut *tx.tx)
    .await?;
    group_persons(tx).await
}

/// Cases read per round while the grids are made.
const ROUND: i64 = 20_000;

/// One case event, compactly: indexes into the places and subjects seen.
struct CaseSpan {
    place: u32,
    subject: u32,
    key: u32,
    from: Month,
    to: Month,
    consented: bool,
}

/// Makes the persons' grids (per organisation and per country) and the grids of cases left
/// out, reading the case events in rounds.
async fn group_persons(tx: &mut Tx) -> Result<(), StoreError> {
    let mut places: HashMap<(String, String), u32> = HashMap::new();
    let mut subjects: HashMap<Option<String>, u32> = HashMap::new();
    let mut cases: Vec<CaseSpan> = Vec::new();
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT source_id, country, org_id, subject, record_key, day, until_day, consented \
             FROM stats_events WHERE source_kind = 'case' AND source_id > $1 \
             ORDER BY source_id LIMIT $2",
        )
        .bind(&after)
        .bind(ROUND)
        .fetch_all(&mut *tx.tx)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("source_id")?;
        for row in &rows {
            let day: String = row.try_get("day")?;
            let Some(from) = spans::month_number(&day) else {
                continue;
            };
            let until: Option<String> = row.try_get("until_day")?;
            let to = until
                .as_deref()
                .and_then(spans::month_number)
                .unwrap_or(OPEN);
            let place = (row.try_get("country")?, row.try_get("org_id")?);
            let next = places.len() as u32;
            let place = *places.entry(place).or_insert(next);
            let subject: Option<String> = row.try_get("subject")?;
            let next = subjects.len() as u32;
            let subject = *subjects.entry(subject).or_insert(next);
            let key: i64 = row.try_get("record_key")?;
            cases.push(CaseSpan {
                place,
                subject,
                key: (key & 0xFFFF_FFFF) as u32,
                from,
                to,
                consented: row.try_get::<i64, _>("consented")? == 1,
            });
        }
    }
    let mut names: Vec<Option<&(String, String)>> = vec![None; places.len()];
    for (place, &i) in &places {
        names[i as usize] = Some(place);
    }
    // The country's spans (a person of two organisations is one person there) and each
    // organisation's, consented; the cases left out, per organisation.
    let mut national: BTreeMap<&str, Vec<Span<u32>>> = BTreeMap::new();
    let mut own: BTreeMap<u32, Vec<Span<u32>>> = BTreeMap::new();
    let mut left_out: BTreeMap<u32, Grid> = BTreeMap::new();
    for c in &cases {
        let Some(Some((country, _))) = names.get(c.place as usize) else {
            continue;
        };
        if c.consented {
            let span = Span {
                subject: c.subject,
                key: c.key,
                from: c.from,
                to: c.to,
            };
            national
                .entry(country.as_str())
                .or_default()
                .push(span.clone());
            own.entry(c.place).or_default().push(span);
        } else {
            left_out
                .entry(c.place)
                .or_default()
                .add_case(c.from, c.to, c.key);
        }
    }
    for (country, list) in &national {
        let cells = spans::persons_grid(list).cells();
        write_grid(tx, PERSONS, country, "", 1, &cells).await?;
    }
    for (place, list) in &own {
        if let Some(Some((country, org))) = names.get(*place as usize) {
            let cells = spans::persons_grid(list).cells();
            write_grid(tx, PERSONS, country, org, 1, &cells).await?;
        }
    }
    for (place, grid) in &left_out {
        if let Some(Some((country, org))) = names.get(*place as usize) {
            write_grid(tx, CASES_LEFT_OUT, country, org, 0, &grid.cells()).await?;
        }
    }
    Ok(())
}

/// Cells written per statement.
const BATCH: usize = 500;

async fn write_grid(
    tx: &mut Tx,
    measure: &str,
    country: &str,
    org: &str,
    consented: i64,
    cells: &[Cell],
) -> Result<(), StoreError> {
    for chunk in cells.chunks(BATCH) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = 4 + i * 4;
                format!(
                    "($1, $2, $3, ${}, ${}, $4, '', NULL, ${}, ${}, 0, 0)",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4
                )
            })
            .collect();
        let sql = format!("{INSERT} VALUES {}", rows.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(measure.to_string())
            .bind(country.to_string())
            .bind(org.to_string())
            .bind(consented);
        for c in chunk {
            let to = if c.to == OPEN {
                OPEN_TEXT.to_string()
            } else {
                spans::month_text(c.to)
            };
            q = q
                .bind(spans::month_text(c.from))
                .bind(to)
                .bind(c.n)
                .bind(i64::from(c.key));
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}

fn keyed(row: &sqlx::any::AnyRow) -> Result<Keyed, StoreError> {
    let n: i64 = row.try_get("n")?;
    let k: i64 = row.try_get("k")?;
    Ok((n.max(0) as u64, (k & 0xFFFF_FFFF) as u32))
}

pub(super) fn join(a: Keyed, b: Keyed) -> Keyed {
    (a.0 + b.0, passage_stats::cellkey::add(a.1, b.1))
}

/// `YYYY-MM` of a day.
fn month(day: Day) -> String {
    day.to_string().chars().take(7).collect()
}

/// The rows of a measure at a place from `from`'s month to `to`'s (`$1` measure, `$2`
/// country, `$3` organisation or '', `$4`/`$5` the months).
const AT: &str = "measure = $1 AND country = $2 AND ($3 = '' OR org_id = $3) \
    AND month >= $4 AND month <= $5";

impl Store {
    /// A counted measure's consented events by month, and the events left out.
    pub(super) async fn counted_by_month(
        &self,
        at: &Where<'_>,
        measure: &str,
        from: Day,
        to: Day,
    ) -> Result<(BTreeMap<String, Keyed>, Keyed), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT month, consented, CAST(SUM(n) AS BIGINT) AS n, \
               CAST(SUM(key_sum) % 4294967296 AS BIGINT) AS k \
             FROM stats_measure_cells WHERE {AT} GROUP BY month, consented"
        )))
        .bind(measure)
        .bind(at.country)
        .bind(at.org)
        .bind(month(from))
        .bind(month(to))
        .fetch_all(&self.pool)
        .await?;
        let mut months = BTreeMap::new();
        let mut excluded = (0, 0);
        for row in rows {
            let n = keyed(&row)?;
            if row.try_get::<i64, _>("consented")? == 1 {
                months.insert(row.try_get("month")?, n);
            } else {
                excluded = join(excluded, n);
            }
        }
        Ok((months, excluded))
    }

    /// The cells of a grid that meet the period: the persons' (`org` '' for the country's own
    /// grid) or the cases left out (every organisation's grid when `org` is '').
    pub(super) async fn grid_cells(
        &self,
        at: &Where<'_>,
        measure: &str,
        from: Day,
        to: Day,
    ) -> Result<Vec<Cell>, StoreError> {
        let org_clause = if measure == PERSONS {
            "org_id = $3"
        } else {
            "($3 = '' OR org_id = $3)"
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT month, until_month, n, key_sum FROM stats_measure_cells \
             WHERE measure = $1 AND country = $2 AND {org_clause} \
               AND month <= $5 AND until_month >= $4"
        )))
        .bind(measure)
        .bind(at.country)
        .bind(at.org)
        .bind(month(from))
        .bind(month(to))
        .fetch_all(&self.pool)
        .await?;
        let mut cells = Vec::with_capacity(rows.len());
        for row in rows {
            let from: String = row.try_get("month")?;
            let to: String = row.try_get("until_month")?;
            let to = if to == OPEN_TEXT {
                Some(OPEN)
            } else {
                spans::month_number(&to)
            };
            let (Some(from), Some(to)) = (spans::month_number(&from), to) else {
                continue;
            };
            let key: i64 = row.try_get("key_sum")?;
            cells.push(Cell {
                from,
                to,
                n: row.try_get("n")?,
                key: (key & 0xFFFF_FFFF) as u32,
            });
        }
        Ok(cells)
    }

    /// Days to a first service of the period's consented cases (days → cases), the fewest
    /// cases of any month and organisation that has some, and the cases left out.
    pub(super) async fn first_service_counts(
        &self,
        at: &Where<'_>,
        from: Day,
        to: Day,
    ) -> Result<(BTreeMap<u64, u64>, u64, Keyed), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT month, org_id, consented, value, n, key_sum AS k \
             FROM stats_measure_cells WHERE {AT}"
        )))
        .bind(FIRST_SERVICE)
        .bind(at.country)
        .bind(at.org)
        .bind(month(from))
        .bind(month(to))
        .fetch_all(&self.pool)
        .await?;
        let mut values: BTreeMap<u64, u64> = BTreeMap::new();
        let mut groups: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut excluded = (0, 0);
        for row in rows {
            let n = keyed(&row)?;
            if row.try_get::<i64, _>("consented")? != 1 {
                excluded = join(excluded, n);
                continue;
            }
            let Some(v) = row.try_get::<Option<i64>, _>("value")? else {
                continue;
            };
            *values.entry(v.max(0) as u64).or_default() += n.0;
            *groups
                .entry((row.try_get("month")?, row.try_get("org_id")?))
                .or_default() += n.0;
        }
        let fewest = groups.values().copied().min().unwrap_or(0);
        Ok((values, fewest, excluded))
    }

    /// Compensation paid in the period by currency (sum in minor units, and the fewest distinct
    /// cases of any month and organisation that paid some), and the payments left out.
    pub(super) async fn compensation_sums(
        &self,
        at: &Where<'_>,
        from: Day,
        to: Day,
    ) -> Result<(BTreeMap<String, (u64, u64)>, Keyed), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT consented, currency, total, cases, n, key_sum AS k \
             FROM stats_measure_cells WHERE {AT}"
        )))
        .bind(COMPENSATION)
        .bind(at.country)
        .bind(at.org)
        .bind(month(from))
        .bind(month(to))
        .fetch_all(&self.pool)
        .await?;
        let mut sums: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let mut excluded = (0, 0);
        for row in rows {
            if row.try_get::<i64, _>("consented")? != 1 {
                excluded = join(excluded, keyed(&row)?);
                continue;
            }
            let total: i64 = row.try_get("total")?;
            let cases: i64 = row.try_get("cases")?;
            let entry = sums
                .entry(row.try_get("currency")?)
                .or_insert((0, u64::MAX));
            entry.0 += total.max(0) as u64;
            entry.1 = entry.1.min(cases.max(0) as u64);
        }
        Ok((sums, excluded))
    }
}
