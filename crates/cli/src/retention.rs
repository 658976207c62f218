//! The retention purge: every hour, public reports whose retention period has ended (the
//! deployment's `report_retention_days`) are erased with their messages, files and receipts
//! (`Store::purge_expired_reports`), each erasure audited with counts. A report whose
//! handling is not finished is kept until it is closed, linked or becomes a case. In the same
//! round, closed cases past `case_retention_years` are erased with their person, notes,
//! attachments and blind indexes, and closed cases past `closed_case_attachment_days` lose
//! their attachments (`Store::purge_expired_cases`; a case under legal hold is kept), and
//! finished staff replies and webhook notices older than `delivery_retention_days` are deleted
//! (`Store::purge_delivery_records`), audited with counts. Several servers on one database may
//! purge at once: a report or case is erased by one of them.

use passage_core::casework::retention::CaseRetention;
use passage_store::Store;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60 * 60);

/// Starts the purge (the first round runs at once).
pub fn start(store: &Store, cases: CaseRetention, delivery_days: u32) {
    tokio::spawn(run(store.clone(), cases, delivery_days));
}

async fn run(store: Store, cases: CaseRetention, delivery_days: u32) {
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
        match store.purge_expired_cases(cases).await {
            Ok(p) if p.cases == 0 && p.attachments == 0 && p.failed == 0 => {}
            Ok(p) if p.failed > 0 => tracing::warn!(
                cases = p.cases,
                persons = p.persons,
                attachments = p.attachments,
                failed = p.failed,
                "some expired closed cases could not be erased and were kept whole"
            ),
            Ok(p) => tracing::info!(
                cases = p.cases,
                persons = p.persons,
                notes = p.notes,
                attachments = p.attachments,
                held = p.held,
                "expired closed cases erased"
            ),
            Err(e) => tracing::warn!(error = %e.log_detail(), "erasing expired cases failed"),
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
