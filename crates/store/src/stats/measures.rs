//! The four Ps (prevention, protection, prosecution, partnership): a fixed list of measures
//! counted from the event facts of the day's release ([`super::events`]), never from the sealed
//! record, through the same door as [`Store::stats_summary`]:
//!
//! - the same gate (`ReadStatistics`: analysts and immigration enforcement included), the same
//!   whole released months ([`super::released_period`]);
//! - counts carry the same cell-key noise, and every count from 1 to k − 1 is suppressed; a
//!   measure's months are one line protected with its total (`protect_line`), the period figure
//!   being that total, so that no hidden month can be worked out from it;
//! - the median days to a first service and the compensation recovered are not counts: they
//!   carry no noise, and are published only when every month and organisation that
//!   contributes gives at least k cases — so two answers (periods a month apart, an
//!   organisation and its country) never differ by fewer than k people — the median rounded
//!   to whole days (halves up), the sum rounded to three significant figures;
//! - everything about a person counts only when the person's statistics consent is in force
//!   at the cut; each measure says how many it left out. Reports received and rights pages read
//!   count no one: a report counts as the organisation's work, with nothing about the reporter,
//!   and a read is a number per page and day.
//!
//! A staff member may ask for their own organisation's figures only; without an organisation
//! the answer is the national figure: every organisation of the asker's organisation's country.

use super::events::kind;
use super::{Disclosure, NOISE_SCALE, Question, released_period, stats_error};
use crate::{Actor, Store, StoreError};
use passage_core::DenyReason;
use passage_core::casework::calendar::Day;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_stats::cellkey;
use passage_stats::suppress::{Shown, protect_line};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The four Ps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pillar {
    Prevention,
    Protection,
    Prosecution,
    Partnership,
}

impl Pillar {
    pub const ALL: &'static [Pillar] = &[
        Pillar::Prevention,
        Pillar::Protection,
        Pillar::Prosecution,
        Pillar::Partnership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::Prevention => "prevention",
            Pillar::Protection => "protection",
            Pillar::Prosecution => "prosecution",
            Pillar::Partnership => "partnership",
        }
    }
}

/// A question: the period (widened to whole released months) and, optionally, the asker's own
/// organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureQuestion {
    pub from: Option<Day>,
    pub to: Option<Day>,
    pub org: Option<Uuid>,
}

/// One measure over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub pillar: Pillar,
    pub measure: String,
    /// The currency of a sum of money (ISO 4217), in minor units; `None` for other measures.
    pub currency: Option<String>,
    /// `None` when suppressed, or when there is nothing to take a median of.
    pub value: Option<u64>,
    pub suppressed: bool,
    /// Events (cases, services, referrals, proceedings, payments) of the period left out
    /// because the person's statistics consent was not in force, with the noise of a count.
    pub excluded_without_consent: u64,
}

/// One month of a counted measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthFigure {
    /// `YYYY-MM`.
    pub month: String,
    pub measure: String,
    pub value: Option<u64>,
    pub suppressed: bool,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measures {
    pub k: u64,
    /// The period counted: whole months, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// The UTC day of the release the figures come from.
    pub released_on: String,
    /// The country of the national figure, or of the organisation asked about.
    pub country: String,
    /// The organisation asked about; `None` for the national figure.
    pub org: Option<Uuid>,
    pub figures: Vec<Figure>,
    pub months: Vec<MonthFigure>,
}

/// A measure counted from one kind of event.
struct Counted {
    measure: &'static str,
    kind: &'static str,
    /// A further condition on the event's coarse values (fixed text, never from a question).
    only: &'static str,
}

