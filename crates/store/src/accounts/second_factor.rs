//! The second factor: a TOTP secret sealed per user, a replay guard (the last step accepted),
//! ten single-use recovery codes kept as keyed hashes, and the second step of a sign-in whose
//! password was right. Wrong codes count as sign-in failures, under the same throttle.

use crate::auth::{Actor, LoginError, NewSession, SessionKind, actor_from_row, token_hash};
use crate::db::Tx;
use crate::keys::{Field, random_hex};
use crate::{Store, StoreError};
use passage_core::policy::accounts::second_factor_required;
use passage_core::totp;
use sqlx::Row;
use uuid::Uuid;

/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;
/// How long the second step of a sign-in may wait.
const CHALLENGE_MS: i64 = 10 * 60_000;

/// A sign-in whose password was right and that waits for a second factor: the token is given
/// to the browser once; only its hash is stored.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub token: String,
    /// The user has no second factor yet and must enrol one now.
    pub must_enrol: bool,
}

/// What an authenticator app needs: the secret in base32 and the `otpauth://` URI.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    pub secret: String,
    pub uri: String,
}

/// The answer of the second-factor gate inside a sign-in.
pub(crate) enum Gate {
    Pass,
    Wrong,
    Missing(Challenge),
    /// Recent wrong codes for this user call for a wait (milliseconds); no code was checked.
    Wait(i64),
}

/// What the second step of a sign-in asks for.
#[derive(Debug, Clone)]
pub enum SecondStep {
    /// A one-time code or a recovery code.
    Code,
    /// The user enrols now: the secret to add to an authenticator app, then its first code.
    Enrol(TotpSetup),
}

/// The secret being enrolled for the user (the one shown before, so a page shown again shows
/// the same), or a new one, kept sealed as the pending secret.
pub(crate) async fn pending_setup(
    tx: &mut Tx,
    user: Uuid,
    email: &str,
) -> Result<TotpSetup, StoreError> {
    let id = user.to_string();
    let pending: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT totp_pending FROM users WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let secret = match pending {
        Some((Some(sealed),)) => tx.keys.open(Field::UserTotpPending, &id, &sealed)?,
        _ => {
            let mut secret = vec![0u8; totp::SECRET_LEN];
            crate::random::fill(&mut secret)?;
            let sealed = tx.keys.seal(Field::UserTotpPending, &id, &secret)?;
            sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
                .bind(sealed)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
            secret
        }
    };
    Ok(TotpSetup {
        secret: totp::base32(&secret),
        uri: totp::otpauth_uri("Passage", email, &secret),
    })
}

/// Checks a code against the pending secret and, when right, makes it the user's secret with
/// fresh recovery codes (returned once).
pub(crate) async fn adopt_pending(
    tx: &mut Tx,
    user: Uuid,
    code: &str,
) -> Result<Option<Vec<String>>, StoreError> {
    let id = user.to_string();
    let pending: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT totp_pending FROM users WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((Some(sealed),)) = pending else {
        return Ok(None);
    };
    let secret = tx.keys.open(Field::UserTotpPending, &id, &sealed)?;
    let Some(step) = totp::verify(&secret, code, tx.now.div_euclid(1000), 0) else {
        return Ok(None);
    };
    let sealed = tx.keys.seal(Field::UserTotpSecret, &id, &secret)?;
    sqlx::query("UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2, version = version + 1 WHERE id = $3")
        .bind(sealed)
        .bind(step)
        .bind(&id)
        .execute(&mut *tx.tx)
        .await?;
    Ok(Some(new_recovery_codes(tx, user).await?))
}

fn recovery_hash(tx: &Tx, user: Uuid, code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    tx.keys
        .lookup_hash("recovery code", &format!("{user}:{normal}"))
}

/// Replaces the user's recovery codes with ten new ones, returned once.
async fn new_recovery_codes(tx: &mut Tx, user: Uuid) -> Result<Vec<String>, StoreError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *tx.tx)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 7];
        crate::random::fill(&mut bytes)?;
        let text = totp::base32(&bytes).to_lowercase();
        let code = format!("{}-{}", &text[..5], &text[5..10]);
        sqlx::query("INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)")
            .bind(recovery_hash(tx, user, &code))
            .bind(user.to_string())
            .execute(&mut *tx.tx)
            .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// Checks a one-time code (six digits) or a recovery code against the user's enrolled second
