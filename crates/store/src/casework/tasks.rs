//! Tasks on a case: a sealed title, an assignee of the case's organisation and a due date.
//! Created, completed and reassigned with a version check; listed per case, per assignee
//! ("my tasks") and, for supervisors, as the organisation's overdue tasks. A list never holds a
//! task of a case its reader may not read: the query is built from the policy's list scope and
//! every row is checked again. Overdue means not done and due before today (UTC).

use super::{CaseAccess, gate, gate_write};
use crate::auth::{parse_roles, parse_uuid};
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::policy::{Action, Principal, Relation, case_list_scope, decide};
use passage_core::validate::{Problems, text};
use passage_core::{DenyReason, OrgKind, Role};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// Longest task title.
pub const TITLE_MAX: usize = 500;

/// A task as its readers see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Task {
    pub id: Uuid,
    pub case_id: Uuid,
    pub title: String,
    pub assigned_to: Option<Uuid>,
    pub assignee_name: Option<String>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
    pub overdue: bool,
    pub done: bool,
    pub done_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
    /// The name of the person the task's case is about, in the lists across cases ("My
    /// tasks", the dashboard) where a task must say whose it is; not part of the API's task.
    #[serde(skip)]
    pub person_name: Option<String>,
}

/// A new task as typed. `assignee` is a user id; empty means the actor.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub title: String,
    pub assignee: Option<String>,
    pub due_on: String,
}

/// A member of the case's organisation who may be given work on the case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: String,
}

/// Today (UTC) as YYYY-MM-DD, the day overdue is measured against.
pub(crate) fn today(now_ms: i64) -> String {
    Day::from_unix_ms(now_ms).to_string()
}

pub(crate) use passage_core::casework::calendar::date_field;

/// Finds the case a part of it (a task, a plan item) belongs to. A missing part is audited as
/// `audit_action` on `object_type` and answers `NotFound`, like a forbidden case.
pub(crate) async fn case_of(
    mut tx: Tx,
    actor: &Actor,
    table: &'static str,
    object_type: &'static str,
    id: Uuid,
    audit_action: &str,
) -> Result<(Tx, Uuid), StoreError> {
    let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT case_id FROM {table} WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        Some((case,)) => Ok((tx, parse_uuid(&case)?)),
        None => {
            tx.audit(actor.event(audit_action, object_type, Some(id.to_string()), "not_found"))
                .await?;
            tx.commit().await?;
            Err(StoreError::NotFound)
        }
    }
}

/// Active users of the case's organisation whom the policy lets read the case: the people a
/// task or a plan item may be given to (work on a case one cannot open cannot be done).
pub(crate) async fn case_staff(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<Vec<StaffMember>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, u.roles, o.kind AS org_kind, c.created_by, c.assigned_to \
         FROM cases c JOIN users u ON u.org_id = c.org_id JOIN organisations o ON o.id = c.org_id \
         WHERE c.id = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        let principal = Principal {
            user_id: parse_uuid(&id)?,
            org_id: case.org_id(),
            org_kind: OrgKind::parse(&row.try_get::<String, _>("org_kind")?)
                .ok_or(StoreError::Corrupt("organisation kind"))?,
            roles: parse_roles(&row.try_get::<String, _>("roles")?)?,
        };
        let created_by: String = row.try_get("created_by")?;
        let assigned_to: Option<String> = row.try_get("assigned_to")?;
        let relation = if created_by == id || assigned_to.as_deref() == Some(id.as_str()) {
            Relation::Own
        } else {
            Relation::Organisation
        };
        if decide(&principal, Action::ReadCase, relation).is_allowed() {
            out.push(StaffMember {
                id: principal.user_id,
                name: row.try_get("display_name")?,
            });
        }
    }
    Ok(out)
}

/// The user a piece of work goes to: the given id (or the actor when empty), who must be one
/// of [`case_staff`].
pub(crate) async fn resolve_staff(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    field: &str,
    raw: Option<&str>,
) -> Result<Uuid, StoreError> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty());
    let id = match raw {
        None => actor.user_id(),
        Some(r) => Uuid::parse_str(r).map_err(|_| {
            StoreError::invalid(
                field,
                passage_core::ErrorCode::InvalidId,
                format!("{field} must be a user's id"),
            )
        })?,
    };
    staff_member(tx, case, field, id).await
}

