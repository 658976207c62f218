//! Privacy-preserving linkage with keyed Bloom-filter encodings (cryptographic long-term keys).
//!
//! Each record becomes 1,024 bits in four regions: 768 for the bigrams of its normalised name
//! tokens (canonical variants, so "Mohammed" and "محمد" set the same bits) and the phonetic key
//! of each token, 128 for the year, month and day of birth, 64 for sex, 64 for citizenship
//! (what partners commonly both record); each feature is hashed
//! `k` times with HMAC-SHA256 under a key the partners share, into its own region, so a link
//! compares names, dates and sex apart ([`crate::encoded`]). Without the key the bits cannot be tied to a name by hashing guesses; with
//! it, two organisations compare encodings by Dice similarity and learn only which of their
//! records are probably the same person. The key must stay with the partners and never
//! travel with the encodings.

use crate::LinkageError;
use crate::dataset::Dataset;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use rayon::prelude::*;
use sha2::Sha256;

/// Bits in one encoding.
pub const BITS: usize = 1024;
const WORDS: usize = BITS / 64;

/// Hashes per name bigram.
const K_BIGRAM: u32 = 15;
/// Hashes per phonetic key.
const K_PHONETIC: u32 = 20;
/// Hashes per date part.
const K_DATE: u32 = 8;
/// Hashes for sex.
const K_SEX: u32 = 4;
/// The bit ranges of the regions: names, date of birth, sex.
pub const NAME_BITS: (usize, usize) = (0, 768);
pub const DATE_BITS: (usize, usize) = (768, 896);
pub const SEX_BITS: (usize, usize) = (896, 960);
pub const CITIZENSHIP_BITS: (usize, usize) = (960, 1024);
/// Hashes for citizenship.
const K_CITIZENSHIP: u32 = 4;

/// One record's encoding.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Clk(pub [u64; WORDS]);

impl Clk {
    /// Bits set.
    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// Standard base64 of the 128 bytes.
    pub fn to_base64(&self) -> String {
        let mut bytes = Vec::with_capacity(BITS / 8);
        for w in &self.0 {
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// Parses [`Clk::to_base64`]'s output.
    pub fn from_base64(s: &str) -> Result<Clk, LinkageError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|_| LinkageError::BadEncoding(BITS))?;
        if bytes.len() != BITS / 8 {
            return Err(LinkageError::BadEncoding(BITS));
        }
        let mut words = [0u64; WORDS];
        for (w, c) in words.iter_mut().zip(bytes.chunks_exact(8)) {
            *w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        }
        Ok(Clk(words))
    }
}

/// Dice similarity of two encodings in [0, 1].
pub fn dice(a: &Clk, b: &Clk) -> f64 {
    let mut common = 0u32;
    let mut total = 0u32;
    for (x, y) in a.0.iter().zip(&b.0) {
        common += (x & y).count_ones();
        total += x.count_ones() + y.count_ones();
    }
    if total == 0 {
        0.0
    } else {
        2.0 * f64::from(common) / f64::from(total)
    }
}

struct Encoder {
    mac: Hmac<Sha256>,
}

impl Encoder {
    fn new(key: &[u8]) -> Result<Encoder, LinkageError> {
        if key.len() < 16 {
            return Err(LinkageError::ShortKey);
        }
        let mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| LinkageError::ShortKey)?;
        Ok(Encoder { mac })
    }

    fn add(&self, clk: &mut Clk, feature: &[u8], k: u32, region: (usize, usize)) {
        let mut mac = self.mac.clone();
        mac.update(feature);
        let digest = mac.finalize().into_bytes();
        let h1 = u64::from_le_bytes(digest[0..8].try_into().unwrap_or([0; 8]));
        let h2 = u64::from_le_bytes(digest[8..16].try_into().unwrap_or([0; 8])) | 1;
        for i in 0..u64::from(k) {
            let width = (region.1 - region.0) as u64;
            let bit = region.0 + (h1.wrapping_add(i.wrapping_mul(h2)) % width) as usize;
            clk.0[bit / 64] |= 1 << (bit % 64);
        }
    }
}

