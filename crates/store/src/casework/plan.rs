//! The case plan: goals with an action, who is responsible (a user of the case's organisation,
//! or someone else named in free text), a due date and whether it is done. A plan item may
//! name the need domain it answers, which must be a recorded need of the case: the needs
//! assessment feeds the plan. Goal, action and a free-text responsible are sealed.

use super::tasks::{case_of, date_field, resolve_staff};
use super::{CaseAccess, gate, gate_write};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::NeedDomain;
use passage_core::policy::Action;
use passage_core::validate::{Problems, text};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

pub const GOAL_MAX: usize = 2_000;
pub const ACTION_MAX: usize = 5_000;
pub const RESPONSIBLE_MAX: usize = 200;

/// One item of a case plan.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PlanItem {
    pub id: Uuid,
    pub case_id: Uuid,
    /// The need this item answers.
    pub domain: Option<NeedDomain>,
    pub goal: String,
    pub action: Option<String>,
    /// Set when a user of the organisation is responsible.
    pub responsible_user_id: Option<Uuid>,
    /// The responsible user's name, or the free text naming someone else.
    pub responsible: Option<String>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
    pub done: bool,
    pub created_at: i64,
    pub version: i64,
}

/// A plan item as typed. `responsible` is a user id of the case's organisation, or free text.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub domain: Option<String>,
    pub goal: String,
    pub action: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<String>,
}

struct Checked {
    domain: Option<NeedDomain>,
    goal: String,
    action: Option<String>,
    responsible: Option<String>,
    due_on: Option<String>,
}

fn check(input: &PlanInput) -> Result<Checked, StoreError> {
    let mut p = Problems::default();
    let domain = match input.domain.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(d) => match NeedDomain::parse(d) {
            Some(d) => Some(Some(d)),
            None => {
                p.add(
                    "domain",
                    passage_core::ErrorCode::UnknownValue,
                    format!("domain must be one of: {}", NeedDomain::allowed()),
                );
                None
            }
        },
    };
    let goal = text(&mut p, "goal", &input.goal, true, GOAL_MAX);
    let action = text(
        &mut p,
        "action",
        input.action.as_deref().unwrap_or(""),
        false,
        ACTION_MAX,
    );
    let responsible = text(
        &mut p,
        "responsible",
        input.responsible.as_deref().unwrap_or(""),
        false,
        RESPONSIBLE_MAX,
    );
    let due = date_field(
        &mut p,
        "due_on",
        input.due_on.as_deref().unwrap_or(""),
        false,
    );
    match (domain, goal, due) {
        (Some(domain), Some(goal), Some(due)) if p.0.is_empty() => Ok(Checked {
            domain,
            goal,
            action,
            responsible,
            due_on: due.map(|d| d.to_string()),
        }),
        _ => Err(StoreError::Invalid(p)),
    }
}

/// Seals what is sealed and resolves the responsible: (user id, sealed free text). A user
/// already responsible for the item (`kept`) stays acceptable even if they could no longer be
/// chosen, so marking an item done never fails over who was responsible.
async fn prepare(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    id: &str,
    c: &Checked,
    kept: Option<&str>,
) -> Result<(Option<String>, Option<Vec<u8>>), StoreError> {
    if let Some(domain) = c.domain {
        let recorded: Option<(String,)> =
            sqlx::query_as("SELECT id FROM needs WHERE case_id = $1 AND domain = $2")
                .bind(case.key())
                .bind(domain.as_str())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if recorded.is_none() {
            return Err(StoreError::invalid(
                "domain",
                passage_core::ErrorCode::NeedNotRecorded,
                "record this need in the needs assessment first, then plan for it",
            ));
        }
    }
    match c.responsible.as_deref() {
        Some(r) if kept.is_some_and(|k| Uuid::parse_str(r).ok() == Uuid::parse_str(k).ok()) => {
            Ok((kept.map(str::to_string), None))
        }
        Some(r) if Uuid::parse_str(r).is_ok() => {
            let user = resolve_staff(tx, actor, case, "responsible", Some(r)).await?;
            Ok((Some(user.to_string()), None))
        }
        Some(r) => Ok((
            None,
            Some(tx.keys.seal_str(Field::PlanItemResponsibleText, id, r)?),
        )),
        None => Ok((None, None)),
    }
}

const PLAN_COLUMNS: &str = "p.id, p.case_id, p.domain, p.goal, p.action, p.responsible, u.display_name, p.responsible_text, p.due_on, p.done, p.created_at, p.version";

