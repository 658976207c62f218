//! Field-key rotation: a new field key is written beside the key file (`.next`) before any
//! value is touched, every sealed value of every [`Field`] is re-sealed under it in batches
//! (one transaction each, so an interruption loses nothing and a new run continues where the
//! last stopped), and only then is it promoted into the key file, the old key kept as
//! `.retired-<KEY ID>`. The root key (blind indexes, receipts, lookups, the audit chain) is not
//! rotated. The server must be stopped while a rotation runs: a running server seals new values
//! under the old key.

use super::{Encoding, Field, FieldKey, KeyId, Keys, file, hex, unhex};
use crate::{Authority, Store, StoreError};
use sqlx::Row;
use std::path::{Path, PathBuf};

/// A rotation under way: the key file, the key it moves from and the key it moves to.
pub struct Rotation {
    key_file: PathBuf,
    from: FieldKey,
    to: FieldKey,
    keys: Keys,
}

impl std::fmt::Debug for Rotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rotation({} -> {})", self.from.id, self.to.id)
    }
}

impl Rotation {
    /// Starts a rotation (writes `<key file>.next`) or resumes the one a `.next` file shows.
    pub fn prepare(key_file: &Path) -> Result<Rotation, StoreError> {
        let mut keys = Keys::load(key_file)?;
        let next = file::next_path(key_file);
        let to = match file::read_field_key(&next)? {
            Some(key) => key,
            None => {
                let key = FieldKey::random()?;
                file::write_new(&next, &hex(&key.secret))?;
                key
            }
        };
        let from = keys.current.clone();
        keys.older.retain(|k| k.id != to.id);
        keys.current = to.clone();
        keys.add_older(from.clone());
        Ok(Rotation {
            key_file: key_file.to_path_buf(),
            from,
            to,
            keys,
        })
    }

    /// The keys to open the store with: they seal under the new key and open under all.
    pub fn keys(&self) -> Keys {
        self.keys.clone()
    }

    /// The field key this rotation moves from.
    pub fn from(&self) -> KeyId {
        self.from.id
    }

    /// The field key this rotation moves to.
    pub fn to(&self) -> KeyId {
        self.to.id
    }

    /// Promotes the new key into the key file once every value is re-sealed, keeping the old
    /// one as `<key file>.retired-<KEY ID>`; returns that path.
    pub fn finish(self) -> Result<PathBuf, StoreError> {
        let retired = file::retired_path(&self.key_file, &self.from);
        if self.from.id != self.to.id {
            match file::read_field_key(&retired)? {
                Some(k) if k.id == self.from.id => {}
                Some(_) => return Err(StoreError::KeyFile("a retired key file is corrupt".into())),
                None => file::write_new(&retired, &hex(&self.from.secret))?,
            }
            self.keys.write_key_file(&self.key_file, &self.to)?;
        }
        match std::fs::remove_file(file::next_path(&self.key_file)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::KeyFile(e.to_string()))
            }
            _ => Ok(retired),
        }
    }
}

/// The first bytes of an envelope sealed under `id`, as the column keeps them.
enum Prefix {
    Bytes(Vec<u8>),
    Hex(String),
}

fn prefix(id: KeyId, encoding: Encoding) -> Prefix {
    let header = [&[super::V2][..], &id.0].concat();
    match encoding {
        Encoding::Bytes => Prefix::Bytes(header),
        Encoding::Hex => Prefix::Hex(hex(&header)),
    }
}

impl Store {
    /// Re-seals up to `batch` sealed values that are not under the current field key, in one
    /// transaction; returns how many (0: none is left). Operator only.
    pub async fn reseal_batch(&self, by: &Authority, batch: usize) -> Result<usize, StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        let current = tx.keys.current_id();
        let mut done = 0;
        for &field in Field::ALL {
            for column in field.columns() {
                if done >= batch {
                    break;
                }
                let table = field.table();
                let header = prefix(current, field.encoding());
                let len = match &header {
                    Prefix::Bytes(b) => b.len(),
                    Prefix::Hex(h) => h.len(),
                };
                // Values under a person's data key (version 3) stay under it: the person key
                // itself is re-wrapped as the `person_keys.wrapped` field.
                let (v3, v3_len) = match field.encoding() {
                    Encoding::Bytes => (Prefix::Bytes(vec![super::V3]), 1),
                    Encoding::Hex => (Prefix::Hex(hex(&[super::V3])), 2),
                };
                let select = format!(
                    "SELECT id, {column} AS sealed FROM {table} WHERE {column} IS NOT NULL \
                     AND substr({column}, 1, {len}) <> $1 AND substr({column}, 1, {v3_len}) <> $3 \
                     ORDER BY id LIMIT $2"
                );
                let query = sqlx::query(sqlx::AssertSqlSafe(select));
                let query = match header {
                    Prefix::Bytes(b) => query.bind(b),
                    Prefix::Hex(h) => query.bind(h),
                };
                let query = query.bind((batch - done) as i64);
                let query = match v3 {
                    Prefix::Bytes(b) => query.bind(b),
                    Prefix::Hex(h) => query.bind(h),
                };
                let rows = query.fetch_all(&mut *tx.tx).await?;
                let update = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
                for row in rows {
                    let id: String = row.try_get("id")?;
                    let q = sqlx::query(sqlx::AssertSqlSafe(update.clone()));
                    let q = match field.encoding() {
                        Encoding::Bytes => {
                            let old: Vec<u8> = row.try_get("sealed")?;
                            let plain = tx.keys.open(field, &id, &old)?;
                            q.bind(tx.keys.seal(field, &id, &plain)?)
                        }
                        Encoding::Hex => {
                            let old: String = row.try_get("sealed")?;
                            let old = unhex(&old).ok_or(StoreError::Corrupt("sealed hex"))?;
                            let plain = tx.keys.open(field, &id, &old)?;
                            q.bind(hex(&tx.keys.seal(field, &id, &plain)?))
                        }
                    };
                    q.bind(&id).execute(&mut *tx.tx).await?;
                    done += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Appends the audit event of a finished re-sealing: the key ids and how many values,
    /// never a value or a key.
    pub async fn record_rotation(
        &self,
        by: &Authority,
        from: KeyId,
        to: KeyId,
        resealed: u64,
    ) -> Result<(), StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        let detail = format!("{from}->{to}: {resealed} values resealed");
        tx.audit(by.event("keys.rotate", "field_key", Some(detail), "ok"))
            .await?;
        tx.commit().await
    }
}
