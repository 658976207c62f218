//! Messaging gateways: inbound SMS and chat messages thread by sender into one open report;
//! staff replies are queued for the gateway. Phone numbers are sealed and found through a keyed
//! blind index (a phone number is high-entropy enough for one); they are never logged.

use super::public::public_event;
use super::{insert_message, insert_report_with_sender};
use crate::db::Tx;
use crate::keys::Field;
use crate::{Store, StoreError};
use passage_core::intake::route;
use passage_core::messages::{DeliveryStatus, Gateway};
use passage_core::reports::NewReport;
use passage_core::{Category, Channel, ReporterType, Urgency};
use sqlx::Row;
use uuid::Uuid;

/// What happened to an inbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inbound {
    /// A new report was opened for this sender.
    NewReport(Uuid),
    /// The message joined the sender's open report.
    Threaded(Uuid),
    /// The gateway retried a message already stored.
    Duplicate(Uuid),
}

fn sender_tag(store: &Store, provider: &str, sender: &str) -> String {
    let normalised: String = sender
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == ':')
        .collect();
    store
        .keys
        .lookup_hash("sender", &format!("{provider}:{normalised}"))
}

impl Store {
    /// Stores an inbound message exactly once per (provider, message id).
    pub async fn inbound_message(
        &self,
        provider: &str,
        message_id: &str,
        channel: Channel,
        sender: &str,
        body: &str,
    ) -> Result<Inbound, StoreError> {
        let body = body.trim();
        let body: String = if body.is_empty() {
            "(empty message)".into()
        } else {
            body.chars().take(5_000).collect()
        };
        let tag = sender_tag(self, provider, sender);
        let (rules, fallback) = self.routing_rules().await?;
        let sla = self.intake_options.sla;
        let mut tx = self.begin().await?;
        let seen: Option<(String,)> = sqlx::query_as(
            "SELECT report_id FROM inbound_messages WHERE provider = $1 AND message_id = $2",
        )
        .bind(provider)
        .bind(message_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        if let Some((id,)) = seen {
            tx.commit().await?;
            return Ok(Inbound::Duplicate(crate::auth::parse_uuid(&id)?));
        }
        let open: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM reports WHERE sender_tag = $1 AND status <> 'closed' ORDER BY received_at DESC LIMIT 1",
        )
        .bind(&tag)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let outcome = match open {
            Some((id,)) => {
                let id = crate::auth::parse_uuid(&id)?;
                insert_message(&mut tx, id, "reporter", None, &body).await?;
                Inbound::Threaded(id)
            }
            None => {
                let report = NewReport {
                    language: "en".into(),
                    categories: vec![Category::SomethingElse],
                    narrative: body.clone(),
                    country: None,
                    place: None,
                    employer: None,
                    contact: None,
                    reporter_type: ReporterType::Anonymous,
                    urgency: Urgency::Normal,
                    callback_consent: false,
                    callback_time: None,
                };
                let org = route(&rules, &report.categories, None, fallback);
                let id = insert_report_with_sender(
                    &mut tx,
                    &report,
                    channel,
                    org,
                    None,
                    Some((&tag, sender)),
                    None,
                    &sla,
                )
                .await?;
                Inbound::NewReport(id)
            }
        };
        let id = match outcome {
            Inbound::NewReport(id) | Inbound::Threaded(id) | Inbound::Duplicate(id) => id,
        };
        sqlx::query("INSERT INTO inbound_messages (provider, message_id, report_id, at) VALUES ($1, $2, $3, $4)")
            .bind(provider)
            .bind(message_id)
            .bind(id.to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(public_event("report.inbound_message", &id.to_string()))
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Replies waiting for the gateway: (message id, channel, recipient, body). Operator only.
    pub async fn queued_replies(
        &self,
        by: &crate::Authority,
    ) -> Result<Vec<(Uuid, String, String, String)>, StoreError> {
        by.require_system_admin()?;
        let rows = sqlx::query("SELECT id, channel, recipient, body FROM outbound_messages WHERE status = 'queued' ORDER BY created_at")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                Ok((
                    crate::auth::parse_uuid(&id)?,
                    r.try_get("channel")?,
                    self.keys.open_str(
                        Field::OutboundMessageRecipient,
                        &id,
                        &r.try_get::<Vec<u8>, _>("recipient")?,
                    )?,
                    self.keys.open_str(
                        Field::OutboundMessageBody,
                        &id,
                        &r.try_get::<Vec<u8>, _>("body")?,
                    )?,
                ))
            })
            .collect()
    }
}

/// Queues a staff reply for the gateway when the report came through one.
pub(crate) async fn queue_reply(
    tx: &mut Tx,
    report: Uuid,
    row: &sqlx::any::AnyRow,
    body: &str,
    message: &str,
) -> Result<(), StoreError> {
    let channel: String = row.try_get("channel")?;
    let Some(gateway) = Channel::parse(&channel).and_then(Gateway::for_channel) else {
        return Ok(());
    };
    let sealed: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT sender FROM reports WHERE id = $1")
            .bind(report.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((Some(sealed),)) = sealed else {
        return Ok(());
    };
    let recipient = tx
        .keys
        .open_str(Field::ReportSender, &report.to_string(), &sealed)?;
    let id = Uuid::now_v7().to_string();
    let k = tx.keys.clone();
    sqlx::query(
        "INSERT INTO outbound_messages (id, report_id, channel, recipient, body, status, created_at, \
         message_id, gateway, attempts, next_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, 0, $6, $6)",
    )
    .bind(&id)
    .bind(report.to_string())
    .bind(&channel)
    .bind(k.seal_str(Field::OutboundMessageRecipient, &id, &recipient)?)
    .bind(k.seal_str(Field::OutboundMessageBody, &id, body)?)
    .bind(tx.now)
    .bind(message)
    .bind(gateway.as_str())
    .execute(&mut *tx.tx)
    .await?;
    super::outbound::record_event(tx, &id, DeliveryStatus::Queued.as_str(), None, "sender").await
}
