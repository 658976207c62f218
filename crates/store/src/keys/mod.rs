//! Keys: the root key lives outside the database (a 0600 file in the data directory, or the
//! file `PASSAGE_MASTER_KEY_FILE` names), with the current field key beside it. Field keys seal
//! personal fields ([`Field`]): each sealed value is an envelope that names the key that sealed
//! it, so values under an old and a new field key coexist while a rotation runs
//! ([`rotate`]). The root key derives the blind-index, receipt, lookup and audit-chain keys;
//! those are not rotated (rotating them would orphan every index and break the chain).
//!
//! Envelopes: version 1 (`1 | nonce | ciphertext`) was sealed under the original field key,
//! which is the root key itself; version 2 (`2 | key id | nonce | ciphertext`) names its field
//! key by an 8-byte id and authenticates the header with the field label and record.

mod field;
mod file;
mod leftovers;
mod person;
mod person_cache;
pub mod rotate;

pub use field::{Encoding, Field, NOT_PERSON_TABLES};
pub use file::KeyOrigin;
pub(crate) use person::V3;
pub use person::{DEFAULT_PERSON_KEY_CACHE, PersonKey};

use crate::StoreError;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

const V1: u8 = 1;
pub(crate) const V2: u8 = 2;
pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const ID_LEN: usize = 8;

/// The id of a field key: 8 bytes of a one-way derivation, safe to log and audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub [u8; ID_LEN]);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl KeyId {
    /// Parses 16 hex characters.
    pub fn parse(text: &str) -> Option<KeyId> {
        unhex(text)?.try_into().ok().map(KeyId)
    }
}

/// A field key: what the per-field cipher keys are derived from.
#[derive(Clone)]
pub(crate) struct FieldKey {
    id: KeyId,
    secret: [u8; 32],
}

impl FieldKey {
    fn new(secret: [u8; 32]) -> FieldKey {
        let d = blake3::derive_key("passage 2026 field key id", &secret);
        let mut id = [0u8; ID_LEN];
        id.copy_from_slice(&d[..ID_LEN]);
        FieldKey {
            id: KeyId(id),
            secret,
        }
    }

    fn random() -> Result<FieldKey, StoreError> {
        let mut secret = [0u8; 32];
        crate::random::fill(&mut secret)?;
        Ok(FieldKey::new(secret))
    }

    fn cipher(&self, field: Field) -> XChaCha20Poly1305 {
        let context = format!("passage 2026 field {}", field.label());
        XChaCha20Poly1305::new(&Key::from(blake3::derive_key(&context, &self.secret)))
    }
}

/// The root key, the field key that seals, the older field keys that still open, and the
/// persons' data keys this process has unwrapped.
#[derive(Clone)]
pub struct Keys {
    root: [u8; 32],
    current: FieldKey,
    older: Vec<FieldKey>,
    persons: person::PersonKeyring,
    /// The data key of the person a transaction works on: while set, [`Keys::seal`] seals
    /// that person's fields ([`Field::is_personal`]) under it (see [`Keys::sealing_for`]).
    sealing: Option<PersonKey>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// Uses raw root key bytes, sealing under the original field key (tests, and keys from a
    /// secrets manager).
    pub fn from_bytes(root: [u8; 32]) -> Keys {
        Keys {
            root,
            current: FieldKey::new(root),
            older: Vec::new(),
            persons: Default::default(),
            sealing: None,
        }
    }

    /// The original field key: the root key itself, which version-1 envelopes were sealed
    /// under.
    fn original(&self) -> FieldKey {
        FieldKey::new(self.root)
    }

    /// The id of the field key new values are sealed under.
    pub fn current_id(&self) -> KeyId {
        self.current.id
    }

    /// The ids of the field keys that still open values but no longer seal them.
    pub fn older_ids(&self) -> Vec<KeyId> {
        self.older.iter().map(|k| k.id).collect()
    }

    /// The id of the field key an envelope was sealed under (a version-1 envelope: the
    /// original key), or `None` when it is no envelope.
    pub fn sealed_by(&self, sealed: &[u8]) -> Option<KeyId> {
        match sealed.first() {
            Some(&V1) if sealed.len() > NONCE_LEN => Some(self.original().id),
            Some(&V2) if sealed.len() >= 1 + ID_LEN + NONCE_LEN => {
                sealed[1..1 + ID_LEN].try_into().ok().map(KeyId)
            }
            _ => None,
        }
    }