const COUNTED: &[Counted] = &[
    Counted {
        measure: "complaints_received",
        kind: kind::REPORT,
        only: "",
    },
    Counted {
        measure: "services_delivered",
        kind: kind::SERVICE,
        only: "",
    },
    Counted {
        measure: "referrals_accepted",
        kind: kind::REFERRAL_ACCEPTED,
        only: "",
    },
    // A law-enforcement organisation receives a referral only with the person's consent to
    // that organisation (the referral rules), so each of these carried it.
    Counted {
        measure: "referred_to_law_enforcement",
        kind: kind::REFERRAL_ACCEPTED,
        only: " AND receiver_kind = 'law_enforcement'",
    },
    Counted {
        measure: "proceedings_opened",
        kind: kind::PROCEEDING,
        only: "",
    },
    Counted {
        measure: "cross_organisation_referrals",
        kind: kind::REFERRAL,
        only: "",
    },
    Counted {
        measure: "cross_border_referrals",
        kind: kind::REFERRAL,
        only: " AND cross_border = 1",
    },
];

/// Every measure, in the order answers list them.
pub const MEASURES: &[(Pillar, &str)] = &[
    (Pillar::Prevention, "complaints_received"),
    (Pillar::Prevention, "rights_pages_read"),
    (Pillar::Protection, "persons_assisted"),
    (Pillar::Protection, "services_delivered"),
    (Pillar::Protection, "referrals_accepted"),
    (Pillar::Protection, "days_to_first_service"),
    (Pillar::Prosecution, "referred_to_law_enforcement"),
    (Pillar::Prosecution, "proceedings_opened"),
    (Pillar::Prosecution, "compensation_recovered"),
    (Pillar::Partnership, "cross_organisation_referrals"),
    (Pillar::Partnership, "cross_border_referrals"),
];

/// A count and its cell key.
type Keyed = (u64, u32);

fn keyed(row: &sqlx::any::AnyRow) -> Result<Keyed, StoreError> {
    let n: i64 = row.try_get("n")?;
    let k: i64 = row.try_get("k")?;
    Ok((n.max(0) as u64, (k & 0xFFFF_FFFF) as u32))
}

/// A consented case's time open, as the four Ps count persons assisted.
struct Span {
    subject: Option<String>,
    key: i64,
    opened: String,
    closed: Option<String>,
}

/// Persons with a case open at some point from `from` to `to`, each once with the smallest
/// cell key of their cases open then: what `persons_open` counts, from spans read once.
fn persons_within(spans: &[Span], from: Day, to: Day) -> Keyed {
    let (from, to) = (from.to_string(), to.to_string());
    let mut persons: BTreeMap<Option<&str>, i64> = BTreeMap::new();
    for s in spans {
        let open = s.opened.as_str() <= to.as_str()
            && s.closed.as_deref().is_none_or(|c| c >= from.as_str());
        if open {
            let k = persons.entry(s.subject.as_deref()).or_insert(s.key);
            *k = (*k).min(s.key);
        }
    }
    let sum = persons
        .values()
        .fold(0u64, |acc, k| acc.wrapping_add(*k as u64));
    (persons.len() as u64, (sum & 0xFFFF_FFFF) as u32)
}

fn join(a: Keyed, b: Keyed) -> Keyed {
    (a.0 + b.0, cellkey::add(a.1, b.1))
}

/// The months from `from` to `to`, as `YYYY-MM`.
fn months_of(from: Day, to: Day) -> Vec<(String, Day, Day)> {
    let mut out = Vec::new();
    let mut m = from;
    while m <= to {
        let next = m.plus_months(1);
        out.push((
            m.to_string()[..7].to_string(),
            m,
            next.plus_days(-1).min(to),
        ));
        m = next;
    }
    out
}

/// The median of sorted values, rounded to whole days with halves up.
fn median(sorted: &[u64]) -> Option<u64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]).div_ceil(2)),
    }
}

/// A sum rounded to three significant figures (halves up).
fn three_figures(v: u64) -> u64 {
    let digits = v.checked_ilog10().map_or(1, |d| d + 1);
    if digits <= 3 {
        return v;
    }
    let p = 10u64.pow(digits - 3);
    (v / p + u64::from((v % p) * 2 >= p)) * p
}

