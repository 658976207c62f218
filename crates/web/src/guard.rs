//! Anti-abuse for the anonymous door, in memory only: sources are keyed by a hash of their
//! address under a key that lives in this process and dies with it, so no address is ever
//! stored, logged or recoverable. Limits: submissions per source and overall; for receipts, a
//! wait per source that grows with its recent failures (answered 429 with `Retry-After`), and a
//! global failure budget that, once spent, makes every lookup pay a pause instead of closing
//! the door on every reporter.
//!
//! A receipt attempt is counted before its (slow) hash, under the lock, and given back when the
//! receipt names a report: parallel guesses from one source cannot all pass the check before
//! any of them is counted.

use passage_core::throttle::Backoff;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits of the public door (configuration).
#[derive(Debug, Clone, Copy)]
pub struct PublicLimits {
    /// Submissions one source may make per window.
    pub submissions_per_source: u32,
    /// Submissions all sources together may make per window.
    pub submissions_global: u32,
    /// Receipt failures a source may make before it must wait between attempts.
    pub slow_after: u32,
    /// The first wait; it doubles with each further failure.
    pub wait_base: Duration,
    /// The longest wait.
    pub wait_max: Duration,
    /// Receipt failures, all sources together, after which every lookup pays `global_pause`.
    pub failures_global: u32,
    /// The pause every lookup pays while the global budget is spent.
    pub global_pause: Duration,
    /// Wrong passwords a source may give, over all accounts, before it must wait between
    /// sign-in attempts (the store slows guesses on each account besides).
    pub sign_in_slow_after: u32,
    /// Wrong passwords, all sources together, after which every sign-in pays `global_pause`.
    pub sign_in_failures_global: u32,
    /// Counting window; a source's failures are forgotten this long after its last attempt.
    pub window: Duration,
}

impl Default for PublicLimits {
    fn default() -> Self {
        PublicLimits {
            submissions_per_source: 20,
            submissions_global: 20_000,
            slow_after: 3,
            wait_base: Duration::from_secs(2),
            wait_max: Duration::from_secs(15 * 60),
            failures_global: 1_000,
            global_pause: Duration::from_secs(2),
            sign_in_slow_after: 10,
            sign_in_failures_global: 1_000,
            window: Duration::from_secs(15 * 60),
        }
    }
}

impl PublicLimits {
    fn backoff(&self, free: u32) -> Backoff {
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        Backoff {
            free: i64::from(free),
            base_ms: ms(self.wait_base),
            max_ms: ms(self.wait_max),
            forget_ms: ms(self.window),
        }
    }
}

#[derive(Default)]
struct Counts {
    started: Option<Instant>,
    per_source: HashMap<[u8; 16], u32>,
    global: u32,
}

impl Counts {
    fn roll(&mut self, window: Duration) {
        if self.started.is_none_or(|s| s.elapsed() >= window) {
            self.started = Some(Instant::now());
            self.per_source.clear();
            self.global = 0;
        }
    }
}

/// Attempts at a secret (receipts, passwords): per source, the failures (attempts counted and
/// not given back) and when the last was counted; all sources together, the failures of the
/// current window.
#[derive(Default)]
struct Attempts {
    per_source: HashMap<[u8; 16], (u32, Instant)>,
    global: Counts,
}

impl Attempts {
    /// Counts an attempt unless the source owes a wait.
    fn attempt(
        &mut self,
        src: [u8; 16],
        backoff: Backoff,
        failures_global: u32,
        pause: Duration,
        window: Duration,
    ) -> Verdict {
        let now = Instant::now();
        if self.per_source.len() > 100_000 {
            self.per_source
                .retain(|_, (_, last)| now.duration_since(*last) < window);
        }
        let (failures, last) = self.per_source.get(&src).copied().unwrap_or((0, now));
        let ago = i64::try_from(now.duration_since(last).as_millis()).unwrap_or(i64::MAX);
        let wait = backoff.remaining_ms(i64::from(failures), 0, ago);
        if wait > 0 {
            return Verdict::Wait(Duration::from_millis(wait.unsigned_abs()));
        }
        let counted = if backoff.recent(i64::from(failures), 0, ago) == 0 {
            1
        } else {
            failures + 1
        };
        self.per_source.insert(src, (counted, now));
        self.global.roll(window);
        self.global.global += 1;
        if self.global.global > failures_global {
            Verdict::Slow(pause)
        } else {
            Verdict::Go
        }
    }

    /// Gives an attempt back: it was no failure.
    fn give_back(&mut self, src: [u8; 16]) {
        if let Some((n, _)) = self.per_source.get_mut(&src) {
            *n = n.saturating_sub(1);
        }
        self.global.global = self.global.global.saturating_sub(1);
    }
}

/// What to do with a receipt attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Counted; go ahead.
    Go,
    /// Counted; go ahead after this pause (the global budget is spent).
    Slow(Duration),
    /// Not counted: this source owes a wait; answer 429 with this `Retry-After`.
    Wait(Duration),
}

pub struct Guard {
    key: [u8; 32],
    limits: PublicLimits,
    submissions: Mutex<Counts>,
    receipts: Mutex<Attempts>,
    sign_ins: Mutex<Attempts>,
}

