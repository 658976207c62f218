//! Blocking: candidate pairs are records that share at least one key. Keys are built so that
//! typos, transliteration, swapped names and partial dates still meet on some key, and a pass
//! over every two words of the name lets records meet when a name word is added or dropped. A
//! block larger than the cap is not compared in full: its records are sorted in three orderings
//! (family name, given name, date of birth first) and each is compared with its neighbours in
//! each (sorted neighbourhoods), so a very common key (1 January of a year, a common family
//! name) costs linear time and namesakes are still ordered by their date of birth.

use crate::dataset::{
    Dataset, F_CITIZENSHIP, F_DOB, F_DOCUMENT, F_FAMILY, F_GIVEN, F_LOCATION, F_PHONE, F_PLACE,
    F_SEX,
};
use crate::hash::mix;
use rayon::prelude::*;

/// Number of blocking keys.
pub(crate) const N_KEYS: usize = 8;

/// Names of the keys, for reports.
pub const KEY_NAMES: [&str; N_KEYS] = [
    "family name sound + given name's first two letters",
    "given name sound + birth year",
    "full date of birth",
    "document number",
    "phone",
    "both name sounds in either order",
    "family name sound + birth year",
    "given name sound + birth month and day",
];

/// Blocking passes: the keys, then any two words of the name, a name sound with the start or
/// end of another word, and a single name's sound with a citizenship or a location (keys with
/// several values per record).
pub(crate) const N_PASSES: usize = N_KEYS + 3;

/// The pass that pairs a record whose name is a single word with records holding that word.
const SINGLE_PASS: usize = N_KEYS + 2;

/// Names of the passes, for reports.
pub const PASS_NAMES: [&str; N_PASSES] = [
    KEY_NAMES[0],
    KEY_NAMES[1],
    KEY_NAMES[2],
    KEY_NAMES[3],
    KEY_NAMES[4],
    KEY_NAMES[5],
    KEY_NAMES[6],
    KEY_NAMES[7],
    "any two name sounds in either order",
    "a name sound with the start or end of another name word",
    "a single name's sound with citizenship or location",
];

/// Most name words of a record that make pairs for the name-pair pass.
const PAIR_WORDS: usize = 4;

/// Entries `(value, record)` of the name-pair pass: every two distinct sounds among the first
/// words of the whole name, in either order. Records of one person meet on it when a name
/// word is added or dropped (a second family name, a father's name), when given and family
/// names are swapped or a full name was split the other way, whatever the date of birth.
fn name_pairs(ds: &Dataset) -> Vec<(u64, u32)> {
    ds.recs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, r)| {
            let mut sounds: Vec<u64> = Vec::with_capacity(PAIR_WORDS);
            // A sound two words share ("Gotepe Goteba", "Mohamed Mohamed") pairs with itself:
            // without it such a name makes no pair, and the same person written with a name
            // word more never meets it here.
            let mut repeated: Vec<u64> = Vec::new();
            for &t in ds.given(r).iter().chain(ds.family(r)) {
                let p = u64::from(ds.tok_phon[t as usize]);
                if sounds.contains(&p) {
                    if !repeated.contains(&p) {
                        repeated.push(p);
                    }
                } else if sounds.len() < PAIR_WORDS {
                    sounds.push(p);
                }
            }
            let mut out: Vec<(u64, u32)> = Vec::new();
            for x in 0..sounds.len() {
                for y in x + 1..sounds.len() {
                    let (a, b) = (sounds[x].min(sounds[y]), sounds[x].max(sounds[y]));
                    out.push((mix(&[N_KEYS as u64, a, b]), i as u32));
                }
            }
            for &p in &repeated {
                out.push((mix(&[N_KEYS as u64, p, p]), i as u32));
            }
            out
        })
        .collect()
}

/// Letters of a word's start or end that the second name pass keys on.
const EDGE: usize = 3;

/// A name word's two sounds and two (start, end) pairs: of its canonical spelling and its own.
type WordViews = ([u64; 2], [(u64, u64); 2]);

