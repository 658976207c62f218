//! The persons' data keys in the database (`person_keys`) and in this process: made with a
//! new person, loaded by the access gates and readers, exported to the keyring file a backup
//! writes beside its data, and imported from the newest keyring on restore.

use crate::db::Tx;
use crate::keys::{PersonKey, hex, unhex};
use crate::{Store, StoreError};
use sqlx::Row;

/// One row of the key table as a keyring file keeps it: the person, the key id and the key
/// wrapped by the field key (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WrappedKey {
    pub person: String,
    pub key_id: String,
    /// The wrapped key, hex.
    pub wrapped: String,
    pub created_at: i64,
}

impl Tx {
    /// Makes a data key for a new person, stores it wrapped and keeps it in this process.
    pub(crate) async fn new_person_key(&mut self, person: &str) -> Result<PersonKey, StoreError> {
        let key = PersonKey::random()?;
        self.store_person_key(person, key.clone()).await?;
        Ok(key)
    }

    /// Stores a person's data key wrapped and keeps it in this process (the person's row
    /// exists already).
    pub(crate) async fn store_person_key(
        &mut self,
        person: &str,
        key: PersonKey,
    ) -> Result<(), StoreError> {
        let wrapped = self.keys.wrap_person_key(person, &key)?;
        self.store_wrapped_person_key(person, key, wrapped).await
    }

    /// [`Tx::store_person_key`] with the key wrapped already (before the transaction began).
    pub(crate) async fn store_wrapped_person_key(
        &mut self,
        person: &str,
        key: PersonKey,
        wrapped: Vec<u8>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO person_keys (id, key_id, wrapped, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(person)
        .bind(key.id().to_string())
        .bind(wrapped)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        self.keys.remember_person_key(person, key);
        Ok(())
    }

    /// The key a change to the person seals under: theirs, or a new one for a person from
    /// before person keys (whose values then move under it as they are written).
    pub(crate) async fn person_key_for_write(
        &mut self,
        person: &str,
    ) -> Result<PersonKey, StoreError> {
        self.load_person_keys(&[person.to_string()]).await?;
        if let Some(key) = self.keys.person_key(person) {
            return Ok(key);
        }
        self.new_person_key(person).await
    }

    /// Seals the person's fields under their data key for the rest of this transaction (see
    /// [`crate::Keys::sealing_for`]); with `make`, a person from before person keys gets a key
    /// first. Without a key (a reading gate on such a person) the transaction seals under the
    /// field keys, which the re-sealing moves later.
    pub(crate) async fn seal_as_person(
        &mut self,
        person: &str,
        make: bool,
    ) -> Result<(), StoreError> {
        let key = if make {
            Some(self.person_key_for_write(person).await?)
        } else {
            self.load_person_keys(&[person.to_string()]).await?;
            self.keys.person_key(person)
        };
        let keys = match key {
            Some(key) => self.keys.sealing_for(key),
            None => self.keys.unbound(),
        };
        self.keys = std::sync::Arc::new(keys);
        Ok(())
    }

    /// The person the row `id` of `field`'s table is about, if any.
    pub(crate) async fn owner_of(
        &mut self,
        field: crate::keys::Field,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        let Some(owner) = field.person_of_row() else {
            return Ok(None);
        };
        let row: Option<(Option<String>,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {owner} FROM {} t WHERE t.id = $1",
            field.table()
        )))
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(row.and_then(|(p,)| p))
    }

    /// [`Tx::seal_as_person`] for the person the row `id` of `field`'s table is about (a
    /// partner's answer on a referral, a receiver's visit): the writer reached the row
    /// without the case's gate. A row about no one person unbinds.
    pub(crate) async fn seal_as_owner_of(
        &mut self,
        field: crate::keys::Field,
        id: &str,
    ) -> Result<(), StoreError> {
        match self.owner_of(field, id).await? {
            Some(p) => self.seal_as_person(&p, true).await,
            None => {
                self.keys = std::sync::Arc::new(self.keys.unbound());
                Ok(())
            }
        }
    }

    /// Loads the person keys that the sealed values in `columns` of these rows name and this
    /// process does not hold yet (made by another server since this one started): for readers
    /// that reach a case's rows without its gate (a partner's list of referrals, statistics).
    pub(crate) async fn load_keys_in_rows(
        &mut self,
        rows: &[sqlx::any::AnyRow],
        columns: &[&str],
    ) -> Result<(), StoreError> {
        let mut missing = std::collections::BTreeSet::new();
        for row in rows {
            for column in columns {
                let sealed: Option<Vec<u8>> = row.try_get(*column)?;
                if let Some(id) = sealed.as_deref().and_then(crate::Keys::person_key_of)
                    && !self.keys.holds_key(id)
                {
                    missing.insert(id.to_string());
                }
            }
        }
        let missing: Vec<String> = missing.into_iter().collect();
        self.remember_keys_where("key_id", &missing).await
    }

    /// Loads the keys of these persons that this process does not hold yet (made by another
    /// server since this one started). A person without a key row has none (from before
    /// person keys, or erased).
    pub(crate) async fn load_person_keys(&mut self, persons: &[String]) -> Result<(), StoreError> {
        let missing: Vec<String> = persons
            .iter()
            .filter(|p| !self.keys.knows_person(p) && uuid::Uuid::parse_str(p).is_ok())
            .cloned()
            .collect();
        self.remember_keys_where("id", &missing).await
    }

    async fn remember_keys_where(
        &mut self,
        column: &'static str,
        values: &[String],
    ) -> Result<(), StoreError> {
        remember_keys_where(&mut self.tx, &self.keys, column, values).await
    }
}

