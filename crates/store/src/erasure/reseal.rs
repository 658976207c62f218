//! Moving the values of persons' records that were sealed before person keys existed (version-1
//! and version-2 envelopes, under the field keys) under the data key of the person each row is
//! about ([`Field::person_of_row`]), so that erasing the person makes them unreadable in every
//! backup taken from then on. Run once after upgrading (`passage keys reseal-persons`): in
//! batches of one transaction each, so an interruption loses nothing and a new run continues;
//! a run with nothing left changes nothing. A person without a key gets one; an erased person
//! is left alone (their values were emptied, and their key is gone on purpose).

use crate::keys::{Encoding, Field, hex, unhex};
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

impl Store {
    /// Re-seals up to `batch` values of persons' records that are still under a field key,
    /// in one transaction audited as `keys.reseal_persons` with the counts; 0 values: none is
    /// left. Operator only.
    pub async fn reseal_persons_batch(
        &self,
        by: &Authority,
        batch: usize,
    ) -> Result<Resealed, StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        let mut out = Resealed::default();
        for &field in Field::ALL {
            let Some(owner) = field.person_of_row() else {
                continue;
            };
            for column in field.columns() {
                if out.values >= batch {
                    break;
                }
                let table = field.table();
                let v3 = match field.encoding() {
                    Encoding::Bytes => "substr(t.{c}, 1, 1) <> $1",
                    Encoding::Hex => "substr(t.{c}, 1, 2) <> $1",
                }
                .replace("{c}", column);
                let select = format!(
                    "SELECT t.id, t.{column} AS sealed, {owner} AS person FROM {table} t \
                     WHERE t.{column} IS NOT NULL AND {v3} AND {owner} IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM persons e WHERE e.id = {owner} \
                     AND e.erased_at IS NOT NULL) ORDER BY t.id LIMIT $2"
                );
                let query = sqlx::query(sqlx::AssertSqlSafe(select));
                let query = match field.encoding() {
                    Encoding::Bytes => query.bind(vec![crate::keys::V3]),
                    Encoding::Hex => query.bind(hex(&[crate::keys::V3])),
                };
                let rows = query
                    .bind((batch - out.values) as i64)
                    .fetch_all(&mut *tx.tx)
                    .await?;
                let update = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
                for row in rows {
                    let id: String = row.try_get("id")?;
                    let person: String = row.try_get("person")?;
                    if !tx.keys.knows_person(&person) {
                        tx.load_person_keys(std::slice::from_ref(&person)).await?;
                        if !tx.keys.knows_person(&person) {
                            out.keys_made += 1;
                        }
                    }
                    let pk = tx.person_key_for_write(&person).await?;
                    let old = match field.encoding() {
                        Encoding::Bytes => row.try_get::<Vec<u8>, _>("sealed")?,
                        Encoding::Hex => unhex(&row.try_get::<String, _>("sealed")?)
                            .ok_or(StoreError::Corrupt("sealed hex"))?,
                    };
                    let plain = tx.keys.open(field, &id, &old)?;
                    let sealed = tx.keys.seal_for(&pk, field, &id, &plain)?;
                    let q = sqlx::query(sqlx::AssertSqlSafe(update.clone()));
                    let q = match field.encoding() {
                        Encoding::Bytes => q.bind(sealed),
                        Encoding::Hex => q.bind(hex(&sealed)),
                    };
                    q.bind(&id).execute(&mut *tx.tx).await?;
                    out.values += 1;
                }
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
        Ok(out)
    }
}

impl crate::db::Tx {
    /// Re-seals every value of the person's records that is not under their data key (making
    /// the key if they have none): after cases moved to them (a merge, or its undoing), whose
    /// values were sealed under the key of the person they belonged to. Returns how many.
    /// Scans every person table, so it is for rare operations only.
    pub(crate) async fn reseal_person_values(&mut self, person: &str) -> Result<u64, StoreError> {
        let pk = self.person_key_for_write(person).await?;
        let header = [&[crate::keys::V3][..], &pk.id().0].concat();
        let mut done = 0;
        for &field in Field::ALL {
            let Some(owner) = field.person_of_row() else {
                continue;
            };
            let table = field.table();
            for column in field.columns() {
                let len = match field.encoding() {
                    Encoding::Bytes => header.len(),
                    Encoding::Hex => header.len() * 2,
                };
                let query = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT t.id, t.{column} AS sealed FROM {table} t WHERE {owner} = $1 \
                     AND t.{column} IS NOT NULL AND substr(t.{column}, 1, {len}) <> $2"
                )))
                .bind(person);
                let query = match field.encoding() {
                    Encoding::Bytes => query.bind(header.clone()),
                    Encoding::Hex => query.bind(hex(&header)),
                };
                let rows = query.fetch_all(&mut *self.tx).await?;
                let update = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
                for row in rows {
                    let id: String = row.try_get("id")?;
                    let q = sqlx::query(sqlx::AssertSqlSafe(update.clone()));
                    let q = match field.encoding() {
                        Encoding::Bytes => {
                            let old: Vec<u8> = row.try_get("sealed")?;
                            let plain = self.keys.open(field, &id, &old)?;
                            q.bind(self.keys.seal_for(&pk, field, &id, &plain)?)
                        }
                        Encoding::Hex => {
                            let old = unhex(&row.try_get::<String, _>("sealed")?)
                                .ok_or(StoreError::Corrupt("sealed hex"))?;
                            let plain = self.keys.open(field, &id, &old)?;
                            q.bind(hex(&self.keys.seal_for(&pk, field, &id, &plain)?))
                        }
                    };
                    q.bind(&id).execute(&mut *self.tx).await?;
                    done += 1;
                }
            }
        }
        Ok(done)
    }
}
