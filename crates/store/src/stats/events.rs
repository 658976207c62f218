//! The event facts of the four Ps, refreshed at the day's release with the case facts.
//!
//! One row per piece of an organisation's work the measures count: a report received, a case
//! (open from its opening to its closing day), a service delivered, a case's first service, a
//! referral sent to another organisation, a referral accepted, a proceeding opened, a
//! compensation payment. A row is refreshed when it is missing or when its source, its case or
//! one of its person's consents changed since the last refresh, in rounds of a few hundred, each
//! in its own transaction; a row whose source is gone is deleted.
//!
//! Reports are about the organisation's own work and count without consent: nothing about the
//! reporter is copied. Every other kind is about a person, and keeps its coarse values (stage,
//! days, amount, currency, pseudonym) only when the person's statistics consent is in force at
//! the cut; otherwise it keeps what places it in a measure, to be counted as left out.

use crate::{Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_stats::cellkey;
use sqlx::Row;

/// Rows refreshed per transaction.
const ROUND: i64 = 500;

/// The kinds of event, as stored in `stats_events.source_kind`.
pub(crate) mod kind {
    pub const REPORT: &str = "report";
    pub const CASE: &str = "case";
    pub const SERVICE: &str = "service";
    pub const FIRST_SERVICE: &str = "first_service";
    pub const REFERRAL: &str = "referral";
    pub const REFERRAL_ACCEPTED: &str = "referral_accepted";
    pub const PROCEEDING: &str = "proceeding";
    pub const COMPENSATION: &str = "compensation";
}

/// Whether the case's person has a statistics consent in force (`c` is the case).
const CONSENTS: &str = "(SELECT COUNT(*) FROM consents k WHERE k.person_id = c.person_id \
     AND k.purpose = 'statistics' AND k.withdrawn_at IS NULL)";

/// Whether the case or one of its person's consents changed since the row's refresh.
const CASE_CHANGED: &str = "c.updated_at >= e.refreshed_at \
     OR EXISTS (SELECT 1 FROM consents k WHERE k.person_id = c.person_id \
       AND (k.given_at >= e.refreshed_at OR k.withdrawn_at >= e.refreshed_at))";

/// One kind's source: the columns every kind selects, from its tables, for rows after `$1`.
struct Source {
    kind: &'static str,
    /// `id, org_id, country, at_ms, on_day, until_ms, contact_ms, person_id, case_id, stage,
    /// cross_border, receiver_kind, value, currency, consents`.
    select: &'static str,
    /// The source tables, joined so that `src_id` names the row and `e` its event row.
    from: &'static str,
    /// What marks a row to refresh besides a missing event row.
    changed: String,
    /// Which events of the kind no longer have a source.
    gone: &'static str,
}

fn sources() -> Vec<Source> {
    vec![
        Source {
            kind: kind::REPORT,
            select: "r.id AS id, r.org_id AS org_id, o.country AS country, \
                     r.received_at AS at_ms, CAST(NULL AS TEXT) AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     CAST(NULL AS TEXT) AS person_id, CAST(NULL AS TEXT) AS case_id, \
                     CAST(NULL AS TEXT) AS stage, CAST(NULL AS BIGINT) AS cross_border, \
                     CAST(NULL AS TEXT) AS receiver_kind, CAST(NULL AS BIGINT) AS value, \
                     CAST(NULL AS TEXT) AS currency, CAST(1 AS BIGINT) AS consents",
            from: "reports r JOIN organisations o ON o.id = r.org_id \
                   LEFT JOIN stats_events e ON e.source_kind = 'report' AND e.source_id = r.id \
                   WHERE r.id > $1",
            changed: "r.updated_at >= e.refreshed_at".into(),
            gone: "NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = stats_events.source_id \
                   AND r.org_id IS NOT NULL)",
        },
        Source {
            kind: kind::CASE,
            select: "c.id AS id, c.org_id AS org_id, o.country AS country, \
                     c.created_at AS at_ms, CAST(NULL AS TEXT) AS on_day, \
                     c.closed_at AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(NULL AS BIGINT) AS cross_border, CAST(NULL AS TEXT) AS receiver_kind, \
                     CAST(NULL AS BIGINT) AS value, CAST(NULL AS TEXT) AS currency",
            from: "cases c JOIN organisations o ON o.id = c.org_id \
                   LEFT JOIN stats_events e ON e.source_kind = 'case' AND e.source_id = c.id \
                   WHERE c.id > $1",
            changed: CASE_CHANGED.into(),
            gone: "NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = stats_events.source_id)",
        },
        Source {
            kind: kind::SERVICE,
            select: "sv.id AS id, c.org_id AS org_id, o.country AS country, \
                     CAST(NULL AS BIGINT) AS at_ms, sv.delivered_on AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(NULL AS BIGINT) AS cross_border, CAST(NULL AS TEXT) AS receiver_kind, \
                     CAST(NULL AS BIGINT) AS value, CAST(NULL AS TEXT) AS currency",
            from: "services sv JOIN cases c ON c.id = sv.case_id \
                   JOIN organisations o ON o.id = c.org_id \
                   LEFT JOIN stats_events e ON e.source_kind = 'service' AND e.source_id = sv.id \
                   WHERE sv.id > $1",
            changed: CASE_CHANGED.into(),
            gone: "NOT EXISTS (SELECT 1 FROM services sv WHERE sv.id = stats_events.source_id)",
        },
        Source {
            kind: kind::FIRST_SERVICE,
            select: "c.id AS id, c.org_id AS org_id, o.country AS country, \
                     c.created_at AS at_ms, \
                     (SELECT MIN(sv.delivered_on) FROM services sv WHERE sv.case_id = c.id) \
                       AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, \
                     (SELECT MIN(r.received_at) FROM reports r WHERE r.case_id = c.id) \
                       AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(NULL AS BIGINT) AS cross_border, CAST(NULL AS TEXT) AS receiver_kind, \
                     CAST(NULL AS BIGINT) AS value, CAST(NULL AS TEXT) AS currency",
            from: "cases c JOIN organisations o ON o.id = c.org_id \
                   LEFT JOIN stats_events e ON e.source_kind = 'first_service' \
                     AND e.source_id = c.id \
                   WHERE c.id > $1 \
                     AND EXISTS (SELECT 1 FROM services sv WHERE sv.case_id = c.id)",
            changed: format!(
                "{CASE_CHANGED} OR EXISTS (SELECT 1 FROM services sv WHERE sv.case_id = c.id \
                   AND sv.created_at >= e.refreshed_at) \
                 OR EXISTS (SELECT 1 FROM reports r WHERE r.case_id = c.id \
                   AND r.updated_at >= e.refreshed_at)"
            ),
            gone: "NOT EXISTS (SELECT 1 FROM services sv \
                   WHERE sv.case_id = stats_events.source_id)",
        },
        Source {
            kind: kind::REFERRAL,
            select: "r.id AS id, r.from_org AS org_id, o.country AS country, \
                     r.sent_at AS at_ms, CAST(NULL AS TEXT) AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(CASE WHEN t.country <> o.country THEN 1 ELSE 0 END AS BIGINT) \
                       AS cross_border, \
                     t.kind AS receiver_kind, \
                     CAST(NULL AS BIGINT) AS value, CAST(NULL AS TEXT) AS currency",
            from: "referrals r JOIN cases c ON c.id = r.case_id \
                   JOIN organisations o ON o.id = r.from_org \
                   JOIN organisations t ON t.id = r.to_org \
                   LEFT JOIN stats_events e ON e.source_kind = 'referral' AND e.source_id = r.id \
                   WHERE r.id > $1 AND r.to_org <> r.from_org",
            changed: CASE_CHANGED.into(),
            gone: "NOT EXISTS (SELECT 1 FROM referrals r WHERE r.id = stats_events.source_id \
                   AND r.to_org <> r.from_org)",
        },
        Source {
            kind: kind::REFERRAL_ACCEPTED,
            select: "r.id AS id, r.from_org AS org_id, o.country AS country, \
                     r.answered_at AS at_ms, CAST(NULL AS TEXT) AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(CASE WHEN t.country <> o.country THEN 1 ELSE 0 END AS BIGINT) \
                       AS cross_border, \
                     t.kind AS receiver_kind, \
                     CAST(NULL AS BIGINT) AS value, CAST(NULL AS TEXT) AS currency",
            // Accepted, then perhaps closed or withdrawn: it was accepted all the same. A
            // withdrawn referral that was answered was accepted (a declined one stays declined).
            from: "referrals r JOIN cases c ON c.id = r.case_id \
                   JOIN organisations o ON o.id = r.from_org \
                   JOIN organisations t ON t.id = r.to_org \
                   LEFT JOIN stats_events e ON e.source_kind = 'referral_accepted' \
                     AND e.source_id = r.id \
                   WHERE r.id > $1 AND r.answered_at IS NOT NULL \
                     AND r.status IN ('accepted', 'closed', 'withdrawn')",
            changed: format!("{CASE_CHANGED} OR r.answered_at >= e.refreshed_at"),
            gone: "NOT EXISTS (SELECT 1 FROM referrals r WHERE r.id = stats_events.source_id \
                   AND r.answered_at IS NOT NULL \
                   AND r.status IN ('accepted', 'closed', 'withdrawn'))",
        },
        Source {
            kind: kind::PROCEEDING,
            select: "p.id AS id, c.org_id AS org_id, o.country AS country, \
                     p.created_at AS at_ms, CAST(NULL AS TEXT) AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(NULL AS BIGINT) AS cross_border, CAST(NULL AS TEXT) AS receiver_kind, \
                     CAST(NULL AS BIGINT) AS value, CAST(NULL AS TEXT) AS currency",
            from: "proceedings p JOIN cases c ON c.id = p.case_id \
                   JOIN organisations o ON o.id = c.org_id \
                   LEFT JOIN stats_events e ON e.source_kind = 'proceeding' AND e.source_id = p.id \
                   WHERE p.id > $1",
            changed: format!("{CASE_CHANGED} OR p.updated_at >= e.refreshed_at"),
            gone: "NOT EXISTS (SELECT 1 FROM proceedings p WHERE p.id = stats_events.source_id)",
        },
        Source {
            kind: kind::COMPENSATION,
            select: "cp.id AS id, c.org_id AS org_id, o.country AS country, \
                     CAST(NULL AS BIGINT) AS at_ms, cp.paid_on AS on_day, \
                     CAST(NULL AS BIGINT) AS until_ms, CAST(NULL AS BIGINT) AS contact_ms, \
                     c.person_id AS person_id, c.id AS case_id, c.stage AS stage, \
                     CAST(NULL AS BIGINT) AS cross_border, CAST(NULL AS TEXT) AS receiver_kind, \
                     cp.amount_minor AS value, p.currency AS currency",
            from: "compensation_payments cp JOIN proceedings p ON p.id = cp.proceeding_id \
                   JOIN cases c ON c.id = p.case_id \
                   JOIN organisations o ON o.id = c.org_id \
                   LEFT JOIN stats_events e ON e.source_kind = 'compensation' \
                     AND e.source_id = cp.id \
                   WHERE cp.id > $1",
            changed: format!("{CASE_CHANGED} OR p.updated_at >= e.refreshed_at"),
            gone: "NOT EXISTS (SELECT 1 FROM compensation_payments cp \
                   WHERE cp.id = stats_events.source_id)",
        },
    ]
}

/// A keyed pseudonym of a person, so that persons are counted once without their id.
fn subject(secret: &[u8; 32], person_id: &str) -> String {
    let mut h = blake3::Hasher::new_keyed(secret);
    h.update(b"stats-subject\0");
    h.update(person_id.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}

/// Whole days from `a` to `b` (never negative).
fn days_between(a: Day, b: Day) -> i64 {
    (b.0 - a.0).max(0)
}

impl Store {
    /// Refreshes the event facts that changed since their last refresh; returns how many were
    /// refreshed. Called at the day's release cut.
    pub(crate) async fn refresh_stats_events(&self) -> Result<u64, StoreError> {
        let secret = self.keys.stats_key();
        let mut refreshed = 0u64;
        for source in sources() {
            let sql = format!(
                "SELECT {select}{consents} FROM {from} \
                 AND (e.source_id IS NULL OR {changed}) ORDER BY 1 LIMIT $2",
                select = source.select,
                consents = if source.kind == kind::REPORT {
                    String::new()
                } else {
                    format!(", {CONSENTS} AS consents")
                },
                from = source.from,
                changed = source.changed,
            );
            let mut after = String::new();
            loop {
                let mut tx = self.begin().await?;
                // The text is built from the fixed fragments above, never from a question.
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(&after)
                    .bind(ROUND)
                    .fetch_all(&mut *tx.tx)
                    .await?;
                let Some(last) = rows.last() else {
                    break;
                };
                after = last.try_get("id")?;
                for row in &rows {
                    let id: String = row.try_get("id")?;
                    let at_ms: Option<i64> = row.try_get("at_ms")?;
                    let on_day: Option<String> = row.try_get("on_day")?;
                    let day = match (&on_day, at_ms) {
                        (Some(d), _) => Day::parse(d),
                        (None, Some(ms)) => Some(Day::from_unix_ms(ms)),
                        (None, None) => None,
                    };
                    let Some(day) = day else {
                        continue;
                    };
                    let consented = row.try_get::<i64, _>("consents")? > 0;
                    let person: Option<String> = row.try_get("person_id")?;
                    let value: Option<i64> = if source.kind == kind::FIRST_SERVICE {
                        let opened = at_ms.map(Day::from_unix_ms);
                        let contact = row
                            .try_get::<Option<i64>, _>("contact_ms")?
                            .map(Day::from_unix_ms);
                        let first = match (opened, contact) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                        first.map(|f| days_between(f, day))
                    } else {
                        row.try_get("value")?
                    };
                    let kept = |v: Option<String>| if consented { v } else { None };
                    let key = i64::from(cellkey::record_key(
                        &secret,
                        &format!("{}:{id}", source.kind),
                    ));
                    sqlx::query(
                        "INSERT INTO stats_events (source_kind, source_id, org_id, country, day, \
                           until_day, consented, record_key, case_id, subject, stage, \
                           cross_border, receiver_kind, value, currency, refreshed_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                           $15, $16) \
                         ON CONFLICT (source_kind, source_id) DO UPDATE SET \
                           org_id = excluded.org_id, country = excluded.country, \
                           day = excluded.day, until_day = excluded.until_day, \
                           consented = excluded.consented, record_key = excluded.record_key, \
                           case_id = excluded.case_id, subject = excluded.subject, \
                           stage = excluded.stage, cross_border = excluded.cross_border, \
                           receiver_kind = excluded.receiver_kind, value = excluded.value, \
                           currency = excluded.currency, refreshed_at = excluded.refreshed_at",
                    )
                    .bind(source.kind)
                    .bind(&id)
                    .bind(row.try_get::<String, _>("org_id")?)
                    .bind(row.try_get::<String, _>("country")?)
                    .bind(day.to_string())
                    .bind(
                        row.try_get::<Option<i64>, _>("until_ms")?
                            .map(|ms| Day::from_unix_ms(ms).to_string()),
                    )
                    .bind(i64::from(consented))
                    .bind(key)
                    .bind(row.try_get::<Option<String>, _>("case_id")?)
                    .bind(kept(person.map(|p| subject(&secret, &p))))
                    .bind(kept(row.try_get::<Option<String>, _>("stage")?))
                    .bind(row.try_get::<Option<i64>, _>("cross_border")?)
                    .bind(row.try_get::<Option<String>, _>("receiver_kind")?)
                    .bind(if consented { value } else { None })
                    .bind(kept(row.try_get::<Option<String>, _>("currency")?))
                    .bind(tx.now)
                    .execute(&mut *tx.tx)
                    .await?;
                    refreshed += 1;
                }
                tx.commit().await?;
            }
            let mut tx = self.begin().await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM stats_events WHERE source_kind = $1 AND {}",
                source.gone
            )))
            .bind(source.kind)
            .execute(&mut *tx.tx)
            .await?;
            tx.commit().await?;
        }
        Ok(refreshed)
    }

    /// Counts one read of a rights page: the day, the page and the language, nothing about the
    /// reader (no cookie, address or session is looked at).
    pub async fn count_rights_read(
        &self,
        country: &str,
        stage: &str,
        slug: &str,
        language: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO stats_rights_reads (day, country, stage, slug, language, n) \
             VALUES ($1, $2, $3, $4, $5, 1) \
             ON CONFLICT (day, country, stage, slug, language) \
             DO UPDATE SET n = stats_rights_reads.n + 1",
        )
        .bind(self.clock.today().to_string())
        .bind(country)
        .bind(stage)
        .bind(slug)
        .bind(language)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_across_months_and_years() {
        let d = |s| Day::parse(s).unwrap();
        assert_eq!(days_between(d("2026-03-10"), d("2026-03-10")), 0);
        assert_eq!(days_between(d("2026-03-10"), d("2026-03-17")), 7);
        assert_eq!(days_between(d("2026-02-20"), d("2026-03-02")), 10);
        assert_eq!(days_between(d("2025-12-31"), d("2027-01-01")), 366);
        assert_eq!(days_between(d("2026-03-17"), d("2026-03-10")), 0);
    }
}
