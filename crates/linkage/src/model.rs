//! Fellegi–Sunter scoring with parameters estimated without labels.
//!
//! - **u** (how often two different people agree at each level) comes from random pairs: in a
//!   file of many people almost every random pair is two different people.
//! - **m** (how often the same person agrees at each level) comes from expectation–maximisation
//!   over the candidate pairs, one session per blocking key; the fields a key constrains are
//!   left out of that key's session (its pairs agree on them by construction), and each field's
//!   m is the mean over the sessions that did not constrain it, first those of keys on a value
//!   nearly unique to a person (full date, document, phone), name keys only for the names and
//!   what is left.
//! - Exact and variant agreement on a name, a full date of birth, a place or a citizenship is
//!   weighed by how common that value is (term frequency): two records both called Muhammad
//!   are weaker evidence than two records both called Tsegereda.
//! - The prior λ (the share of all pairs that are matches) is the fixed point of "expected
//!   matches = sum of the candidate pairs' match probabilities".

use crate::blocking::KEY_FIELDS;
use crate::compare::level::MISSING;
use crate::dataset::{
    Dataset, F_CITIZENSHIP, F_DOB, F_FAMILY, F_GIVEN, F_LOCATION, F_PLACE, level_of,
};
use crate::hash::{FxHashMap, Rng};
use rayon::prelude::*;

/// Parameters of one field.
#[derive(Debug, Clone)]
pub struct FieldParams {
    /// Field name.
    pub name: String,
    /// Level names, strongest first.
    pub levels: &'static [&'static str],
    /// P(level | match).
    pub m: Vec<f64>,
    /// P(level | non-match).
    pub u: Vec<f64>,
}

/// The trained model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Per field.
    pub fields: Vec<FieldParams>,
    /// Share of all pairs that are matches.
    pub lambda: f64,
    /// log2(m/u) per field and level.
    weights: Vec<[f64; 16]>,
}

/// Counts of comparison patterns with the mask of keys the pair agrees on.
pub(crate) type PatternCounts = FxHashMap<(u64, u16), u64>;

const MIN_PROB: f64 = 1e-6;
/// Blocking keys on a full date of birth, a document number, a phone.
const UNIQUE_KEYS: [usize; 3] = [2, 3, 4];
/// Blocking keys on name sounds (with a year, a day or an initial).
const NAME_KEYS: [usize; 5] = [0, 1, 5, 6, 7];
/// Highest share of true matches that may disagree outright on a name or a date of birth.
const DISAGREE_CEILING: f64 = 0.05;

/// Estimates u from random pairs (across the sides, for a link).
pub(crate) fn estimate_u(ds: &Dataset, samples: usize, seed: u64) -> Vec<Vec<f64>> {
    let n = ds.len();
    let nf = ds.n_fields();
    let chunks = 64usize;
    let per = samples.div_ceil(chunks);
    let counts: Vec<[[u64; 16]; 16]> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = Rng(seed ^ (c as u64).wrapping_mul(0x9e37_79b9));
            let mut counts = [[0u64; 16]; 16];
            if n < 2 {
                return counts;
            }
            for _ in 0..per {
                let (i, j) = match ds.left {
                    Some(l) if l > 0 && l < n => (
                        rng.below(l as u64) as usize,
                        l + rng.below((n - l) as u64) as usize,
                    ),
                    _ => {
                        let i = rng.below(n as u64) as usize;
                        let mut j = rng.below(n as u64 - 1) as usize;
                        if j >= i {
                            j += 1;
                        }
                        (i, j)
                    }
                };
                let p = ds.compare(i, j).pattern;
                for (f, row) in counts.iter_mut().enumerate().take(nf) {
                    row[level_of(p, f) as usize] += 1;
                }
            }
            counts
        })
        .collect();
    (0..nf)
        .map(|f| {
            let levels = Dataset::levels(f).len();
            let mut c = vec![0u64; levels];
            for chunk in &counts {
                for (l, v) in c.iter_mut().enumerate() {
                    *v += chunk[f][l];
                }
            }
            let total: u64 = c.iter().sum();
            // Add-one smoothing: a level never seen among random pairs is rare, not impossible.
            c.iter()
                .map(|&v| (v as f64 + 1.0) / (total as f64 + levels as f64))
                .collect()
        })
        .collect()
}

