//! Residence and work permits on protection grounds on a case (issue 17 item 1).
//!
//! Who: a permit is the person's migration status in another form, so it is guarded exactly
//! as the migration status ([`own`]): immigration enforcement is refused by the firewall
//! before any case is looked at; then the case's own access rules; then only the case's own
//! organisation, and in it only those the policy lets read the migration status
//! (`Action::ReadMigrationStatus`). Anyone else is answered as for a case that does not exist.
//! A partner the case was referred to never reads the case; it learns of the permits only
//! through a referral that carried the migration status (`referrals::snapshot_of`).
//!
//! Sealed: the kind and status (as the migration status is), the authority, the reference
//! number, the note, and the statuses of the history. The case history records a change under
//! `migration_status.permit`, which its readers without the migration status never see.
//!
//! Reminders: the reminder a permit needs (`core::casework::permits::reminder`) is kept as one
//! task on the case's work list (`permits.task_id`), as labour claims keep theirs: created the
//! first time, moved when its date moves, done when the permit no longer needs it (renewed,
//! withdrawn, expired, appealed). The task's title names only the kind of deadline and its
//! date.

use super::protection::firewall;
use super::{CaseAccess, gate, gate_write, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::calendar::Day;
use passage_core::casework::deadlines::PermitType;
use passage_core::casework::permits::{
    NewPermit, PermitDates, PermitDetails, PermitKind, PermitStatus, Reminder, StatusChange,
    appeal_deadline, may_move, next_statuses, reminder,
};
use passage_core::policy::{Action, decide};
use sqlx::Row;
use uuid::Uuid;

/// One change of a permit's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitChange {
    /// `None` when the permit was recorded.
    pub from: Option<PermitStatus>,
    pub to: PermitStatus,
    pub by: String,
    pub at: i64,
}

/// A permit as the case's organisation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitRecord {
    pub id: Uuid,
    pub kind: PermitKind,
    pub status: PermitStatus,
    pub authority: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub dates: PermitDates,
    /// The reminder it needs now, if any, under the case's profile.
    pub reminder: Option<Reminder>,
    /// The task that keeps its reminder on the work list, if one was made.
    pub task_id: Option<Uuid>,
    /// The statuses it may move to.
    pub next: Vec<PermitStatus>,
    /// Oldest first.
    pub history: Vec<PermitChange>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The permits of a case with what its jurisdiction profile says of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePermits {
    /// The profile's name.
    pub jurisdiction: String,
    /// The permits the jurisdiction offers (empty: every kind).
    pub permit_types: Vec<PermitType>,
    pub reminder_days: i64,
    pub appeal_days: i64,
    /// Newest first.
    pub permits: Vec<PermitRecord>,
}

/// The gate for permits: firewall first, then the case's own access rules, then the case's
/// own organisation and the migration-status grant. Anyone else is answered `NotFound`,
/// audited as refused.
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
    let status_allowed = decide(
        actor.principal(),
        Action::ReadMigrationStatus,
        case.relation(),
    )
    .is_allowed();
    if case.org_id() != actor.org_id() || !status_allowed {
        tx.audit(actor.event(action, "case", Some(case.key()), "refused"))
            .await?;
        tx.commit().await?;
        return Err(StoreError::NotFound);
    }
    Ok((tx, case))
}

/// Commits the audit of a refusal and hands the refusal back.
async fn refuse<T>(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    id: String,
    e: StoreError,
) -> Result<T, StoreError> {
    let outcome = match &e {
        StoreError::NotFound => "not_found",
        StoreError::Invalid(_) => "invalid",
        _ => "refused",
    };
    tx.audit(actor.event(action, "permit", Some(id), outcome))
        .await?;
    tx.commit().await?;
    Err(e)
}

fn day_of(text: Option<String>) -> Result<Option<Day>, StoreError> {
    text.map(|t| Day::parse(&t).ok_or(StoreError::Corrupt("permit date")))
        .transpose()
}

