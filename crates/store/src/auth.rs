//! Authentication: passwords (argon2id), login throttling without user enumeration, sessions
//! and API tokens. An [`Actor`] is made here and nowhere else, so holding one proves the user
//! signed in (or the operator ran a command on the server, see [`crate::operator::Operator::impersonate`]).

use crate::audit::Event;
use crate::keys::random_hex;
use crate::{Store, StoreError};
use passage_core::throttle::{Backoff, Failures};
use passage_core::{OrgKind, Principal, Role};
use sqlx::Row;
use uuid::Uuid;

/// A signed-in user, as the access policy sees them. No public constructor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    principal: Principal,
}

impl Actor {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }
    pub fn user_id(&self) -> Uuid {
        self.principal.user_id
    }
    pub fn org_id(&self) -> Uuid {
        self.principal.org_id
    }
    pub fn has_role(&self, role: Role) -> bool {
        self.principal.roles.contains(&role)
    }
    pub(crate) fn event<'a>(
        &self,
        action: &'a str,
        object_type: &'a str,
        object_id: Option<String>,
        outcome: &'a str,
    ) -> Event<'a> {
        Event {
            actor_user: Some(self.principal.user_id.to_string()),
            actor_org: Some(self.principal.org_id.to_string()),
            action,
            object_type,
            object_id,
            outcome,
            purpose: None,
        }
    }
}

/// Who administers: a signed-in user, or the operator at the server's command line.
#[derive(Debug, Clone)]
pub enum Authority {
    User(Actor),
    /// The operator on the server (`passage user add`, the demo seeder). Made only by
    /// [`Store::operator`]; every use is audited with no user and the purpose
    /// `operator:<purpose>`.
    Operator(OperatorToken),
}

/// Proof that the operator path was taken on purpose, with that purpose as the audit log
/// records it (`operator:<purpose>`).
#[derive(Debug, Clone)]
pub struct OperatorToken {
    purpose: String,
}

impl OperatorToken {
    pub(crate) fn new(purpose: &str) -> Self {
        OperatorToken {
            purpose: format!("operator:{purpose}"),
        }
    }
}

impl Authority {
    pub(crate) fn event<'a>(
        &'a self,
        action: &'a str,
        object_type: &'a str,
        object_id: Option<String>,
        outcome: &'a str,
    ) -> Event<'a> {
        match self {
            Authority::User(a) => a.event(action, object_type, object_id, outcome),
            Authority::Operator(token) => Event {
                actor_user: None,
                actor_org: None,
                action,
                object_type,
                object_id,
                outcome,
                purpose: Some(&token.purpose),
            },
        }
    }

    /// Allows only the operator or a system administrator.
    pub fn require_system_admin(&self) -> Result<(), StoreError> {
        match self {
            Authority::Operator(_) => Ok(()),
            Authority::User(a) => {
                match passage_core::policy::decide(
                    a.principal(),
                    passage_core::Action::ManageOrganisations,
                    passage_core::Relation::Unrelated,
                ) {
                    passage_core::Decision::Allow(_) => Ok(()),
                    passage_core::Decision::Deny(r) => Err(StoreError::Forbidden(r)),
                }
            }
        }
    }
}

/// UI session or API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Ui,
    Api,
}

impl SessionKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SessionKind::Ui => "ui",
            SessionKind::Api => "api",
        }
    }
}

/// Session lifetimes in milliseconds (OWASP ASVS 7.3: idle and absolute timeouts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub ui_idle_ms: i64,
    pub ui_absolute_ms: i64,
    pub api_idle_ms: i64,
    pub api_absolute_ms: i64,
    /// Failures (from one source on one account, or on one account from the sources that
    /// failed on it) before a wait is owed: one minute, then doubling, at most an hour;
    /// forgotten a day after the last failure.
    pub lock_after: i64,
}

impl SessionPolicy {
    pub(crate) fn backoff(&self) -> Backoff {
        Backoff {
            free: self.lock_after,
            base_ms: 60_000,
            max_ms: 3_600_000,
            forget_ms: 24 * 3_600_000,
        }
    }
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            ui_idle_ms: 30 * 60_000,
            ui_absolute_ms: 12 * 3_600_000,
            api_idle_ms: 60 * 60_000,
            api_absolute_ms: 24 * 3_600_000,
            lock_after: 5,
        }
    }
}

/// Why a login failed. The web layer answers all of them the same way.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("invalid credentials")]
    Invalid,
    /// The password was right; a second factor is needed (or must be enrolled first). The
    /// challenge continues the sign-in in [`Store::login_second_step`].
    #[error("a second factor is required")]
    SecondFactorRequired(crate::accounts::second_factor::Challenge),
    /// Recent failures from this source call for a wait; nothing was checked.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A fresh session: the token is shown once to the client and only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

