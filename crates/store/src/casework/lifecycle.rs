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
use super::{CaseAccess, bump_version, gate, is_supervisor_of, record_history};
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

fn flag(row: &sqlx::any::AnyRow, col: usize) -> Result<bool, StoreError> {
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
    let row: Option<SealedPair> =
        sqlx::query_as("SELECT vulnerabilities, date_of_birth FROM persons WHERE id = $1")
            .bind(case.person_id().to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((vulns, dob)) = row else {
        return Ok(false);
    };
    let pid = case.person_id().to_string();
    let open =
        |field: Field, b: Option<Vec<u8>>| b.and_then(|b| tx.keys.open_str(field, &pid, &b).ok());
    let vulns = open(Field::PersonVulnerabilities, vulns)
        .map(|v| decode_vulnerabilities(&v))
        .unwrap_or_default();
    let dob = open(Field::PersonDateOfBirth, dob).and_then(|d| PartialDate::parse(&d, 9999).ok());
    Ok(is_child(&vulns, dob, Day::from_unix_ms(tx.now).ymd()))
}

/// The lifecycle facts of a case, for its view. Runs inside the reader's transaction, after the
/// policy allowed the read.
pub(crate) async fn lifecycle_view(
    tx: &mut Tx,
    profiles: &Profiles,
    case_id: &str,
    status: CaseStatus,
    created_at: i64,
) -> Result<LifecycleView, StoreError> {
    let row = sqlx::query(
        "SELECT risk, country, outcome, closed_at, identification_status, identification_by, \
         identification_on, conclusive_on, identification_screening, methods_of_control, type_of_exploitation, \
         EXISTS (SELECT 1 FROM approvals a WHERE a.case_id = c.id AND a.kind = 'close' AND a.decision IS NULL) \
         FROM cases c WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_one(&mut *tx.tx)
    .await?;
    let risk =
        RiskLevel::parse(&row.try_get::<String, _>(0)?).ok_or(StoreError::Corrupt("risk"))?;
    let country: Option<String> = row.try_get(1)?;
    let outcome = row
        .try_get::<Option<String>, _>(2)?
        .map(|o| Outcome::parse(&o).ok_or(StoreError::Corrupt("outcome")))
        .transpose()?;
    let closed_at: Option<i64> = row.try_get(3)?;
    let ident_status = row
        .try_get::<Option<String>, _>(4)?
        .and_then(|s| IdentificationStatus::parse(&s));
    let ident_by = row
        .try_get::<Option<String>, _>(5)?
        .and_then(|h| unhex(&h))
        .map(|b| tx.keys.open_str(IDENTIFICATION_BY, case_id, &b))
        .transpose()?;
    let ident_on = row
        .try_get::<Option<String>, _>(6)?
        .and_then(|d| Day::parse(&d));
    let conclusive = row
        .try_get::<Option<String>, _>(7)?
        .and_then(|d| Day::parse(&d));
    let screening = row
        .try_get::<Option<String>, _>(8)?
        .map(|s| crate::auth::parse_uuid(&s))
        .transpose()?;
    let htcds = |col: usize| -> Result<Vec<String>, StoreError> {
        Ok(row
            .try_get::<Option<String>, _>(col)?
            .unwrap_or_default()
            .split(';')
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect())
    };
    let (methods_of_control, type_of_exploitation) = (htcds(9)?, htcds(10)?);
    let pending = flag(&row, 11)?;
    let identification = match (ident_status, ident_on) {
        (Some(s), Some(on)) => Some((s, on)),
        _ => None,
    };
    let profile = profiles.for_country(country.as_deref());
    let facts = CaseFacts {
        opened: Some(Day::from_unix_ms(created_at)),
        identification,
        conclusive,
        closed: closed_at.map(Day::from_unix_ms),
    };
    Ok(LifecycleView {
        risk,
        methods_of_control,
        type_of_exploitation,
        country,
        identification: identification.map(|(status, on)| IdentificationView {
            status,
            decided_by: ident_by.unwrap_or_default(),
            decided_on: match (status, conclusive) {
                (IdentificationStatus::ActualVictim, Some(c)) => c.to_string(),
                _ => on.to_string(),
            },
            screening,
        }),
        outcome,
        closed_at,
        jurisdiction: profile.name.clone(),
        deadlines: profile.deadlines(&facts),
        next_statuses: next_statuses(status),
        close_pending_approval: pending,
    })
}

/// The display names of users, by id.
async fn user_names(tx: &mut Tx, org: Uuid) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, display_name FROM users WHERE org_id = $1")
            .bind(org.to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
    Ok(rows.into_iter().collect())
}

/// The users a case may be given to: active users of the case's organisation whom the policy
/// lets work on a case assigned to them, by name.
async fn assignable(tx: &mut Tx, case: &CaseAccess) -> Result<Vec<StaffMember>, StoreError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.roles, o.kind FROM users u JOIN organisations o ON o.id = u.org_id \
         WHERE u.org_id = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(case.org_id().to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::new();
    for (id, name, roles, kind) in rows {
        let principal = Principal {
            user_id: parse_uuid(&id)?,
            org_id: case.org_id(),
            org_kind: OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?,
            roles: parse_roles(&roles)?,
        };
        if decide(&principal, Action::UpdateCase, Relation::Own).is_allowed() {
            out.push(StaffMember {
                id: principal.user_id,
                name,
            });
        }
    }
    Ok(out)
}

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
    /// Changes a case's details if it is still at the version the caller read. The assignee
    /// must be an active user of the case's organisation who may open the case. Every changed
    /// field is recorded in the history; the new version comes back.
    pub async fn update_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
        changes: CaseChanges,
    ) -> Result<i64, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::UpdateCase, "case.update").await?;
        if changes.version != case.version() {
            return Err(StoreError::VersionConflict {
                current: case.version(),
            });
        }
        let cid = case.key();
        let row = sqlx::query("SELECT stage, summary, assigned_to FROM cases WHERE id = $1")
            .bind(&cid)
            .fetch_one(&mut *tx.tx)
            .await?;
        let old_stage: String = row.try_get(0)?;
        let old_summary_sealed: Vec<u8> = row.try_get(1)?;
        let old_assignee: Option<String> = row.try_get(2)?;
        let old_types: Vec<(String,)> = sqlx::query_as(
            "SELECT case_type FROM case_types WHERE case_id = $1 ORDER BY case_type",
        )
        .bind(&cid)
        .fetch_all(&mut *tx.tx)
        .await?;
        let old_types: Vec<String> = old_types.into_iter().map(|t| t.0).collect();
        let old_summary = tx
            .keys
            .open_str(Field::CaseSummary, &cid, &old_summary_sealed)?;

        let mut history: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        let stage = match changes.stage {
            Some(s) if s.as_str() != old_stage => {
                history.push(("stage", Some(old_stage.clone()), Some(s.as_str().into())));
                s.as_str().to_string()
            }
            _ => old_stage,
        };
        let new_types: Option<Vec<String>> = changes.types.map(|t| {
            let mut v: Vec<String> = t.iter().map(|t| CaseType::as_str(*t).to_string()).collect();
            v.sort();
            v
        });
        let types_changed = new_types.as_ref().filter(|t| **t != old_types);
        if let Some(t) = types_changed {
            history.push(("types", Some(old_types.join(",")), Some(t.join(","))));
        }
        let risk = match changes.risk {
            Some(r) if r != case.risk() => {
                history.push((
                    "risk",
                    Some(case.risk().as_str().into()),
                    Some(r.as_str().into()),
                ));
                r
            }
            _ => case.risk(),
        };
        let country = match &changes.country {
            Change::Keep => case.country().map(str::to_string),
            Change::Clear => None,
            Change::Set(c) => Some(c.as_str().to_string()),
        };
        if country.as_deref() != case.country() {
            history.push((
                "country",
                case.country().map(str::to_string),
                country.clone(),
            ));
        }
        let summary = match changes.summary {
            Some(s) if s != old_summary => {
                history.push(("summary", Some(old_summary.clone()), Some(s.clone())));
                Some(s)
            }
            _ => None,
        };
        let assignee = match changes.assigned_to {
            Change::Keep => old_assignee.clone(),
            Change::Clear => None,
            Change::Set(u) => Some(u.to_string()),
        };
        if assignee != old_assignee {
            if let Some(a) = &assignee
                && !assignable(&mut tx, &case)
                    .await?
                    .iter()
                    .any(|m| m.id.to_string() == *a)
            {
                return Err(StoreError::invalid(
                    "assigned_to",
                    passage_core::ErrorCode::UnknownUser,
                    "assigned_to must be an active user of the case's organisation who can work on the case",
                ));
            }
            history.push(("assigned_to", old_assignee.clone(), assignee.clone()));
        }
        if history.is_empty() {
            // Nothing differs from what is stored: the case stays at its version.
            tx.commit().await?;
            return Ok(case.version());
        }
        let version = bump_version(&mut tx, &case, changes.version).await?;
        let summary_sealed = match &summary {
            Some(s) => tx.keys.seal_str(Field::CaseSummary, &cid, s)?,
            None => old_summary_sealed,
        };
        sqlx::query(
            "UPDATE cases SET stage = $1, summary = $2, assigned_to = $3, country = $4, risk = $5 WHERE id = $6",
        )
        .bind(&stage)
        .bind(summary_sealed)
        .bind(assignee)
        .bind(country)
        .bind(risk.as_str())
        .bind(&cid)
        .execute(&mut *tx.tx)
        .await?;
        if let Some(types) = types_changed {
            sqlx::query("DELETE FROM case_types WHERE case_id = $1")
                .bind(&cid)
                .execute(&mut *tx.tx)
                .await?;
            for t in types {
                sqlx::query("INSERT INTO case_types (case_id, case_type) VALUES ($1, $2)")
                    .bind(&cid)
                    .bind(t)
                    .execute(&mut *tx.tx)
                    .await?;
            }
        }
        for (field, old, new) in &history {
            record_history(&mut tx, actor, &case, field, old.as_deref(), new.as_deref()).await?;
        }
        tx.audit(actor.event("case.update", "case", Some(cid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(version)
    }

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
        let (mut tx, case) =
            gate(tx, actor, case_id, Action::UpdateCase, "case.transition").await?;
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
        let (mut tx, case) = gate(
            tx,
            actor,
            case_id,
            Action::UpdateCase,
            "case.identification",
        )
        .await?;
        let expected = ident.version.unwrap_or(case.version());
        let cid = case.key();
        let row = sqlx::query(
            "SELECT identification_status, identification_by, identification_on, conclusive_on FROM cases WHERE id = $1",
        )
        .bind(&cid)
        .fetch_one(&mut *tx.tx)
        .await?;
        let old_status: Option<String> = row.try_get(0)?;
        let old_by = row
            .try_get::<Option<String>, _>(1)?
            .and_then(|h| unhex(&h))
            .map(|b| tx.keys.open_str(IDENTIFICATION_BY, &cid, &b))
            .transpose()?;
        let old_on: Option<String> = row.try_get(2)?;
        let old_conclusive: Option<String> = row.try_get(3)?;
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

    /// The history of a case, oldest first: who changed which field from what to what, and
    /// when. Only readers of the case see it; a change of migration status only those who may
    /// read migration status (and then only that it changed).
    pub async fn case_history(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "case.history").await?;
        let status_allowed = decide(
            actor.principal(),
            Action::ReadMigrationStatus,
            case.relation(),
        )
        .is_allowed();
        let names = user_names(&mut tx, case.org_id()).await?;
        let rows = sqlx::query(
            "SELECT h.id, h.field, h.old_value, h.new_value, h.by_user, u.display_name, h.at \
             FROM case_history h LEFT JOIN users u ON u.id = h.by_user \
             WHERE h.case_id = $1 ORDER BY h.at, h.id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let field: String = row.try_get(1)?;
            if field.contains("migration_status") && !status_allowed {
                continue;
            }
            let hid: String = row.try_get(0)?;
            let open = |col: usize| -> Result<Option<String>, StoreError> {
                row.try_get::<Option<Vec<u8>>, _>(col)?
                    .map(|b| tx.keys.open_str(Field::CaseHistoryValue, &hid, &b))
                    .transpose()
            };
            let (mut old, mut new) = (open(2)?, open(3)?);
            if field == "assigned_to" {
                let name = |v: Option<String>| v.map(|u| names.get(&u).cloned().unwrap_or(u));
                old = name(old);
                new = name(new);
            }
            let by_id: String = row.try_get(4)?;
            out.push(HistoryEntry {
                field,
                old,
                new,
                by: row
                    .try_get::<Option<String>, _>(5)?
                    .unwrap_or_else(|| by_id.clone()),
                by_id: parse_uuid(&by_id)?,
                at: row.try_get(6)?,
            });
        }
        tx.audit(actor.event("case.history", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The requests waiting for a supervisor of the actor's organisation, oldest first. Only
    /// supervisors who may read the organisation's cases see them.
    pub async fn list_approvals(&self, actor: &Actor) -> Result<Vec<ApprovalView>, StoreError> {
        case_list_scope(actor.principal()).map_err(StoreError::Forbidden)?;
        if !actor.has_role(Role::Supervisor) {
            return Err(StoreError::Forbidden(DenyReason::NoGrant));
        }
        let mut tx = self.begin().await?;
        let names = user_names(&mut tx, actor.org_id()).await?;
        let rows = sqlx::query(
            "SELECT a.id, a.case_id, a.kind, a.payload, a.requested_by, a.requested_at, p.id, p.given_name, p.family_name \
             FROM approvals a JOIN cases c ON c.id = a.case_id JOIN persons p ON p.id = c.person_id \
             WHERE a.org_id = $1 AND a.decision IS NULL ORDER BY a.requested_at, a.id",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get(0)?;
            let pid: String = row.try_get(6)?;
            let k = tx.keys.clone();
            let payload: ClosePayload = serde_json::from_str(&k.open_str(
                Field::ApprovalPayload,
                &id,
                &row.try_get::<Vec<u8>, _>(3)?,
            )?)
            .map_err(|_| StoreError::Corrupt("approval payload"))?;
            let given = k.open_str(Field::PersonGivenName, &pid, &row.try_get::<Vec<u8>, _>(7)?)?;
            let family = k.open_str(
                Field::PersonFamilyName,
                &pid,
                &row.try_get::<Vec<u8>, _>(8)?,
            )?;
            let by: String = row.try_get(4)?;
            tx.audit(actor.event("approval.list", "approval", Some(id.clone()), "ok"))
                .await?;
            out.push(ApprovalView {
                id: parse_uuid(&id)?,
                case_id: parse_uuid(&row.try_get::<String, _>(1)?)?,
                kind: row.try_get(2)?,
                person_name: format!("{given} {family}").trim().to_string(),
                outcome: Some(payload.outcome),
                reason: payload.reason,
                requested_by: parse_uuid(&by)?,
                requested_by_name: names.get(&by).cloned().unwrap_or(by),
                requested_at: row.try_get(5)?,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Approves a pending request: the case closes with the requested outcome and reason, the
    /// transition records the requester and the approving supervisor. Answers the case id.
    pub async fn approve(&self, actor: &Actor, approval_id: Uuid) -> Result<Uuid, StoreError> {
        self.decide_approval(actor, approval_id, true).await
    }

    /// Rejects a pending request; the case stays as it is. Answers the case id.
    pub async fn reject(&self, actor: &Actor, approval_id: Uuid) -> Result<Uuid, StoreError> {
        self.decide_approval(actor, approval_id, false).await
    }

    async fn decide_approval(
        &self,
        actor: &Actor,
        approval_id: Uuid,
        approve: bool,
    ) -> Result<Uuid, StoreError> {
        let action = if approve {
            "approval.approve"
        } else {
            "approval.reject"
        };
        let mut tx = self.begin().await?;
        let aid = approval_id.to_string();
        let row = sqlx::query(
            "SELECT case_id, org_id, payload, requested_by, decision FROM approvals WHERE id = $1",
        )
        .bind(&aid)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some(row) = row.filter(|r| {
            r.try_get::<String, _>(1)
                .is_ok_and(|o| o == actor.org_id().to_string())
        }) else {
            return missing(tx, actor, action, "approval", aid).await;
        };
        let case_id = parse_uuid(&row.try_get::<String, _>(0)?)?;
        let sealed: Vec<u8> = row.try_get(2)?;
        let requested_by = parse_uuid(&row.try_get::<String, _>(3)?)?;
        let decided: Option<String> = row.try_get(4)?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::UpdateCase, action).await?;
        if !is_supervisor_of(actor, &case) {
            tx.audit(actor.event(action, "approval", Some(aid), "denied"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::Forbidden(DenyReason::NoGrant));
        }
        if decided.is_some() {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyDecided,
                message: "This request has already been decided.".into(),
            });
        }
        let done = sqlx::query(
            "UPDATE approvals SET decided_by = $1, decided_at = $2, decision = $3 WHERE id = $4 AND decision IS NULL",
        )
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(if approve { "approved" } else { "rejected" })
        .bind(&aid)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyDecided,
                message: "This request has already been decided.".into(),
            });
        }
        if approve {
            let payload: ClosePayload =
                serde_json::from_str(&tx.keys.open_str(Field::ApprovalPayload, &aid, &sealed)?)
                    .map_err(|_| StoreError::Corrupt("approval payload"))?;
            let req = TransitionRequest {
                from: case.status(),
                to: CaseStatus::Closed,
                reason: Some(payload.reason.clone()),
                outcome: Some(payload.outcome),
                needs_sign_off: true,
                supervisor: true,
            };
            if let Err(e) = check(&req) {
                return Err(match e {
                    TransitionError::NotAllowed => StoreError::Rule {
                        code: e.code(),
                        message: "The case can no longer close from its current status (it may be closed already). Reject this request instead.".into(),
                    },
                    other => rule(other),
                });
            }
            apply_transition(
                &mut tx,
                actor,
                &case,
                &self.profiles,
                CaseStatus::Closed,
                Some(&payload.reason),
                Some(payload.outcome),
                requested_by,
                Some(actor.user_id()),
            )
            .await?;
        }
        tx.audit(actor.event(action, "approval", Some(aid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(case_id)
    }
}
