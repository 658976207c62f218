//! Case management on top of persons and cases. Every operation on a case's parts goes through
//! [`gate`]: it loads the case, computes the actor's relation to it, asks the access policy, and
//! on refusal audits the attempt and answers `NotFound` (missing and forbidden look the same).
//! Changes check the case's version ([`bump_version`]) and record field history
//! ([`record_history`]), so a stale write is refused and loses nothing.

pub mod attachments;
pub mod child;
pub mod consent;
pub mod dashboard;
pub mod duplicates;
pub mod filters;
pub mod follow_up;
pub mod lifecycle;
pub mod needs;
pub mod notes;
pub mod person;
pub mod plan;
pub mod screening;
pub mod seed;
pub mod services;
pub mod tasks;

use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, StoreError};
use passage_core::casework::RiskLevel;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::{CaseStatus, Role};
use sqlx::Row;
use uuid::Uuid;

/// What the gate learned about a case the actor may act on.
#[derive(Debug, Clone)]
pub struct CaseRef {
    pub id: Uuid,
    pub org_id: Uuid,
    pub person_id: Uuid,
    pub status: CaseStatus,
    pub risk: RiskLevel,
    pub country: Option<String>,
    pub version: i64,
    pub relation: Relation,
    pub created_at: i64,
}

impl CaseRef {
    pub fn key(&self) -> String {
        self.id.to_string()
    }
}

/// Whether the actor is a supervisor of the case's organisation.
pub fn is_supervisor_of(actor: &Actor, case: &CaseRef) -> bool {
    case.org_id == actor.org_id() && actor.principal().roles.contains(&Role::Supervisor)
}

/// The actor's relation to a case's owning organisation, creator and assignee.
pub(crate) fn relation(
    actor: &Actor,
    org: Uuid,
    created_by: &str,
    assigned_to: Option<&str>,
    shared: bool,
) -> Relation {
    let me = actor.user_id().to_string();
    if org == actor.org_id() {
        if created_by == me || assigned_to == Some(me.as_str()) {
            Relation::Own
        } else {
            Relation::Organisation
        }
    } else if shared {
        Relation::Shared
    } else {
        Relation::Unrelated
    }
}

/// Loads a case and asks the policy whether the actor may do `action` on it. On refusal (or a
/// missing case) the attempt is audited as `audit_action` and committed, and the answer is
/// `NotFound`. On success the open transaction comes back with what the gate read.
pub(crate) async fn gate(
    mut tx: Tx,
    actor: &Actor,
    case_id: Uuid,
    action: Action,
    audit_action: &str,
) -> Result<(Tx, CaseRef), StoreError> {
    let row = sqlx::query(
        "SELECT c.org_id, c.person_id, c.created_by, c.assigned_to, c.status, c.risk, c.country, c.version, c.created_at, \
         EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.org_id = $1) \
         FROM cases c WHERE c.id = $2",
    )
    .bind(actor.org_id().to_string())
    .bind(case_id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let found = match &row {
        None => None,
        Some(r) => {
            let shared = match r.try_get::<bool, _>(9) {
                Ok(b) => b,
                Err(_) => r.try_get::<i64, _>(9)? != 0,
            };
            let rel = relation(
                actor,
                parse_uuid(&r.try_get::<String, _>(0)?)?,
                &r.try_get::<String, _>(2)?,
                r.try_get::<Option<String>, _>(3)?.as_deref(),
                shared,
            );
            Some((rel, decide(actor.principal(), action, rel)))
        }
    };
    match (row, found) {
        (Some(r), Some((rel, Decision::Allow(_)))) => {
            let case = CaseRef {
                id: case_id,
                org_id: parse_uuid(&r.try_get::<String, _>(0)?)?,
                person_id: parse_uuid(&r.try_get::<String, _>(1)?)?,
                status: CaseStatus::parse(&r.try_get::<String, _>(4)?)
                    .ok_or(StoreError::Corrupt("case status"))?,
                risk: RiskLevel::parse(&r.try_get::<String, _>(5)?)
                    .ok_or(StoreError::Corrupt("risk"))?,
                country: r.try_get(6)?,
                version: r.try_get(7)?,
                relation: rel,
                created_at: r.try_get(8)?,
            };
            Ok((tx, case))
        }
        (_, found) => {
            let outcome = if found.is_some() {
                "denied"
            } else {
                "not_found"
            };
            tx.audit(actor.event(audit_action, "case", Some(case_id.to_string()), outcome))
                .await?;
            tx.commit().await?;
            Err(StoreError::NotFound)
        }
    }
}

/// Moves the case to the next version if it is still at `expected`; otherwise refuses with
/// the current version. Call before writing the change, in the same transaction.
pub(crate) async fn bump_version(
    tx: &mut Tx,
    case: &CaseRef,
    expected: i64,
) -> Result<i64, StoreError> {
    if expected != case.version {
        return Err(StoreError::VersionConflict {
            current: case.version,
        });
    }
    let done = sqlx::query(
        "UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
    )
    .bind(tx.now)
    .bind(case.key())
    .bind(expected)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::VersionConflict {
            current: case.version,
        });
    }
    Ok(expected + 1)
}

/// Records that `field` of a case changed, with old and new values sealed (they may be
/// personal data). Readers of the case's history see who changed what and when.
pub(crate) async fn record_history(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseRef,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), StoreError> {
    let id = Uuid::now_v7().to_string();
    let seal = |v: Option<&str>| {
        v.map(|v| tx.keys.seal_str(Field::CaseHistoryValue, &id, v))
            .transpose()
    };
    let (old, new) = (seal(old)?, seal(new)?);
    sqlx::query(
        "INSERT INTO case_history (id, case_id, field, old_value, new_value, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(case.key())
    .bind(field)
    .bind(old)
    .bind(new)
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}