/// Where: the country, and the organisation when one is asked about (`$2`, `$3`, `$4` are the
/// country, the organisation or '' and the first day; `$5` the last day).
const PLACE: &str = "country = $2 AND ($3 = '' OR org_id = $3) AND day >= $4 AND day <= $5";

impl Store {
    /// The four Ps over a question's period, from today's release (cut now if no one has asked
    /// today).
    pub async fn stats_measures(
        &self,
        actor: &Actor,
        question: &MeasureQuestion,
        disclosure: Disclosure,
    ) -> Result<Measures, StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadStatistics,
            Relation::Unrelated,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        if let Some(org) = question.org
            && org != actor.org_id()
        {
            let mut tx = self.begin().await?;
            tx.audit(actor.event(
                "stats.measures",
                "organisation",
                Some(org.to_string()),
                "refused",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::Forbidden(DenyReason::OutOfScope));
        }
        let today = self.clock.today();
        let period = Question {
            by: Vec::new(),
            from: question.from,
            to: question.to,
            org: None,
        };
        let (from, to) = released_period(&period, today)?;
        let released_on = self.cut_release(today).await?;
        let (country,): (String,) =
            sqlx::query_as("SELECT country FROM organisations WHERE id = $1")
                .bind(actor.org_id().to_string())
                .fetch_one(&self.pool)
                .await?;
        let org = question.org.map(|o| o.to_string()).unwrap_or_default();
        let secret = self.keys.stats_key();
        let noisy = |(n, key): Keyed| -> Result<u64, StoreError> {
            if disclosure.noise {
                cellkey::perturb(&secret, key, n, NOISE_SCALE.0, NOISE_SCALE.1).map_err(stats_error)
            } else {
                Ok(n)
            }
        };
        let k = disclosure.k;
        let primary = |n: u64| -> Shown {
            if n > 0 && n < k {
                Shown::Suppressed
            } else {
                Shown::Count(n)
            }
        };
        let months = months_of(from, to);
        let at = Where {
            country: &country,
            org: &org,
        };
        let mut figures = Vec::new();
        let mut series = Vec::new();
        let mut line = |measure: &str, counts: &[u64]| -> Shown {
            let (cells, total) = protect_line(counts, k);
            for ((month, _, _), shown) in months.iter().zip(cells) {
                series.push(MonthFigure {
                    month: month.clone(),
                    measure: measure.to_string(),
                    value: shown.count(),
                    suppressed: shown.is_suppressed(),
                });
            }
            total
        };
        let figure = |pillar, measure: &str, shown: Shown, excluded: u64| Figure {
            pillar,
            measure: measure.to_string(),
            currency: None,
            value: shown.count(),
            suppressed: shown.is_suppressed(),
            excluded_without_consent: excluded,
        };
        for &(pillar, measure) in MEASURES {
            match measure {
                "rights_pages_read" => {
                    // Pages belong to no organisation: a national figure only.
                    if question.org.is_some() {
                        continue;
                    }
                    let by_month = self.rights_reads(&country, from, to).await?;
                    let mut counts = Vec::with_capacity(months.len());
                    for (month, _, _) in &months {
                        let n = by_month.get(month).copied().unwrap_or(0);
                        let key =
                            cellkey::record_key(&secret, &format!("rights:{country}:{month}"));
                        counts.push(noisy((n, key))?);
                    }
                    let total = line(measure, &counts);
                    figures.push(figure(pillar, measure, total, 0));
                }
                "persons_assisted" => {
                    // One read of the period's consented cases, counted for every month and
                    // for the period (the same as asking each of them on its own).
                    let spans = self.consented_case_spans(&at, from, to).await?;
                    let mut counts = Vec::with_capacity(months.len());
                    for (_, a, b) in &months {
                        counts.push(noisy(persons_within(&spans, *a, *b))?);
                    }
                    // Months are not additive (one person is open in many): the line's total
                    // is not published; the period has its own count.
                    line(measure, &counts);
                    let n = noisy(persons_within(&spans, from, to))?;
                    let excluded = noisy(self.persons_open(&at, from, to, false).await?)?;
                    figures.push(figure(pillar, measure, primary(n), excluded));
                }
                "days_to_first_service" => {
                    let (values, fewest, excluded) = self.first_service_days(&at, from, to).await?;
                    // Every month and organisation that contributes gives at least k cases, so
                    // that no two answers (periods a month apart, one organisation and the
                    // country) differ by fewer than k people.
                    let shown = if values.is_empty() {
                        None
                    } else if fewest < k {
                        Some(Shown::Suppressed)
                    } else {
                        median(&values).map(Shown::Count)
                    };
                    figures.push(Figure {
                        pillar,
                        measure: measure.to_string(),
                        currency: None,
                        value: shown.and_then(Shown::count),
                        suppressed: shown.is_some_and(Shown::is_suppressed),
                        excluded_without_consent: noisy(excluded)?,
                    });
                }
                "compensation_recovered" => {
                    let (sums, excluded) = self.compensation(&at, from, to).await?;
                    let excluded = noisy(excluded)?;
                    if sums.is_empty() {
                        figures.push(figure(pillar, measure, Shown::Count(0), excluded));
                    }
                    // As for the median: every month and organisation that paid gives at
                    // least k cases, or the sum is hidden.
                    for (currency, (sum, fewest)) in sums {
                        let shown = if fewest < k {
                            Shown::Suppressed
                        } else {
                            Shown::Count(three_figures(sum))
                        };
                        figures.push(Figure {
                            currency: Some(currency),
                            ..figure(pillar, measure, shown, excluded)
                        });
                    }
                }
                _ => {
                    let Some(c) = COUNTED.iter().find(|c| c.measure == measure) else {
                        continue;
                    };
                    let (by_month, excluded) = self.count_events(&at, c, from, to).await?;
                    let mut counts = Vec::with_capacity(months.len());
                    for (month, _, _) in &months {
                        counts.push(noisy(by_month.get(month).copied().unwrap_or((0, 0)))?);
                    }
                    let total = line(measure, &counts);
                    let excluded = if c.kind == kind::REPORT {
                        0
                    } else {
                        noisy(excluded)?
                    };
                    figures.push(figure(pillar, measure, total, excluded));
                }
            }
        }
        Ok(Measures {
            k,
            from: from.to_string(),
            to: to.to_string(),
            released_on,
            country,
            org: question.org,
            figures,
            months: series,
        })
    }

