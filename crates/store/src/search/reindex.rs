//! Persons indexed under an older derivation of the name tags (before variant spellings) are
//! re-indexed when the store migrates: their names are opened, their tags rebuilt as a write
//! would build them, and the person marked with the current [`super::TERMS_VERSION`]. In
//! batches, each its own transaction, audited with the number of persons (never a name). It
//! finds nothing to do on every start after the first, and a crash halfway leaves the rest for
//! the next start.

use crate::audit::Event;
use crate::keys::Field;
use crate::{Store, StoreError};
use sqlx::Row;

/// Persons re-indexed per transaction.
const BATCH: i64 = 500;

impl Store {
    /// Re-indexes the names of every person below the current derivation; returns how many.
    pub(crate) async fn reindex_names(&self) -> Result<u64, StoreError> {
        let mut done = 0u64;
        loop {
            let mut tx = self.begin().await?;
            let rows = sqlx::query(
                "SELECT id, org_id, given_name, family_name, given_name_latin, family_name_latin \
                 FROM persons WHERE name_terms_version < $1 ORDER BY id LIMIT $2",
            )
            .bind(super::TERMS_VERSION)
            .bind(BATCH)
            .fetch_all(&mut *tx.tx)
            .await?;
            if rows.is_empty() {
                tx.commit().await?;
                return Ok(done);
            }
            let n = rows.len() as u64;
            let persons: Vec<String> = rows
                .iter()
                .map(|r| r.try_get::<String, _>("id"))
                .collect::<Result<_, _>>()?;
            tx.load_person_keys(&persons).await?;
            for row in rows {
                let pid: String = row.try_get("id")?;
                let org: String = row.try_get("org_id")?;
                let mut names = Vec::with_capacity(4);
                for (field, col) in [
                    (Field::PersonGivenName, "given_name"),
                    (Field::PersonFamilyName, "family_name"),
                    (Field::PersonGivenNameLatin, "given_name_latin"),
                    (Field::PersonFamilyNameLatin, "family_name_latin"),
                ] {
                    if let Some(sealed) = row.try_get::<Option<Vec<u8>>, _>(col)? {
                        names.push(tx.keys.open_str(field, &pid, &sealed)?);
                    }
                }
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                crate::casework::person::index_names(&mut tx, &pid, &org, &names).await?;
            }
            let purpose = "operator:index name variants";
            tx.audit(Event {
                actor_user: None,
                actor_org: None,
                action: "search.reindex_names",
                object_type: "store",
                object_id: Some(n.to_string()),
                outcome: "ok",
                purpose: Some(purpose),
            })
            .await?;
            tx.commit().await?;
            done += n;
        }
    }
}
