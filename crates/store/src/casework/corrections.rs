//! Corrections the person asked for (the right to rectification): the request (what, sealed,
//! and the day it was asked), then one decision (made, partly, refused with its reason, sealed),
//! who decided and when. Read by whoever may read the case, recorded and decided by whoever may
//! change it; each step is audited with ids and the outcome word only. A decision is final: a
//! second one is refused (`transition_not_allowed`), and a new request is a new row.

use super::gate;
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::corrections::{CorrectionDecision, CorrectionOutcome, NewCorrection};
use passage_core::policy::Action;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A correction request as a reader of the case sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Correction {
    pub id: Uuid,
    /// What the person asked to have corrected.
    pub what: String,
    /// The day they asked (`YYYY-MM-DD`).
    pub asked_on: String,
    pub recorded_by_name: String,
    pub recorded_at: i64,
    /// `None` while undecided.
    pub outcome: Option<CorrectionOutcome>,
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
}

/// Reads the corrections of a case inside a transaction the caller opened through the gate.
pub(crate) async fn of_case(
    tx: &mut crate::db::Tx,
    case: &super::CaseAccess,
) -> Result<Vec<Correction>, StoreError> {
    let rows = sqlx::query(
        "SELECT k.id, k.what, k.asked_on, r.display_name AS recorded_by_name, k.recorded_at, \
         k.outcome, k.reason, d.display_name AS decided_by_name, k.decided_at \
         FROM case_corrections k JOIN users r ON r.id = k.recorded_by \
         LEFT JOIN users d ON d.id = k.decided_by \
         WHERE k.case_id = $1 ORDER BY k.recorded_at DESC, k.id DESC",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let outcome = match r.try_get::<Option<String>, _>("outcome")? {
            Some(o) => Some(
                CorrectionOutcome::parse(&o).ok_or(StoreError::Corrupt("correction outcome"))?,
            ),
            None => None,
        };
        out.push(Correction {
            id: parse_uuid(&id)?,
            what: tx.keys.open_str(
                Field::CorrectionWhat,
                &id,
                &r.try_get::<Vec<u8>, _>("what")?,
            )?,
            asked_on: r.try_get("asked_on")?,
            recorded_by_name: r.try_get("recorded_by_name")?,
            recorded_at: r.try_get("recorded_at")?,
            outcome,
            reason: r
                .try_get::<Option<Vec<u8>>, _>("reason")?
                .map(|b| tx.keys.open_str(Field::CorrectionReason, &id, &b))
                .transpose()?,
            decided_by_name: r.try_get("decided_by_name")?,
            decided_at: r.try_get("decided_at")?,
        });
    }
    Ok(out)
}

impl Store {
    /// Records a correction the person asked for; returns its id. Audited as
    /// `correction.create`.
    pub async fn request_correction(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewCorrection,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) =
            gate(tx, actor, case_id, Action::UpdateCase, "correction.create").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let what = tx.keys.seal_str(Field::CorrectionWhat, &key, &new.what)?;
        sqlx::query(
            "INSERT INTO case_corrections (id, case_id, what, asked_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(what)
        .bind(new.asked_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("correction.create", "correction", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Decides a correction request of this case, once. A correction of another case, or none,
    /// is not found; one decided already is `transition_not_allowed`. Audited as
    /// `correction.decide` with the outcome.
    pub async fn decide_correction(
        &self,
        actor: &Actor,
        case_id: Uuid,
        correction_id: Uuid,
        decision: CorrectionDecision,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) =
            gate(tx, actor, case_id, Action::UpdateCase, "correction.decide").await?;
        let key = correction_id.to_string();
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT outcome FROM case_corrections WHERE id = $1 AND case_id = $2")
                .bind(&key)
                .bind(case.key())
                .fetch_optional(&mut *tx.tx)
                .await?;
        let Some((outcome,)) = row else {
            tx.audit(actor.event("correction.decide", "correction", Some(key), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        if outcome.is_some() {
            return Err(StoreError::Rule {
                code: ErrorCode::TransitionNotAllowed,
                message: "This correction has been decided already; record a new request if the person asks again.".into(),
            });
        }
        let reason = decision
            .reason
            .as_ref()
            .map(|r| tx.keys.seal_str(Field::CorrectionReason, &key, r))
            .transpose()?;
        let done = sqlx::query(
            "UPDATE case_corrections SET outcome = $1, reason = $2, decided_by = $3, decided_at = $4, \
             version = version + 1 WHERE id = $5 AND outcome IS NULL",
        )
        .bind(decision.outcome.as_str())
        .bind(reason)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Rule {
                code: ErrorCode::TransitionNotAllowed,
                message: "This correction has been decided already; record a new request if the person asks again.".into(),
            });
        }
        tx.audit(actor.event(
            "correction.decide",
            "correction",
            Some(key),
            decision.outcome.as_str(),
        ))
        .await?;
        tx.commit().await
    }

    /// The correction requests of a case, newest first. Audited as `correction.list`.
    pub async fn list_corrections(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<Correction>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "correction.list").await?;
        let out = of_case(&mut tx, &case).await?;
        tx.audit(actor.event("correction.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }
}
