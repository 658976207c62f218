//! The partner's side of a hand-over: the reintegration visits it records, which flow back
//! to the case's return tab.

use super::{ReintegrationFollowUp, VisitRecord, day, open_opt, refuse};
use crate::auth::parse_uuid;
use crate::casework::protection::firewall;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::returns::{NewVisit, VisitMonth, decode_answers, encode_answers};
use sqlx::Row;
use uuid::Uuid;

pub(super) async fn visits_on(tx: &mut Tx, rid: &str) -> Result<Vec<VisitRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, month, visited_on, answers, note, created_at FROM reintegration_visits \
         WHERE referral_id = $1 ORDER BY visited_on, created_at, id",
    )
    .bind(rid)
    .fetch_all(&mut *tx.tx)
    .await?;
    tx.load_keys_in_rows(&rows, &["answers", "note"]).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let answers = tx.keys.open_str(
            Field::ReintegrationVisitAnswers,
            &id,
            &r.try_get::<Vec<u8>, _>("answers")?,
        )?;
        out.push(VisitRecord {
            month: VisitMonth::parse(&r.try_get::<String, _>("month")?)
                .ok_or(StoreError::Corrupt("visit month"))?,
            visited_on: day(&r.try_get::<String, _>("visited_on")?)?,
            answers: decode_answers(&answers).ok_or(StoreError::Corrupt("visit answers"))?,
            note: open_opt(tx, Field::ReintegrationVisitNote, &id, r.try_get("note")?)?,
            recorded_at: r.try_get("created_at")?,
            id: parse_uuid(&id)?,
        });
    }
    Ok(out)
}

/// The hand-over referral `rid` as its receiver may work on it: the actor's organisation is
/// the receiver, the referral is accepted, its access has not ended, and a return names it as
/// its hand-over. Returns the arrival date of that return's journey plan.
async fn partner_gate(
    tx: &mut Tx,
    actor: &Actor,
    rid: &str,
) -> Result<Option<Option<String>>, StoreError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT t.arrival_on FROM referrals r JOIN returns t ON t.handover_referral_id = r.id \
         WHERE r.id = $1 AND r.to_org = $2 AND r.status = 'accepted' AND r.access_ended_at IS NULL",
    )
    .bind(rid)
    .bind(actor.org_id().to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    Ok(row.map(|(a,)| a))
}

impl Store {
    /// Whether referral `referral_id` is a hand-over of reintegration follow-up that the
    /// actor's organisation may record visits on now (its receiver, accepted, access not
    /// ended), so the referral's page can link to the follow-up. Says nothing of any person.
    pub async fn records_reintegration_on(
        &self,
        actor: &Actor,
        referral_id: Uuid,
    ) -> Result<bool, StoreError> {
        if firewall(actor).is_err() {
            return Ok(false);
        }
        let mut tx = self.begin().await?;
        let open = partner_gate(&mut tx, actor, &referral_id.to_string())
            .await?
            .is_some();
        tx.commit().await?;
        Ok(open)
    }

    /// The partner's side of a hand-over: its referral's arrival date and the visits recorded.
    /// `NotFound` for anyone but the receiver of an accepted hand-over referral whose access
    /// has not ended.
    pub async fn reintegration_follow_up(
        &self,
        actor: &Actor,
        referral_id: Uuid,
    ) -> Result<ReintegrationFollowUp, StoreError> {
        let action = "reintegration.read";
        firewall(actor)?;
        let mut tx = self.begin().await?;
        let rid = referral_id.to_string();
        let Some(arrival) = partner_gate(&mut tx, actor, &rid).await? else {
            return refuse(tx, actor, action, "referral", rid, StoreError::NotFound).await;
        };
        let visits = visits_on(&mut tx, &rid).await?;
        tx.audit(actor.event(action, "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(ReintegrationFollowUp {
            referral_id,
            arrival_on: arrival.as_deref().map(day).transpose()?,
            visits,
        })
    }

    /// The partner records a reintegration visit on its hand-over referral. `NotFound` as
    /// for [`Store::reintegration_follow_up`]; a visit already recorded for that month is
    /// `already_done`. Returns the visit's id.
    pub async fn record_reintegration_visit(
        &self,
        actor: &Actor,
        referral_id: Uuid,
        v: NewVisit,
    ) -> Result<Uuid, StoreError> {
        let action = "reintegration.visit";
        firewall(actor)?;
        let mut tx = self.begin().await?;
        let rid = referral_id.to_string();
        if partner_gate(&mut tx, actor, &rid).await?.is_none() {
            return refuse(tx, actor, action, "referral", rid, StoreError::NotFound).await;
        }
        let taken: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM reintegration_visits WHERE referral_id = $1 AND month = $2",
        )
        .bind(&rid)
        .bind(v.month.as_str())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if taken.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::AlreadyDone,
                message: "This visit is recorded already.".into(),
            };
            return refuse(tx, actor, action, "referral", rid, e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        // The partner reached the referral, not the case: the visit goes under the key of
        // the person the referred case is about.
        tx.seal_as_owner_of(Field::ReferralNote, &rid).await?;
        let answers = tx.keys.seal_str(
            Field::ReintegrationVisitAnswers,
            &key,
            &encode_answers(&v.answers),
        )?;
        let note = v
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ReintegrationVisitNote, &key, n))
            .transpose()?;
        sqlx::query(
            "INSERT INTO reintegration_visits (id, referral_id, month, visited_on, answers, note, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&key)
        .bind(&rid)
        .bind(v.month.as_str())
        .bind(v.visited_on.to_string())
        .bind(answers)
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
