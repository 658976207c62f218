//! The assessment before a return (risks, family) and the person's informed choice.

use super::{ensure_row, own, person_languages, refuse};
use crate::casework::record_history;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::returns::{NewChoice, NewFamily, NewRisk, informed_in_own_language};
use uuid::Uuid;

impl Store {
    /// Records a risk the person would face on return. Returns its id.
    pub async fn add_return_risk(
        &self,
        actor: &Actor,
        case_id: Uuid,
        r: NewRisk,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "return.risk").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let note = r
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ReturnRiskNote, &key, n))
            .transpose()?;
        sqlx::query(
            "INSERT INTO return_risks (id, case_id, risk, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(r.risk.as_str())
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.risk",
            None,
            Some(r.risk.as_str()),
        )
        .await?;
        tx.audit(actor.event("return.risk", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the family assessment (replacing the previous one).
    pub async fn set_return_family(
        &self,
        actor: &Actor,
        case_id: Uuid,
        f: NewFamily,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "return.family").await?;
        ensure_row(&mut tx, actor, &case).await?;
        let key = case.key();
        let note = f
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ReturnFamilyNote, &key, n))
            .transpose()?;
        sqlx::query(
            "UPDATE returns SET family_willing = $1, family_note = $2, updated_by = $3, updated_at = $4 \
             WHERE case_id = $5",
        )
        .bind(f.willing.as_str())
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.family",
            None,
            Some(f.willing.as_str()),
        )
        .await?;
        tx.audit(actor.event("return.family", "case", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the person's informed choice. The language must be one of the person's
    /// languages (`invalid_value` on `language` otherwise). Returns its id.
    pub async fn record_return_choice(
        &self,
        actor: &Actor,
        case_id: Uuid,
        c: NewChoice,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "return.choice").await?;
        let languages = person_languages(&mut tx, &case).await?;
        if !informed_in_own_language(&c.language, &languages) {
            let e = StoreError::invalid(
                "language",
                ErrorCode::InvalidValue,
                "language must be one of the person's languages",
            );
            return refuse(tx, actor, "return.choice", "case", case.key(), e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let language = tx
            .keys
            .seal_str(Field::ReturnChoiceLanguage, &key, &c.language)?;
        let words = c
            .own_words
            .as_deref()
            .map(|w| tx.keys.seal_str(Field::ReturnChoiceWords, &key, w))
            .transpose()?;
        sqlx::query(
            "INSERT INTO return_choices (id, case_id, language, informed_on, interpreter, choice, voluntary, own_words, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(language)
        .bind(c.informed_on.to_string())
        .bind(i64::from(c.interpreter))
        .bind(c.choice.as_str())
        .bind(i64::from(c.voluntary))
        .bind(words)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.choice",
            None,
            Some(c.choice.as_str()),
        )
        .await?;
        tx.audit(actor.event("return.choice", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
