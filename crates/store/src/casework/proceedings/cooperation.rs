//! The person's stance on cooperating with law enforcement, read nowhere else.

use super::{CooperationRecord, day, finish, own};
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::proceedings::CooperationStance;
use sqlx::Row;
use uuid::Uuid;

impl Store {
    /// Records the person's stance on cooperating with law enforcement. Nothing else reads
    /// it: assistance never depends on cooperation.
    pub async fn record_cooperation(
        &self,
        actor: &Actor,
        case_id: Uuid,
        stance: CooperationStance,
        stated_on: Day,
    ) -> Result<(), StoreError> {
        let action = "cooperation.record";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        sqlx::query(
            "INSERT INTO cooperation_stances (id, case_id, stance, stated_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(case.key())
        .bind(stance.as_str())
        .bind(stated_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        let key = case.key();
        finish(
            tx,
            actor,
            &case,
            action,
            "case",
            key,
            ("cooperation", None, Some(stance.as_str())),
        )
        .await
    }

    /// The person's stance on cooperation as last recorded, if any.
    pub async fn cooperation(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Option<CooperationRecord>, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, false, "cooperation.read").await?;
        let row = sqlx::query(
            "SELECT stance, stated_on, recorded_at FROM cooperation_stances WHERE case_id = $1 \
             ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(case.key())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let out = match row {
            None => None,
            Some(r) => Some(CooperationRecord {
                stance: CooperationStance::parse(&r.try_get::<String, _>("stance")?)
                    .ok_or(StoreError::Corrupt("cooperation stance"))?,
                stated_on: day(&r.try_get::<String, _>("stated_on")?)?,
                recorded_at: r.try_get("recorded_at")?,
            }),
        };
        tx.audit(actor.event("cooperation.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }
}
