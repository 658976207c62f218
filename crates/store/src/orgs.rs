//! Organisations and users: created by the operator or a system administrator; an org_admin
//! manages the users of their own organisation.

use crate::auth::{Authority, hash_password, normalise_email, parse_roles, parse_uuid};
use crate::{Actor, Store, StoreError};
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::validate::{Problems, text};
use passage_core::{Country, OrgKind, Role};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
    pub country: Country,
    /// Where its staff work (an IANA name such as `Europe/Madrid`): staff pages show times in it.
    #[serde(skip)]
    pub time_zone: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub organisation: Organisation,
    /// The language the user chose for the staff pages, if any.
    pub language: Option<String>,
}

/// What a new user needs.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub org_id: Uuid,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub roles: &'a [Role],
}

/// The e-mail address (normalised) and display name of a new user, with their problems.
pub(crate) fn check_identity(
    p: &mut Problems,
    email: &str,
    display_name: &str,
) -> (String, Option<String>) {
    let email = normalise_email(email);
    if email.len() > 254
        || !email.contains('@')
        || email.starts_with('@')
        || email.ends_with('@')
        || email.contains(char::is_whitespace)
    {
        p.add(
            "email",
            passage_core::ErrorCode::InvalidEmail,
            "enter an e-mail address such as name@example.org",
        );
    }
    let display = text(p, "display_name", display_name, true, 200);
    (email, display)
}

pub(crate) fn require_manage_users(by: &Authority, org_id: Uuid) -> Result<(), StoreError> {
    match by {
        Authority::Operator(_) => Ok(()),
        Authority::User(actor) => {
            let relation = if actor.org_id() == org_id {
                Relation::Organisation
            } else {
                Relation::Unrelated
            };
            match decide(actor.principal(), Action::ManageUsers, relation) {
                Decision::Allow(_) => Ok(()),
                // Another organisation's users are as invisible as its records.
                Decision::Deny(_) if relation == Relation::Unrelated => Err(StoreError::NotFound),
                Decision::Deny(r) => Err(StoreError::Forbidden(r)),
            }
        }
    }
}

/// Reads an organisation from the columns `{prefix}id`, `{prefix}name`, `{prefix}kind` and
/// `{prefix}country`: a query of the organisations table alone passes `""`, a join aliases the
/// organisation's columns (`o.id AS org_id`) and passes `"org_"`.
fn org_from_row(row: &sqlx::any::AnyRow, prefix: &str) -> Result<Organisation, StoreError> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(Organisation {
        id: parse_uuid(&row.try_get::<String, _>(col("id").as_str())?)?,
        name: row.try_get(col("name").as_str())?,
        kind: OrgKind::parse(&row.try_get::<String, _>(col("kind").as_str())?)
            .ok_or(StoreError::Corrupt("organisation kind"))?,
        country: Country::parse(&row.try_get::<String, _>(col("country").as_str())?)
            .ok_or(StoreError::Corrupt("country"))?,
        time_zone: row.try_get(col("time_zone").as_str())?,
    })
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.email, u.display_name, u.roles, u.disabled, \
     o.id AS org_id, o.name AS org_name, o.kind AS org_kind, o.country AS org_country, \
     o.time_zone AS org_time_zone, u.language";

pub(crate) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: parse_uuid(&row.try_get::<String, _>("id")?)?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        roles: parse_roles(&row.try_get::<String, _>("roles")?)?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        organisation: org_from_row(row, "org_")?,
        language: row.try_get("language")?,
    })
}

