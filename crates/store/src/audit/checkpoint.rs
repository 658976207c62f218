//! Signed checkpoints of the audit chain. The chain's own MAC shows that no event was edited,
//! reordered or removed from the middle, but whoever can write the database can cut the tail or
//! empty the log and reset the head: nothing inside the database can show that. A checkpoint
//! is the head (sequence and hash) at a moment, signed with a key derived from the master key
//! (kept apart from the database) and printed or sent elsewhere. Verifying against it proves
//! that the chain still holds that event with that hash: nothing before the checkpoint was cut,
//! rewound or rewritten.

use super::ChainBroken;
use crate::keys::{Keys, hex};
use crate::{Store, StoreError};

const HEADER: &str = "passage audit checkpoint v1";

/// The head of the chain at a moment, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// When it was cut (milliseconds since the Unix epoch).
    pub at: i64,
    pub signature: String,
}

/// Why a checkpoint file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("not a checkpoint file: {0}")]
    Malformed(&'static str),
    #[error("the checkpoint's signature does not match: it was altered, or cut with another key")]
    BadSignature,
}

fn sign(keys: &Keys, seq: i64, hash: &str, at: i64) -> String {
    let key = keys.checkpoint_key();
    let mut h = blake3::Hasher::new_keyed(&key);
    h.update(HEADER.as_bytes());
    h.update(&seq.to_le_bytes());
    h.update(&at.to_le_bytes());
    h.update(hash.as_bytes());
    hex(h.finalize().as_bytes())
}

impl Checkpoint {
    /// The text to print or send: one `name: value` per line.
    pub fn to_text(&self) -> String {
        format!(
            "{HEADER}\nseq: {}\nhash: {}\nat: {}\nsignature: {}\n",
            self.seq, self.hash, self.at, self.signature
        )
    }

    /// Reads a checkpoint's text and checks its signature.
    pub fn parse(text: &str, keys: &Keys) -> Result<Checkpoint, CheckpointError> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        if lines.next() != Some(HEADER) {
            return Err(CheckpointError::Malformed(
                "the first line names no checkpoint",
            ));
        }
        let mut field = |name: &str| -> Result<String, CheckpointError> {
            lines
                .next()
                .and_then(|l| l.strip_prefix(name))
                .and_then(|l| l.strip_prefix(':'))
                .map(|v| v.trim().to_string())
                .ok_or(CheckpointError::Malformed(
                    "a line is missing or out of order",
                ))
        };
        let seq = field("seq")?
            .parse()
            .map_err(|_| CheckpointError::Malformed("seq is not a number"))?;
        let hash = field("hash")?;
        let at = field("at")?
            .parse()
            .map_err(|_| CheckpointError::Malformed("at is not a number"))?;
        let signature = field("signature")?;
        if sign(keys, seq, &hash, at) != signature {
            return Err(CheckpointError::BadSignature);
        }
        Ok(Checkpoint {
            seq,
            hash,
            at,
            signature,
        })
    }
}

impl Store {
    /// Verifies the chain and cuts a checkpoint of its head. A broken chain gets none.
    pub async fn audit_checkpoint(&self) -> Result<Result<Checkpoint, ChainBroken>, StoreError> {
        if let Err(broken) = self.verify_audit().await? {
            return Ok(Err(broken));
        }
        let (seq, hash): (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        let at = self.clock.now_ms();
        Ok(Ok(Checkpoint {
            signature: sign(&self.keys, seq, &hash, at),
            seq,
            hash,
            at,
        }))
    }

    /// Verifies the chain, then that it still holds the checkpoint's event with the
    /// checkpoint's hash: `Ok(n)` with the number of events when both hold.
    pub async fn verify_audit_since(
        &self,
        checkpoint: &Checkpoint,
    ) -> Result<Result<i64, ChainBroken>, StoreError> {
        let n = match self.verify_audit().await? {
            Ok(n) => n,
            Err(broken) => return Ok(Err(broken)),
        };
        if checkpoint.seq == 0 {
            return Ok(Ok(n));
        }
        let row: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_events WHERE seq = $1")
            .bind(checkpoint.seq)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            None => Err(ChainBroken {
                seq: checkpoint.seq,
                reason: "the log was cut or rewound to before the checkpoint",
            }),
            Some((hash,)) if hash != checkpoint.hash => Err(ChainBroken {
                seq: checkpoint.seq,
                reason: "the log was rewritten since the checkpoint",
            }),
            Some(_) => Ok(n),
        })
    }
}
