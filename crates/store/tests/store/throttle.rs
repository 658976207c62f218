//! Sign-in throttling slows the guesser and never the owner, and every argon2 hash a request
//! can cause passes one bounded gate. The store's clock stands still until a test moves it.

use crate::common::*;
use passage_store::hashing::HashLimits;
use passage_store::{Clock, LoginError, SessionKind, Store, StoreError};
use std::time::Duration;

const WRONG: &str = "not the password at all";

fn fixed(s: Store) -> (Store, Clock) {
    let clock = Clock::fixed(passage_store::now_ms());
    (s.with_clock(clock.clone()), clock)
}

async fn attempt(s: &Store, password: &str, source: &str) -> Result<(), LoginError> {
    s.login_from("worker@s.test", password, None, SessionKind::Api, source)
        .await
        .map(|_| ())
}

fn wait_of(r: Result<(), LoginError>) -> Option<u64> {
    match r {
        Err(LoginError::TooManyAttempts { retry_after_secs }) => Some(retry_after_secs),
        _ => None,
    }
}

/// The attack that used to work: once the account was locked, one wrong guess an hour kept it
/// locked for its owner. Now the guesser owes the waits, and the owner, at a source that has
/// not failed, signs in every time.
async fn hourly_guesses_do_not_keep_the_owner_out(s: Store) {
    world(&s).await;
    let (s, clock) = fixed(s);
    for _ in 0..5 {
        assert!(matches!(
            attempt(&s, WRONG, "attacker").await,
            Err(LoginError::Invalid)
        ));
    }
    for hour in 0..6 {
        let _ = attempt(&s, WRONG, "attacker").await;
        attempt(&s, PW, "owner")
            .await
            .unwrap_or_else(|e| panic!("hour {hour}: the owner is kept out: {e}"));
        clock.advance(3_600_000);
    }
}
#[tokio::test]
async fn an_hourly_guess_does_not_keep_the_owner_out() {
    on_every_backend!(hourly_guesses_do_not_keep_the_owner_out);
}

async fn right_password_during_a_wait(s: Store) {
    world(&s).await;
    let (s, clock) = fixed(s);
    for _ in 0..5 {
        let _ = attempt(&s, WRONG, "here").await;
    }
    clock.advance(30_000);
    assert_eq!(
        wait_of(attempt(&s, PW, "here").await),
        Some(30),
        "the owner at a source that failed waits out the minute"
    );
    clock.advance(15_000);
    assert_eq!(
        wait_of(attempt(&s, PW, "here").await),
        Some(15),
        "the right password during the wait did not lengthen it"
    );
    clock.advance(15_000);
    attempt(&s, PW, "here")
        .await
        .expect("once the wait is over, the right password signs in");
    attempt(&s, WRONG, "here")
        .await
        .expect_err("a wrong one is still wrong");
    attempt(&s, PW, "here")
        .await
        .expect("and a success wiped this source's failures");
}
#[tokio::test]
async fn a_right_password_during_a_wait_does_not_lengthen_it() {
    on_every_backend!(right_password_during_a_wait);
}

async fn one_source_is_slowed_progressively(s: Store) {
    world(&s).await;
    let (s, clock) = fixed(s);
    for _ in 0..5 {
        assert!(matches!(
            attempt(&s, WRONG, "guesser").await,
            Err(LoginError::Invalid)
        ));
    }
    let mut waits = Vec::new();
    for _ in 0..4 {
        let Some(wait) = wait_of(attempt(&s, WRONG, "guesser").await) else {
            panic!("a guess inside the wait is refused");
        };
        waits.push(wait);
        clock.advance(i64::try_from(wait).expect("seconds") * 1000);
        assert!(matches!(
            attempt(&s, WRONG, "guesser").await,
            Err(LoginError::Invalid)
        ));
    }
    assert_eq!(waits, vec![60, 120, 240, 480]);
}
#[tokio::test]
async fn a_single_source_guessing_is_slowed_progressively() {
    on_every_backend!(one_source_is_slowed_progressively);
}

/// A guesser spread over many sources: each source's second guess owes the account's wait;
/// the owner at a clean source still signs in.
async fn spread_guesser(s: Store) {
    world(&s).await;
    let (s, _clock) = fixed(s);
    for i in 0..5 {
        assert!(matches!(
            attempt(&s, WRONG, &format!("bot-{i}")).await,
            Err(LoginError::Invalid)
        ));
    }
    for i in 0..5 {
        assert!(
            wait_of(attempt(&s, WRONG, &format!("bot-{i}")).await).is_some(),
            "bot {i} owes the account's wait"
        );
    }
    attempt(&s, PW, "owner")
        .await
        .expect("a clean source is not slowed by others' failures");
}
#[tokio::test]
async fn a_guesser_spread_over_sources_is_slowed_but_the_owner_is_not() {
    on_every_backend!(spread_guesser);
}

/// Parallel guesses from one source are counted before any of them is hashed: at most the
/// free ones get a hash.
async fn parallel_guesses(s: Store) {
    world(&s).await;
    let (s, _clock) = fixed(s);
    let before = s.hash_stats().started;
    let tries: Vec<_> = (0..20)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { attempt(&s, WRONG, "burst").await })
        })
        .collect();
    let mut checked = 0;
    for t in tries {
        match t.await.expect("task") {
            Err(LoginError::Invalid) => checked += 1,
            Err(LoginError::TooManyAttempts { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(checked <= 5, "{checked} parallel guesses were checked");
    assert!(s.hash_stats().started - before <= 5);
}
#[tokio::test]
async fn parallel_sign_in_guesses_from_one_source_get_at_most_the_budget() {
    on_every_backend!(parallel_guesses);
}

/// Every hash passes the gate: however many lookups arrive together, no more than its slots
/// run at once, and a lookup that finds no slot within the wait is refused as busy.
#[tokio::test]
async fn the_hash_gate_bounds_concurrent_hashing() {
    let (s, _dir) = sqlite().await;
    let s = s.with_hash_limits(HashLimits {
        concurrent: 2,
        wait: Duration::from_secs(60),
    });
    let lookups: Vec<_> = (0..12)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.follow_up(&format!("{i:016}")).await })
        })
        .collect();
    for l in lookups {
        assert!(matches!(l.await.expect("task"), Err(StoreError::NotFound)));
    }
    let stats = s.hash_stats();
    assert_eq!(stats.started, 12);
    assert!(stats.peak <= 2, "{} hashes ran at once", stats.peak);
    assert_eq!(stats.in_flight, 0);

    let s = s.with_hash_limits(HashLimits {
        concurrent: 1,
        wait: Duration::from_millis(1),
    });
    let lookups: Vec<_> = (0..8)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.follow_up(&format!("{i:016}")).await })
        })
        .collect();
    let mut busy = 0;
    for l in lookups {
        match l.await.expect("task") {
            Err(StoreError::Busy) => busy += 1,
            Err(StoreError::NotFound) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        busy > 0,
        "a full gate answers busy rather than queueing without bound"
    );
    assert!(s.hash_stats().peak <= 1);
}
