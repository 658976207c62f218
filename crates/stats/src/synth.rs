//! Synthetic records from differentially private marginals, as CTDC's later releases were made.
//!
//! The records are rows of column values, each column over a fixed, closed domain (values are
//! indices into it). What is released — and the only thing the synthetic rows are drawn from —
//! is a chain of counts:
//!
//! 1. the number of records;
//! 2. the first column's one-way marginal;
//! 3. each adjacent pair's two-way marginal (columns 1–2, 2–3, …, (m−1)–m).
//!
//! With m columns that is m + 1 counting queries. Each person contributes exactly one record
//! (the caller keeps one record per person), so adding or removing a person changes the record
//! count by 1 and exactly one cell of each marginal by 1: every query has sensitivity 1. Each is
//! released with discrete-Laplace noise of scale (m + 1)/ε, i.e. at ε/(m + 1), and by sequential
//! composition the whole release is ε-differentially private. Negative noisy counts are
//! clamped to zero, and the rows are then drawn from the noisy counts alone — column by column,
//! the first from its noisy marginal, each next one from the noisy two-way marginal's row of
//! the value just drawn — which is post-processing and spends nothing more. The draws use the
//! random source given to them: the operating system's CSPRNG in a release.

use crate::StatsError;
use crate::dp::{Epsilon, noisy_count};
use crate::random::RandomSource;

/// Exact counts of the chain of marginals over a table of records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marginals {
    sizes: Vec<usize>,
    records: u64,
    first: Vec<u64>,
    /// `pairs[i]` is columns i and i+1, row-major (`a * sizes[i+1] + b`).
    pairs: Vec<Vec<u64>>,
}

impl Marginals {
    /// Empty counts for columns of the given domain sizes (at least one column, none empty).
    pub fn new(sizes: Vec<usize>) -> Result<Marginals, StatsError> {
        if sizes.is_empty()
            || sizes.contains(&0)
            || sizes.iter().any(|&s| s > usize::from(u16::MAX))
        {
            return Err(StatsError::Parameter(
                "synthetic data needs at least one column, each with a domain of 1 to 65535 values",
            ));
        }
        let pairs = sizes.windows(2).map(|w| vec![0; w[0] * w[1]]).collect();
        Ok(Marginals {
            first: vec![0; sizes[0]],
            sizes,
            records: 0,
            pairs,
        })
    }

    /// Counts one record (one person).
    pub fn add(&mut self, row: &[u16]) -> Result<(), StatsError> {
        if row.len() != self.sizes.len()
            || row
                .iter()
                .zip(&self.sizes)
                .any(|(&v, &s)| usize::from(v) >= s)
        {
            return Err(StatsError::Parameter("a value outside its column's domain"));
        }
        self.records += 1;
        self.first[usize::from(row[0])] += 1;
        for (i, pair) in self.pairs.iter_mut().enumerate() {
            pair[usize::from(row[i]) * self.sizes[i + 1] + usize::from(row[i + 1])] += 1;
        }
        Ok(())
    }

    /// Records counted.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The number of counting queries a release makes: one per column (the first marginal and
    /// the m − 1 pairs) plus the record count.
    pub fn queries(&self) -> u32 {
        u32::try_from(self.sizes.len() + 1).unwrap_or(u32::MAX)
    }
}

/// The ε each of `queries` counting queries is released at, out of `epsilon`: ε / queries,
/// exactly.
pub fn share(epsilon: Epsilon, queries: u32) -> Result<Epsilon, StatsError> {
    epsilon
        .den
        .checked_mul(queries)
        .and_then(|den| Epsilon::new(epsilon.num, den))
        .ok_or(StatsError::Parameter("too many columns for this epsilon"))
}

/// Noisy counts, clamped at zero: all that synthetic rows are drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoisyMarginals {
    sizes: Vec<usize>,
    records: u64,
    first: Vec<u64>,
    pairs: Vec<Vec<u64>>,
}

/// Releases the chain of marginals at `epsilon` in total (see the module documentation).
pub fn release(
    exact: &Marginals,
    epsilon: Epsilon,
    rng: &mut impl RandomSource,
) -> Result<NoisyMarginals, StatsError> {
    let each = share(epsilon, exact.queries())?;
    let mut noisy = |counts: &[u64]| -> Result<Vec<u64>, StatsError> {
        counts.iter().map(|&c| noisy_count(rng, c, each)).collect()
    };
    let first = noisy(&exact.first)?;
    let pairs = exact
        .pairs
        .iter()
        .map(|p| noisy(p))
        .collect::<Result<Vec<_>, _>>()?;
    let records = noisy_count(rng, exact.records, each)?;
    Ok(NoisyMarginals {
        sizes: exact.sizes.clone(),
        records,
        first,
        pairs,
    })
}

