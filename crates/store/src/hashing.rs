//! One gate for every argon2 hash a request can cause (sign-in, receipt lookups). Each hash
//! holds 19 MiB (kept for reuse: see [`crate::argon`]) for tens of milliseconds; without a
//! bound, a burst of parallel requests would take memory without limit. The gate lets a fixed
//! number run at once (by default one per core) and makes the rest wait a bounded time, after
//! which they are refused with [`StoreError::Busy`].

use crate::StoreError;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How many hashes may run at once and how long a request waits for a slot (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashLimits {
    pub concurrent: usize,
    pub wait: Duration,
}

impl Default for HashLimits {
    fn default() -> Self {
        HashLimits {
            concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            wait: Duration::from_secs(5),
        }
    }
}

#[derive(Default)]
struct Counts {
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    started: AtomicU64,
}

/// The gate (shared by every clone of a store).
pub(crate) struct HashGate {
    slots: Arc<Semaphore>,
    wait: Duration,
    counts: Arc<Counts>,
}

impl std::fmt::Debug for HashGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashGate(..)")
    }
}

/// What the gate has seen, for tests and health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashStats {
    /// Hashes running now.
    pub in_flight: usize,
    /// The most that ever ran at once.
    pub peak: usize,
    /// Hashes started since the store opened.
    pub started: u64,
}

impl HashGate {
    pub(crate) fn new(limits: HashLimits) -> HashGate {
        HashGate {
            slots: Arc::new(Semaphore::new(limits.concurrent.max(1))),
            wait: limits.wait,
            counts: Arc::default(),
        }
    }

    /// Runs `hash` off the async runtime once a slot is free; `Busy` when none frees up within
    /// the wait.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let permit = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Busy)?
            .map_err(|_| StoreError::Busy)?;
        self.hash_with(permit, hash).await
    }

    async fn hash_with<T: Send + 'static>(
        &self,
        permit: tokio::sync::OwnedSemaphorePermit,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let counts = self.counts.clone();
        tokio::task::spawn_blocking(move || {
            let now = counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            counts.peak.fetch_max(now, Ordering::SeqCst);
            counts.started.fetch_add(1, Ordering::SeqCst);
            let out = hash();
            counts.in_flight.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await
        .map_err(|_| StoreError::Crypto("hashing task failed"))
    }

    pub(crate) fn stats(&self) -> HashStats {
        HashStats {
            in_flight: self.counts.in_flight.load(Ordering::SeqCst),
            peak: self.counts.peak.load(Ordering::SeqCst),
            started: self.counts.started.load(Ordering::SeqCst),
        }
    }
}
