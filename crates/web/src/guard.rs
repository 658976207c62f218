//! Anti-abuse for the anonymous door, in memory only: sources are keyed by a hash of their
//! address under a key that lives in this process and dies with it, so no address is ever
//! stored, logged or recoverable. Limits: submissions per source and overall, and for receipts
//! a slow-down then a block per source after failures, plus a global failure budget against
//! guessing spread over many sources.

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
    /// Receipt failures after which a source is slowed down.
    pub slow_after: u32,
    /// Receipt failures after which a source is blocked for the rest of the window.
    pub block_after: u32,
    /// Receipt failures, all sources together, after which follow-up pauses.
    pub failures_global: u32,
    pub window: Duration,
}

impl Default for PublicLimits {
    fn default() -> Self {
        PublicLimits {
            submissions_per_source: 20,
            submissions_global: 20_000,
            slow_after: 3,
            block_after: 10,
            failures_global: 1_000,
            window: Duration::from_secs(15 * 60),
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

/// What to do with a receipt attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Go, after this pause.
    Slow(Duration),
    Block,
}

pub struct Guard {
    key: [u8; 32],
    limits: PublicLimits,
    submissions: Mutex<Counts>,
    failures: Mutex<Counts>,
}

impl Guard {
    /// Fails when the operating system has no randomness: a fixed key would let anyone
    /// who knows it map the counted sources back to addresses.
    pub fn new(limits: PublicLimits) -> Result<Guard, passage_store::StoreError> {
        Ok(Guard {
            key: passage_store::random::bytes()?,
            limits,
            submissions: Mutex::new(Counts::default()),
            failures: Mutex::new(Counts::default()),
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

    /// Whether a receipt attempt from this source may go ahead.
    pub fn receipt_attempt(&self, ip: IpAddr) -> Verdict {
        let src = self.source(ip);
        let Ok(mut c) = self.failures.lock() else {
            return Verdict::Block;
        };
        c.roll(self.limits.window);
        if c.global >= self.limits.failures_global {
            return Verdict::Block;
        }
        match c.per_source.get(&src).copied().unwrap_or(0) {
            n if n >= self.limits.block_after => Verdict::Block,
            n if n >= self.limits.slow_after => Verdict::Slow(Duration::from_millis(
                500 * u64::from(n - self.limits.slow_after + 1),
            )),
            _ => Verdict::Go,
        }
    }

    /// Records a failed receipt.
    pub fn receipt_failed(&self, ip: IpAddr) {
        let src = self.source(ip);
        if let Ok(mut c) = self.failures.lock() {
            c.roll(self.limits.window);
            *c.per_source.entry(src).or_insert(0) += 1;
            c.global += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_then_block_one_source_only() {
        let g = Guard::new(PublicLimits {
            slow_after: 2,
            block_after: 4,
            ..Default::default()
        })
        .expect("randomness");
        let (a, b): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        assert_eq!(g.receipt_attempt(a), Verdict::Go);
        for _ in 0..2 {
            g.receipt_failed(a);
        }
        assert!(matches!(g.receipt_attempt(a), Verdict::Slow(_)));
        for _ in 0..2 {
            g.receipt_failed(a);
        }
        assert_eq!(g.receipt_attempt(a), Verdict::Block);
        assert_eq!(g.receipt_attempt(b), Verdict::Go);
    }

    #[test]
    fn a_global_budget_stops_guessing_from_many_sources() {
        let g = Guard::new(PublicLimits {
            failures_global: 5,
            ..Default::default()
        })
        .expect("randomness");
        for i in 0..5u8 {
            g.receipt_failed([10, 0, 1, i].into());
        }
        assert_eq!(g.receipt_attempt([10, 9, 9, 9].into()), Verdict::Block);
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
