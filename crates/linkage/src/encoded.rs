//! Linking two files of Bloom-filter encodings (see [`crate::bloom`]) as plaintext linkage does:
//! the encoding keeps names, date of birth, sex and citizenship in separate regions, so a pair
//! is compared field by field (Dice similarity of each region, in levels), scored by
//! Fellegi-Sunter with m and u estimated without labels, and clustered with the same guard. Two records with the same
//! common name and different dates of birth no longer look alike just because most of their
//! bits are name bits.

use crate::bloom::{CITIZENSHIP_BITS, Clk, DATE_BITS, NAME_BITS, SEX_BITS};
use crate::compare::level::MISSING;
use crate::dataset::level_of;
use crate::hash::Rng;
use crate::model::em_session;
use crate::{LinkageError, cluster};
use rayon::prelude::*;

/// Fields of an encoded comparison.
const NAME: usize = 0;
const DATE: usize = 1;
const SEX: usize = 2;
const CITIZENSHIP: usize = 3;
const FIELDS: usize = 4;
/// Levels per field (the last is disagreement).
const LEVELS: [usize; FIELDS] = [5, 4, 2, 2];
const MIN_PROB: f64 = 1e-6;
/// m when too few pairs show a field's levels (small files): the same person's name mostly
/// encodes alike, the date of birth mostly in full.
const FALLBACK_M: [&[f64]; FIELDS] = [
    &[0.80, 0.12, 0.05, 0.02, 0.01],
    &[0.75, 0.15, 0.07, 0.03],
    &[0.97, 0.03],
    &[0.95, 0.05],
];
/// u when the files are too small to sample chance agreement.
const FALLBACK_U: [&[f64]; FIELDS] = [
    &[0.0005, 0.002, 0.01, 0.05, 0.9375],
    &[0.0002, 0.003, 0.05, 0.9468],
    &[0.5, 0.5],
    &[0.1, 0.9],
];

/// Dice similarity of the bits of `a` and `b` within `range`, or `None` when either has none.
fn region_dice(a: &Clk, b: &Clk, range: (usize, usize)) -> Option<f64> {
    let (mut common, mut total) = (0u32, 0u32);
    for w in range.0 / 64..range.1 / 64 {
        common += (a.0[w] & b.0[w]).count_ones();
        let (x, y) = (a.0[w].count_ones(), b.0[w].count_ones());
        if x == 0 && y == 0 {
            continue;
        }
        total += x + y;
    }
    let any = |c: &Clk| (range.0 / 64..range.1 / 64).any(|w| c.0[w] != 0);
    (any(a) && any(b)).then(|| 2.0 * f64::from(common) / f64::from(total.max(1)))
}

/// The agreement pattern of two encodings (4 bits per field, as plaintext patterns).
fn pattern(a: &Clk, b: &Clk) -> u64 {
    let name = match region_dice(a, b, NAME_BITS) {
        None => MISSING,
        Some(d) if d >= 0.95 => 0,
        Some(d) if d >= 0.85 => 1,
        Some(d) if d >= 0.75 => 2,
        Some(d) if d >= 0.6 => 3,
        Some(_) => 4,
    };
    // Year, month and day set bits of their own: all three equal, two of them, one of them.
    let date = match region_dice(a, b, DATE_BITS) {
        None => MISSING,
        Some(d) if d >= 0.99 => 0,
        Some(d) if d >= 0.6 => 1,
        Some(d) if d >= 0.3 => 2,
        Some(_) => 3,
    };
    let sex = match region_dice(a, b, SEX_BITS) {
        None => MISSING,
        Some(d) if d >= 0.99 => 0,
        Some(_) => 1,
    };
    let citizenship = match region_dice(a, b, CITIZENSHIP_BITS) {
        None => MISSING,
        Some(d) if d >= 0.99 => 0,
        Some(_) => 1,
    };
    u64::from(name) | u64::from(date) << 4 | u64::from(sex) << 8 | u64::from(citizenship) << 12
}

