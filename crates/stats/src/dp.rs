//! Exact samplers for differential privacy.
//!
//! Noise for a count is drawn from the discrete Laplace distribution (the two-sided geometric):
//! `P(y) ∝ exp(−|y|/scale)` over the integers. Floating-point Laplace noise leaks through the
//! gaps and rounding of the floats it produces (Mironov, 2012); these samplers use only uniform
//! random integers and exact rational arithmetic, following Canonne, Kamath and Steinke, "The
//! Discrete Gaussian for Differential Privacy" (2020), Algorithms 1 and 2. With scale
//! `sensitivity / ε` a count released with this noise is ε-differentially private.
//!
//! ε is a rational number ([`Epsilon`]) so that the scale is exact too.

use crate::StatsError;
use crate::random::RandomSource;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A privacy-loss parameter ε = `num / den`, positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Epsilon {
    pub num: u32,
    pub den: u32,
}

/// The largest ε a release may state: beyond it the noise protects nobody.
pub const EPSILON_MAX: Epsilon = Epsilon { num: 10, den: 1 };

impl Epsilon {
    /// Reads a decimal such as `1`, `0.5` or `0.25` (at most four decimals), exactly.
    pub fn parse(text: &str) -> Result<Epsilon, StatsError> {
        let bad = || {
            StatsError::Parameter(
                "epsilon must be a decimal number above 0, at most 10, with at most four decimals",
            )
        };
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() && frac.is_empty()
            || frac.len() > 4
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let den = 10u32.pow(frac.len() as u32);
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac: u32 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        let num = whole
            .checked_mul(den)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        Epsilon::new(num, den).ok_or_else(bad)
    }

    /// ε = num/den in lowest terms; `None` unless 0 < ε ≤ [`EPSILON_MAX`].
    pub fn new(num: u32, den: u32) -> Option<Epsilon> {
        if num == 0 || den == 0 || u64::from(num) > u64::from(den) * 10 {
            return None;
        }
        let g = gcd(num, den);
        Some(Epsilon {
            num: num / g,
            den: den / g,
        })
    }

    /// As a float, for display and for the expected error only — never for sampling.
    pub fn as_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }
}

impl fmt::Display for Epsilon {
    /// As a decimal when it has one of at most six places (every parsed value), else `num/den`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (num, den) = (u64::from(self.num), u64::from(self.den));
        for digits in 0..=6u32 {
            let scale = 10u64.pow(digits);
            if (num * scale) % den == 0 {
                let scaled = num * scale / den;
                if digits == 0 {
                    return write!(f, "{scaled}");
                }
                let s = format!("{scaled:0>width$}", width = digits as usize + 1);
                let (w, d) = s.split_at(s.len() - digits as usize);
                return write!(f, "{w}.{d}");
            }
        }
        write!(f, "{num}/{den}")
    }
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Bernoulli(n/d): true with probability exactly `n/d` (`n ≤ d`, `d > 0`).
pub fn bernoulli(rng: &mut impl RandomSource, n: u64, d: u64) -> Result<bool, StatsError> {
    Ok(rng.below(d)? < n)
}

/// Bernoulli(exp(−n/d)) for `n/d ≥ 0`, exactly (Algorithm 1 of Canonne, Kamath and Steinke).
pub fn bernoulli_exp(rng: &mut impl RandomSource, n: u64, d: u64) -> Result<bool, StatsError> {
    if d == 0 {
        return Err(StatsError::Parameter("a ratio needs a denominator above 0"));
    }
    if n <= d {
        // exp(−γ) for γ ∈ [0, 1]: the parity of the first k with a failed Bernoulli(γ/k).
        let mut k: u64 = 1;
        loop {
            let denom = d
                .checked_mul(k)
                .ok_or(StatsError::Parameter("ratio too large"))?;
            if !bernoulli(rng, n, denom)? {
                return Ok(k % 2 == 1);
            }
            k += 1;
        }
    }
    // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
    for _ in 0..n / d {
        if !bernoulli_exp(rng, 1, 1)? {
            return Ok(false);
        }
    }
    bernoulli_exp(rng, n % d, d)
}

/// One draw of the discrete Laplace distribution with scale `t/s` (`s, t > 0`):
/// `P(y) ∝ exp(−|y|·s/t)` (Algorithm 2 of Canonne, Kamath and Steinke).
pub fn discrete_laplace(rng: &mut impl RandomSource, s: u64, t: u64) -> Result<i64, StatsError> {
    if s == 0 || t == 0 {
        return Err(StatsError::Parameter("the scale needs positive terms"));
    }
    loop {
        let u = rng.below(t)?;
        if !bernoulli_exp(rng, u, t)? {
            continue;
        }
        let mut v: u64 = 0;
        while bernoulli_exp(rng, 1, 1)? {
            v += 1;
        }
        let x = u + t * v;
        let y = i64::try_from(x / s).map_err(|_| StatsError::Parameter("noise out of range"))?;
        let negative = bernoulli(rng, 1, 2)?;
        if negative && y == 0 {
            continue;
        }
        return Ok(if negative { -y } else { y });
    }
}

/// Noise for a count of sensitivity 1 released at `epsilon`: discrete Laplace with scale 1/ε.
pub fn count_noise(rng: &mut impl RandomSource, epsilon: Epsilon) -> Result<i64, StatsError> {
    discrete_laplace(rng, u64::from(epsilon.num), u64::from(epsilon.den))
}

