//! Receipts: the only credential of an anonymous reporter. 16 digits from the operating
//! system's CSPRNG, never stored in plaintext. A receipt is stored in two steps (the
//! reasoning is in SECURITY.md, "Receipts"):
//!
//! - at submission, `p:` and a keyed hash (BLAKE3 keyed by a key derived from the
//!   installation's master key, which the database and its backups never hold) — a few
//!   microseconds, so a burst of submissions never waits for a slow hash and nothing has to
//!   be computed ahead of demand;
//! - within seconds, the hardener replaces it with `h:` and argon2id (m = 19 MiB, t = 2) of
//!   that keyed hash under the installation salt, so at rest a receipt costs an attacker both
//!   the key file and an argon2id per guess, as before.
//!
//! Receipts stored before this scheme (a bare argon2id of the receipt) still open.

use crate::{Keys, Store, StoreError};
use passage_core::intake::receipt_from_random;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU8, AtomicUsize, Ordering};

/// The prefix of a receipt hash waiting to be hardened.
pub(crate) const PENDING: &str = "p:";
/// The prefix of a hardened receipt hash.
const HARDENED: &str = "h:";

/// The keyed hash of a receipt, as stored until the hardener has run (fast).
pub fn pending_hash(keys: &Keys, receipt: &str) -> String {
    format!("{PENDING}{}", crate::keys::hex(&tag(keys, receipt)))
}

fn tag(keys: &Keys, receipt: &str) -> [u8; 32] {
    *blake3::keyed_hash(&keys.derive("receipt key"), receipt.as_bytes()).as_bytes()
}

/// The hardened form of a keyed hash: argon2id of it under the installation salt (slow).
fn harden(keys: &Keys, tag: &[u8]) -> Result<String, StoreError> {
    let mut out = [0u8; 32];
    crate::argon::raw(tag, &keys.receipt_salt(), &mut out)?;
    Ok(format!("{HARDENED}{}", crate::keys::hex(&out)))
}

/// The hardened hash of a receipt, as the hardener stores it (slow).
pub fn hardened_hash(keys: &Keys, receipt: &str) -> Result<String, StoreError> {
    harden(keys, &tag(keys, receipt))
}

