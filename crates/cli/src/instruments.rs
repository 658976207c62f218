//! Screening instruments: the six built into the binary (`crates/core/instruments/`), then
//! `*.toml` files of the instruments directory (`instruments_dir`, `PASSAGE_INSTRUMENTS_DIR`,
//! default `DATA_DIR/instruments`), a file with a built-in's id replacing it. Every file is
//! validated; one that does not parse or pass stops the start with a message naming the file.

use anyhow::{Context, Result, bail};
use passage_core::screening::{BUILTIN, Catalogue, Instrument};
use std::path::Path;

/// The built-in instruments, then those of `dir`. `dir` may be missing unless `required`.
pub fn load(dir: &Path, required: bool) -> Result<Catalogue> {
    let mut catalogue = Catalogue::default();
    for (name, text) in BUILTIN {
        catalogue.replace(
            Instrument::from_toml(&format!("built-in {name}"), text)
                .map_err(|e| anyhow::anyhow!("screening instrument {e}"))?,
        );
    }
    let builtin: Vec<String> = catalogue.all().map(|i| i.id.clone()).collect();
    let mut seen: Vec<String> = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut files: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for path in files {
                let origin = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading screening instrument {origin}"))?;
                let instrument = Instrument::from_toml(&origin, &text)
                    .map_err(|e| anyhow::anyhow!("screening instrument {e}"))?;
                if seen.contains(&instrument.id) {
                    bail!(
                        "two screening instruments in {} have the id {}",
                        dir.display(),
                        instrument.id
                    );
                }
                if !builtin.contains(&instrument.id) {
                    tracing::info!(instrument = %instrument.id, "screening instrument added");
                }
                seen.push(instrument.id.clone());
                catalogue.replace(instrument);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {}
        Err(e) => bail!("reading the instruments directory {}: {e}", dir.display()),
    }
    Ok(catalogue)
}
