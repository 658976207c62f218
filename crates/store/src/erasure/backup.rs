//! Backups of the embedded database and the keyring file beside them.
//!
//! A backup is two files. The data file holds a consistent copy of the SQLite database taken
//! while the server runs (`VACUUM INTO`), from which the key table is deleted and the copy
//! vacuumed again, so no person's data key is in it. The keyring file holds the key table at
//! the time of the backup (each key still wrapped by the field key). Keep only the newest
//! keyring; data backups can be many and old: a person erased after a data backup was taken
//! has no key in a newer keyring, so restoring the old data with the newest keyring leaves
//! them unreadable.
//!
//! Both files are a container: a clear header (magic, kind, the id of the backup key, a nonce
//! prefix), then chunks of at most [`CHUNK`] bytes, each sealed with XChaCha20-Poly1305 under a
//! key derived from the master key, with its index and whether it is the last in the nonce, and
//! the header as associated data: a chunk moved, dropped, cut or changed fails to open. The
//! first plaintext bytes are the manifest (its length, then JSON).

use crate::StoreError;
use crate::keys::{Keys, hex};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// Plaintext bytes per sealed chunk: memory stays bounded whatever the database's size.
pub const CHUNK: usize = 64 * 1024;
const MAGIC: &[u8; 8] = b"PASSAGE\x01";
const PREFIX_LEN: usize = 15;
/// The manifest format this version writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// What a container holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Data,
    Keyring,
}

impl Kind {
    fn byte(self) -> u8 {
        match self {
            Kind::Data => b'D',
            Kind::Keyring => b'K',
        }
    }
}

/// The description of a data backup, sealed at its head.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub engine: String,
    /// The last migration applied to the copied database.
    pub schema_version: i64,
    /// The audit chain's head in the copy.
    pub audit_seq: i64,
    pub audit_hash: String,
    /// Rows per table in the copy (the key table is empty there).
    pub row_counts: BTreeMap<String, i64>,
    /// The id of the backup key (derived from the master key) it is sealed under.
    pub key_id: String,
    /// The file name of the keyring written with it.
    pub keyring: String,
}

/// Why a backup cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("not a Passage backup file")]
    NotABackup,
    #[error("this is a {found} file, not a {expected} file")]
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
    #[error(
        "the file was sealed under the backup key {file}, and this master key gives {ours}: restore with the master key (or key file) the backup was made with"
    )]
    WrongKey { file: String, ours: String },
    #[error("the file was changed, cut or damaged after it was written (chunk {0} does not open)")]
    Tampered(u64),
    #[error("the manifest does not read: {0}")]
    Manifest(String),
    #[error("reading or writing the backup: {0}")]
    Io(#[from] std::io::Error),
    #[error("no randomness for the backup's nonce")]
    Random,
}

fn kind_name(byte: u8) -> &'static str {
    match byte {
        b'D' => "data backup",
        b'K' => "keyring",
        _ => "unknown",
    }
}

impl Keys {
    /// The key backups and keyrings are sealed under.
    pub fn backup_key(&self) -> [u8; 32] {
        self.derive("backup file")
    }

    /// The id of the backup key: safe to print and to keep in the clear.
    pub fn backup_key_id(&self) -> String {
        let d = blake3::derive_key("passage 2026 backup key id", &self.backup_key());
        hex(&d[..8])
    }
}

fn nonce(prefix: &[u8; PREFIX_LEN], index: u64, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX_LEN].copy_from_slice(prefix);
    n[PREFIX_LEN..PREFIX_LEN + 8].copy_from_slice(&index.to_be_bytes());
    n[23] = u8::from(last);
    XNonce::from(n)
}

/// Writes a sealed container: `head` (the manifest or the keyring's JSON) then everything
/// `body` gives, in chunks.
pub fn seal_stream(
    keys: &Keys,
    kind: Kind,
    head: &[u8],
    body: &mut dyn Read,
    out: &mut dyn Write,
) -> Result<(), BackupError> {
    let mut prefix = [0u8; PREFIX_LEN];
    crate::random::fill(&mut prefix).map_err(|_| BackupError::Random)?;
    let key_id = keys.backup_key_id();
    let mut header = Vec::with_capacity(64);
    header.extend_from_slice(MAGIC);
    header.push(kind.byte());
    header.extend_from_slice(key_id.as_bytes());
    header.extend_from_slice(&prefix);
    out.write_all(&header)?;
    let cipher = XChaCha20Poly1305::new(&Key::from(keys.backup_key()));
    // The plaintext stream: the head's length, the head, then the body.
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    pending.extend_from_slice(&(head.len() as u64).to_be_bytes());
    pending.extend_from_slice(head);
    let mut index = 0u64;
    let mut buf = vec![0u8; CHUNK];
    let mut eof = false;
    loop {
        while !eof && pending.len() <= CHUNK {
            let n = body.read(&mut buf)?;
            if n == 0 {
                eof = true;
            } else {
                pending.extend_from_slice(&buf[..n]);
            }
        }
        let take = pending.len().min(CHUNK);
        let last = eof && pending.len() <= CHUNK;
        let ct = cipher
            .encrypt(
                &nonce(&prefix, index, last),
                Payload {
                    msg: &pending[..take],
                    aad: &header,
                },
            )
            .map_err(|_| BackupError::Tampered(index))?;
        out.write_all(&(ct.len() as u32).to_be_bytes())?;
        out.write_all(&ct)?;
        pending.drain(..take);
        index += 1;
        if last {
            break;
        }
    }
    out.flush()?;
    Ok(())
}

