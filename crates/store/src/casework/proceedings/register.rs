//! Opening a proceeding, moving it through its stages, and reading the case's proceedings back.

use super::{
    CompensationRecord, HearingRecord, MeasureRecord, PaymentRecord, ProceedingRecord, StageMove,
    add_stage_move, close_task, currency, day, finish, open_opt, own, refuse, seal_opt, stage_of,
};
use crate::auth::parse_uuid;
use crate::casework::CaseAccess;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::proceedings::{
    HearingKind, MeasureKind, MeasureStatus, NewProceeding, ProceedingKind, ProceedingOutcome,
    ProceedingStage, VictimRole, stage_change,
};
use passage_core::labour::money::Money;
use sqlx::Row;
use uuid::Uuid;

pub(super) async fn read_proceedings(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<Vec<ProceedingRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, kind, stage, authority, reference, victim_role, outcome, sentence, decided_on, \
         compensation_minor, currency, created_at FROM proceedings WHERE case_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let mut stages = Vec::new();
        for s in sqlx::query(
            "SELECT s.from_stage, s.to_stage, s.changed_at, u.display_name FROM proceeding_stages s \
             LEFT JOIN users u ON u.id = s.changed_by WHERE s.proceeding_id = $1 \
             ORDER BY s.changed_at, s.id",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            stages.push(StageMove {
                from: s
                    .try_get::<Option<String>, _>("from_stage")?
                    .as_deref()
                    .and_then(ProceedingStage::parse),
                to: ProceedingStage::parse(&s.try_get::<String, _>("to_stage")?)
                    .ok_or(StoreError::Corrupt("proceeding stage"))?,
                by: s
                    .try_get::<Option<String>, _>("display_name")?
                    .unwrap_or_default(),
                at: s.try_get("changed_at")?,
            });
        }
        let mut perpetrators = Vec::new();
        for p in sqlx::query(
            "SELECT perpetrator_id FROM proceeding_perpetrators WHERE proceeding_id = $1 \
             ORDER BY created_at, perpetrator_id",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            perpetrators.push(parse_uuid(&p.try_get::<String, _>("perpetrator_id")?)?);
        }
        let mut measures = Vec::new();
        for m in sqlx::query(
            "SELECT kind, status, updated_at FROM proceeding_measures WHERE proceeding_id = $1 \
             ORDER BY kind",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            measures.push(MeasureRecord {
                kind: MeasureKind::parse(&m.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("measure kind"))?,
                status: MeasureStatus::parse(&m.try_get::<String, _>("status")?)
                    .ok_or(StoreError::Corrupt("measure status"))?,
                updated_at: m.try_get("updated_at")?,
            });
        }
        let mut hearings = Vec::new();
        for h in sqlx::query(
            "SELECT id, held_on, at_time, kind, place, cancelled_at, task_id FROM hearings \
             WHERE proceeding_id = $1 ORDER BY held_on, at_time, id",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            let hid: String = h.try_get("id")?;
            hearings.push(HearingRecord {
                date: day(&h.try_get::<String, _>("held_on")?)?,
                time: h.try_get("at_time")?,
                kind: HearingKind::parse(&h.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("hearing kind"))?,
                place: open_opt(tx, Field::HearingPlace, &hid, h.try_get("place")?)?,
                cancelled: h.try_get::<Option<i64>, _>("cancelled_at")?.is_some(),
                task_id: h
                    .try_get::<Option<String>, _>("task_id")?
                    .map(|t| parse_uuid(&t))
                    .transpose()?,
                id: parse_uuid(&hid)?,
            });
        }
        let ordered = match (
            r.try_get::<Option<i64>, _>("compensation_minor")?,
            r.try_get::<Option<String>, _>("currency")?,
        ) {
            (Some(minor), Some(c)) => Some(Money {
                minor,
                currency: currency(&c)?,
            }),
            _ => None,
        };
        let compensation = match ordered {
            None => None,
            Some(ordered) => {
                let mut payments = Vec::new();
                for p in sqlx::query(
                    "SELECT id, amount_minor, paid_on FROM compensation_payments \
                     WHERE proceeding_id = $1 ORDER BY paid_on, id",
                )
                .bind(&id)
                .fetch_all(&mut *tx.tx)
                .await?
                {
                    payments.push(PaymentRecord {
                        id: parse_uuid(&p.try_get::<String, _>("id")?)?,
                        money: Money {
                            minor: p.try_get("amount_minor")?,
                            currency: ordered.currency,
                        },
                        paid_on: day(&p.try_get::<String, _>("paid_on")?)?,
                    });
                }
                let paid = payments.iter().map(|p| p.money.minor).sum();
                Some(CompensationRecord {
                    ordered,
                    paid: Money {
                        minor: paid,
                        currency: ordered.currency,
                    },
                    payments,
                })
            }
        };
        out.push(ProceedingRecord {
            kind: ProceedingKind::parse(&r.try_get::<String, _>("kind")?)
                .ok_or(StoreError::Corrupt("proceeding kind"))?,
            stage: ProceedingStage::parse(&r.try_get::<String, _>("stage")?)
                .ok_or(StoreError::Corrupt("proceeding stage"))?,
            authority: open_opt(tx, Field::ProceedingAuthority, &id, r.try_get("authority")?)?,
            reference: open_opt(tx, Field::ProceedingReference, &id, r.try_get("reference")?)?,
            victim_role: VictimRole::parse(&r.try_get::<String, _>("victim_role")?)
                .ok_or(StoreError::Corrupt("victim role"))?,
            outcome: r
                .try_get::<Option<String>, _>("outcome")?
                .map(|o| ProceedingOutcome::parse(&o).ok_or(StoreError::Corrupt("outcome")))
                .transpose()?,
            sentence: open_opt(tx, Field::ProceedingSentence, &id, r.try_get("sentence")?)?,
            decided_on: r
                .try_get::<Option<String>, _>("decided_on")?
                .map(|d| day(&d))
                .transpose()?,
            stages,
            perpetrators,
            measures,
            hearings,
            compensation,
            recorded_at: r.try_get("created_at")?,
            id: parse_uuid(&id)?,
        });
    }
    Ok(out)
}

