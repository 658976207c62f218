//! The case lifecycle: editing a case's details against the version the caller read, moving it
//! between statuses under [`passage_core::casework::lifecycle::check`], the supervisor's
//! approval a high-risk or child case needs to close, identification decisions and the
//! deadlines they start, and the case's history.
//!
//! Every path goes through [`gate`]: reads with `ReadCase`, changes with `UpdateCase`; a case
//! the actor may not act on is `NotFound`, audited. Changes bump the case's version, so a
//! stale write is refused and nothing of it is kept; every changed field lands in the case
//! history (sealed) and every change in the audit chain (without personal data).
//!
//! Closing a case that needs sign-off (high risk, or a child by vulnerability or by date of
//! birth) when the actor is not a supervisor of the case's organisation does not close it: a
//! pending `approvals` row (kind `close`, its outcome and reason sealed) is stored and the
//! answer is `supervisor_approval_required`. A supervisor approves it (the case closes, and the
//! transition records who approved) or rejects it.

use super::person::missing;
use super::tasks::StaffMember;
use super::{CaseAccess, bump_version, gate, gate_write, is_supervisor_of, record_history};
use crate::auth::{parse_roles, parse_uuid};
use crate::db::Tx;
use crate::keys::Field;
use crate::keys::hex;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::changes::{
    CaseChanges, Identification, Transition, identification_days,
};
use passage_core::casework::deadlines::{CaseFacts, Deadline, Profiles};
use passage_core::casework::lifecycle::{TransitionError, TransitionRequest, check, next_statuses};
use passage_core::casework::person::{Change, decode_vulnerabilities, is_child};
use passage_core::casework::{IdentificationStatus, Outcome, RiskLevel};
use passage_core::policy::{Action, Principal, Relation, case_list_scope, decide};
use passage_core::{CaseStatus, CaseType, DenyReason, OrgKind, PartialDate, Role};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// The identification decision of a case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IdentificationView {
    pub status: IdentificationStatus,
    pub decided_by: String,
    /// The day of the decision shown (for `actual_victim`, the conclusive decision).
    pub decided_on: String,
    /// The screening the decision refers to, if it was recorded from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<Uuid>,
}

/// The lifecycle part of a case as its readers see it (flattened into the case view).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LifecycleView {
    pub risk: RiskLevel,
    /// HTCDS vic_MethodsOfControl values found (screenings add to them).
    pub methods_of_control: Vec<String>,
    /// HTCDS vic_TypeOfExploitation values found (screenings add to them).
    pub type_of_exploitation: Vec<String>,
    pub country: Option<String>,
    pub identification: Option<IdentificationView>,
    pub outcome: Option<Outcome>,
    pub closed_at: Option<i64>,
    /// The jurisdiction profile the deadlines follow (by the case's country).
    pub jurisdiction: String,
    pub deadlines: Vec<Deadline>,
    pub next_statuses: Vec<CaseStatus>,
    /// A request to close the case waits for a supervisor.
    pub close_pending_approval: bool,
    /// The last request to close the case was rejected, and no other waits. (Shown on the
    /// case page; not part of the API's answer.)
    #[serde(skip_serializing)]
    pub close_rejected: Option<RejectionView>,
}

/// One change in a case's history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HistoryEntry {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The display name of who changed it (their id if the user is gone).
    pub by: String,
    pub by_id: Uuid,
    pub at: i64,
}

/// A request waiting for a supervisor.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ApprovalView {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub person_name: String,
    pub outcome: Option<Outcome>,
    pub reason: String,
    pub requested_by: Uuid,
    pub requested_by_name: String,
    pub requested_at: i64,
    /// The person is a child: approving closes a child's case, which the page confirms first.
    /// (Not part of the API's answer.)
    #[serde(skip_serializing)]
    pub child: bool,
}

/// A supervisor's rejection of a request to close a case, shown to the caseworker on the case
/// until the case closes or another request waits.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RejectionView {
    pub reason: String,
    /// The display name of the supervisor who rejected it.
    pub by: String,
    pub at: i64,
}

/// Where a transition left the case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TransitionDone {
    pub id: Uuid,
    pub status: CaseStatus,
    pub version: i64,
}

/// What a pending close request carries (sealed as JSON).
#[derive(Debug, Serialize, Deserialize)]
struct ClosePayload {
    outcome: Outcome,
    reason: String,
}

