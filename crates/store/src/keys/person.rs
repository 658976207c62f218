//! Per-person data keys (crypto-erasure). Each person gets a random 256-bit data key, kept in
//! `person_keys` wrapped (sealed) by the field key like any other sealed value, so a field-key
//! rotation re-wraps it. The person's fields are sealed under keys derived from it in version-3
//! envelopes (`3 | person key id | nonce | ciphertext`, header, field and record
//! authenticated). Destroying the key row makes every such value unreadable, in the live
//! database and in every data backup, which never holds the key table (see the backup module).
//!
//! Opening a version-3 envelope needs the person's key at hand: each transaction (and each
//! reader outside one) loads the keys of the persons it reaches, through the access gates or
//! for the rows it scans, and holds them until it ends; a bounded cache (`person_cache`) spares
//! reading them again. Nothing loads every key, so the memory keys take does not grow with the
//! register. Version-1 and version-2 envelopes (values sealed before person keys existed)
//! keep opening under the field keys.

use super::{Field, ID_LEN, KeyId, Keys, NONCE_LEN, aad};
use crate::StoreError;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// The envelope version of a value sealed under a person's data key.
pub(crate) const V3: u8 = 3;

/// A person's data key: what their fields' keys are derived from.
#[derive(Clone)]
pub struct PersonKey {
    id: KeyId,
    secret: [u8; 32],
}

impl std::fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PersonKey({})", self.id)
    }
}

impl PersonKey {
    fn new(secret: [u8; 32]) -> PersonKey {
        let d = blake3::derive_key("passage 2026 person key id", &secret);
        let mut id = [0u8; ID_LEN];
        id.copy_from_slice(&d[..ID_LEN]);
        PersonKey {
            id: KeyId(id),
            secret,
        }
    }

    /// A new random data key.
    pub fn random() -> Result<PersonKey, StoreError> {
        Ok(PersonKey::new(crate::random::bytes()?))
    }

    /// The key's id: a one-way derivation, safe to audit.
    pub fn id(&self) -> KeyId {
        self.id
    }

    fn cipher(&self, field: Field) -> XChaCha20Poly1305 {
        let context = format!("passage 2026 person field {}", field.label());
        XChaCha20Poly1305::new(&Key::from(blake3::derive_key(&context, &self.secret)))
    }
}

pub use super::person_cache::DEFAULT_PERSON_KEY_CACHE;
pub(crate) use super::person_cache::PersonKeyring;

impl Keys {
    /// Wraps a person's data key for the key table: sealed under the field key, bound to the
    /// person's id.
    pub fn wrap_person_key(&self, person: &str, key: &PersonKey) -> Result<Vec<u8>, StoreError> {
        self.seal(Field::PersonKeySecret, person, &key.secret)
    }

    /// Unwraps what [`Keys::wrap_person_key`] made for the same person.
    pub fn unwrap_person_key(&self, person: &str, wrapped: &[u8]) -> Result<PersonKey, StoreError> {
        let secret: [u8; 32] = self
            .open(Field::PersonKeySecret, person, wrapped)?
            .try_into()
            .map_err(|_| StoreError::Corrupt("person key length"))?;
        Ok(PersonKey::new(secret))
    }

    /// These keys keeping at most `capacity` person keys between transactions (the default
    /// is [`DEFAULT_PERSON_KEY_CACHE`]; 0 keeps none, so every reader must load the keys it
    /// opens: what the test suites run with). Set when the keys are made, before any is loaded.
    pub fn with_person_key_cache(mut self, capacity: usize) -> Keys {
        self.persons = PersonKeyring::resized(capacity);
        self
    }

    /// These keys with pins of their own: every person key loaded or used through them stays
    /// until they are dropped (one transaction, one reader's scan).
    pub(crate) fn pinned(&self) -> Keys {
        let mut keys = self.clone();
        keys.persons = self.persons.pinned();
        keys
    }

    /// How many person keys the process's cache holds now (bounded by its capacity).
    pub fn cached_person_keys(&self) -> usize {
        self.persons.cached()
    }

    /// Keeps an unwrapped person key so this process opens the person's values.
    pub(crate) fn remember_person_key(&self, person: &str, key: PersonKey) {
        self.persons.insert(person, key);
    }

    /// Drops a person's key from this process.
    pub(crate) fn forget_person_key(&self, person: &str) {
        self.persons.forget(person);
    }

    /// Whether this process holds the person key with this id.
    pub(crate) fn holds_key(&self, id: KeyId) -> bool {
        self.persons.get(id).is_some()
    }

    /// Whether this process holds the person's key already.
    pub(crate) fn knows_person(&self, person: &str) -> bool {
        self.persons.knows(person)
    }

    /// The person's data key, when this process holds it.
    pub(crate) fn person_key(&self, person: &str) -> Option<PersonKey> {
        self.persons.of(person)
    }

