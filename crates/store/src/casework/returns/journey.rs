//! The journey plan, the travel documents asked of a consulate, and the hand-over of
//! reintegration follow-up to a partner in the country of return.

use super::{ensure_row, own, refuse};
use crate::casework::protection::needs_of;
use crate::casework::{CaseAccess, record_history};
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::returns::{
    ChoiceFacts, DocumentStatus, NewJourney, ReturnChoice, may_plan, non_refoulement,
};
use passage_core::{ErrorCode, OrgKind};
use uuid::Uuid;

async fn latest_choice(tx: &mut Tx, case: &CaseAccess) -> Result<Option<ChoiceFacts>, StoreError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT choice, voluntary FROM return_choices WHERE case_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|(c, v)| {
        Ok(ChoiceFacts {
            choice: ReturnChoice::parse(&c).ok_or(StoreError::Corrupt("return choice"))?,
            voluntary: v != 0,
        })
    })
    .transpose()
}

/// The referral `rid` of this case, with its receiver's kind and country; `None` if the
/// referral is not one of this case.
async fn referral_of_case(
    tx: &mut Tx,
    case: &CaseAccess,
    rid: Uuid,
) -> Result<Option<(OrgKind, String)>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT o.kind, o.country FROM referrals r JOIN organisations o ON o.id = r.to_org \
         WHERE r.id = $1 AND r.case_id = $2",
    )
    .bind(rid.to_string())
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|(k, c)| {
        Ok((
            OrgKind::parse(&k).ok_or(StoreError::Corrupt("organisation kind"))?,
            c,
        ))
    })
    .transpose()
}

impl Store {
    /// Writes the journey plan. Refused with `return_not_chosen` unless the latest choice is a
    /// voluntary return, and with `non_refoulement` when a protection need of the person lists
    /// the country; both refusals are audited and write nothing.
    pub async fn set_return_journey(
        &self,
        actor: &Actor,
        case_id: Uuid,
        j: NewJourney,
    ) -> Result<(), StoreError> {
        let action = "return.journey";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        if let Err(code) = may_plan(latest_choice(&mut tx, &case).await?) {
            let e = StoreError::Rule {
                code,
                message: "A return plan goes ahead only when the person's latest choice is to return, made voluntarily.".into(),
            };
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        let needs = needs_of(&mut tx, &case.key()).await?;
        if let Err(country) = non_refoulement(&needs, j.country) {
            let e = StoreError::Rule {
                code: ErrorCode::NonRefoulement,
                message: format!(
                    "The person has international protection needs concerning {country}: no return is planned there."
                ),
            };
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        ensure_row(&mut tx, actor, &case).await?;
        let key = case.key();
        let k = tx.keys.clone();
        let legs = j
            .legs
            .as_deref()
            .map(|l| k.seal_str(Field::ReturnLegs, &key, l))
            .transpose()?;
        let reception = j
            .reception
            .as_deref()
            .map(|l| k.seal_str(Field::ReturnReception, &key, l))
            .transpose()?;
        sqlx::query(
            "UPDATE returns SET country = $1, departure_on = $2, legs = $3, escort = $4, reception = $5, \
             arrival_on = $6, updated_by = $7, updated_at = $8 WHERE case_id = $9",
        )
        .bind(k.seal_str(Field::ReturnCountry, &key, j.country.as_str())?)
        .bind(j.departure_on.to_string())
        .bind(legs)
        .bind(i64::from(j.escort))
        .bind(reception)
        .bind(j.arrival_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        record_history(&mut tx, actor, &case, "return.journey", None, None).await?;
        tx.audit(actor.event(action, "case", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that travel documents were asked of a consulate through referral
    /// `referral_id`, a referral of this case to a consulate made through the referral network
    /// (`invalid_value` on `referral_id` otherwise). The document status starts `requested`.
    pub async fn link_travel_documents(
        &self,
        actor: &Actor,
        case_id: Uuid,
        referral_id: Uuid,
    ) -> Result<(), StoreError> {
        let action = "return.documents";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let to = referral_of_case(&mut tx, &case, referral_id).await?;
        if !matches!(to, Some((OrgKind::Consulate, _))) {
            let e = StoreError::invalid(
                "referral_id",
                ErrorCode::InvalidValue,
                "referral_id must be a referral of this case to a consulate",
            );
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        ensure_row(&mut tx, actor, &case).await?;
        sqlx::query(
            "UPDATE returns SET documents_referral_id = $1, document_status = $2, updated_by = $3, \
             updated_at = $4 WHERE case_id = $5",
        )
        .bind(referral_id.to_string())
        .bind(DocumentStatus::Requested.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(case.key())
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.documents",
            None,
            Some(DocumentStatus::Requested.as_str()),
        )
        .await?;
        tx.audit(actor.event(action, "referral", Some(referral_id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records where the travel documents stand; needs the consulate referral first
    /// (`invalid_value` on `status` otherwise).
    pub async fn set_document_status(
        &self,
        actor: &Actor,
        case_id: Uuid,
        status: DocumentStatus,
    ) -> Result<(), StoreError> {
        let action = "return.document_status";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let done = sqlx::query(
            "UPDATE returns SET document_status = $1, updated_by = $2, updated_at = $3 \
             WHERE case_id = $4 AND documents_referral_id IS NOT NULL",
        )
        .bind(status.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(case.key())
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            let e = StoreError::invalid(
                "status",
                ErrorCode::InvalidValue,
                "travel documents must first be asked of a consulate through a referral",
            );
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        record_history(
            &mut tx,
            actor,
            &case,
            "return.documents",
            None,
            Some(status.as_str()),
        )
        .await?;
        tx.audit(actor.event(action, "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hands reintegration follow-up over to a partner in the country of return through
    /// referral `referral_id`: a referral of this case, across the border, to an organisation
    /// of the journey plan's country (`invalid_value` on `referral_id` otherwise; the journey
    /// plan comes first, since the visits fall due from its arrival date).
    pub async fn link_reintegration_handover(
        &self,
        actor: &Actor,
        case_id: Uuid,
        referral_id: Uuid,
    ) -> Result<(), StoreError> {
        let action = "return.handover";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let key = case.key();
        let row: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT country FROM returns WHERE case_id = $1")
                .bind(&key)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let country = match row.and_then(|(c,)| c) {
            Some(b) => Some(tx.keys.open_str(Field::ReturnCountry, &key, &b)?),
            None => None,
        };
        let to = referral_of_case(&mut tx, &case, referral_id).await?;
        let ok = match (&country, &to) {
            (Some(c), Some((kind, to_country))) => {
                c == to_country && *kind != OrgKind::ImmigrationEnforcement
            }
            _ => false,
        };
        if !ok {
            let e = StoreError::invalid(
                "referral_id",
                ErrorCode::InvalidValue,
                "referral_id must be a referral of this case to an organisation in the country of return, after the journey plan",
            );
            return refuse(tx, actor, action, "case", key, e).await;
        }
        sqlx::query(
            "UPDATE returns SET handover_referral_id = $1, updated_by = $2, updated_at = $3 WHERE case_id = $4",
        )
        .bind(referral_id.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        record_history(&mut tx, actor, &case, "return.handover", None, None).await?;
        tx.audit(actor.event(action, "referral", Some(referral_id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