/// Opens a container written by [`seal_stream`]: returns the head and writes the body into
/// `body`. Refuses another kind, another key, and any change to the file.
pub fn open_stream(
    keys: &Keys,
    kind: Kind,
    input: &mut dyn Read,
    body: &mut dyn Write,
) -> Result<Vec<u8>, BackupError> {
    let mut header = vec![0u8; MAGIC.len() + 1 + 16 + PREFIX_LEN];
    input.read_exact(&mut header).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => BackupError::NotABackup,
        _ => BackupError::Io(e),
    })?;
    if &header[..MAGIC.len()] != MAGIC {
        return Err(BackupError::NotABackup);
    }
    let found = header[MAGIC.len()];
    if found != kind.byte() {
        return Err(BackupError::WrongKind {
            expected: kind_name(kind.byte()),
            found: kind_name(found),
        });
    }
    let file_key = String::from_utf8_lossy(&header[MAGIC.len() + 1..MAGIC.len() + 17]).to_string();
    let ours = keys.backup_key_id();
    if file_key != ours {
        return Err(BackupError::WrongKey {
            file: file_key,
            ours,
        });
    }
    let mut prefix = [0u8; PREFIX_LEN];
    prefix.copy_from_slice(&header[MAGIC.len() + 17..]);
    let cipher = XChaCha20Poly1305::new(&Key::from(keys.backup_key()));
    let mut head_len: Option<usize> = None;
    let mut head = Vec::new();
    let mut pending = Vec::new();
    let mut index = 0u64;
    loop {
        let mut len = [0u8; 4];
        input
            .read_exact(&mut len)
            .map_err(|_| BackupError::Tampered(index))?;
        let len = u32::from_be_bytes(len) as usize;
        if len > CHUNK + 16 {
            return Err(BackupError::Tampered(index));
        }
        let mut ct = vec![0u8; len];
        input
            .read_exact(&mut ct)
            .map_err(|_| BackupError::Tampered(index))?;
        let payload = Payload {
            msg: &ct,
            aad: &header,
        };
        let (plain, last) = match cipher.decrypt(&nonce(&prefix, index, false), payload) {
            Ok(p) => (p, false),
            Err(_) => {
                let payload = Payload {
                    msg: &ct,
                    aad: &header,
                };
                let p = cipher
                    .decrypt(&nonce(&prefix, index, true), payload)
                    .map_err(|_| BackupError::Tampered(index))?;
                (p, true)
            }
        };
        index += 1;
        if head_len.is_some_and(|n| head.len() >= n) {
            body.write_all(&plain)?;
        } else {
            pending.extend_from_slice(&plain);
            if head_len.is_none() && pending.len() >= 8 {
                let mut n = [0u8; 8];
                n.copy_from_slice(&pending[..8]);
                let n = usize::try_from(u64::from_be_bytes(n))
                    .map_err(|_| BackupError::Manifest("too long".into()))?;
                if n > 64 * 1024 * 1024 {
                    return Err(BackupError::Manifest("too long".into()));
                }
                head_len = Some(n);
                pending.drain(..8);
            }
            if let Some(n) = head_len {
                let take = pending.len().min(n - head.len());
                head.extend_from_slice(&pending[..take]);
                pending.drain(..take);
                if head.len() == n && !pending.is_empty() {
                    body.write_all(&pending)?;
                    pending.clear();
                }
            }
        }
        if last {
            let mut extra = [0u8; 1];
            if input.read(&mut extra)? != 0 {
                return Err(BackupError::Tampered(index));
            }
            break;
        }
    }
    if head_len.is_none_or(|n| head.len() != n) {
        return Err(BackupError::Manifest(
            "the file ends inside its manifest".into(),
        ));
    }
    body.flush()?;
    Ok(head)
}