/// An authenticated request's session.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub csrf: String,
}

/// Hashes a password with argon2id and a fresh salt (blocking: call off the async runtime).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    crate::argon::hash_password(password)
}

fn verify_password(password: &str, hash: &str) -> bool {
    crate::argon::verify_password(password, hash)
}

/// A hash of a random password, verified against when the user does not exist so that timing
/// does not reveal which addresses have accounts. Without randomness there is no dummy hash
/// (never one of an empty password): the login fails with an error.
fn dummy_hash() -> Result<&'static str, StoreError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let h = hash_password(&random_hex(16)?)?;
    Ok(DUMMY.get_or_init(|| h))
}

/// Computes the dummy hash ahead of the first login. A failure here is met again, and
/// reported, by the first login that needs it.
pub(crate) fn prepare_login_timing() {
    let _ = dummy_hash();
}

/// Minimum password length for new passwords (ASVS 6.2.1).
pub const PASSWORD_MIN: usize = 12;

pub(crate) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(crate) fn token_hash(token: &str) -> String {
    crate::keys::hex(blake3::hash(token.as_bytes()).as_bytes())
}

pub(crate) fn parse_roles(text: &str) -> Result<Vec<Role>, StoreError> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|r| Role::parse(r).ok_or(StoreError::Corrupt("role")))
        .collect()
}

