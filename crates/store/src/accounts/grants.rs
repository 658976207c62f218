//! Grants of roles that read personal data or administer. An administrator asks; the grant waits until a
//! second administrator or a supervisor of the organisation, never the one who asked nor the
//! one it is for, approves. Until then the role gives nothing. The organisation's supervisors
//! and administrators see the pending and recent grants. Every step is audited.

use super::enrol::{check_roles, org_kind};
use crate::auth::{Authority, parse_roles, parse_uuid};
use crate::db::Tx;
use crate::orgs::require_manage_users;
use crate::{Actor, Store, StoreError};
use passage_core::policy::accounts::{ApprovalRefusal, grant_needs_approval, may_approve_grant};
use passage_core::validate::Problems;
use passage_core::{DenyReason, ErrorCode, Role};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// One grant, as its organisation's approvers see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RoleGrant {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_email: String,
    pub role: Role,
    /// Who asked (none: the operator).
    pub requested_by: Option<Uuid>,
    pub requested_at: i64,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<i64>,
}

/// What asking for a role did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantOutcome {
    /// The role reads no personal data: held at once.
    Granted,
    /// The role waits for a second person's approval.
    Pending(Uuid),
}

pub(crate) async fn insert_pending(
    tx: &mut Tx,
    by: &Actor,
    org: Uuid,
    user: Uuid,
    role: Role,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO role_grants (id, org_id, user_id, role, requested_by, requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(user.to_string())
    .bind(role.as_str())
    .bind(by.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    tx.audit(by.event(
        "role.request",
        "role_grant",
        Some(id.to_string()),
        "pending",
    ))
    .await?;
    Ok(id)
}

/// The roles waiting for approval for a user.
pub(crate) async fn pending_roles(store: &Store, user: Uuid) -> Result<Vec<Role>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM role_grants WHERE user_id = $1 AND status = 'pending'")
            .bind(user.to_string())
            .fetch_all(&store.pool)
            .await?;
    rows.iter()
        .map(|(r,)| Role::parse(r).ok_or(StoreError::Corrupt("role")))
        .collect()
}

fn opt_uuid(text: Option<String>) -> Result<Option<Uuid>, StoreError> {
    text.map(|t| parse_uuid(&t)).transpose()
}

const GRANT_COLUMNS: &str = "g.id, g.user_id, u.email, g.role, g.requested_by, g.requested_at, g.status, g.decided_by, g.decided_at, g.org_id";

fn grant_from_row(row: &sqlx::any::AnyRow) -> Result<RoleGrant, StoreError> {
    Ok(RoleGrant {
        id: parse_uuid(&row.try_get::<String, _>("id")?)?,
        user_id: parse_uuid(&row.try_get::<String, _>("user_id")?)?,
        user_email: row.try_get("email")?,
        role: Role::parse(&row.try_get::<String, _>("role")?).ok_or(StoreError::Corrupt("role"))?,
        requested_by: opt_uuid(row.try_get("requested_by")?)?,
        requested_at: row.try_get("requested_at")?,
        status: row.try_get("status")?,
        decided_by: opt_uuid(row.try_get("decided_by")?)?,
        decided_at: row.try_get("decided_at")?,
    })
}

fn require_approver_role(by: &Actor) -> Result<(), StoreError> {
    if by.has_role(Role::OrgAdmin) || by.has_role(Role::Supervisor) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    }
}

