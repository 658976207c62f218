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

/// Cases refreshed per transaction (and per statement: 12 parameters a case stays within both
/// engines' limits on parameters per statement). Each round holds the write lock while it reads,
/// opens and writes its cases: a registration that arrives meanwhile waits for one round, so a
/// round stays short (the first release after a bulk load of 100,000 cases is a thousand of
/// them).
const ROUND: i64 = 100;

/// One case's fact, as written.
struct Fact {
    case_id: String,
    org_id: String,
    opened_on: String,
    consented: bool,
    record_key: i64,
    country: Option<String>,
    stage: Option<String>,
    status: Option<String>,
    sex: Option<String>,
    age_band: Option<String>,
    citizenship: Option<String>,
}

/// `($1, $2, …), (…)`: `rows` groups of `width` numbered placeholders.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let one: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", one.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes one round's facts and their types.
async fn write_round(tx: &mut crate::db::Tx, facts: &[Fact]) -> Result<(), StoreError> {
    if facts.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO stats_facts (case_id, org_id, opened_on, consented, record_key, \
           country, stage, status, sex, age_band, citizenship, refreshed_at) \
         VALUES {} \
         ON CONFLICT (case_id) DO UPDATE SET org_id = excluded.org_id, \
           opened_on = excluded.opened_on, consented = excluded.consented, \
           record_key = excluded.record_key, country = excluded.country, \
           stage = excluded.stage, status = excluded.status, sex = excluded.sex, \
           age_band = excluded.age_band, citizenship = excluded.citizenship, \
           refreshed_at = excluded.refreshed_at",
        placeholders(facts.len(), 12)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for f in facts {
        q = q
            .bind(&f.case_id)
            .bind(&f.org_id)
            .bind(&f.opened_on)
            .bind(i64::from(f.consented))
            .bind(f.record_key)
            .bind(&f.country)
            .bind(&f.stage)
            .bind(&f.status)
            .bind(&f.sex)
            .bind(&f.age_band)
            .bind(&f.citizenship)
            .bind(tx.now);
    }
    q.execute(&mut *tx.tx).await?;
    let all = placeholders(facts.len(), 1).replace(['(', ')'], "");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM stats_fact_types WHERE case_id IN ({all})"
    )));
    for f in facts {
        q = q.bind(&f.case_id);
    }
    q.execute(&mut *tx.tx).await?;
    let ids: Vec<&str> = facts.iter().map(|f| f.case_id.as_str()).collect();
    let agreed: Vec<&str> = facts
        .iter()
        .filter(|f| f.consented)
        .map(|f| f.case_id.as_str())
        .collect();
    super::fact_values::write_values(tx, &ids, &agreed).await?;
    let consented: Vec<&Fact> = facts.iter().filter(|f| f.consented).collect();
    if !consented.is_empty() {
        let list = placeholders(consented.len(), 1).replace(['(', ')'], "");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stats_fact_types (case_id, case_type) \
             SELECT case_id, case_type FROM case_types WHERE case_id IN ({list})"
        )));
        for f in consented {
            q = q.bind(&f.case_id);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}

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
                         AND (k.given_at >= f.refreshed_at OR k.withdrawn_at >= f.refreshed_at)) \
                    OR EXISTS (SELECT 1 FROM screenings s WHERE s.case_id = c.id \
                         AND s.updated_at >= f.refreshed_at) \
                    OR EXISTS (SELECT 1 FROM entity_links l WHERE l.record = 'case' \
                         AND l.record_id = c.id AND l.created_at >= f.refreshed_at)) \
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
            // Keys of persons another server registered since this one started.
            let persons: Vec<String> = rows
                .iter()
                .map(|r| r.try_get::<String, _>("person_id"))
                .collect::<Result<_, _>>()?;
            tx.load_person_keys(&persons).await?;
            // The round's facts are written with one statement each: the facts, the old types
            // gone, the consented cases' types copied.
            let mut round: Vec<Fact> = Vec::with_capacity(rows.len());
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
                round.push(Fact {
                    org_id: row.try_get("org_id")?,
                    opened_on: opened.to_string(),
                    consented,
                    record_key: key,
                    country: coarse(row.try_get("country")?),
                    stage: coarse(row.try_get("stage")?),
                    status: coarse(row.try_get("status")?),
                    sex: coarse(facts::sex(sex.as_deref()).to_string()),
                    age_band: coarse(facts::age_band_on(dob.as_deref(), opened).to_string()),
                    citizenship: coarse(facts::citizenship(&citizenships)),
                    case_id,
                });
            }
            write_round(&mut tx, &round).await?;
            refreshed += round.len() as u64;
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
            "DELETE FROM stats_fact_values WHERE NOT EXISTS \
             (SELECT 1 FROM cases c WHERE c.id = stats_fact_values.case_id)",
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
