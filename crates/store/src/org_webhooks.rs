//! An organisation's own webhook endpoint (issue 14 item 8): registered by its administrator,
//! signed with a secret shown once and kept sealed (`org_webhooks.secret`), and the delivery log
//! of what was sent there, so a notice that could not be delivered is seen by a person.
//! Immigration enforcement registers none: no referral event ever concerns it.

use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::policy::DenyReason;
use passage_core::{ErrorCode, OrgKind, Role};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// The organisation's endpoint, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub created_at: i64,
}

/// An endpoint just registered, with its secret: the only time the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub endpoint: Endpoint,
    pub secret: String,
}

/// One notice addressed to the organisation and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: String,
    /// The event name (`referral_received`, …).
    pub event: String,
    /// `pending`, `delivered` or `dead` (given up: never tried again).
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    /// The next try, while pending.
    pub next_at: Option<i64>,
    pub last_at: Option<i64>,
    /// The last attempt's HTTP status or a short reason (`connection failed`).
    pub last_result: Option<String>,
}

/// How many notices the delivery log shows.
pub const LOG_LIMIT: i64 = 50;

fn may_administer(actor: &Actor) -> Result<(), StoreError> {
    if actor.principal().org_kind == OrgKind::ImmigrationEnforcement {
        return Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall));
    }
    if !actor.has_role(Role::OrgAdmin) {
        return Err(StoreError::Forbidden(DenyReason::NoGrant));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Registers the organisation's endpoint (replacing one it had) and returns it with its new
    /// secret. Organisation administrators only; https, or http to this machine only.
    pub async fn register_webhook(
        &self,
        actor: &Actor,
        url: &str,
    ) -> Result<Registered, StoreError> {
        let mut tx = self.begin().await?;
        let org = actor.org_id().to_string();
        if let Err(e) = may_administer(actor) {
            tx.audit(actor.event("webhook.register", "organisation", Some(org), "forbidden"))
                .await?;
            tx.commit().await?;
            return Err(e);
        }
        let url = url.trim();
        if !passage_core::notifications::endpoint_url_allowed(url) {
            tx.audit(actor.event("webhook.register", "organisation", Some(org), "invalid"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::invalid(
                "url",
                ErrorCode::InvalidValue,
                "use an https:// address (plain http only to 127.0.0.1 or localhost)",
            ));
        }
        let id = Uuid::now_v7();
        let secret = hex(&crate::random::bytes::<32>()?);
        let sealed = tx
            .keys
            .seal_str(Field::OrgWebhookSecret, &id.to_string(), &secret)?;
        sqlx::query("DELETE FROM org_webhooks WHERE org_id = $1")
            .bind(&org)
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query(
            "INSERT INTO org_webhooks (id, org_id, url, secret, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(&org)
        .bind(url)
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        let created_at = tx.now;
        tx.audit(actor.event("webhook.register", "webhook", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(Registered {
            endpoint: Endpoint {
                id,
                url: url.to_string(),
                created_at,
            },
            secret,
        })
    }

    /// The organisation's endpoint, if it has one. Organisation administrators only.
    pub async fn webhook_endpoint(&self, actor: &Actor) -> Result<Option<Endpoint>, StoreError> {
        may_administer(actor)?;
        let row = sqlx::query("SELECT id, url, created_at FROM org_webhooks WHERE org_id = $1")
            .bind(actor.org_id().to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Endpoint {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                url: r.try_get("url")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    /// Removes the organisation's endpoint `id`; another organisation's, or none: not found.
    /// Notices still pending for it are not sent anywhere else: they fail and show as dead.
    pub async fn delete_webhook(&self, actor: &Actor, id: Uuid) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let wid = id.to_string();
        if let Err(e) = may_administer(actor) {
            tx.audit(actor.event("webhook.delete", "webhook", Some(wid), "forbidden"))
                .await?;
            tx.commit().await?;
            return Err(e);
        }
        let gone = sqlx::query("DELETE FROM org_webhooks WHERE id = $1 AND org_id = $2")
            .bind(&wid)
            .bind(actor.org_id().to_string())
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
        let outcome = if gone == 0 { "not_found" } else { "ok" };
        tx.audit(actor.event("webhook.delete", "webhook", Some(wid), outcome))
            .await?;
        tx.commit().await?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The notices addressed to the organisation, newest first (at most [`LOG_LIMIT`]), with
    /// the ones given up on among them. Organisation administrators only.
    pub async fn webhook_log(&self, actor: &Actor) -> Result<Vec<Delivery>, StoreError> {
        may_administer(actor)?;
        let rows = sqlx::query(
            "SELECT id, kind, status, attempts, created_at, next_at, last_at, last_result \
             FROM webhook_outbox WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(actor.org_id().to_string())
        .bind(LOG_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let status: String = r.try_get("status")?;
            let next_at: i64 = r.try_get("next_at")?;
            out.push(Delivery {
                id: r.try_get("id")?,
                event: r.try_get("kind")?,
                next_at: (status == "pending").then_some(next_at),
                status,
                attempts: r.try_get("attempts")?,
                created_at: r.try_get("created_at")?,
                last_at: r.try_get("last_at")?,
                last_result: r.try_get("last_result")?,
            });
        }
        Ok(out)
    }

    /// Sends the organisation's notices that were given up on again, from now, with a fresh
    /// count of attempts (after its administrator mended the receiver); returns how many.
    pub async fn retry_dead_webhooks(&self, actor: &Actor) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let org = actor.org_id().to_string();
        if let Err(e) = may_administer(actor) {
            tx.audit(actor.event("webhook.retry", "organisation", Some(org), "forbidden"))
                .await?;
            tx.commit().await?;
            return Err(e);
        }
        let n = sqlx::query(
            "UPDATE webhook_outbox SET status = 'pending', attempts = 0, next_at = $1 \
             WHERE org_id = $2 AND status = 'dead'",
        )
        .bind(tx.now)
        .bind(&org)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        tx.audit(actor.event("webhook.retry", "organisation", Some(org), "ok"))
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// How many notices to the organisation were given up on (never delivered).
    pub async fn dead_webhooks(&self, actor: &Actor) -> Result<i64, StoreError> {
        may_administer(actor)?;
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM webhook_outbox WHERE org_id = $1 AND status = 'dead'",
        )
        .bind(actor.org_id().to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}
