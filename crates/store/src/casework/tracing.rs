//! Family tracing and age assessment on a case (issue 17 item 4).
//!
//! Who: the case's own access rules ([`gate`]), narrowed to the case's own organisation. A
//! partner the case was referred to reads the case as the referral allows, but never a
//! tracing request or an age assessment: for it, as for any other organisation, they answer
//! as for a case that does not exist. Immigration enforcement is refused by the firewall
//! before any case is looked at.
//!
//! A tracing step sent to a partner is a referral of the referral network, made and
//! consent-checked there (`referrals`): a contact only records the id of a referral of the
//! same case and shows its status. No other path between organisations exists here.
//!
//! Sealed: family members' names, last known places and what is known, the outcome note, and
//! who assessed an age. The case history and the audit name only what kind of thing changed.

use super::protection::firewall;
use super::{CaseAccess, gate, gate_write, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::calendar::Day;
use passage_core::casework::tracing::{
    AssessmentMethod, CloseTracing, FamilyRelation, MemberStatus, NewAgeAssessment, NewMember,
    NewTracingRequest, SeparationReason, TracingStatus, treated_as_child,
};
use passage_core::policy::Action;
use passage_core::referrals::ReferralStatus;
use sqlx::Row;
use uuid::Uuid;

/// An age assessment as the case's organisation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeAssessmentRecord {
    pub id: Uuid,
    pub assessed_on: Day,
    pub method: AssessmentMethod,
    pub assessed_by: String,
    pub age_lower: u8,
    pub age_upper: u8,
    pub disputed: bool,
    /// The benefit of the doubt applies: the person is treated as a child.
    pub treated_as_child: bool,
    pub recorded_at: i64,
}

/// A searched family member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracingMember {
    pub id: Uuid,
    pub relation: FamilyRelation,
    pub name: String,
    pub last_known_place: Option<String>,
    pub known: Option<String>,
    pub status: MemberStatus,
    pub updated_at: i64,
}

/// A tracing step sent to a partner: the referral that carries it, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracingContact {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub organisation_name: String,
    pub referral_status: ReferralStatus,
    pub recorded_at: i64,
}

/// A tracing request with its members and contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracingRequest {
    pub id: Uuid,
    pub opened_on: Day,
    pub reason: SeparationReason,
    pub status: TracingStatus,
    /// The outcome note, once closed.
    pub outcome: Option<String>,
    pub closed_at: Option<i64>,
    pub members: Vec<TracingMember>,
    pub contacts: Vec<TracingContact>,
}

/// The gate for tracing: firewall first, then the case's own access rules, then the case's
/// own organisation only. Anyone else is answered `NotFound`, audited as refused.
async fn own(
    tx: Tx,
    actor: &Actor,
    case_id: Uuid,
    write: bool,
    action: &str,
) -> Result<(Tx, CaseAccess), StoreError> {
    firewall(actor)?;
    let (mut tx, case) = if write {
        gate_write(tx, actor, case_id, action).await?
    } else {
        gate(tx, actor, case_id, Action::ReadCase, action).await?
    };
    if case.org_id() != actor.org_id() {
        tx.audit(actor.event(action, "case", Some(case.key()), "refused"))
            .await?;
        tx.commit().await?;
        return Err(StoreError::NotFound);
    }
    Ok((tx, case))
}

/// The status of request `tid` if it belongs to the case; `NotFound` otherwise.
async fn request_status(
    tx: &mut Tx,
    case: &CaseAccess,
    tid: Uuid,
) -> Result<TracingStatus, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM tracing_requests WHERE id = $1 AND case_id = $2")
            .bind(tid.to_string())
            .bind(case.key())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((status,)) = row else {
        return Err(StoreError::NotFound);
    };
    TracingStatus::parse(&status).ok_or(StoreError::Corrupt("tracing status"))
}

/// Like [`request_status`], refusing a closed request (`transition_not_allowed`).
async fn open_request(tx: &mut Tx, case: &CaseAccess, tid: Uuid) -> Result<(), StoreError> {
    if request_status(tx, case, tid).await?.is_open() {
        Ok(())
    } else {
        Err(StoreError::Rule {
            code: ErrorCode::TransitionNotAllowed,
            message: "This tracing request is closed.".into(),
        })
    }
}