    /// Consented events of one measure by month, and the events left out over the period.
    async fn count_events(
        &self,
        at: &Where<'_>,
        c: &Counted,
        from: Day,
        to: Day,
    ) -> Result<(BTreeMap<String, Keyed>, Keyed), StoreError> {
        let sql = format!(
            "SELECT SUBSTR(day, 1, 7) AS month, consented, COUNT(*) AS n, \
                CAST(COALESCE(SUM(record_key), 0) % 4294967296 AS BIGINT) AS k \
             FROM stats_events WHERE source_kind = $1 AND {PLACE}{only} \
             GROUP BY SUBSTR(day, 1, 7), consented",
            only = c.only
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(c.kind)
            .bind(at.country)
            .bind(at.org)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        let mut months = BTreeMap::new();
        let mut excluded = (0, 0);
        for row in rows {
            let month: String = row.try_get("month")?;
            let consented: i64 = row.try_get("consented")?;
            let n = keyed(&row)?;
            if consented == 1 {
                months.insert(month, n);
            } else {
                excluded = join(excluded, n);
            }
        }
        Ok((months, excluded))
    }

    /// The consented cases open at some point from `from` to `to`: person, cell key, opening
    /// day and closing day.
    async fn consented_case_spans(
        &self,
        at: &Where<'_>,
        from: Day,
        to: Day,
    ) -> Result<Vec<Span>, StoreError> {
        let rows = sqlx::query(
            "SELECT subject, record_key, day, until_day FROM stats_events \
             WHERE source_kind = 'case' AND consented = 1 AND country = $1 \
               AND ($2 = '' OR org_id = $2) AND day <= $4 \
               AND (until_day IS NULL OR until_day >= $3)",
        )
        .bind(at.country)
        .bind(at.org)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut spans = Vec::with_capacity(rows.len());
        for row in rows {
            spans.push(Span {
                subject: row.try_get("subject")?,
                key: row.try_get("record_key")?,
                opened: row.try_get("day")?,
                closed: row.try_get("until_day")?,
            });
        }
        Ok(spans)
    }

    /// Persons with a case open at some point from `from` to `to` (each once, keyed by the
    /// person), or, when not `consented`, the cases left out.
    async fn persons_open(
        &self,
        at: &Where<'_>,
        from: Day,
        to: Day,
        consented: bool,
    ) -> Result<Keyed, StoreError> {
        // The period's days are bound as $4 and $5: a case opened by the last day and not
        // closed before the first.
        let open = "source_kind = 'case' AND country = $2 AND ($3 = '' OR org_id = $3) \
                    AND day <= $5 AND (until_day IS NULL OR until_day >= $4)";
        let sql = if consented {
            format!(
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(x.k), 0) % 4294967296 AS BIGINT) AS k \
                 FROM (SELECT subject, MIN(record_key) AS k FROM stats_events \
                       WHERE consented = $1 AND {open} GROUP BY subject) x"
            )
        } else {
            format!(
                "SELECT COUNT(*) AS n, \
                    CAST(COALESCE(SUM(record_key), 0) % 4294967296 AS BIGINT) AS k \
                 FROM stats_events WHERE consented = $1 AND {open}"
            )
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(consented))
            .bind(at.country)
            .bind(at.org)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&self.pool)
            .await?;
        keyed(&row)
    }

    /// Days from first contact to first service of the consented cases whose first service fell
    /// in the period (sorted), the fewest cases of any month and organisation that has some, and
    /// the cases left out.
    async fn first_service_days(
        &self,
        at: &Where<'_>,
        from: Day,
        to: Day,
    ) -> Result<(Vec<u64>, u64, Keyed), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT value, SUBSTR(day, 1, 7) AS month, org_id FROM stats_events \
             WHERE source_kind = $1 AND consented = 1 AND value IS NOT NULL AND {PLACE} \
             ORDER BY value"
        )))
        .bind(kind::FIRST_SERVICE)
        .bind(at.country)
        .bind(at.org)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut values = Vec::with_capacity(rows.len());
        let mut groups: BTreeMap<(String, String), u64> = BTreeMap::new();
        for row in rows {
            let v: i64 = row.try_get("value")?;
            values.push(v.max(0) as u64);
            *groups
                .entry((row.try_get("month")?, row.try_get("org_id")?))
                .or_default() += 1;
        }
        let fewest = groups.values().copied().min().unwrap_or(0);
        let excluded = self.left_out(at, kind::FIRST_SERVICE, from, to).await?;
        Ok((values, fewest, excluded))
    }

    /// Compensation paid in the period by currency (sum in minor units, and the fewest distinct
    /// cases of any month and organisation that paid some), and the payments left out.
    async fn compensation(
        &self,
        at: &Where<'_>,
        from: Day,
        to: Day,
    ) -> Result<(BTreeMap<String, (u64, u64)>, Keyed), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COALESCE(currency, '') AS currency, SUBSTR(day, 1, 7) AS month, org_id, \
                CAST(COALESCE(SUM(value), 0) AS BIGINT) AS total, \
                COUNT(DISTINCT case_id) AS cases \
             FROM stats_events WHERE source_kind = $1 AND consented = 1 AND {PLACE} \
             GROUP BY COALESCE(currency, ''), SUBSTR(day, 1, 7), org_id"
        )))
        .bind(kind::COMPENSATION)
        .bind(at.country)
        .bind(at.org)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut sums: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for row in rows {
            let currency: String = row.try_get("currency")?;
            let total: i64 = row.try_get("total")?;
            let cases: i64 = row.try_get("cases")?;
            let entry = sums.entry(currency).or_insert((0, u64::MAX));
            entry.0 += total.max(0) as u64;
            entry.1 = entry.1.min(cases.max(0) as u64);
        }
        let excluded = self.left_out(at, kind::COMPENSATION, from, to).await?;
        Ok((sums, excluded))
    }

    /// Events of a kind in the period left out for want of consent.
    async fn left_out(
        &self,
        at: &Where<'_>,
        kind: &str,
        from: Day,
        to: Day,
    ) -> Result<Keyed, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(record_key), 0) % 4294967296 AS BIGINT) AS k \
             FROM stats_events WHERE source_kind = $1 AND consented = 0 AND {PLACE}"
        )))
        .bind(kind)
        .bind(at.country)
        .bind(at.org)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_one(&self.pool)
        .await?;
        keyed(&row)
    }

    /// Rights pages read in the country by month (`YYYY-MM` → reads).
    async fn rights_reads(
        &self,
        country: &str,
        from: Day,
        to: Day,
    ) -> Result<BTreeMap<String, u64>, StoreError> {
        let rows = sqlx::query(
            "SELECT SUBSTR(day, 1, 7) AS month, CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n \
             FROM stats_rights_reads WHERE country = $1 AND day >= $2 AND day <= $3 \
             GROUP BY SUBSTR(day, 1, 7)",
        )
        .bind(country)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = BTreeMap::new();
        for row in rows {
            let month: String = row.try_get("month")?;
            let n: i64 = row.try_get("n")?;
            out.insert(month, n.max(0) as u64);
        }
        Ok(out)
    }
}