impl Guard {
    /// Fails when the operating system has no randomness: a fixed key would let anyone
    /// who knows it map the counted sources back to addresses.
    pub fn new(limits: PublicLimits) -> Result<Guard, passage_store::StoreError> {
        Ok(Guard {
            key: passage_store::random::bytes()?,
            limits,
            submissions: Mutex::new(Counts::default()),
            receipts: Mutex::new(Attempts::default()),
            sign_ins: Mutex::new(Attempts::default()),
        })
    }

    fn source(&self, ip: IpAddr) -> [u8; 16] {
        let h = blake3::keyed_hash(&self.key, ip.to_string().as_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&h.as_bytes()[..16]);
        out
    }

    /// Counts a submission; false when the source or everyone is over the limit.
    pub fn submission(&self, ip: IpAddr) -> bool {
        let src = self.source(ip);
        let Ok(mut c) = self.submissions.lock() else {
            return false;
        };
        c.roll(self.limits.window);
        let mine = c.per_source.entry(src).or_insert(0);
        *mine += 1;
        let over_source = *mine > self.limits.submissions_per_source;
        c.global += 1;
        !(over_source || c.global > self.limits.submissions_global)
    }

    /// Counts a receipt attempt from this source before its hash, unless the source owes a
    /// wait. A found receipt gives the attempt back ([`Guard::receipt_found`]).
    pub fn receipt_attempt(&self, ip: IpAddr) -> Verdict {
        let src = self.source(ip);
        let l = &self.limits;
        match self.receipts.lock() {
            Ok(mut r) => r.attempt(
                src,
                l.backoff(l.slow_after),
                l.failures_global,
                l.global_pause,
                l.window,
            ),
            Err(_) => Verdict::Wait(l.wait_base),
        }
    }

    /// Gives back an attempt whose receipt named a report (or that failed for a reason of the
    /// server's): only failures are counted.
    pub fn receipt_found(&self, ip: IpAddr) {
        let src = self.source(ip);
        if let Ok(mut r) = self.receipts.lock() {
            r.give_back(src);
        }
    }

    /// Counts a sign-in attempt from this source, whatever the account, before its password
    /// is hashed, unless the source owes a wait: a source spraying guesses over many accounts
    /// is slowed, and a global budget makes every attempt pay a pause once it is spent. (The
    /// store slows guesses per account.)
    pub fn sign_in_attempt(&self, ip: IpAddr) -> Verdict {
        let src = self.source(ip);
        let l = &self.limits;
        match self.sign_ins.lock() {
            Ok(mut r) => r.attempt(
                src,
                l.backoff(l.sign_in_slow_after),
                l.sign_in_failures_global,
                l.global_pause,
                l.window,
            ),
            Err(_) => Verdict::Wait(l.wait_base),
        }
    }

    /// Gives back a sign-in attempt that was no wrong password.
    pub fn sign_in_ok(&self, ip: IpAddr) {
        let src = self.source(ip);
        if let Ok(mut r) = self.sign_ins.lock() {
            r.give_back(src);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_make_one_source_wait_longer_and_longer() {
        let g = Guard::new(PublicLimits {
            slow_after: 2,
            wait_base: Duration::from_millis(40),
            ..Default::default()
        })
        .expect("randomness");
        let (a, b): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        assert_eq!(g.receipt_attempt(a), Verdict::Go);
        assert_eq!(g.receipt_attempt(a), Verdict::Go);
        let Verdict::Wait(first) = g.receipt_attempt(a) else {
            panic!("a third guess at once must wait");
        };
        assert!(first <= Duration::from_millis(40));
        assert_eq!(
            g.receipt_attempt(b),
            Verdict::Go,
            "another source is not slowed"
        );
        std::thread::sleep(first);
        assert_eq!(
            g.receipt_attempt(a),
            Verdict::Go,
            "after the wait, one more guess"
        );
        let Verdict::Wait(second) = g.receipt_attempt(a) else {
            panic!("and then a longer wait");
        };
        assert!(second > first && second <= Duration::from_millis(80));
    }

    #[test]
    fn a_found_receipt_is_not_a_failure() {
        let g = Guard::new(PublicLimits {
            slow_after: 1,
            ..Default::default()
        })
        .expect("randomness");
        let a: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..5 {
            assert_eq!(g.receipt_attempt(a), Verdict::Go);
            g.receipt_found(a);
        }
    }

    #[test]
    fn a_spent_global_budget_costs_a_pause_and_never_closes_the_door() {
        let g = Guard::new(PublicLimits {
            failures_global: 5,
            global_pause: Duration::from_millis(7),
            ..Default::default()
        })
        .expect("randomness");
        for i in 0..5u8 {
            assert_eq!(g.receipt_attempt([10, 0, 1, i].into()), Verdict::Go);
        }
        for i in 0..50u8 {
            assert_eq!(
                g.receipt_attempt([10, 9, 9, i].into()),
                Verdict::Slow(Duration::from_millis(7)),
                "a clean source still gets its lookup, after a pause"
            );
        }
    }

    #[test]
    fn submissions_are_limited_per_source() {
        let g = Guard::new(PublicLimits {
            submissions_per_source: 2,
            ..Default::default()
        })
        .expect("randomness");
        let a: IpAddr = [10, 0, 0, 1].into();
        assert!(g.submission(a) && g.submission(a));
        assert!(!g.submission(a));
        assert!(g.submission([10, 0, 0, 2].into()));
    }
}
