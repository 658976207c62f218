//! `passage export htcds` and `passage export ctdc`: the statistics releases written to a CSV
//! file by the operator.
//!
//! Both read the consented cases in rounds ([`passage_store::stats::ROUND`] by id) and write
//! rows through a buffered CSV writer, so memory does not grow with the number of cases — only
//! the fixed-size tables do (the HTCDS quasi-identifier counts, the CTDC marginals). The file
//! is written beside its destination and moved there only once the release is recorded; a
//! refusal leaves nothing behind and exits non-zero.
//!
//! - **htcds**: one de-identified row per consented case ([`passage_stats::htcds`]). A first
//!   pass counts each combination of the quasi-identifiers, the second writes; a row whose
//!   combination is shared by fewer than k rows (`stats_k`) has them written as missing. A case
//!   added between the passes was not counted, so it is suppressed: never under-protected.
//! - **ctdc**: synthetic rows in the CTDC layout ([`passage_stats::ctdc`]) drawn from a chain
//!   of differentially private marginals at `--epsilon` ([`passage_stats::synth`]), one record
//!   per person, noise from the operating system's CSPRNG; the dataset's budget
//!   (`stats_epsilon_budget`) is checked before anything is read.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use passage_stats::dp::Epsilon;
use passage_stats::random::OsRandom;
use passage_stats::synth::{Marginals, release};
use passage_stats::{ctdc, htcds};
use passage_store::Store;
use passage_store::stats::{ExportKind, ExportRequest, ExportTicket, Month, Period};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Clone)]
pub enum ExportCommand {
    /// De-identified HTCDS 2.0 records of the consented cases, with k-anonymity.
    Htcds {
        /// The CSV file to write.
        #[arg(long)]
        out: PathBuf,
        /// First month (YYYY-MM) of the cases opened; default: the first.
        #[arg(long)]
        from: Option<String>,
        /// Last month (YYYY-MM); default: the latest.
        #[arg(long)]
        to: Option<String>,
    },
    /// Synthetic CTDC-layout records from differentially private marginals, spending
    /// --epsilon of the dataset's privacy budget.
    Ctdc {
        /// The CSV file to write.
        #[arg(long)]
        out: PathBuf,
        /// The privacy loss of this release (above 0, at most 10, four decimals at most).
        #[arg(long)]
        epsilon: String,
        /// First month (YYYY-MM); default: January 2000.
        #[arg(long)]
        from: Option<String>,
        /// Last month (YYYY-MM); default: the current one.
        #[arg(long)]
        to: Option<String>,
    },
}

/// The first year a CTDC release covers when no `--from` is given.
const FIRST_YEAR: i32 = 2000;

fn month(name: &str, text: Option<&str>) -> Result<Option<Month>> {
    text.map(|t| {
        Month::parse(t).with_context(|| format!("--{name} is a month, YYYY-MM; '{t}' is not"))
    })
    .transpose()
}

fn period(from: Option<&str>, to: Option<&str>) -> Result<Period> {
    let period = Period {
        from: month("from", from)?,
        to: month("to", to)?,
    };
    if let (Some(f), Some(t)) = (period.from, period.to)
        && f > t
    {
        bail!("--from comes after --to");
    }
    Ok(period)
}

/// What the operator configured for this run.
pub struct Settings {
    pub k: u64,
    pub budget: Epsilon,
}

pub async fn run(store: Store, settings: Settings, command: ExportCommand) -> Result<()> {
    let op = store.operator("export");
    match command {
        ExportCommand::Htcds { out, from, to } => {
            let request = ExportRequest {
                kind: ExportKind::Htcds,
                period: period(from.as_deref(), to.as_deref())?,
                epsilon: None,
                budget: settings.budget,
            };
            let ticket = store.stats_export_open(op.authority(), request).await?;
            let written = Partial::new(&out)?;
            let outcome = write_htcds(&store, &ticket, settings.k, written.path()).await?;
            let left_out = store.stats_export_left_out(&ticket).await?;
            let parameters = serde_json::json!({
                "k": settings.k,
                "columns": htcds::COLUMNS,
                "quasi_identifiers": htcds::QUASI.iter().map(|&i| htcds::COLUMNS[i]).collect::<Vec<_>>(),
                "suppressed": outcome.suppressed,
            });
            let id = store
                .stats_export_record(ticket, &parameters, outcome.rows)
                .await?;
            written.publish()?;
            println!(
                "htcds release {id}: {} rows written to {}; {} had their quasi-identifiers suppressed (k = {}); {left_out} cases left out without a statistics consent",
                outcome.rows,
                out.display(),
                outcome.suppressed,
                settings.k
            );
            Ok(())
        }
        ExportCommand::Ctdc {
            out,
            epsilon,
            from,
            to,
        } => {
            let epsilon =
                Epsilon::parse(&epsilon).map_err(|e| anyhow::anyhow!("--epsilon: {e}"))?;
            let period = period(from.as_deref(), to.as_deref())?;
            let this_year = passage_core::casework::calendar::Day::from_unix_ms(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            );
            let first = period.from.map_or(FIRST_YEAR, |m| m.year);
            let last = period
                .to
                .map_or_else(|| Month::of(this_year).year, |m| m.year);
            let request = ExportRequest {
                kind: ExportKind::Ctdc,
                period,
                epsilon: Some(epsilon),
                budget: settings.budget,
            };
            let ticket = store.stats_export_open(op.authority(), request).await?;
            let layout = ctdc::Layout::new(first, last);
            let written = Partial::new(&out)?;
            let outcome = write_ctdc(&store, &ticket, &layout, epsilon, written.path()).await?;
            let left_out = store.stats_export_left_out(&ticket).await?;
            let modelled = ctdc::Layout::modelled();
            let mut marginals = vec![modelled[0].to_string()];
            marginals.extend(modelled.windows(2).map(|w| format!("{}×{}", w[0], w[1])));
            let parameters = serde_json::json!({
                "epsilon": epsilon.to_string(),
                "epsilon_per_query": outcome.each.to_string(),
                "queries": outcome.queries,
                // Discrete Laplace on counts of sensitivity 1 (one record per person).
                "noise": "discrete_laplace",
                "marginals": marginals,
                "columns": ctdc::HEADER,
                "years": [first, last],
            });
            let before = ticket.before;
            let id = store
                .stats_export_record(ticket, &parameters, outcome.rows)
                .await?;
            written.publish()?;
            let left = before
                .charge(epsilon)
                .map(|b| passage_stats::budget::show(b.left()))
                .unwrap_or_default();
            println!(
                "ctdc release {id}: {} synthetic rows written to {} at epsilon {epsilon} ({} queries at {} each); epsilon {left} left for this dataset; {left_out} cases left out without a statistics consent",
                outcome.rows,
                out.display(),
                outcome.queries,
                outcome.each
            );
            Ok(())
        }
    }
}