/// Initial m: most matches agree exactly.
fn initial_m(levels: usize) -> Vec<f64> {
    let mut m: Vec<f64> = (0..levels)
        .map(|l| if l == 0 { 0.7 } else { 0.3 / (l as f64 + 1.0) })
        .collect();
    if levels > 1 {
        m[levels - 1] = 0.03;
    }
    let s: f64 = m.iter().sum();
    m.iter().map(|v| v / s).collect()
}

/// One EM session: patterns with counts, some fields left out; u fixed. Returns m per field
/// (None for fields left out or never observed).
pub(crate) fn em_session(
    patterns: &[(u64, u64)],
    nf: usize,
    u: &[Vec<f64>],
    excluded: &[usize],
    iterations: usize,
) -> Vec<Option<Vec<f64>>> {
    let included: Vec<usize> = (0..nf).filter(|f| !excluded.contains(f)).collect();
    let mut m: Vec<Vec<f64>> = (0..nf).map(|f| initial_m(u[f].len())).collect();
    // The non-matches of a block are not random pairs (they share a family name, a household,
    // a date), so the session has its own u, started from the random one; only m leaves it.
    let mut us: Vec<Vec<f64>> = u.to_vec();
    let u = &mut us;
    let mut lambda = 0.1f64;
    let mut observed = vec![0u64; nf];
    for _ in 0..iterations {
        let mut acc: Vec<Vec<f64>> = (0..nf).map(|f| vec![0.0; u[f].len()]).collect();
        let mut acc_u: Vec<Vec<f64>> = (0..nf).map(|f| vec![0.0; u[f].len()]).collect();
        let mut total_match = 0.0;
        let mut total = 0.0;
        observed.iter_mut().for_each(|o| *o = 0);
        // ln(u) - ln(m) per field and level, once per iteration rather than per pattern.
        let ratio: Vec<Vec<f64>> = (0..nf)
            .map(|f| {
                (0..u[f].len())
                    .map(|l| u[f][l].max(MIN_PROB).ln() - m[f][l].max(MIN_PROB).ln())
                    .collect()
            })
            .collect();
        let prior = (1.0 - lambda).ln() - lambda.ln();
        for &(p, count) in patterns {
            let mut d = prior;
            for &f in &included {
                let l = level_of(p, f);
                if l != MISSING {
                    d += ratio[f][l as usize];
                }
            }
            let post = 1.0 / (1.0 + d.exp());
            let w = post * count as f64;
            let wu = (1.0 - post) * count as f64;
            total_match += w;
            total += count as f64;
            for &f in &included {
                let l = level_of(p, f);
                if l != MISSING {
                    acc[f][l as usize] += w;
                    acc_u[f][l as usize] += wu;
                    observed[f] += count;
                }
            }
        }
        if total == 0.0 {
            break;
        }
        lambda = (total_match / total).clamp(1e-6, 0.999);
        for &f in &included {
            let s: f64 = acc[f].iter().sum();
            if s > 0.0 {
                let levels = acc[f].len() as f64;
                m[f] = acc[f]
                    .iter()
                    .map(|v| (v + 0.01) / (s + 0.01 * levels))
                    .collect();
            }
            let su: f64 = acc_u[f].iter().sum();
            if su > 0.0 {
                let levels = acc_u[f].len() as f64;
                u[f] = acc_u[f]
                    .iter()
                    .map(|v| (v + 0.01) / (su + 0.01 * levels))
                    .collect();
            }
        }
    }
    (0..nf)
        .map(|f| (!excluded.contains(&f) && observed[f] >= 50).then(|| m[f].clone()))
        .collect()
}

