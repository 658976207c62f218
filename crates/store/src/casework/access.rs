//! The access gate. Whether an actor may act on a case or a person is decided here and only
//! here, and the answer is a capability: a [`CaseAccess`] or a [`PersonAccess`] whose fields are
//! private to this module, so nothing else in the store can make one. The operations on a
//! case's parts and on a person take the capability (they obtain it from [`gate`] or
//! [`person_gate`] first and pass it along), so no operation can skip the check.
//!
//! On refusal (or a missing record) the gate audits the attempt, commits, and answers
//! `NotFound`: missing and forbidden look the same.

use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::{Actor, StoreError};
use passage_core::casework::RiskLevel;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::{CaseStatus, Role};
use sqlx::Row;
use uuid::Uuid;

/// Proof that the policy allowed an actor an action on a case, with what the gate read of it.
/// Made only by [`gate`].
#[derive(Debug, Clone)]
pub struct CaseAccess {
    id: Uuid,
    org_id: Uuid,
    person_id: Uuid,
    status: CaseStatus,
    risk: RiskLevel,
    country: Option<String>,
    version: i64,
    relation: Relation,
    created_at: i64,
}

impl CaseAccess {
    pub fn id(&self) -> Uuid {
        self.id
    }
    pub fn key(&self) -> String {
        self.id.to_string()
    }
    /// The owning organisation.
    pub fn org_id(&self) -> Uuid {
        self.org_id
    }
    pub fn person_id(&self) -> Uuid {
        self.person_id
    }
    pub fn status(&self) -> CaseStatus {
        self.status
    }
    pub fn risk(&self) -> RiskLevel {
        self.risk
    }
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
    /// The case's version when the gate read it.
    pub fn version(&self) -> i64 {
        self.version
    }
    /// The actor's relation to the case, as the policy judged it.
    pub fn relation(&self) -> Relation {
        self.relation
    }
    pub fn created_at(&self) -> i64 {
        self.created_at
    }
}

/// Whether the actor is a supervisor of the case's organisation.
pub fn is_supervisor_of(actor: &Actor, case: &CaseAccess) -> bool {
    case.org_id == actor.org_id() && actor.principal().roles.contains(&Role::Supervisor)
}