impl crate::Store {
    /// Copies the embedded database into `path` (a consistent snapshot while the server runs),
    /// deletes the key table from the copy and vacuums it, and describes the copy. SQLite
    /// only; operator only, audited as `backup.snapshot` with the audit head of the copy.
    pub async fn snapshot_sqlite(
        &self,
        by: &crate::Authority,
        path: &std::path::Path,
        keyring_name: &str,
    ) -> Result<Manifest, StoreError> {
        by.require_system_admin()?;
        if self.backend() != crate::Backend::Sqlite {
            return Err(StoreError::invalid(
                "database_url",
                passage_core::ErrorCode::Unsupported,
                "a PostgreSQL database is backed up with pg_dump (see the README)",
            ));
        }
        let target = path
            .to_str()
            .ok_or(StoreError::Io("the backup path is not UTF-8"))?;
        if target.contains('\'') {
            return Err(StoreError::Io("the backup path holds a quote"));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{target}'")))
            .execute(&self.pool)
            .await?;
        restrict(path)?;
        let copy =
            crate::Store::connect(&format!("sqlite://{target}"), Keys::clone(&self.keys)).await?;
        sqlx::query("DELETE FROM person_keys")
            .execute(&copy.pool)
            .await?;
        sqlx::query("VACUUM").execute(&copy.pool).await?;
        let manifest = describe(&copy, self.keys.backup_key_id(), keyring_name).await?;
        copy.pool.close().await;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{target}{suffix}"));
        }
        let mut tx = self.begin().await?;
        let detail = format!("audit_seq={}", manifest.audit_seq);
        tx.audit(by.event("backup.snapshot", "store", Some(detail), "ok"))
            .await?;
        tx.commit().await?;
        Ok(manifest)
    }

    /// The audit head, schema version and row counts of this database, for a restore to
    /// compare with the manifest.
    pub async fn describe_for_backup(&self) -> Result<Manifest, StoreError> {
        describe(self, self.keys.backup_key_id(), "").await
    }
}

/// Narrows a file to its owner (0600).
pub fn restrict(path: &std::path::Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|_| StoreError::Io("narrowing the backup file to its owner"))
}

async fn describe(
    store: &crate::Store,
    key_id: String,
    keyring: &str,
) -> Result<Manifest, StoreError> {
    let (audit_seq, audit_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&store.pool)
            .await?;
    let (schema_version,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
            .fetch_one(&store.pool)
            .await?;
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&store.pool)
    .await?;
    let mut row_counts = BTreeMap::new();
    for (table,) in tables {
        if !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM \"{table}\""
        )))
        .fetch_one(&store.pool)
        .await?;
        row_counts.insert(table, n);
    }
    Ok(Manifest {
        format_version: FORMAT_VERSION,
        created_at: store.clock().now_ms(),
        engine: "sqlite".into(),
        schema_version,
        audit_seq,
        audit_hash,
        row_counts,
        key_id,
        keyring: keyring.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(len: usize) {
        let keys = Keys::from_bytes([5; 32]);
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut sealed = Vec::new();
        seal_stream(&keys, Kind::Data, b"{\"m\":1}", &mut &data[..], &mut sealed).expect("seal");
        let mut out = Vec::new();
        let head = open_stream(&keys, Kind::Data, &mut &sealed[..], &mut out).expect("open");
        assert_eq!(head, b"{\"m\":1}");
        assert_eq!(out, data, "length {len}");
    }

    #[test]
    fn containers_round_trip_at_chunk_edges() {
        for len in [
            0,
            1,
            CHUNK - 16,
            CHUNK - 15,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 7,
        ] {
            roundtrip(len);
        }
    }

    #[test]
    fn a_changed_cut_or_foreign_container_is_refused() {
        let keys = Keys::from_bytes([5; 32]);
        let data = vec![7u8; 2 * CHUNK + 10];
        let mut sealed = Vec::new();
        seal_stream(&keys, Kind::Data, b"m", &mut &data[..], &mut sealed).expect("seal");
        let open = |bytes: &[u8], keys: &Keys, kind: Kind| {
            open_stream(keys, kind, &mut &bytes[..], &mut Vec::new())
        };
        let mut flipped = sealed.clone();
        let at = flipped.len() / 2;
        flipped[at] ^= 1;
        assert!(matches!(
            open(&flipped, &keys, Kind::Data),
            Err(BackupError::Tampered(_))
        ));
        let cut = &sealed[..sealed.len() - CHUNK / 2];
        assert!(matches!(
            open(cut, &keys, Kind::Data),
            Err(BackupError::Tampered(_))
        ));
        // Dropping the last chunk whole: the one before it is not marked last.
        let first_two = {
            let mut at = 8 + 1 + 16 + PREFIX_LEN;
            for _ in 0..2 {
                let len = u32::from_be_bytes(sealed[at..at + 4].try_into().expect("len"));
                at += 4 + len as usize;
            }
            at
        };
        assert!(matches!(
            open(&sealed[..first_two], &keys, Kind::Data),
            Err(BackupError::Tampered(_))
        ));
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(open(&longer, &keys, Kind::Data).is_err());
        assert!(matches!(
            open(&sealed, &Keys::from_bytes([6; 32]), Kind::Data),
            Err(BackupError::WrongKey { .. })
        ));
        assert!(matches!(
            open(&sealed, &keys, Kind::Keyring),
            Err(BackupError::WrongKind { .. })
        ));
        assert!(matches!(
            open(b"hello", &keys, Kind::Data),
            Err(BackupError::NotABackup)
        ));
        assert!(open(&sealed, &keys, Kind::Data).is_ok());
    }
}
