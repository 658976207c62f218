//! Accounts an administrator makes: the administrator never knows the password. The account
//! gets a one-time enrolment link (only the token's hash is kept, 72 hours, single use) that
//! the administrator hands to the new person, who chooses a password and, where required,
//! enrols a second factor. Until then nobody can sign in as the account. Roles that read
//! personal data wait for a second person's approval ([`super::grants`]).

use super::second_factor::{TotpSetup, adopt_pending, pending_setup};
use crate::auth::{Authority, PASSWORD_MIN, hash_password, parse_roles, parse_uuid, token_hash};
use crate::keys::random_hex;
use crate::orgs::{check_identity, require_manage_users};
use crate::{Actor, Store, StoreError};
use passage_core::policy::accounts::{grant_needs_approval, role_allowed, second_factor_required};
use passage_core::validate::Problems;
use passage_core::{ErrorCode, OrgKind, Role};
use sqlx::Row;
use uuid::Uuid;

/// How long an enrolment link works.
pub const ENROLMENT_MS: i64 = 72 * 3_600_000;

/// What an administrator asks for.
#[derive(Debug, Clone)]
pub struct Invite<'a> {
    pub org_id: Uuid,
    pub email: &'a str,
    pub display_name: &'a str,
    pub roles: &'a [Role],
}

/// A new account waiting for its person: the token of the enrolment link is shown once.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub user_id: Uuid,
    pub token: String,
    /// Roles held at once (they read no personal data and approve nothing).
    pub granted: Vec<Role>,
    /// Roles that wait for a second person's approval (reading personal data, administering).
    pub pending: Vec<Role>,
}

/// What the enrolment page shows.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub email: String,
    pub display_name: String,
    /// Present when the account must enrol a second factor with its password.
    pub second_factor: Option<TotpSetup>,
}

fn invalid_link() -> StoreError {
    StoreError::invalid(
        "token",
        ErrorCode::EnrolmentInvalid,
        "this enrolment link is unknown, used or expired",
    )
}

/// Checks the roles an administrator gives: at least one, each allowed for the organisation's
/// kind, `system_admin` only from a system administrator.
pub(crate) fn check_roles(p: &mut Problems, by: &Actor, kind: OrgKind, roles: &[Role]) {
    if roles.is_empty() {
        p.add(
            "roles",
            ErrorCode::Required,
            "give the user at least one role",
        );
    }
    for role in roles {
        if !role_allowed(kind, *role) {
            p.add(
                "roles",
                ErrorCode::RoleNotAllowed,
                format!("an organisation of kind {kind} does not hold the role {role}"),
            );
        } else if *role == Role::SystemAdmin && !by.has_role(Role::SystemAdmin) {
            p.add(
                "roles",
                ErrorCode::RoleNotGrantable,
                "only a system administrator can make another",
            );
        }
    }
}

pub(crate) async fn org_kind(store: &Store, org: Uuid) -> Result<OrgKind, StoreError> {
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
        .bind(org.to_string())
        .fetch_optional(&store.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
    OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))
}

