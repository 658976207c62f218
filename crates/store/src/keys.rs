//! Keys: the master key lives outside the database (a 0600 file in the data directory, or the
//! file `PASSAGE_MASTER_KEY_FILE` names). Every other key is derived from it by purpose, so a
//! field key opens one field only, and the blind-index and audit keys open nothing.

use crate::StoreError;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::io::Write;
use std::path::Path;

const CIPHERTEXT_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// The master key and what derives from it.
#[derive(Clone)]
pub struct Keys {
    master: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

/// Whether the key file was created now (the operator must back it up) or already existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    Created,
    Loaded,
}

impl Keys {
    /// Uses raw key bytes (tests, and keys from a secrets manager).
    pub fn from_bytes(master: [u8; 32]) -> Keys {
        Keys { master }
    }

    /// Loads the key file (64 hex characters), or creates it with mode 0600 when absent.
    pub fn load_or_create(path: &Path) -> Result<(Keys, KeyOrigin), StoreError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok((Keys::parse(text.trim())?, KeyOrigin::Loaded)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut master = [0u8; 32];
                getrandom::fill(&mut master).map_err(|_| StoreError::Crypto("no randomness"))?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options
                    .open(path)
                    .map_err(|e| StoreError::KeyFile(e.to_string()))?;
                file.write_all(hex(&master).as_bytes())
                    .and_then(|_| file.sync_all())
                    .map_err(|e| StoreError::KeyFile(e.to_string()))?;
                Ok((Keys { master }, KeyOrigin::Created))
            }
            Err(e) => Err(StoreError::KeyFile(e.to_string())),
        }
    }

    /// Loads an existing key file; never creates one.
    pub fn load(path: &Path) -> Result<Keys, StoreError> {
        let text = std::fs::read_to_string(path).map_err(|e| StoreError::KeyFile(e.to_string()))?;
        Keys::parse(text.trim())
    }

    fn parse(text: &str) -> Result<Keys, StoreError> {
        let bytes = unhex(text).ok_or(StoreError::KeyFile(
            "the key file must hold 64 hex characters".into(),
        ))?;
        let master: [u8; 32] = bytes
            .try_into()
            .map_err(|_| StoreError::KeyFile("the key file must hold 64 hex characters".into()))?;
        Ok(Keys { master })
    }

    fn derive(&self, purpose: &str) -> [u8; 32] {
        blake3::derive_key(&format!("passage 2026 {purpose}"), &self.master)
    }

    fn cipher(&self, field: &str) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(self.derive(&format!("field {field}"))))
    }

    /// Encrypts one field of one record. The record id and field name are authenticated, so a
    /// ciphertext moved to another record or field does not decrypt.
    pub fn seal(&self, field: &str, record: &str, plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
        let nonce = XNonce::generate();
        let aad = format!("{field}:{record}");
        let ct = self
            .cipher(field)
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto("encryption failed"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
        out.push(CIPHERTEXT_VERSION);
        out.extend_from_slice(nonce.as_slice());
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`Keys::seal`] made for the same field and record.
    pub fn open(&self, field: &str, record: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != CIPHERTEXT_VERSION {
            return Err(StoreError::Crypto("ciphertext has an unknown format"));
        }
        let nonce = XNonce::try_from(&sealed[1..1 + NONCE_LEN])
            .map_err(|_| StoreError::Crypto("bad nonce"))?;
        let aad = format!("{field}:{record}");
        self.cipher(field)
            .decrypt(
                &nonce,
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| {
                StoreError::Crypto("a field failed to decrypt: wrong key or tampered data")
            })
    }

    pub fn seal_str(&self, field: &str, record: &str, text: &str) -> Result<Vec<u8>, StoreError> {
        self.seal(field, record, text.as_bytes())
    }

    pub fn open_str(&self, field: &str, record: &str, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open(field, record, sealed)?)
            .map_err(|_| StoreError::Crypto("field is not text"))
    }

    /// A keyed tag for a blind index: `scope` separates organisations, `value` is normalised.
    /// 32 bits only, on purpose: collisions blur equality, and every hit is re-checked after
    /// decryption.
    pub fn blind_tag(&self, index: &str, scope: &str, value: &str) -> i64 {
        let key = self.derive(&format!("blind index {index}"));
        let mut hasher = blake3::Hasher::new_keyed(&key);
        hasher.update(scope.as_bytes());
        hasher.update(&[0x1f]);
        hasher.update(value.as_bytes());
        let out = hasher.finalize();
        let b = out.as_bytes();
        i64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The secret salt of receipt hashes: one per installation, so a receipt's hash is a lookup
    /// key, and never stored, so a stolen database cannot be attacked without the key file.
    pub fn receipt_salt(&self) -> [u8; 16] {
        let d = self.derive("receipt salt");
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&d[..16]);
        salt
    }

    /// The key of the audit chain's MAC: without it nobody can rebuild a consistent chain.
    pub fn audit_key(&self) -> [u8; 32] {
        self.derive("audit chain")
    }

    /// A keyed hash of an identifier that must be looked up but not stored (login throttling).
    pub fn lookup_hash(&self, purpose: &str, value: &str) -> String {
        let key = self.derive(&format!("lookup {purpose}"));
        hex(blake3::keyed_hash(&key, value.as_bytes()).as_bytes())
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `n` random bytes as hex, from the operating system's CSPRNG.
pub fn random_hex(n: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; n];
    crate::random::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_fields_open_only_in_their_place() {
        let keys = Keys::from_bytes([7; 32]);
        let sealed = keys
            .seal_str("persons.given_name", "id-1", "Amina")
            .expect("seal");
        assert!(!sealed.windows(5).any(|w| w == b"Amina"));
        assert_eq!(
            keys.open_str("persons.given_name", "id-1", &sealed)
                .expect("open"),
            "Amina"
        );
        assert!(
            keys.open_str("persons.given_name", "id-2", &sealed)
                .is_err()
        );
        assert!(
            keys.open_str("persons.family_name", "id-1", &sealed)
                .is_err()
        );
        assert!(
            Keys::from_bytes([8; 32])
                .open_str("persons.given_name", "id-1", &sealed)
                .is_err()
        );
        let again = keys
            .seal_str("persons.given_name", "id-1", "Amina")
            .expect("seal");
        assert_ne!(sealed, again, "nonces must differ");
    }

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        let dir =
            std::env::temp_dir().join(format!("passage-keys-{}", random_hex(8).expect("rand")));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("master.key");
        let (k1, o1) = Keys::load_or_create(&path).expect("create");
        let (k2, o2) = Keys::load_or_create(&path).expect("load");
        assert_eq!((o1, o2), (KeyOrigin::Created, KeyOrigin::Loaded));
        assert_eq!(k1.master, k2.master);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn blind_tags_are_keyed_and_scoped() {
        let keys = Keys::from_bytes([1; 32]);
        let a = keys.blind_tag("name", "org-a", "amina");
        assert_eq!(a, keys.blind_tag("name", "org-a", "amina"));
        assert_ne!(a, keys.blind_tag("name", "org-b", "amina"));
        assert_ne!(
            a,
            Keys::from_bytes([2; 32]).blind_tag("name", "org-a", "amina")
        );
    }
}