/// The scoring model of an encoded link: log2(m/u) per field and level, and the prior.
struct EncodedModel {
    weights: [[f64; 5]; FIELDS],
    /// The name's weights when the citizenships agree: names come from a country's pool, so
    /// two records of one citizenship share a name by chance more often than two at large.
    name_same_citizenship: [f64; 5],
    prior: f64,
}

impl EncodedModel {
    fn probability(&self, pattern: u64) -> f64 {
        let mut w = self.prior;
        let same_citizenship = level_of(pattern, CITIZENSHIP) == 0;
        for (f, weights) in self.weights.iter().enumerate() {
            let l = level_of(pattern, f);
            if l != MISSING {
                w += if f == NAME && same_citizenship {
                    self.name_same_citizenship[l as usize]
                } else {
                    weights[l as usize]
                };
            }
        }
        1.0 / (1.0 + (-w).exp2())
    }

    fn train(left: &[Clk], right: &[Clk], candidates: &[u64], all: &[&Clk]) -> EncodedModel {
        // u from random pairs across the two files.
        let mut u: Vec<Vec<f64>> = LEVELS.iter().map(|&n| vec![0.0; n]).collect();
        let mut u_name_cit = vec![0.0; LEVELS[NAME]];
        let mut rng = Rng(0x00e1_c0de);
        let samples = (left.len() * right.len()).min(400_000);
        for _ in 0..samples {
            let i = rng.below(left.len() as u64) as usize;
            let j = rng.below(right.len() as u64) as usize;
            let p = pattern(&left[i], &right[j]);
            let name = level_of(p, NAME);
            if level_of(p, CITIZENSHIP) == 0 && name != MISSING {
                u_name_cit[name as usize] += 1.0;
            }
            for (f, uf) in u.iter_mut().enumerate() {
                let l = level_of(p, f);
                if l != MISSING {
                    uf[l as usize] += 1.0;
                }
            }
        }
        for uf in &mut u {
            let s: f64 = uf.iter().sum::<f64>() + 0.01 * uf.len() as f64;
            uf.iter_mut().for_each(|v| *v = (*v + 0.01) / s);
        }
        let cit_samples: f64 = u_name_cit.iter().sum();
        if samples < 10_000 {
            // Too few records to tell chance agreement: typical values.
            u = FALLBACK_U.iter().map(|x| x.to_vec()).collect();
        }
        let u_name_cit: Vec<f64> = if cit_samples < 1_000.0 {
            u[NAME].clone()
        } else {
            let s = cit_samples + 0.01 * u_name_cit.len() as f64;
            u_name_cit.iter().map(|v| (v + 0.01) / s).collect()
        };
        // m by expectation-maximisation on the candidates' patterns.
        let mut counts: crate::hash::FxHashMap<u64, u64> = Default::default();
        for &c in candidates {
            let (i, j) = ((c >> 32) as usize, (c & 0xffff_ffff) as usize);
            *counts.entry(pattern(all[i], all[j])).or_default() += 1;
        }
        let patterns: Vec<(u64, u64)> = counts.into_iter().collect();
        // Two sessions, as plaintext training does per blocking key: among pairs born on the
        // same day, most are the same person and their names show how a person's name encodes
        // twice; among pairs with the same name encoding, their dates show the same of dates.
        let session = |anchor: usize| {
            let picked: Vec<(u64, u64)> = patterns
                .iter()
                .copied()
                .filter(|&(p, _)| level_of(p, anchor) == 0)
                .collect();
            em_session(&picked, FIELDS, &u, &[anchor], 40)
        };
        let by_date = session(DATE);
        let by_name = session(NAME);
        let m: Vec<Option<Vec<f64>>> = vec![
            by_date[NAME].clone(),
            by_name[DATE].clone(),
            by_date[SEX].clone().or_else(|| by_name[SEX].clone()),
            by_date[CITIZENSHIP]
                .clone()
                .or_else(|| by_name[CITIZENSHIP].clone()),
        ];
        // A stronger level is never weaker evidence than a weaker one.
        let weigh = |m: &[f64], u: &[f64]| {
            let mut out = [0.0; 5];
            let mut best = f64::INFINITY;
            for l in 0..m.len() {
                best = (m[l].max(MIN_PROB) / u[l].max(MIN_PROB)).log2().min(best);
                out[l] = best;
            }
            out
        };
        let m: Vec<Vec<f64>> = (0..FIELDS)
            .map(|f| m[f].clone().unwrap_or_else(|| FALLBACK_M[f].to_vec()))
            .collect();
        let mut weights = [[0.0; 5]; FIELDS];
        for f in 0..FIELDS {
            weights[f] = weigh(&m[f], &u[f]);
        }
        let mut model = EncodedModel {
            weights,
            name_same_citizenship: weigh(&m[NAME], &u_name_cit),
            prior: 0.0,
        };
        // The prior: the expected share of matches among all pairs across the files, as the
        // fixed point of the candidates' match probabilities (every non-candidate a non-match).
        let total = left.len() as f64 * right.len() as f64;
        let mut lambda = (left.len().min(right.len()) as f64 / total).clamp(1e-12, 0.5);
        for _ in 0..100 {
            model.prior = (lambda / (1.0 - lambda)).log2();
            let expected: f64 = patterns
                .iter()
                .map(|&(p, c)| model.probability(p) * c as f64)
                .sum();
            let next = (expected / total).clamp(1e-12, 0.5);
            if (next - lambda).abs() <= lambda * 1e-6 {
                break;
            }
            lambda = next;
        }
        model.prior = (lambda / (1.0 - lambda)).log2();
        model
    }
}

