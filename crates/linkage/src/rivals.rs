//! Rivals: a record's candidate pairs compete for it.
//!
//! Fellegi–Sunter scores each pair on its own, as if the two records had no other candidate.
//! Two records of "Maryam Al-Hassan" with no date of birth score the same whether the file holds
//! one other such record or forty, and in a large file the forty are the rule: the scores are
//! over-confident exactly where namesakes crowd (at 100,000 generated records, pairs scored 0.9
//! and above were right 77 times in 100). Here each pair's odds are divided by one plus the
//! expected number of other matches the busier of its two records already has among its
//! candidates (the sum of their match probabilities, in units of [`crate::Settings::rivals`]):
//! a pair alone keeps its odds, a pair among many equally good rivals loses most of them, and a
//! strong pair (a shared document, a full date and name) hardly moves.

use crate::blocking::unpack;
use crate::model::Model;
use rayon::prelude::*;

/// Each record's expected number of matches among its candidates, as a run leaves them: what
/// explains a pair's share of its rivals afterwards.
#[derive(Debug, Clone, Default)]
pub struct Rivals {
    expected: Vec<f64>,
    unit: f64,
}

impl Rivals {
    /// The change in bits of the pair `i`, `j` whose own probability is `probability`: 0 when
    /// neither record has other likely matches, or when rivals are off.
    pub fn bits(&self, i: usize, j: usize, probability: f64) -> f64 {
        if self.unit <= 0.0 || self.expected.is_empty() {
            return 0.0;
        }
        let e = |k: usize| self.expected.get(k).copied().unwrap_or(0.0);
        let others = (e(i) - probability).max(e(j) - probability).max(0.0);
        -(1.0 + others / self.unit).log2()
    }
}

/// Lowers the weights (bits, as [`Model::probability`] reads them) of the candidate pairs by
/// their rivals' share, in place, and returns what explains it; `unit` is the expected number
/// of other matches that halves a pair's odds, 0 leaves the weights as they are.
pub(crate) fn share(
    n: usize,
    candidates: &[u64],
    weights: &mut [f32],
    model: &Model,
    unit: f64,
) -> Rivals {
    if unit <= 0.0 {
        return Rivals::default();
    }
    let mut expected = vec![0f64; n];
    for (&p, &w) in candidates.iter().zip(weights.iter()) {
        let (i, j) = unpack(p);
        let pr = model.probability(f64::from(w));
        expected[i] += pr;
        expected[j] += pr;
    }
    let rivals = Rivals { expected, unit };
    candidates
        .par_iter()
        .zip(weights.par_iter_mut())
        .for_each(|(&p, w)| {
            let (i, j) = unpack(p);
            let pr = model.probability(f64::from(*w));
            *w = (f64::from(*w) + rivals.bits(i, j, pr)) as f32;
        });
    rivals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocking::pack;
    use crate::dataset::{Dataset, names_and_dates};
    use crate::model::PatternCounts;

    /// A model whose prior is even, so a weight of w bits is odds of 2^w.
    fn model() -> Model {
        let ds = names_and_dates(&[("a", "b", "2000-01-01"), ("c", "d", "2001-02-03")]);
        let u = (0..ds.n_fields())
            .map(|f| {
                let l = Dataset::levels(f).len();
                vec![1.0 / l as f64; l]
            })
            .collect();
        let mut m = Model::train(&ds, u, &PatternCounts::default(), 1);
        m.lambda = 0.5;
        m
    }

    #[test]
    fn a_pair_alone_keeps_its_weight_and_rivals_lower_it() {
        let m = model();
        // 0-1 alone; 2 has three equally good candidates 3, 4, 5.
        let cands = [pack(0, 1), pack(2, 3), pack(2, 4), pack(2, 5)];
        let w = [3.0f32, 3.0, 3.0, 3.0];
        let mut out = w;
        share(6, &cands, &mut out, &m, 1.0);
        assert_eq!(out[0], 3.0);
        for &x in &out[1..] {
            assert!(x < 2.0, "{x}");
        }
        // Off: unchanged.
        let mut off = w;
        share(6, &cands, &mut off, &m, 0.0);
        assert_eq!(off, w);
    }

    #[test]
    fn a_strong_pair_hardly_moves_among_weak_rivals() {
        let m = model();
        let cands = [pack(0, 1), pack(0, 2), pack(0, 3)];
        let w = [20.0f32, -5.0, -5.0];
        let mut out = w;
        share(4, &cands, &mut out, &m, 1.0);
        assert!((out[0] - 20.0).abs() < 0.1, "{}", out[0]);
        // The weak rivals lose about a bit each to the strong pair (one expected match).
        assert!(out[1] < -5.9 && out[1] > -6.1, "{}", out[1]);
    }
}
