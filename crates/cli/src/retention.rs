//! The retention purge: every hour, public reports whose retention period has ended (the
//! deployment's `report_retention_days`) are erased with their messages, files and receipts
//! (`Store::purge_expired_reports`), each erasure audited with counts. A report whose
//! handling is not finished is kept until it is closed, linked or becomes a case. Several servers on one database may purge at once: a
//! report is erased by one of them. The same round deletes finished staff replies and webhook
//! notices older than `delivery_retention_days` (`Store::purge_delivery_records`), audited
//! with counts.

use passage_store::Store;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60 * 60);

/// Starts the purge (the first round runs at once).
pub fn start(store: &Store, delivery_days: u32) {
    tokio::spawn(run(store.clone(), delivery_days));
}

async fn run(store: Store, delivery_days: u32) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.purge_expired_reports().await {
            Ok(p) if p.reports == 0 => {}
            Ok(p) => tracing::info!(
                reports = p.reports,
                messages = p.messages,
                attachments = p.attachments,
                kept_open = p.kept_open,
                "expired public reports erased"
            ),
            Err(e) => tracing::warn!(error = %e.log_detail(), "erasing expired reports failed"),
        }
        match store.purge_delivery_records(delivery_days).await {
            Ok(p) if p.replies + p.webhooks == 0 => {}
            Ok(p) => tracing::info!(
                replies = p.replies,
                webhooks = p.webhooks,
                "finished delivery records deleted"
            ),
            Err(e) => {
                tracing::warn!(error = %e.log_detail(), "deleting finished delivery records failed")
            }
        }
    }
}
