//! Moving the values of persons' records that were sealed before person keys existed (version-1
//! and version-2 envelopes, under the field keys) under the data key of the person each row is
//! about ([`Field::person_of_row`]), so that erasing the person makes them unreadable in every
//! backup taken from then on. Run once after upgrading (`passage keys reseal-persons`): in
//! batches of one transaction each, so an interruption loses nothing and a new run continues;
//! a run with nothing left changes nothing. A person without a key gets one; an erased person
//! is left alone (their values were emptied, and their key is gone on purpose).

use crate::db::Tx;
use crate::keys::{Encoding, Field, PersonKey, hex, unhex};
use crate::{Authority, Store, StoreError};
use sqlx::Row;

/// What one batch did (counts only, as the audit keeps them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Values moved under a person's data key.
    pub values: usize,
    /// Persons who got a data key in this batch (from before person keys).
    pub keys_made: usize,
}

/// Where a re-sealing run has got to: the field, the column and the last row id done, so each
/// batch continues where the last one stopped instead of scanning from the start.
#[derive(Debug, Clone, Default)]
pub struct ResealCursor {
    field: usize,
    column: usize,
    after: String,
}

/// The old sealed bytes of a row, whatever the column's encoding.
fn sealed_of(row: &sqlx::any::AnyRow, encoding: Encoding) -> Result<Vec<u8>, StoreError> {
    match encoding {
        Encoding::Bytes => Ok(row.try_get::<Vec<u8>, _>("sealed")?),
        Encoding::Hex => {
            unhex(&row.try_get::<String, _>("sealed")?).ok_or(StoreError::Corrupt("sealed hex"))
        }
    }
}

/// Re-seals one value of row `id` under `pk` in place.
async fn reseal_one(
    tx: &mut Tx,
    field: Field,
    column: &str,
    id: &str,
    old: &[u8],
    pk: &PersonKey,
) -> Result<(), StoreError> {
    let plain = tx.keys.open(field, id, old)?;
    let sealed = tx.keys.seal_for(pk, field, id, &plain)?;
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {} SET {column} = $1 WHERE id = $2",
        field.table()
    )));
    let q = match field.encoding() {
        Encoding::Bytes => q.bind(sealed),
        Encoding::Hex => q.bind(hex(&sealed)),
    };
    q.bind(id).execute(&mut *tx.tx).await?;
    Ok(())
}

impl Store {
    /// Re-seals up to `batch` values of persons' records that are still under a field key,
    /// continuing from `cursor`, in one transaction audited as `keys.reseal_persons` with the
    /// counts; 0 values: none is left. Operator only.
    pub async fn reseal_persons_batch(
        &self,
        by: &Authority,
        batch: usize,
        cursor: &mut ResealCursor,
    ) -> Result<Resealed, StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        let mut out = Resealed::default();
        let mut at = cursor.clone();
        while out.values < batch && at.field < Field::ALL.len() {
            let field = Field::ALL[at.field];
            let (Some(owner), Some(column)) =
                (field.person_of_row(), field.columns().get(at.column))
            else {
                at = ResealCursor {
                    field: at.field + 1,
                    ..ResealCursor::default()
                };
                continue;
            };
            let table = field.table();
            let v3 = match field.encoding() {
                Encoding::Bytes => format!("substr(t.{column}, 1, 1) <> $1"),
                Encoding::Hex => format!("substr(t.{column}, 1, 2) <> $1"),
            };
            let want = batch - out.values;
            let select = format!(
                "SELECT t.id, t.{column} AS sealed, {owner} AS person FROM {table} t \
                 WHERE t.id > $2 AND t.{column} IS NOT NULL AND {v3} \
                 ORDER BY t.id LIMIT $3"
            );
            let query = sqlx::query(sqlx::AssertSqlSafe(select));
            let query = match field.encoding() {
                Encoding::Bytes => query.bind(vec![crate::keys::V3]),
                Encoding::Hex => query.bind(hex(&[crate::keys::V3])),
            };
            let rows = query
                .bind(&at.after)
                .bind(want as i64)
                .fetch_all(&mut *tx.tx)
                .await?;
            for row in &rows {
                let id: String = row.try_get("id")?;
                at.after = id.clone();
                // A row about no one person (a report's screening) or an erased person's.
                let Some(person) = row.try_get::<Option<String>, _>("person")? else {
                    continue;
                };
                let (erased,): (Option<i64>,) =
                    sqlx::query_as("SELECT erased_at FROM persons WHERE id = $1")
                        .bind(&person)
                        .fetch_one(&mut *tx.tx)
                        .await?;
                if erased.is_some() {
                    continue;
                }
                if !tx.keys.knows_person(&person) {
                    tx.load_person_keys(std::slice::from_ref(&person)).await?;
                    if !tx.keys.knows_person(&person) {
                        out.keys_made += 1;
                    }
                }
                let pk = tx.person_key_for_write(&person).await?;
                let old = sealed_of(row, field.encoding())?;
                reseal_one(&mut tx, field, column, &id, &old, &pk).await?;
                out.values += 1;
            }
            if rows.len() < want {
                at = ResealCursor {
                    field: at.field,
                    column: at.column + 1,
                    after: String::new(),
                };
            }
        }
        if out.values > 0 {
            let detail = format!(
                "{} values resealed, {} person keys made",
                out.values, out.keys_made
            );
            tx.audit(by.event("keys.reseal_persons", "person_keys", Some(detail), "ok"))
                .await?;
        }
        tx.commit().await?;
        *cursor = at;
        Ok(out)
    }
}

impl Tx {
    /// Re-seals every value of the person's records that is not under their data key (making
    /// the key if they have none): after cases moved to them (a merge, or its undoing), whose
    /// values were sealed under the key of the person they belonged to. Returns how many.
    pub(crate) async fn reseal_person_values(&mut self, person: &str) -> Result<u64, StoreError> {
        let pk = self.person_key_for_write(person).await?;
        let header = [&[crate::keys::V3][..], &pk.id().0].concat();
        let mut done = 0;
        for &field in Field::ALL {
            let Some(mine) = field.rows_of_person() else {
                continue;
            };
            let table = field.table();
            for column in field.columns() {
                let len = match field.encoding() {
                    Encoding::Bytes => header.len(),
                    Encoding::Hex => header.len() * 2,
                };
                let query = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT t.id, t.{column} AS sealed FROM {table} t WHERE {mine} \
                     AND t.{column} IS NOT NULL AND substr(t.{column}, 1, {len}) <> $2"
                )))
                .bind(person);
                let query = match field.encoding() {
                    Encoding::Bytes => query.bind(header.clone()),
                    Encoding::Hex => query.bind(hex(&header)),
                };
                let rows = query.fetch_all(&mut *self.tx).await?;
                for row in &rows {
                    let id: String = row.try_get("id")?;
                    let old = sealed_of(row, field.encoding())?;
                    reseal_one(self, field, column, &id, &old, &pk).await?;
                    done += 1;
                }
            }
        }
        Ok(done)
    }
}
