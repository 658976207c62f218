//! The webhook outbox: notices written in the same transaction as the event they announce (an
//! emergency report, see `reports::insert_report`; a referral's events, see `notify`) and
//! delivered afterwards by the server's background task. A notice without an organisation goes
//! to the configured alert address; one with an organisation (`org_id`) to the endpoint that
//! organisation registered (`org_webhooks`), signed with its own secret.
//!
//! **These functions take no [`Actor`](crate::Actor) and do not ask the access policy.** They
//! are system operations for the delivery task only: an outbox payload carries no personal data
//! (`{"event", "report_id" or "referral_id", "organisation_id", "at"}`), so there is nothing for the policy to
//! protect, and no handler calls them. Nothing here is audited for the same reason.
//!
//! Delivery is at least once: a claimed item is leased for [`LEASE_MS`]; if the process dies
//! before it reports the outcome, the item becomes due again when the lease runs out. Receivers
//! should treat `report_id` as the idempotency key.

use crate::{Store, StoreError};

/// How long a claimed item is hidden from other claims while it is being delivered.
pub const LEASE_MS: i64 = 120_000;
/// First retry delay; it doubles with each failure up to [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: i64 = 5_000;
pub const MAX_BACKOFF_MS: i64 = 600_000;
/// After this many failed attempts an item is `dead` and never tried again.
pub const MAX_ATTEMPTS: i64 = 20;

/// A notice due for delivery. `payload` is JSON without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: String,
    pub kind: String,
    pub payload: String,
    /// The organisation whose endpoint receives it; none: the alert address.
    pub org_id: Option<String>,
}

/// Where an organisation's notices go: its endpoint and the secret that signs them.
#[derive(Clone, PartialEq, Eq)]
pub struct OrgTarget {
    pub url: String,
    pub secret: String,
}

impl std::fmt::Debug for OrgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrgTarget")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl OutboxItem {
    /// The event name receivers see (`X-Passage-Event`), which is also the payload's `event`.
    pub fn event(&self) -> &str {
        match self.kind.as_str() {
            "emergency" => "emergency_report",
            other => other,
        }
    }
}

/// What a failed attempt led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// Tried again at this time (unix ms).
    RetryAt(i64),
    /// Gave up after [`MAX_ATTEMPTS`]; the item stays in the table with status `dead`.
    Dead,
}

/// The delay after the `attempts`-th failure: 5 s, 10 s, 20 s … capped at 10 minutes.
pub fn webhook_backoff_ms(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    FIRST_BACKOFF_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF_MS)
}

const DUE: &str = "SELECT id, kind, payload, org_id FROM webhook_outbox WHERE status = 'pending' AND next_at <= $1 \
                   ORDER BY next_at, id LIMIT $2";
const DUE_ORG: &str = "SELECT id, kind, payload, org_id FROM webhook_outbox WHERE status = 'pending' AND next_at <= $1 \
                   AND org_id IS NOT NULL ORDER BY next_at, id LIMIT $2";

type Due = (String, String, String, Option<String>);

impl Store {
    /// Claims up to `limit` pending items due at `now_ms` and leases them for [`LEASE_MS`], so
    /// another worker (another process on PostgreSQL) does not deliver them at the same time.
    /// System operation: no actor, no policy check (see the module documentation).
    pub async fn claim_due_webhooks(
        &self,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.claim(DUE, now_ms, limit).await
    }

    /// As [`Store::claim_due_webhooks`], but only notices addressed to an organisation: for a
    /// server without an alert address, whose alerts wait until one is configured.
    pub async fn claim_due_org_webhooks(
        &self,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.claim(DUE_ORG, now_ms, limit).await
    }

    async fn claim(
        &self,
        due: &'static str,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        // The delivery task asks every second: look without the writer lock first.
        let peek: Vec<Due> = sqlx::query_as(due)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        if peek.is_empty() {
            return Ok(Vec::new());
        }
        // Claims are serialised by the write transaction (the audit head lock), so two workers
        // never lease the same item; nothing is appended to the audit log.
        let mut tx = self.begin().await?;
        let rows: Vec<Due> = sqlx::query_as(due)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&mut *tx.tx)
            .await?;
        for (id, _, _, _) in &rows {
            sqlx::query("UPDATE webhook_outbox SET next_at = $1 WHERE id = $2")
                .bind(now_ms + LEASE_MS)
                .bind(id)
                .execute(&mut *tx.tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, payload, org_id)| OutboxItem {
                id,
                kind,
                payload,
                org_id,
            })
            .collect())
    }

    /// The endpoint and secret of organisation `org_id`, if it registered one. System
    /// operation for the delivery task: no actor, no policy check, never logged.
    pub async fn webhook_target(&self, org_id: &str) -> Result<Option<OrgTarget>, StoreError> {
        let row: Option<(String, String, Vec<u8>)> =
            sqlx::query_as("SELECT id, url, secret FROM org_webhooks WHERE org_id = $1")
                .bind(org_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, url, sealed)) = row else {
            return Ok(None);
        };
        let secret = self
            .keys
            .open_str(crate::keys::Field::OrgWebhookSecret, &id, &sealed)?;
        Ok(Some(OrgTarget { url, secret }))
    }

    /// Records that the receiver accepted item `id`; it is never claimed again. `NotFound` if
    /// the item is not pending. System operation: no actor, no policy check.
    pub async fn mark_webhook_delivered(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE webhook_outbox SET status = 'delivered', attempts = attempts + 1, \
             last_at = $1, last_result = 'delivered' WHERE id = $2 AND status = 'pending'",
        )
        .bind(tx.now)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await
    }

    /// Records a failed attempt at `now_ms`: the item is due again after
    /// [`webhook_backoff_ms`], or `dead` after [`MAX_ATTEMPTS`]. `NotFound` if the item is not
    /// pending. System operation: no actor, no policy check.
    pub async fn mark_webhook_failed(&self, id: &str, now_ms: i64) -> Result<Failed, StoreError> {
        self.mark_webhook_failed_as(id, now_ms, "failed").await
    }

    /// As [`Store::mark_webhook_failed`], keeping `result` (an HTTP status or a short reason
    /// that names neither address nor payload) in the delivery log.
    pub async fn mark_webhook_failed_as(
        &self,
        id: &str,
        now_ms: i64,
        result: &str,
    ) -> Result<Failed, StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT attempts FROM webhook_outbox WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let attempts = row.ok_or(StoreError::NotFound)?.0 + 1;
        let outcome = if attempts >= MAX_ATTEMPTS {
            Failed::Dead
        } else {
            Failed::RetryAt(now_ms + webhook_backoff_ms(attempts))
        };
        let (status, next_at) = match outcome {
            Failed::Dead => ("dead", now_ms),
            Failed::RetryAt(at) => ("pending", at),
        };
        sqlx::query(
            "UPDATE webhook_outbox SET attempts = $1, status = $2, next_at = $3, last_at = $4, \
             last_result = $5 WHERE id = $6",
        )
        .bind(attempts)
        .bind(status)
        .bind(next_at)
        .bind(now_ms)
        .bind(result)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// How many items wait for delivery (leased or not), for health reporting. System
    /// operation: a count, no actor, no policy check.
    pub async fn webhook_backlog(&self) -> Result<i64, StoreError> {
        let row: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM webhook_outbox WHERE status = 'pending'")
                .fetch_one(&self.pool)
                .await?;
        Ok(row.0)
    }
}