/// The hash of a receipt stored before receipts were hardened in the background (slow): still
/// opened, so receipts handed out by an older version keep working.
pub fn legacy_hash(keys: &Keys, receipt: &str) -> Result<String, StoreError> {
    let mut out = [0u8; 32];
    crate::argon::raw(receipt.as_bytes(), &keys.receipt_salt(), &mut out)?;
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

/// The hardener's state, shared by every clone of a store.
#[derive(Debug, Default)]
pub(crate) struct Hardening {
    /// Receipts found waiting at the hardener's last look.
    waiting: AtomicUsize,
    /// When a submission last arrived: hardening waits a moment while a burst is arriving.
    last_submission: AtomicI64,
    /// Whether receipts of the older form may exist: 0 unknown, 1 yes, 2 no.
    legacy: AtomicU8,
    wake: tokio::sync::Notify,
}

/// How long the hardener lets a burst pass before it hardens anyway.
const MAX_DEFERRAL_MS: i64 = 10_000;
/// Quiet time after a submission before hardening resumes.
const QUIET_MS: i64 = 500;
/// How often the hardener looks when nothing woke it (another server's submissions).
const POLL: std::time::Duration = std::time::Duration::from_secs(5);

impl Hardening {
    pub(crate) fn submitted(&self) {
        self.last_submission
            .store(crate::now_ms(), Ordering::Relaxed);
        self.wake.notify_one();
    }
}

impl Store {
    /// Receipts stored under their fast keyed hash and not yet hardened, at the hardener's
    /// last look (for health and the benchmark).
    pub fn receipts_waiting(&self) -> usize {
        self.hardening.waiting.load(Ordering::Relaxed)
    }

    /// Hardens every receipt waiting now; answers how many it hardened. The background
    /// hardener calls it; tests and the operator's tools may too.
    pub async fn harden_receipts(&self) -> Result<usize, StoreError> {
        let mut done = 0;
        loop {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT id, receipt_hash FROM reports WHERE receipt_hash LIKE 'p:%' ORDER BY received_at LIMIT 64",
            )
            .fetch_all(&self.pool)
            .await?;
            self.hardening.waiting.store(rows.len(), Ordering::Relaxed);
            if rows.is_empty() {
                return Ok(done);
            }
            for (id, pending) in rows {
                let Some(tag) = crate::keys::unhex(&pending[PENDING.len()..]) else {
                    return Err(StoreError::Corrupt("receipt hash"));
                };
                let keys = self.keys.clone();
                let hardened = tokio::task::spawn_blocking(move || harden(&keys, &tag))
                    .await
                    .map_err(|_| StoreError::Crypto("hashing task failed"))??;
                // Only if unchanged: another server may have hardened it, or the purge erased it.
                sqlx::query(
                    "UPDATE reports SET receipt_hash = $1 WHERE id = $2 AND receipt_hash = $3",
                )
                .bind(hardened)
                .bind(&id)
                .bind(&pending)
                .execute(&self.pool)
                .await?;
                done += 1;
            }
        }
    }

    /// The hardener: runs for as long as the store, hardening receipts shortly after they
    /// arrive (a burst first passes, for at most ten seconds), and those another server or a
    /// crash left waiting.
    pub(crate) fn start_hardener(&self) {
        // Its own handle has no intake, so the hardener does not keep the writer alive.
        let mut store = self.clone();
        store.intake = Arc::new(std::sync::OnceLock::new());
        tokio::spawn(async move {
            let h = store.hardening.clone();
            loop {
                let deferred_since = crate::now_ms();
                while crate::now_ms() - h.last_submission.load(Ordering::Relaxed) < QUIET_MS
                    && crate::now_ms() - deferred_since < MAX_DEFERRAL_MS
                {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                if let Err(e) = store.harden_receipts().await {
                    tracing::warn!(error = %e, "receipt hardening failed; retrying");
                }
                let _ = tokio::time::timeout(POLL, h.wake.notified()).await;
            }
        });
    }

    /// The report behind a receipt: its keyed hash first (a receipt not hardened yet), then
    /// the hardened form, then the older form while any may exist. The slow steps run through
    /// the hash gate.
    pub(crate) async fn report_by_receipt(
        &self,
        receipt: &str,
    ) -> Result<Option<(String, String, i64)>, StoreError> {
        let find = |hash: String| async move {
            sqlx::query_as("SELECT id, status, received_at FROM reports WHERE receipt_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await
        };
        if let Some(found) = find(pending_hash(&self.keys, receipt)).await? {
            return Ok(Some(found));
        }
        let (keys, r) = (self.keys.clone(), receipt.to_string());
        let hardened = self.hashing.run(move || hardened_hash(&keys, &r)).await??;
        if let Some(found) = find(hardened).await? {
            return Ok(Some(found));
        }
        if !self.legacy_receipts_may_exist().await? {
            return Ok(None);
        }
        let (keys, r) = (self.keys.clone(), receipt.to_string());
        let legacy = self.hashing.run(move || legacy_hash(&keys, &r)).await??;
        Ok(find(legacy).await?)
    }

    /// Whether receipts of the older form are still stored (checked once; the purge removes
    /// them as their reports expire, and no new one is ever made).
    async fn legacy_receipts_may_exist(&self) -> Result<bool, StoreError> {
        match self.hardening.legacy.load(Ordering::Relaxed) {
            2 => return Ok(false),
            1 => return Ok(true),
            _ => {}
        }
        let any: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM reports WHERE receipt_hash IS NOT NULL \
             AND receipt_hash NOT LIKE 'p:%' AND receipt_hash NOT LIKE 'h:%' LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let state = if any.is_some() { 1 } else { 2 };
        self.hardening.legacy.store(state, Ordering::Relaxed);
        Ok(any.is_some())
    }
}

/// Shared hardener state for a new store.
pub(crate) fn hardening() -> Arc<Hardening> {
    Arc::new(Hardening::default())
}