/// Commits the audit of a refusal and hands the refusal back.
async fn refuse<T>(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    object: &str,
    id: String,
    e: StoreError,
) -> Result<T, StoreError> {
    let outcome = match &e {
        StoreError::NotFound => "not_found",
        _ => "refused",
    };
    tx.audit(actor.event(action, object, Some(id), outcome))
        .await?;
    tx.commit().await?;
    Err(e)
}

fn day(text: &str) -> Result<Day, StoreError> {
    Day::parse(text).ok_or(StoreError::Corrupt("tracing date"))
}

fn open_opt(tx: &Tx, f: Field, id: &str, b: Option<Vec<u8>>) -> Result<Option<String>, StoreError> {
    b.map(|b| tx.keys.open_str(f, id, &b)).transpose()
}

impl Store {
    /// Records an age assessment on a case. Returns its id.
    pub async fn record_age_assessment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        a: NewAgeAssessment,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "age_assessment.record").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let by = tx
            .keys
            .seal_str(Field::AgeAssessmentAssessedBy, &key, &a.assessed_by)?;
        sqlx::query(
            "INSERT INTO age_assessments (id, case_id, assessed_on, method, assessed_by, age_lower, age_upper, disputed, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(a.assessed_on.to_string())
        .bind(a.method.as_str())
        .bind(by)
        .bind(i64::from(a.age_lower))
        .bind(i64::from(a.age_upper))
        .bind(i64::from(a.disputed))
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "age_assessment",
            None,
            Some(a.method.as_str()),
        )
        .await?;
        tx.audit(actor.event("age_assessment.record", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The age assessments of a case, newest first.
    pub async fn age_assessments(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<AgeAssessmentRecord>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, false, "age_assessment.list").await?;
        let rows = sqlx::query(
            "SELECT id, assessed_on, method, assessed_by, age_lower, age_upper, disputed, created_at \
             FROM age_assessments WHERE case_id = $1 ORDER BY assessed_on DESC, created_at DESC, id DESC",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id")?;
            let lower = u8::try_from(r.try_get::<i64, _>("age_lower")?)
                .map_err(|_| StoreError::Corrupt("age"))?;
            let upper = u8::try_from(r.try_get::<i64, _>("age_upper")?)
                .map_err(|_| StoreError::Corrupt("age"))?;
            let disputed = r.try_get::<i64, _>("disputed")? != 0;
            out.push(AgeAssessmentRecord {
                assessed_on: day(&r.try_get::<String, _>("assessed_on")?)?,
                method: AssessmentMethod::parse(&r.try_get::<String, _>("method")?)
                    .ok_or(StoreError::Corrupt("assessment method"))?,
                assessed_by: tx.keys.open_str(
                    Field::AgeAssessmentAssessedBy,
                    &id,
                    &r.try_get::<Vec<u8>, _>("assessed_by")?,
                )?,
                age_lower: lower,
                age_upper: upper,
                disputed,
                treated_as_child: treated_as_child(lower, upper, disputed),
                recorded_at: r.try_get("created_at")?,
                id: parse_uuid(&id)?,
            });
        }
        tx.audit(actor.event("age_assessment.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Opens a tracing request on a case, at status `open`. Returns its id.
    pub async fn open_tracing(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewTracingRequest,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "tracing.open").await?;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO tracing_requests (id, case_id, opened_on, reason, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(case.key())
        .bind(new.opened_on.to_string())
        .bind(new.reason.as_str())
        .bind(TracingStatus::Open.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "tracing",
            None,
            Some(TracingStatus::Open.as_str()),
        )
        .await?;
        tx.audit(actor.event(
            "tracing.open",
            "tracing_request",
            Some(id.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a searched family member to an open request, at status `searching`.
    pub async fn add_tracing_member(
        &self,
        actor: &Actor,
        case_id: Uuid,
        tid: Uuid,
        m: NewMember,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "tracing.member").await?;
        if let Err(e) = open_request(&mut tx, &case, tid).await {
            return refuse(
                tx,
                actor,
                "tracing.member",
                "tracing_request",
                tid.to_string(),
                e,
            )
            .await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let k = tx.keys.clone();
        let place = m
            .last_known_place
            .as_deref()
            .map(|p| k.seal_str(Field::TracingMemberPlace, &key, p))
            .transpose()?;
        let known = m
            .known
            .as_deref()
            .map(|p| k.seal_str(Field::TracingMemberKnown, &key, p))
            .transpose()?;
        sqlx::query(
            "INSERT INTO tracing_members (id, request_id, relation, name, last_known_place, known, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&key)
        .bind(tid.to_string())
        .bind(m.relation.as_str())
        .bind(k.seal_str(Field::TracingMemberName, &key, &m.name)?)
        .bind(place)
        .bind(known)
        .bind(MemberStatus::Searching.as_str())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(
            "tracing.member",
            "tracing_request",
            Some(tid.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets where the search for a family member stands, on an open request.
    pub async fn set_tracing_member_status(
        &self,
        actor: &Actor,
        case_id: Uuid,
        tid: Uuid,
        mid: Uuid,
        status: MemberStatus,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "tracing.member_status").await?;
        if let Err(e) = open_request(&mut tx, &case, tid).await {
            let t = tid.to_string();
            return refuse(tx, actor, "tracing.member_status", "tracing_request", t, e).await;
        }
        let done = sqlx::query(
            "UPDATE tracing_members SET status = $1, updated_at = $2 WHERE id = $3 AND request_id = $4",
        )
        .bind(status.as_str())
        .bind(tx.now)
        .bind(mid.to_string())
        .bind(tid.to_string())
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            let m = mid.to_string();
            return refuse(
                tx,
                actor,
                "tracing.member_status",
                "tracing_member",
                m,
                StoreError::NotFound,
            )
            .await;
        }
        record_history(
            &mut tx,
            actor,
            &case,
            "tracing.member",
            None,
            Some(status.as_str()),
        )
        .await?;
        tx.audit(actor.event(
            "tracing.member_status",
            "tracing_member",
            Some(mid.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a tracing step went to a partner through referral `referral_id`, which
    /// must be a referral of the same case made through the referral network (with its consent
    /// check). A referral of another case is `invalid_value` on `referral_id`; linking the
    /// same referral twice is `already_linked`.
    pub async fn add_tracing_contact(
        &self,
        actor: &Actor,
        case_id: Uuid,
        tid: Uuid,
        referral_id: Uuid,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "tracing.contact").await?;
        let t = tid.to_string();
        if let Err(e) = open_request(&mut tx, &case, tid).await {
            return refuse(tx, actor, "tracing.contact", "tracing_request", t, e).await;
        }
        let of_case: Option<(String,)> =
            sqlx::query_as("SELECT id FROM referrals WHERE id = $1 AND case_id = $2")
                .bind(referral_id.to_string())
                .bind(case.key())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if of_case.is_none() {
            let e = StoreError::invalid(
                "referral_id",
                ErrorCode::InvalidValue,
                "referral_id must be a referral of this case",
            );
            return refuse(tx, actor, "tracing.contact", "tracing_request", t, e).await;
        }
        let linked: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM tracing_contacts WHERE request_id = $1 AND referral_id = $2",
        )
        .bind(&t)
        .bind(referral_id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if linked.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::AlreadyLinked,
                message: "This referral is already a step of the request.".into(),
            };
            return refuse(tx, actor, "tracing.contact", "tracing_request", t, e).await;
        }
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO tracing_contacts (id, request_id, referral_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(&t)
        .bind(referral_id.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("tracing.contact", "tracing_request", Some(t), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Closes an open request with a final status and the outcome note.
    pub async fn close_tracing(
        &self,
        actor: &Actor,
        case_id: Uuid,
        tid: Uuid,
        close: CloseTracing,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "tracing.close").await?;
        let t = tid.to_string();
        if let Err(e) = open_request(&mut tx, &case, tid).await {
            return refuse(tx, actor, "tracing.close", "tracing_request", t, e).await;
        }
        let outcome = tx
            .keys
            .seal_str(Field::TracingOutcome, &t, &close.outcome)?;
        sqlx::query(
            "UPDATE tracing_requests SET status = $1, outcome = $2, closed_at = $3 WHERE id = $4 AND status = 'open'",
        )
        .bind(close.status.as_str())
        .bind(outcome)
        .bind(tx.now)
        .bind(&t)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "tracing",
            Some(TracingStatus::Open.as_str()),
            Some(close.status.as_str()),
        )
        .await?;
        tx.audit(actor.event("tracing.close", "tracing_request", Some(t), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The tracing requests of a case, newest first, with their members and contacts.
    pub async fn tracing_requests(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<TracingRequest>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, false, "tracing.list").await?;
        let rows = sqlx::query(
            "SELECT id, opened_on, reason, status, outcome, closed_at FROM tracing_requests \
             WHERE case_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id")?;
            let members = sqlx::query(
                "SELECT id, relation, name, last_known_place, known, status, updated_at \
                 FROM tracing_members WHERE request_id = $1 ORDER BY created_at, id",
            )
            .bind(&id)
            .fetch_all(&mut *tx.tx)
            .await?;
            let mut ms = Vec::with_capacity(members.len());
            for m in members {
                let mid: String = m.try_get("id")?;
                ms.push(TracingMember {
                    relation: FamilyRelation::parse(&m.try_get::<String, _>("relation")?)
                        .ok_or(StoreError::Corrupt("relation"))?,
                    name: tx.keys.open_str(
                        Field::TracingMemberName,
                        &mid,
                        &m.try_get::<Vec<u8>, _>("name")?,
                    )?,
                    last_known_place: open_opt(
                        &tx,
                        Field::TracingMemberPlace,
                        &mid,
                        m.try_get("last_known_place")?,
                    )?,
                    known: open_opt(&tx, Field::TracingMemberKnown, &mid, m.try_get("known")?)?,
                    status: MemberStatus::parse(&m.try_get::<String, _>("status")?)
                        .ok_or(StoreError::Corrupt("member status"))?,
                    updated_at: m.try_get("updated_at")?,
                    id: parse_uuid(&mid)?,
                });
            }
            let contacts = sqlx::query(
                "SELECT t.id, t.referral_id, r.status, o.name, t.created_at FROM tracing_contacts t \
                 JOIN referrals r ON r.id = t.referral_id JOIN organisations o ON o.id = r.to_org \
                 WHERE t.request_id = $1 ORDER BY t.created_at, t.id",
            )
            .bind(&id)
            .fetch_all(&mut *tx.tx)
            .await?;
            let mut cs = Vec::with_capacity(contacts.len());
            for c in contacts {
                cs.push(TracingContact {
                    id: parse_uuid(&c.try_get::<String, _>("id")?)?,
                    referral_id: parse_uuid(&c.try_get::<String, _>("referral_id")?)?,
                    organisation_name: c.try_get("name")?,
                    referral_status: ReferralStatus::parse(&c.try_get::<String, _>("status")?)
                        .ok_or(StoreError::Corrupt("referral status"))?,
                    recorded_at: c.try_get("created_at")?,
                });
            }
            out.push(TracingRequest {
                opened_on: day(&r.try_get::<String, _>("opened_on")?)?,
                reason: SeparationReason::parse(&r.try_get::<String, _>("reason")?)
                    .ok_or(StoreError::Corrupt("separation reason"))?,
                status: TracingStatus::parse(&r.try_get::<String, _>("status")?)
                    .ok_or(StoreError::Corrupt("tracing status"))?,
                outcome: open_opt(&tx, Field::TracingOutcome, &id, r.try_get("outcome")?)?,
                closed_at: r.try_get("closed_at")?,
                members: ms,
                contacts: cs,
                id: parse_uuid(&id)?,
            });
        }
        tx.audit(actor.event("tracing.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }
}
