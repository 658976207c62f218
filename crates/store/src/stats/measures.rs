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
use super::measure_cells::{CASES_LEFT_OUT, Counted, Keyed, PERSONS, Where};
use super::{Disclosure, NOISE_SCALE, Question, released_period, stats_error};
use crate::{Actor, Store, StoreError};
use passage_core::DenyReason;
use passage_core::casework::calendar::Day;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_stats::cellkey;
use passage_stats::spans::{Month, open_in};
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

pub(super) const COUNTED: &[Counted] = &[
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

/// A day's month as a number.
fn month_no(day: Day) -> Month {
    // A day always reads as its month.
    passage_stats::spans::month_number(&day.to_string()).unwrap_or(0)
}

/// The median of values given as value → how many, rounded to whole days with halves up.
fn median(counts: &BTreeMap<u64, u64>) -> Option<u64> {
    let n: u64 = counts.values().sum();
    if n == 0 {
        return None;
    }
    // The values at positions (n − 1) / 2 and n / 2 (0-based) of the sorted list.
    let at = |pos: u64| {
        let mut seen = 0;
        for (&v, &c) in counts {
            seen += c;
            if pos < seen {
                return v;
            }
        }
        0
    };
    Some((at((n - 1) / 2) + at(n / 2)).div_ceil(2))
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
                    let cells = self.grid_cells(&at, PERSONS, from, to).await?;
                    let mut counts = Vec::with_capacity(months.len());
                    for (_, a, b) in &months {
                        counts.push(noisy(open_in(&cells, month_no(*a), month_no(*b)))?);
                    }
                    // Months are not additive (one person is open in many): the line's total
                    // is not published; the period has its own count.
                    line(measure, &counts);
                    let (a, b) = (month_no(from), month_no(to));
                    let n = noisy(open_in(&cells, a, b))?;
                    let left = self.grid_cells(&at, CASES_LEFT_OUT, from, to).await?;
                    let excluded = noisy(open_in(&left, a, b))?;
                    figures.push(figure(pillar, measure, primary(n), excluded));
                }
                "days_to_first_service" => {
                    let (values, fewest, excluded) =
                        self.first_service_counts(&at, from, to).await?;
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
                    let (sums, excluded) = self.compensation_sums(&at, from, to).await?;
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
                    let (by_month, excluded) =
                        self.counted_by_month(&at, c.measure, from, to).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_round_halves_up_and_sums_keep_three_figures() {
        let counts = |v: &[u64]| {
            let mut m = BTreeMap::new();
            for x in v {
                *m.entry(*x).or_insert(0) += 1;
            }
            m
        };
        assert_eq!(median(&counts(&[])), None);
        assert_eq!(median(&counts(&[3])), Some(3));
        assert_eq!(median(&counts(&[1, 2, 9])), Some(2));
        assert_eq!(median(&counts(&[9, 1, 3, 2])), Some(3));
        assert_eq!(median(&counts(&[2, 2, 4, 4])), Some(3));
        assert_eq!(median(&counts(&[5, 5, 5, 1])), Some(5));
        assert_eq!(three_figures(0), 0);
        assert_eq!(three_figures(999), 999);
        assert_eq!(three_figures(12_345), 12_300);
        assert_eq!(three_figures(12_350), 12_400);
        assert_eq!(three_figures(1_234_999), 1_230_000);
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
