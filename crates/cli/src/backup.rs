//! `passage backup` and `passage restore`: a sealed copy of the embedded database with the
//! key table left out, and the keyring (the key table, still wrapped) in a file beside it
//! (`FILE.keyring`). Keep only the newest keyring, with the master key; data backups can be
//! many and old. Restoring an old data backup with the newest keyring leaves every person
//! erased since the backup unreadable, and erases them again in the restored database.
//!
//! PostgreSQL deployments back up with `pg_dump --exclude-table-data=person_keys` and write
//! the keyring with `passage backup --keyring-only --out FILE`; after `pg_restore`,
//! `passage restore --keyring FILE.keyring` imports it (see the README).

use anyhow::{Context, Result, bail};
use passage_store::Keys;
use passage_store::erasure::backup::{FORMAT_VERSION, Kind, Manifest, open_stream, seal_stream};
use passage_store::erasure::keyring::WrappedKey;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::config::Config;

/// The keyring file written beside a backup.
pub fn keyring_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_os_string();
    name.push(".keyring");
    PathBuf::from(name)
}

/// A new file only its owner reads (0600); replaces a leftover temporary file.
fn create_private(path: &Path) -> Result<File> {
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))
}

fn tmp(path: &Path, tag: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".{tag}-{}", std::process::id()));
    PathBuf::from(name)
}

/// The keyring's sealed content.
#[derive(serde::Serialize, serde::Deserialize)]
struct Keyring {
    format_version: u32,
    created_at: i64,
    keys: Vec<WrappedKey>,
}