impl Store {
    /// Checks an e-mail and password and opens a session, as a source with no tag (the
    /// operator's tools and tests), for users who need no second factor. Requests go through
    /// [`Store::login_from`].
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        kind: SessionKind,
    ) -> Result<NewSession, LoginError> {
        self.login_from(email, password, None, kind, "").await
    }

    /// [`Store::login`] with a second factor, as a source with no tag.
    pub async fn login_with_code(
        &self,
        email: &str,
        password: &str,
        code: Option<&str>,
        kind: SessionKind,
    ) -> Result<NewSession, LoginError> {
        self.login_from(email, password, code, kind, "").await
    }

    /// Checks an e-mail, a password and, when the user has or needs one, a second factor (a
    /// one-time code or a recovery code) from one source and opens a session. Unknown users,
    /// wrong passwords, wrong codes and disabled accounts all fail the same way, after the same
    /// work; only a right password without a needed code answers `SecondFactorRequired`.
    ///
    /// `source` names where the attempt comes from (the client address); only a keyed hash of
    /// it together with the e-mail is stored, under a key derived from the master key, so
    /// every instance serving this database counts a source's attempts on an account under the
    /// same row: a guesser gains nothing by spreading over instances or waiting out a restart.
    /// Failures slow whoever made them ([`passage_core::throttle::login_wait`]): the source
    /// on this account, and the account's recent failures for sources that have failed on it
    /// too. A source that has not failed is never slowed by others' failures, so a guesser
    /// cannot keep the owner out. An attempt that owes a wait is refused before the password
    /// is looked at, and neither counts nor lengthens the wait.
    pub async fn login_from(
        &self,
        email: &str,
        password: &str,
        code: Option<&str>,
        kind: SessionKind,
        source: &str,
    ) -> Result<NewSession, LoginError> {
        let email = normalise_email(email);
        let account_key = self.keys.lookup_hash("login", &email);
        let pair_key = self
            .keys
            .lookup_hash("login-source", &format!("{email}\u{0}{source}"));
        let now = self.clock.now_ms();
        let account = self.failures(&account_key).await?;
        let own_failures = match self.take_attempt(&pair_key, account, now).await? {
            Ok(earlier) => earlier,
            Err(wait) => {
                let mut tx = self.begin().await?;
                tx.audit(login_event(None, "throttled")).await?;
                tx.commit().await?;
                return Err(LoginError::TooManyAttempts {
                    retry_after_secs: passage_core::throttle::retry_after_secs(wait),
                });
            }
        };
        let row = sqlx::query(
            "SELECT u.id, u.roles, o.id AS org_id, o.kind AS org_kind, u.password_hash, u.disabled FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1",
        )
        .bind(&email)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::from)?;
        let stored_hash = match &row {
            Some(r) => r
                .try_get::<String, _>("password_hash")
                .map_err(StoreError::from)?,
            None => dummy_hash()?.to_string(),
        };
        let pw = password.to_string();
        let ok = match self
            .hashing
            .run(move || verify_password(&pw, &stored_hash))
            .await
        {
            Ok(ok) => ok,
            Err(e) => {
                // Not checked (the server was busy): the attempt is no failure.
                sqlx::query(
                    "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = $1",
                )
                .bind(&pair_key)
                .execute(&self.pool)
                .await
                .map_err(StoreError::from)?;
                return Err(e.into());
            }
        };
        let disabled = match &row {
            Some(r) => r.try_get::<i64, _>("disabled").map_err(StoreError::from)? != 0,
            None => true,
        };
        let mut tx = self.begin().await?;
        if !ok || disabled {
            // The source's attempt was counted already; the account's is counted now.
            self.record_failure(&mut tx, &account_key, now).await?;
            let user = row.as_ref().and_then(|r| r.try_get::<String, _>("id").ok());
            tx.audit(login_event(user, "denied")).await?;
            tx.commit().await?;
            return Err(LoginError::Invalid);
        }
        let row = row.ok_or(LoginError::Invalid)?;
        let actor = actor_from_row(&row)?;
        use crate::accounts::second_factor::Gate;
        match self.second_factor_gate(&mut tx, &actor, code).await? {
            Gate::Pass => {}
            Gate::Wrong => {
                // A wrong code is a failure like a wrong password (the source's attempt was
                // counted already; the account's is counted now).
                self.record_failure(&mut tx, &account_key, now).await?;
                tx.audit(actor.event("auth.second_factor", "session", None, "denied"))
                    .await?;
                tx.commit().await?;
                return Err(LoginError::Invalid);
            }
            Gate::Wait(wait) => {
                tx.audit(actor.event("auth.second_factor", "session", None, "throttled"))
                    .await?;
                tx.commit().await?;
                return Err(LoginError::TooManyAttempts {
                    retry_after_secs: passage_core::throttle::retry_after_secs(wait),
                });
            }
            Gate::Missing(challenge) => {
                // The password was right: the attempt counted before the hash is given back.
                sqlx::query(
                    "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = $1",
                )
                .bind(&pair_key)
                .execute(&mut *tx.tx)
                .await
                .map_err(StoreError::from)?;
                tx.audit(actor.event("auth.login", "session", None, "second_factor_required"))
                    .await?;
                tx.commit().await?;
                return Err(LoginError::SecondFactorRequired(challenge));
            }
        }
        // This source's failures end here, and are taken off the account's; the failures of
        // other sources stay until they are forgotten, so a guesser elsewhere gains nothing
        // from the owner's success.
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(&pair_key)
            .execute(&mut *tx.tx)
            .await
            .map_err(StoreError::from)?;
        sqlx::query(
            "UPDATE login_throttle SET failures = CASE WHEN failures > $1 THEN failures - $1 ELSE 0 END WHERE key = $2",
        )
        .bind(own_failures)
        .bind(&account_key)
        .execute(&mut *tx.tx)
        .await
        .map_err(StoreError::from)?;
        let token = random_hex(32)?;
        let csrf = random_hex(32)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, kind, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5, $5)")
            .bind(token_hash(&token))
            .bind(actor.user_id().to_string())
            .bind(kind.as_str())
            .bind(&csrf)
            .bind(now)
            .execute(&mut *tx.tx)
            .await
            .map_err(StoreError::from)?;
        tx.audit(actor.event("auth.login", "session", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(NewSession { token, csrf, actor })
    }

    /// The recent failures recorded under a throttle key.
    async fn failures(&self, key: &str) -> Result<Failures, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, last_failure FROM login_throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(
            row.map_or_else(Failures::default, |(count, last_ms)| Failures {
                count,
                last_ms,
            }),
        )
    }

    /// Counts an attempt from a source on an account before its password is checked, unless it
    /// owes a wait (then `Err(milliseconds)`); `Ok` holds the source's recent failures before
    /// this attempt. The count is a compare-and-set on the row, so parallel attempts from one
    /// source cannot all pass: at most the free ones do.
    async fn take_attempt(
        &self,
        pair_key: &str,
        account: Failures,
        now: i64,
    ) -> Result<Result<i64, i64>, StoreError> {
        let backoff = self.sessions.backoff();
        for _ in 0..8 {
            let pair: Option<(i64, i64)> =
                sqlx::query_as("SELECT failures, last_failure FROM login_throttle WHERE key = $1")
                    .bind(pair_key)
                    .fetch_optional(&self.pool)
                    .await?;
            let facts = pair.map_or_else(Failures::default, |(count, last_ms)| Failures {
                count,
                last_ms,
            });
            let wait = passage_core::throttle::login_wait(&backoff, facts, account, now);
            if wait > 0 {
                return Ok(Err(wait));
            }
            let next = backoff.recent(facts.count, facts.last_ms, now) + 1;
            let counted = match pair {
                None => sqlx::query(
                    "INSERT INTO login_throttle (key, failures, locked_until, last_failure) VALUES ($1, 1, 0, $2) ON CONFLICT (key) DO NOTHING",
                )
                .bind(pair_key)
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected(),
                Some((count, last)) => sqlx::query(
                    "UPDATE login_throttle SET failures = $1, last_failure = $2 WHERE key = $3 AND failures = $4 AND last_failure = $5",
                )
                .bind(next)
                .bind(now)
                .bind(pair_key)
                .bind(count)
                .bind(last)
                .execute(&self.pool)
                .await?
                .rows_affected(),
            };
            if counted == 1 {
                return Ok(Ok(next - 1));
            }
        }
        // Lost every race: others from this source are trying at this very moment.
        Ok(Err(backoff.base_ms.max(1_000)))
    }

    /// Counts a failure on an account (all its sources together).
    pub(crate) async fn record_failure(
        &self,
        tx: &mut crate::db::Tx,
        key: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let backoff = self.sessions.backoff();
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, last_failure FROM login_throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let failures = row.map_or(0, |(n, last)| backoff.recent(n, last, now)) + 1;
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, locked_until, last_failure) VALUES ($1, $2, 0, $3) \
             ON CONFLICT (key) DO UPDATE SET failures = $2, last_failure = $3",
        )
        .bind(key)
        .bind(failures)
        .bind(now)
        .execute(&mut *tx.tx)
        .await?;
        Ok(())
    }

    /// Resolves a session token. Expired sessions and disabled users resolve to nothing.
    pub async fn authenticate(
        &self,
        token: &str,
        kind: SessionKind,
    ) -> Result<Option<Session>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let row = sqlx::query(
            "SELECT u.id, u.roles, o.id AS org_id, o.kind AS org_kind, s.created_at, s.last_seen, s.csrf, u.disabled \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id \
             WHERE s.token_hash = $1 AND s.kind = $2",
        )
        .bind(&hash)
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = self.clock.now_ms();
        let (created, last_seen): (i64, i64) =
            (row.try_get("created_at")?, row.try_get("last_seen")?);
        let (idle, absolute) = match kind {
            SessionKind::Ui => (self.sessions.ui_idle_ms, self.sessions.ui_absolute_ms),
            SessionKind::Api => (self.sessions.api_idle_ms, self.sessions.api_absolute_ms),
        };
        let disabled: i64 = row.try_get("disabled")?;
        if disabled != 0 || now - last_seen > idle || now - created > absolute {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        if now - last_seen > 60_000 {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        let actor = actor_from_row(&row)?;
        Ok(Some(Session {
            actor,
            csrf: row.try_get("csrf")?,
        }))
    }

    /// Ends a session (logout).
    pub async fn logout(&self, token: &str) -> Result<(), StoreError> {
        let hash = token_hash(token);
        let user: Option<(String,)> =
            sqlx::query_as("SELECT user_id FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&mut *tx.tx)
            .await?;
        if let Some((user,)) = user {
            tx.audit(Event {
                actor_user: Some(user),
                actor_org: None,
                action: "auth.logout",
                object_type: "session",
                object_id: None,
                outcome: "ok",
                purpose: None,
            })
            .await?;
        }
        tx.commit().await
    }

    /// Acts as a user without their password: reached only through
    /// [`crate::operator::Operator::impersonate`]. Audited.
    pub(crate) async fn impersonate(
        &self,
        by: &Authority,
        email: &str,
    ) -> Result<Actor, StoreError> {
        by.require_system_admin()?;
        let row = sqlx::query(
            "SELECT u.id, u.roles, o.id AS org_id, o.kind AS org_kind FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1",
        )
        .bind(normalise_email(email))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let actor = actor_from_row(&row)?;
        let mut tx = self.begin().await?;
        tx.audit(by.event(
            "auth.impersonate",
            "user",
            Some(actor.user_id().to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(actor)
    }
}

fn login_event(user: Option<String>, outcome: &str) -> Event<'_> {
    Event {
        actor_user: user,
        actor_org: None,
        action: "auth.login",
        object_type: "session",
        object_id: None,
        outcome,
        purpose: None,
    }
}

/// The actor from a row with the columns `u.id, u.roles, o.id AS org_id, o.kind AS org_kind`.
pub(crate) fn actor_from_row(row: &sqlx::any::AnyRow) -> Result<Actor, StoreError> {
    Ok(Actor {
        principal: Principal {
            user_id: parse_uuid(&row.try_get::<String, _>("id")?)?,
            roles: parse_roles(&row.try_get::<String, _>("roles")?)?,
            org_id: parse_uuid(&row.try_get::<String, _>("org_id")?)?,
            org_kind: OrgKind::parse(&row.try_get::<String, _>("org_kind")?)
                .ok_or(StoreError::Corrupt("organisation kind"))?,
        },
    })
}

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt("identifier"))
}