impl Store {
    /// Gives an existing user of the administrator's organisation another role: at once when
    /// it reads no personal data and approves nothing, otherwise as a grant waiting for a
    /// second person.
    pub async fn request_role(
        &self,
        by: &Actor,
        user: Uuid,
        role: Role,
    ) -> Result<GrantOutcome, StoreError> {
        let authority = Authority::User(by.clone());
        let target = self.user(&authority, user).await?;
        require_manage_users(&authority, target.organisation.id)?;
        let mut p = Problems::default();
        check_roles(&mut p, by, target.organisation.kind, &[role]);
        p.finish(())?;
        if target.roles.contains(&role) {
            return Ok(GrantOutcome::Granted);
        }
        let mut tx = self.begin().await?;
        if grant_needs_approval(role) {
            let id = insert_pending(&mut tx, by, target.organisation.id, user, role).await?;
            tx.commit().await?;
            return Ok(GrantOutcome::Pending(id));
        }
        add_role(&mut tx, user, role).await?;
        tx.audit(by.event("role.grant", "user", Some(user.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(GrantOutcome::Granted)
    }

    /// The pending grants of the actor's organisation and the fifty most recent decided ones,
    /// for its administrators and supervisors.
    pub async fn role_grants(&self, by: &Actor) -> Result<Vec<RoleGrant>, StoreError> {
        require_approver_role(by)?;
        if by.principal().org_kind == passage_core::OrgKind::ImmigrationEnforcement {
            return Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall));
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS} FROM role_grants g JOIN users u ON u.id = g.user_id \
             WHERE g.org_id = $1 ORDER BY CASE WHEN g.status = 'pending' THEN 0 ELSE 1 END, g.requested_at DESC LIMIT 200"
        )))
        .bind(by.org_id().to_string())
        .fetch_all(&self.pool)
        .await?;
        let grants = rows
            .iter()
            .map(grant_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let (pending, decided): (Vec<_>, Vec<_>) =
            grants.into_iter().partition(|g| g.status == "pending");
        let mut all = pending;
        all.extend(decided.into_iter().take(50));
        Ok(all)
    }

    /// Approves or refuses a pending grant. Refused to the one who asked and to the one it is
    /// for; another organisation's grants do not exist for the actor.
    pub async fn decide_grant(
        &self,
        by: &Actor,
        id: Uuid,
        approve: bool,
    ) -> Result<RoleGrant, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS} FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let grant = grant_from_row(&row)?;
        let org = parse_uuid(&row.try_get::<String, _>("org_id")?)?;
        if org != by.org_id() {
            return Err(StoreError::NotFound);
        }
        match may_approve_grant(by.principal(), org, grant.requested_by, grant.user_id) {
            Ok(()) => {}
            Err(ApprovalRefusal::OwnGrant) => {
                let mut tx = self.begin().await?;
                tx.audit(by.event("role.decide", "role_grant", Some(id.to_string()), "denied"))
                    .await?;
                tx.commit().await?;
                return Err(StoreError::invalid(
                    "grant",
                    ErrorCode::OwnDecision,
                    "a grant is approved by someone other than the one who asked and the one it is for",
                ));
            }
            Err(ApprovalRefusal::NotAnApprover) => {
                return Err(StoreError::Forbidden(DenyReason::NoGrant));
            }
        }
        // The organisation's kind may have changed its allowed roles since the request.
        if approve {
            let mut p = Problems::default();
            check_roles(&mut p, by, org_kind(self, org).await?, &[grant.role]);
            p.finish(())?;
        }
        let mut tx = self.begin().await?;
        let status = if approve { "approved" } else { "refused" };
        let done = sqlx::query(
            "UPDATE role_grants SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
        )
        .bind(status)
        .bind(by.user_id().to_string())
        .bind(tx.now)
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::invalid(
                "grant",
                ErrorCode::AlreadyDecided,
                "the grant was decided already",
            ));
        }
        if approve {
            add_role(&mut tx, grant.user_id, grant.role).await?;
        }
        tx.audit(by.event(
            if approve {
                "role.approve"
            } else {
                "role.refuse"
            },
            "role_grant",
            Some(id.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(RoleGrant {
            status: status.into(),
            decided_by: Some(by.user_id()),
            decided_at: Some(self.clock.now_ms()),
            ..grant
        })
    }
}

/// Adds a role to a user's roles (no-op when held).
async fn add_role(tx: &mut Tx, user: Uuid, role: Role) -> Result<(), StoreError> {
    let (text,): (String,) = sqlx::query_as("SELECT roles FROM users WHERE id = $1")
        .bind(user.to_string())
        .fetch_one(&mut *tx.tx)
        .await?;
    let mut roles = parse_roles(&text)?;
    if !roles.contains(&role) {
        roles.push(role);
    }
    let text: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    sqlx::query("UPDATE users SET roles = $1, version = version + 1 WHERE id = $2")
        .bind(text.join(","))
        .bind(user.to_string())
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}
