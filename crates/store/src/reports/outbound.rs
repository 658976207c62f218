//! Staff replies on their way out through a messaging gateway (issue 19 item 4). A reply is
//! written `queued` with the staff message (see `channels::queue_reply`); the server's sender
//! task claims the due ones, sends each through its gateway and records the outcome here:
//! `sent` with the gateway's id, a passing failure (due again after a backoff with jitter, or
//! `failed`/`gave_up` once [`MAX_ATTEMPTS`] are spent), or a permanent `failed` with the reason
//! staff read in the report's thread. Gateways' status callbacks then move a sent reply to
//! `delivered` or `failed`. Every change is kept in `outbound_message_events` (time, state,
//! error code, source), never the number or the text.
//!
//! Claiming opens the recipient and the text, so it takes the operator's [`Authority`]; the
//! other functions read and write states and ids only and are system operations of the sender
//! task and of the signed callbacks, like the webhook outbox. Delivery is at least once: a
//! claimed reply is leased for [`LEASE_MS`], and sent again if the process dies before it
//! records the outcome.

use crate::db::Tx;
use crate::keys::Field;
use crate::{Authority, Store, StoreError};
use passage_core::messages::{
    DeliveryStatus, FailureReason, Gateway, MAX_ATTEMPTS, Reported, Retry, after_failure,
};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// How long a claimed reply is hidden from other claims while it is being sent.
pub const LEASE_MS: i64 = 120_000;

/// Where a staff reply stands, as its thread shows it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct DeliveryView {
    pub status: DeliveryStatus,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<FailureReason>,
    /// Attempts made so far.
    pub attempts: i64,
}

impl DeliveryView {
    /// From a thread row joined with its reply (`delivery_status`, `delivery_reason`,
    /// `delivery_attempts`); none when the message has no reply record.
    pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Option<DeliveryView>, StoreError> {
        let Some(status) = row.try_get::<Option<String>, _>("delivery_status")? else {
            return Ok(None);
        };
        let status =
            DeliveryStatus::parse(&status).ok_or(StoreError::Corrupt("reply delivery status"))?;
        let reason = row
            .try_get::<Option<String>, _>("delivery_reason")?
            .map(|r| FailureReason::parse(&r).ok_or(StoreError::Corrupt("reply failure reason")))
            .transpose()?;
        Ok(Some(DeliveryView {
            status,
            reason,
            attempts: row
                .try_get::<Option<i64>, _>("delivery_attempts")?
                .unwrap_or(0),
        }))
    }
}

/// A reply due to be sent: who to and what, opened for the sender only.
#[derive(Clone, PartialEq, Eq)]
pub struct DueReply {
    pub id: String,
    pub report_id: Uuid,
    pub gateway: Gateway,
    /// The number (Twilio) or URN (RapidPro) the report came from.
    pub recipient: String,
    pub body: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

impl std::fmt::Debug for DueReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueReply")
            .field("id", &self.id)
            .field("gateway", &self.gateway)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// One change of a reply's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryEvent {
    pub at: i64,
    pub status: String,
    pub error_code: Option<String>,
    /// `sender` or `callback`.
    pub source: String,
}