/// The id of a member of the case's staff, or the field's `not_assignable` problem.
pub(crate) async fn staff_member(
    tx: &mut Tx,
    case: &CaseAccess,
    field: &str,
    id: Uuid,
) -> Result<Uuid, StoreError> {
    if case_staff(tx, case).await?.iter().any(|s| s.id == id) {
        Ok(id)
    } else {
        Err(StoreError::invalid(
            field,
            passage_core::ErrorCode::NotAssignable,
            format!(
                "{field} must be a user of the case's organisation who can open this case; choose one from the list"
            ),
        ))
    }
}

const TASK_COLUMNS: &str = "t.id, t.case_id, t.title, t.assigned_to, u.display_name, t.due_on, t.done_at, t.created_at, t.version";

fn task_from_row(tx: &Tx, row: &sqlx::any::AnyRow, today: &str) -> Result<Task, StoreError> {
    let id: String = row.try_get("id")?;
    let due_on: Option<String> = row.try_get("due_on")?;
    let done_at: Option<i64> = row.try_get("done_at")?;
    Ok(Task {
        id: parse_uuid(&id)?,
        case_id: parse_uuid(&row.try_get::<String, _>("case_id")?)?,
        title: tx
            .keys
            .open_str(Field::TaskTitle, &id, &row.try_get::<Vec<u8>, _>("title")?)?,
        assigned_to: row
            .try_get::<Option<String>, _>("assigned_to")?
            .map(|u| parse_uuid(&u))
            .transpose()?,
        assignee_name: row.try_get("display_name")?,
        overdue: done_at.is_none() && due_on.as_deref().is_some_and(|d| d < today),
        due_on,
        done: done_at.is_some(),
        done_at,
        created_at: row.try_get("created_at")?,
        version: row.try_get("version")?,
        person_name: None,
    })
}

async fn load_task(tx: &mut Tx, id: &str) -> Result<Task, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assigned_to WHERE t.id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *tx.tx)
    .await?;
    let today = today(tx.now);
    task_from_row(tx, &row, &today)
}

/// Moves a task row from `expected` to the next version, or refuses with its current one.
async fn bump_task(tx: &mut Tx, id: &str, expected: i64) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE tasks SET version = version + 1 WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(expected)
        .execute(&mut *tx.tx)
        .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let (current,): (i64,) = sqlx::query_as("SELECT version FROM tasks WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx.tx)
        .await?;
    Err(StoreError::VersionConflict { current })
}

/// Which tasks a list shows.
enum Listing {
    Mine {
        overdue_only: bool,
    },
    OrgOverdue,
    /// The organisation's open tasks due from today to the day given (`YYYY-MM-DD`).
    OrgUpcoming(String),
}

/// Moves an open task to its next version if it is still at `version`: a stale change is a
/// conflict, and a done task refuses the change with `done_message`.
async fn change_open_task(
    tx: &mut crate::db::Tx,
    id: &str,
    version: i64,
    done_message: &str,
) -> Result<(), StoreError> {
    let before = load_task(tx, id).await?;
    if before.version != version {
        return Err(StoreError::VersionConflict {
            current: before.version,
        });
    }
    if before.done {
        return Err(StoreError::Rule {
            code: passage_core::ErrorCode::AlreadyDone,
            message: done_message.into(),
        });
    }
    bump_task(tx, id, version).await
}

impl Store {
    /// Adds a task to a case. The assignee (the actor when empty) must be a user of the case's
    /// organisation who can open the case.
    pub async fn create_task(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewTask,
    ) -> Result<Task, StoreError> {
        let mut p = Problems::default();
        let title = text(&mut p, "title", &new.title, true, TITLE_MAX);
        let due = date_field(&mut p, "due_on", &new.due_on, true);
        let (Some(title), Some(Some(due))) = (title, due) else {
            return Err(StoreError::Invalid(p));
        };
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "task.create").await?;
        let assignee =
            resolve_staff(&mut tx, actor, &case, "assignee", new.assignee.as_deref()).await?;
        let id = Uuid::now_v7().to_string();
        let sealed = tx.keys.seal_str(Field::TaskTitle, &id, &title)?;
        sqlx::query(
            "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, created_by, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, 1)",
        )
        .bind(&id)
        .bind(case.key())
        .bind(case.org_id().to_string())
        .bind(sealed)
        .bind(assignee.to_string())
        .bind(due.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("task.create", "task", Some(id.clone()), "ok"))
            .await?;
        let task = load_task(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(task)
    }

