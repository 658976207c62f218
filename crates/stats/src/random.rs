//! Where the randomness of a release comes from.
//!
//! The samplers in [`crate::dp`] consume uniform random integers only — never a floating-point
//! draw — so their output distribution is exactly the one they state. Two sources feed them:
//!
//! - [`OsRandom`]: the operating system's CSPRNG, for a release whose noise must be fresh.
//! - [`KeyedStream`]: a keyed extendable-output stream (keyed BLAKE3), for noise that must be the
//!   *same* every time the same cell is asked for — so that asking again and averaging does not
//!   wash it out (see [`crate::cellkey`]). Without the key the stream is unpredictable.

use crate::StatsError;

/// A source of uniformly random bytes.
pub trait RandomSource {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), StatsError>;

    /// A uniformly random integer in `0..bound` (`bound > 0`), by rejection: no modulo bias.
    fn below(&mut self, bound: u64) -> Result<u64, StatsError> {
        if bound == 0 {
            return Err(StatsError::Parameter(
                "an empty range has no element to draw",
            ));
        }
        // The largest multiple of `bound` that fits: values at or above it are drawn again.
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let mut b = [0u8; 8];
            self.fill(&mut b)?;
            let v = u64::from_le_bytes(b);
            if v < zone {
                return Ok(v % bound);
            }
        }
    }
}

/// The operating system's cryptographically secure random number generator, read in blocks.
#[derive(Debug)]
pub struct OsRandom {
    buf: [u8; 256],
    used: usize,
}

impl OsRandom {
    pub fn new() -> Self {
        OsRandom {
            buf: [0; 256],
            used: 256,
        }
    }
}

impl Default for OsRandom {
    fn default() -> Self {
        Self::new()
    }
}

impl RandomSource for OsRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), StatsError> {
        for byte in out.iter_mut() {
            if self.used == self.buf.len() {
                getrandom::fill(&mut self.buf).map_err(|_| StatsError::NoRandomness)?;
                self.used = 0;
            }
            *byte = self.buf[self.used];
            self.used += 1;
        }
        Ok(())
    }
}

/// A deterministic stream of bytes from a 32-byte key and a context: the same key and context
/// always give the same stream; a different context gives an unrelated one.
pub struct KeyedStream {
    reader: blake3::OutputReader,
}

impl KeyedStream {
    pub fn new(key: &[u8; 32], context: &[u8]) -> Self {
        let mut hasher = blake3::Hasher::new_keyed(key);
        hasher.update(&(context.len() as u64).to_le_bytes());
        hasher.update(context);
        KeyedStream {
            reader: hasher.finalize_xof(),
        }
    }
}

impl RandomSource for KeyedStream {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), StatsError> {
        self.reader.fill(buf);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let mut r = KeyedStream::new(&[7; 32], b"below");
        let mut seen = [0u32; 7];
        for _ in 0..7_000 {
            let v = r.below(7).unwrap();
            seen[v as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 800 && n < 1_200), "{seen:?}");
        assert!(r.below(0).is_err());
    }

    #[test]
    fn a_keyed_stream_repeats_for_its_context_only() {
        let draw = |ctx: &[u8]| {
            let mut b = [0u8; 16];
            KeyedStream::new(&[1; 32], ctx).fill(&mut b).unwrap();
            b
        };
        assert_eq!(draw(b"cell a"), draw(b"cell a"));
        assert_ne!(draw(b"cell a"), draw(b"cell b"));
    }

    #[test]
    fn the_operating_system_source_gives_different_bytes() {
        let mut r = OsRandom::new();
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        r.fill(&mut a).unwrap();
        r.fill(&mut b).unwrap();
        assert_ne!(a, b);
    }
}