    /// These keys, sealing the fields of one person's records ([`Field::is_personal`]) under
    /// that person's data key: what a transaction gated on the person's case seals with.
    pub(crate) fn sealing_for(&self, key: PersonKey) -> Keys {
        let mut keys = self.clone();
        keys.sealing = Some(key);
        keys
    }

    /// These keys sealing every field under the field keys (an erasure's empty values).
    pub(crate) fn unbound(&self) -> Keys {
        let mut keys = self.clone();
        keys.sealing = None;
        keys
    }

    /// Encrypts one field of one record under a person's data key (a version-3 envelope).
    pub fn seal_for(
        &self,
        key: &PersonKey,
        field: Field,
        record: &str,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        let nonce = XNonce::generate();
        let mut out = Vec::with_capacity(1 + ID_LEN + NONCE_LEN + plaintext.len() + 16);
        out.push(V3);
        out.extend_from_slice(&key.id.0);
        let aad = aad(&out, field, record);
        let ct = key
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

    pub fn seal_str_for(
        &self,
        key: &PersonKey,
        field: Field,
        record: &str,
        text: &str,
    ) -> Result<Vec<u8>, StoreError> {
        self.seal_for(key, field, record, text.as_bytes())
    }

    /// Opens a version-3 envelope with the person key it names, if this process holds it.
    pub(crate) fn open_v3(
        &self,
        field: Field,
        record: &str,
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < 1 + ID_LEN + NONCE_LEN {
            return Err(StoreError::Crypto("ciphertext has an unknown format"));
        }
        let id = sealed[1..1 + ID_LEN]
            .try_into()
            .map(KeyId)
            .map_err(|_| StoreError::Crypto("ciphertext has an unknown format"))?;
        let key = self.persons.get(id).ok_or(StoreError::Crypto(
            "a field was sealed under a person key that is not loaded or was erased",
        ))?;
        let header = 1 + ID_LEN;
        let aad = aad(&sealed[..header], field, record);
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

    /// The person key id a version-3 envelope names, or `None` for any other envelope.
    pub fn person_key_of(sealed: &[u8]) -> Option<KeyId> {
        match sealed.first() {
            Some(&V3) if sealed.len() >= 1 + ID_LEN + NONCE_LEN => {
                sealed[1..1 + ID_LEN].try_into().ok().map(KeyId)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIVEN: Field = Field::PersonGivenName;

    #[test]
    fn person_sealed_values_open_only_while_the_key_is_held() {
        let keys = Keys::from_bytes([3; 32]);
        let pk = PersonKey::random().expect("rand");
        let sealed = keys.seal_str_for(&pk, GIVEN, "p-1", "Amina").expect("seal");
        assert_eq!(sealed[0], V3);
        assert!(!sealed.windows(5).any(|w| w == b"Amina"));
        assert!(
            keys.open_str(GIVEN, "p-1", &sealed).is_err(),
            "key not held"
        );
        keys.remember_person_key("p-1", pk.clone());
        assert_eq!(keys.open_str(GIVEN, "p-1", &sealed).expect("open"), "Amina");
        assert!(
            keys.open_str(GIVEN, "p-2", &sealed).is_err(),
            "other record"
        );
        let wrapped = keys.wrap_person_key("p-1", &pk).expect("wrap");
        assert!(keys.unwrap_person_key("p-2", &wrapped).is_err());
        assert_eq!(
            keys.unwrap_person_key("p-1", &wrapped)
                .expect("unwrap")
                .id(),
            pk.id()
        );
        keys.forget_person_key("p-1");
        assert!(keys.open_str(GIVEN, "p-1", &sealed).is_err(), "forgotten");
        // Keys bound to a person seal that person's fields under their key, and nothing else.
        keys.remember_person_key("p-1", pk.clone());
        let bound = keys.sealing_for(pk.clone());
        let note = bound.seal_str(Field::NoteBody, "n-1", "x").expect("seal");
        assert_eq!(Keys::person_key_of(&note), Some(pk.id()));
        let user = bound
            .seal_str(Field::UserTotpSecret, "u-1", "x")
            .expect("seal");
        assert_eq!(Keys::person_key_of(&user), None, "a user is no person's");
        let wrapped = bound.wrap_person_key("p-1", &pk).expect("wrap");
        assert_eq!(
            Keys::person_key_of(&wrapped),
            None,
            "the key is wrapped by the field key"
        );
        let empty = bound
            .unbound()
            .seal_str(Field::NoteBody, "n-1", "")
            .expect("seal");
        assert_eq!(Keys::person_key_of(&empty), None);
        keys.forget_person_key("p-1");
        // A field-key-sealed value still opens beside person keys.
        let old = keys.seal_str(GIVEN, "p-1", "Amina").expect("seal");
        assert_eq!(keys.open_str(GIVEN, "p-1", &old).expect("v2"), "Amina");
    }
}
