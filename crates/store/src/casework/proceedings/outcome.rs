//! What a proceeding brings the victim: protection measures, the outcome, compensation
//! ordered and paid, and the case's remedies in one place.

use super::register::read_proceedings;
use super::{
    Remedies, RemedyLine, RemedySource, RemedyTotal, currency, finish, own, refuse, seal_opt,
    stage_of,
};
use crate::auth::parse_uuid;
use crate::casework::gate;
use crate::casework::protection::firewall;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::proceedings::{MeasureKind, MeasureStatus, NewOutcome, RawPayment};
use passage_core::labour::money::Money;
use passage_core::policy::Action;
use sqlx::Row;
use uuid::Uuid;

impl Store {
    /// Records a protection measure asked for the victim, or where it now stands (granted,
    /// refused): one line per measure and proceeding.
    pub async fn set_measure(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        kind: MeasureKind,
        status: MeasureStatus,
    ) -> Result<(), StoreError> {
        let action = "proceeding.measure";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let done = sqlx::query(
            "UPDATE proceeding_measures SET status = $1, updated_by = $2, updated_at = $3 \
             WHERE proceeding_id = $4 AND kind = $5",
        )
        .bind(status.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .bind(kind.as_str())
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO proceeding_measures (id, proceeding_id, kind, status, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(&key)
            .bind(kind.as_str())
            .bind(status.as_str())
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
        }
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            (
                "protection_measure",
                Some(kind.as_str()),
                Some(status.as_str()),
            ),
        )
        .await
    }

    /// Records how a proceeding ended and the sentence (sealed).
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        o: NewOutcome,
    ) -> Result<(), StoreError> {
        let action = "proceeding.outcome";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let sentence = seal_opt(&tx, Field::ProceedingSentence, &key, o.sentence.as_deref())?;
        sqlx::query(
            "UPDATE proceedings SET outcome = $1, sentence = $2, decided_on = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(o.outcome.as_str())
        .bind(sentence)
        .bind(o.decided_on.map(|d| d.to_string()))
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("proceeding_outcome", None, Some(o.outcome.as_str())),
        )
        .await
    }

    /// Records the compensation ordered in a proceeding. Once payments are recorded the
    /// currency cannot change (`invalid_value` on `currency`).
    pub async fn order_compensation(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        ordered: Money,
    ) -> Result<(), StoreError> {
        let action = "proceeding.compensation";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let current: Option<(Option<String>,)> =
            sqlx::query_as("SELECT currency FROM proceedings WHERE id = $1")
                .bind(&key)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let paid: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM compensation_payments WHERE proceeding_id = $1")
                .bind(&key)
                .fetch_one(&mut *tx.tx)
                .await?;
        if let Some((Some(c),)) = current
            && paid.0 > 0
            && c != ordered.currency.as_str()
        {
            let e = StoreError::invalid(
                "currency",
                ErrorCode::InvalidValue,
                format!("currency must stay {c}: payments were recorded in it"),
            );
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        sqlx::query(
            "UPDATE proceedings SET compensation_minor = $1, currency = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(ordered.minor)
        .bind(ordered.currency.as_str())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("compensation", None, Some("ordered")),
        )
        .await
    }

    /// Records a payment of ordered compensation, in the order's currency. Without an order
    /// it is `invalid_value` on `amount`. Returns its id.
    pub async fn record_payment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        raw: RawPayment,
    ) -> Result<Uuid, StoreError> {
        let action = "proceeding.payment";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let cur: (Option<String>,) =
            sqlx::query_as("SELECT currency FROM proceedings WHERE id = $1")
                .bind(&key)
                .fetch_one(&mut *tx.tx)
                .await?;
        let Some(code) = cur.0 else {
            let e = StoreError::invalid(
                "amount",
                ErrorCode::InvalidValue,
                "record the compensation ordered before a payment",
            );
            return refuse(tx, actor, action, "proceeding", key, e).await;
        };
        let payment = match raw.validate(currency(&code)?) {
            Ok(p) => p,
            Err(p) => {
                return refuse(tx, actor, action, "proceeding", key, StoreError::Invalid(p)).await;
            }
        };
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO compensation_payments (id, proceeding_id, amount_minor, paid_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(&key)
        .bind(payment.minor)
        .bind(payment.paid_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("compensation", None, Some("paid")),
        )
        .await?;
        Ok(id)
    }

    /// The remedies of a case in one place: its labour claims (claimed and recovered) and,
    /// for the case's own organisation, compensation ordered in its proceedings (awarded and
    /// paid), with totals per currency. A reader of the case from another organisation (a
    /// referral's receiver) sees the claims only.
    pub async fn remedies(&self, actor: &Actor, case_id: Uuid) -> Result<Remedies, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "remedies.read").await?;
        let mut lines = Vec::new();
        for r in sqlx::query(
            "SELECT id, kind, amount_claimed, amount_recovered, currency FROM labour_claims \
             WHERE case_id = $1 ORDER BY recorded_at, id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?
        {
            let cur = currency(&r.try_get::<String, _>("currency")?)?;
            let kind =
                passage_core::labour::remedies::ClaimKind::parse(&r.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("claim kind"))?;
            lines.push(RemedyLine {
                source: RemedySource::Claim,
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                kind: kind.as_str(),
                claimed: Some(Money {
                    minor: r.try_get("amount_claimed")?,
                    currency: cur,
                }),
                awarded: None,
                recovered: Money {
                    minor: r.try_get("amount_recovered")?,
                    currency: cur,
                },
            });
        }
        if case.org_id() == actor.org_id() {
            for p in read_proceedings(&mut tx, &case).await? {
                if let Some(c) = p.compensation {
                    lines.push(RemedyLine {
                        source: RemedySource::Proceeding,
                        id: p.id,
                        kind: p.kind.as_str(),
                        claimed: None,
                        awarded: Some(c.ordered),
                        recovered: c.paid,
                    });
                }
            }
        }
        let mut totals: Vec<RemedyTotal> = Vec::new();
        for l in &lines {
            let cur = l.recovered.currency;
            let i = match totals.iter().position(|t| t.currency == cur) {
                Some(i) => i,
                None => {
                    totals.push(RemedyTotal {
                        currency: cur,
                        claimed: 0,
                        awarded: 0,
                        recovered: 0,
                    });
                    totals.len() - 1
                }
            };
            let t = &mut totals[i];
            t.claimed += l.claimed.map_or(0, |m| m.minor);
            t.awarded += l.awarded.map_or(0, |m| m.minor);
            t.recovered += l.recovered.minor;
        }
        totals.sort_by(|a, b| a.currency.as_str().cmp(b.currency.as_str()));
        tx.audit(actor.event("remedies.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(Remedies { lines, totals })
    }
}
