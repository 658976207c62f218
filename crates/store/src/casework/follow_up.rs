//! Follow-up visits after closure (return and reintegration): due at the jurisdiction profile's
//! months after the case closed (the lifecycle creates them), recorded with the day of the visit
//! and a short sustainability check — economic, social and psychosocial, each 1 (not
//! sustainable), 2 (fragile) or 3 (sustainable) — and a sealed note.

use super::gate;
use super::tasks::{date_field, today};
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::policy::Action;
use passage_core::validate::{Problems, text};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

pub const NOTE_MAX: usize = 5_000;

/// One planned or recorded visit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FollowUp {
    pub id: Uuid,
    pub due_on: String,
    pub done_on: Option<String>,
    pub economic: Option<i64>,
    pub social: Option<i64>,
    pub psychosocial: Option<i64>,
    pub note: Option<String>,
    pub overdue: bool,
    pub version: i64,
}

/// A visit as typed.
#[derive(Debug, Clone, Default)]
pub struct Visit {
    pub done_on: String,
    pub economic: String,
    pub social: String,
    pub psychosocial: String,
    pub note: Option<String>,
    pub version: i64,
}

fn score(p: &mut Problems, field: &str, v: &str) -> Option<i64> {
    match v.trim().parse::<i64>() {
        Ok(n @ 1..=3) => Some(n),
        _ => {
            p.add(
                field,
                passage_core::ErrorCode::InvalidValue,
                format!("{field} must be 1 (not sustainable), 2 (fragile) or 3 (sustainable)"),
            );
            None
        }
    }
}

impl Store {
    /// The follow-up visits of a case, by due date.
    pub async fn follow_ups(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<FollowUp>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "follow_up.list").await?;
        let rows = sqlx::query(
            "SELECT id, due_on, done_on, economic, social, psychosocial, note, version FROM follow_ups WHERE case_id = $1 ORDER BY due_on, id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let today = today(tx.now);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let due_on: String = row.try_get("due_on")?;
            let done_on: Option<String> = row.try_get("done_on")?;
            out.push(FollowUp {
                id: parse_uuid(&id)?,
                overdue: done_on.is_none() && due_on < today,
                due_on,
                done_on,
                economic: row.try_get("economic")?,
                social: row.try_get("social")?,
                psychosocial: row.try_get("psychosocial")?,
                note: row
                    .try_get::<Option<Vec<u8>>, _>("note")?
                    .map(|b| tx.keys.open_str(Field::FollowUpNote, &id, &b))
                    .transpose()?,
                version: row.try_get("version")?,
            });
        }
        tx.audit(actor.event("follow_up.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Records a visit against the version read; returns the new version.
    pub async fn record_follow_up(
        &self,
        actor: &Actor,
        id: Uuid,
        visit: Visit,
    ) -> Result<i64, StoreError> {
        let mut p = Problems::default();
        let done = date_field(&mut p, "done_on", &visit.done_on, true);
        let scores = (
            score(&mut p, "economic", &visit.economic),
            score(&mut p, "social", &visit.social),
            score(&mut p, "psychosocial", &visit.psychosocial),
        );
        let note = visit
            .note
            .as_deref()
            .and_then(|n| text(&mut p, "note", n, false, NOTE_MAX))
            .filter(|n| !n.is_empty());
        let mut tx = self.begin().await?;
        if let Some(Some(day)) = done
            && day.to_string() > today(tx.now)
        {
            p.add(
                "done_on",
                passage_core::ErrorCode::InTheFuture,
                "done_on cannot be in the future",
            );
        }
        let case_id: Option<(String,)> =
            sqlx::query_as("SELECT case_id FROM follow_ups WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        let Some((case_id,)) = case_id else {
            tx.audit(actor.event(
                "follow_up.record",
                "follow_up",
                Some(id.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let (mut tx, case) = gate(
            tx,
            actor,
            parse_uuid(&case_id)?,
            Action::UpdateCase,
            "follow_up.record",
        )
        .await?;
        if !p.0.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        let (Some(Some(done)), (Some(e), Some(s), Some(ps))) = (done, scores) else {
            return Err(StoreError::Invalid(p));
        };
        let rid = id.to_string();
        let note = note
            .map(|n| tx.keys.seal_str(Field::FollowUpNote, &rid, &n))
            .transpose()?;
        let updated = sqlx::query(
            "UPDATE follow_ups SET done_on = $1, economic = $2, social = $3, psychosocial = $4, note = $5, recorded_by = $6, version = version + 1 \
             WHERE id = $7 AND version = $8",
        )
        .bind(done.to_string())
        .bind(e)
        .bind(s)
        .bind(ps)
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(&rid)
        .bind(visit.version)
        .execute(&mut *tx.tx)
        .await?;
        if updated.rows_affected() != 1 {
            let (current,): (i64,) = sqlx::query_as("SELECT version FROM follow_ups WHERE id = $1")
                .bind(&rid)
                .fetch_one(&mut *tx.tx)
                .await?;
            return Err(StoreError::VersionConflict { current });
        }
        tx.audit(actor.event("follow_up.record", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(visit.version + 1)
    }
}