impl Model {
    /// Trains m by EM on the candidate pairs' patterns, with u given.
    pub(crate) fn train(
        ds: &Dataset,
        u: Vec<Vec<f64>>,
        counts: &PatternCounts,
        iterations: usize,
    ) -> Model {
        let nf = ds.n_fields();
        let mut sums: Vec<Vec<f64>> = (0..nf).map(|f| vec![0.0; u[f].len()]).collect();
        let mut sessions = vec![0usize; nf];
        // Sessions on keys that pin a value nearly unique to a person come first: a full date
        // of birth, a document, a phone. The non-matches of a name key's blocks are namesakes,
        // more of them the larger the file, and its sessions come to count them as matches (at
        // 100,000 records a phone or a document that disagrees looked twice as common among
        // matches as at 10,000). Name keys train the names and the fields the others leave
        // unestimated.
        for (t, tier) in [&UNIQUE_KEYS[..], &NAME_KEYS[..]].into_iter().enumerate() {
            // Names take the sessions of name keys too (those that constrain the other part of
            // the name, or the date): estimated from the first tier alone, a typing error in a
            // name weighed too little on Febrl. The date of birth does not: its m from blocks of
            // namesakes made a date that disagrees look common among matches.
            let todo: Vec<bool> = sessions
                .iter()
                .enumerate()
                .map(|(f, &s)| s == 0 || (t == 1 && matches!(f, F_GIVEN | F_FAMILY)))
                .collect();
            for &key in tier {
                let key_fields = KEY_FIELDS[key];
                let patterns: Vec<(u64, u64)> = counts
                    .iter()
                    .filter(|((_, mask), _)| mask & (1 << key) != 0)
                    .map(|((p, _), c)| (*p, *c))
                    .collect();
                let n: u64 = patterns.iter().map(|p| p.1).sum();
                if n < 100 {
                    continue;
                }
                let ms = em_session(&patterns, nf, &u, key_fields, iterations);
                for (f, m) in ms.into_iter().enumerate() {
                    if let Some(m) = m
                        && todo[f]
                    {
                        for (s, v) in sums[f].iter_mut().zip(&m) {
                            *s += v;
                        }
                        sessions[f] += 1;
                    }
                }
            }
        }
        // Fields no session could estimate: one session over all pairs.
        if sessions.contains(&0) {
            let mut merged: FxHashMap<u64, u64> = FxHashMap::default();
            for ((p, _), c) in counts {
                *merged.entry(*p).or_default() += c;
            }
            let patterns: Vec<(u64, u64)> = merged.into_iter().collect();
            let ms = em_session(&patterns, nf, &u, &[], iterations);
            for (f, m) in ms.into_iter().enumerate() {
                if sessions[f] == 0 {
                    let m = m.unwrap_or_else(|| initial_m(u[f].len()));
                    sums[f] = m;
                    sessions[f] = 1;
                }
            }
        }
        let fields: Vec<FieldParams> = (0..nf)
            .map(|f| {
                let mut m: Vec<f64> = sums[f].iter().map(|s| s / sessions[f] as f64).collect();
                // Namesakes inside name blocks pass for matches in EM and make disagreement
                // look common among true matches. Registers of real persons rarely disagree
                // outright on a name or a date of birth of the same person: the disagree level
                // of those fields is held at or below a ceiling.
                let last = m.len() - 1;
                if matches!(f, F_GIVEN | F_FAMILY | F_DOB) && m[last] > DISAGREE_CEILING {
                    let rest: f64 = m[..last].iter().sum();
                    for v in &mut m[..last] {
                        *v *= (1.0 - DISAGREE_CEILING) / rest.max(MIN_PROB);
                    }
                    m[last] = DISAGREE_CEILING;
                }
                // Agreement never counts against a match: m/u is kept non-increasing from the
                // strongest level down (a level stronger than another is never weaker evidence).
                let mut best = f64::INFINITY;
                for (l, v) in m.iter_mut().enumerate() {
                    let ratio = (*v / u[f][l]).min(best);
                    best = ratio;
                    *v = ratio * u[f][l];
                }
                FieldParams {
                    name: ds.field_name(f),
                    levels: Dataset::levels(f),
                    m,
                    u: u[f].clone(),
                }
            })
            .collect();
        let weights = fields
            .iter()
            .map(|fp| {
                let mut w = [0.0f64; 16];
                for (l, w) in w.iter_mut().enumerate().take(fp.levels.len()) {
                    *w = (fp.m[l].max(MIN_PROB) / fp.u[l].max(MIN_PROB)).log2();
                }
                w
            })
            .collect();
        Model {
            fields,
            lambda: 1e-4,
            weights,
        }
    }