/// Appends a change of state to a reply's history.
pub(crate) async fn record_event(
    tx: &mut Tx,
    id: &str,
    status: &str,
    error_code: Option<&str>,
    source: &str,
) -> Result<(), StoreError> {
    let (seq,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbound_message_events WHERE outbound_id = $1")
            .bind(id)
            .fetch_one(&mut *tx.tx)
            .await?;
    sqlx::query(
        "INSERT INTO outbound_message_events (outbound_id, seq, at, status, error_code, source) \
         VALUES ($1, $6, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(tx.now)
    .bind(status)
    .bind(error_code)
    .bind(source)
    .bind(seq + 1)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

const DUE: &str = "SELECT id, report_id, gateway, channel, recipient, body, attempts FROM outbound_messages \
                   WHERE status = 'queued' AND next_at <= $1 ORDER BY next_at, id LIMIT $2";

fn audit_event<'a>(report: &str, action: &'a str, outcome: &'a str) -> crate::audit::Event<'a> {
    crate::audit::Event {
        actor_user: None,
        actor_org: None,
        action,
        object_type: "report",
        object_id: Some(report.to_string()),
        outcome,
        purpose: Some("reply_delivery"),
    }
}

impl Store {
    /// Claims up to `limit` queued replies due now and leases them for [`LEASE_MS`], opening
    /// their recipient and text for the sender. Operator or system administrator only.
    pub async fn claim_due_replies(
        &self,
        by: &Authority,
        limit: i64,
    ) -> Result<Vec<DueReply>, StoreError> {
        by.require_system_admin()?;
        let now = self.clock.now_ms();
        // The sender asks every second: look without the writer lock first.
        let peek: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM outbound_messages WHERE status = 'queued' AND next_at <= $1 LIMIT 1",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        if peek.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let rows = sqlx::query(DUE)
            .bind(tx.now)
            .bind(limit)
            .fetch_all(&mut *tx.tx)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            sqlx::query("UPDATE outbound_messages SET next_at = $1 WHERE id = $2")
                .bind(tx.now + LEASE_MS)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
            let gateway = match r.try_get::<Option<String>, _>("gateway")? {
                Some(g) => Gateway::parse(&g),
                None => passage_core::Channel::parse(&r.try_get::<String, _>("channel")?)
                    .and_then(Gateway::for_channel),
            }
            .ok_or(StoreError::Corrupt("reply gateway"))?;
            out.push(DueReply {
                report_id: crate::auth::parse_uuid(&r.try_get::<String, _>("report_id")?)?,
                gateway,
                recipient: self.keys.open_str(
                    Field::OutboundMessageRecipient,
                    &id,
                    &r.try_get::<Vec<u8>, _>("recipient")?,
                )?,
                body: self.keys.open_str(
                    Field::OutboundMessageBody,
                    &id,
                    &r.try_get::<Vec<u8>, _>("body")?,
                )?,
                attempts: r.try_get("attempts")?,
                id,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The queued reply `id` and its report, in an open transaction; `NotFound` otherwise.
    async fn queued_reply(&self, tx: &mut Tx, id: &str) -> Result<(String, i64), StoreError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT report_id, attempts FROM outbound_messages WHERE id = $1 AND status = 'queued'",
        )
        .bind(id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        row.ok_or(StoreError::NotFound)
    }

    /// Records that the gateway took reply `id` and named it `provider_id`. `NotFound` if
    /// the reply is not queued. System operation of the sender task.
    pub async fn reply_sent(&self, id: &str, provider_id: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let (report, attempts) = self.queued_reply(&mut tx, id).await?;
        sqlx::query(
            "UPDATE outbound_messages SET status = 'sent', attempts = $1, provider_id = $2, \
             sent_at = $3, updated_at = $3, last_error = NULL WHERE id = $4",
        )
        .bind(attempts + 1)
        .bind(provider_id)
        .bind(tx.now)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        record_event(&mut tx, id, "sent", None, "sender").await?;
        let outcome = format!("sent attempts={}", attempts + 1);
        tx.audit(audit_event(&report, "report.reply_sent", &outcome))
            .await?;
        tx.commit().await
    }

    /// Records that reply `id` will never leave: `reason` is shown to staff, `error` (a short
    /// code: an HTTP status, a gateway's error number) kept with it. `attempted` is false when
    /// nothing was sent (no gateway configured). `NotFound` if the reply is not queued.
    pub async fn reply_failed(
        &self,
        id: &str,
        reason: FailureReason,
        error: &str,
        attempted: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let (report, attempts) = self.queued_reply(&mut tx, id).await?;
        let attempts = attempts + i64::from(attempted);
        self.fail(&mut tx, id, &report, attempts, reason, error)
            .await?;
        tx.commit().await
    }

    async fn fail(
        &self,
        tx: &mut Tx,
        id: &str,
        report: &str,
        attempts: i64,
        reason: FailureReason,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbound_messages SET status = 'failed', attempts = $1, reason = $2, \
             last_error = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(attempts)
        .bind(reason.as_str())
        .bind(error)
        .bind(tx.now)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        record_event(tx, id, "failed", Some(error), "sender").await?;
        let outcome = format!("failed reason={} attempts={attempts}", reason.as_str());
        tx.audit(audit_event(report, "report.reply_failed", &outcome))
            .await
    }

    /// Records a passing failure of reply `id` (`error`: a short code): it is due again after
    /// a backoff with jitter, or failed with [`FailureReason::GaveUp`] after [`MAX_ATTEMPTS`].
    /// `NotFound` if the reply is not queued. System operation of the sender task.
    pub async fn reply_not_sent(&self, id: &str, error: &str) -> Result<Retry, StoreError> {
        let jitter = f64::from(u32::from_le_bytes(crate::random::bytes::<4>()?))
            / (f64::from(u32::MAX) + 1.0);
        let mut tx = self.begin().await?;
        let (report, attempts) = self.queued_reply(&mut tx, id).await?;
        let attempts = attempts + 1;
        let retry = after_failure(attempts, tx.now, jitter);
        match retry {
            Retry::At(at) => {
                sqlx::query(
                    "UPDATE outbound_messages SET attempts = $1, next_at = $2, last_error = $3, \
                     updated_at = $4 WHERE id = $5",
                )
                .bind(attempts)
                .bind(at)
                .bind(error)
                .bind(tx.now)
                .bind(id)
                .execute(&mut *tx.tx)
                .await?;
                record_event(&mut tx, id, "retry", Some(error), "sender").await?;
            }
            Retry::GiveUp => {
                debug_assert!(attempts >= MAX_ATTEMPTS);
                self.fail(&mut tx, id, &report, attempts, FailureReason::GaveUp, error)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(retry)
    }

    /// A gateway's status callback for the reply it named `provider_id`: the change is kept in
    /// the history (`raw` is the gateway's status word, `error_code` its error number), and
    /// the reply moves on when `reported` advances it (never back, never out of a final
    /// state). Returns the reply's state afterwards; `NotFound` for an id no reply has. System
    /// operation of the signed callback routes.
    pub async fn reply_status(
        &self,
        gateway: Gateway,
        provider_id: &str,
        reported: Option<Reported>,
        raw: &str,
        error_code: Option<&str>,
    ) -> Result<DeliveryStatus, StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT id, report_id, status FROM outbound_messages WHERE gateway = $1 AND provider_id = $2",
        )
        .bind(gateway.as_str())
        .bind(provider_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let (id, report, current) = row.ok_or(StoreError::NotFound)?;
        let current =
            DeliveryStatus::parse(&current).ok_or(StoreError::Corrupt("reply delivery status"))?;
        // The gateway's word is kept short and plain: it is a status, not free text.
        let raw: String = raw
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(32)
            .collect();
        let code: Option<String> = error_code.map(|c| {
            c.chars()
                .filter(char::is_ascii_alphanumeric)
                .take(16)
                .collect()
        });
        record_event(&mut tx, &id, &raw, code.as_deref(), "callback").await?;
        let after = match reported {
            Some(r) if current.advances_to(r.status) => {
                sqlx::query(
                    "UPDATE outbound_messages SET status = $1, reason = $2, last_error = COALESCE($3, last_error), \
                     updated_at = $4 WHERE id = $5",
                )
                .bind(r.status.as_str())
                .bind(r.reason.map(FailureReason::as_str))
                .bind(code.as_deref())
                .bind(tx.now)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
                if r.status.is_final() {
                    let outcome = match r.reason {
                        Some(reason) => format!("{} reason={}", r.status.as_str(), reason.as_str()),
                        None => r.status.as_str().to_string(),
                    };
                    tx.audit(audit_event(&report, "report.reply_status", &outcome))
                        .await?;
                }
                r.status
            }
            _ => current,
        };
        tx.commit().await?;
        Ok(after)
    }

    /// The history of reply `id`, oldest first (states, times and error codes only). Operator
    /// or system administrator only.
    pub async fn reply_history(
        &self,
        by: &Authority,
        id: &str,
    ) -> Result<Vec<DeliveryEvent>, StoreError> {
        by.require_system_admin()?;
        let rows = sqlx::query(
            "SELECT at, status, error_code, source FROM outbound_message_events \
             WHERE outbound_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DeliveryEvent {
                    at: r.try_get("at")?,
                    status: r.try_get("status")?,
                    error_code: r.try_get("error_code")?,
                    source: r.try_get("source")?,
                })
            })
            .collect()
    }

    /// The reply records of report `id` (id, state, gateway id), oldest first. Operator or
    /// system administrator only: for the sender's tests and support, never personal data.
    pub async fn replies_of(
        &self,
        by: &Authority,
        report: Uuid,
    ) -> Result<Vec<(String, DeliveryView, Option<String>)>, StoreError> {
        by.require_system_admin()?;
        let rows = sqlx::query(
            "SELECT id, status AS delivery_status, reason AS delivery_reason, attempts AS delivery_attempts, \
             provider_id FROM outbound_messages WHERE report_id = $1 ORDER BY created_at, id",
        )
        .bind(report.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let view = DeliveryView::from_row(r)?
                    .ok_or(StoreError::Corrupt("reply delivery status"))?;
                Ok((r.try_get("id")?, view, r.try_get("provider_id")?))
            })
            .collect()
    }
}
