//! Receipts: the only credential of an anonymous reporter. 16 digits from the operating
//! system's CSPRNG, stored only as an argon2id hash (m = 19 MiB, t = 2) under a secret
//! installation salt. Hashing costs tens of milliseconds, so a background thread keeps a pool
//! of fresh (receipt, hash) pairs: a surge of submissions takes them from the pool instead of
//! waiting for the hash. A receipt exists in plaintext only in memory, until it is handed out.

use crate::{Keys, StoreError};
use argon2::{Algorithm, Argon2, Params, Version};
use passage_core::intake::receipt_from_random;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// The slow keyed hash of a receipt, as hex.
pub fn receipt_hash(keys: &Keys, receipt: &str) -> Result<String, StoreError> {
    let params = Params::new(19 * 1024, 2, 1, Some(32))
        .map_err(|_| StoreError::Crypto("argon2 parameters"))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(receipt.as_bytes(), &keys.receipt_salt(), &mut out)
        .map_err(|_| StoreError::Crypto("receipt hashing failed"))?;
    Ok(crate::keys::hex(&out))
}

/// A new random receipt.
pub fn new_receipt() -> Result<String, StoreError> {
    loop {
        let bytes = crate::random::bytes::<8>()?;
        if let Some(r) = receipt_from_random(bytes) {
            return Ok(r);
        }
    }
}

/// Pre-computed (receipt, hash) pairs.
pub(crate) struct ReceiptPool {
    rx: Mutex<mpsc::Receiver<(String, String)>>,
    /// When a pair was last taken: refilling waits while submissions are arriving, so the
    /// hashing never competes with a surge for the processor.
    last_take: Arc<AtomicI64>,
}

/// Quiet time after the last submission before the pool refills.
const REFILL_AFTER_MS: i64 = 1_000;

impl ReceiptPool {
    /// Starts a background thread that keeps up to `size` pairs ready (none when `size` is 0).
    pub(crate) fn start(keys: Arc<Keys>, size: usize) -> ReceiptPool {
        let (tx, rx) = mpsc::channel(size.max(1));
        let last_take = Arc::new(AtomicI64::new(0));
        let workers = if size == 0 {
            0
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4)
        };
        for n in 0..workers {
            let (tx, keys, last) = (tx.clone(), keys.clone(), last_take.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("receipt-pool-{n}"))
                .spawn(move || {
                    loop {
                        while crate::now_ms() - last.load(Ordering::Relaxed) < REFILL_AFTER_MS {
                            std::thread::sleep(std::time::Duration::from_millis(100));
                        }
                        let pair =
                            new_receipt().and_then(|r| receipt_hash(&keys, &r).map(|h| (r, h)));
                        match pair {
                            // Stops when the store is gone (the receiver is dropped).
                            Ok(pair) => {
                                if tx.blocking_send(pair).is_err() {
                                    break;
                                }
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "receipt pool stopped");
                                break;
                            }
                        }
                    }
                });
            if spawned.is_err() {
                tracing::error!("could not start the receipt pool; receipts will be hashed inline");
            }
        }
        ReceiptPool {
            rx: Mutex::new(rx),
            last_take,
        }
    }

    /// A ready pair, or one made now (off the async runtime) when the pool is empty.
    pub(crate) async fn take(
        &self,
        keys: &Arc<Keys>,
        gate: &crate::hashing::HashGate,
    ) -> Result<(String, String), StoreError> {
        self.last_take.store(crate::now_ms(), Ordering::Relaxed);
        let ready = self.rx.lock().ok().and_then(|mut rx| rx.try_recv().ok());
        match ready {
            Some(pair) => Ok(pair),
            None => {
                let keys = keys.clone();
                gate.run_patiently(move || {
                    let r = new_receipt()?;
                    let h = receipt_hash(&keys, &r)?;
                    Ok((r, h))
                })
                .await?
            }
        }
    }

    /// How many pairs are ready (for the benchmark and health).
    pub(crate) fn ready(&self) -> usize {
        self.rx.lock().map(|rx| rx.len()).unwrap_or(0)
    }
}