/// A noisy count as published: never below zero (clamping is post-processing and keeps the
/// guarantee).
pub fn noisy_count(
    rng: &mut impl RandomSource,
    count: u64,
    epsilon: Epsilon,
) -> Result<u64, StatsError> {
    let noise = count_noise(rng, epsilon)?;
    let c = i64::try_from(count).unwrap_or(i64::MAX);
    Ok(u64::try_from(c.saturating_add(noise)).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::KeyedStream;

    const DRAWS: usize = 200_000;

    /// Chi-square statistic of observed counts against expected probabilities.
    fn chi_square(observed: &[u64], expected: &[f64], n: usize) -> f64 {
        observed
            .iter()
            .zip(expected)
            .map(|(&o, &p)| {
                let e = p * n as f64;
                (o as f64 - e).powi(2) / e
            })
            .sum()
    }

    #[test]
    fn bernoulli_exp_has_the_stated_mean() {
        for (n, d) in [(0u64, 1u64), (1, 2), (1, 1), (3, 2), (5, 1)] {
            let mut rng = KeyedStream::new(&[3; 32], format!("b{n}/{d}").as_bytes());
            let hits = (0..DRAWS)
                .filter(|_| bernoulli_exp(&mut rng, n, d).unwrap())
                .count();
            let p = (-(n as f64) / d as f64).exp();
            let sd = (p * (1.0 - p) / DRAWS as f64).sqrt().max(1e-9);
            let got = hits as f64 / DRAWS as f64;
            assert!(
                (got - p).abs() <= 5.0 * sd + 1e-9,
                "exp(-{n}/{d}): {got} vs {p}"
            );
        }
    }

    /// The samples follow P(y) ∝ exp(−|y|/scale): a chi-square test over −6..=6 and the two
    /// tails, at a threshold a correct sampler exceeds with probability below one in a million
    /// (15 bins, 14 degrees of freedom: 47.3). The streams are seeded, so the test is stable.
    #[test]
    fn discrete_laplace_follows_its_distribution() {
        for (s, t) in [(1u64, 1u64), (1, 2), (2, 1), (1, 4)] {
            let scale = t as f64 / s as f64;
            let q = (-1.0 / scale).exp();
            let pmf = |y: i64| (1.0 - q) / (1.0 + q) * q.powi(y.unsigned_abs() as i32);
            let mut expected: Vec<f64> = (-6..=6).map(pmf).collect();
            let tail: f64 = (7..400).map(pmf).sum();
            expected.push(tail);
            expected.push(tail);
            let mut observed = vec![0u64; 15];
            let mut rng = KeyedStream::new(&[9; 32], format!("lap{s}/{t}").as_bytes());
            for _ in 0..DRAWS {
                let y = discrete_laplace(&mut rng, s, t).unwrap();
                let bin = match y {
                    -6..=6 => (y + 6) as usize,
                    y if y < 0 => 13,
                    _ => 14,
                };
                observed[bin] += 1;
            }
            let stat = chi_square(&observed, &expected, DRAWS);
            assert!(
                stat < 47.3,
                "scale {t}/{s}: chi-square {stat}, {observed:?}"
            );
        }
    }

    #[test]
    fn a_wrong_scale_is_detected_by_the_same_test() {
        // The test above must be able to fail: samples of scale 2 judged against scale 1.
        let q = (-1.0f64).exp();
        let pmf = |y: i64| (1.0 - q) / (1.0 + q) * q.powi(y.unsigned_abs() as i32);
        let mut expected: Vec<f64> = (-6..=6).map(pmf).collect();
        let tail: f64 = (7..400).map(pmf).sum();
        expected.push(tail);
        expected.push(tail);
        let mut observed = vec![0u64; 15];
        let mut rng = KeyedStream::new(&[9; 32], b"wrong");
        for _ in 0..DRAWS {
            let y = discrete_laplace(&mut rng, 1, 2).unwrap();
            let bin = match y {
                -6..=6 => (y + 6) as usize,
                y if y < 0 => 13,
                _ => 14,
            };
            observed[bin] += 1;
        }
        assert!(chi_square(&observed, &expected, DRAWS) > 47.3);
    }

    #[test]
    fn epsilon_is_read_exactly_and_bounded() {
        assert_eq!(Epsilon::parse("1").unwrap(), Epsilon { num: 1, den: 1 });
        assert_eq!(Epsilon::parse("0.5").unwrap(), Epsilon { num: 1, den: 2 });
        assert_eq!(Epsilon::parse("0.25").unwrap(), Epsilon { num: 1, den: 4 });
        assert_eq!(Epsilon::parse("1.0").unwrap().to_string(), "1");
        assert_eq!(Epsilon::parse("0.125").unwrap().to_string(), "0.125");
        for bad in ["0", "-1", "11", "abc", "", ".", "0.00001", "1e3", "NaN"] {
            assert!(Epsilon::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_noisy_zero_is_clamped_not_negative() {
        // Half the noise is negative: clamped, a count of zero is published as 0 at least as
        // often as not, and the rest spreads above it.
        let mut rng = KeyedStream::new(&[1; 32], b"clamp");
        let eps = Epsilon::parse("0.5").unwrap();
        let out: Vec<u64> = (0..2_000)
            .map(|_| noisy_count(&mut rng, 0, eps).unwrap())
            .collect();
        let zeros = out.iter().filter(|&&n| n == 0).count();
        assert!(zeros >= 1_000, "{zeros}");
        assert!(out.iter().any(|&n| n > 0));
    }
}