fn text_of(d: Option<Day>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn seal_opt(tx: &Tx, f: Field, id: &str, v: Option<&str>) -> Result<Option<Vec<u8>>, StoreError> {
    v.map(|v| tx.keys.seal_str(f, id, v)).transpose()
}

fn open_opt(tx: &Tx, f: Field, id: &str, b: Option<Vec<u8>>) -> Result<Option<String>, StoreError> {
    b.map(|b| tx.keys.open_str(f, id, &b)).transpose()
}

fn status_of(tx: &Tx, f: Field, id: &str, b: &[u8]) -> Result<PermitStatus, StoreError> {
    PermitStatus::parse(&tx.keys.open_str(f, id, b)?).ok_or(StoreError::Corrupt("permit status"))
}

/// What a change reads of a permit before it writes.
struct Current {
    status: PermitStatus,
    dates: PermitDates,
}

async fn current(tx: &mut Tx, case: &CaseAccess, pid: &str) -> Result<Current, StoreError> {
    let row = sqlx::query(
        "SELECT status, applied_on, decided_on, valid_from, expires_on, appeal_deadline \
         FROM permits WHERE id = $1 AND case_id = $2",
    )
    .bind(pid)
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let Some(r) = row else {
        return Err(StoreError::NotFound);
    };
    Ok(Current {
        status: status_of(
            tx,
            Field::PermitStatus,
            pid,
            &r.try_get::<Vec<u8>, _>("status")?,
        )?,
        dates: dates_of(&r)?,
    })
}

fn dates_of(r: &sqlx::any::AnyRow) -> Result<PermitDates, StoreError> {
    Ok(PermitDates {
        applied_on: day_of(r.try_get("applied_on")?)?,
        decided_on: day_of(r.try_get("decided_on")?)?,
        valid_from: day_of(r.try_get("valid_from")?)?,
        expires_on: day_of(r.try_get("expires_on")?)?,
        appeal_deadline: day_of(r.try_get("appeal_deadline")?)?,
    })
}

/// The dates' order, as the store writes them.
fn checked(dates: &PermitDates) -> Result<(), StoreError> {
    let mut p = passage_core::validate::Problems::default();
    dates.check(&mut p);
    p.finish(()).map_err(StoreError::Invalid)
}

async fn write_history(
    tx: &mut Tx,
    actor: &Actor,
    pid: &str,
    from: Option<PermitStatus>,
    to: PermitStatus,
) -> Result<(), StoreError> {
    let id = Uuid::now_v7().to_string();
    let from = seal_opt(
        tx,
        Field::PermitHistoryStatus,
        &id,
        from.map(|s| s.as_str()),
    )?;
    let to = tx
        .keys
        .seal_str(Field::PermitHistoryStatus, &id, to.as_str())?;
    sqlx::query(
        "INSERT INTO permit_history (id, permit_id, from_status, to_status, by_user, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(pid)
    .bind(from)
    .bind(to)
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

/// Keeps a permit's reminder on the case's work list. `fresh` (a renewal, or a change of
/// what the reminder is for) makes a new task and marks the old one done; otherwise an open
/// task of the same kind moves with its date. A task done by hand stays done until its date
/// moves.
async fn keep_task(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    pid: &str,
    wanted: Option<Reminder>,
    fresh: bool,
) -> Result<(), StoreError> {
    let (task, kind): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT task_id, task_kind FROM permits WHERE id = $1")
            .bind(pid)
            .fetch_one(&mut *tx.tx)
            .await?;
    let existing: Option<(String, Option<String>, Option<i64>)> = match &task {
        Some(t) => {
            sqlx::query_as("SELECT id, due_on, done_at FROM tasks WHERE id = $1")
                .bind(t)
                .fetch_optional(&mut *tx.tx)
                .await?
        }
        None => None,
    };
    let open = existing
        .as_ref()
        .filter(|(_, _, done)| done.is_none())
        .map(|(id, due, _)| (id.clone(), due.clone()));
    let same_kind = wanted.is_some_and(|w| kind.as_deref() == Some(w.kind.as_str()));
    let Some(want) = wanted else {
        if let Some((id, _)) = open {
            complete(tx, actor, &id).await?;
        }
        return Ok(());
    };
    let due = want.due.to_string();
    if let (Some((id, was)), true, false) = (&open, same_kind, fresh) {
        if was.as_deref() != Some(due.as_str()) {
            let title = tx.keys.seal_str(Field::TaskTitle, id, &want.title())?;
            sqlx::query(
                "UPDATE tasks SET due_on = $1, title = $2, version = version + 1 WHERE id = $3",
            )
            .bind(&due)
            .bind(title)
            .bind(id)
            .execute(&mut *tx.tx)
            .await?;
            tx.audit(actor.event("task.reschedule", "task", Some(id.clone()), "ok"))
                .await?;
        }
        return Ok(());
    }
    if let Some((id, _)) = &open {
        complete(tx, actor, id).await?;
    }
    let done_by_hand_same_day = open.is_none()
        && same_kind
        && !fresh
        && existing
            .as_ref()
            .is_some_and(|(_, d, _)| d.as_deref() == Some(due.as_str()));
    if done_by_hand_same_day {
        return Ok(());
    }
    let assigned: Option<(Option<String>,)> =
        sqlx::query_as("SELECT assigned_to FROM cases WHERE id = $1")
            .bind(case.key())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let staff = super::tasks::case_staff(tx, case).await?;
    let assignee = assigned
        .and_then(|(a,)| a)
        .and_then(|a| Uuid::parse_str(&a).ok())
        .filter(|a| staff.iter().any(|m| m.id == *a))
        .unwrap_or(actor.user_id());
    let id = Uuid::now_v7().to_string();
    let sealed = tx.keys.seal_str(Field::TaskTitle, &id, &want.title())?;
    sqlx::query(
        "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, \
         created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, 1)",
    )
    .bind(&id)
    .bind(case.key())
    .bind(case.org_id().to_string())
    .bind(sealed)
    .bind(assignee.to_string())
    .bind(&due)
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query("UPDATE permits SET task_id = $1, task_kind = $2 WHERE id = $3")
        .bind(&id)
        .bind(want.kind.as_str())
        .bind(pid)
        .execute(&mut *tx.tx)
        .await?;
    tx.audit(actor.event("task.create", "task", Some(id), "ok"))
        .await?;
    Ok(())
}

async fn complete(tx: &mut Tx, actor: &Actor, id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE tasks SET done_at = $1, version = version + 1 WHERE id = $2 AND done_at IS NULL",
    )
    .bind(tx.now)
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    tx.audit(actor.event("task.complete", "task", Some(id.to_string()), "ok"))
        .await?;
    Ok(())
}

impl Store {
    /// Records a permit on a case. A refusal without an appeal deadline gets one from the
    /// case's profile, counted from the decision (today when none is given). Returns its id.
    pub async fn add_permit(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewPermit,
    ) -> Result<Uuid, StoreError> {
        let action = "permit.record";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let profile = self.profiles.for_country(case.country());
        let mut dates = new.dates;
        if new.status == PermitStatus::Refused {
            let decided = dates.decided_on.unwrap_or(Day::from_unix_ms(tx.now));
            dates.decided_on = Some(decided);
            dates.appeal_deadline = Some(appeal_deadline(
                dates.appeal_deadline,
                decided,
                profile.permit_appeal_days,
            ));
        }
        if let Err(e) = checked(&dates) {
            return refuse(tx, actor, action, case.key(), e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let kind = tx
            .keys
            .seal_str(Field::PermitKind, &key, new.kind.as_str())?;
        let status = tx
            .keys
            .seal_str(Field::PermitStatus, &key, new.status.as_str())?;
        let authority = seal_opt(&tx, Field::PermitAuthority, &key, new.authority.as_deref())?;
        let reference = seal_opt(&tx, Field::PermitReference, &key, new.reference.as_deref())?;
        let note = seal_opt(&tx, Field::PermitNote, &key, new.note.as_deref())?;
        sqlx::query(
            "INSERT INTO permits (id, case_id, kind, status, authority, reference, note, applied_on, \
             decided_on, valid_from, expires_on, appeal_deadline, created_by, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, 1)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(kind)
        .bind(status)
        .bind(authority)
        .bind(reference)
        .bind(note)
        .bind(text_of(dates.applied_on))
        .bind(text_of(dates.decided_on))
        .bind(text_of(dates.valid_from))
        .bind(text_of(dates.expires_on))
        .bind(text_of(dates.appeal_deadline))
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        write_history(&mut tx, actor, &key, None, new.status).await?;
        let wanted = reminder(
            new.status,
            dates.expires_on,
            dates.appeal_deadline,
            profile.permit_reminder_days,
        );
        keep_task(&mut tx, actor, &case, &key, wanted, false).await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "migration_status.permit",
            None,
            Some(new.status.as_str()),
        )
        .await?;
        tx.audit(actor.event(action, "permit", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a permit to a new status (a decision, an appeal, a renewal, a withdrawal, an
    /// expiry) if [`may_move`] allows it (else `transition_not_allowed`), with the dates the
    /// change brings, and keeps its reminder task.
    pub async fn change_permit_status(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        change: StatusChange,
    ) -> Result<(), StoreError> {
        let action = "permit.status";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let key = pid.to_string();
        let before = match current(&mut tx, &case, &key).await {
            Ok(c) => c,
            Err(e) => return refuse(tx, actor, action, key, e).await,
        };
        if !may_move(before.status, change.status) {
            let e = StoreError::Rule {
                code: ErrorCode::TransitionNotAllowed,
                message: format!(
                    "A permit that is {} cannot become {}; a new application is a new permit.",
                    before.status, change.status
                ),
            };
            return refuse(tx, actor, action, key, e).await;
        }
        let profile = self.profiles.for_country(case.country());
        let today = Day::from_unix_ms(tx.now);
        let dates = change.apply(before.dates, today, profile.permit_appeal_days);
        if let Err(e) = checked(&dates) {
            return refuse(tx, actor, action, key, e).await;
        }
        let status = tx
            .keys
            .seal_str(Field::PermitStatus, &key, change.status.as_str())?;
        let note = seal_opt(&tx, Field::PermitNote, &key, change.note.as_deref())?;
        sqlx::query(
            "UPDATE permits SET status = $1, note = COALESCE($2, note), applied_on = $3, decided_on = $4, \
             valid_from = $5, expires_on = $6, appeal_deadline = $7, updated_at = $8, version = version + 1 \
             WHERE id = $9",
        )
        .bind(status)
        .bind(note)
        .bind(text_of(dates.applied_on))
        .bind(text_of(dates.decided_on))
        .bind(text_of(dates.valid_from))
        .bind(text_of(dates.expires_on))
        .bind(text_of(dates.appeal_deadline))
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        write_history(&mut tx, actor, &key, Some(before.status), change.status).await?;
        let wanted = reminder(
            change.status,
            dates.expires_on,
            dates.appeal_deadline,
            profile.permit_reminder_days,
        );
        let renewal =
            before.status == PermitStatus::Granted && change.status == PermitStatus::Granted;
        keep_task(&mut tx, actor, &case, &key, wanted, renewal).await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "migration_status.permit",
            Some(before.status.as_str()),
            Some(change.status.as_str()),
        )
        .await?;
        tx.audit(actor.event(action, "permit", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Corrects a permit's authority, reference, dates and note (not its status); a moved
    /// expiry or appeal deadline moves its reminder task.
    pub async fn correct_permit(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        details: PermitDetails,
    ) -> Result<(), StoreError> {
        let action = "permit.correct";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let key = pid.to_string();
        let before = match current(&mut tx, &case, &key).await {
            Ok(c) => c,
            Err(e) => return refuse(tx, actor, action, key, e).await,
        };
        let dates = details.dates;
        let authority = seal_opt(
            &tx,
            Field::PermitAuthority,
            &key,
            details.authority.as_deref(),
        )?;
        let reference = seal_opt(
            &tx,
            Field::PermitReference,
            &key,
            details.reference.as_deref(),
        )?;
        let note = seal_opt(&tx, Field::PermitNote, &key, details.note.as_deref())?;
        sqlx::query(
            "UPDATE permits SET authority = $1, reference = $2, note = $3, applied_on = $4, decided_on = $5, \
             valid_from = $6, expires_on = $7, appeal_deadline = $8, updated_at = $9, version = version + 1 \
             WHERE id = $10",
        )
        .bind(authority)
        .bind(reference)
        .bind(note)
        .bind(text_of(dates.applied_on))
        .bind(text_of(dates.decided_on))
        .bind(text_of(dates.valid_from))
        .bind(text_of(dates.expires_on))
        .bind(text_of(dates.appeal_deadline))
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        let profile = self.profiles.for_country(case.country());
        let wanted = reminder(
            before.status,
            dates.expires_on,
            dates.appeal_deadline,
            profile.permit_reminder_days,
        );
        keep_task(&mut tx, actor, &case, &key, wanted, false).await?;
        let status = Some(before.status.as_str());
        record_history(
            &mut tx,
            actor,
            &case,
            "migration_status.permit",
            status,
            status,
        )
        .await?;
        tx.audit(actor.event(action, "permit", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The permits of a case, newest first, with their history and reminders, and the
    /// permit settings of the case's jurisdiction profile.
    pub async fn permits(&self, actor: &Actor, case_id: Uuid) -> Result<CasePermits, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, false, "permit.list").await?;
        let profile = self.profiles.for_country(case.country());
        let rows = sqlx::query(
            "SELECT id, kind, status, authority, reference, note, applied_on, decided_on, valid_from, \
             expires_on, appeal_deadline, task_id, created_at, updated_at FROM permits \
             WHERE case_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut permits = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id")?;
            let status = status_of(
                &tx,
                Field::PermitStatus,
                &id,
                &r.try_get::<Vec<u8>, _>("status")?,
            )?;
            let dates = dates_of(&r)?;
            let changes = sqlx::query(
                "SELECT h.id, h.from_status, h.to_status, h.by_user, u.display_name, h.at \
                 FROM permit_history h LEFT JOIN users u ON u.id = h.by_user \
                 WHERE h.permit_id = $1 ORDER BY h.at, h.id",
            )
            .bind(&id)
            .fetch_all(&mut *tx.tx)
            .await?;
            let mut history = Vec::with_capacity(changes.len());
            for h in changes {
                let hid: String = h.try_get("id")?;
                let from = h
                    .try_get::<Option<Vec<u8>>, _>("from_status")?
                    .map(|b| status_of(&tx, Field::PermitHistoryStatus, &hid, &b))
                    .transpose()?;
                history.push(PermitChange {
                    from,
                    to: status_of(
                        &tx,
                        Field::PermitHistoryStatus,
                        &hid,
                        &h.try_get::<Vec<u8>, _>("to_status")?,
                    )?,
                    by: match h.try_get::<Option<String>, _>("display_name")? {
                        Some(n) => n,
                        None => h.try_get("by_user")?,
                    },
                    at: h.try_get("at")?,
                });
            }
            permits.push(PermitRecord {
                kind: PermitKind::parse(&tx.keys.open_str(
                    Field::PermitKind,
                    &id,
                    &r.try_get::<Vec<u8>, _>("kind")?,
                )?)
                .ok_or(StoreError::Corrupt("permit kind"))?,
                status,
                authority: open_opt(&tx, Field::PermitAuthority, &id, r.try_get("authority")?)?,
                reference: open_opt(&tx, Field::PermitReference, &id, r.try_get("reference")?)?,
                note: open_opt(&tx, Field::PermitNote, &id, r.try_get("note")?)?,
                reminder: reminder(
                    status,
                    dates.expires_on,
                    dates.appeal_deadline,
                    profile.permit_reminder_days,
                ),
                dates,
                task_id: r
                    .try_get::<Option<String>, _>("task_id")?
                    .map(|t| parse_uuid(&t))
                    .transpose()?,
                next: next_statuses(status),
                history,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
                id: parse_uuid(&id)?,
            });
        }
        tx.audit(actor.event("permit.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(CasePermits {
            jurisdiction: profile.name.clone(),
            permit_types: profile.permit_types.clone(),
            reminder_days: profile.permit_reminder_days,
            appeal_days: profile.permit_appeal_days,
            permits,
        })
    }
}

/// What a referral that carries the migration status shares of the permits: kind, status and
/// the dates that matter to the receiver's help, never the reference, authority or note.
pub(crate) fn shared(p: &CasePermits) -> serde_json::Value {
    serde_json::Value::Array(
        p.permits
            .iter()
            .map(|r| {
                serde_json::json!({
                    "kind": r.kind.as_str(),
                    "status": r.status.as_str(),
                    "valid_from": text_of(r.dates.valid_from),
                    "expires_on": text_of(r.dates.expires_on),
                    "appeal_deadline": text_of(r.dates.appeal_deadline),
                })
            })
            .collect(),
    )
}
