//! Slowing guessers without locking out owners: the rule for how long a source must wait
//! before its next attempt, as a pure function of its recent failures.
//!
//! A wait is owed by whoever failed, never by someone who did not: a password or a receipt that
//! is right is never refused because *another* source guessed wrong. Sign-in adds a per-account
//! wait that applies only to sources that have themselves failed on that account, so a
//! guesser spread over many sources is slowed once each of them has failed, while the owner at
//! a clean source signs in.

/// How waits grow with failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures allowed before any wait.
    pub free: i64,
    /// The wait after the first failure beyond `free`, in milliseconds; it doubles with every
    /// further failure.
    pub base_ms: i64,
    /// The longest wait, in milliseconds.
    pub max_ms: i64,
    /// Failures older than this (since the last one) are forgotten, in milliseconds.
    pub forget_ms: i64,
}

impl Backoff {
    /// The wait owed after `failures` failures: none up to `free - 1`, then `base`, `2·base`,
    /// `4·base` … never more than `max`.
    pub fn wait_ms(&self, failures: i64) -> i64 {
        let over = failures - self.free.max(0);
        if over < 0 {
            return 0;
        }
        let doubled = self.base_ms.max(0).saturating_mul(1i64 << over.min(40));
        doubled.min(self.max_ms.max(0))
    }

    /// The failures still counted at `now`, the last of them at `last_ms`.
    pub fn recent(&self, failures: i64, last_ms: i64, now_ms: i64) -> i64 {
        if now_ms.saturating_sub(last_ms) >= self.forget_ms {
            0
        } else {
            failures.max(0)
        }
    }

    /// Milliseconds still to wait at `now` (0: go ahead).
    pub fn remaining_ms(&self, failures: i64, last_ms: i64, now_ms: i64) -> i64 {
        let n = self.recent(failures, last_ms, now_ms);
        (last_ms.saturating_add(self.wait_ms(n)) - now_ms).max(0)
    }
}

/// Failures recorded against one key: how many, and when the last one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: i64,
    pub last_ms: i64,
}

/// The wait owed by a sign-in attempt from one source on one account: the source's own wait on
/// that account, and the account's wait if (and only if) this source has failed on it.
pub fn login_wait(b: &Backoff, pair: Failures, account: Failures, now_ms: i64) -> i64 {
    let own = b.remaining_ms(pair.count, pair.last_ms, now_ms);
    let failed_here = b.recent(pair.count, pair.last_ms, now_ms) > 0;
    let shared = if failed_here {
        b.remaining_ms(account.count, account.last_ms, now_ms)
    } else {
        0
    };
    own.max(shared)
}

/// Whole seconds to tell a client to wait (`Retry-After`), at least one.
pub fn retry_after_secs(wait_ms: i64) -> u64 {
    u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff {
        free: 3,
        base_ms: 1_000,
        max_ms: 60_000,
        forget_ms: 3_600_000,
    };

    #[test]
    fn waits_start_after_the_free_failures_and_grow_to_the_cap() {
        for n in 0..3 {
            assert_eq!(B.wait_ms(n), 0, "{n} failures are free");
        }
        assert_eq!(B.wait_ms(3), 1_000);
        assert_eq!(B.wait_ms(4), 2_000);
        assert_eq!(B.wait_ms(5), 4_000);
        assert_eq!(B.wait_ms(1_000_000), 60_000);
        for n in 0..200 {
            assert!(
                B.wait_ms(n) <= B.wait_ms(n + 1),
                "never shrinks with failures"
            );
            assert!(B.wait_ms(n) <= B.max_ms);
        }
    }

    #[test]
    fn old_failures_are_forgotten() {
        assert_eq!(B.recent(9, 0, B.forget_ms - 1), 9);
        assert_eq!(B.recent(9, 0, B.forget_ms), 0);
        assert_eq!(B.remaining_ms(9, 0, B.forget_ms), 0);
    }

    /// Every combination of failures, at this source and on the account, and every moment:
    /// a source that never failed here owes nothing, whatever the account's failures; one that
    /// did owes at least its own wait and at least the account's, and the wait only runs down.
    #[test]
    fn login_wait_over_every_combination() {
        let now = 10_000_000;
        for pair_n in 0..8 {
            for acct_n in 0..12 {
                for ago in [0, 500, 1_000, 5_000, 60_000, 3_600_000] {
                    let pair = Failures {
                        count: pair_n,
                        last_ms: now - ago,
                    };
                    let account = Failures {
                        count: acct_n,
                        last_ms: now - ago / 2,
                    };
                    let w = login_wait(&B, pair, account, now);
                    let own = B.remaining_ms(pair_n, now - ago, now);
                    let shared = B.remaining_ms(acct_n, now - ago / 2, now);
                    if B.recent(pair_n, now - ago, now) == 0 {
                        assert_eq!(
                            w, 0,
                            "a clean source owes nothing ({acct_n} on the account)"
                        );
                    } else {
                        assert_eq!(w, own.max(shared));
                    }
                    assert!(login_wait(&B, pair, account, now + 1) <= w);
                }
            }
        }
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(1), 1);
        assert_eq!(retry_after_secs(1_000), 1);
        assert_eq!(retry_after_secs(1_001), 2);
        assert_eq!(retry_after_secs(0), 1);
    }
}