impl Store {
    /// Records a proceeding of the case at its stage, with the first line of its stage
    /// history. Returns its id.
    pub async fn open_proceeding(
        &self,
        actor: &Actor,
        case_id: Uuid,
        p: NewProceeding,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, true, "proceeding.open").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let authority = seal_opt(
            &tx,
            Field::ProceedingAuthority,
            &key,
            p.authority.as_deref(),
        )?;
        let reference = seal_opt(
            &tx,
            Field::ProceedingReference,
            &key,
            p.reference.as_deref(),
        )?;
        sqlx::query(
            "INSERT INTO proceedings (id, case_id, kind, stage, authority, reference, victim_role, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(p.kind.as_str())
        .bind(p.stage.as_str())
        .bind(authority)
        .bind(reference)
        .bind(p.victim_role.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        add_stage_move(&mut tx, actor, &key, None, p.stage).await?;
        finish(
            tx,
            actor,
            &case,
            "proceeding.open",
            "proceeding",
            key,
            ("proceeding", None, Some(p.stage.as_str())),
        )
        .await?;
        Ok(id)
    }

    /// Moves a proceeding to a later stage or closes it (checked by
    /// `passage_core::casework::proceedings::may_move` against the stage as stored; a refusal
    /// names `stage`, is audited and writes nothing). Closing closes the open tasks of its
    /// hearings.
    pub async fn move_proceeding(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        stage: &str,
    ) -> Result<ProceedingStage, StoreError> {
        let action = "proceeding.stage";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        let at = match stage_of(&mut tx, &case, pid).await {
            Ok(s) => s,
            Err(e) => return refuse(tx, actor, action, "proceeding", key, e).await,
        };
        let to = match stage_change(at, stage) {
            Ok(to) => to,
            Err(p) => {
                let e = StoreError::Invalid(p);
                return refuse(tx, actor, action, "proceeding", key, e).await;
            }
        };
        sqlx::query("UPDATE proceedings SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(to.as_str())
            .bind(tx.now)
            .bind(&key)
            .execute(&mut *tx.tx)
            .await?;
        add_stage_move(&mut tx, actor, &key, Some(at), to).await?;
        if to == ProceedingStage::Closed {
            let tasks: Vec<(String,)> = sqlx::query_as(
                "SELECT task_id FROM hearings WHERE proceeding_id = $1 AND task_id IS NOT NULL",
            )
            .bind(&key)
            .fetch_all(&mut *tx.tx)
            .await?;
            for (t,) in tasks {
                close_task(&mut tx, actor, &t).await?;
            }
        }
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("proceeding", Some(at.as_str()), Some(to.as_str())),
        )
        .await?;
        Ok(to)
    }

    /// The proceedings of a case, newest first, with their stage history, perpetrators,
    /// measures, hearings and compensation.
    pub async fn proceedings(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<ProceedingRecord>, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, false, "proceeding.list").await?;
        let out = read_proceedings(&mut tx, &case).await?;
        tx.audit(actor.event("proceeding.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }
}