/// Encodes every record of a dataset under `key` (at least 16 bytes).
pub fn encode_all(ds: &Dataset, key: &[u8]) -> Result<Vec<Clk>, LinkageError> {
    let enc = Encoder::new(key)?;
    Ok(ds
        .recs
        .par_iter()
        .map(|r| {
            let mut clk = Clk([0; WORDS]);
            let mut feature = Vec::with_capacity(24);
            for &t in ds.given(r).iter().chain(ds.family(r)) {
                let canon = &ds.strs.get(ds.tok_canon[t as usize]).as_bytes()[2..];
                let mut padded = Vec::with_capacity(canon.len() + 2);
                padded.push(b'_');
                padded.extend_from_slice(canon);
                padded.push(b'_');
                for w in padded.windows(2) {
                    feature.clear();
                    feature.extend_from_slice(b"b:");
                    feature.extend_from_slice(w);
                    enc.add(&mut clk, &feature, K_BIGRAM, NAME_BITS);
                }
                let phon = &ds.strs.get(ds.tok_phon[t as usize]).as_bytes()[2..];
                feature.clear();
                feature.extend_from_slice(b"p:");
                feature.extend_from_slice(phon);
                enc.add(&mut clk, &feature, K_PHONETIC, NAME_BITS);
            }
            if r.dob.year != 0 {
                enc.add(
                    &mut clk,
                    format!("y:{}", r.dob.year).as_bytes(),
                    K_DATE,
                    DATE_BITS,
                );
            }
            if r.dob.month != 0 {
                enc.add(
                    &mut clk,
                    format!("m:{}", r.dob.month).as_bytes(),
                    K_DATE,
                    DATE_BITS,
                );
            }
            if r.dob.day != 0 {
                enc.add(
                    &mut clk,
                    format!("d:{}", r.dob.day).as_bytes(),
                    K_DATE,
                    DATE_BITS,
                );
            }
            if r.vals[0] != 0 {
                let sex = ds.strs.get(r.vals[0]).as_bytes();
                let mut f = b"s:".to_vec();
                f.extend_from_slice(sex);
                enc.add(&mut clk, &f, K_SEX, SEX_BITS);
            }
            if r.vals[1] != 0 {
                let mut f = b"c:".to_vec();
                f.extend_from_slice(ds.strs.get(r.vals[1]).as_bytes());
                enc.add(&mut clk, &f, K_CITIZENSHIP, CITIZENSHIP_BITS);
            }
            clk
        })
        .collect())
}

pub use crate::encoded::{EncodedOutcome, link_encoded};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::names_and_dates as ds;

    #[test]
    fn encodings_keep_similarity_and_need_the_key() {
        let d = ds(&[
            ("Mohammed", "Hassan", "1990-05-07"),
            ("محمد", "حسن", "1990-05-07"),
            ("Muhamad", "Hasan", "1990-07-05"),
            ("Olga", "Ivanova", "1985-01-01"),
        ]);
        let key = b"a shared key of partners 0123456";
        let c = encode_all(&d, key).unwrap();
        assert_eq!(dice(&c[0], &c[1]), 1.0);
        assert!(dice(&c[0], &c[2]) > 0.8, "{}", dice(&c[0], &c[2]));
        assert!(dice(&c[0], &c[3]) < 0.5, "{}", dice(&c[0], &c[3]));
        let other = encode_all(&d, b"another key entirely, 0123456789").unwrap();
        assert!(dice(&c[0], &other[0]) < 0.6);
        assert_eq!(Clk::from_base64(&c[0].to_base64()).unwrap(), c[0]);
        assert!(Clk::from_base64("AAAA").is_err());
        assert!(encode_all(&d, b"short").is_err());
        let linked = link_encoded(&c[..2], &c[2..], 0.9, &|_| {}).unwrap();
        assert_eq!(linked.clusters[0], linked.clusters[2]);
        assert_ne!(linked.clusters[0], linked.clusters[3]);
    }
}