/// factor; a step or a recovery code is accepted once only.
async fn check_code(tx: &mut Tx, user: Uuid, code: &str) -> Result<bool, StoreError> {
    let id = user.to_string();
    let row: Option<(Option<Vec<u8>>, i64)> =
        sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((Some(sealed), last)) = row else {
        return Ok(false);
    };
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == totp::DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit()) {
        let secret = tx.keys.open(Field::UserTotpSecret, &id, &sealed)?;
        let Some(step) = totp::verify(&secret, &digits, tx.now.div_euclid(1000), last) else {
            return Ok(false);
        };
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(&id)
        .execute(&mut *tx.tx)
        .await?;
        return Ok(done.rows_affected() == 1);
    }
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE code_hash = $2 AND user_id = $3 AND used_at IS NULL",
    )
    .bind(tx.now)
    .bind(recovery_hash(tx, user, code))
    .bind(&id)
    .execute(&mut *tx.tx)
    .await?;
    Ok(used.rows_affected() == 1)
}

impl Store {
    /// The throttle key of a user's wrong codes. Only someone who gave the right password
    /// reaches the code, so code failures slow the account itself, apart from password
    /// failures (which slow only the sources that made them).
    fn code_key(&self, actor: &Actor) -> String {
        self.keys
            .lookup_hash("second-factor", &actor.user_id().to_string())
    }

