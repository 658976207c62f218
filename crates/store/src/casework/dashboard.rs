//! The supervisor's dashboard: open caseload per worker and status, the organisation's overdue
//! tasks, open emergency alerts and pending approvals. Supervisors only; counts hold no
//! personal data, and the overdue tasks (whose titles may) are audited as read.

use super::tasks::Task;
use crate::auth::{parse_roles, parse_uuid};
use crate::{Actor, Store, StoreError};
use passage_core::policy::{Action, Principal, Relation, decide};
use passage_core::{CaseStatus, DenyReason, OrgKind, Role};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// How many open cases are in one status.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct StatusCount {
    pub status: CaseStatus,
    pub count: i64,
}

/// Open cases of one worker, by status.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Caseload {
    pub user_id: Uuid,
    pub name: String,
    /// Every open status, in lifecycle order, with its count (zeros included).
    pub by_status: Vec<StatusCount>,
    pub total: i64,
}

/// An emergency alert not yet acknowledged.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AlertItem {
    pub id: Uuid,
    pub report_id: Uuid,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Dashboard {
    /// Workers of the organisation who hold cases (or could), most loaded first.
    pub caseload: Vec<Caseload>,
    /// Open cases nobody is assigned to.
    pub unassigned_open: i64,
    pub overdue_task_count: usize,
    pub overdue_tasks: Vec<Task>,
    /// Open tasks falling due in the next [`UPCOMING_DAYS`] days, today included: hearings'
    /// preparation, permits' reminders, protection reviews, claims' deadlines.
    pub upcoming_tasks: Vec<Task>,
    pub open_alerts: Vec<AlertItem>,
    pub pending_approvals: i64,
}

/// How far ahead the dashboard looks for deadlines coming up.
pub const UPCOMING_DAYS: i64 = 14;

/// The statuses a case is open in.
pub fn open_statuses() -> Vec<CaseStatus> {
    CaseStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != CaseStatus::Closed)
        .collect()
}

impl Store {
    /// The dashboard of the actor's organisation. Supervisors only; anyone else is refused.
    pub async fn dashboard(&self, actor: &Actor) -> Result<Dashboard, StoreError> {
        if let passage_core::Decision::Deny(reason) =
            decide(actor.principal(), Action::ReadCase, Relation::Organisation)
        {
            return Err(StoreError::Forbidden(reason));
        }
        if !actor.has_role(Role::Supervisor) {
            return Err(StoreError::Forbidden(DenyReason::NoGrant));
        }
        let overdue_tasks = self.list_org_overdue_tasks(actor).await?;
        let upcoming_tasks = self.list_org_upcoming_tasks(actor, UPCOMING_DAYS).await?;
        let open_alerts = self
            .open_alerts(actor)
            .await?
            .into_iter()
            .map(|(id, report_id, created_at)| AlertItem {
                id,
                report_id,
                created_at,
            })
            .collect();
        let org = actor.org_id().to_string();
        let mut tx = self.begin().await?;
        let statuses = open_statuses();
        // Workers: active users of the organisation whose roles let them hold cases.
        let users = sqlx::query(
            "SELECT u.id, u.display_name, u.roles, o.kind AS org_kind FROM users u JOIN organisations o ON o.id = u.org_id \
             WHERE u.org_id = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
        )
        .bind(&org)
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut caseload: Vec<Caseload> = Vec::new();
        for row in &users {
            let id = parse_uuid(&row.try_get::<String, _>("id")?)?;
            let principal = Principal {
                user_id: id,
                org_id: actor.org_id(),
                org_kind: OrgKind::parse(&row.try_get::<String, _>("org_kind")?)
                    .ok_or(StoreError::Corrupt("organisation kind"))?,
                roles: parse_roles(&row.try_get::<String, _>("roles")?)?,
            };
            if decide(&principal, Action::ReadCase, Relation::Own).is_allowed() {
                caseload.push(Caseload {
                    user_id: id,
                    name: row.try_get("display_name")?,
                    by_status: statuses
                        .iter()
                        .map(|s| StatusCount {
                            status: *s,
                            count: 0,
                        })
                        .collect(),
                    total: 0,
                });
            }
        }
        let counts = sqlx::query(
            "SELECT c.assigned_to, u.display_name, c.status, COUNT(*) AS n FROM cases c LEFT JOIN users u ON u.id = c.assigned_to \
             WHERE c.org_id = $1 AND c.status <> 'closed' GROUP BY c.assigned_to, u.display_name, c.status",
        )
        .bind(&org)
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut unassigned_open = 0;
        for row in &counts {
            let n: i64 = row.try_get("n")?;
            let Some(status) = CaseStatus::parse(&row.try_get::<String, _>("status")?) else {
                return Err(StoreError::Corrupt("case status"));
            };
            let Some(user) = row.try_get::<Option<String>, _>("assigned_to")? else {
                unassigned_open += n;
                continue;
            };
            let user = parse_uuid(&user)?;
            let pos = match caseload.iter().position(|c| c.user_id == user) {
                Some(pos) => pos,
                None => {
                    // Assigned to someone who no longer holds a case role, or is disabled:
                    // the cases still need a worker, so they stay visible.
                    caseload.push(Caseload {
                        user_id: user,
                        name: row
                            .try_get::<Option<String>, _>("display_name")?
                            .unwrap_or_default(),
                        by_status: statuses
                            .iter()
                            .map(|s| StatusCount {
                                status: *s,
                                count: 0,
                            })
                            .collect(),
                        total: 0,
                    });
                    caseload.len() - 1
                }
            };
            let load = &mut caseload[pos];
            if let Some(slot) = load.by_status.iter_mut().find(|s| s.status == status) {
                slot.count += n;
            }
            load.total += n;
        }
        caseload.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
        let (pending_approvals,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM approvals WHERE org_id = $1 AND decision IS NULL")
                .bind(&org)
                .fetch_one(&mut *tx.tx)
                .await?;
        tx.audit(actor.event("dashboard.read", "organisation", Some(org), "ok"))
            .await?;
        tx.commit().await?;
        Ok(Dashboard {
            caseload,
            unassigned_open,
            overdue_task_count: overdue_tasks.len(),
            overdue_tasks,
            upcoming_tasks,
            open_alerts,
            pending_approvals,
        })
    }
}
