//! Blocking and threshold figures of a deduplication against a ground truth, without the CLI:
//!
//!     cargo run --release -p passage-linkage --example recall -- FILE.csv [TRUTH_COLUMN [WINDOW [MAX_BLOCK]]]
//!
//! Prints candidate pairs per key, pairs completeness, reduction ratio and precision, recall
//! and F1 at each threshold. Reads plain CSV with quoted fields; counts only, no personal data.
//! With `RECALL_MODEL` set it also prints m and u of every field; with `RECALL_DUMP` the record
//! numbers of true pairs blocking missed, with `RECALL_FALSE` those of false matched pairs with
//! their explanation (levels and bits), on stderr, to look the records up in the file. With
//! `RECALL_CLASSES` it counts the missed pairs by how their names are written (letters beyond
//! ASCII on one side, given or family name left empty); with `RECALL_SHARED`, how many missed
//! pairs share no key at all and how many share one whose block was too large to compare in
//! full, by the block's size, and how many of them would have been matched had they been
//! compared. `RECALL_THRESHOLD` sets the threshold (default the run's default).

use passage_linkage::{Column, DatasetBuilder, InputRecord, Settings, run};
use std::collections::HashMap;

fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(s) = out.last_mut() {
                    s.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out
}

/// How a missed pair's names are written: one record with letters beyond ASCII (another
/// script, accents) and the other not, or given or family name left empty on both or one side.
fn class_of(a: &[String; 3], b: &[String; 3]) -> &'static str {
    let script = |r: &[String; 3]| r.iter().any(|v| !v.is_ascii());
    let one_part = |r: &[String; 3]| r[0].is_empty() || r[1].is_empty();
    if script(a) != script(b) {
        "letters beyond ASCII on one side"
    } else if one_part(a) && one_part(b) {
        "one part on both sides"
    } else if one_part(a) || one_part(b) {
        "one part on one side"
    } else {
        "two parts on both sides"
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: recall FILE.csv [TRUTH_COLUMN]")?;
    let truth_col = args.next().unwrap_or_else(|| "cluster_true".into());
    let mut settings = Settings::default();
    if let Ok(t) = std::env::var("RECALL_THRESHOLD") {
        settings.threshold = t.parse()?;
    }
    if let Some(w) = args.next() {
        settings.blocking.window = w.parse()?;
    }
    if let Some(m) = args.next() {
        settings.blocking.max_block = m.parse()?;
    }
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header = fields(lines.next().ok_or("empty file")?);
    let cols: Vec<Option<Column>> = header.iter().map(|h| Column::parse(h)).collect();
    let t = header
        .iter()
        .position(|h| *h == truth_col)
        .ok_or("no truth column")?;
    let mut b = DatasetBuilder::new(0)?;
    let mut labels: HashMap<String, u32> = HashMap::new();
    let mut truth = Vec::new();
    // Given, family and full name as written, for the classes of missed pairs.
    let mut names: Vec<[String; 3]> = Vec::new();
    let name_cols =
        ["given_name", "family_name", "full_name"].map(|n| header.iter().position(|h| h == n));
    for line in lines {
        let row = fields(line);
        let mut rec = InputRecord::default();
        for (v, c) in row.iter().zip(&cols) {
            if let Some(c) = c
                && !v.is_empty()
            {
                rec.set(*c, v);
            }
        }
        b.push(&rec)?;
        names.push(name_cols.map(|c| c.and_then(|c| row.get(c)).cloned().unwrap_or_default()));
        let next = labels.len() as u32;
        truth.push(*labels.entry(row[t].clone()).or_insert(next));
    }
    let ds = b.finish();
    let start = std::time::Instant::now();
    let out = run(&ds, &settings, Some(&truth), &|_| {})?;
    let secs = start.elapsed().as_secs_f64();
    for (k, n) in &out.stats.pairs_per_key {
        println!("{n:>12}  {k}");
    }
    let e = out.evaluation.ok_or("no evaluation")?;
    println!(
        "records {} candidates {} pairs completeness {:.4} reduction ratio {:.6} in {secs:.1} s",
        out.stats.records, out.stats.candidate_pairs, e.pairs_completeness, e.reduction_ratio
    );
    println!(
        "default threshold: pairs P {:.4} R {:.4} F1 {:.4}; clusters P {:.4} R {:.4} F1 {:.4}",
        e.precision, e.recall, e.f1, e.cluster_precision, e.cluster_recall, e.cluster_f1
    );
    for p in &e.by_threshold {
        println!(
            "  at {:.2}: P {:.4} R {:.4} F1 {:.4}",
            p.threshold, p.precision, p.recall, p.f1
        );
    }
    println!("prior {:.2} bits", out.model.prior_bits());
    if std::env::var_os("RECALL_MODEL").is_some() {
        for f in &out.model.fields {
            let m: Vec<String> = f.m.iter().map(|v| format!("{v:.3}")).collect();
            let u: Vec<String> = f.u.iter().map(|v| format!("{v:.4}")).collect();
            println!("  {} m [{}] u [{}]", f.name, m.join(" "), u.join(" "));
        }
    }
    if std::env::var_os("RECALL_FALSE").is_some() {
        let scorer = passage_linkage::Scorer::with_rivals(&ds, &out.model, &out.rivals);
        for p in out
            .pairs
            .iter()
            .filter(|p| truth[p.a as usize] != truth[p.b as usize])
            .take(40)
        {
            eprintln!(
                "FALSE {} {} {}",
                p.a,
                p.b,
                scorer.explain(p.a as usize, p.b as usize)
            );
        }
    }
    // The true pairs blocking missed, by the agreement levels of names and date of birth.
    let found: std::collections::HashSet<(usize, usize)> =
        passage_linkage::blocking::candidates(&ds, settings.blocking)
            .into_iter()
            .collect();
    let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
    for (r, &g) in truth.iter().enumerate() {
        groups.entry(g).or_default().push(r);
    }
    let scorer = passage_linkage::Scorer::with_rivals(&ds, &out.model, &out.rivals);
    let mut kinds: HashMap<String, usize> = HashMap::new();
    let mut missed = 0usize;
    let mut classes: HashMap<&str, usize> = HashMap::new();
    for members in groups.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if found.contains(&(i, j)) {
                    continue;
                }
                missed += 1;
                if std::env::var_os("RECALL_DUMP").is_some() && missed <= 200 {
                    eprintln!("MISSED {i} {j}");
                }
                if std::env::var_os("RECALL_CLASSES").is_some() {
                    *classes.entry(class_of(&names[i], &names[j])).or_default() += 1;
                }
                let e = scorer.explain(i, j);
                let kind = format!(
                    "{} / {} / {}{}",
                    e.fields[0].level,
                    e.fields[1].level,
                    e.fields[2].level,
                    if e.names_swapped { " swapped" } else { "" }
                );
                *kinds.entry(kind).or_default() += 1;
            }
        }
    }
    if !classes.is_empty() {
        println!("missed true pairs by how the names are written: {classes:?}");
    }
    if std::env::var_os("RECALL_SHARED").is_some() {
        let mut missed_pairs = Vec::new();
        for members in groups.values() {
            for (x, &i) in members.iter().enumerate() {
                for &j in &members[x + 1..] {
                    if !found.contains(&(i.min(j), i.max(j))) {
                        missed_pairs.push((i.min(j), i.max(j)));
                    }
                }
            }
        }
        let shared = passage_linkage::blocking::shared_blocks(&ds, &missed_pairs);
        // Whether each missed pair would have been matched had blocking let it through.
        let would = |k: usize| {
            let (i, j) = missed_pairs[k];
            scorer.explain(i, j).probability >= settings.threshold
        };
        let none = shared.iter().filter(|s| s.0 == 0).count();
        let none_would = (0..shared.len())
            .filter(|&k| shared[k].0 == 0 && would(k))
            .count();
        let mut hist = [0usize; 6];
        let mut big_would = 0usize;
        for (k, s) in shared.iter().enumerate().filter(|(_, s)| s.0 != 0) {
            let b = match s.1 {
                0..=100 => 0,
                101..=300 => 1,
                301..=1000 => 2,
                1001..=3000 => 3,
                3001..=10000 => 4,
                _ => 5,
            };
            hist[b] += 1;
            if would(k) {
                big_would += 1;
            }
        }
        println!(
            "missed sharing no key {none} ({none_would} would match at the threshold); sharing a block of <=100, <=300, <=1k, <=3k, <=10k, more: {hist:?} ({big_would} would match)"
        );
    }
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    println!("missed true pairs {missed}: given / family / date of birth");
    for (k, n) in kinds.iter().take(25) {
        println!("{n:>8}  {k}");
    }
    Ok(())
}
