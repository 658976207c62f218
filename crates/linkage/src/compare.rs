//! String comparators: Jaro–Winkler, bounded Damerau–Levenshtein (optimal string alignment)
//! and token-set similarity. They work on the ASCII text that normalisation produces.

/// Agreement levels shared by every field: 0 is the strongest agreement; `MISSING` means one
/// side has no value and the field gives no evidence.
pub mod level {
    /// One side (or both) has no value.
    pub const MISSING: u8 = 15;
}

/// Jaro similarity in [0, 1].
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let window = (b.len() / 2).saturating_sub(1);
    let mut b_used = [0u64; 4];
    let mut b_used_vec: Vec<bool> = Vec::new();
    let small = b.len() <= 256;
    if !small {
        b_used_vec = vec![false; b.len()];
    }
    let mut a_match_small = [0u8; 64];
    let mut a_match_vec: Vec<u8> = Vec::new();
    if a.len() > 64 {
        a_match_vec = vec![0u8; a.len()];
    }
    let a_match: &mut [u8] = if a.len() > 64 {
        &mut a_match_vec
    } else {
        &mut a_match_small
    };
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            let used = if small {
                b_used[j / 64] & (1 << (j % 64)) != 0
            } else {
                b_used_vec[j]
            };
            if !used && b[j] == ca {
                if small {
                    b_used[j / 64] |= 1 << (j % 64);
                } else {
                    b_used_vec[j] = true;
                }
                a_match[matches] = ca;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut k = 0;
    let mut transpositions = 0usize;
    for (j, &cb) in b.iter().enumerate() {
        let used = if small {
            b_used[j / 64] & (1 << (j % 64)) != 0
        } else {
            b_used_vec[j]
        };
        if used {
            if a_match[k] != cb {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

/// Damerau–Levenshtein distance (optimal string alignment) when it is at most `max`, else
/// `max + 1`.
pub fn damerau_levenshtein_bounded(a: &[u8], b: &[u8], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    if a == b {
        return 0;
    }
    let n = b.len();
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n].min(max + 1)
}

/// Token-set similarity (Jaccard of the distinct tokens) in [0, 1].
pub fn token_set<T: Ord + Copy>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut x: Vec<T> = a.to_vec();
    let mut y: Vec<T> = b.to_vec();
    x.sort_unstable();
    x.dedup();
    y.sort_unstable();
    y.dedup();
    let common = x.iter().filter(|t| y.binary_search(t).is_ok()).count();
    common as f64 / (x.len() + y.len() - common) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let jw = jaro_winkler(b"martha", b"marhta");
        assert!((jw - 0.9611).abs() < 1e-3, "{jw}");
        let jw = jaro_winkler(b"dwayne", b"duane");
        assert!((jw - 0.84).abs() < 1e-2, "{jw}");
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
        assert_eq!(damerau_levenshtein_bounded(b"kitten", b"sitting", 5), 3);
        assert_eq!(damerau_levenshtein_bounded(b"kitten", b"sitting", 2), 3);
        assert_eq!(damerau_levenshtein_bounded(b"ab", b"ba", 2), 1);
        assert_eq!(token_set(&[1, 2], &[2, 3]), 1.0 / 3.0);
    }
}
