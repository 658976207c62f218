//! Retention of delivery records: a staff reply that reached its end (sent, delivered or
//! failed) keeps its sealed number and text in `outbound_messages` only to be sent and
//! followed; a webhook notice that was delivered or given up (`dead`) is of no further use.
//! Both are deleted after the deployment's `delivery_retention_days` (default
//! [`DEFAULT_DELIVERY_RETENTION_DAYS`]) by the hourly purge, with a reply's state history; the
//! staff message itself stays in the report's thread, which then shows no delivery state for
//! it. Each purge that deleted anything is audited with the counts only.

use crate::{Store, StoreError};

/// Days a finished delivery record is kept, unless configured otherwise.
pub const DEFAULT_DELIVERY_RETENTION_DAYS: u32 = 30;

/// What one purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryPurged {
    /// Staff replies (with their state history).
    pub replies: u64,
    /// Webhook notices.
    pub webhooks: u64,
}

const DAY_MS: i64 = 86_400_000;

impl Store {
    /// Deletes the finished reply records and webhook notices whose last change is older than
    /// `days` days (by the store's clock), in one transaction audited as `delivery.purge` with
    /// the counts. Run by the server's hourly job; several servers may run it at once.
    pub async fn purge_delivery_records(&self, days: u32) -> Result<DeliveryPurged, StoreError> {
        let cutoff = self.clock.now_ms() - i64::from(days.max(1)) * DAY_MS;
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM outbound_message_events WHERE outbound_id IN (SELECT id FROM outbound_messages \
             WHERE status IN ('sent', 'delivered', 'failed') AND COALESCE(updated_at, created_at) < $1)",
        )
        .bind(cutoff)
        .execute(&mut *tx.tx)
        .await?;
        let replies = sqlx::query(
            "DELETE FROM outbound_messages WHERE status IN ('sent', 'delivered', 'failed') \
             AND COALESCE(updated_at, created_at) < $1",
        )
        .bind(cutoff)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        let webhooks = sqlx::query(
            "DELETE FROM webhook_outbox WHERE status IN ('delivered', 'dead') \
             AND COALESCE(last_at, created_at) < $1",
        )
        .bind(cutoff)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        let purged = DeliveryPurged { replies, webhooks };
        if replies + webhooks > 0 {
            let outcome = format!("deleted replies={replies} webhooks={webhooks}");
            tx.audit(crate::audit::Event {
                actor_user: None,
                actor_org: None,
                action: "delivery.purge",
                object_type: "delivery",
                object_id: None,
                outcome: &outcome,
                purpose: Some("retention"),
            })
            .await?;
        }
        tx.commit().await?;
        Ok(purged)
    }
}