/// Result of linking two encoded files.
pub struct EncodedOutcome {
    /// `(left index, right index, match probability)` at or above the threshold, strongest
    /// first.
    pub pairs: Vec<(u32, u32, f64)>,
    /// Cluster label per record, left records first then right (the smallest index).
    pub clusters: Vec<u32>,
    /// Candidate pairs compared.
    pub candidate_pairs: usize,
}

/// Candidate pairs `(i << 32) | j` (left index, right index offset by the left's length) from
/// locality-sensitive hashing on sampled name bits.
fn candidates(left: &[Clk], right: &[Clk]) -> Vec<u64> {
    const TABLES: usize = 32;
    const SAMPLE: usize = 14;
    let nl = left.len();
    let mut rng = Rng(0xb100_f11e);
    let tables: Vec<[u16; SAMPLE]> = (0..TABLES)
        .map(|_| {
            let mut t = [0u16; SAMPLE];
            for b in &mut t {
                *b = (NAME_BITS.0 as u64 + rng.below((NAME_BITS.1 - NAME_BITS.0) as u64)) as u16;
            }
            t
        })
        .collect();
    let sig = |c: &Clk, t: &[u16; SAMPLE]| -> u32 {
        let mut s = 0u32;
        for (k, &b) in t.iter().enumerate() {
            if c.0[b as usize / 64] >> (b % 64) & 1 == 1 {
                s |= 1 << k;
            }
        }
        s
    };
    let mut out: Vec<u64> = tables
        .par_iter()
        .flat_map_iter(|t| {
            let mut entries: Vec<(u32, u32)> = left
                .iter()
                .chain(right)
                .enumerate()
                .map(|(i, c)| (sig(c, t), i as u32))
                .collect();
            entries.sort_unstable();
            let mut out = Vec::new();
            let mut s = 0;
            while s < entries.len() {
                let mut e = s + 1;
                while e < entries.len() && entries[e].0 == entries[s].0 {
                    e += 1;
                }
                // A bucket holds both sides in index order; an empty signature says nothing.
                let group = &entries[s..e];
                if group[0].0 != 0 {
                    let split = group.partition_point(|x| (x.1 as usize) < nl);
                    let (ls, rs) = group.split_at(split);
                    let cap = 50_000 / ls.len().max(1);
                    for l in ls {
                        for r in rs.iter().take(cap) {
                            out.push((u64::from(l.1) << 32) | u64::from(r.1));
                        }
                    }
                }
                s = e;
            }
            out
        })
        .collect();
    out.par_sort_unstable();
    out.dedup();
    out
}