    /// Milliseconds the user's recent wrong codes still call for (0: go ahead).
    async fn code_wait(&self, tx: &mut Tx, actor: &Actor) -> Result<i64, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, last_failure FROM login_throttle WHERE key = $1")
                .bind(self.code_key(actor))
                .fetch_optional(&mut *tx.tx)
                .await?;
        Ok(row.map_or(0, |(n, last)| {
            self.sessions.backoff().remaining_ms(n, last, tx.now)
        }))
    }

    async fn code_failed(&self, tx: &mut Tx, actor: &Actor) -> Result<(), StoreError> {
        let now = tx.now;
        self.record_failure(tx, &self.code_key(actor), now).await
    }

    async fn code_passed(&self, tx: &mut Tx, actor: &Actor) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(self.code_key(actor))
            .execute(&mut *tx.tx)
            .await?;
        Ok(())
    }

    /// Inside a sign-in whose password was right: passes when no second factor is needed,
    /// checks the code when one is given, and otherwise opens a challenge for the second step.
    pub(crate) async fn second_factor_gate(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        code: Option<&str>,
    ) -> Result<Gate, StoreError> {
        let enrolled: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1")
                .bind(actor.user_id().to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        let enrolled = matches!(enrolled, Some((Some(_),)));
        let required = second_factor_required(self.second_factor, &actor.principal().roles);
        if !enrolled && !required {
            return Ok(Gate::Pass);
        }
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => {
                let wait = self.code_wait(tx, actor).await?;
                if wait > 0 {
                    return Ok(Gate::Wait(wait));
                }
                if enrolled && check_code(tx, actor.user_id(), code).await? {
                    self.code_passed(tx, actor).await?;
                    Ok(Gate::Pass)
                } else {
                    self.code_failed(tx, actor).await?;
                    Ok(Gate::Wrong)
                }
            }
            None => {
                let token = random_hex(32)?;
                sqlx::query("DELETE FROM login_challenges WHERE expires_at < $1")
                    .bind(tx.now)
                    .execute(&mut *tx.tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO login_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
                )
                .bind(token_hash(&token))
                .bind(actor.user_id().to_string())
                .bind(tx.now + CHALLENGE_MS)
                .execute(&mut *tx.tx)
                .await?;
                Ok(Gate::Missing(Challenge {
                    token,
                    must_enrol: !enrolled,
                }))
            }
        }
    }

    /// The user a live challenge belongs to: (actor, e-mail, disabled, enrolled).
    async fn challenge_user(
        &self,
        challenge: &str,
    ) -> Result<Option<(Actor, String, bool, bool)>, StoreError> {
        if challenge.len() != 64 || !challenge.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT u.id, u.roles, o.id AS org_id, o.kind AS org_kind, u.email, u.disabled, (u.totp_secret IS NOT NULL) AS enrolled \
             FROM login_challenges c JOIN users u ON u.id = c.user_id JOIN organisations o ON o.id = u.org_id \
             WHERE c.token_hash = $1 AND c.expires_at > $2",
        )
        .bind(token_hash(challenge))
        .bind(self.clock.now_ms())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let enrolled: bool = match row.try_get::<bool, _>("enrolled") {
            Ok(b) => b,
            Err(_) => row.try_get::<i64, _>("enrolled")? != 0,
        };
        Ok(Some((
            actor_from_row(&row)?,
            row.try_get("email")?,
            row.try_get::<i64, _>("disabled")? != 0,
            enrolled,
        )))
    }

    /// What the second step of a sign-in asks for; `None` when the challenge is unknown or
    /// expired (or the user was disabled meanwhile).
    pub async fn second_step(&self, challenge: &str) -> Result<Option<SecondStep>, StoreError> {
        let Some((actor, email, disabled, enrolled)) = self.challenge_user(challenge).await? else {
            return Ok(None);
        };
        if disabled {
            return Ok(None);
        }
        if enrolled {
            return Ok(Some(SecondStep::Code));
        }
        let mut tx = self.begin().await?;
        let setup = pending_setup(&mut tx, actor.user_id(), &email).await?;
        tx.commit().await?;
        Ok(Some(SecondStep::Enrol(setup)))
    }

    /// The second step of a sign-in: a one-time or recovery code for an enrolled user, or, for
    /// a user enrolling now, the first code of the new secret (then the recovery codes are
    /// returned, once). A wrong code is a failed sign-in and counts towards the lock.
    pub async fn login_second_step(
        &self,
        challenge: &str,
        code: &str,
        kind: SessionKind,
    ) -> Result<(NewSession, Vec<String>), LoginError> {
        let Some((actor, email, disabled, enrolled)) = self.challenge_user(challenge).await? else {
            return Err(LoginError::Invalid);
        };
        let _ = email;
        // Inside the write transaction, so parallel guesses are counted one after another.
        let mut tx = self.begin().await?;
        let wait = self.code_wait(&mut tx, &actor).await?;
        if wait > 0 {
            tx.audit(actor.event("auth.second_factor", "session", None, "throttled"))
                .await?;
            tx.commit().await?;
            return Err(LoginError::TooManyAttempts {
                retry_after_secs: passage_core::throttle::retry_after_secs(wait),
            });
        }
        let (ok, codes) = if disabled {
            (false, Vec::new())
        } else if enrolled {
            (
                check_code(&mut tx, actor.user_id(), code).await?,
                Vec::new(),
            )
        } else {
            match adopt_pending(&mut tx, actor.user_id(), code).await? {
                Some(codes) => (true, codes),
                None => (false, Vec::new()),
            }
        };
        if !ok {
            self.code_failed(&mut tx, &actor).await?;
            tx.audit(actor.event("auth.second_factor", "session", None, "denied"))
                .await?;
            tx.commit().await?;
            return Err(LoginError::Invalid);
        }
        sqlx::query("DELETE FROM login_challenges WHERE token_hash = $1")
            .bind(token_hash(challenge))
            .execute(&mut *tx.tx)
            .await
            .map_err(StoreError::from)?;
        self.code_passed(&mut tx, &actor).await?;
        if !codes.is_empty() {
            tx.audit(actor.event(
                "user.second_factor.enrol",
                "user",
                Some(actor.user_id().to_string()),
                "ok",
            ))
            .await?;
        }
        let session = open_session(&mut tx, actor, kind).await?;
        tx.commit().await?;
        Ok((session, codes))
    }

    /// Removes a user's second factor and recovery codes (a lost device, no code left): they
    /// enrol a new one at their next sign-in. Reached only through
    /// [`crate::operator::Operator::reset_second_factor`]. Ends the user's sessions. Audited.
    pub(crate) async fn reset_second_factor(
        &self,
        by: &crate::Authority,
        email: &str,
    ) -> Result<(), StoreError> {
        by.require_system_admin()?;
        let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(crate::auth::normalise_email(email))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL, version = version + 1 WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        for table in ["recovery_codes", "login_challenges", "sessions"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE user_id = $1"
            )))
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.audit(by.event("user.second_factor.reset", "user", Some(id), "ok"))
            .await?;
        tx.commit().await
    }

    /// How many unused recovery codes the signed-in user has left.
    pub async fn recovery_codes_left(&self, actor: &Actor) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(actor.user_id().to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

/// Opens a session for a user who passed every step.
async fn open_session(
    tx: &mut Tx,
    actor: Actor,
    kind: SessionKind,
) -> Result<NewSession, StoreError> {
    let token = random_hex(32)?;
    let csrf = random_hex(32)?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, kind, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5, $5)")
        .bind(token_hash(&token))
        .bind(actor.user_id().to_string())
        .bind(kind.as_str())
        .bind(&csrf)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
    tx.audit(actor.event("auth.login", "session", None, "ok"))
        .await?;
    Ok(NewSession { token, csrf, actor })
}
