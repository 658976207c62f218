//! `passage keys rotate`: moves every sealed value to a new field key. The server must be
//! stopped; an interrupted run is continued by running the command again.
//! `passage keys reseal-persons`: moves the values of persons' records sealed before person
//! keys existed under each person's data key (once, after upgrading; the server may run).
//! Both print key ids and counts only, never a key or a value.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use passage_store::keys::rotate::Rotation;

use crate::config::Config;

#[derive(Subcommand, Clone)]
pub enum KeysCommand {
    /// Re-seal every sealed value under a new field key, in batches of one transaction each,
    /// then make it the current key. Resumes an interrupted rotation. Stop the server first.
    Rotate {
        /// Values re-sealed per transaction.
        #[arg(long, default_value_t = 500, env = "PASSAGE_ROTATE_BATCH")]
        batch: usize,
    },
    /// Re-seal the values of every person's records that are still under a field key under
    /// that person's own data key (making the key for a person who has none), in batches of
    /// one transaction each. Run once after upgrading; running it again changes nothing.
    ResealPersons {
        /// Values re-sealed per transaction.
        #[arg(long, default_value_t = 500, env = "PASSAGE_ROTATE_BATCH")]
        batch: usize,
    },
}

pub async fn run(config: &Config, command: KeysCommand) -> Result<()> {
    let batch = match command {
        KeysCommand::Rotate { batch } => batch,
        KeysCommand::ResealPersons { batch } => return reseal_persons(config, batch).await,
    };
    if batch == 0 {
        bail!("--batch must be at least 1");
    }
    let path = config.key_path();
    if !path.exists() {
        bail!("no key file at {}: nothing to rotate", path.display());
    }
    let rotation = Rotation::prepare(path)
        .with_context(|| format!("preparing the rotation of {}", path.display()))?;
    let (from, to) = (rotation.from(), rotation.to());
    tracing::info!(%from, %to, "rotating the field key");
    let store = crate::open_with(config, rotation.keys()).await?;
    let operator = store.operator("keys rotate");
    let mut total: u64 = 0;
    loop {
        let n = store
            .reseal_batch(operator.authority(), batch)
            .await
            .context("re-sealing a batch (run the command again to continue)")?;
        if n == 0 {
            break;
        }
        total += n as u64;
        tracing::info!(resealed = total, "batch committed");
    }
    store
        .record_rotation(operator.authority(), from, to, total)
        .await?;
    drop(store);
    let retired = rotation.finish().context("promoting the new field key")?;
    println!(
        "field key rotated from {from} to {to}: {total} values resealed; the old key is kept at {}",
        retired.display()
    );
    Ok(())
}

async fn reseal_persons(config: &Config, batch: usize) -> Result<()> {
    if batch == 0 {
        bail!("--batch must be at least 1");
    }
    let store = crate::open(config, false).await?;
    let operator = store.operator("keys reseal-persons");
    let (mut values, mut made) = (0u64, 0u64);
    let mut cursor = passage_store::erasure::reseal::ResealCursor::default();
    loop {
        let done = store
            .reseal_persons_batch(operator.authority(), batch, &mut cursor)
            .await
            .context("re-sealing a batch (run the command again to continue)")?;
        if done.values == 0 {
            break;
        }
        values += done.values as u64;
        made += done.keys_made as u64;
        tracing::info!(resealed = values, keys_made = made, "batch committed");
    }
    println!("{values} values moved under their person's data key; {made} person keys made");
    Ok(())
}