/// Links two encoded files: candidates from locality-sensitive hashing on the name bits,
/// field-by-field comparison, Fellegi-Sunter scoring trained without labels, and clustering
/// with the same guard as plaintext linkage. `threshold` is a match probability.
pub fn link_encoded(
    left: &[Clk],
    right: &[Clk],
    threshold: f64,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<EncodedOutcome, LinkageError> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(LinkageError::BadThreshold);
    }
    let nl = left.len();
    let candidates = candidates(left, right);
    progress(&format!(
        "{} candidate pairs of encodings; estimating m and u",
        candidates.len()
    ));
    let all: Vec<&Clk> = left.iter().chain(right).collect();
    if left.is_empty() || right.is_empty() {
        return Ok(EncodedOutcome {
            pairs: Vec::new(),
            clusters: (0..all.len() as u32).collect(),
            candidate_pairs: 0,
        });
    }
    let model = EncodedModel::train(left, right, &candidates, &all);
    let mut pairs: Vec<(u32, u32, f64)> = candidates
        .par_iter()
        .filter_map(|&p| {
            let (i, j) = ((p >> 32) as usize, (p & 0xffff_ffff) as usize);
            let prob = model.probability(pattern(all[i], all[j]));
            (prob >= threshold).then_some((i as u32, j as u32, prob))
        })
        .collect();
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let cross = |i: usize, j: usize| -> Option<f64> {
        ((i < nl) != (j < nl)).then(|| model.probability(pattern(all[i], all[j])))
    };
    let clusters = cluster::cluster(all.len(), &pairs, 0.5, 200, &cross);
    let pairs = pairs
        .into_iter()
        .map(|(i, j, d)| (i, j - nl as u32, d))
        .collect();
    Ok(EncodedOutcome {
        pairs,
        clusters,
        candidate_pairs: candidates.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bloom::encode_all;
    use crate::dataset::names_and_dates;

    const SYL: [&str; 12] = [
        "ka", "lo", "mi", "ra", "te", "su", "na", "bo", "di", "fe", "go", "hu",
    ];

    fn name(n: usize, salt: usize) -> String {
        let h = (n * 7919 + salt * 104_729) % 1_728;
        format!(
            "{}{}{}",
            SYL[h % 12],
            SYL[(h / 12) % 12],
            SYL[(h / 144) % 12]
        )
    }

    fn encode(rows: &[(String, String, String)]) -> Vec<Clk> {
        encode_all(
            &names_and_dates(rows),
            b"a key the two partners share, 0123",
        )
        .unwrap()
    }

    #[test]
    fn the_same_person_links_and_a_namesake_born_elsewhen_does_not() {
        // 400 persons on the left; the right holds each again (every fifth with a typo in the
        // family name), and 40 namesakes: the same names, another date of birth.
        let date = |n: usize| format!("{}-{:02}-{:02}", 1950 + n % 50, 1 + n % 12, 1 + n % 28);
        let left: Vec<_> = (0..400)
            .map(|n| (name(n, 1), name(n, 2), date(n)))
            .collect();
        let mut right: Vec<_> = left
            .iter()
            .enumerate()
            .map(|(n, (g, f, d))| {
                let f = if n % 5 == 0 {
                    format!("{f}x")
                } else {
                    f.clone()
                };
                (g.clone(), f, d.clone())
            })
            .collect();
        for n in 0..40 {
            right.push((name(n, 1), name(n, 2), date(n + 17)));
        }
        let (l, r) = (encode(&left), encode(&right));
        let out = link_encoded(&l, &r, 0.9, &|_| {}).unwrap();
        let linked = |i: u32, j: u32| out.pairs.iter().any(|p| p.0 == i && p.1 == j);
        let found = (0..400).filter(|&n| linked(n, n)).count();
        assert!(found >= 380, "{found} of 400 found again");
        let namesakes = (0..40).filter(|&n| linked(n, 400 + n)).count();
        assert!(
            namesakes <= 2,
            "{namesakes} namesakes taken for the same person"
        );
    }
}
