//! Record linkage for Passage: finding the same person across reports, cases and partners.
//!
//! Pure Rust, no database and no I/O: the caller streams records into a [`DatasetBuilder`]
//! and gets back scored pairs, clusters and explanations.
//!
//! 1. **Normalisation** ([`normalize`]): any script to lowercase Latin (Arabic with its own
//!    table and a variant list of common names, Cyrillic, Devanagari and the rest through
//!    transliteration), titles and particles dropped, "Abd al …" compounds joined, a canonical
//!    spelling for common name variants and a phonetic key.
//! 2. **Comparison**: each field gives a discrete agreement level — names exact / variant /
//!    close (typo) / phonetic / partial (one of several names) / disagree, also tried with given
//!    and family names swapped; dates exact / typo or day–month swap / year and month / year
//!    only / year off by one / disagree; phone, document number, places and `--exact` columns.
//! 3. **Blocking** ([`blocking`]): several keys (name sounds with initials or birth year, full
//!    date, document, phone, both name sounds in either order), large blocks by sorted
//!    neighbourhood.
//! 4. **Scoring** ([`model`]): Fellegi–Sunter with u from random pairs, m by
//!    expectation–maximisation, term-frequency adjustment and an estimated prior.
//! 5. **Clustering** with a guard against chaining, deterministic.
//! 6. **Explanation** of every score ([`Explanation`]): per field the level and its weight in
//!    bits.
//! 7. **Privacy-preserving linkage** ([`bloom`]): keyed Bloom-filter encodings compared by Dice
//!    similarity, so partners find common persons without exchanging identities.

pub mod blocking;
pub mod bloom;
pub mod business;
mod cluster;
pub mod compare;
mod dataset;
pub mod date;
mod encoded;
pub mod evaluate;
mod hash;
pub mod model;
pub mod normalize;
pub mod rivals;
pub mod single;

pub use blocking::BlockingSettings;
pub use dataset::{Column, Dataset, DatasetBuilder, InputRecord, MAX_EXACT_COLUMNS, Unreadable};
pub use model::Model;
pub use rivals::Rivals;
pub use single::compare_one;

use blocking::{agreeing_keys, unpack};
use dataset::level_of;
use model::PatternCounts;
use rayon::prelude::*;

/// What can go wrong. Messages never carry the personal data that caused them.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkageError {
    /// A date of birth that is not a partial ISO date.
    #[error("a date of birth is not {expected}")]
    BadDate {
        /// The accepted shapes.
        expected: &'static str,
    },
    /// More `--exact` columns than the comparison vector holds.
    #[error("at most {0} extra exact-match columns are supported")]
    TooManyExactColumns(usize),
    /// A threshold outside (0, 1].
    #[error("the threshold must be above 0 and at most 1")]
    BadThreshold,
    /// An encoding that is not a Bloom filter of the expected size.
    #[error("an encoding is not a base64 Bloom filter of {0} bits")]
    BadEncoding(usize),
    /// A key too short to protect the encodings.
    #[error("the encoding key must have at least 16 bytes")]
    ShortKey,
}

/// Progress messages that start with this carry a percentage of the comparing step
/// (`comparing: 35%`): a caller may draw them as a bar.
pub const PROGRESS_PREFIX: &str = "comparing: ";

/// Settings of a run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Pairs at or above this match probability are matches (default 0.5: with rivals taking
    /// their share the probability is calibrated, and F1 peaks there; see the README).
    pub threshold: f64,
    /// Blocking.
    pub blocking: BlockingSettings,
    /// Random pairs drawn to estimate u.
    pub u_samples: usize,
    /// Iterations of expectation–maximisation per session.
    pub em_iterations: usize,
    /// Two groups join only when the mean probability across them reaches this.
    pub cluster_guard: f64,
    /// Largest cluster.
    pub max_cluster: usize,
    /// Seed of the random pair sampler (results are deterministic for a seed).
    pub seed: u64,
    /// Expected other matches of a record that halve the odds of each of its pairs (its
    /// candidates compete for it, see the `rivals` module); 0 scores every pair alone.
    pub rivals: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.5,
            blocking: BlockingSettings::default(),
            u_samples: 300_000,
            em_iterations: 40,
            cluster_guard: 0.5,
            max_cluster: 200,
            seed: 0x5eed,
            rivals: 1.0,
        }
    }
}

/// A pair of records at or above the threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    /// The record with the smaller index.
    pub a: u32,
    /// The other record.
    pub b: u32,
    /// Match probability.
    pub probability: f64,
}

/// Counts that describe a run (no personal data).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Records.
    pub records: usize,
    /// All comparable pairs.
    pub total_pairs: f64,
    /// Candidate pairs after blocking.
    pub candidate_pairs: usize,
    /// Candidate pairs contributed by each blocking key (first key that found them).
    pub pairs_per_key: Vec<(&'static str, usize)>,
    /// Pairs at or above the threshold.
    pub matched_pairs: usize,
    /// Clusters of more than one record.
    pub clusters: usize,
}