fn item_from_row(tx: &Tx, row: &sqlx::any::AnyRow) -> Result<PlanItem, StoreError> {
    let id: String = row.try_get("id")?;
    let k = &tx.keys;
    let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
        row.try_get::<Option<Vec<u8>>, _>(col)?
            .map(|b| k.open_str(field, &id, &b))
            .transpose()
    };
    let user: Option<String> = row.try_get("responsible")?;
    let responsible = match &user {
        Some(_) => row.try_get::<Option<String>, _>("display_name")?,
        None => open(Field::PlanItemResponsibleText, "responsible_text")?,
    };
    Ok(PlanItem {
        id: parse_uuid(&id)?,
        case_id: parse_uuid(&row.try_get::<String, _>("case_id")?)?,
        domain: row
            .try_get::<Option<String>, _>("domain")?
            .map(|d| NeedDomain::parse(&d).ok_or(StoreError::Corrupt("need domain")))
            .transpose()?,
        goal: k.open_str(
            Field::PlanItemGoal,
            &id,
            &row.try_get::<Vec<u8>, _>("goal")?,
        )?,
        action: open(Field::PlanItemAction, "action")?,
        responsible_user_id: user.map(|u| parse_uuid(&u)).transpose()?,
        responsible,
        due_on: row.try_get("due_on")?,
        done: row.try_get::<i64, _>("done")? != 0,
        created_at: row.try_get("created_at")?,
        version: row.try_get("version")?,
    })
}

async fn load_item(tx: &mut Tx, id: &str) -> Result<PlanItem, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM plan_items p LEFT JOIN users u ON u.id = p.responsible WHERE p.id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *tx.tx)
    .await?;
    item_from_row(tx, &row)
}

impl Store {
    /// The plan of a case: open items first, each group by due date.
    pub async fn list_plan(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "plan.list").await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PLAN_COLUMNS} FROM plan_items p LEFT JOIN users u ON u.id = p.responsible \
             WHERE p.case_id = $1 ORDER BY p.created_at, p.id"
        )))
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut items = rows
            .iter()
            .map(|r| item_from_row(&tx, r))
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by(|a, b| {
            (a.done, a.due_on.is_none(), &a.due_on, a.created_at).cmp(&(
                b.done,
                b.due_on.is_none(),
                &b.due_on,
                b.created_at,
            ))
        });
        tx.audit(actor.event("plan.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(items)
    }

    /// Adds an item to a case plan.
    pub async fn add_plan_item(
        &self,
        actor: &Actor,
        case_id: Uuid,
        input: PlanInput,
    ) -> Result<PlanItem, StoreError> {
        let c = check(&input)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "plan.create").await?;
        let id = Uuid::now_v7().to_string();
        let (user, free) = prepare(&mut tx, actor, &case, &id, &c, None).await?;
        let goal = tx.keys.seal_str(Field::PlanItemGoal, &id, &c.goal)?;
        let action = c
            .action
            .as_deref()
            .map(|a| tx.keys.seal_str(Field::PlanItemAction, &id, a))
            .transpose()?;
        sqlx::query(
            "INSERT INTO plan_items (id, case_id, domain, goal, action, responsible, responsible_text, due_on, done, created_by, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, 1)",
        )
        .bind(&id)
        .bind(case.key())
        .bind(c.domain.map(|d| d.as_str()))
        .bind(goal)
        .bind(action)
        .bind(user)
        .bind(free)
        .bind(c.due_on)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("plan.create", "plan_item", Some(id.clone()), "ok"))
            .await?;
        let item = load_item(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Replaces a plan item's fields and done flag, if it is still at `version`.
    pub async fn update_plan_item(
        &self,
        actor: &Actor,
        item_id: Uuid,
        input: PlanInput,
        done: bool,
        version: i64,
    ) -> Result<PlanItem, StoreError> {
        let c = check(&input)?;
        let tx = self.begin().await?;
        let (tx, case_id) =
            case_of(tx, actor, "plan_items", "plan_item", item_id, "plan.update").await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "plan.update").await?;
        let id = item_id.to_string();
        let (kept,): (Option<String>,) =
            sqlx::query_as("SELECT responsible FROM plan_items WHERE id = $1")
                .bind(&id)
                .fetch_one(&mut *tx.tx)
                .await?;
        let (user, free) = prepare(&mut tx, actor, &case, &id, &c, kept.as_deref()).await?;
        let goal = tx.keys.seal_str(Field::PlanItemGoal, &id, &c.goal)?;
        let action = c
            .action
            .as_deref()
            .map(|a| tx.keys.seal_str(Field::PlanItemAction, &id, a))
            .transpose()?;
        let changed = sqlx::query(
            "UPDATE plan_items SET domain = $1, goal = $2, action = $3, responsible = $4, responsible_text = $5, \
             due_on = $6, done = $7, version = version + 1 WHERE id = $8 AND version = $9",
        )
        .bind(c.domain.map(|d| d.as_str()))
        .bind(goal)
        .bind(action)
        .bind(user)
        .bind(free)
        .bind(c.due_on)
        .bind(i64::from(done))
        .bind(&id)
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if changed.rows_affected() != 1 {
            let (current,): (i64,) = sqlx::query_as("SELECT version FROM plan_items WHERE id = $1")
                .bind(&id)
                .fetch_one(&mut *tx.tx)
                .await?;
            return Err(StoreError::VersionConflict { current });
        }
        tx.audit(actor.event("plan.update", "plan_item", Some(id.clone()), "ok"))
            .await?;
        let item = load_item(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(item)
    }
}
