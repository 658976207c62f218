//! The persons' data keys a process holds: a bounded cache shared by the whole process, and
//! pins for one transaction or one reader. Readers never rely on the cache: each loads the
//! keys of the persons it reaches (the access gates, the scans), so the cache only saves
//! reads, and its size, not the register's, bounds the memory the keys take.

use super::KeyId;
use super::person::PersonKey;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How many person keys a process keeps between transactions by default: about 200 bytes
/// each, so some 10 MB, whatever the size of the register.
pub const DEFAULT_PERSON_KEY_CACHE: usize = 50_000;

/// Keys by id (with their person) and which person holds which.
#[derive(Default)]
struct Entries {
    by_id: HashMap<KeyId, (String, PersonKey)>,
    /// Which person holds which key id, so a gate knows whether it must load.
    by_person: HashMap<String, KeyId>,
}

impl Entries {
    fn insert(&mut self, person: &str, key: PersonKey) {
        let id = key.id();
        self.by_id.insert(id, (person.to_string(), key));
        self.by_person.insert(person.to_string(), id);
    }

    fn of(&self, person: &str) -> Option<PersonKey> {
        self.by_person
            .get(person)
            .and_then(|id| self.by_id.get(id))
            .map(|(_, k)| k.clone())
    }

    fn get(&self, id: KeyId) -> Option<(String, PersonKey)> {
        self.by_id.get(&id).cloned()
    }

    fn forget(&mut self, person: &str) {
        if let Some(id) = self.by_person.remove(person) {
            self.by_id.remove(&id);
        }
    }

    fn len(&self) -> usize {
        self.by_id.len()
    }
}

/// The process's cache of unwrapped keys, bounded: two generations of at most half the
/// capacity each; when the young one fills it becomes the old one and the old one is
/// dropped, so the keys used recently stay (a hit in the old generation moves to the young).
struct Cache {
    young: Entries,
    old: Entries,
    capacity: usize,
}

impl Cache {
    fn insert(&mut self, person: &str, key: PersonKey) {
        if self.capacity == 0 {
            return;
        }
        if self.young.len() >= self.capacity.div_ceil(2) {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(person, key);
    }

    fn get(&mut self, id: KeyId) -> Option<(String, PersonKey)> {
        if let Some(found) = self.young.get(id) {
            return Some(found);
        }
        let (person, key) = self.old.get(id)?;
        self.old.forget(&person);
        self.insert(&person, key.clone());
        Some((person, key))
    }

    fn of(&mut self, person: &str) -> Option<PersonKey> {
        if let Some(k) = self.young.of(person) {
            return Some(k);
        }
        let key = self.old.of(person)?;
        self.old.forget(person);
        self.insert(person, key.clone());
        Some(key)
    }

    fn forget(&mut self, person: &str) {
        self.young.forget(person);
        self.old.forget(person);
    }
}

/// The data keys this process has unwrapped: a bounded cache shared by every clone of
/// [`Keys`], and, for the keys of one transaction or one reader, pins that hold every key it
/// loaded or used until it ends, so the cache's evictions never reach a key in use. Readers
/// load the keys of the persons they reach (the access gates, [`crate::Store`]'s scans): no
/// reader relies on a key some earlier request left in the cache.
#[derive(Clone)]
pub(crate) struct PersonKeyring {
    cache: Arc<RwLock<Cache>>,
    pins: Option<Arc<RwLock<Entries>>>,
}

impl Default for PersonKeyring {
    fn default() -> PersonKeyring {
        PersonKeyring::with_capacity(DEFAULT_PERSON_KEY_CACHE)
    }
}

impl PersonKeyring {
    fn with_capacity(capacity: usize) -> PersonKeyring {
        PersonKeyring {
            cache: Arc::new(RwLock::new(Cache {
                young: Entries::default(),
                old: Entries::default(),
                capacity,
            })),
            pins: None,
        }
    }

    fn cache(&self) -> std::sync::RwLockWriteGuard<'_, Cache> {
        self.cache.write().unwrap_or_else(|e| e.into_inner())
    }

    fn pin(&self, person: &str, key: &PersonKey) {
        if let Some(pins) = &self.pins {
            pins.write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(person, key.clone());
        }
    }

    fn pinned_of(&self, person: &str) -> Option<PersonKey> {
        let pins = self.pins.as_ref()?;
        pins.read().unwrap_or_else(|e| e.into_inner()).of(person)
    }