/// Entries `(value, record)` of the second name pass: the sound of one name word with the first
/// or the last letters of another, in either order. A typing error inside a word changes its
/// sound but rarely both its start and its end, so one person written "Tetiana Tkzchenko" and
/// "Tatiana Tkachenko" meets on the given name's sound and "nko", with no date of birth, and
/// also when the names were swapped or the whole name was written in one field.
fn name_edges(ds: &Dataset) -> Vec<(u64, u32)> {
    ds.recs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, r)| {
            // Words with the part they come from (given 0, family 1): a sound pairs only with
            // the other part's words, which keeps the pass's blocks few.
            let mut words: Vec<u32> = Vec::with_capacity(PAIR_WORDS);
            let mut parts: Vec<u8> = Vec::with_capacity(PAIR_WORDS);
            let given = ds.given(r).iter().map(|&t| (t, 0u8));
            for (t, part) in given.chain(ds.family(r).iter().map(|&t| (t, 1u8))) {
                let p = ds.tok_phon[t as usize];
                if !words.iter().any(|&w| ds.tok_phon[w as usize] == p) && words.len() < PAIR_WORDS
                {
                    words.push(t);
                    parts.push(part);
                }
            }
            let word = |b: &[u8]| b.iter().fold(0u64, |w, &c| (w << 8) | u64::from(c));
            let ends = |b: &[u8]| {
                (
                    word(&b[..b.len().min(EDGE)]),
                    word(&b[b.len().saturating_sub(EDGE)..]),
                )
            };
            // Each word's sounds and ends, of its canonical spelling and of its own: a
            // transliteration the variant table does not know keeps its own sound.
            let views: Vec<WordViews> = words
                .iter()
                .map(|&t| {
                    let t = t as usize;
                    let canon = ds
                        .strs
                        .get(ds.tok_canon[t])
                        .as_bytes()
                        .get(2..)
                        .unwrap_or(&[]);
                    let own = ds
                        .strs
                        .get(ds.tok_text[t])
                        .as_bytes()
                        .get(2..)
                        .unwrap_or(&[]);
                    (
                        [u64::from(ds.tok_phon[t]), u64::from(ds.tok_phon_text[t])],
                        [ends(canon), ends(own)],
                    )
                })
                .collect();
            // A name in one part only ("Htet Htun" as given names, no family name) pairs its
            // words with each other: which part holds them says nothing about such a name.
            let one_part = parts.iter().all(|&p| Some(&p) == parts.first());
            let mut out: Vec<(u64, u32)> = Vec::new();
            for (x, (sounds, _)) in views.iter().enumerate() {
                for (y, (_, edges)) in views.iter().enumerate() {
                    if x == y || (parts[x] == parts[y] && !one_part) {
                        continue;
                    }
                    for &sound in sounds {
                        for &(start, end) in edges {
                            out.push((mix(&[N_KEYS as u64 + 1, 0, sound, start]), i as u32));
                            out.push((mix(&[N_KEYS as u64 + 1, 1, sound, end]), i as u32));
                        }
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect()
}

/// Whether a record's whole name is one word (or one word repeated: "Budi Budi").
fn single_names(ds: &Dataset) -> Vec<bool> {
    ds.recs
        .par_iter()
        .map(|r| {
            let mut words = ds.given(r).iter().chain(ds.family(r));
            match words.next() {
                Some(&first) => {
                    let p = ds.tok_phon[first as usize];
                    words.all(|&t| ds.tok_phon[t as usize] == p)
                }
                None => false,
            }
        })
        .collect()
}

/// Entries `(value, record)` of the single-name pass: each name word's sound with the
/// citizenship, and with the location. A person known by one name ("Bikash", "Fatema", a
/// family name alone) meets the same person's fuller record of the same country or place,
/// whatever the date of birth; pairs are formed only where one of the two records is such a
/// single name (see [`candidate_pairs`]), so the many two-word records of one country do not
/// pair among themselves here.
fn single_entries(ds: &Dataset) -> Vec<(u64, u32)> {
    ds.recs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, r)| {
            let mut out: Vec<(u64, u32)> = Vec::new();
            let places = [
                (1u64, r.vals[F_CITIZENSHIP - F_SEX]),
                (2u64, r.vals[F_LOCATION - F_SEX]),
            ];
            for &t in ds.given(r).iter().chain(ds.family(r)).take(PAIR_WORDS) {
                let p = u64::from(ds.tok_phon[t as usize]);
                for &(kind, v) in &places {
                    if v != 0 {
                        out.push((mix(&[SINGLE_PASS as u64, kind, p, u64::from(v)]), i as u32));
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect()
}

/// Fields each key constrains (left out when that key's pairs train the model).
pub(crate) const KEY_FIELDS: [&[usize]; N_KEYS] = [
    &[F_GIVEN, F_FAMILY],
    &[F_GIVEN, F_DOB],
    &[F_DOB],
    &[F_DOCUMENT],
    &[F_PHONE],
    &[F_GIVEN, F_FAMILY],
    &[F_FAMILY, F_DOB],
    &[F_GIVEN, F_DOB],
];

/// The blocking keys of every record (0 = no key).
pub(crate) fn keys(ds: &Dataset) -> Vec<[u64; N_KEYS]> {
    ds.recs
        .par_iter()
        .map(|r| {
            let given = ds.given(r);
            let family = ds.family(r);
            let gp = given.first().map(|&t| u64::from(ds.tok_phon[t as usize]));
            let fp = family.first().map(|&t| u64::from(ds.tok_phon[t as usize]));
            // The first four sounds of the family name: a typo near its end still meets.
            let fp4 = family.first().map(|&t| {
                let key = ds.strs.get(ds.tok_phon[t as usize]).as_bytes();
                let mut w = 0u64;
                for &c in key.iter().skip(2).take(4) {
                    w = (w << 8) | u64::from(c);
                }
                w
            });
            // The given name's first two letters: an initial alone made the largest blocks of
            // all keys, most of them namesakes by family name only.
            let ginit = given.first().map(|&t| {
                let canon = ds.strs.get(ds.tok_canon[t as usize]).as_bytes();
                canon
                    .iter()
                    .skip(2)
                    .take(2)
                    .fold(0u64, |w, &c| (w << 8) | u64::from(c))
            });
            let year = (r.dob.year != 0).then_some(u64::from(r.dob.year));
            // A name written in one part only (a single name, a full name nobody split) stands
            // for either part in the keys with a date: "BUDI" with no given name meets "Boedi"
            // given on the day and month of birth.
            let (gp_any, fp_any) = (gp.or(fp), fp.or(gp));
            let mut k = [0u64; N_KEYS];
            if let Some(fp4) = fp4 {
                k[0] = mix(&[0, fp4, ginit.unwrap_or(0)]);
            }
            if let (Some(gp), Some(y)) = (gp_any, year) {
                k[1] = mix(&[1, gp, y]);
            }
            if r.dob.is_full() {
                k[2] = mix(&[
                    2,
                    u64::from(r.dob.year),
                    u64::from(r.dob.month),
                    u64::from(r.dob.day),
                ]);
            }
            if r.vals[6] != 0 {
                k[3] = mix(&[3, u64::from(r.vals[6])]);
            }
            if r.vals[5] != 0 {
                let digits = ds.strs.get(r.vals[5]).as_bytes();
                let tail = &digits[digits.len().saturating_sub(8)..];
                let mut w = 0u64;
                for &d in tail {
                    w = w * 10 + u64::from(d.wrapping_sub(b'0'));
                }
                k[4] = mix(&[4, w]);
            }
            if let (Some(gp), Some(fp)) = (gp, fp) {
                k[5] = mix(&[5, gp.min(fp), gp.max(fp)]);
            }
            if let (Some(fp), Some(y)) = (fp_any, year) {
                k[6] = mix(&[6, fp, y]);
            }
            if let Some(gp) = gp_any
                && r.dob.month != 0
                && r.dob.day != 0
            {
                k[7] = mix(&[7, gp, u64::from(r.dob.month), u64::from(r.dob.day)]);
            }
            k
        })
        .collect()
}

/// Blocking settings.
#[derive(Debug, Clone, Copy)]
pub struct BlockingSettings {
    /// Blocks up to this size are compared in full.
    pub max_block: usize,
    /// In larger blocks, each record is compared with this many neighbours in each ordering.
    pub window: usize,
}

impl Default for BlockingSettings {
    fn default() -> Self {
        // Measured on the generated 100k records: blocks of 300 compared in full cost a
        // quarter more time for no better F1 (common names meet by sorted neighbourhood). A
        // large block is walked in three orderings: 8 neighbours in each find more true pairs
        // than 15 in one ordering did, for a quarter more candidate pairs.
        BlockingSettings {
            max_block: 100,
            window: 8,
        }
    }
}

/// Candidate pairs `(i << 32) | j` with `i < j`, sorted, each once; for a link only pairs across
/// the two sides. Also returns, per key, how many pairs it contributed.
pub(crate) fn candidate_pairs(
    ds: &Dataset,
    keys: &[[u64; N_KEYS]],
    settings: BlockingSettings,
    progress: &(dyn Fn(&str) + Sync),
) -> (Vec<u64>, [usize; N_PASSES]) {
    let n = ds.len();
    // Per record, a bit per key whose block was too large to compare in full.
    let mut big = vec![0u16; n];
    let mut all: Vec<u64> = Vec::new();
    let mut per_key = [0usize; N_PASSES];
    let orders = orderings(ds);
    // Records equal in an ordering (namesakes without a date of birth) are ordered by place of
    // birth and location, so that those of one place are neighbours, not spread at random.
    let ties: Vec<u64> = ds
        .recs
        .par_iter()
        .map(|r| (u64::from(r.vals[F_PLACE - F_SEX]) << 32) | u64::from(r.vals[F_LOCATION - F_SEX]))
        .collect();
    let ties = &ties;
    let single = &single_names(ds);
    for key in 0..N_PASSES {
        let mut entries: Vec<(u64, u32)> = if key < N_KEYS {
            keys.iter()
                .enumerate()
                .filter(|(_, k)| k[key] != 0)
                .map(|(i, k)| (k[key], i as u32))
                .collect()
        } else if key == N_KEYS {
            name_pairs(ds)
        } else if key == N_KEYS + 1 {
            name_edges(ds)
        } else {
            single_entries(ds)
        };
        entries.par_sort_unstable();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut s = 0;
        while s < entries.len() {
            let mut e = s + 1;
            while e < entries.len() && entries[e].0 == entries[s].0 {
                e += 1;
            }
            if e - s > 1 {
                groups.push((s, e));
            }
            if e - s > settings.max_block && key < N_KEYS {
                for &(_, i) in &entries[s..e] {
                    big[i as usize] |= 1 << key;
                }
            }
            s = e;
        }
        let big_ref = &big;
        let owned = |i: usize, j: usize| -> bool {
            if ds.side(i) == ds.side(j) && ds.left.is_some() {
                return false;
            }
            if key == SINGLE_PASS && !single[i] && !single[j] {
                return false;
            }
            (0..key.min(N_KEYS)).all(|k| {
                keys[i][k] == 0
                    || keys[i][k] != keys[j][k]
                    || big_ref[i] & (1 << k) != 0
                    || big_ref[j] & (1 << k) != 0
            })
        };
        let pairs: Vec<u64> = groups
            .par_iter()
            .fold(Vec::new, |mut out: Vec<u64>, &(s, e)| {
                let members = &entries[s..e];
                if members.len() <= settings.max_block {
                    for x in 0..members.len() {
                        for y in x + 1..members.len() {
                            let (i, j) = (members[x].1 as usize, members[y].1 as usize);
                            if owned(i, j) {
                                out.push(pack(i, j));
                            }
                        }
                    }
                } else {
                    // Several orderings, so a pair far apart in one (namesakes sorted by
                    // name, a date shared by many) is near in another.
                    let mut sorted: Vec<u32> = members.iter().map(|m| m.1).collect();
                    let mut found: Vec<u64> = Vec::new();
                    for order in &orders {
                        sorted.sort_unstable_by_key(|&i| (order[i as usize], ties[i as usize], i));
                        for x in 0..sorted.len() {
                            for y in x + 1..(x + 1 + settings.window).min(sorted.len()) {
                                let (i, j) = (sorted[x] as usize, sorted[y] as usize);
                                if owned(i, j) {
                                    found.push(pack(i, j));
                                }
                            }
                        }
                    }
                    found.sort_unstable();
                    found.dedup();
                    out.extend_from_slice(&found);
                }
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                a.extend_from_slice(&b);
                a
            });
        per_key[key] = pairs.len();
        progress(&format!(
            "blocking on {}: {} candidate pairs",
            PASS_NAMES[key],
            pairs.len()
        ));
        all.extend_from_slice(&pairs);
    }
    all.par_sort_unstable();
    all.dedup();
    (all, per_key)
}

/// The candidate pairs of a dataset `(i, j)` with `i < j`, sorted: the pairs that blocking
/// lets through to comparison.
pub fn candidates(ds: &Dataset, settings: BlockingSettings) -> Vec<(usize, usize)> {
    let keys = keys(ds);
    let (pairs, _) = candidate_pairs(ds, &keys, settings, &|_| {});
    pairs.into_iter().map(unpack).collect()
}

/// Orderings of the records for the sorted neighbourhoods of large blocks: family then given
/// name then date of birth; given then family name then date; date then family then given.
fn orderings(ds: &Dataset) -> [Vec<u128>; 3] {
    let name_bytes = |toks: &mut dyn Iterator<Item = &u32>| -> u64 {
        let mut bytes = [0u8; 8];
        let mut k = 0;
        for &t in toks {
            for &c in ds
                .strs
                .get(ds.tok_canon[t as usize])
                .as_bytes()
                .iter()
                .skip(2)
            {
                if k < 8 {
                    bytes[k] = c;
                    k += 1;
                }
            }
        }
        u64::from_be_bytes(bytes)
    };
    let per: Vec<(u64, u64, u32)> = ds
        .recs
        .par_iter()
        .map(|r| {
            let fg = name_bytes(&mut ds.family(r).iter().chain(ds.given(r)));
            let gf = name_bytes(&mut ds.given(r).iter().chain(ds.family(r)));
            let date = (u32::from(r.dob.year) << 16)
                | (u32::from(r.dob.month) << 8)
                | u32::from(r.dob.day);
            (fg, gf, date)
        })
        .collect();
    [
        per.iter()
            .map(|&(fg, _, d)| (u128::from(fg) << 32) | u128::from(d))
            .collect(),
        per.iter()
            .map(|&(_, gf, d)| (u128::from(gf) << 32) | u128::from(d))
            .collect(),
        per.iter()
            .map(|&(fg, _, d)| (u128::from(d) << 64) | u128::from(fg))
            .collect(),
    ]
}

#[inline]
pub(crate) fn pack(i: usize, j: usize) -> u64 {
    let (a, b) = if i < j { (i, j) } else { (j, i) };
    ((a as u64) << 32) | b as u64
}

#[inline]
pub(crate) fn unpack(p: u64) -> (usize, usize) {
    ((p >> 32) as usize, (p & 0xffff_ffff) as usize)
}

/// Bit mask of the keys on which records `i` and `j` agree.
pub(crate) fn agreeing_keys(keys: &[[u64; N_KEYS]], i: usize, j: usize) -> u16 {
    let mut m = 0u16;
    for (k, (a, b)) in keys[i].iter().zip(&keys[j]).enumerate() {
        if *a != 0 && a == b {
            m |= 1 << k;
        }
    }
    m
}

/// For each pair `(i, j)`, the passes on which the two records share a key and the size of
/// the largest such block (0 when they share none): whether blocking missed a pair for want
/// of a key or because the block was too large to compare in full. For measurements.
#[doc(hidden)]
pub fn shared_blocks(ds: &Dataset, pairs: &[(usize, usize)]) -> Vec<(u16, usize)> {
    let keys = keys(ds);
    let mut per_record: Vec<Vec<u64>> = vec![Vec::new(); ds.len()];
    let mut sizes: crate::hash::FxHashMap<u64, usize> = Default::default();
    let mut add = |entries: Vec<(u64, u32)>, pass: usize| {
        for (v, i) in entries {
            let v = mix(&[100 + pass as u64, v]);
            *sizes.entry(v).or_default() += 1;
            per_record[i as usize].push(v);
        }
    };
    for k in 0..N_KEYS {
        add(
            keys.iter()
                .enumerate()
                .filter(|(_, r)| r[k] != 0)
                .map(|(i, r)| (r[k], i as u32))
                .collect(),
            k,
        );
    }
    add(name_pairs(ds), N_KEYS);
    add(name_edges(ds), N_KEYS + 1);
    add(single_entries(ds), SINGLE_PASS);
    pairs
        .iter()
        .map(|&(i, j)| {
            let mut mask = 0u16;
            let mut size = 0usize;
            for v in &per_record[i] {
                if per_record[j].contains(v) {
                    size = size.max(sizes[v]);
                    mask |= 1;
                }
            }
            (mask, size)
        })
        .collect()
}
