//! `passage linkage`: deduplicate a CSV file, link two, encode for privacy-preserving linkage.
//! Needs no database and no configuration. Progress goes to standard error as counts only;
//! nothing printed carries personal data.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use passage_linkage::bloom::{self, Clk};
use passage_linkage::{Column, DatasetBuilder, InputRecord, Settings};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

#[derive(Subcommand, Clone)]
pub enum LinkageCommand {
    /// Find records of the same person within one CSV file.
    Dedupe {
        /// Input CSV with a header row (an `id` column and any recognised columns).
        #[arg(long)]
        input: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Find records of the same person across two CSV files (or two encoded files with
    /// --encoded).
    Link {
        /// Left CSV file.
        #[arg(long)]
        left: PathBuf,
        /// Right CSV file.
        #[arg(long)]
        right: PathBuf,
        /// The files are `id,clk` encodings from `passage linkage encode`: names, date of birth
        /// and sex are compared region by region (Dice similarity) and scored as plaintext is.
        #[arg(long)]
        encoded: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Encode a CSV file as keyed Bloom filters (`id,clk`) for privacy-preserving linkage.
    Encode {
        /// Input CSV file.
        #[arg(long)]
        input: PathBuf,
        /// Rename columns: `recognised=actual`, comma-separated.
        #[arg(long, value_delimiter = ',')]
        map: Vec<String>,
        /// File holding the key the partners share (at least 16 bytes; keep it secret).
        #[arg(long)]
        key_file: PathBuf,
        /// Output CSV `id,clk` (clk in base64).
        #[arg(long)]
        output: PathBuf,
        /// Print no progress.
        #[arg(long)]
        quiet: bool,
        /// Refuse the file at the first value that cannot be read (see `linkage dedupe`).
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Args, Clone)]
pub struct Common {
    /// Rename columns: `recognised=actual`, comma-separated (e.g. given_name=first_name).
    #[arg(long, value_delimiter = ',')]
    map: Vec<String>,
    /// Other columns to use as exact-match evidence, comma-separated.
    #[arg(long, value_delimiter = ',')]
    exact: Vec<String>,
    /// Output CSV of matched pairs: id_l,id_r,probability.
    #[arg(long)]
    pairs: PathBuf,
    /// Output CSV of clusters: id,cluster (every input id once).
    #[arg(long)]
    clusters: PathBuf,
    /// Match probability at or above which a pair is a match (default 0.5; 0.9 with
    /// --encoded).
    #[arg(long)]
    threshold: Option<f64>,
    /// A ground-truth cluster column: print pairs completeness, precision, recall and F1.
    #[arg(long)]
    truth: Option<String>,
    /// Print the explanation of the N strongest and N weakest matched pairs.
    #[arg(long, default_value_t = 0)]
    explain: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print no progress.
    #[arg(long)]
    quiet: bool,
    /// Refuse the input at the first value that cannot be read (a date that is not a date, a
    /// name in no known script, a phone number without digits), naming its line and column.
    /// Without it such values are kept, compared as documented, and counted per column.
    #[arg(long)]
    strict: bool,
    /// Print the explanation of the pair of these two ids (ID1,ID2); repeatable.
    #[arg(long, value_delimiter = ',', num_args = 1)]
    explain_pair: Vec<String>,
    /// Print the trained model (m, u and weight of every field level; no personal data).
    #[arg(long)]
    show_model: bool,
    /// Blocks of up to this many records are compared in full; larger ones by sorted
    /// neighbourhood (default 100).
    #[arg(long)]
    max_block: Option<usize>,
    /// In a larger block, each record is compared with this many neighbours in each of three
    /// orderings (default 8).
    #[arg(long)]
    window: Option<usize>,
}

struct Progress {
    start: Instant,
    quiet: bool,
    /// The last percentage of the comparing step reported.
    shown: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        Progress {
            start: Instant::now(),
            quiet,
            shown: Default::default(),
        }
    }

    fn line(&self, msg: &str) {
        if self.quiet {
            return;
        }
        let t = self.start.elapsed().as_secs_f64();
        let Some(pct) = msg
            .strip_prefix(passage_linkage::PROGRESS_PREFIX)
            .and_then(|p| p.trim_end_matches('%').parse::<usize>().ok())
        else {
            eprintln!("[{t:7.1}s] {msg}");
            return;
        };
        if std::io::stderr().is_terminal() {
            // A bar redrawn in place; the line ends when the step does.
            let filled = pct.min(100) * 30 / 100;
            eprint!(
                "\r[{t:7.1}s] comparing [{}{}] {pct:3}%",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
            if pct >= 100 {
                eprintln!();
            }
        } else if pct / 25 > self.shown.load(Ordering::Relaxed) / 25 {
            // In a log, a line a quarter.
            eprintln!("[{t:7.1}s] comparing: {pct}%");
        }
        self.shown.store(pct, Ordering::Relaxed);
    }
}

/// Runs a linkage command.
pub fn run(command: LinkageCommand) -> Result<()> {
    match command {
        LinkageCommand::Dedupe { input, common } => {
            threads(common.threads)?;
            plaintext(&[input], &common)
        }
        LinkageCommand::Link {
            left,
            right,
            encoded,
            common,
        } => {
            threads(common.threads)?;
            if encoded {
                encoded_link(&left, &right, &common)
            } else {
                plaintext(&[left, right], &common)
            }
        }
        LinkageCommand::Encode {
            input,
            map,
            key_file,
            output,
            quiet,
            strict,
        } => encode(&input, &map, &key_file, &output, quiet, strict),
    }
}

fn threads(n: Option<usize>) -> Result<()> {
    if let Some(n) = n {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("starting worker threads")?;
    }
    Ok(())
}

/// Where each recognised column, the id, the exact columns and the truth are in a file.
struct Layout {
    id: usize,
    columns: Vec<(Column, usize)>,
    exact: Vec<usize>,
    truth: Option<usize>,
}

fn parse_map(map: &[String]) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for m in map {
        if m.trim().is_empty() {
            continue;
        }
        let Some((recognised, actual)) = m.split_once('=') else {
            bail!("--map takes recognised=actual, got {m:?}");
        };
        let recognised = recognised.trim();
        if recognised != "id" && Column::parse(recognised).is_none() {
            bail!(
                "--map names an unknown column {recognised:?}; recognised columns: id, {}",
                Column::ALL.map(Column::name).join(", ")
            );
        }
        out.insert(recognised.to_string(), actual.trim().to_string());
    }
    Ok(out)
}

fn layout(
    path: &Path,
    headers: &csv::StringRecord,
    map: &HashMap<String, String>,
    exact: &[String],
    truth: Option<&str>,
) -> Result<Layout> {
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let name_of = |recognised: &str| -> String {
        map.get(recognised)
            .cloned()
            .unwrap_or_else(|| recognised.to_string())
    };
    for (recognised, actual) in map {
        if find(actual).is_none() {
            bail!(
                "{}: column {actual:?} (given for {recognised} in --map) is not in the header",
                path.display()
            );
        }
    }
    let id = find(&name_of("id"))
        .with_context(|| format!("{}: no {:?} column", path.display(), name_of("id")))?;
    let columns = Column::ALL
        .into_iter()
        .filter_map(|c| find(&name_of(c.name())).map(|i| (c, i)))
        .collect();
    let exact = exact
        .iter()
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            find(e.trim()).with_context(|| {
                format!(
                    "{}: column {e:?} named in --exact is not in the header",
                    path.display()
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let truth = match truth {
        Some(t) => Some(find(t).with_context(|| {
            format!(
                "{}: truth column {t:?} is not in the header",
                path.display()
            )
        })?),
        None => None,
    };
    Ok(Layout {
        id,
        columns,
        exact,
        truth,
    })
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("opening {}", path.display()))
}

/// Ids and ground-truth labels of the records read so far.
#[derive(Default)]
pub(crate) struct Loaded {
    ids: Vec<String>,
    labels: Vec<u32>,
    truth_labels: HashMap<String, u32>,
}

/// Reads one file into the builder, adding its ids and truth labels to `loaded`.
pub(crate) fn read_into(
    path: &Path,
    builder: &mut DatasetBuilder,
    map: &HashMap<String, String>,
    exact: &[String],
    truth: Option<&str>,
    strict: bool,
    loaded: &mut Loaded,
) -> Result<()> {
    let mut rdr = reader(path)?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{}: reading the header", path.display()))?
        .clone();
    let layout = layout(path, &headers, map, exact, truth)?;
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut row = csv::StringRecord::new();
    let mut data_row = 0usize;
    let mut unreadable: Vec<(Column, u64)> = Vec::new();
    loop {
        match rdr.read_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => bail!("{}: {e}", path.display()),
        }
        data_row += 1;
        // The file's line where the record starts (the header is line 1).
        let line = row.position().map_or(data_row + 1, |p| {
            usize::try_from(p.line()).unwrap_or(usize::MAX)
        });
        let id = row.get(layout.id).unwrap_or("").trim();
        if id.is_empty() {
            bail!("{} line {line}: the id is empty", path.display());
        }
        if seen.insert(id.to_string(), ()).is_some() {
            bail!(
                "{} line {line}: the id appears twice in the file",
                path.display()
            );
        }
        let mut rec = InputRecord::default();
        for &(c, i) in &layout.columns {
            if let Some(v) = row.get(i) {
                rec.set(c, v);
            }
        }
        rec.exact = layout
            .exact
            .iter()
            .map(|&i| row.get(i).filter(|v| !v.trim().is_empty()))
            .collect();
        let noisy = builder
            .push(&rec)
            .with_context(|| format!("{} line {line}", path.display()))?;
        if let Some(column) = noisy.columns().next()
            && strict
        {
            let header = layout
                .columns
                .iter()
                .find(|(c, _)| *c == column)
                .and_then(|(_, i)| headers.get(*i))
                .unwrap_or(column.name());
            bail!(
                "{} line {line} (data row {data_row}), column {header:?}: the value cannot be read as {}; without --strict it is kept and counted",
                path.display(),
                what(column)
            );
        }
        for column in noisy.columns() {
            match unreadable.iter_mut().find(|(c, _)| *c == column) {
                Some((_, n)) => *n += 1,
                None => unreadable.push((column, 1)),
            }
        }
        if let Some(t) = layout.truth {
            let label = row.get(t).unwrap_or("").trim().to_string();
            let next = loaded.truth_labels.len() as u32;
            // A record without a truth label is its own group.
            let l = if label.is_empty() {
                let unique = format!("\u{0}{}", loaded.ids.len());
                *loaded.truth_labels.entry(unique).or_insert(next)
            } else {
                *loaded.truth_labels.entry(label).or_insert(next)
            };
            loaded.labels.push(l);
        }
        loaded.ids.push(id.to_string());
    }
    // A warning, not progress: printed even with --quiet. Counts only, never a value.
    unreadable.sort_by_key(|(c, _)| Column::ALL.iter().position(|x| x == c));
    for (column, n) in unreadable {
        eprintln!(
            "{}: {n} {} in column {} could not be read as {} ({})",
            path.display(),
            if n == 1 { "value" } else { "values" },
            column.name(),
            what(column),
            how(column)
        );
    }
    Ok(())
}

/// What a value of `column` is read as.
fn what(column: Column) -> &'static str {
    match column {
        Column::DateOfBirth => "a date (YYYY, YYYY-MM or YYYY-MM-DD)",
        Column::Phone => "a phone number (at least four digits)",
        _ => "a name in Latin letters",
    }
}

/// How a value of `column` that could not be read is compared.
fn how(column: Column) -> &'static str {
    match column {
        Column::DateOfBirth => {
            "compared as missing; an impossible day or month keeps the year (and month)"
        }
        Column::Phone => "compared as missing",
        _ => "compared as written",
    }
}

fn threshold(t: Option<f64>, default: f64) -> Result<f64> {
    let t = t.unwrap_or(default);
    if !(t > 0.0 && t <= 1.0) {
        bail!("--threshold must be above 0 and at most 1");
    }
    Ok(t)
}

fn plaintext(files: &[PathBuf], common: &Common) -> Result<()> {
    let progress = Progress::new(common.quiet);
    let threshold = threshold(common.threshold, Settings::default().threshold)?;
    let map = parse_map(&common.map)?;
    let exact: Vec<String> = common
        .exact
        .iter()
        .filter(|e| !e.trim().is_empty())
        .cloned()
        .collect();
    let mut builder = DatasetBuilder::new(exact.len())?;
    let mut loaded = Loaded::default();
    for (k, f) in files.iter().enumerate() {
        read_into(
            f,
            &mut builder,
            &map,
            &exact,
            common.truth.as_deref(),
            common.strict,
            &mut loaded,
        )?;
        if k == 0 && files.len() == 2 {
            builder.end_left_side();
        }
    }
    progress.line(&format!("read {} records; normalising", builder.len()));
    let ds = builder.finish();
    let Loaded { ids, labels, .. } = loaded;
    let defaults = Settings::default();
    let settings = Settings {
        threshold,
        blocking: passage_linkage::BlockingSettings {
            max_block: common
                .max_block
                .unwrap_or(defaults.blocking.max_block)
                .max(2),
            window: common.window.unwrap_or(defaults.blocking.window).max(1),
        },
        ..defaults
    };
    let say = |m: &str| progress.line(m);
    let truth = common.truth.as_ref().map(|_| labels.as_slice());
    let outcome = passage_linkage::run(&ds, &settings, truth, &say)?;
    write_pairs(
        &common.pairs,
        outcome.pairs.iter().map(|p| {
            (
                ids[p.a as usize].as_str(),
                ids[p.b as usize].as_str(),
                p.probability,
            )
        }),
    )?;
    write_clusters(&common.clusters, &ids, &outcome.clusters)?;
    progress.line(&format!(
        "done: {} records, {} candidate pairs, {} matched pairs, {} clusters of two or more",
        outcome.stats.records,
        outcome.stats.candidate_pairs,
        outcome.stats.matched_pairs,
        outcome.stats.clusters
    ));
    let mut out = std::io::stdout().lock();
    if let Some(e) = &outcome.evaluation {
        writeln!(out, "true pairs            {}", e.true_pairs)?;
        writeln!(out, "pairs completeness    {:.4}", e.pairs_completeness)?;
        writeln!(out, "reduction ratio       {:.6}", e.reduction_ratio)?;
        writeln!(
            out,
            "pairs   precision {:.4} recall {:.4} F1 {:.4}",
            e.precision, e.recall, e.f1
        )?;
        writeln!(
            out,
            "clusters precision {:.4} recall {:.4} F1 {:.4}",
            e.cluster_precision, e.cluster_recall, e.cluster_f1
        )?;
        for t in &e.by_threshold {
            writeln!(
                out,
                "at threshold {:.2}  precision {:.4} recall {:.4} F1 {:.4}",
                t.threshold, t.precision, t.recall, t.f1
            )?;
        }
        if let Some(best) = e.by_threshold.iter().max_by(|a, b| a.f1.total_cmp(&b.f1)) {
            writeln!(
                out,
                "F1 peaks at threshold {:.2} (F1 {:.4})",
                best.threshold, best.f1
            )?;
        }
    }
    if common.show_model {
        let m = &outcome.model;
        writeln!(
            out,
            "prior {:+.2} bits (lambda {:.3e})",
            m.prior_bits(),
            m.lambda
        )?;
        for f in &m.fields {
            for (l, name) in f.levels.iter().enumerate() {
                writeln!(
                    out,
                    "{:16} {:28} m {:.4} u {:.6} {:+.2} bits",
                    f.name,
                    name,
                    f.m[l],
                    f.u[l],
                    (f.m[l].max(1e-6) / f.u[l].max(1e-6)).log2()
                )?;
            }
        }
    }
    if !common.explain_pair.is_empty() {
        let index: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let scorer = passage_linkage::Scorer::with_rivals(&ds, &outcome.model, &outcome.rivals);
        for pair in common.explain_pair.chunks(2) {
            let [a, b] = pair else {
                bail!("--explain-pair takes two ids");
            };
            let (Some(&i), Some(&j)) = (index.get(a.as_str()), index.get(b.as_str())) else {
                bail!("--explain-pair: an id is not in the input");
            };
            writeln!(out, "{a} {b}: {}", scorer.explain(i, j))?;
        }
    }
    if common.explain > 0 {
        let scorer = passage_linkage::Scorer::with_rivals(&ds, &outcome.model, &outcome.rivals);
        let n = outcome.pairs.len();
        let mut shown: Vec<usize> = (0..common.explain.min(n)).collect();
        shown.extend(n.saturating_sub(common.explain)..n);
        shown.sort_unstable();
        shown.dedup();
        for k in shown {
            let p = outcome.pairs[k];
            writeln!(
                out,
                "{} {}: {}",
                ids[p.a as usize],
                ids[p.b as usize],
                scorer.explain(p.a as usize, p.b as usize)
            )?;
        }
    }
    Ok(())
}

fn write_pairs<'a>(
    path: &Path,
    pairs: impl Iterator<Item = (&'a str, &'a str, f64)>,
) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(["id_l", "id_r", "probability"])?;
    for (a, b, p) in pairs {
        w.write_record([a, b, &format!("{p:.6}")])?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Clusters numbered 0, 1, 2… in the order of their first record.
fn write_clusters(path: &Path, ids: &[String], clusters: &[u32]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(["id", "cluster"])?;
    let mut number: HashMap<u32, usize> = HashMap::new();
    for (id, c) in ids.iter().zip(clusters) {
        let next = number.len();
        let n = *number.entry(*c).or_insert(next);
        w.write_record([id.as_str(), &n.to_string()])?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn read_key(path: &Path) -> Result<Vec<u8>> {
    let mut key = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    while key.last().is_some_and(|b| b.is_ascii_whitespace()) {
        key.pop();
    }
    if key.len() < 16 {
        bail!("{}: the key must have at least 16 bytes", path.display());
    }
    Ok(key)
}

fn encode(
    input: &Path,
    map: &[String],
    key_file: &Path,
    output: &Path,
    quiet: bool,
    strict: bool,
) -> Result<()> {
    let progress = Progress::new(quiet);
    let key = read_key(key_file)?;
    let map = parse_map(map)?;
    let mut builder = DatasetBuilder::new(0)?;
    let mut loaded = Loaded::default();
    read_into(input, &mut builder, &map, &[], None, strict, &mut loaded)?;
    let ids = loaded.ids;
    progress.line(&format!("read {} records; encoding", ids.len()));
    let ds = builder.finish();
    let clks = bloom::encode_all(&ds, &key)?;
    let mut w =
        csv::Writer::from_path(output).with_context(|| format!("creating {}", output.display()))?;
    w.write_record(["id", "clk"])?;
    for (id, c) in ids.iter().zip(&clks) {
        w.write_record([id.as_str(), &c.to_base64()])?;
    }
    w.flush()
        .with_context(|| format!("writing {}", output.display()))?;
    progress.line(&format!("wrote {} encodings", clks.len()));
    Ok(())
}

fn read_encoded(path: &Path, map: &HashMap<String, String>) -> Result<(Vec<String>, Vec<Clk>)> {
    let mut rdr = reader(path)?;
    let headers = rdr.headers()?.clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let id_name = map.get("id").map_or("id", String::as_str);
    let id = find(id_name).with_context(|| format!("{}: no {id_name:?} column", path.display()))?;
    let clk = find("clk").with_context(|| format!("{}: no \"clk\" column", path.display()))?;
    let mut ids = Vec::new();
    let mut clks = Vec::new();
    let mut row = csv::StringRecord::new();
    let mut line = 1usize;
    while rdr
        .read_record(&mut row)
        .with_context(|| format!("reading {}", path.display()))?
    {
        line += 1;
        ids.push(row.get(id).unwrap_or("").trim().to_string());
        clks.push(
            Clk::from_base64(row.get(clk).unwrap_or(""))
                .with_context(|| format!("{} line {line}", path.display()))?,
        );
    }
    Ok((ids, clks))
}

fn encoded_link(left: &Path, right: &Path, common: &Common) -> Result<()> {
    let progress = Progress::new(common.quiet);
    let threshold = threshold(common.threshold, 0.9)?;
    let map = parse_map(&common.map)?;
    if !common.exact.is_empty() {
        bail!("--exact cannot be used with --encoded: encodings carry no other columns");
    }
    let (mut ids, l) = read_encoded(left, &map)?;
    let (right_ids, r) = read_encoded(right, &map)?;
    progress.line(&format!(
        "read {} and {} encodings; linking",
        l.len(),
        r.len()
    ));
    let nl = ids.len();
    let say = |m: &str| progress.line(m);
    let outcome = bloom::link_encoded(&l, &r, threshold, &say)?;
    write_pairs(
        &common.pairs,
        outcome
            .pairs
            .iter()
            .map(|&(i, j, d)| (ids[i as usize].as_str(), right_ids[j as usize].as_str(), d)),
    )?;
    ids.extend(right_ids);
    write_clusters(&common.clusters, &ids, &outcome.clusters)?;
    progress.line(&format!(
        "done: {} candidate pairs, {} matched pairs (left {nl})",
        outcome.candidate_pairs,
        outcome.pairs.len()
    ));
    Ok(())
}