/// Quality against a ground truth (a cluster label per record).
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// True matching pairs.
    pub true_pairs: u64,
    /// Share of true pairs among the candidate pairs (pairs completeness).
    pub pairs_completeness: f64,
    /// 1 − candidate pairs / all pairs.
    pub reduction_ratio: f64,
    /// Pairwise precision of the matched pairs.
    pub precision: f64,
    /// Pairwise recall of the matched pairs.
    pub recall: f64,
    /// Pairwise F1 of the matched pairs.
    pub f1: f64,
    /// Pairwise precision of the pairs implied by the clusters.
    pub cluster_precision: f64,
    /// Pairwise recall of the pairs implied by the clusters.
    pub cluster_recall: f64,
    /// Pairwise F1 of the pairs implied by the clusters.
    pub cluster_f1: f64,
    /// Precision, recall and F1 of the pairs at each of [`evaluate::THRESHOLDS`].
    pub by_threshold: Vec<ThresholdPoint>,
}

/// Quality of the pairs at one threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ThresholdPoint {
    /// Match probability at or above which a pair counts as matched.
    pub threshold: f64,
    /// Pairwise precision.
    pub precision: f64,
    /// Pairwise recall.
    pub recall: f64,
    /// Pairwise F1.
    pub f1: f64,
}

/// The result of a run.
pub struct Outcome {
    /// The trained model.
    pub model: Model,
    /// How much each pair's rivals took of its odds (see [`Scorer::with_rivals`]).
    pub rivals: Rivals,
    /// Matched pairs, strongest first.
    pub pairs: Vec<ScoredPair>,
    /// For each record, the smallest record index of its cluster.
    pub clusters: Vec<u32>,
    /// Counts.
    pub stats: Stats,
    /// Quality, when a ground truth was given.
    pub evaluation: Option<Evaluation>,
}

/// One field's part in a score.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldEvidence {
    /// Field name.
    pub field: String,
    /// Agreement level ("exact", "phonetic", "year only", … or "missing").
    pub level: &'static str,
    /// Weight in bits (log2 of the Bayes factor, with the term-frequency adjustment).
    pub bits: f64,
}

/// Why two records scored as they did.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Prior in bits.
    pub prior_bits: f64,
    /// Whether given and family names matched the other way round.
    pub names_swapped: bool,
    /// Per field.
    pub fields: Vec<FieldEvidence>,
    /// Bits the pair's rivals took (0 or less; see [`rivals`]).
    pub rival_bits: f64,
    /// Match probability.
    pub probability: f64,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "probability {:.4} = prior {:+.1}",
            self.probability, self.prior_bits
        )?;
        for e in &self.fields {
            if e.level != "missing" {
                write!(f, ", {} {} ({:+.1})", e.field, e.level, e.bits)?;
            }
        }
        if self.names_swapped {
            write!(f, ", names swapped")?;
        }
        if self.rival_bits < -0.05 {
            write!(f, ", rivals of either record ({:+.1})", self.rival_bits)?;
        }
        Ok(())
    }
}

/// Scores any two records of a dataset with a trained model.
pub struct Scorer<'a> {
    ds: &'a Dataset,
    model: &'a Model,
    rivals: Option<&'a Rivals>,
}

impl<'a> Scorer<'a> {
    /// A scorer over `ds` with `model`.
    pub fn new(ds: &'a Dataset, model: &'a Model) -> Scorer<'a> {
        Scorer {
            ds,
            model,
            rivals: None,
        }
    }

    /// A scorer whose explanations include the share a run's rivals took, so that a matched
    /// pair's explanation gives the probability the run wrote for it.
    pub fn with_rivals(ds: &'a Dataset, model: &'a Model, rivals: &'a Rivals) -> Scorer<'a> {
        Scorer {
            ds,
            model,
            rivals: Some(rivals),
        }
    }

    /// Match probability of records `i` and `j`.
    pub fn probability(&self, i: usize, j: usize) -> f64 {
        let c = self.ds.compare(i, j);
        self.model
            .probability(self.model.weight(self.ds, c.pattern, i, j))
    }

    /// Explanation of the score of records `i` and `j`.
    pub fn explain(&self, i: usize, j: usize) -> Explanation {
        let c = self.ds.compare(i, j);
        let fields: Vec<FieldEvidence> = (0..self.ds.n_fields())
            .map(|f| {
                let l = level_of(c.pattern, f);
                FieldEvidence {
                    field: self.ds.field_name(f),
                    level: if l == compare::level::MISSING {
                        "missing"
                    } else {
                        dataset::Dataset::levels(f)[l as usize]
                    },
                    bits: self.model.field_weight(self.ds, f, l, i, j),
                }
            })
            .collect();
        let total: f64 = fields.iter().map(|e| e.bits).sum();
        let rival_bits = self
            .rivals
            .map_or(0.0, |r| r.bits(i, j, self.model.probability(total)));
        Explanation {
            prior_bits: self.model.prior_bits(),
            names_swapped: c.swapped,
            fields,
            rival_bits,
            probability: self.model.probability(total + rival_bits),
        }
    }
}