impl Store {
    /// Makes an account for a new person of the administrator's organisation (or, for a system
    /// administrator, any organisation) with an enrolment link and no usable password.
    pub async fn invite_user(&self, by: &Actor, new: Invite<'_>) -> Result<Invitation, StoreError> {
        let authority = Authority::User(by.clone());
        require_manage_users(&authority, new.org_id)?;
        let kind = org_kind(self, new.org_id).await?;
        let mut p = Problems::default();
        let (email, display) = check_identity(&mut p, new.email, new.display_name);
        check_roles(&mut p, by, kind, new.roles);
        let display = p.finish(display)?.unwrap_or_default();
        let (pending, granted): (Vec<Role>, Vec<Role>) = new
            .roles
            .iter()
            .copied()
            .partition(|r| grant_needs_approval(*r));
        // A password nobody knows: the account cannot sign in before its person enrols.
        let unknown = random_hex(32)?;
        let hash = tokio::task::spawn_blocking(move || hash_password(&unknown))
            .await
            .map_err(|_| StoreError::Crypto("password hashing failed"))??;
        let id = Uuid::now_v7();
        let token = random_hex(32)?;
        let held: Vec<&str> = granted.iter().map(|r| r.as_str()).collect();
        let mut tx = self.begin().await?;
        crate::orgs::insert_user(&mut tx, id, new.org_id, &email, &display, &hash, &held).await?;
        sqlx::query(
            "INSERT INTO enrolments (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(id.to_string())
        .bind(tx.now)
        .bind(tx.now + ENROLMENT_MS)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(by.event("user.invite", "user", Some(id.to_string()), "ok"))
            .await?;
        for role in &pending {
            super::grants::insert_pending(&mut tx, by, new.org_id, id, *role).await?;
        }
        tx.commit().await?;
        Ok(Invitation {
            user_id: id,
            token,
            granted,
            pending,
        })
    }

    /// The account an enrolment link is for, with, when it needs one, the second-factor
    /// secret to enrol (the same at every visit until enrolled).
    pub async fn enrolment(&self, token: &str) -> Result<Enrolment, StoreError> {
        let (user, email, display, needs) = self.enrolment_user(token).await?;
        let second_factor = if needs {
            let mut tx = self.begin().await?;
            let setup = pending_setup(&mut tx, user, &email).await?;
            tx.commit().await?;
            Some(setup)
        } else {
            None
        };
        Ok(Enrolment {
            email,
            display_name: display,
            second_factor,
        })
    }

    /// (user, e-mail, display name, needs a second factor) of a live enrolment link.
    async fn enrolment_user(
        &self,
        token: &str,
    ) -> Result<(Uuid, String, String, bool), StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid_link());
        }
        let row = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.roles FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE e.token_hash = $1 AND e.expires_at > $2 AND u.disabled = 0",
        )
        .bind(token_hash(token))
        .bind(self.clock.now_ms())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(invalid_link)?;
        let user = parse_uuid(&row.try_get::<String, _>("id")?)?;
        let mut roles = parse_roles(&row.try_get::<String, _>("roles")?)?;
        roles.extend(super::grants::pending_roles(self, user).await?);
        Ok((
            user,
            row.try_get("email")?,
            row.try_get("display_name")?,
            second_factor_required(self.second_factor, &roles),
        ))
    }

    /// Completes an enrolment: the password the person chose and, where required, the first
    /// code of the second factor the page showed. The link is spent. Returns the recovery codes
    /// (shown once), none when no second factor was enrolled.
    pub async fn complete_enrolment(
        &self,
        token: &str,
        password: &str,
        code: Option<&str>,
    ) -> Result<Vec<String>, StoreError> {
        let (user, _, _, needs) = self.enrolment_user(token).await?;
        let mut p = Problems::default();
        let length = password.chars().count();
        if length < PASSWORD_MIN {
            p.add(
                "password",
                ErrorCode::PasswordTooShort,
                format!("the password must have at least {PASSWORD_MIN} characters"),
            );
        }
        if length > 256 {
            p.add(
                "password",
                ErrorCode::PasswordTooLong,
                "the password must have at most 256 characters",
            );
        }
        p.finish(())?;
        let password = password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|_| StoreError::Crypto("password hashing failed"))??;
        let mut tx = self.begin().await?;
        let codes = if needs {
            match adopt_pending(&mut tx, user, code.unwrap_or_default()).await? {
                Some(codes) => codes,
                None => {
                    return Err(StoreError::invalid(
                        "code",
                        ErrorCode::InvalidCode,
                        "the code is wrong: enter the six digits the app shows now",
                    ));
                }
            }
        } else {
            Vec::new()
        };
        let spent = sqlx::query("DELETE FROM enrolments WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&mut *tx.tx)
            .await?;
        if spent.rows_affected() != 1 {
            return Err(invalid_link());
        }
        sqlx::query("DELETE FROM enrolments WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2")
            .bind(&hash)
            .bind(user.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(crate::audit::Event {
            actor_user: Some(user.to_string()),
            actor_org: None,
            action: "user.enrol",
            object_type: "user",
            object_id: Some(user.to_string()),
            outcome: "ok",
            purpose: None,
        })
        .await?;
        tx.commit().await?;
        Ok(codes)
    }
}
