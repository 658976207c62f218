//! The tamper-evident audit log. Each event's hash is a MAC (keyed BLAKE3, key derived from the
//! master key) over its sequence number, content and the previous event's hash. Editing,
//! deleting or reordering any event breaks the chain from there on, and the head row (last
//! sequence and hash, written in the same transaction) exposes a truncated tail. Events hold
//! identifiers and outcomes, never personal data.

use crate::keys::hex;
use crate::{Store, StoreError};
use sqlx::{Any, Row, Transaction};

mod checkpoint;
pub use checkpoint::{Checkpoint, CheckpointError};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One event to append. Identifiers only: never a name, narrative or contact.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor_user: Option<String>,
    pub actor_org: Option<String>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<String>,
    pub outcome: &'a str,
    pub purpose: Option<&'a str>,
}

pub(crate) struct AuditHead {
    seq: i64,
    hash: String,
}

fn mac(key: &[u8; 32], seq: i64, at: i64, e: &Event<'_>, prev: &str) -> String {
    let mut h = blake3::Hasher::new_keyed(key);
    let parts: [&str; 8] = [
        e.actor_user.as_deref().unwrap_or(""),
        e.actor_org.as_deref().unwrap_or(""),
        e.action,
        e.object_type,
        e.object_id.as_deref().unwrap_or(""),
        e.outcome,
        e.purpose.unwrap_or(""),
        prev,
    ];
    h.update(&seq.to_le_bytes());
    h.update(&at.to_le_bytes());
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex(h.finalize().as_bytes())
}

impl AuditHead {
    /// Locks the head row for this transaction (the first statement writes, so SQLite takes
    /// its write lock at once and PostgreSQL a row lock) and reads it, in one statement: every
    /// round trip inside the write lock is one more the writers queued behind it wait for.
    pub(crate) async fn lock(tx: &mut Transaction<'static, Any>) -> Result<AuditHead, StoreError> {
        let row = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
        Ok(AuditHead {
            seq: row.try_get("seq")?,
            hash: row.try_get("hash")?,
        })
    }

    pub(crate) async fn append(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        key: &[u8; 32],
        at: i64,
        e: Event<'_>,
    ) -> Result<(), StoreError> {
        let seq = self.seq + 1;
        let hash = mac(key, seq, at, &e, &self.hash);
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor_user, actor_org, action, object_type, object_id, outcome, purpose, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(seq)
        .bind(at)
        .bind(e.actor_user)
        .bind(e.actor_org)
        .bind(e.action)
        .bind(e.object_type)
        .bind(e.object_id)
        .bind(e.outcome)
        .bind(e.purpose)
        .bind(&self.hash)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
        self.seq = seq;
        self.hash = hash;
        Ok(())
    }

    /// Appends several events with one statement (group commit of public submissions).
    pub(crate) async fn append_many(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        key: &[u8; 32],
        at: i64,
        events: &[Event<'_>],
    ) -> Result<(), StoreError> {
        for chunk in events.chunks(500) {
            let mut sql = String::from(
                "INSERT INTO audit_events (seq, at, actor_user, actor_org, action, object_type, object_id, outcome, purpose, prev_hash, hash) VALUES ",
            );
            let mut rows = Vec::with_capacity(chunk.len());
            for (i, e) in chunk.iter().enumerate() {
                let seq = self.seq + 1;
                let hash = mac(key, seq, at, e, &self.hash);
                rows.push((seq, std::mem::replace(&mut self.hash, hash.clone()), hash));
                self.seq = seq;
                let b = i * 11;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11
                ));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (e, (seq, prev, hash)) in chunk.iter().zip(rows) {
                q = q
                    .bind(seq)
                    .bind(at)
                    .bind(e.actor_user.clone())
                    .bind(e.actor_org.clone())
                    .bind(e.action)
                    .bind(e.object_type)
                    .bind(e.object_id.clone())
                    .bind(e.outcome)
                    .bind(e.purpose)
                    .bind(prev)
                    .bind(hash);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    pub(crate) async fn store(&self, tx: &mut Transaction<'static, Any>) -> Result<(), StoreError> {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(self.seq)
            .bind(&self.hash)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

/// Where the chain broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit chain broken at sequence {seq}: {reason}")]
pub struct ChainBroken {
    pub seq: i64,
    pub reason: &'static str,
}

/// An event as read back, for the audit page and exports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredEvent {
    pub seq: i64,
    pub at: i64,
    pub actor_user: Option<String>,
    pub actor_org: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub outcome: String,
}

impl Store {
    /// Walks the whole chain. `Ok(n)` with the number of events when intact.
    pub async fn verify_audit(&self) -> Result<Result<i64, ChainBroken>, StoreError> {
        let key = self.keys.audit_key();
        let mut prev = GENESIS.to_string();
        let mut expected = 1i64;
        // From the lowest sequence there is, not from 1: an event slipped in at 0 or below
        // must break the chain, not be skipped.
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query(
                "SELECT seq, at, actor_user, actor_org, action, object_type, object_id, outcome, purpose, prev_hash, hash \
                 FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq: i64 = row.try_get("seq")?;
                if seq != expected {
                    return Ok(Err(ChainBroken {
                        seq: expected,
                        reason: "event missing or out of order",
                    }));
                }
                let purpose: Option<String> = row.try_get("purpose")?;
                let event = Event {
                    actor_user: row.try_get("actor_user")?,
                    actor_org: row.try_get("actor_org")?,
                    action: &row.try_get::<String, _>("action")?,
                    object_type: &row.try_get::<String, _>("object_type")?,
                    object_id: row.try_get("object_id")?,
                    outcome: &row.try_get::<String, _>("outcome")?,
                    purpose: purpose.as_deref(),
                };
                let stored_prev: String = row.try_get("prev_hash")?;
                let stored_hash: String = row.try_get("hash")?;
                if stored_prev != prev {
                    return Ok(Err(ChainBroken {
                        seq,
                        reason: "previous hash does not match",
                    }));
                }
                if mac(&key, seq, row.try_get("at")?, &event, &prev) != stored_hash {
                    return Ok(Err(ChainBroken {
                        seq,
                        reason: "event content does not match its hash",
                    }));
                }
                prev = stored_hash;
                expected += 1;
                after = seq;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let (head_seq, head_hash): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
        if expected == 1 {
            // No event at all. Every organisation was created with an audited event, so a
            // database that holds one has had its log emptied.
            let (orgs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
                .fetch_one(&self.pool)
                .await?;
            if orgs > 0 {
                return Ok(Err(ChainBroken {
                    seq: 1,
                    reason: "the log is empty but the database holds records",
                }));
            }
        }
        if head_seq != expected - 1 || head_hash != prev {
            return Ok(Err(ChainBroken {
                seq: expected.min(head_seq.max(1)),
                reason: "events after this point are missing",
            }));
        }
        Ok(Ok(expected - 1))
    }

    /// The most recent audit events (for administrators; no personal data is in them).
    pub async fn recent_audit(
        &self,
        by: &crate::Authority,
        limit: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        by.require_system_admin()?;
        let rows = sqlx::query(
            "SELECT seq, at, actor_user, actor_org, action, object_type, object_id, outcome FROM audit_events ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredEvent {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor_user: r.try_get("actor_user")?,
                    actor_org: r.try_get("actor_org")?,
                    action: r.try_get("action")?,
                    object_type: r.try_get("object_type")?,
                    object_id: r.try_get("object_id")?,
                    outcome: r.try_get("outcome")?,
                })
            })
            .collect()
    }
}
