//! The store's one clock. Every date and time the store writes or compares against (a
//! transaction's time, today's date for deadlines, session expiry, login throttling) comes from
//! the clock the store was built with: the system clock in a running server, a fixed and
//! settable one in tests, so a test can stand on a given day or let a session expire without
//! waiting.

use passage_core::casework::calendar::Day;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch, from the system or from a fixed value.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system's UTC clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that stands at `ms` until set or advanced.
    pub fn fixed(ms: i64) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(ms))))
    }

    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            Some(at) => at.load(Ordering::SeqCst),
            None => system_ms(),
        }
    }

    /// Today (UTC) as the store counts days.
    pub fn today(&self) -> Day {
        Day::from_unix_ms(self.now_ms())
    }

    /// Moves a fixed clock on by `ms` (back when negative); the system clock cannot be moved.
    pub fn advance(&self, ms: i64) {
        if let Some(at) = &self.0 {
            at.fetch_add(ms, Ordering::SeqCst);
        }
    }
}

fn system_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_moved_and_clones_share_it() {
        let c = Clock::fixed(86_400_000 * 3);
        let shared = c.clone();
        assert_eq!(c.now_ms(), 86_400_000 * 3);
        assert_eq!(c.today().to_string(), "1970-01-04");
        shared.advance(86_400_000);
        assert_eq!(c.today().to_string(), "1970-01-05");
    }

    #[test]
    fn the_system_clock_is_now() {
        let c = Clock::system();
        let before = system_ms();
        let at = c.now_ms();
        assert!(at >= before && at - before < 60_000);
        c.advance(1_000_000_000);
        assert!(
            c.now_ms() - before < 60_000,
            "the system clock does not move"
        );
    }
}