    /// Every task of a case, open ones first (overdue first), then done ones.
    pub async fn list_case_tasks(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<Task>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "task.list").await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assigned_to \
             WHERE t.case_id = $1 ORDER BY t.due_on, t.created_at"
        )))
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let today = today(tx.now);
        let mut tasks = rows
            .iter()
            .map(|r| task_from_row(&tx, r, &today))
            .collect::<Result<Vec<_>, _>>()?;
        sort_tasks(&mut tasks);
        tx.audit(actor.event("task.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(tasks)
    }

    /// The users a task or plan item of this case may be given to.
    pub async fn case_staff(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<StaffMember>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "case.staff").await?;
        let staff = case_staff(&mut tx, &case).await?;
        tx.commit().await?;
        Ok(staff)
    }

    /// Marks a task done, if it is still at `version`.
    pub async fn complete_task(
        &self,
        actor: &Actor,
        task_id: Uuid,
        version: i64,
    ) -> Result<Task, StoreError> {
        let tx = self.begin().await?;
        let (tx, case_id) = case_of(tx, actor, "tasks", "task", task_id, "task.complete").await?;
        let (mut tx, _case) = gate_write(tx, actor, case_id, "task.complete").await?;
        let id = task_id.to_string();
        let before = load_task(&mut tx, &id).await?;
        if before.version != version {
            return Err(StoreError::VersionConflict {
                current: before.version,
            });
        }
        if before.done {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyDone,
                message: "This task is already done.".into(),
            });
        }
        bump_task(&mut tx, &id, version).await?;
        sqlx::query("UPDATE tasks SET done_at = $1 WHERE id = $2")
            .bind(tx.now)
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("task.complete", "task", Some(id.clone()), "ok"))
            .await?;
        let task = load_task(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(task)
    }

    /// Gives a task to another user of the case's organisation who can open the case.
    pub async fn reassign_task(
        &self,
        actor: &Actor,
        task_id: Uuid,
        assignee: Uuid,
        version: i64,
    ) -> Result<Task, StoreError> {
        let tx = self.begin().await?;
        let (tx, case_id) = case_of(tx, actor, "tasks", "task", task_id, "task.reassign").await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "task.reassign").await?;
        let to = staff_member(&mut tx, &case, "assignee", assignee).await?;
        let id = task_id.to_string();
        change_open_task(
            &mut tx,
            &id,
            version,
            "This task is done; a done task is not reassigned.",
        )
        .await?;
        sqlx::query("UPDATE tasks SET assigned_to = $1 WHERE id = $2")
            .bind(to.to_string())
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("task.reassign", "task", Some(id.clone()), "ok"))
            .await?;
        let task = load_task(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(task)
    }

    /// Moves a task's due date, if it is still at `version`. A date in the past is accepted
    /// (the form confirms it first); a done task keeps its date.
    pub async fn reschedule_task(
        &self,
        actor: &Actor,
        task_id: Uuid,
        due: Day,
        version: i64,
    ) -> Result<Task, StoreError> {
        let tx = self.begin().await?;
        let (tx, case_id) = case_of(tx, actor, "tasks", "task", task_id, "task.reschedule").await?;
        let (mut tx, _case) = gate_write(tx, actor, case_id, "task.reschedule").await?;
        let id = task_id.to_string();
        change_open_task(
            &mut tx,
            &id,
            version,
            "This task is done; a done task keeps its due date.",
        )
        .await?;
        sqlx::query("UPDATE tasks SET due_on = $1 WHERE id = $2")
            .bind(due.to_string())
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("task.reschedule", "task", Some(id.clone()), "ok"))
            .await?;
        let task = load_task(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(task)
    }

    /// The actor's open tasks (only overdue ones with `overdue_only`), overdue first, then by
    /// due date, on cases the actor may read.
    pub async fn list_my_tasks(
        &self,
        actor: &Actor,
        overdue_only: bool,
    ) -> Result<Vec<Task>, StoreError> {
        self.list_tasks(actor, Listing::Mine { overdue_only }).await
    }

    /// The open overdue tasks of the actor's organisation, whoever they are assigned to. For
    /// supervisors only.
    pub async fn list_org_overdue_tasks(&self, actor: &Actor) -> Result<Vec<Task>, StoreError> {
        self.list_tasks(actor, Listing::OrgOverdue).await
    }

    /// The organisation's open tasks falling due in the next `days` days, today included
    /// (supervisors only): what the dashboard shows coming up — a hearing's preparation, a
    /// permit's reminder, a protection review, a claim's deadline.
    pub async fn list_org_upcoming_tasks(
        &self,
        actor: &Actor,
        days: i64,
    ) -> Result<Vec<Task>, StoreError> {
        let until = self.clock.today().plus_days(days).to_string();
        self.list_tasks(actor, Listing::OrgUpcoming(until)).await
    }

    async fn list_tasks(&self, actor: &Actor, listing: Listing) -> Result<Vec<Task>, StoreError> {
        let scope = case_list_scope(actor.principal()).map_err(StoreError::Forbidden)?;
        if matches!(listing, Listing::OrgOverdue | Listing::OrgUpcoming(_))
            && !actor.has_role(Role::Supervisor)
        {
            return Err(StoreError::Forbidden(DenyReason::NoGrant));
        }
        let mut tx = self.begin().await?;
        let tasks = scoped_tasks(&mut tx, actor, &scope, &listing).await?;
        let events: Vec<_> = tasks
            .iter()
            .map(|t| actor.event("task.list", "task", Some(t.id.to_string()), "ok"))
            .collect();
        tx.audit_many(&events).await?;
        tx.commit().await?;
        Ok(tasks)
    }
}

