//! `passage keys rotate`: moves every sealed value to a new field key. The server must be
//! stopped; an interrupted run is continued by running the command again. Prints key ids and
//! counts only, never a key or a value.

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
}

pub async fn run(config: &Config, command: KeysCommand) -> Result<()> {
    let KeysCommand::Rotate { batch } = command;
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