    fn opener(&self, id: KeyId) -> Option<FieldKey> {
        if self.current.id == id {
            return Some(self.current.clone());
        }
        if let Some(k) = self.older.iter().find(|k| k.id == id) {
            return Some(k.clone());
        }
        let original = self.original();
        (original.id == id).then_some(original)
    }

    /// Keeps `key` for opening only.
    fn add_older(&mut self, key: FieldKey) {
        if key.id != self.current.id && !self.older.iter().any(|k| k.id == key.id) {
            self.older.push(key);
        }
    }

    /// Encrypts one field of one record under the current field key. The record id, the field
    /// and the envelope header are authenticated, so a ciphertext moved to another record or
    /// field does not decrypt.
    ///
    /// Keys made by [`Keys::sealing_for`] seal a person's fields ([`Field::is_personal`])
    /// under that person's data key instead.
    pub fn seal(
        &self,
        field: Field,
        record: &str,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        if let Some(pk) = &self.sealing
            && field.is_personal()
        {
            return self.seal_for(pk, field, record, plaintext);
        }
        let nonce = XNonce::generate();
        let mut out = Vec::with_capacity(1 + ID_LEN + NONCE_LEN + plaintext.len() + 16);
        out.push(V2);
        out.extend_from_slice(&self.current.id.0);
        let aad = aad(&out, field, record);
        let ct = self
            .current
            .cipher(field)
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::Crypto("encryption failed"))?;
        out.extend_from_slice(nonce.as_slice());
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`Keys::seal`] (or [`Keys::seal_for`]) made for the same field and
    /// record, under whichever known field key or person key sealed it.
    pub fn open(&self, field: Field, record: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.first() == Some(&V3) {
            return self.open_v3(field, record, sealed);
        }
        let id = self
            .sealed_by(sealed)
            .ok_or(StoreError::Crypto("ciphertext has an unknown format"))?;
        let key = self.opener(id).ok_or(StoreError::Crypto(
            "a field was sealed under a key that is not loaded",
        ))?;
        let (header, aad) = if sealed[0] == V1 {
            (1, format!("{}:{record}", field.label()).into_bytes())
        } else {
            (1 + ID_LEN, aad(&sealed[..1 + ID_LEN], field, record))
        };
        let nonce = XNonce::try_from(&sealed[header..header + NONCE_LEN])
            .map_err(|_| StoreError::Crypto("bad nonce"))?;
        key.cipher(field)
            .decrypt(
                &nonce,
                Payload {
                    msg: &sealed[header + NONCE_LEN..],
                    aad: &aad,
                },
            )
            .map_err(|_| {
                StoreError::Crypto("a field failed to decrypt: wrong key or tampered data")
            })
    }

    pub fn seal_str(&self, field: Field, record: &str, text: &str) -> Result<Vec<u8>, StoreError> {
        self.seal(field, record, text.as_bytes())
    }

    pub fn open_str(
        &self,
        field: Field,
        record: &str,
        sealed: &[u8],
    ) -> Result<String, StoreError> {
        String::from_utf8(self.open(field, record, sealed)?)
            .map_err(|_| StoreError::Crypto("field is not text"))
    }

    pub(crate) fn derive(&self, purpose: &str) -> [u8; 32] {
        blake3::derive_key(&format!("passage 2026 {purpose}"), &self.root)
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

    /// The key of the statistics' cell keys: without it nobody can tell which noise a cell got.
    pub fn stats_key(&self) -> [u8; 32] {
        self.derive("statistics cell key")
    }

    /// The key of the audit chain's MAC: without it nobody can rebuild a consistent chain.
    pub fn audit_key(&self) -> [u8; 32] {
        self.derive("audit chain")
    }

    /// The key audit checkpoints are signed with: apart from the chain's own key, so a
    /// checkpoint cannot be made from anything the database holds.
    pub fn checkpoint_key(&self) -> [u8; 32] {
        self.derive("audit checkpoint")
    }

    /// The key of the forms' tokens (the public form's time token, the sign-in form's
    /// pre-session): derived, so every process serving one installation makes and accepts the
    /// same tokens — a form fetched from one instance may be sent to another.
    pub fn form_key(&self) -> [u8; 32] {
        self.derive("form tokens")
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

/// The associated data of a version-2 envelope: its header, the field and the record.
fn aad(header: &[u8], field: Field, record: &str) -> Vec<u8> {
    let mut aad = header.to_vec();
    aad.extend_from_slice(format!("{}:{record}", field.label()).as_bytes());
    aad
}

/// Bytes from lower-case or upper-case hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
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

    const GIVEN: Field = Field::PersonGivenName;

    #[test]
    fn sealed_fields_open_only_in_their_place() {
        let keys = Keys::from_bytes([7; 32]);
        let sealed = keys.seal_str(GIVEN, "id-1", "Amina").expect("seal");
        assert!(!sealed.windows(5).any(|w| w == b"Amina"));
        assert_eq!(
            keys.open_str(GIVEN, "id-1", &sealed).expect("open"),
            "Amina"
        );
        assert!(keys.open_str(GIVEN, "id-2", &sealed).is_err());
        assert!(
            keys.open_str(Field::PersonFamilyName, "id-1", &sealed)
                .is_err()
        );
        assert!(
            Keys::from_bytes([8; 32])
                .open_str(GIVEN, "id-1", &sealed)
                .is_err()
        );
        let again = keys.seal_str(GIVEN, "id-1", "Amina").expect("seal");
        assert_ne!(sealed, again, "nonces must differ");
    }

    /// A version-1 envelope, built exactly as the store sealed before key versions existed.
    fn v1(root: [u8; 32], label: &str, record: &str, text: &str) -> Vec<u8> {
        let key = blake3::derive_key(&format!("passage 2026 field {label}"), &root);
        let nonce = XNonce::generate();
        let ct = XChaCha20Poly1305::new(&Key::from(key))
            .encrypt(
                &nonce,
                Payload {
                    msg: text.as_bytes(),
                    aad: format!("{label}:{record}").as_bytes(),
                },
            )
            .expect("encrypt");
        [&[V1][..], nonce.as_slice(), &ct].concat()
    }

    #[test]
    fn version_1_envelopes_open_under_the_original_key_after_rotation() {
        let root = [9; 32];
        let old = v1(root, "persons.given_name", "p-1", "Amina");
        let mut keys = Keys::from_bytes(root);
        assert_eq!(keys.sealed_by(&old), Some(keys.current_id()));
        assert_eq!(keys.open_str(GIVEN, "p-1", &old).expect("v1"), "Amina");
        let original = keys.current.clone();
        keys.current = FieldKey::random().expect("rand");
        keys.add_older(original);
        assert_eq!(keys.open_str(GIVEN, "p-1", &old).expect("v1"), "Amina");
        assert!(keys.open_str(GIVEN, "p-2", &old).is_err());
    }

    #[test]
    fn envelopes_name_their_key_and_the_name_is_authenticated() {
        let mut keys = Keys::from_bytes([4; 32]);
        keys.current = FieldKey::random().expect("rand");
        let first = keys.seal_str(GIVEN, "p", "Amina").expect("seal");
        let first_id = keys.current_id();
        let previous = keys.current.clone();
        keys.current = FieldKey::random().expect("rand");
        let second = keys.seal_str(GIVEN, "p", "Amina").expect("seal");
        assert_eq!(keys.sealed_by(&second), Some(keys.current_id()));
        assert_ne!(keys.current_id(), first_id);
        assert!(keys.open(GIVEN, "p", &first).is_err(), "old key not loaded");
        keys.add_older(previous);
        assert_eq!(keys.sealed_by(&first), Some(first_id));
        assert_eq!(keys.open_str(GIVEN, "p", &first).expect("old"), "Amina");
        assert_eq!(keys.open_str(GIVEN, "p", &second).expect("new"), "Amina");
        let mut relabelled = second.clone();
        relabelled[1..1 + ID_LEN].copy_from_slice(&first_id.0);
        assert!(keys.open(GIVEN, "p", &relabelled).is_err());
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
