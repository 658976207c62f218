//! Answers that resist differencing: the same people always get the same noise.
//!
//! An analyst who may ask freely can subtract two overlapping answers — a period one day
//! longer, a filter with one more value — and, if both were exact, read one person off the
//! difference. Suppression does not stop this: both answers may be large. Fresh noise on each
//! answer does not stop it either: ask a hundred times and average.
//!
//! So each record carries a key: a secret-keyed hash of its id, uniform over 32 bits. A cell's
//! key is the sum of its records' keys (mod 2³²), and the cell's noise is drawn from a keyed
//! stream seeded by the cell key and the count. The same set of people therefore gets the same
//! noise however the question is phrased and however often it is asked — averaging gains
//! nothing — while two sets that differ by a few people get unrelated noise, so their
//! difference is the number of those people plus the difference of two independent
//! discrete-Laplace draws: it does not say how many they were. (Whether they were *none* is
//! not protected: zeros are published as zeros, see [`perturb`]; and release periods are fixed,
//! so that periods a day apart are not two questions at all.) (This is the
//! cell-key method national statistical offices use for table builders, with the perturbation
//! drawn by the exact sampler of [`crate::dp`].)

use crate::StatsError;
use crate::dp::discrete_laplace;
use crate::random::KeyedStream;

/// A record's key, from the secret and the record's id.
pub fn record_key(secret: &[u8; 32], record_id: &str) -> u32 {
    let mut h = blake3::Hasher::new_keyed(secret);
    h.update(b"record-key\0");
    h.update(record_id.as_bytes());
    let out = h.finalize();
    let b = out.as_bytes();
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// Adds a record's key to a cell's key.
pub fn add(cell_key: u32, record_key: u32) -> u32 {
    cell_key.wrapping_add(record_key)
}

/// The published count of a cell with `count` records whose keys sum to `cell_key`: the count
/// plus discrete-Laplace noise of scale `t/s`, never below zero; zero stays zero (an empty cell
/// has no one to protect, and publishing noise there would invent people).
pub fn perturb(
    secret: &[u8; 32],
    cell_key: u32,
    count: u64,
    s: u64,
    t: u64,
) -> Result<u64, StatsError> {
    if count == 0 {
        return Ok(0);
    }
    let mut context = Vec::with_capacity(24);
    context.extend_from_slice(b"cell\0");
    context.extend_from_slice(&cell_key.to_le_bytes());
    context.extend_from_slice(&count.to_le_bytes());
    let mut rng = KeyedStream::new(secret, &context);
    let noise = discrete_laplace(&mut rng, s, t)?;
    let c = i64::try_from(count).unwrap_or(i64::MAX);
    Ok(u64::try_from(c.saturating_add(noise)).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: [u8; 32] = [42; 32];

    fn cell(ids: &[String]) -> (u32, u64) {
        let key = ids
            .iter()
            .fold(0u32, |k, id| add(k, record_key(&SECRET, id)));
        (key, ids.len() as u64)
    }

    #[test]
    fn the_same_people_get_the_same_answer_however_often_asked() {
        let ids: Vec<String> = (0..40).map(|i| format!("case-{i}")).collect();
        let (key, n) = cell(&ids);
        // In any order: the key is a sum.
        let mut shuffled = ids.clone();
        shuffled.reverse();
        assert_eq!(cell(&shuffled).0, key);
        let first = perturb(&SECRET, key, n, 1, 2).unwrap();
        assert!((0..50).all(|_| perturb(&SECRET, key, n, 1, 2).unwrap() == first));
    }

    /// The differencing attack: a filter with one more value adds one person. Over many such
    /// pairs the difference of the two answers is 1 only a minority of the time, so the
    /// attacker cannot read off that exactly one person was added — whereas exact answers would
    /// say so every time.
    #[test]
    fn differencing_two_overlapping_answers_does_not_reveal_the_person() {
        let mut exact_hits = 0;
        let trials = 2_000;
        for t in 0..trials {
            let base: Vec<String> = (0..30).map(|i| format!("t{t}-case-{i}")).collect();
            let mut longer = base.clone();
            longer.push(format!("t{t}-the-one"));
            let (k1, n1) = cell(&base);
            let (k2, n2) = cell(&longer);
            let a = perturb(&SECRET, k1, n1, 1, 2).unwrap();
            let b = perturb(&SECRET, k2, n2, 1, 2).unwrap();
            if b as i64 - a as i64 == 1 {
                exact_hits += 1;
            }
        }
        // With scale 2 the difference of two independent draws is exactly 0 about 23 % of the
        // time (so the difference reads 1 that often); exact counts would give 100 %. The same
        // check against exact answers must fail:
        assert_eq!(cell(&[String::from("x")]).1 - cell(&[]).1, 1);
        let rate = exact_hits as f64 / trials as f64;
        assert!(
            rate < 0.35,
            "difference read the person {rate:.2} of the time"
        );
    }

    #[test]
    fn an_empty_cell_stays_empty_and_a_different_secret_gives_other_noise() {
        assert_eq!(perturb(&SECRET, 123, 0, 1, 2).unwrap(), 0);
        let draws = |secret: [u8; 32]| -> Vec<u64> {
            (0..64u32)
                .map(|k| perturb(&secret, k, 50, 1, 2).unwrap())
                .collect()
        };
        assert_ne!(draws(SECRET), draws([7; 32]));
    }
}
