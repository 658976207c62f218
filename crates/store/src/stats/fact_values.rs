//! The facts' many-valued dimensions besides the case type: the **sector** of the employers,
//! recruiters and other entities linked to a case (ISIC Rev.4 sections, as the entity
//! register keeps them) and the **means of control** the case's completed screenings found
//! (HTCDS `vic_MethodsOfControl` values). Copied only for a case whose person consents to
//! statistics, at the same refresh as the case's other facts; a case with none counts as
//! "unknown". A screening's result is sealed: it is opened here, inside the store, and only
//! its list of methods leaves, as the HTCDS picklist's values.

use crate::StoreError;
use crate::db::Tx;
use crate::keys::Field;
use passage_core::screening::METHODS_OF_CONTROL;
use sqlx::Row;
use std::collections::BTreeSet;

/// The dimensions kept here, as `stats_fact_values.dimension` names them.
pub(super) const SECTOR: &str = "sector";
pub(super) const CONTROL: &str = "control";

/// `$1, $2, …` for `n` values.
fn list(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replaces the values of a round of cases: all of them lose theirs, the consented ones get
/// their sectors and means of control again.
pub(super) async fn write_values(
    tx: &mut Tx,
    all: &[&str],
    consented: &[&str],
) -> Result<(), StoreError> {
    if !all.is_empty() {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM stats_fact_values WHERE case_id IN ({})",
            list(all.len())
        )));
        for id in all {
            q = q.bind(*id);
        }
        q.execute(&mut *tx.tx).await?;
    }
    if consented.is_empty() {
        return Ok(());
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO stats_fact_values (case_id, dimension, value) \
         SELECT DISTINCT l.record_id, '{SECTOR}', e.sector FROM entity_links l \
         JOIN entities e ON e.id = l.entity_id \
         WHERE l.record = 'case' AND e.sector IS NOT NULL AND l.record_id IN ({})",
        list(consented.len())
    )));
    for id in consented {
        q = q.bind(*id);
    }
    q.execute(&mut *tx.tx).await?;
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, case_id, result FROM screenings \
         WHERE completed_at IS NOT NULL AND result IS NOT NULL AND case_id IN ({})",
        list(consented.len())
    )));
    for id in consented {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&mut *tx.tx).await?;
    // Results are under the persons' keys: those another server made since this one started.
    tx.load_keys_in_rows(&rows, &["result"]).await?;
    let mut found: BTreeSet<(String, &'static str)> = BTreeSet::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        let case_id: String = row.try_get("case_id")?;
        let sealed: Vec<u8> = row.try_get("result")?;
        let text = tx.keys.open_str(Field::ScreeningResult, &id, &sealed)?;
        let result: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("screening result"))?;
        let methods = result
            .get("methods_of_control")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str());
        for m in methods {
            // Only the picklist's own values: nothing typed travels into the statistics.
            if let Some(known) = METHODS_OF_CONTROL.iter().find(|k| **k == m) {
                found.insert((case_id.clone(), known));
            }
        }
    }
    for chunk in found.iter().collect::<Vec<_>>().chunks(300) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, '{CONTROL}', ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stats_fact_values (case_id, dimension, value) VALUES {}",
            values.join(", ")
        )));
        for (case_id, method) in chunk {
            q = q.bind(case_id.as_str()).bind(*method);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}
