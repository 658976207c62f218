//! The answer reminder sweep: every minute, the referrals still unanswered after their
//! service's answer time get their one `referral_overdue` notice (inbox rows, webhook notices,
//! the mark that it was sent), each in its own transaction (`Store::remind_overdue_referrals`).
//! Several servers on one database may sweep at once: the mark is set conditionally, so a
//! referral is reminded once.

use passage_store::Store;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60);

/// Starts the sweep.
pub fn start(store: &Store) {
    tokio::spawn(run(store.clone()));
}

async fn run(store: Store) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.remind_overdue_referrals().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(referrals = n, "overdue referrals reminded"),
            Err(e) => tracing::warn!(error = %e.log_detail(), "reminding overdue referrals failed"),
        }
    }
}