/// The actor's relation to a case's owning organisation, creator and assignee.
pub(crate) fn relation(
    actor: &Actor,
    org: Uuid,
    created_by: &str,
    assigned_to: Option<&str>,
) -> Relation {
    let me = actor.user_id().to_string();
    if org == actor.org_id() {
        if created_by == me || assigned_to == Some(me.as_str()) {
            Relation::Own
        } else {
            Relation::Organisation
        }
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
) -> Result<(Tx, CaseAccess), StoreError> {
    let row = sqlx::query(
        "SELECT c.org_id, c.person_id, c.created_by, c.assigned_to, c.status, c.risk, c.country, c.version, c.created_at \
         FROM cases c WHERE c.id = $1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let found = match &row {
        None => None,
        Some(r) => {
            let rel = relation(
                actor,
                parse_uuid(&r.try_get::<String, _>("org_id")?)?,
                &r.try_get::<String, _>("created_by")?,
                r.try_get::<Option<String>, _>("assigned_to")?.as_deref(),
            );
            Some((rel, decide(actor.principal(), action, rel)))
        }
    };
    match (row, found) {
        (Some(r), Some((rel, Decision::Allow(_)))) => {
            let case = CaseAccess {
                id: case_id,
                org_id: parse_uuid(&r.try_get::<String, _>("org_id")?)?,
                person_id: parse_uuid(&r.try_get::<String, _>("person_id")?)?,
                status: CaseStatus::parse(&r.try_get::<String, _>("status")?)
                    .ok_or(StoreError::Corrupt("case status"))?,
                risk: RiskLevel::parse(&r.try_get::<String, _>("risk")?)
                    .ok_or(StoreError::Corrupt("risk"))?,
                country: r.try_get("country")?,
                version: r.try_get("version")?,
                relation: rel,
                created_at: r.try_get("created_at")?,
            };
            // The person's data key (loaded when another server made it since this one
            // started): what the case's values are sealed under from here on.
            tx.seal_as_person(&case.person_id.to_string(), action == Action::UpdateCase)
                .await?;
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

/// Proof that the policy allowed an actor an action on a person: the person, the case the
/// access went through (if any) and whether the actor may see the migration status. Made only
/// by [`person_gate`] (and, for the linkage's own reading, [`PersonAccess::linkage`]).
#[derive(Debug, Clone)]
pub struct PersonAccess {
    id: Uuid,
    org_id: Uuid,
    case: Option<CaseAccess>,
    status_allowed: bool,
}

impl PersonAccess {
    pub fn id(&self) -> Uuid {
        self.id
    }
    pub fn key(&self) -> String {
        self.id.to_string()
    }
    /// The organisation that holds the person.
    pub fn org_id(&self) -> Uuid {
        self.org_id
    }
    /// The case the access went through, if the person has one.
    pub fn case(&self) -> Option<&CaseAccess> {
        self.case.as_ref()
    }
    /// Whether the actor may see and change the firewalled migration status.
    pub fn status_allowed(&self) -> bool {
        self.status_allowed
    }
}

/// Finds how the actor reaches a person: through one of the person's cases the policy allows
/// `action` on (checked again by [`gate`]), or, for a person without a case, through the
/// person's own organisation and creator. Refused or missing: audited as `audit_action` on the
/// person, committed, and `NotFound`.
pub(crate) async fn person_gate(
    mut tx: Tx,
    actor: &Actor,
    person_id: Uuid,
    action: Action,
    audit_action: &str,
) -> Result<(Tx, PersonAccess), StoreError> {
    let person: Option<(String, String)> =
        sqlx::query_as("SELECT org_id, created_by FROM persons WHERE id = $1")
            .bind(person_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let mut outcome = "not_found";
    if let Some((org, created_by)) = person {
        let org = parse_uuid(&org)?;
        outcome = "denied";
        let rows = sqlx::query(
            "SELECT c.id, c.org_id, c.created_by, c.assigned_to \
             FROM cases c WHERE c.person_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(person_id.to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        if rows.is_empty() {
            let rel = relation(actor, org, &created_by, None);
            if decide(actor.principal(), action, rel).is_allowed() {
                tx.seal_as_person(&person_id.to_string(), action == Action::UpdateCase)
                    .await?;
                let status_allowed =
                    decide(actor.principal(), Action::ReadMigrationStatus, rel).is_allowed();
                return Ok((
                    tx,
                    PersonAccess {
                        id: person_id,
                        org_id: org,
                        case: None,
                        status_allowed,
                    },
                ));
            }
        } else {
            // The closest relation wins: own before organisation.
            let mut best: Option<(Relation, Uuid)> = None;
            for r in &rows {
                let rel = relation(
                    actor,
                    parse_uuid(&r.try_get::<String, _>("org_id")?)?,
                    &r.try_get::<String, _>("created_by")?,
                    r.try_get::<Option<String>, _>("assigned_to")?.as_deref(),
                );
                if let Decision::Allow(_) = decide(actor.principal(), action, rel)
                    && best.is_none_or(|(b, _)| rel < b)
                {
                    best = Some((rel, parse_uuid(&r.try_get::<String, _>("id")?)?));
                }
            }
            if let Some((_, case_id)) = best {
                let (tx, case) = gate(tx, actor, case_id, action, audit_action).await?;
                let status_allowed = decide(
                    actor.principal(),
                    Action::ReadMigrationStatus,
                    case.relation,
                )
                .is_allowed();
                return Ok((
                    tx,
                    PersonAccess {
                        id: person_id,
                        org_id: org,
                        case: Some(case),
                        status_allowed,
                    },
                ));
            }
        }
    }
    tx.audit(actor.event(audit_action, "person", Some(person_id.to_string()), outcome))
        .await?;
    tx.commit().await?;
    Err(StoreError::NotFound)
}

/// [`gate`] for a change to a case (`UpdateCase`).
pub(crate) async fn gate_write(
    tx: Tx,
    actor: &Actor,
    case_id: Uuid,
    audit_action: &str,
) -> Result<(Tx, CaseAccess), StoreError> {
    gate(tx, actor, case_id, Action::UpdateCase, audit_action).await
}

/// [`person_gate`] for a change to a person (`UpdateCase`).
pub(crate) async fn person_gate_write(
    tx: Tx,
    actor: &Actor,
    person_id: Uuid,
    audit_action: &str,
) -> Result<(Tx, PersonAccess), StoreError> {
    person_gate(tx, actor, person_id, Action::UpdateCase, audit_action).await
}