/// Two sealed columns of a row, either absent.
type SealedPair = (Option<Vec<u8>>, Option<Vec<u8>>);

/// `identification_by` is free text in a TEXT column: it is sealed and kept as hex.
const IDENTIFICATION_BY: Field = Field::CaseIdentificationBy;

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn rule(e: TransitionError) -> StoreError {
    StoreError::Rule {
        code: e.code(),
        message: match e {
            TransitionError::NotAllowed => {
                "A case cannot move from its current status to that one. Choose one of the next statuses the case shows.".into()
            }
            TransitionError::ReasonRequired => {
                "Give a reason: closing, going back a step and reopening need one.".into()
            }
            TransitionError::OutcomeRequired => {
                "Closing a case needs an outcome (the durable solution reached).".into()
            }
            TransitionError::SupervisorApprovalRequired => {
                "Closing a high-risk or child case needs a supervisor's approval.".into()
            }
        },
    }
}

fn flag(row: &sqlx::any::AnyRow, col: &str) -> Result<bool, StoreError> {
    match row.try_get::<bool, _>(col) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(col)? != 0),
    }
}

/// Whether closing the case needs a supervisor: high risk, or the person is a child (by a
/// recorded vulnerability or by a date of birth under 18 today). A value that cannot be read
/// counts as not recorded.
async fn needs_sign_off(tx: &mut Tx, case: &CaseAccess) -> Result<bool, StoreError> {
    if case.risk() == RiskLevel::High {
        return Ok(true);
    }
    is_child_person(tx, &case.person_id().to_string()).await
}

/// Whether the person is a child: by a recorded vulnerability or by a date of birth under 18
/// today. A value that cannot be read counts as not recorded.
async fn is_child_person(tx: &mut Tx, pid: &str) -> Result<bool, StoreError> {
    let row: Option<SealedPair> =
        sqlx::query_as("SELECT vulnerabilities, date_of_birth FROM persons WHERE id = $1")
            .bind(pid)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((vulns, dob)) = row else {
        return Ok(false);
    };
    let open =
        |field: Field, b: Option<Vec<u8>>| b.and_then(|b| tx.keys.open_str(field, pid, &b).ok());
    let vulns = open(Field::PersonVulnerabilities, vulns)
        .map(|v| decode_vulnerabilities(&v))
        .unwrap_or_default();
    let dob = open(Field::PersonDateOfBirth, dob).and_then(|d| PartialDate::parse(&d, 9999).ok());
    Ok(is_child(&vulns, dob, Day::from_unix_ms(tx.now).ymd()))
}

mod details;
mod history;
mod view;

pub(crate) use view::lifecycle_view;
use view::{assignable, user_names};