/// A file written beside its destination and moved there by [`Partial::publish`]; removed if
/// dropped before.
struct Partial {
    temp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Partial {
    fn new(dest: &Path) -> Result<Partial> {
        let name = dest
            .file_name()
            .with_context(|| format!("--out {} names no file", dest.display()))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(".partial");
        Ok(Partial {
            temp: dest.with_file_name(temp_name),
            dest: dest.to_path_buf(),
            done: false,
        })
    }

    fn path(&self) -> &Path {
        &self.temp
    }

    fn publish(mut self) -> Result<()> {
        std::fs::rename(&self.temp, &self.dest)
            .with_context(|| format!("moving the file to {}", self.dest.display()))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

fn writer(path: &Path) -> Result<csv::Writer<std::fs::File>> {
    csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_path(path)
        .with_context(|| format!("creating {}", path.display()))
}

struct HtcdsOutcome {
    rows: u64,
    suppressed: u64,
}

async fn write_htcds(
    store: &Store,
    ticket: &ExportTicket,
    k: u64,
    path: &Path,
) -> Result<HtcdsOutcome> {
    // First pass: how many records share each combination of quasi-identifiers.
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut after = String::new();
    loop {
        let round = store.stats_export_round(ticket, &after).await?;
        for r in &round.records {
            *counts.entry(htcds::quasi_key(&htcds::row(r))).or_default() += 1;
        }
        match round.next {
            Some(next) => after = next,
            None => break,
        }
    }
    // Second pass: write, suppressing the rare combinations.
    let mut w = writer(path)?;
    w.write_record(htcds::COLUMNS)?;
    let (mut rows, mut suppressed) = (0u64, 0u64);
    let mut after = String::new();
    loop {
        let round = store.stats_export_round(ticket, &after).await?;
        for r in &round.records {
            let mut row = htcds::row(r);
            if counts.get(&htcds::quasi_key(&row)).copied().unwrap_or(0) < k {
                htcds::suppress(&mut row);
                suppressed += 1;
            }
            w.write_record(&row)?;
            rows += 1;
        }
        match round.next {
            Some(next) => after = next,
            None => break,
        }
    }
    w.flush().context("writing the file")?;
    Ok(HtcdsOutcome { rows, suppressed })
}

struct CtdcOutcome {
    rows: u64,
    queries: u32,
    each: Epsilon,
}

async fn write_ctdc(
    store: &Store,
    ticket: &ExportTicket,
    layout: &ctdc::Layout,
    epsilon: Epsilon,
    path: &Path,
) -> Result<CtdcOutcome> {
    let mut marginals = Marginals::new(layout.sizes())?;
    let mut after = String::new();
    loop {
        let round = store.stats_export_round(ticket, &after).await?;
        for r in &round.records {
            if let Some(row) = layout.encode(r) {
                marginals.add(&row)?;
            }
        }
        match round.next {
            Some(next) => after = next,
            None => break,
        }
    }
    let mut rng = OsRandom::new();
    let noisy = release(&marginals, epsilon, &mut rng)?;
    let mut w = writer(path)?;
    w.write_record(ctdc::HEADER)?;
    for _ in 0..noisy.records() {
        w.write_record(layout.decode(&noisy.sample(&mut rng)?))?;
    }
    w.flush().context("writing the file")?;
    Ok(CtdcOutcome {
        rows: noisy.records(),
        queries: marginals.queries(),
        each: passage_stats::synth::share(epsilon, marginals.queries())?,
    })
}
