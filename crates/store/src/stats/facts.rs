//! The statistical facts of every case, refreshed at the day's release.
//!
//! A fact row is refreshed when it is missing or when its case, its person or one of its
//! person's consents changed since the last refresh, in rounds of a few hundred cases, each in
//! its own transaction. Only a case whose person has a statistics consent (or another basis for
//! statistics) in force gets its coarse values copied; any other keeps its opening day and cell
//! key only, to be counted as left out. A fact whose case is gone is deleted.

use crate::keys::Field;
use crate::{Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_stats::{cellkey, facts};
use sqlx::Row;

/// Cases refreshed per transaction.
const ROUND: i64 = 500;

impl Store {
    /// Refreshes the facts of every case that changed since its last refresh; returns how many
    /// were refreshed.
    pub(crate) async fn refresh_stats_facts(&self) -> Result<u64, StoreError> {
        let stats_key = self.keys.stats_key();
        let mut after = String::new();
        let mut refreshed = 0u64;
        loop {
            let mut tx = self.begin().await?;
            let rows = sqlx::query(
                "SELECT c.id, c.person_id, c.org_id, o.country, c.stage, c.status, c.created_at, \
                        p.date_of_birth, p.sex, p.citizenships, \
                        (SELECT COUNT(*) FROM consents k WHERE k.person_id = c.person_id \
                           AND k.purpose = 'statistics' AND k.withdrawn_at IS NULL) AS consents \
                 FROM cases c \
                 JOIN persons p ON p.id = c.person_id \
                 JOIN organisations o ON o.id = c.org_id \
                 LEFT JOIN stats_facts f ON f.case_id = c.id \
                 WHERE c.id > $1 AND (f.case_id IS NULL OR c.updated_at >= f.refreshed_at \
                    OR p.updated_at >= f.refreshed_at \
                    OR EXISTS (SELECT 1 FROM consents k WHERE k.person_id = c.person_id \
                         AND (k.given_at >= f.refreshed_at OR k.withdrawn_at >= f.refreshed_at))) \
                 ORDER BY c.id LIMIT $2",
            )
            .bind(&after)
            .bind(ROUND)
            .fetch_all(&mut *tx.tx)
            .await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = last.try_get("id")?;
            for row in &rows {
                let case_id: String = row.try_get("id")?;
                let person_id: String = row.try_get("person_id")?;
                let created_at: i64 = row.try_get("created_at")?;
                let opened = Day::from_unix_ms(created_at);
                let consented = row.try_get::<i64, _>("consents")? > 0;
                let key = i64::from(cellkey::record_key(&stats_key, &case_id));
                let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
                    if !consented {
                        return Ok(None);
                    }
                    row.try_get::<Option<Vec<u8>>, _>(col)?
                        .map(|b| tx.keys.open_str(field, &person_id, &b))
                        .transpose()
                };
                let dob = open(Field::PersonDateOfBirth, "date_of_birth")?;
                let sex = open(Field::PersonSex, "sex")?;
                let citizenships: Vec<String> = open(Field::PersonCitizenships, "citizenships")?
                    .map(|c| c.split(',').map(str::to_string).collect())
                    .unwrap_or_default();
                let coarse = |v: String| consented.then_some(v);
                sqlx::query(
                    "INSERT INTO stats_facts (case_id, org_id, opened_on, consented, record_key, \
                       country, stage, status, sex, age_band, citizenship, refreshed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                     ON CONFLICT (case_id) DO UPDATE SET org_id = excluded.org_id, \
                       opened_on = excluded.opened_on, consented = excluded.consented, \
                       record_key = excluded.record_key, country = excluded.country, \
                       stage = excluded.stage, status = excluded.status, sex = excluded.sex, \
                       age_band = excluded.age_band, citizenship = excluded.citizenship, \
                       refreshed_at = excluded.refreshed_at",
                )
                .bind(&case_id)
                .bind(row.try_get::<String, _>("org_id")?)
                .bind(opened.to_string())
                .bind(i64::from(consented))
                .bind(key)
                .bind(coarse(row.try_get::<String, _>("country")?))
                .bind(coarse(row.try_get::<String, _>("stage")?))
                .bind(coarse(row.try_get::<String, _>("status")?))
                .bind(coarse(facts::sex(sex.as_deref()).to_string()))
                .bind(coarse(
                    facts::age_band_on(dob.as_deref(), opened).to_string(),
                ))
                .bind(coarse(facts::citizenship(&citizenships)))
                .bind(tx.now)
                .execute(&mut *tx.tx)
                .await?;
                sqlx::query("DELETE FROM stats_fact_types WHERE case_id = $1")
                    .bind(&case_id)
                    .execute(&mut *tx.tx)
                    .await?;
                if consented {
                    sqlx::query(
                        "INSERT INTO stats_fact_types (case_id, case_type) \
                         SELECT case_id, case_type FROM case_types WHERE case_id = $1",
                    )
                    .bind(&case_id)
                    .execute(&mut *tx.tx)
                    .await?;
                }
                refreshed += 1;
            }
            tx.commit().await?;
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM stats_fact_types WHERE NOT EXISTS \
             (SELECT 1 FROM cases c WHERE c.id = stats_fact_types.case_id)",
        )
        .execute(&mut *tx.tx)
        .await?;
        sqlx::query(
            "DELETE FROM stats_facts WHERE NOT EXISTS \
             (SELECT 1 FROM cases c WHERE c.id = stats_facts.case_id)",
        )
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(refreshed)
    }
}