    /// Weight in bits of one field's agreement, with the term-frequency adjustment.
    pub(crate) fn field_weight(&self, ds: &Dataset, f: usize, l: u8, i: usize, j: usize) -> f64 {
        if l == MISSING {
            return 0.0;
        }
        let base = self.weights[f][l as usize];
        let tf_level = match f {
            F_GIVEN | F_FAMILY => l <= 1,
            F_DOB | F_PLACE | F_LOCATION | F_CITIZENSHIP => l == 0,
            _ => false,
        };
        if tf_level && let Some(share) = ds.tf_share(f, i, j) {
            let u_tf = share.max(MIN_PROB);
            // The level's weight, moved by how much rarer (or commoner) this value is than the
            // average chance agreement on the field: a variant spelling of a rare name is as
            // telling as the name itself. A common value weighs less than average (less, it
            // may be, than a close spelling of a rare one: "Ram Gurung" among Nepali records
            // says little), but never against a match; a rare one more, up to 30 bits.
            let u_avg = self.fields[f].u[0].max(MIN_PROB);
            return (base + (u_avg / u_tf).log2()).clamp(0.0, 30.0);
        }
        base
    }

    /// Sum of the field weights (bits) for a comparison of records `i` and `j`.
    pub(crate) fn weight(&self, ds: &Dataset, pattern: u64, i: usize, j: usize) -> f64 {
        (0..self.fields.len())
            .map(|f| self.field_weight(ds, f, level_of(pattern, f), i, j))
            .sum()
    }

    /// The prior in bits.
    pub fn prior_bits(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// Probability from a weight sum.
    pub fn probability(&self, weight: f64) -> f64 {
        1.0 / (1.0 + (-(self.prior_bits() + weight)).exp2())
    }

    /// Sets λ to the fixed point of expected matches over `total_pairs` pairs.
    pub(crate) fn estimate_lambda(&mut self, weights: &[f32], total_pairs: f64) {
        // Weights binned to 1/20 bit: the iteration then costs the number of bins.
        const LO: f64 = -120.0;
        const BINS: usize = 240 * 20;
        let mut hist = vec![0u64; BINS + 1];
        for &w in weights {
            let b = ((f64::from(w) - LO) * 20.0).clamp(0.0, BINS as f64) as usize;
            hist[b] += 1;
        }
        let mut lambda = (weights.len() as f64 / total_pairs).clamp(1e-12, 0.5);
        for _ in 0..200 {
            let prior = (lambda / (1.0 - lambda)).log2();
            let expected: f64 = hist
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(b, &c)| {
                    let w = LO + b as f64 / 20.0;
                    c as f64 / (1.0 + (-(prior + w)).exp2())
                })
                .sum();
            let next = (expected / total_pairs).clamp(1e-12, 0.5);
            if (next - lambda).abs() <= lambda * 1e-6 {
                lambda = next;
                break;
            }
            lambda = next;
        }
        self.lambda = lambda;
    }
}
