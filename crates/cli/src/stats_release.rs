//! The statistics release job: every ten minutes the server makes sure today's release is cut
//! (`Store::prepare_stats_release`: the facts refreshed and grouped once per UTC day), so that
//! shortly after midnight the figures are ready before anyone asks. A question that comes first
//! still cuts the day itself; several servers on one database cut it once (the cut is taken
//! under the audit chain's head and skipped when found done).

use passage_store::Store;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(600);

/// Starts the job.
pub fn start(store: &Store) {
    tokio::spawn(run(store.clone()));
}

async fn run(store: Store) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last = String::new();
    loop {
        tick.tick().await;
        match store.prepare_stats_release().await {
            Ok(day) if day != last => {
                tracing::info!(release = %day, "statistics release ready");
                last = day;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e.log_detail(), "cutting the statistics release failed")
            }
        }
    }
}