impl Store {
    pub async fn create_organisation(
        &self,
        by: &Authority,
        name: &str,
        kind: OrgKind,
        country: Country,
    ) -> Result<Organisation, StoreError> {
        by.require_system_admin()?;
        let mut p = Problems::default();
        let name = text(&mut p, "name", name, true, 200);
        let name = p.finish(name)?.unwrap_or_default();
        let org = Organisation {
            id: Uuid::now_v7(),
            name,
            kind,
            country,
            time_zone: "UTC".into(),
        };
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO organisations (id, name, kind, country, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(org.id.to_string())
            .bind(&org.name)
            .bind(kind.as_str())
            .bind(country.as_str())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await
            .map_err(|e| StoreError::unique(e, "an organisation with this name"))?;
        tx.audit(by.event(
            "organisation.create",
            "organisation",
            Some(org.id.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Organisations are public within the system (a directory), not personal data.
    pub async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, kind, country, time_zone FROM organisations ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| org_from_row(r, "")).collect()
    }

    pub async fn organisation_by_name(
        &self,
        name: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, kind, country, time_zone FROM organisations WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| org_from_row(&r, "")).transpose()
    }

    /// Sets the time zone an organisation's staff work in (an IANA name such as
    /// `Africa/Nairobi`): its administrators, or the operator.
    pub async fn set_organisation_time_zone(
        &self,
        by: &Authority,
        org_id: Uuid,
        zone: &TimeZoneName,
    ) -> Result<(), StoreError> {
        require_manage_users(by, org_id)?;
        let zone = zone.as_str();
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE organisations SET time_zone = $1 WHERE id = $2")
            .bind(zone)
            .bind(org_id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(by.event(
            "organisation.time_zone",
            "organisation",
            Some(org_id.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a user with a password: the operator's path (the command line, the demo
    /// seeder), who is the deployment itself. An administrator signed in never chooses another
    /// person's password: they invite ([`Store::invite_user`]) and the person enrols.
    pub async fn create_user(&self, by: &Authority, new: NewUser<'_>) -> Result<User, StoreError> {
        if let Authority::User(_) = by {
            return Err(StoreError::Forbidden(passage_core::DenyReason::NoGrant));
        }
        require_manage_users(by, new.org_id)?;
        let mut p = Problems::default();
        let (email, display) = check_identity(&mut p, new.email, new.display_name);
        // The operator (command line, demo seeder) may set any non-empty password; the
        // command line asks for the minimum length itself.
        let min = 1;
        if new.password.chars().count() < min {
            p.add(
                "password",
                passage_core::ErrorCode::PasswordTooShort,
                format!("the password must have at least {min} characters"),
            );
        }
        if new.password.chars().count() > 256 {
            p.add(
                "password",
                passage_core::ErrorCode::PasswordTooLong,
                "the password must have at most 256 characters",
            );
        }
        if new.roles.is_empty() {
            p.add(
                "roles",
                passage_core::ErrorCode::Required,
                "give the user at least one role",
            );
        }
        let display = p.finish(display)?.unwrap_or_default();
        let password = new.password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|_| StoreError::Crypto("password hashing failed"))??;
        let id = Uuid::now_v7();
        let roles: Vec<&str> = new.roles.iter().map(|r| r.as_str()).collect();
        let mut tx = self.begin().await?;
        insert_user(&mut tx, id, new.org_id, &email, &display, &hash, &roles).await?;
        tx.audit(by.event("user.create", "user", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        self.user(by, id).await
    }

    pub async fn user(&self, by: &Authority, id: Uuid) -> Result<User, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let user = user_from_row(&row)?;
        require_manage_users(by, user.organisation.id)?;
        Ok(user)
    }

    /// The signed-in user's own profile.
    pub async fn me(&self, actor: &Actor) -> Result<User, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1"
        )))
        .bind(actor.user_id().to_string())
        .fetch_one(&self.pool)
        .await?;
        user_from_row(&row)
    }

    /// Saves the signed-in user's own choice of language for the staff pages (`None` clears
    /// it). A code is two or three lowercase letters; which languages exist is the web tier's
    /// business.
    pub async fn set_my_language(
        &self,
        actor: &Actor,
        language: Option<&passage_core::validate::LanguageCode>,
    ) -> Result<(), StoreError> {
        let language = language.map(|l| l.as_str());
        let id = actor.user_id().to_string();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET language = $1, version = version + 1 WHERE id = $2")
            .bind(language.map(str::to_string))
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("user.language", "user", Some(id), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Users of one organisation, for its org_admin (or a system administrator).
    pub async fn users_of(&self, by: &Authority, org_id: Uuid) -> Result<Vec<User>, StoreError> {
        require_manage_users(by, org_id)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.org_id = $1 ORDER BY u.email"
        )))
        .bind(org_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Disables or re-enables a user; disabling ends all their sessions at once.
    pub async fn set_user_disabled(
        &self,
        by: &Authority,
        id: Uuid,
        disabled: bool,
    ) -> Result<User, StoreError> {
        let user = self.user(by, id).await?;
        if let Authority::User(actor) = by
            && actor.user_id() == id
        {
            return Err(StoreError::invalid(
                "user",
                passage_core::ErrorCode::CannotDisableSelf,
                "you cannot disable your own account",
            ));
        }
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.to_string())
                .execute(&mut *tx.tx)
                .await?;
        }
        tx.audit(by.event(
            if disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            "user",
            Some(id.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(User { disabled, ..user })
    }
}

/// Writes a new active account (the password hash made beforehand, off the async runtime).
pub(crate) async fn insert_user(
    tx: &mut crate::db::Tx,
    id: Uuid,
    org_id: Uuid,
    email: &str,
    display: &str,
    hash: &str,
    roles: &[&str],
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (id, org_id, email, display_name, password_hash, roles, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(email)
    .bind(display)
    .bind(hash)
    .bind(roles.join(","))
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await
    .map_err(|e| StoreError::unique(e, "a user with this e-mail address"))?;
    Ok(())
}

/// A time zone the bundled database knows, by its IANA name (`Africa/Nairobi`): only
/// [`TimeZoneName::parse`] makes one, at the edge, so the store never stores a name it
/// cannot read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn parse(typed: &str) -> Result<TimeZoneName, passage_core::validate::Problems> {
        let zone = typed.trim();
        if zone.is_empty() || zone.len() > 64 || jiff::tz::TimeZone::get(zone).is_err() {
            let mut p = passage_core::validate::Problems::default();
            p.add(
                "time_zone",
                passage_core::ErrorCode::InvalidValue,
                "choose a time zone from the list, such as Europe/Madrid",
            );
            return Err(p);
        }
        Ok(TimeZoneName(zone.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
