//! The key file and its siblings. The key file holds the root key (64 hex characters) and,
//! once a rotation has run, a `field HEX` line with the current field key; without that line
//! the original field key (the root key itself) seals. Beside it, `<key file>.next` holds the
//! key a rotation is moving to and `<key file>.retired-<KEY ID>` the keys it moved from; both
//! are loaded for opening. Every file is written 0600 and synced; none is ever printed.

use super::{FieldKey, Keys, hex, unhex};
use crate::StoreError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether the key file was created now (the operator must back it up) or already existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    Created,
    Loaded,
}

fn key_error(e: std::io::Error) -> StoreError {
    StoreError::KeyFile(e.to_string())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Where a rotation keeps the key it moves to.
pub(crate) fn next_path(path: &Path) -> PathBuf {
    sibling(path, ".next")
}

/// Where a rotation keeps a key it moved from.
pub(crate) fn retired_path(path: &Path, key: &FieldKey) -> PathBuf {
    sibling(path, &format!(".retired-{}", key.id))
}

fn secret(text: &str) -> Result<[u8; 32], StoreError> {
    unhex(text.trim())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| StoreError::KeyFile("a key must be 64 hex characters".into()))
}

/// Reads a file holding one field key, if it exists.
pub(crate) fn read_field_key(path: &Path) -> Result<Option<FieldKey>, StoreError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(FieldKey::new(secret(&text)?))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(key_error(e)),
    }
}

/// Creates `path` with mode 0600 and `text`, synced; fails if it exists.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(key_error)?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(key_error)?;
    sync_dir(path)
}

/// Replaces `path` atomically (a synced 0600 temporary file renamed over it).
fn replace(path: &Path, text: &str) -> Result<(), StoreError> {
    let tmp = sibling(path, ".tmp");
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(key_error(e)),
        _ => {}
    }
    write_new(&tmp, text)?;
    std::fs::rename(&tmp, path).map_err(key_error)?;
    sync_dir(path)
}

fn sync_dir(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(key_error)?;
    }
    Ok(())
}

impl Keys {
    /// Loads the key file, or creates it (a new root key, mode 0600) when absent.
    pub fn load_or_create(path: &Path) -> Result<(Keys, KeyOrigin), StoreError> {
        match std::fs::metadata(path) {
            Ok(_) => Ok((Keys::load(path)?, KeyOrigin::Loaded)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let root = FieldKey::random()?.secret;
                write_new(path, &hex(&root))?;
                Ok((Keys::from_bytes(root), KeyOrigin::Created))
            }
            Err(e) => Err(key_error(e)),
        }
    }

    /// Loads an existing key file and the keys a rotation left beside it; never creates one.
    pub fn load(path: &Path) -> Result<Keys, StoreError> {
        let text = std::fs::read_to_string(path).map_err(key_error)?;
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let root = secret(lines.next().unwrap_or_default())?;
        let mut keys = Keys::from_bytes(root);
        for line in lines {
            match line.strip_prefix("field ") {
                Some(field) => keys.current = FieldKey::new(secret(field)?),
                None => return Err(StoreError::KeyFile("unknown line in the key file".into())),
            }
        }
        if let Some(next) = read_field_key(&next_path(path))? {
            keys.add_older(next);
        }
        let prefix = sibling(path, ".retired-");
        let prefix = prefix.file_name().unwrap_or_default().to_string_lossy();
        let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => dir.to_path_buf(),
            None => PathBuf::from("."),
        };
        for entry in std::fs::read_dir(&dir).map_err(key_error)? {
            let entry = entry.map_err(key_error)?;
            if entry.file_name().to_string_lossy().starts_with(&*prefix)
                && let Some(key) = read_field_key(&entry.path())?
            {
                keys.add_older(key);
            }
        }
        Ok(keys)
    }

    /// Writes the key file with this root key and `current` as the field key.
    pub(crate) fn write_key_file(&self, path: &Path, current: &FieldKey) -> Result<(), StoreError> {
        replace(
            path,
            &format!("{}\nfield {}\n", hex(&self.root), hex(&current.secret)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Field, random_hex};

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        let dir =
            std::env::temp_dir().join(format!("passage-keys-{}", random_hex(8).expect("rand")));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("master.key");
        let (k1, o1) = Keys::load_or_create(&path).expect("create");
        let (k2, o2) = Keys::load_or_create(&path).expect("load");
        assert_eq!((o1, o2), (KeyOrigin::Created, KeyOrigin::Loaded));
        assert_eq!(k1.root, k2.root);
        assert_eq!(k1.current_id(), k2.current_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let sealed = k1.seal_str(Field::NoteBody, "n", "text").expect("seal");
        let next = FieldKey::random().expect("rand");
        k1.write_key_file(&path, &next).expect("write");
        write_new(&retired_path(&path, &k1.current), &hex(&k1.current.secret)).expect("retire");
        let k3 = Keys::load(&path).expect("reload");
        assert_eq!(k3.current_id(), next.id);
        assert_eq!(k3.older_ids(), vec![k1.current_id()]);
        assert_eq!(
            k3.open_str(Field::NoteBody, "n", &sealed).expect("open"),
            "text"
        );
        assert_eq!(k3.blind_tag("i", "s", "v"), k1.blind_tag("i", "s", "v"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "rewritten key file stays private");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
