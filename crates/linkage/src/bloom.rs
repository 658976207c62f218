//! Privacy-preserving linkage with keyed Bloom-filter encodings (cryptographic long-term keys).
//!
//! Each record becomes 1,024 bits: the bigrams of its normalised name tokens (canonical
//! variants, so "Mohammed" and "محمد" set the same bits), the phonetic key of each token, and
//! the year, month and day of birth, each hashed `k` times with HMAC-SHA256 under a key the
//! partners share. Without the key the bits cannot be tied to a name by hashing guesses; with
//! it, two organisations compare encodings by Dice similarity and learn only which of their
//! records are probably the same person. The key must stay with the partners and never
//! travel with the encodings.

use crate::dataset::Dataset;
use crate::hash::Rng;
use crate::{LinkageError, cluster};
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
const K_DATE: u32 = 25;
/// Hashes for sex.
const K_SEX: u32 = 8;

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

    fn add(&self, clk: &mut Clk, feature: &[u8], k: u32) {
        let mut mac = self.mac.clone();
        mac.update(feature);
        let digest = mac.finalize().into_bytes();
        let h1 = u64::from_le_bytes(digest[0..8].try_into().unwrap_or([0; 8]));
        let h2 = u64::from_le_bytes(digest[8..16].try_into().unwrap_or([0; 8])) | 1;
        for i in 0..u64::from(k) {
            let bit = (h1.wrapping_add(i.wrapping_mul(h2)) % BITS as u64) as usize;
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
                    enc.add(&mut clk, &feature, K_BIGRAM);
                }
                let phon = &ds.strs.get(ds.tok_phon[t as usize]).as_bytes()[2..];
                feature.clear();
                feature.extend_from_slice(b"p:");
                feature.extend_from_slice(phon);
                enc.add(&mut clk, &feature, K_PHONETIC);
            }
            if r.dob.year != 0 {
                enc.add(&mut clk, format!("y:{}", r.dob.year).as_bytes(), K_DATE);
            }
            if r.dob.month != 0 {
                enc.add(&mut clk, format!("m:{}", r.dob.month).as_bytes(), K_DATE);
            }
            if r.dob.day != 0 {
                enc.add(&mut clk, format!("d:{}", r.dob.day).as_bytes(), K_DATE);
            }
            if r.vals[0] != 0 {
                let sex = ds.strs.get(r.vals[0]).as_bytes();
                let mut f = b"s:".to_vec();
                f.extend_from_slice(sex);
                enc.add(&mut clk, &f, K_SEX);
            }
            clk
        })
        .collect())
}

/// Result of linking two encoded files.
pub struct EncodedOutcome {
    /// `(left index, right index, Dice similarity)` at or above the threshold, strongest first.
    pub pairs: Vec<(u32, u32, f64)>,
    /// Cluster label per record, left records first then right (the smallest index).
    pub clusters: Vec<u32>,
    /// Candidate pairs compared.
    pub candidate_pairs: usize,
}

/// Links two encoded files: candidates from locality-sensitive hashing on sampled bits,
/// Dice similarity, clustering with the same guard as plaintext linkage.
pub fn link_encoded(
    left: &[Clk],
    right: &[Clk],
    threshold: f64,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<EncodedOutcome, LinkageError> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(LinkageError::BadThreshold);
    }
    const TABLES: usize = 32;
    const SAMPLE: usize = 16;
    let nl = left.len();
    let mut rng = Rng(0xb100_f11e);
    let tables: Vec<[u16; SAMPLE]> = (0..TABLES)
        .map(|_| {
            let mut t = [0u16; SAMPLE];
            for b in &mut t {
                *b = rng.below(BITS as u64) as u16;
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
    let mut candidates: Vec<u64> = tables
        .par_iter()
        .enumerate()
        .flat_map_iter(|(ti, t)| {
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
                let group = &entries[s..e];
                let split = group.partition_point(|x| (x.1 as usize) < nl);
                // Buckets of the same signature in this table hold both sides in index order.
                let (ls, rs) = group.split_at(split);
                let ls: Vec<u32> = ls.iter().map(|x| x.1).collect();
                let mut rs: Vec<u32> = rs.iter().map(|x| x.1).collect();
                if ls.len() * rs.len() > 50_000 {
                    rs.truncate(50_000 / ls.len().max(1));
                }
                for &i in &ls {
                    for &j in &rs {
                        out.push(((i as u64) << 32) | j as u64);
                    }
                }
                s = e;
            }
            let _ = ti;
            out
        })
        .collect();
    candidates.par_sort_unstable();
    candidates.dedup();
    progress(&format!(
        "{} candidate pairs of encodings",
        candidates.len()
    ));
    let all: Vec<&Clk> = left.iter().chain(right).collect();
    let mut pairs: Vec<(u32, u32, f64)> = candidates
        .par_iter()
        .filter_map(|&p| {
            let (i, j) = ((p >> 32) as usize, (p & 0xffff_ffff) as usize);
            let d = dice(all[i], all[j]);
            (d >= threshold).then_some((i as u32, j as u32, d))
        })
        .collect();
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let cross = |i: usize, j: usize| -> Option<f64> {
        ((i < nl) != (j < nl)).then(|| dice(all[i], all[j]))
    };
    let clusters = cluster::cluster(all.len(), &pairs, threshold.min(0.99) * 0.9, 200, &cross);
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
    use crate::{Column, DatasetBuilder, InputRecord};

    fn ds(rows: &[(&str, &str, &str)]) -> Dataset {
        let mut b = DatasetBuilder::new(0).unwrap();
        for (g, f, d) in rows {
            let mut r = InputRecord::default();
            r.set(Column::GivenName, g);
            r.set(Column::FamilyName, f);
            r.set(Column::DateOfBirth, d);
            b.push(&r).unwrap();
        }
        b.finish()
    }

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
        let linked = link_encoded(&c[..2], &c[2..], 0.8, &|_| {}).unwrap();
        assert_eq!(linked.clusters[0], linked.clusters[2]);
        assert_ne!(linked.clusters[0], linked.clusters[3]);
    }
}