async fn write_keyring(store: &passage_store::Store, out: &Path) -> Result<(PathBuf, usize)> {
    let keys = store
        .export_person_keys(store.operator("backup keyring").authority())
        .await?;
    let count = keys.len();
    let ring = Keyring {
        format_version: FORMAT_VERSION,
        created_at: store.clock().now_ms(),
        keys,
    };
    let head = serde_json::to_vec(&ring).context("writing the keyring")?;
    let path = keyring_path(out);
    let partial = tmp(&path, "partial");
    {
        let mut file = BufWriter::new(create_private(&partial)?);
        seal_stream(
            store.keys(),
            Kind::Keyring,
            &head,
            &mut std::io::empty(),
            &mut file,
        )?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    std::fs::rename(&partial, &path).with_context(|| format!("writing {}", path.display()))?;
    Ok((path, count))
}

/// `passage backup`: the data (SQLite) and the keyring, or the keyring alone.
pub async fn backup(config: &Config, out: &Path, keyring_only: bool) -> Result<()> {
    let store = crate::open(config, false).await?;
    if keyring_only {
        let (path, n) = write_keyring(&store, out).await?;
        println!("keyring written: {} ({n} person keys)", path.display());
        return Ok(());
    }
    if !config.is_sqlite() {
        bail!(
            "this deployment runs on PostgreSQL: back up the data with pg_dump --exclude-table-data=person_keys and the keyring with `passage backup --keyring-only --out FILE` (see the README)"
        );
    }
    let keyring_name = keyring_path(out)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let copy = tmp(out, "copy");
    let _ = std::fs::remove_file(&copy);
    let manifest = store
        .snapshot_sqlite(store.operator("backup").authority(), &copy, &keyring_name)
        .await
        .context("copying the database")?;
    let head = serde_json::to_vec(&manifest).context("writing the manifest")?;
    let partial = tmp(out, "partial");
    let sealed = (|| -> Result<()> {
        let mut file = BufWriter::new(create_private(&partial)?);
        let mut input = BufReader::new(File::open(&copy).context("reading the copy")?);
        seal_stream(store.keys(), Kind::Data, &head, &mut input, &mut file)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&copy);
    sealed?;
    std::fs::rename(&partial, out).with_context(|| format!("writing {}", out.display()))?;
    // The keyring after the data: a person erased in between is in neither.
    let (ring, n) = write_keyring(&store, out).await?;
    println!(
        "backup written: {} (audit head {}, schema {}); keyring: {} ({n} person keys). Keep only the newest keyring, with the master key.",
        out.display(),
        manifest.audit_seq,
        manifest.schema_version,
        ring.display()
    );
    Ok(())
}

fn read_keyring(keys: &Keys, path: &Path) -> Result<Vec<WrappedKey>> {
    let mut file = BufReader::new(File::open(path).with_context(|| {
        format!(
            "reading the keyring {} (give the newest one with --keyring PATH)",
            path.display()
        )
    })?);
    let head = open_stream(keys, Kind::Keyring, &mut file, &mut std::io::sink())
        .with_context(|| format!("opening the keyring {}", path.display()))?;
    let ring: Keyring = serde_json::from_slice(&head).context("the keyring does not read")?;
    if ring.format_version != FORMAT_VERSION {
        bail!(
            "the keyring has format {}, this version reads {FORMAT_VERSION}",
            ring.format_version
        );
    }
    Ok(ring.keys)
}

fn load_keys(config: &Config) -> Result<Keys> {
    let path = config.key_path();
    if !path.exists() {
        bail!(
            "no master key at {}: put the key file the backup was made with there (with its master.key.retired-* files), or set PASSAGE_MASTER_KEY_FILE",
            path.display()
        );
    }
    Keys::load(path).with_context(|| format!("reading the master key {}", path.display()))
}

/// `passage restore`: the data backup and the newest keyring into the data directory.
pub async fn restore(
    config: &Config,
    from: Option<&Path>,
    keyring: Option<&Path>,
    force: bool,
) -> Result<()> {
    let keys = load_keys(config)?;
    let Some(from) = from else {
        // PostgreSQL: the data came back through pg_restore; import the keyring.
        let Some(ring) = keyring else {
            bail!("give the data backup with --from FILE, or the keyring with --keyring PATH");
        };
        let entries = read_keyring(&keys, ring)?;
        let store = crate::open_with(config, keys).await?;
        return finish(&store, &entries, None).await;
    };
    if !config.is_sqlite() {
        bail!(
            "a data backup file restores the embedded database; PostgreSQL is restored with pg_restore (see the README)"
        );
    }
    let db = config
        .database_url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let db = PathBuf::from(db.split('?').next().unwrap_or_default());
    let present: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect();
    if !present.is_empty() && !force {
        bail!(
            "{} already holds a database: restore into an empty data directory, or add --force to replace it",
            config.data_dir.display()
        );
    }
    let ring_path = keyring
        .map(Path::to_path_buf)
        .unwrap_or_else(|| keyring_path(from));
    let entries = read_keyring(&keys, &ring_path)?;
    let restoring = tmp(&db, "restoring");
    let head = {
        let mut input = BufReader::new(
            File::open(from).with_context(|| format!("reading {}", from.display()))?,
        );
        let mut file = BufWriter::new(create_private(&restoring)?);
        let head = open_stream(&keys, Kind::Data, &mut input, &mut file);
        let head = match head {
            Ok(h) => h,
            Err(e) => {
                drop(file);
                let _ = std::fs::remove_file(&restoring);
                return Err(e).with_context(|| format!("opening the backup {}", from.display()));
            }
        };
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        head
    };
    let manifest: Manifest = match serde_json::from_slice(&head) {
        Ok(m) => m,
        Err(_) => {
            let _ = std::fs::remove_file(&restoring);
            bail!("the backup's manifest does not read");
        }
    };
    if manifest.format_version != FORMAT_VERSION || manifest.engine != "sqlite" {
        let _ = std::fs::remove_file(&restoring);
        bail!(
            "the backup has format {} for {}; this version restores format {FORMAT_VERSION} for sqlite",
            manifest.format_version,
            manifest.engine
        );
    }
    for p in &present {
        std::fs::remove_file(p).with_context(|| format!("replacing {}", p.display()))?;
    }
    std::fs::rename(&restoring, &db).with_context(|| format!("writing {}", db.display()))?;
    let store = crate::open_with(config, keys).await?;
    if manifest.schema_version > store.latest_migration() {
        bail!(
            "the backup was made by a newer version (schema {}, this one knows {})",
            manifest.schema_version,
            store.latest_migration()
        );
    }
    finish(&store, &entries, Some(&manifest)).await
}

/// Verifies the audit chain (against the manifest's head), imports the keyring and erases
/// again whoever was erased since.
async fn finish(
    store: &passage_store::Store,
    entries: &[WrappedKey],
    manifest: Option<&Manifest>,
) -> Result<()> {
    let now = store.describe_for_backup().await?;
    if let Some(m) = manifest {
        if (now.audit_seq, now.audit_hash.as_str()) != (m.audit_seq, m.audit_hash.as_str()) {
            bail!(
                "the restored audit chain ends at sequence {}, the manifest says {}: the backup is not the one described",
                now.audit_seq,
                m.audit_seq
            );
        }
        if m.schema_version == now.schema_version {
            for (table, n) in &m.row_counts {
                if now.row_counts.get(table) != Some(n) {
                    bail!("table {table} holds other rows than the manifest counts");
                }
            }
        }
    }
    match store.verify_audit().await? {
        Ok(n) => {
            if manifest.is_some_and(|m| n != m.audit_seq) {
                bail!(
                    "the audit chain holds {n} events, the manifest's head is at another sequence"
                );
            }
        }
        Err(broken) => bail!(
            "the restored audit chain is broken at sequence {}: {}",
            broken.seq,
            broken.reason
        ),
    }
    let op = store.operator("restore");
    let imported = store.import_person_keys(op.authority(), entries).await?;
    let erased = store.apply_erasures(op.authority()).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "restored: audit chain intact ({} events); {imported} person keys from the keyring; {erased} persons erased since the backup stay erased",
        now.audit_seq
    )?;
    Ok(())
}