/// Applies a transition the rule allowed: status, closure or reopening, follow-ups, the
/// transition record, history and audit. `by` asked for it; `approved_by` approved it.
#[allow(clippy::too_many_arguments)]
async fn apply_transition(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    profiles: &Profiles,
    to: CaseStatus,
    reason: Option<&str>,
    outcome: Option<Outcome>,
    by: Uuid,
    approved_by: Option<Uuid>,
) -> Result<i64, StoreError> {
    let version = bump_version(tx, case, case.version()).await?;
    let cid = case.key();
    sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
        .bind(to.as_str())
        .bind(&cid)
        .execute(&mut *tx.tx)
        .await?;
    if to == CaseStatus::Closed {
        let outcome = outcome.ok_or_else(|| rule(TransitionError::OutcomeRequired))?;
        let reason =
            tx.keys
                .seal_str(Field::CaseClosureReason, &cid, reason.unwrap_or_default())?;
        sqlx::query(
            "UPDATE cases SET outcome = $1, closure_reason = $2, closed_at = $3 WHERE id = $4",
        )
        .bind(outcome.as_str())
        .bind(reason)
        .bind(tx.now)
        .bind(&cid)
        .execute(&mut *tx.tx)
        .await?;
        // Follow-up visits after closure, as the case's jurisdiction schedules them.
        let closed = Day::from_unix_ms(tx.now);
        for months in &profiles.for_country(case.country()).follow_up_months {
            sqlx::query("INSERT INTO follow_ups (id, case_id, due_on) VALUES ($1, $2, $3)")
                .bind(Uuid::now_v7().to_string())
                .bind(&cid)
                .bind(closed.plus_months(*months).to_string())
                .execute(&mut *tx.tx)
                .await?;
        }
        record_history(tx, actor, case, "outcome", None, Some(outcome.as_str())).await?;
    } else if case.status() == CaseStatus::Closed {
        // Reopened: the closure no longer stands, nor do the visits it scheduled that are not
        // done yet (those done stay on record).
        let old: Option<(Option<String>,)> =
            sqlx::query_as("SELECT outcome FROM cases WHERE id = $1")
                .bind(&cid)
                .fetch_optional(&mut *tx.tx)
                .await?;
        sqlx::query(
            "UPDATE cases SET outcome = NULL, closure_reason = NULL, closed_at = NULL WHERE id = $1",
        )
        .bind(&cid)
        .execute(&mut *tx.tx)
        .await?;
        sqlx::query("DELETE FROM follow_ups WHERE case_id = $1 AND done_on IS NULL")
            .bind(&cid)
            .execute(&mut *tx.tx)
            .await?;
        if let Some((Some(old),)) = old {
            record_history(tx, actor, case, "outcome", Some(&old), None).await?;
        }
    }
    let tid = Uuid::now_v7().to_string();
    let sealed_reason = reason
        .map(|r| tx.keys.seal_str(Field::CaseTransitionReason, &tid, r))
        .transpose()?;
    sqlx::query(
        "INSERT INTO case_transitions (id, case_id, from_status, to_status, reason, outcome, by_user, approved_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&tid)
    .bind(&cid)
    .bind(case.status().as_str())
    .bind(to.as_str())
    .bind(sealed_reason)
    .bind(outcome.filter(|_| to == CaseStatus::Closed).map(|o| o.as_str()))
    .bind(by.to_string())
    .bind(approved_by.map(|u| u.to_string()))
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    record_history(
        tx,
        actor,
        case,
        "status",
        Some(case.status().as_str()),
        Some(to.as_str()),
    )
    .await?;
    if let Some(r) = reason {
        record_history(tx, actor, case, "status_reason", None, Some(r)).await?;
    }
    tx.audit(actor.event("case.transition", "case", Some(cid), "ok"))
        .await?;
    Ok(version)
}

impl Store {
    /// Who the case may be given to (for the assignment form): active users of its
    /// organisation who may work on a case assigned to them.
    pub async fn assignable_staff(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<StaffMember>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "case.staff").await?;
        let staff = assignable(&mut tx, &case).await?;
        tx.commit().await?;
        Ok(staff)
    }

    /// Moves a case to another status under the lifecycle rule. Closing a case that needs
    /// sign-off, asked by someone who is not a supervisor of its organisation, stores a request
    /// for a supervisor and answers `supervisor_approval_required`; the case stays as it is.
    pub async fn transition(
        &self,
        actor: &Actor,
        case_id: Uuid,
        t: Transition,
    ) -> Result<TransitionDone, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "case.transition").await?;
        if let Some(v) = t.version
            && v != case.version()
        {
            return Err(StoreError::VersionConflict {
                current: case.version(),
            });
        }
        let sign_off = t.to == CaseStatus::Closed && needs_sign_off(&mut tx, &case).await?;
        let req = TransitionRequest {
            from: case.status(),
            to: t.to,
            reason: t.reason.clone(),
            outcome: t.outcome,
            needs_sign_off: sign_off,
            supervisor: is_supervisor_of(actor, &case),
        };
        match check(&req) {
            Ok(()) => {}
            Err(TransitionError::SupervisorApprovalRequired) => {
                let asked_before = self.request_close(&mut tx, actor, &case, &t).await?;
                tx.commit().await?;
                return Err(StoreError::Rule {
                    code: TransitionError::SupervisorApprovalRequired.code(),
                    message: if asked_before {
                        "Closing this high-risk or child case needs a supervisor's approval. A supervisor of your organisation had already been asked; the request now carries this outcome and reason, and the case closes when they approve it."
                    } else {
                        "Closing this high-risk or child case needs a supervisor's approval. A supervisor of your organisation has been asked to approve it; the case closes when they do."
                    }
                    .into(),
                });
            }
            Err(e) => return Err(rule(e)),
        }
        let version = apply_transition(
            &mut tx,
            actor,
            &case,
            &self.profiles,
            t.to,
            t.reason.as_deref(),
            t.outcome,
            actor.user_id(),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(TransitionDone {
            id: case_id,
            status: t.to,
            version,
        })
    }

    /// Stores (or refreshes) the pending request to close a case; whether one was pending.
    async fn request_close(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        case: &CaseAccess,
        t: &Transition,
    ) -> Result<bool, StoreError> {
        let payload = serde_json::to_string(&ClosePayload {
            outcome: t
                .outcome
                .ok_or_else(|| rule(TransitionError::OutcomeRequired))?,
            reason: t.reason.clone().unwrap_or_default(),
        })
        .map_err(|_| StoreError::Corrupt("approval payload"))?;
        let pending: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM approvals WHERE case_id = $1 AND kind = 'close' AND decision IS NULL",
        )
        .bind(case.key())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let asked_before = pending.is_some();
        let id = pending.map_or_else(|| Uuid::now_v7().to_string(), |p| p.0);
        let sealed = tx.keys.seal_str(Field::ApprovalPayload, &id, &payload)?;
        if asked_before {
            sqlx::query(
                "UPDATE approvals SET payload = $1, requested_by = $2, requested_at = $3 WHERE id = $4",
            )
            .bind(sealed)
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO approvals (id, case_id, org_id, kind, payload, requested_by, requested_at) \
                 VALUES ($1, $2, $3, 'close', $4, $5, $6)",
            )
            .bind(&id)
            .bind(case.key())
            .bind(case.org_id().to_string())
            .bind(sealed)
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.audit(actor.event("approval.request", "approval", Some(id), "ok"))
            .await?;
        Ok(asked_before)
    }

    /// Records an identification decision. `actual_victim` also records the conclusive
    /// decision; a conclusive decision after a positive reasonable-grounds one keeps the
    /// recovery and reflection period it started.
    pub async fn set_identification(
        &self,
        actor: &Actor,
        case_id: Uuid,
        ident: Identification,
    ) -> Result<i64, StoreError> {
        self.set_identification_from(actor, case_id, ident, None)
            .await
    }

    /// [`Store::set_identification`], referring to the screening the decision rests on.
    pub(crate) async fn set_identification_from(
        &self,
        actor: &Actor,
        case_id: Uuid,
        ident: Identification,
        screening: Option<Uuid>,
    ) -> Result<i64, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "case.identification").await?;
        let expected = ident.version.unwrap_or(case.version());
        let cid = case.key();
        let row = sqlx::query(
            "SELECT identification_status, identification_by, identification_on, conclusive_on FROM cases WHERE id = $1",
        )
        .bind(&cid)
        .fetch_one(&mut *tx.tx)
        .await?;
        let old_status: Option<String> = row.try_get("identification_status")?;
        let old_by = row
            .try_get::<Option<String>, _>("identification_by")?
            .and_then(|h| unhex(&h))
            .map(|b| tx.keys.open_str(IDENTIFICATION_BY, &cid, &b))
            .transpose()?;
        let old_on: Option<String> = row.try_get("identification_on")?;
        let old_conclusive: Option<String> = row.try_get("conclusive_on")?;
        let previous = match (
            old_status.as_deref().and_then(IdentificationStatus::parse),
            old_on.as_deref().and_then(Day::parse),
        ) {
            (Some(s), Some(d)) => Some((s, d)),
            _ => None,
        };
        let (start, conclusive) = identification_days(previous, ident.status, ident.decided_on);
        let version = bump_version(&mut tx, &case, expected).await?;
        let sealed_by = hex(&tx
            .keys
            .seal_str(IDENTIFICATION_BY, &cid, &ident.decided_by)?);
        let (start, conclusive) = (start.to_string(), conclusive.map(|d| d.to_string()));
        sqlx::query(
            "UPDATE cases SET identification_status = $1, identification_by = $2, identification_on = $3, conclusive_on = $4, identification_screening = $5 WHERE id = $6",
        )
        .bind(ident.status.as_str())
        .bind(sealed_by)
        .bind(&start)
        .bind(&conclusive)
        .bind(screening.map(|s| s.to_string()))
        .bind(&cid)
        .execute(&mut *tx.tx)
        .await?;
        let changes = [
            (
                "identification_status",
                old_status,
                Some(ident.status.as_str().to_string()),
            ),
            ("identification_by", old_by, Some(ident.decided_by.clone())),
            ("identification_on", old_on, Some(start)),
            ("conclusive_on", old_conclusive, conclusive),
        ];
        for (field, old, new) in &changes {
            if old != new {
                record_history(&mut tx, actor, &case, field, old.as_deref(), new.as_deref())
                    .await?;
            }
        }
        tx.audit(actor.event("case.identification", "case", Some(cid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(version)
    }
}
