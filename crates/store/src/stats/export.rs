//! Reading the consented cases of an export, in rounds.
//!
//! An export reads cases in rounds of [`ROUND`] by id, so that memory does not grow with the
//! number of cases: each round is a list of coarse records ([`CaseRecord`]) — the sealed date
//! of birth, sex and citizenships are opened only for a case whose person has a statistics
//! consent in force, and are reduced at once to an age band at opening, an HTCDS sex and one
//! citizenship. Nothing else sealed is read, and no free text: the rest of a record is closed
//! vocabularies (stage, status, identification, types, means of control, services, referrals).
//!
//! A CTDC release counts each person once: with `one_per_person` only a person's latest case
//! within the period is read (the one opened last; the greater id on a tie).

use super::releases::{ExportKind, ExportTicket};
use crate::keys::Field;
use crate::{Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_stats::facts;
use passage_stats::record::{CaseRecord, split_list};
use sqlx::Row;
use std::collections::HashMap;

/// Cases read per round.
pub const ROUND: i64 = 2_000;

/// One round of an export.
#[derive(Debug, Clone, Default)]
pub struct Round {
    pub records: Vec<CaseRecord>,
    /// Where the next round starts (the last case id read); `None` once every case was read.
    pub next: Option<String>,
}

const CONSENTED: &str = "EXISTS (SELECT 1 FROM consents k WHERE k.person_id = c.person_id \
     AND k.purpose = 'statistics' AND k.withdrawn_at IS NULL)";

const LATEST: &str = "NOT EXISTS (SELECT 1 FROM cases c2 WHERE c2.person_id = c.person_id \
     AND c2.created_at >= $2 AND c2.created_at < $3 \
     AND (c2.created_at > c.created_at OR (c2.created_at = c.created_at AND c2.id > c.id)))";

/// The period's bounds in Unix milliseconds (start included, end excluded).
fn bounds(ticket: &ExportTicket) -> (i64, i64) {
    let p = ticket.request.period;
    (
        p.from.map_or(i64::MIN, |m| m.start_ms()),
        p.to.map_or(i64::MAX, |m| m.end_ms()),
    )
}

impl Store {
    /// The next round of consented cases of the export after case id `after` (`""` first).
    pub async fn stats_export_round(
        &self,
        ticket: &ExportTicket,
        after: &str,
    ) -> Result<Round, StoreError> {
        let (from, to) = bounds(ticket);
        let one_per_person = ticket.request.kind == ExportKind::Ctdc;
        let latest = if one_per_person {
            format!(" AND {LATEST}")
        } else {
            String::new()
        };
        // Both fragments are constants of this module, never anything asked for.
        let sql = format!(
            "SELECT c.id, c.person_id, c.stage, c.status, c.country, c.created_at, \
                c.methods_of_control, c.type_of_exploitation, c.identification_status, \
                p.date_of_birth, p.sex, p.citizenships \
             FROM cases c JOIN persons p ON p.id = c.person_id \
             WHERE c.id > $1 AND c.created_at >= $2 AND c.created_at < $3 AND {CONSENTED}{latest} \
             ORDER BY c.id LIMIT $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(from)
            .bind(to)
            .bind(ROUND)
            .fetch_all(&self.pool)
            .await?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Round::default());
        };
        let first: String = first.try_get("id")?;
        let last: String = last.try_get("id")?;
        let services = self
            .per_case(
                "SELECT case_id, service_type AS v FROM services \
                 WHERE case_id >= $1 AND case_id <= $2",
                &first,
                &last,
            )
            .await?;
        let referrals = self
            .per_case(
                "SELECT r.case_id, d.kind AS v FROM referrals r \
                 JOIN directory_services d ON d.id = r.service_id \
                 WHERE r.case_id >= $1 AND r.case_id <= $2",
                &first,
                &last,
            )
            .await?;
        let persons: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("person_id"))
            .collect::<Result<_, _>>()?;
        let keys = self.reader_keys(&persons).await?;
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let person: String = row.try_get("person_id")?;
            let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
                row.try_get::<Option<Vec<u8>>, _>(col)?
                    .map(|b| keys.open_str(field, &person, &b))
                    .transpose()
            };
            let opened = Day::from_unix_ms(row.try_get("created_at")?);
            let dob = open(Field::PersonDateOfBirth, "date_of_birth")?;
            let sex = open(Field::PersonSex, "sex")?;
            let citizenships: Vec<String> = open(Field::PersonCitizenships, "citizenships")?
                .map(|c| c.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            records.push(CaseRecord {
                year: i32::try_from(opened.ymd().0).unwrap_or(0),
                sex: facts::sex(sex.as_deref()).to_string(),
                age_band: facts::age_band_on(dob.as_deref(), opened).to_string(),
                citizenship: facts::citizenship(&citizenships),
                country: row.try_get("country")?,
                types_of_exploitation: split_list(
                    row.try_get::<Option<String>, _>("type_of_exploitation")?
                        .as_deref(),
                ),
                methods_of_control: split_list(
                    row.try_get::<Option<String>, _>("methods_of_control")?
                        .as_deref(),
                ),
                stage: row.try_get("stage")?,
                status: row.try_get("status")?,
                identification: row.try_get("identification_status")?,
                services: services.get(&id).cloned().unwrap_or_default(),
                referrals: referrals.get(&id).cloned().unwrap_or_default(),
            });
        }
        let full = i64::try_from(rows.len()).unwrap_or(0) == ROUND;
        Ok(Round {
            records,
            next: full.then_some(last),
        })
    }

    /// Vocabulary values per case id for the cases between two ids.
    async fn per_case(
        &self,
        sql: &'static str,
        first: &str,
        last: &str,
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let rows = sqlx::query(sql)
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await?;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for row in rows {
            out.entry(row.try_get("case_id")?)
                .or_default()
                .push(row.try_get("v")?);
        }
        Ok(out)
    }

    /// Cases of the export's period left out because their person's consent does not cover
    /// statistics.
    pub async fn stats_export_left_out(&self, ticket: &ExportTicket) -> Result<u64, StoreError> {
        let (from, to) = bounds(ticket);
        let sql = format!(
            "SELECT COUNT(*) FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2 \
             AND NOT {CONSENTED}"
        );
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