/// Deduplicates a dataset (or links its two sides, when it has them): blocking, training,
/// scoring and clustering. `truth`, when given, is a cluster label per record to evaluate
/// against. `progress` receives short lines of counts, never personal data.
pub fn run(
    ds: &Dataset,
    settings: &Settings,
    truth: Option<&[u32]>,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Outcome, LinkageError> {
    if !(settings.threshold > 0.0 && settings.threshold <= 1.0) {
        return Err(LinkageError::BadThreshold);
    }
    let n = ds.len();
    let total_pairs = match ds.left {
        Some(l) => l as f64 * (n - l) as f64,
        None => n as f64 * (n as f64 - 1.0) / 2.0,
    };
    let keys = blocking::keys(ds);
    let (candidates, per_key) = blocking::candidate_pairs(ds, &keys, settings.blocking, progress);
    progress(&format!(
        "{} candidate pairs in all; comparing",
        candidates.len()
    ));
    // In twentieths, so a long run shows how far it is ("comparing: 35%").
    let mut patterns: Vec<u64> = Vec::with_capacity(candidates.len());
    let step = candidates.len().div_ceil(20).max(1);
    for (k, chunk) in candidates.chunks(step).enumerate() {
        patterns.par_extend(chunk.par_iter().map(|&p| {
            let (i, j) = unpack(p);
            ds.compare(i, j).pattern
        }));
        progress(&format!(
            "{PROGRESS_PREFIX}{}%",
            ((k + 1) * step).min(candidates.len()) * 100 / candidates.len().max(1)
        ));
    }
    let counts: PatternCounts = candidates
        .par_iter()
        .zip(patterns.par_iter())
        .fold(PatternCounts::default, |mut acc, (&p, &pattern)| {
            let (i, j) = unpack(p);
            *acc.entry((pattern, agreeing_keys(&keys, i, j)))
                .or_default() += 1;
            acc
        })
        .reduce(PatternCounts::default, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    drop(keys);
    progress(&format!(
        "{} distinct comparison patterns; estimating u from random pairs",
        counts.len()
    ));
    let samples = settings
        .u_samples
        .min((total_pairs as usize).saturating_mul(4).max(10_000));
    let u = model::estimate_u(ds, samples, settings.seed);
    progress("estimating m by expectation-maximisation");
    let mut model = Model::train(ds, u, &counts, settings.em_iterations);
    drop(counts);
    let mut weights: Vec<f32> = candidates
        .par_iter()
        .zip(patterns.par_iter())
        .map(|(&p, &pattern)| {
            let (i, j) = unpack(p);
            model.weight(ds, pattern, i, j) as f32
        })
        .collect();
    drop(patterns);
    model.estimate_lambda(&weights, total_pairs.max(1.0));
    // A record's candidates compete for it: odds shared among rivals (see `rivals`).
    let rivals = rivals::share(n, &candidates, &mut weights, &model, settings.rivals);
    let mut pairs: Vec<ScoredPair> = candidates
        .par_iter()
        .zip(weights.par_iter())
        .filter_map(|(&p, &w)| {
            let prob = model.probability(f64::from(w));
            (prob >= settings.threshold).then(|| {
                let (a, b) = unpack(p);
                ScoredPair {
                    a: a as u32,
                    b: b as u32,
                    probability: prob,
                }
            })
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    // The weights are kept only to evaluate against a ground truth.
    let weights = truth.map_or_else(Vec::new, |_| weights);
    progress(&format!(
        "{} pairs at or above {}; clustering",
        pairs.len(),
        settings.threshold
    ));
    let scorer = Scorer::new(ds, &model);
    let edges: Vec<(u32, u32, f64)> = pairs.iter().map(|p| (p.a, p.b, p.probability)).collect();
    let cross = |i: usize, j: usize| -> Option<f64> {
        if ds.left.is_some() && ds.side(i) == ds.side(j) {
            None
        } else {
            Some(scorer.probability(i, j))
        }
    };
    let clusters = cluster::cluster(
        n,
        &edges,
        settings.cluster_guard,
        settings.max_cluster,
        &cross,
    );
    let mut sizes = vec![0u32; n];
    for &c in &clusters {
        sizes[c as usize] += 1;
    }
    let stats = Stats {
        records: n,
        total_pairs,
        candidate_pairs: candidates.len(),
        pairs_per_key: (0..blocking::N_PASSES)
            .map(|k| (blocking::PASS_NAMES[k], per_key[k]))
            .collect(),
        matched_pairs: pairs.len(),
        clusters: sizes.iter().filter(|&&s| s > 1).count(),
    };
    let evaluation = truth.map(|truth| {
        evaluate::evaluate(&evaluate::Run {
            ds,
            truth,
            candidates: &candidates,
            weights: &weights,
            model: &model,
            pairs: &pairs,
            clusters: &clusters,
            total_pairs,
        })
    });
    Ok(Outcome {
        model,
        rivals,
        pairs,
        clusters,
        stats,
        evaluation,
    })
}
