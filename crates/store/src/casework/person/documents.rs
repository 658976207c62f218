//! A person's identity documents: recording one with who holds it, changing it, removing it.

use super::*;
use crate::casework::record_history;

impl Store {
    /// Records an identity document of a person and who holds it.
    pub async fn add_person_document(
        &self,
        actor: &Actor,
        person_id: Uuid,
        doc: NewDocument,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate_write(tx, actor, person_id, "person.document.add").await?;
        let id = Uuid::now_v7();
        let rid = id.to_string();
        let pk = tx.person_key_for_write(&person.key()).await?;
        let number = doc
            .number
            .as_deref()
            .map(|n| {
                tx.keys
                    .seal_str_for(&pk, Field::PersonDocumentNumber, &rid, n)
            })
            .transpose()?;
        let country = doc
            .country
            .as_ref()
            .map(|c| {
                tx.keys
                    .seal_str_for(&pk, Field::PersonDocumentCountry, &rid, c.as_str())
            })
            .transpose()?;
        sqlx::query(
            "INSERT INTO person_documents (id, person_id, kind, number, country_sealed, held_by, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&rid)
        .bind(person.key())
        .bind(doc.kind.as_str())
        .bind(number)
        .bind(country)
        .bind(doc.held_by.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        if let Some(case) = &person.case() {
            let what = format!("{} held by {}", doc.kind, doc.held_by);
            record_history(&mut tx, actor, case, "person.document", None, Some(&what)).await?;
        }
        crate::casework::duplicates::check_person(
            &mut tx,
            person.id(),
            crate::casework::duplicates::Check::Changed,
        )
        .await?;
        tx.audit(actor.event("person.document.add", "person_document", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a document (who holds it now, its number or country) if it is still at the
    /// version read; returns the new version.
    pub async fn update_person_document(
        &self,
        actor: &Actor,
        person_id: Uuid,
        document_id: Uuid,
        changes: DocumentChanges,
    ) -> Result<i64, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate_write(tx, actor, person_id, "person.document.update").await?;
        let rid = document_id.to_string();
        let Some(row) = sqlx::query(
            "SELECT kind, number, country_sealed, held_by, version FROM person_documents WHERE id = $1 AND person_id = $2",
        )
        .bind(&rid)
        .bind(person.key())
        .fetch_optional(&mut *tx.tx)
        .await?
        else {
            return missing(tx, actor, "person.document.update", "person_document", rid).await;
        };
        let version: i64 = row.try_get("version")?;
        if version != changes.expected_version {
            return Err(StoreError::VersionConflict { current: version });
        }
        let old_holder: String = row.try_get("held_by")?;
        let holder = changes
            .held_by
            .map(|h| h.as_str().to_string())
            .unwrap_or(old_holder.clone());
        let old_number = row
            .try_get::<Option<Vec<u8>>, _>("number")?
            .map(|b| tx.keys.open_str(Field::PersonDocumentNumber, &rid, &b))
            .transpose()?;
        let (number, _) = apply(&old_number, &changes.number);
        let old_country = row
            .try_get::<Option<Vec<u8>>, _>("country_sealed")?
            .map(|b| tx.keys.open_str(Field::PersonDocumentCountry, &rid, &b))
            .transpose()?;
        let country_change = match &changes.country {
            Change::Keep => Change::Keep,
            Change::Clear => Change::Clear,
            Change::Set(c) => Change::Set(c.as_str().to_string()),
        };
        let (country, _) = apply(&old_country, &country_change);
        let pk = tx.person_key_for_write(&person.key()).await?;
        let sealed = number
            .as_deref()
            .map(|n| {
                tx.keys
                    .seal_str_for(&pk, Field::PersonDocumentNumber, &rid, n)
            })
            .transpose()?;
        let country = country
            .as_deref()
            .map(|c| {
                tx.keys
                    .seal_str_for(&pk, Field::PersonDocumentCountry, &rid, c)
            })
            .transpose()?;
        let done = sqlx::query(
            "UPDATE person_documents SET held_by = $1, number = $2, country_sealed = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
        )
        .bind(&holder)
        .bind(sealed)
        .bind(country)
        .bind(&rid)
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::VersionConflict { current: version });
        }
        if let Some(case) = &person.case()
            && holder != old_holder
        {
            let kind: String = row.try_get("kind")?;
            let show = |h: &str| format!("{kind} held by {h}");
            record_history(
                &mut tx,
                actor,
                case,
                "person.document.held_by",
                Some(&show(&old_holder)),
                Some(&show(&holder)),
            )
            .await?;
        }
        crate::casework::duplicates::check_person(
            &mut tx,
            person.id(),
            crate::casework::duplicates::Check::Changed,
        )
        .await?;
        tx.audit(actor.event("person.document.update", "person_document", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Removes a document recorded by mistake.
    pub async fn remove_person_document(
        &self,
        actor: &Actor,
        person_id: Uuid,
        document_id: Uuid,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate_write(tx, actor, person_id, "person.document.remove").await?;
        let rid = document_id.to_string();
        let kind: Option<(String, String)> = sqlx::query_as(
            "SELECT kind, held_by FROM person_documents WHERE id = $1 AND person_id = $2",
        )
        .bind(&rid)
        .bind(person.key())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((kind, holder)) = kind else {
            return missing(tx, actor, "person.document.remove", "person_document", rid).await;
        };
        sqlx::query("DELETE FROM person_documents WHERE id = $1")
            .bind(&rid)
            .execute(&mut *tx.tx)
            .await?;
        if let Some(case) = &person.case() {
            let what = format!("{kind} held by {holder}");
            record_history(&mut tx, actor, case, "person.document", Some(&what), None).await?;
        }
        tx.audit(actor.event("person.document.remove", "person_document", Some(rid), "ok"))
            .await?;
        tx.commit().await
    }
}