/// Where figures are counted: the country, and the organisation or ''.
struct Where<'a> {
    country: &'a str,
    org: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_round_halves_up_and_sums_keep_three_figures() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3]), Some(3));
        assert_eq!(median(&[1, 2, 9]), Some(2));
        assert_eq!(median(&[1, 2, 3, 9]), Some(3));
        assert_eq!(median(&[2, 2, 4, 4]), Some(3));
        assert_eq!(three_figures(0), 0);
        assert_eq!(three_figures(999), 999);
        assert_eq!(three_figures(12_345), 12_300);
        assert_eq!(three_figures(12_350), 12_400);
        assert_eq!(three_figures(1_234_999), 1_230_000);
    }

    #[test]
    fn a_person_open_in_a_period_counts_once_with_their_smallest_key() {
        let span = |subject: Option<&str>, key: i64, opened: &str, closed: Option<&str>| Span {
            subject: subject.map(str::to_string),
            key,
            opened: opened.to_string(),
            closed: closed.map(str::to_string),
        };
        let spans = [
            span(Some("a"), 7, "2026-01-05", Some("2026-02-10")),
            span(Some("a"), 3, "2026-02-01", None),
            span(Some("b"), 5, "2026-03-02", None),
            span(Some("c"), 9, "2025-11-01", Some("2025-12-31")),
            span(None, 4, "2026-01-20", Some("2026-01-21")),
        ];
        let day = |d: &str| Day::parse(d).unwrap();
        // January: a (key 7) and the person without a pseudonym (4); c closed before.
        assert_eq!(
            persons_within(&spans, day("2026-01-01"), day("2026-01-31")),
            (2, 11)
        );
        // February: a once, with the smaller of its two keys.
        assert_eq!(
            persons_within(&spans, day("2026-02-01"), day("2026-02-28")),
            (1, 3)
        );
        // The quarter: a, b and the unnamed one; c is out.
        assert_eq!(
            persons_within(&spans, day("2026-01-01"), day("2026-03-31")),
            (3, 12)
        );
    }

    #[test]
    fn months_cover_the_period() {
        let d = |s| Day::parse(s).unwrap();
        let m = months_of(d("2026-01-01"), d("2026-03-31"));
        let names: Vec<&str> = m.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(m[1].2, d("2026-02-28"));
    }
}