/// An index drawn with probability proportional to its weight; uniform when all are zero.
fn draw<'a>(
    rng: &mut impl RandomSource,
    weights: impl Iterator<Item = &'a u64> + Clone,
    size: usize,
) -> Result<u16, StatsError> {
    let total: u64 = weights.clone().fold(0u64, |a, &w| a.saturating_add(w));
    if total == 0 {
        let pick = rng.below(size as u64)?;
        return u16::try_from(pick).map_err(|_| StatsError::Parameter("domain too large"));
    }
    let mut at = rng.below(total)?;
    for (i, &w) in weights.enumerate() {
        if at < w {
            return u16::try_from(i).map_err(|_| StatsError::Parameter("domain too large"));
        }
        at -= w;
    }
    Err(StatsError::Parameter("weights changed while drawing"))
}

impl NoisyMarginals {
    /// The noisy number of records: how many synthetic rows to draw.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// One synthetic row: the first column from its noisy marginal, each next column from the
    /// noisy pair's row of the value drawn before it (from the pair's column totals when that
    /// row is all zero, uniformly when they are too).
    pub fn sample(&self, rng: &mut impl RandomSource) -> Result<Vec<u16>, StatsError> {
        let mut row = Vec::with_capacity(self.sizes.len());
        row.push(draw(rng, self.first.iter(), self.sizes[0])?);
        for (i, pair) in self.pairs.iter().enumerate() {
            let width = self.sizes[i + 1];
            let prev = usize::from(row[i]);
            let cells = &pair[prev * width..(prev + 1) * width];
            let value = if cells.iter().any(|&c| c > 0) {
                draw(rng, cells.iter(), width)?
            } else {
                let totals: Vec<u64> = (0..width)
                    .map(|b| {
                        (0..self.sizes[i])
                            .map(|a| pair[a * width + b])
                            .fold(0u64, u64::saturating_add)
                    })
                    .collect();
                draw(rng, totals.iter(), width)?
            };
            row.push(value);
        }
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::KeyedStream;

    fn eps(s: &str) -> Epsilon {
        Epsilon::parse(s).unwrap()
    }

    /// A table of correlated records: column 1 follows column 0, column 2 follows column 1.
    fn population(n: usize) -> Vec<Vec<u16>> {
        (0..n)
            .map(|i| {
                let a = (i % 10 < 6) as u16 * 2 + (i % 10 == 9) as u16; // 0, 2, 3
                let b = if a == 2 { (i % 3 == 0) as u16 } else { 2 };
                let c = if b == 1 { 0 } else { (i % 4) as u16 };
                vec![a, b, c]
            })
            .collect()
    }

    fn one_way(rows: &[Vec<u16>], col: usize, size: usize) -> Vec<f64> {
        let mut v = vec![0.0; size];
        for r in rows {
            v[usize::from(r[col])] += 1.0;
        }
        let n = rows.len().max(1) as f64;
        v.iter().map(|x| x / n).collect()
    }

    fn two_way(rows: &[Vec<u16>], col: usize, sizes: &[usize]) -> Vec<f64> {
        let mut v = vec![0.0; sizes[col] * sizes[col + 1]];
        for r in rows {
            v[usize::from(r[col]) * sizes[col + 1] + usize::from(r[col + 1])] += 1.0;
        }
        let n = rows.len().max(1) as f64;
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn the_epsilon_is_shared_exactly_among_the_queries() {
        assert_eq!(share(eps("1"), 4).unwrap(), Epsilon { num: 1, den: 4 });
        assert_eq!(share(eps("0.5"), 28).unwrap(), Epsilon { num: 1, den: 56 });
        let m = Marginals::new(vec![3, 4, 5]).unwrap();
        assert_eq!(
            m.queries(),
            4,
            "three columns: the count, one marginal, two pairs"
        );
    }

    #[test]
    fn values_outside_a_domain_are_refused() {
        let mut m = Marginals::new(vec![2, 2]).unwrap();
        assert!(m.add(&[1, 2]).is_err());
        assert!(m.add(&[1]).is_err());
        assert!(Marginals::new(vec![]).is_err());
        assert!(Marginals::new(vec![3, 0]).is_err());
    }

    /// At a large ε the synthetic rows' one-way and two-way marginals are close to the true
    /// ones, and so is their number.
    #[test]
    fn a_large_release_at_a_large_epsilon_keeps_the_marginals() {
        let sizes = vec![4, 3, 4];
        let rows = population(20_000);
        let mut m = Marginals::new(sizes.clone()).unwrap();
        for r in &rows {
            m.add(r).unwrap();
        }
        let mut rng = KeyedStream::new(&[5; 32], b"large");
        let noisy = release(&m, eps("10"), &mut rng).unwrap();
        let n = noisy.records();
        assert!(n.abs_diff(20_000) < 20, "{n}");
        let synth: Vec<Vec<u16>> = (0..n).map(|_| noisy.sample(&mut rng).unwrap()).collect();
        for (col, &size) in sizes.iter().enumerate() {
            let (t, s) = (one_way(&rows, col, size), one_way(&synth, col, size));
            for (a, b) in t.iter().zip(&s) {
                assert!((a - b).abs() < 0.02, "column {col}: {t:?} vs {s:?}");
            }
        }
        for col in 0..2 {
            let (t, s) = (two_way(&rows, col, &sizes), two_way(&synth, col, &sizes));
            for (a, b) in t.iter().zip(&s) {
                assert!((a - b).abs() < 0.02, "pair {col}: {t:?} vs {s:?}");
            }
        }
    }

    /// The test above can fail: a release that ignored the data would not pass it.
    #[test]
    fn the_closeness_check_notices_a_release_that_ignores_the_data() {
        let sizes = vec![4, 3, 4];
        let rows = population(5_000);
        let blank = Marginals::new(sizes.clone()).unwrap();
        let mut rng = KeyedStream::new(&[5; 32], b"blank");
        let noisy = release(&blank, eps("10"), &mut rng).unwrap();
        let synth: Vec<Vec<u16>> = (0..5_000)
            .map(|_| noisy.sample(&mut rng).unwrap())
            .collect();
        let (t, s) = (one_way(&rows, 0, 4), one_way(&synth, 0, 4));
        assert!(t.iter().zip(&s).any(|(a, b)| (a - b).abs() >= 0.02));
    }

    /// One person with a combination nobody else has: at ε = 1, synthetic files made with them
    /// contain their combination hardly more often than files made without them (by chance,
    /// from the noise alone). ε-DP bounds the ratio of any outcome's probability by e^ε ≈ 2.72;
    /// the mean counts are compared with that bound and some slack for sampling.
    #[test]
    fn a_lone_rare_record_is_not_reproduced_more_often_than_chance() {
        let sizes = vec![5, 5, 5];
        let common = population(2_000);
        let rare = vec![4u16, 4, 4];
        let trials = 300;
        let mut found = [0u64; 2];
        let mut rng = KeyedStream::new(&[8; 32], b"rare");
        for (with, hits) in found.iter_mut().enumerate() {
            for _ in 0..trials {
                let mut m = Marginals::new(sizes.clone()).unwrap();
                for r in &common {
                    m.add(r).unwrap();
                }
                if with == 1 {
                    m.add(&rare).unwrap();
                }
                let noisy = release(&m, eps("1"), &mut rng).unwrap();
                for _ in 0..noisy.records() {
                    if noisy.sample(&mut rng).unwrap() == rare {
                        *hits += 1;
                    }
                }
            }
        }
        let (without, with) = (found[0] as f64, found[1] as f64);
        assert!(without > 0.0, "chance alone produces it sometimes");
        assert!(
            with <= without * 1.0f64.exp() + 30.0,
            "with the person: {with}, without: {without}"
        );
    }

    #[test]
    fn synthetic_values_stay_in_their_domains_even_from_nothing() {
        let sizes = vec![3, 7, 2];
        let m = Marginals::new(sizes.clone()).unwrap();
        let mut rng = crate::random::OsRandom::new();
        let noisy = release(&m, eps("0.1"), &mut rng).unwrap();
        for _ in 0..500 {
            let row = noisy.sample(&mut rng).unwrap();
            assert!(row.iter().zip(&sizes).all(|(&v, &s)| usize::from(v) < s));
        }
    }
}