    /// The same cache with pins of their own (a new transaction or reader).
    pub(crate) fn pinned(&self) -> PersonKeyring {
        PersonKeyring {
            cache: self.cache.clone(),
            pins: Some(Arc::new(RwLock::new(Entries::default()))),
        }
    }

    /// The same keys with another cache capacity (0: nothing kept between transactions).
    pub(crate) fn resized(capacity: usize) -> PersonKeyring {
        PersonKeyring::with_capacity(capacity)
    }

    /// How many keys the shared cache holds now.
    pub(crate) fn cached(&self) -> usize {
        let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
        cache.young.len() + cache.old.len()
    }

    pub(crate) fn get(&self, id: KeyId) -> Option<PersonKey> {
        if let Some(pins) = &self.pins {
            let pins = pins.read().unwrap_or_else(|e| e.into_inner());
            if let Some((_, k)) = pins.get(id) {
                return Some(k);
            }
        }
        let (person, key) = self.cache().get(id)?;
        self.pin(&person, &key);
        Some(key)
    }

    /// Whether the key of `person` is at hand; a key found in the cache is pinned, so it
    /// stays for the rest of this transaction.
    pub(crate) fn knows(&self, person: &str) -> bool {
        self.of(person).is_some()
    }

    pub(crate) fn of(&self, person: &str) -> Option<PersonKey> {
        if let Some(k) = self.pinned_of(person) {
            return Some(k);
        }
        let key = self.cache().of(person)?;
        self.pin(person, &key);
        Some(key)
    }

    pub(crate) fn insert(&self, person: &str, key: PersonKey) {
        self.pin(person, &key);
        self.cache().insert(person, key);
    }

    /// Forgets a person's key (after erasure).
    pub(crate) fn forget(&self, person: &str) {
        if let Some(pins) = &self.pins {
            pins.write()
                .unwrap_or_else(|e| e.into_inner())
                .forget(person);
        }
        self.cache().forget(person);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> PersonKey {
        PersonKey::random().expect("rand")
    }

    #[test]
    fn the_cache_holds_at_most_its_capacity_and_keeps_what_was_used_last() {
        let ring = PersonKeyring::resized(10);
        let first = key();
        ring.insert("p-0", first.clone());
        for i in 1..1_000 {
            ring.insert(&format!("p-{i}"), key());
            // Used all along, the first key stays.
            assert_eq!(ring.of("p-0").map(|k| k.id()), Some(first.id()));
            assert!(ring.cached() <= 10, "{} keys cached", ring.cached());
        }
        assert!(
            ring.of("p-1").is_none(),
            "a key not used for long is let go"
        );
        assert!(ring.of("p-999").is_some());
    }

    #[test]
    fn a_pinned_key_outlives_its_eviction_until_the_pins_go() {
        let ring = PersonKeyring::resized(4);
        let tx = ring.pinned();
        let k = key();
        tx.insert("p-x", k.clone());
        for i in 0..100 {
            ring.insert(&format!("p-{i}"), key());
        }
        assert!(ring.of("p-x").is_none(), "evicted from the cache");
        assert_eq!(
            tx.get(k.id()).map(|k| k.id()),
            Some(k.id()),
            "held by the pins"
        );
        assert!(tx.knows("p-x"));
        // A key the transaction found in the cache is pinned too.
        let other = key();
        ring.insert("p-y", other.clone());
        let tx2 = ring.pinned();
        assert!(tx2.knows("p-y"));
        for i in 100..200 {
            ring.insert(&format!("p-{i}"), key());
        }
        assert!(tx2.get(other.id()).is_some());
        assert!(
            ring.pinned().get(other.id()).is_none(),
            "new pins start empty"
        );
    }

    #[test]
    fn capacity_zero_keeps_nothing_between_transactions_and_forget_reaches_pins() {
        let ring = PersonKeyring::resized(0);
        let tx = ring.pinned();
        let k = key();
        tx.insert("p-1", k.clone());
        assert_eq!(ring.cached(), 0);
        assert!(tx.knows("p-1"));
        assert!(!ring.pinned().knows("p-1"));
        tx.forget("p-1");
        assert!(
            tx.get(k.id()).is_none(),
            "an erased person's key is dropped at once"
        );
    }
}