/// Open tasks first (overdue before the rest), each group by due date; done tasks last.
pub(crate) fn sort_tasks(tasks: &mut [Task]) {
    tasks.sort_by(|a, b| {
        (
            a.done,
            !a.overdue,
            a.due_on.is_none(),
            &a.due_on,
            a.created_at,
        )
            .cmp(&(
                b.done,
                !b.overdue,
                b.due_on.is_none(),
                &b.due_on,
                b.created_at,
            ))
    });
}

/// Tasks for a list, from a query no wider than the policy's list scope, each row re-checked.
async fn scoped_tasks(
    tx: &mut Tx,
    actor: &Actor,
    scope: &passage_core::policy::ListScope,
    listing: &Listing,
) -> Result<Vec<Task>, StoreError> {
    let mut scopes = Vec::new();
    if scope.organisation() {
        scopes.push("c.org_id = $1");
    } else if scope.own() {
        scopes.push("(c.org_id = $1 AND (c.assigned_to = $2 OR c.created_by = $2))");
    }
    let today = today(tx.now);
    let filter = match listing {
        Listing::Mine { overdue_only: true } => "t.assigned_to = $2 AND t.due_on < $3".to_string(),
        Listing::Mine {
            overdue_only: false,
        } => "t.assigned_to = $2".to_string(),
        Listing::OrgOverdue => "t.org_id = $1 AND t.due_on < $3".to_string(),
        // The bound is a day the store computed (YYYY-MM-DD), never text from a request.
        Listing::OrgUpcoming(until) => {
            if passage_core::casework::calendar::Day::parse(until).is_none() {
                return Err(StoreError::Corrupt("upcoming bound"));
            }
            format!("t.org_id = $1 AND t.due_on >= $3 AND t.due_on <= '{until}'")
        }
    };
    let sql = format!(
        "SELECT {TASK_COLUMNS}, c.org_id AS case_org_id, c.created_by AS case_created_by, \
         c.assigned_to AS case_assigned_to, c.person_id AS case_person_id, \
         p.given_name AS person_given_name, p.family_name AS person_family_name \
         FROM tasks t JOIN cases c ON c.id = t.case_id JOIN persons p ON p.id = c.person_id \
         LEFT JOIN users u ON u.id = t.assigned_to \
         WHERE t.done_at IS NULL AND {filter} AND ({}) ORDER BY t.due_on, t.created_at LIMIT 1000",
        scopes.join(" OR ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(actor.org_id().to_string())
        .bind(actor.user_id().to_string())
        .bind(&today)
        .fetch_all(&mut *tx.tx)
        .await?;
    let persons: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>("case_person_id"))
        .collect::<Result<_, _>>()?;
    tx.load_person_keys(&persons).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let rel = super::relation(
            actor,
            parse_uuid(&row.try_get::<String, _>("case_org_id")?)?,
            &row.try_get::<String, _>("case_created_by")?,
            row.try_get::<Option<String>, _>("case_assigned_to")?
                .as_deref(),
        );
        if !scope.admits(rel) || !decide(actor.principal(), Action::ReadCase, rel).is_allowed() {
            continue;
        }
        let mut task = task_from_row(tx, row, &today)?;
        let pid: String = row.try_get("case_person_id")?;
        let given = tx.keys.open_str(
            Field::PersonGivenName,
            &pid,
            &row.try_get::<Vec<u8>, _>("person_given_name")?,
        )?;
        let family = tx.keys.open_str(
            Field::PersonFamilyName,
            &pid,
            &row.try_get::<Vec<u8>, _>("person_family_name")?,
        )?;
        task.person_name = Some(format!("{given} {family}").trim().to_string());
        out.push(task);
    }
    sort_tasks(&mut out);
    Ok(out)
}
