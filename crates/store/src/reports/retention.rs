//! Retention of public reports: a deployment keeps a report sent through the public door (and
//! the receipt that opens it) for a number of days it sets; the reporter is told the day at
//! submission. Then the purge erases the report: its sealed content, categories, messages,
//! files, alerts and the receipt, so a receipt check afterwards is answered as for a receipt
//! that never existed.
//!
//! A report whose handling is not finished (status `new` or `acknowledged`) is never erased:
//! nobody loses a report unread or in the middle of a conversation, and the reporter was told
//! "or when we have finished handling it, if later". It is erased at the first purge after it
//! is closed, linked or becomes a case. A case opened from the report keeps what it copied (its
//! summary, origin, screening), an incident recorded from it keeps its own account; the report
//! itself goes. Each erasure is audited with the report's id and counts, never content.

use crate::db::Tx;
use crate::{Store, StoreError};
use passage_core::intake::retention_cutoff;
use serde::Serialize;

/// What one purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Reports erased.
    pub reports: u64,
    /// Messages erased with them.
    pub messages: u64,
    /// Files erased with them.
    pub attachments: u64,
    /// Expired reports kept because their handling is not finished (new or acknowledged).
    pub kept_open: u64,
}

/// Reports erased per round of the purge.
const ROUND: i64 = 200;

async fn delete(tx: &mut Tx, sql: &'static str, id: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query(sql)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected())
}

/// Erases one expired, handled report and what hangs from it; `None` when it is gone already
/// or was not handled after all.
async fn erase(tx: &mut Tx, id: &str) -> Result<Option<(u64, u64)>, StoreError> {
    let messages = delete(tx, "DELETE FROM report_messages WHERE report_id = $1", id).await?;
    let files = delete(
        tx,
        "DELETE FROM report_attachments WHERE report_id = $1",
        id,
    )
    .await?;
    for sql in [
        "DELETE FROM report_categories WHERE report_id = $1",
        "DELETE FROM inbound_messages WHERE report_id = $1",
        "DELETE FROM outbound_message_events WHERE outbound_id IN (SELECT id FROM outbound_messages WHERE report_id = $1)",
        "DELETE FROM outbound_messages WHERE report_id = $1",
        "DELETE FROM alerts WHERE report_id = $1",
        "DELETE FROM report_handovers WHERE report_id = $1",
        "DELETE FROM entity_links WHERE record = 'report' AND record_id = $1",
        // An incident recorded from the report keeps its own account, not the link.
        "UPDATE incidents SET report_id = NULL WHERE report_id = $1",
        // A screening that joined a case stays with the case.
        "UPDATE screenings SET report_id = NULL WHERE report_id = $1 AND case_id IS NOT NULL",
        "DELETE FROM screenings WHERE report_id = $1",
    ] {
        delete(tx, sql, id).await?;
    }
    let gone = delete(
        tx,
        "DELETE FROM reports WHERE id = $1 AND status IN ('case_opened', 'linked', 'closed') \
         AND receipt_hash IS NOT NULL",
        id,
    )
    .await?;
    Ok((gone == 1).then_some((messages, files)))
}

impl Store {
    /// Erases the public reports whose retention period ended (by the store's clock), each
    /// in its own transaction with its audit event (`report.erase`, outcome with the counts).
    /// Run by the server's periodic job; several servers may run it at once.
    pub async fn purge_expired_reports(&self) -> Result<Purged, StoreError> {
        let cutoff = retention_cutoff(self.clock.today(), self.intake_options.retention_days);
        let mut purged = Purged::default();
        let mut skipped: Vec<String> = Vec::new();
        loop {
            let limit = ROUND + skipped.len() as i64;
            let ids: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM reports WHERE receipt_hash IS NOT NULL AND received_at < $1 \
                 AND status IN ('case_opened', 'linked', 'closed') ORDER BY received_at, id LIMIT {limit}"
            )))
            .bind(cutoff)
            .fetch_all(&self.pool)
            .await?;
            let ids: Vec<String> = ids
                .into_iter()
                .map(|(id,)| id)
                .filter(|id| !skipped.contains(id))
                .collect();
            if ids.is_empty() {
                break;
            }
            for id in ids {
                let mut tx = self.begin().await?;
                match erase(&mut tx, &id).await? {
                    Some((messages, files)) => {
                        let outcome = format!("erased messages={messages} attachments={files}");
                        tx.audit(crate::audit::Event {
                            actor_user: None,
                            actor_org: None,
                            action: "report.erase",
                            object_type: "report",
                            object_id: Some(id),
                            outcome: &outcome,
                            purpose: Some("retention"),
                        })
                        .await?;
                        tx.commit().await?;
                        purged.reports += 1;
                        purged.messages += messages;
                        purged.attachments += files;
                    }
                    // Another server erased it, or it changed under us: leave it.
                    None => skipped.push(id),
                }
            }
        }
        let (open,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM reports WHERE receipt_hash IS NOT NULL AND received_at < $1 \
             AND status IN ('new', 'acknowledged')",
        )
        .bind(cutoff)
        .fetch_one(&self.pool)
        .await?;
        purged.kept_open = u64::try_from(open).unwrap_or(0);
        if purged.reports > 0 || purged.kept_open > 0 {
            let outcome = format!(
                "erased reports={} messages={} attachments={} kept_open={}",
                purged.reports, purged.messages, purged.attachments, purged.kept_open
            );
            let mut tx = self.begin().await?;
            tx.audit(crate::audit::Event {
                actor_user: None,
                actor_org: None,
                action: "report.purge",
                object_type: "retention",
                object_id: None,
                outcome: &outcome,
                purpose: Some("retention"),
            })
            .await?;
            tx.commit().await?;
        }
        Ok(purged)
    }
}
