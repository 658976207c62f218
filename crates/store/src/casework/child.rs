//! Children: best-interests assessments and decisions with the guardian, and the supervisor's
//! sign-off that makes a decision final. Assessment, decision and guardian are sealed. A
//! decision is final only once a supervisor of the case's organisation who did not write it has
//! signed it off; until then every reader sees it as not final.

use super::person::missing;
use super::{gate, gate_write, is_supervisor_of, record_history};
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::child::{Guardian, NewBestInterests, may_sign_off};
use passage_core::policy::Action;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A best-interests assessment and decision as a reader sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BestInterestsView {
    pub id: Uuid,
    pub case_id: Uuid,
    pub assessment: String,
    pub decision: String,
    pub guardian_name: Option<String>,
    pub guardian_contact: Option<String>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: i64,
    pub signed_off_by: Option<Uuid>,
    pub signed_off_by_name: Option<String>,
    pub signed_off_at: Option<i64>,
    /// Signed off by a supervisor: the decision is final.
    #[serde(rename = "final")]
    pub is_final: bool,
}

impl Store {
    /// Records a best-interests assessment and decision for a case; it waits for sign-off.
    pub async fn record_best_interests(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewBestInterests,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "best_interests.record").await?;
        let id = Uuid::now_v7();
        let rid = id.to_string();
        let k = tx.keys.clone();
        let guardian = new
            .guardian
            .as_ref()
            .map(|g| {
                let json = serde_json::to_string(g).map_err(|_| StoreError::Corrupt("guardian"))?;
                k.seal_str(Field::BestInterestsGuardian, &rid, &json)
            })
            .transpose()?;
        sqlx::query(
            "INSERT INTO best_interests (id, case_id, guardian, assessment, decision, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&rid)
        .bind(case.key())
        .bind(guardian)
        .bind(k.seal_str(Field::BestInterestsAssessment, &rid, &new.assessment)?)
        .bind(k.seal_str(Field::BestInterestsDecision, &rid, &new.decision)?)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "best_interests",
            None,
            Some(&new.decision),
        )
        .await?;
        tx.audit(actor.event("best_interests.record", "best_interests", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The best-interests records of a case, newest first.
    pub async fn list_best_interests(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<BestInterestsView>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) =
            gate(tx, actor, case_id, Action::ReadCase, "best_interests.list").await?;
        let rows = sqlx::query(
            "SELECT b.id, b.guardian, b.assessment, b.decision, b.created_by, a.display_name AS created_by_name, \
             b.created_at, b.signed_off_by, s.display_name AS signed_off_by_name, b.signed_off_at \
             FROM best_interests b LEFT JOIN users a ON a.id = b.created_by LEFT JOIN users s ON s.id = b.signed_off_by \
             WHERE b.case_id = $1 ORDER BY b.created_at DESC, b.id DESC",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id")?;
            let k = &tx.keys;
            let guardian: Guardian = match r.try_get::<Option<Vec<u8>>, _>("guardian")? {
                Some(b) => {
                    serde_json::from_str(&k.open_str(Field::BestInterestsGuardian, &id, &b)?)
                        .map_err(|_| StoreError::Corrupt("guardian"))?
                }
                None => Guardian::default(),
            };
            let signed_off_by = r
                .try_get::<Option<String>, _>("signed_off_by")?
                .map(|u| parse_uuid(&u))
                .transpose()?;
            out.push(BestInterestsView {
                id: parse_uuid(&id)?,
                case_id: case.id(),
                assessment: k.open_str(
                    Field::BestInterestsAssessment,
                    &id,
                    &r.try_get::<Vec<u8>, _>("assessment")?,
                )?,
                decision: k.open_str(
                    Field::BestInterestsDecision,
                    &id,
                    &r.try_get::<Vec<u8>, _>("decision")?,
                )?,
                guardian_name: guardian.name,
                guardian_contact: guardian.contact,
                created_by: parse_uuid(&r.try_get::<String, _>("created_by")?)?,
                created_by_name: r
                    .try_get::<Option<String>, _>("created_by_name")?
                    .unwrap_or_default(),
                created_at: r.try_get("created_at")?,
                is_final: signed_off_by.is_some(),
                signed_off_by,
                signed_off_by_name: r.try_get("signed_off_by_name")?,
                signed_off_at: r.try_get("signed_off_at")?,
            });
        }
        tx.audit(actor.event("best_interests.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Signs off a best-interests decision: only a supervisor of the case's organisation, never
    /// its author, once. Refusals: `supervisor_required`, `own_decision`, `already_signed_off`.
    pub async fn sign_off_best_interests(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Uuid, StoreError> {
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row: Option<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT case_id, created_by, signed_off_by FROM best_interests WHERE id = $1",
        )
        .bind(&rid)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((case_id, author, signed)) = row else {
            return missing(tx, actor, "best_interests.sign_off", "best_interests", rid).await;
        };
        let (mut tx, case) =
            gate_write(tx, actor, parse_uuid(&case_id)?, "best_interests.sign_off").await?;
        if let Err(refusal) = may_sign_off(
            actor.user_id(),
            is_supervisor_of(actor, &case),
            parse_uuid(&author)?,
            signed.is_some(),
        ) {
            tx.audit(actor.event(
                "best_interests.sign_off",
                "best_interests",
                Some(rid),
                "refused",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::Rule {
                code: refusal.code(),
                message: refusal.message().into(),
            });
        }
        let done = sqlx::query(
            "UPDATE best_interests SET signed_off_by = $1, signed_off_at = $2 WHERE id = $3 AND signed_off_by IS NULL",
        )
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&rid)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            let r = passage_core::casework::child::SignOffRefusal::AlreadySignedOff;
            return Err(StoreError::Rule {
                code: r.code(),
                message: r.message().into(),
            });
        }
        record_history(
            &mut tx,
            actor,
            &case,
            "best_interests.signed_off",
            None,
            Some("signed off"),
        )
        .await?;
        tx.audit(actor.event("best_interests.sign_off", "best_interests", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(case.id())
    }
}