/// Unwraps and remembers in `keys` the person keys whose `column` (`id`: the person,
/// `key_id`: the key's id) is one of `values`, in rounds of 200 bound values.
async fn remember_keys_where(
    db: &mut sqlx::AnyConnection,
    keys: &crate::Keys,
    column: &'static str,
    values: &[String],
) -> Result<(), StoreError> {
    for chunk in values.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, wrapped FROM person_keys WHERE {column} IN ({})",
            marks.join(", ")
        )));
        for v in chunk {
            q = q.bind(v.clone());
        }
        for row in q.fetch_all(&mut *db).await? {
            let id: String = row.try_get("id")?;
            let wrapped: Vec<u8> = row.try_get("wrapped")?;
            let key = keys.unwrap_person_key(&id, &wrapped)?;
            keys.remember_person_key(&id, key);
        }
    }
    Ok(())
}

impl Store {
    /// Keys for a reader outside a transaction that opens the values of these persons: the
    /// store's keys with pins of their own, holding these persons' keys (those that have one)
    /// for as long as the reader keeps them.
    pub(crate) async fn reader_keys(&self, persons: &[String]) -> Result<crate::Keys, StoreError> {
        let keys = self.keys.pinned();
        let missing: Vec<String> = persons
            .iter()
            .filter(|p| !keys.knows_person(p) && uuid::Uuid::parse_str(p).is_ok())
            .cloned()
            .collect();
        if !missing.is_empty() {
            let mut conn = self.pool.acquire().await?;
            remember_keys_where(&mut conn, &keys, "id", &missing).await?;
        }
        Ok(keys)
    }

    /// The key table as it stands, for the keyring file of a backup (wrapped keys only).
    /// Operator only, audited with the count.
    pub async fn export_person_keys(
        &self,
        by: &crate::Authority,
    ) -> Result<Vec<WrappedKey>, StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        let rows =
            sqlx::query("SELECT id, key_id, wrapped, created_at FROM person_keys ORDER BY id")
                .fetch_all(&mut *tx.tx)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(WrappedKey {
                person: row.try_get("id")?,
                key_id: row.try_get("key_id")?,
                wrapped: hex(&row.try_get::<Vec<u8>, _>("wrapped")?),
                created_at: row.try_get("created_at")?,
            });
        }
        let detail = format!("{} person keys", out.len());
        tx.audit(by.event("keys.export_person_keys", "keyring", Some(detail), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Restores the key table from the newest keyring: a key for each person the database
    /// holds (a person made after the data backup is not in it; a person erased since is not
    /// in the keyring). Each key must unwrap for its person. Returns how many were imported.
    /// Operator only, audited with the count.
    pub async fn import_person_keys(
        &self,
        by: &crate::Authority,
        keys: &[WrappedKey],
    ) -> Result<u64, StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM person_keys")
            .execute(&mut *tx.tx)
            .await?;
        let mut imported = 0u64;
        for k in keys {
            let wrapped = unhex(&k.wrapped).ok_or(StoreError::Corrupt("keyring entry"))?;
            let key = tx.keys.unwrap_person_key(&k.person, &wrapped)?;
            if key.id().to_string() != k.key_id {
                return Err(StoreError::Corrupt("keyring entry key id"));
            }
            let held: Option<(String,)> =
                sqlx::query_as("SELECT id FROM persons WHERE id = $1 AND erased_at IS NULL")
                    .bind(&k.person)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            if held.is_none() {
                continue;
            }
            sqlx::query(
                "INSERT INTO person_keys (id, key_id, wrapped, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&k.person)
            .bind(&k.key_id)
            .bind(wrapped)
            .bind(k.created_at)
            .execute(&mut *tx.tx)
            .await?;
            tx.keys.remember_person_key(&k.person, key);
            imported += 1;
        }
        let detail = format!("{imported} person keys");
        tx.audit(by.event("keys.import_person_keys", "keyring", Some(detail), "ok"))
            .await?;
        tx.commit().await?;
        Ok(imported)
    }
}
