//! The hearings of a proceeding, with their preparation tasks and the deadlines they set.

use super::{close_task, day, finish, open_proceeding_of, own, refuse, seal_opt};
use crate::casework::CaseAccess;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::casework::calendar::Day;
use passage_core::casework::deadlines::{Deadline, DeadlineKind};
use passage_core::casework::proceedings::{
    HEARING_TASK_DAYS_BEFORE, HearingChange, HearingKind, NewHearing,
};
use sqlx::Row;
use uuid::Uuid;

/// Makes the preparation task of a hearing: due seven days before it, assigned to the case's
/// caseworker (or else the actor). Its title names the kind of hearing only.
async fn hearing_task(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    kind: HearingKind,
    date: Day,
) -> Result<String, StoreError> {
    let assigned: Option<(Option<String>,)> =
        sqlx::query_as("SELECT assigned_to FROM cases WHERE id = $1")
            .bind(case.key())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let staff = crate::casework::tasks::case_staff(tx, case).await?;
    let assignee = assigned
        .and_then(|(a,)| a)
        .and_then(|a| Uuid::parse_str(&a).ok())
        .filter(|a| staff.iter().any(|m| m.id == *a))
        .unwrap_or(actor.user_id());
    let id = Uuid::now_v7().to_string();
    let title = format!(
        "Prepare the person for the {} hearing on {date}",
        kind.as_str()
    );
    let sealed = tx.keys.seal_str(Field::TaskTitle, &id, &title)?;
    sqlx::query(
        "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, \
         created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, 1)",
    )
    .bind(&id)
    .bind(case.key())
    .bind(case.org_id().to_string())
    .bind(sealed)
    .bind(assignee.to_string())
    .bind(date.plus_days(-HEARING_TASK_DAYS_BEFORE).to_string())
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    tx.audit(actor.event("task.create", "task", Some(id.clone()), "ok"))
        .await?;
    Ok(id)
}

/// The hearing days of a case's open proceedings, as deadlines: for the case's own
/// organisation only (anyone else gets none). `met` once the day has passed.
pub(crate) async fn hearing_deadlines(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
) -> Result<Vec<Deadline>, StoreError> {
    if case.org_id() != actor.org_id() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT h.held_on FROM hearings h JOIN proceedings p ON p.id = h.proceeding_id \
         WHERE p.case_id = $1 AND p.stage <> 'closed' AND h.cancelled_at IS NULL \
         ORDER BY h.held_on, h.id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let today = Day::from_unix_ms(tx.now);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let on = day(&r.try_get::<String, _>("held_on")?)?;
        out.push(Deadline {
            kind: DeadlineKind::Hearing,
            due: on.to_string(),
            met: on < today,
        });
    }
    Ok(out)
}

impl Store {
    /// Records a hearing of an open proceeding, with its preparation task on the case's work
    /// list due seven days before. Returns its id.
    pub async fn add_hearing(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        h: NewHearing,
    ) -> Result<Uuid, StoreError> {
        let action = "proceeding.hearing";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let pkey = pid.to_string();
        if let Err(e) = open_proceeding_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", pkey, e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let place = seal_opt(&tx, Field::HearingPlace, &key, h.place.as_deref())?;
        let task = hearing_task(&mut tx, actor, &case, h.kind, h.date).await?;
        sqlx::query(
            "INSERT INTO hearings (id, proceeding_id, held_on, at_time, kind, place, task_id, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&key)
        .bind(&pkey)
        .bind(h.date.to_string())
        .bind(h.time.as_deref())
        .bind(h.kind.as_str())
        .bind(place)
        .bind(task)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "hearing",
            key,
            ("hearing", None, Some(h.kind.as_str())),
        )
        .await?;
        Ok(id)
    }

    /// Moves a hearing (its task moves with it) or cancels it (its task is closed). A
    /// cancelled hearing, or one of a closed proceeding, takes no more changes
    /// (`transition_not_allowed`).
    pub async fn change_hearing(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        hid: Uuid,
        change: HearingChange,
    ) -> Result<(), StoreError> {
        let action = "proceeding.hearing_change";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = hid.to_string();
        if let Err(e) = open_proceeding_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "hearing", key, e).await;
        }
        let row: Option<(Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT cancelled_at, task_id FROM hearings WHERE id = $1 AND proceeding_id = $2",
        )
        .bind(&key)
        .bind(pid.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((cancelled, task)) = row else {
            return refuse(tx, actor, action, "hearing", key, StoreError::NotFound).await;
        };
        if cancelled.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::TransitionNotAllowed,
                message: "This hearing was cancelled.".into(),
            };
            return refuse(tx, actor, action, "hearing", key, e).await;
        }
        let what = match change {
            HearingChange::Cancelled => {
                sqlx::query("UPDATE hearings SET cancelled_at = $1, updated_at = $1 WHERE id = $2")
                    .bind(tx.now)
                    .bind(&key)
                    .execute(&mut *tx.tx)
                    .await?;
                if let Some(t) = &task {
                    close_task(&mut tx, actor, t).await?;
                }
                "cancelled"
            }
            HearingChange::Moved { date, time } => {
                sqlx::query(
                    "UPDATE hearings SET held_on = $1, at_time = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(date.to_string())
                .bind(time.as_deref())
                .bind(tx.now)
                .bind(&key)
                .execute(&mut *tx.tx)
                .await?;
                if let Some(t) = &task {
                    let moved = sqlx::query(
                        "UPDATE tasks SET due_on = $1, version = version + 1 WHERE id = $2 AND done_at IS NULL",
                    )
                    .bind(date.plus_days(-HEARING_TASK_DAYS_BEFORE).to_string())
                    .bind(t)
                    .execute(&mut *tx.tx)
                    .await?;
                    if moved.rows_affected() == 1 {
                        tx.audit(actor.event("task.reschedule", "task", Some(t.clone()), "ok"))
                            .await?;
                    }
                }
                "moved"
            }
        };
        finish(
            tx,
            actor,
            &case,
            action,
            "hearing",
            key,
            ("hearing", None, Some(what)),
        )
        .await
    }
}
