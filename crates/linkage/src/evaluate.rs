//! Quality of a run against a ground truth: pairs completeness of blocking, reduction ratio,
//! precision, recall and F1 of the matched pairs and of the clusters, and F1 at every
//! threshold (where it peaks tells whether the match probability is calibrated).

use crate::blocking::unpack;
use crate::dataset::Dataset;
use crate::hash;
use crate::{Evaluation, Model, ScoredPair, ThresholdPoint};
use rayon::prelude::*;

/// Thresholds at which precision, recall and F1 of the pairs are reported.
pub const THRESHOLDS: [f64; 12] = [
    0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99,
];

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Pairs within groups: for a link only pairs across the sides.
fn pairs_within(ds: &Dataset, labels: &[(u32, u32)]) -> u64 {
    // labels: (group, record); counts per group and side.
    let mut counts: hash::FxHashMap<u32, [u64; 2]> = hash::FxHashMap::default();
    for &(g, r) in labels {
        counts.entry(g).or_default()[ds.side(r as usize) as usize] += 1;
    }
    counts
        .values()
        .map(|c| {
            if ds.left.is_some() {
                c[0] * c[1]
            } else {
                let k = c[0];
                k * k.saturating_sub(1) / 2
            }
        })
        .sum()
}

/// Everything [`evaluate`] reads.
pub(crate) struct Run<'a> {
    pub(crate) ds: &'a Dataset,
    pub(crate) truth: &'a [u32],
    pub(crate) candidates: &'a [u64],
    /// Weight of every candidate pair, in the order of `candidates`.
    pub(crate) weights: &'a [f32],
    pub(crate) model: &'a Model,
    pub(crate) pairs: &'a [ScoredPair],
    pub(crate) clusters: &'a [u32],
    pub(crate) total_pairs: f64,
}

pub(crate) fn evaluate(run: &Run<'_>) -> Evaluation {
    let Run {
        ds,
        truth,
        candidates,
        weights,
        model,
        pairs,
        clusters,
        total_pairs,
    } = *run;
    let labels: Vec<(u32, u32)> = truth
        .iter()
        .enumerate()
        .map(|(r, &g)| (g, r as u32))
        .collect();
    let true_pairs = pairs_within(ds, &labels);
    // Per threshold: candidate pairs at or above it, and how many of them are true.
    let (found, above, true_above) = candidates
        .par_iter()
        .zip(weights.par_iter())
        .fold(
            || (0u64, [0u64; THRESHOLDS.len()], [0u64; THRESHOLDS.len()]),
            |(mut found, mut above, mut true_above), (&p, &w)| {
                let prob = model.probability(f64::from(w));
                let (i, j) = unpack(p);
                let same = truth[i] == truth[j];
                found += u64::from(same);
                for (k, &t) in THRESHOLDS.iter().enumerate() {
                    if prob >= t {
                        above[k] += 1;
                        true_above[k] += u64::from(same);
                    }
                }
                (found, above, true_above)
            },
        )
        .reduce(
            || (0u64, [0u64; THRESHOLDS.len()], [0u64; THRESHOLDS.len()]),
            |mut a, b| {
                a.0 += b.0;
                for k in 0..THRESHOLDS.len() {
                    a.1[k] += b.1[k];
                    a.2[k] += b.2[k];
                }
                a
            },
        );
    let by_threshold: Vec<ThresholdPoint> = THRESHOLDS
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let p = ratio(true_above[k] as f64, above[k] as f64);
            let r = ratio(true_above[k] as f64, true_pairs as f64);
            ThresholdPoint {
                threshold: t,
                precision: p,
                recall: r,
                f1: f1(p, r),
            }
        })
        .collect();
    let tp = pairs
        .iter()
        .filter(|p| truth[p.a as usize] == truth[p.b as usize])
        .count() as f64;
    let precision = ratio(tp, pairs.len() as f64);
    let recall = ratio(tp, true_pairs as f64);
    // Cluster pairs: pairs within predicted clusters, and those also within true groups.
    let predicted: Vec<(u32, u32)> = clusters
        .iter()
        .enumerate()
        .map(|(r, &c)| (c, r as u32))
        .collect();
    let predicted_pairs = pairs_within(ds, &predicted) as f64;
    let mut both: hash::FxHashMap<(u32, u32), [u64; 2]> = hash::FxHashMap::default();
    for (r, (&c, &t)) in clusters.iter().zip(truth).enumerate() {
        both.entry((c, t)).or_default()[ds.side(r) as usize] += 1;
    }
    let cluster_tp: f64 = both
        .values()
        .map(|c| {
            if ds.left.is_some() {
                (c[0] * c[1]) as f64
            } else {
                (c[0] * c[0].saturating_sub(1) / 2) as f64
            }
        })
        .sum();
    let cp = ratio(cluster_tp, predicted_pairs);
    let cr = ratio(cluster_tp, true_pairs as f64);
    Evaluation {
        true_pairs,
        pairs_completeness: ratio(found as f64, true_pairs as f64),
        reduction_ratio: 1.0 - ratio(candidates.len() as f64, total_pairs),
        precision,
        recall,
        f1: f1(precision, recall),
        cluster_precision: cp,
        cluster_recall: cr,
        cluster_f1: f1(cp, cr),
        by_threshold,
    }
}
