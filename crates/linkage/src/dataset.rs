//! Records as the engine holds them: names as interned tokens (with canonical variant and
//! phonetic key), a partial date, other values interned, term frequencies counted.

use crate::LinkageError;
use crate::compare::level::MISSING;
use crate::compare::{damerau_levenshtein_bounded, jaro_winkler};
use crate::date::{self, PartialDate};
use crate::hash::{FxHashMap, mix};
use crate::normalize;
use rayon::prelude::*;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Name-list pairs remembered per thread: 2^16 slots of 16 bytes, a megabyte.
const NAME_CACHE_BITS: u32 = 16;
static STAMPS: AtomicU64 = AtomicU64::new(1);
thread_local! {
    static NAME_PAIRS: RefCell<(u64, Vec<(u64, u8)>)> = const { RefCell::new((0, Vec::new())) };
}

/// The columns the engine recognises (besides `id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Given name(s).
    GivenName,
    /// Family name(s).
    FamilyName,
    /// The whole name, when it is not split into given and family names.
    FullName,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    DateOfBirth,
    /// Sex or gender.
    Sex,
    /// Citizenship.
    Citizenship,
    /// Place of birth.
    PlaceOfBirth,
    /// Where the person is or was met.
    Location,
    /// Postcode.
    Postcode,
    /// Phone number.
    Phone,
    /// Passport, identity card or registration number.
    DocumentNumber,
}

impl Column {
    /// Every recognised column, in a fixed order.
    pub const ALL: [Column; 11] = [
        Column::GivenName,
        Column::FamilyName,
        Column::FullName,
        Column::DateOfBirth,
        Column::Sex,
        Column::Citizenship,
        Column::PlaceOfBirth,
        Column::Location,
        Column::Postcode,
        Column::Phone,
        Column::DocumentNumber,
    ];

    /// The column's name in input files.
    pub fn name(self) -> &'static str {
        match self {
            Column::GivenName => "given_name",
            Column::FamilyName => "family_name",
            Column::FullName => "full_name",
            Column::DateOfBirth => "date_of_birth",
            Column::Sex => "sex",
            Column::Citizenship => "citizenship",
            Column::PlaceOfBirth => "place_of_birth",
            Column::Location => "location",
            Column::Postcode => "postcode",
            Column::Phone => "phone",
            Column::DocumentNumber => "document_number",
        }
    }

    /// The column named `name`, if it is recognised.
    pub fn parse(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The fields compared between two records, each giving one agreement level.
pub(crate) const F_GIVEN: usize = 0;
pub(crate) const F_FAMILY: usize = 1;
pub(crate) const F_DOB: usize = 2;
pub(crate) const F_SEX: usize = 3;
pub(crate) const F_CITIZENSHIP: usize = 4;
/// Index of the citizenship in a record's values.
const CIT: usize = F_CITIZENSHIP - F_SEX;
pub(crate) const F_PLACE: usize = 5;
pub(crate) const F_LOCATION: usize = 6;
pub(crate) const F_POSTCODE: usize = 7;
pub(crate) const F_PHONE: usize = 8;
pub(crate) const F_DOCUMENT: usize = 9;
/// Fields after the fixed ones are the `--exact` columns.
pub(crate) const F_EXACT0: usize = 10;
/// At most 16 fields fit the packed comparison vector.
pub const MAX_EXACT_COLUMNS: usize = 6;

const NAME_LEVELS: &[&str] = &[
    "exact", "variant", "close", "phonetic", "partial", "disagree",
];
const EXACT_LEVELS: &[&str] = &["exact", "disagree"];
const CLOSE_LEVELS: &[&str] = &["exact", "close", "disagree"];
const PHONE_LEVELS: &[&str] = &["exact", "same number, other prefix", "close", "disagree"];

/// One input record: values by recognised column (absent or empty is missing) and the values
/// of the `--exact` columns in the order the dataset was told.
#[derive(Debug, Clone, Default)]
pub struct InputRecord<'a> {
    /// Values of the recognised columns, indexed like [`Column::ALL`].
    pub values: [Option<&'a str>; 11],
    /// Values of the extra exact-match columns.
    pub exact: Vec<Option<&'a str>>,
}

impl<'a> InputRecord<'a> {
    /// Sets a recognised column.
    pub fn set(&mut self, column: Column, value: &'a str) {
        let i = Column::ALL.iter().position(|c| *c == column).unwrap_or(0);
        let v = value.trim();
        self.values[i] = if v.is_empty() { None } else { Some(v) };
    }
    fn get(&self, column: Column) -> Option<&'a str> {
        let i = Column::ALL.iter().position(|c| *c == column).unwrap_or(0);
        self.values[i]
    }
}

/// The columns of one record whose values were there but could not be read: a date that is
/// not a date or is impossible as written, a name in no script that is transliterated (or
/// with no letter at all), a phone number with fewer than four digits. The record is kept;
/// what could not be read is compared as the reading says (see [`DatasetBuilder::push`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unreadable(u16);

impl Unreadable {
    fn add(&mut self, column: Column) {
        self.0 |= 1 << column_index(column);
    }

    /// Whether every value was read.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The columns, in [`Column::ALL`] order.
    pub fn columns(self) -> impl Iterator<Item = Column> {
        Column::ALL
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, c)| c)
    }
}

fn column_index(column: Column) -> usize {
    match column {
        Column::GivenName => 0,
        Column::FamilyName => 1,
        Column::FullName => 2,
        Column::DateOfBirth => 3,
        Column::Sex => 4,
        Column::Citizenship => 5,
        Column::PlaceOfBirth => 6,
        Column::Location => 7,
        Column::Postcode => 8,
        Column::Phone => 9,
        Column::DocumentNumber => 10,
    }
}

/// String interner: each distinct string once, addressed by a `u32` (0 is "none").
#[derive(Default)]
pub(crate) struct Interner {
    map: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    fn new() -> Interner {
        Interner {
            map: FxHashMap::default(),
            strings: vec!["".into()],
        }
    }
    fn intern(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.into());
        self.map.insert(s.into(), i);
        i
    }
    pub(crate) fn get(&self, i: u32) -> &str {
        &self.strings[i as usize]
    }
    fn len(&self) -> usize {
        self.strings.len()
    }
}

/// A normalised record: 60-odd bytes, names in the shared token arena.
#[derive(Clone, Copy, Default)]
pub(crate) struct Rec {
    pub(crate) names: u32,
    pub(crate) n_given: u8,
    pub(crate) n_family: u8,
    pub(crate) dob: PartialDate,
    /// Sex, citizenship, place of birth, location, postcode, phone, document number.
    pub(crate) vals: [u32; 7],
    pub(crate) given_tf: u32,
    pub(crate) family_tf: u32,
    pub(crate) dob_tf: u32,
    /// Records of the same citizenship with this given (family) name: names are drawn from
    /// the pool of a language, so two records of one citizenship agree on a name far more
    /// often by chance than two records taken at large.
    pub(crate) given_tf_cit: u32,
    pub(crate) family_tf_cit: u32,
    /// Ids of the given and family token lists (0 for none): equal lists share an id, so a
    /// comparison of two lists is worked out once and remembered.
    pub(crate) given_list: u32,
    pub(crate) family_list: u32,
    /// Records of the same citizenship with this place of birth, and with this location.
    pub(crate) place_tf_cit: u32,
    pub(crate) location_tf_cit: u32,
}

/// Builds a [`Dataset`] record by record (the caller streams rows in; names are normalised
/// once per distinct spelling, in parallel, at [`DatasetBuilder::finish`]).
pub struct DatasetBuilder {
    n_exact: usize,
    raw_names: FxHashMap<Box<str>, u32>,
    raw_list: Vec<Box<str>>,
    /// Per distinct raw name: whether it reads as Latin letters.
    raw_readable: Vec<bool>,
    /// Per column in [`Column::ALL`] order: how many values could not be read.
    unreadable: [u64; 11],
    /// Per record: raw given, family, full (index+1 into raw_list, 0 none).
    raw_refs: Vec<[u32; 3]>,
    dobs: Vec<PartialDate>,
    vals: Vec<[u32; 7]>,
    exact: Vec<u32>,
    strs: Interner,
    value_cache: FxHashMap<(u8, Box<str>), u32>,
    left: Option<usize>,
}

impl DatasetBuilder {
    /// A builder for records that carry `n_exact` extra exact-match columns.
    pub fn new(n_exact: usize) -> Result<DatasetBuilder, LinkageError> {
        if n_exact > MAX_EXACT_COLUMNS {
            return Err(LinkageError::TooManyExactColumns(MAX_EXACT_COLUMNS));
        }
        Ok(DatasetBuilder {
            n_exact,
            raw_names: FxHashMap::default(),
            raw_list: Vec::new(),
            raw_readable: Vec::new(),
            unreadable: [0; 11],
            raw_refs: Vec::new(),
            dobs: Vec::new(),
            vals: Vec::new(),
            exact: Vec::new(),
            strs: Interner::new(),
            value_cache: FxHashMap::default(),
            left: None,
        })
    }

    /// Marks the records pushed so far as the left side of a link: only pairs with one record
    /// on each side are compared.
    pub fn end_left_side(&mut self) {
        self.left = Some(self.raw_refs.len());
    }

    /// Number of records pushed.
    pub fn len(&self) -> usize {
        self.raw_refs.len()
    }

    /// Whether no record was pushed.
    pub fn is_empty(&self) -> bool {
        self.raw_refs.is_empty()
    }

    /// Counts of values that could not be read, per column, for every column that had one.
    pub fn unreadable(&self) -> Vec<(Column, u64)> {
        Column::ALL
            .into_iter()
            .zip(self.unreadable)
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The raw name's index plus one (0 for none) and whether it reads as Latin letters.
    fn raw(&mut self, s: Option<&str>) -> (u32, bool) {
        let Some(s) = s else { return (0, true) };
        if let Some(&i) = self.raw_names.get(s) {
            return (i + 1, self.raw_readable[i as usize]);
        }
        let i = self.raw_list.len() as u32;
        let readable = normalize::name_is_readable(s);
        self.raw_list.push(s.into());
        self.raw_readable.push(readable);
        self.raw_names.insert(s.into(), i);
        (i + 1, readable)
    }

    fn value(&mut self, kind: u8, s: Option<&str>) -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(&i) = self.value_cache.get(&(kind, s.into())) {
            return i;
        }
        let norm = match kind {
            0 => normalize::sex(s),
            4 | 6 => normalize::alnum_upper(s),
            5 => {
                let d = normalize::phone_digits(s);
                if d.len() < 4 { String::new() } else { d }
            }
            _ => normalize::text(s),
        };
        // Values of different columns never meet, but the prefix keeps their counts apart.
        let key = if norm.is_empty() {
            String::new()
        } else {
            format!("{kind}\u{1f}{norm}")
        };
        let i = self.strs.intern(&key);
        if self.value_cache.len() < 4_000_000 {
            self.value_cache.insert((kind, s.into()), i);
        }
        i
    }

    /// Adds one record, whatever its values: a noisy value never refuses the record. Returns
    /// the columns whose values could not be read (also counted, see
    /// [`DatasetBuilder::unreadable`]); a caller that wants every value readable refuses the
    /// record itself. How each is compared:
    /// - a date of birth that is not a date (`1968-|2-23`, `44 BC`) is missing, so it neither
    ///   agrees nor disagrees; one impossible as written (`2023-02-30`) keeps its possible
    ///   parts (year and month);
    /// - a name in a script nothing transliterates is compared as written (lowercased), so
    ///   the same spelling still meets; one with no letter is missing;
    /// - a phone number with fewer than four digits is missing.
    pub fn push(&mut self, rec: &InputRecord<'_>) -> Result<Unreadable, LinkageError> {
        let mut unreadable = Unreadable::default();
        let dob = match rec.get(Column::DateOfBirth) {
            Some(s) => {
                let reading = PartialDate::read(s);
                if reading.is_unreadable() {
                    unreadable.add(Column::DateOfBirth);
                }
                reading.kept()
            }
            None => PartialDate::default(),
        };
        let mut name = |b: &mut DatasetBuilder, column: Column| -> u32 {
            let (i, readable) = b.raw(rec.get(column));
            if !readable {
                unreadable.add(column);
            }
            i
        };
        let g = name(self, Column::GivenName);
        let f = name(self, Column::FamilyName);
        let full = name(self, Column::FullName);
        let mut vals = [0u32; 7];
        // The columns after the names and the date, in `Column::ALL` order.
        for (k, &col) in Column::ALL[4..].iter().enumerate() {
            let v = rec.get(col);
            vals[k] = self.value(k as u8, v);
            if col == Column::Phone && vals[k] == 0 && v.is_some() {
                unreadable.add(Column::Phone);
            }
        }
        for c in unreadable.columns() {
            self.unreadable[column_index(c)] += 1;
        }
        for k in 0..self.n_exact {
            let v = rec.exact.get(k).copied().flatten();
            let i = match v {
                Some(s) => {
                    let t = normalize::text(s);
                    if t.is_empty() {
                        0
                    } else {
                        self.strs.intern(&format!("x{k}\u{1f}{t}"))
                    }
                }
                None => 0,
            };
            self.exact.push(i);
        }
        self.raw_refs.push([g, f, full]);
        self.dobs.push(dob);
        self.vals.push(vals);
        Ok(unreadable)
    }

    /// Normalises the names and counts term frequencies.
    pub fn finish(self) -> Dataset {
        let DatasetBuilder {
            n_exact,
            raw_list,
            raw_refs,
            dobs,
            vals,
            exact,
            mut strs,
            left,
            ..
        } = self;
        let normalised: Vec<Vec<normalize::NameToken>> = raw_list
            .par_iter()
            .map(|s| normalize::name_tokens(s))
            .collect();
        drop(raw_list);
        let mut toks = Interner::new();
        let mut tok_canon: Vec<u32> = vec![0];
        let mut tok_phon: Vec<u32> = vec![0];
        let mut tok_phon_text: Vec<u32> = vec![0];
        let mut tok_text: Vec<u32> = vec![0];
        let raw_tokens: Vec<Vec<u32>> = normalised
            .into_iter()
            .map(|list| {
                list.into_iter()
                    .map(|t| {
                        let before = toks.len();
                        let i = toks.intern(&t.text);
                        if toks.len() > before {
                            tok_canon.push(strs.intern(&format!("n\u{1f}{}", t.canonical)));
                            tok_phon.push(strs.intern(&format!("p\u{1f}{}", t.phonetic)));
                            let own = normalize::phonetic_key(&t.text);
                            tok_phon_text.push(strs.intern(&format!("p\u{1f}{own}")));
                            tok_text.push(strs.intern(&format!("t\u{1f}{}", t.text)));
                        }
                        i
                    })
                    .filter(|&i| i != 0)
                    .collect()
            })
            .collect();
        let mut arena: Vec<u32> = Vec::new();
        let mut lists: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut list_id = |toks: &[u32]| -> u32 {
            if toks.is_empty() {
                return 0;
            }
            let next = lists.len() as u32 + 1;
            *lists.entry(toks.to_vec()).or_insert(next)
        };
        let mut recs: Vec<Rec> = Vec::with_capacity(raw_refs.len());
        for (r, refs) in raw_refs.iter().enumerate() {
            let get = |k: usize| -> &[u32] {
                if refs[k] == 0 {
                    &[]
                } else {
                    &raw_tokens[refs[k] as usize - 1]
                }
            };
            // A part left empty takes the words of the full name the other part does not
            // hold: "Mohammed" as family name with "MOHAMMED, Ali Farah" as full name has the
            // given names "Ali Farah".
            let rest = |part: &[u32]| -> Vec<u32> {
                let mut left: Vec<u32> = part.to_vec();
                let mut out = Vec::new();
                for &t in get(2) {
                    if let Some(k) = left.iter().position(|&x| x == t) {
                        left.swap_remove(k);
                    } else {
                        out.push(t);
                    }
                }
                out
            };
            let (given_owned, family_owned);
            let (given, family): (&[u32], &[u32]) = if refs[0] == 0 && refs[1] == 0 {
                let full = get(2);
                match full.len() {
                    0 => (&full[..0], &full[..0]),
                    1 => (&full[..0], full),
                    _ => (&full[..1], &full[1..]),
                }
            } else if refs[1] == 0 && refs[2] != 0 {
                family_owned = rest(get(0));
                (get(0), &family_owned)
            } else if refs[0] == 0 && refs[2] != 0 {
                given_owned = rest(get(1));
                (&given_owned, get(1))
            } else {
                (get(0), get(1))
            };
            let given = &given[..given.len().min(8)];
            let family = &family[..family.len().min(8)];
            let start = arena.len() as u32;
            arena.extend_from_slice(given);
            arena.extend_from_slice(family);
            recs.push(Rec {
                names: start,
                n_given: given.len() as u8,
                n_family: family.len() as u8,
                given_list: list_id(given),
                family_list: list_id(family),
                dob: dobs[r],
                vals: vals[r],
                ..Rec::default()
            });
        }
        drop(raw_tokens);
        drop(toks);
        let mut canon_bytes = Vec::new();
        let mut canon_off = vec![0u32];
        for &c in &tok_canon {
            canon_bytes.extend_from_slice(strs.get(c).as_bytes().get(2..).unwrap_or(&[]));
            canon_off.push(canon_bytes.len() as u32);
        }
        let mut ds = Dataset {
            stamp: STAMPS.fetch_add(1, Ordering::Relaxed),
            recs,
            arena,
            canon_bytes,
            canon_off,
            tok_canon,
            tok_phon,
            tok_phon_text,
            tok_text,
            strs,
            exact,
            n_exact,
            left,
            value_tf: Vec::new(),
        };
        ds.count_frequencies();
        ds
    }
}

/// Normalised records ready for blocking and comparison.
pub struct Dataset {
    /// Tells one dataset from another in the per-thread cache of name comparisons.
    stamp: u64,
    pub(crate) recs: Vec<Rec>,
    pub(crate) arena: Vec<u32>,
    pub(crate) tok_canon: Vec<u32>,
    /// Canonical spelling of every token, flat: token `t` is `canon_bytes[canon_off[t]..canon_off[t + 1]]`.
    canon_bytes: Vec<u8>,
    canon_off: Vec<u32>,
    pub(crate) tok_phon: Vec<u32>,
    /// Phonetic key of each token's own spelling (differs from `tok_phon` when the variant
    /// table gave the token a canonical spelling: "mykola" sounds NKL through "nikolai").
    pub(crate) tok_phon_text: Vec<u32>,
    /// Each token's own spelling, interned.
    pub(crate) tok_text: Vec<u32>,
    pub(crate) strs: Interner,
    pub(crate) exact: Vec<u32>,
    pub(crate) n_exact: usize,
    pub(crate) left: Option<usize>,
    pub(crate) value_tf: Vec<u32>,
}

/// What comparing two records gave: the packed levels and whether names were swapped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Comparison {
    pub(crate) pattern: u64,
    pub(crate) swapped: bool,
}

pub(crate) fn level_of(pattern: u64, field: usize) -> u8 {
    ((pattern >> (4 * field)) & 0xf) as u8
}

impl Dataset {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// In a link, the number of left-side records (records `0..left` are the left side).
    pub fn left_len(&self) -> Option<usize> {
        self.left
    }

    pub(crate) fn n_fields(&self) -> usize {
        F_EXACT0 + self.n_exact
    }

    pub(crate) fn field_name(&self, f: usize) -> String {
        match f {
            F_GIVEN => "given_name".into(),
            F_FAMILY => "family_name".into(),
            F_DOB => "date_of_birth".into(),
            F_SEX => "sex".into(),
            F_CITIZENSHIP => "citizenship".into(),
            F_PLACE => "place_of_birth".into(),
            F_LOCATION => "location".into(),
            F_POSTCODE => "postcode".into(),
            F_PHONE => "phone".into(),
            F_DOCUMENT => "document_number".into(),
            k => format!("exact_{}", k - F_EXACT0),
        }
    }

    pub(crate) fn levels(f: usize) -> &'static [&'static str] {
        match f {
            F_GIVEN | F_FAMILY => NAME_LEVELS,
            F_DOB => date::LEVELS,
            F_PLACE | F_LOCATION | F_POSTCODE | F_DOCUMENT => CLOSE_LEVELS,
            F_PHONE => PHONE_LEVELS,
            _ => EXACT_LEVELS,
        }
    }

    pub(crate) fn side(&self, i: usize) -> u8 {
        match self.left {
            Some(l) if i >= l => 1,
            _ => 0,
        }
    }

    pub(crate) fn given(&self, r: &Rec) -> &[u32] {
        let s = r.names as usize;
        &self.arena[s..s + r.n_given as usize]
    }

    pub(crate) fn family(&self, r: &Rec) -> &[u32] {
        let s = r.names as usize + r.n_given as usize;
        &self.arena[s..s + r.n_family as usize]
    }

    fn canon_key(&self, toks: &[u32]) -> u64 {
        if toks.is_empty() {
            return 0;
        }
        let words: Vec<u64> = toks
            .iter()
            .map(|&t| u64::from(self.tok_canon[t as usize]))
            .collect();
        mix(&words)
    }

    fn count_frequencies(&mut self) {
        let mut given: FxHashMap<u64, u32> = FxHashMap::default();
        let mut family: FxHashMap<u64, u32> = FxHashMap::default();
        let mut dob: FxHashMap<PartialDate, u32> = FxHashMap::default();
        let keys: Vec<(u64, u64)> = self
            .recs
            .par_iter()
            .map(|r| {
                (
                    self.canon_key(self.given(r)),
                    self.canon_key(self.family(r)),
                )
            })
            .collect();
        let mut given_cit: FxHashMap<(u64, u32), u32> = FxHashMap::default();
        let mut family_cit: FxHashMap<(u64, u32), u32> = FxHashMap::default();
        for (r, (g, f)) in self.recs.iter().zip(&keys) {
            *given.entry(*g).or_default() += 1;
            *family.entry(*f).or_default() += 1;
            if r.vals[CIT] != 0 {
                *given_cit.entry((*g, r.vals[CIT])).or_default() += 1;
                *family_cit.entry((*f, r.vals[CIT])).or_default() += 1;
            }
            if r.dob.is_full() {
                *dob.entry(r.dob).or_default() += 1;
            }
        }
        let mut value_tf = vec![0u32; self.strs.len()];
        for r in &self.recs {
            for &v in &r.vals {
                value_tf[v as usize] += 1;
            }
        }
        for &v in &self.exact {
            value_tf[v as usize] += 1;
        }
        // Places go with citizenships as names do (most records from one country are in a few
        // places): the share of a place among the records of one citizenship.
        let mut place_cit: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for r in &self.recs {
            if r.vals[CIT] != 0 {
                for k in [F_PLACE - F_SEX, F_LOCATION - F_SEX] {
                    if r.vals[k] != 0 {
                        *place_cit.entry((r.vals[k], r.vals[CIT])).or_default() += 1;
                    }
                }
            }
        }
        for r in &mut self.recs {
            if r.vals[CIT] != 0 {
                let count = |k: usize| place_cit.get(&(r.vals[k], r.vals[CIT])).copied();
                r.place_tf_cit = count(F_PLACE - F_SEX).unwrap_or(0);
                r.location_tf_cit = count(F_LOCATION - F_SEX).unwrap_or(0);
            }
        }
        for (r, (g, f)) in self.recs.iter_mut().zip(&keys) {
            r.given_tf = given[g];
            r.family_tf = family[f];
            r.dob_tf = if r.dob.is_full() { dob[&r.dob] } else { 0 };
            if r.vals[CIT] != 0 {
                r.given_tf_cit = given_cit[&(*g, r.vals[CIT])];
                r.family_tf_cit = family_cit[&(*f, r.vals[CIT])];
            }
        }
        self.value_tf = value_tf;
    }

    #[inline]
    fn tok_bytes(&self, t: u32) -> &[u8] {
        let t = t as usize;
        &self.canon_bytes[self.canon_off[t] as usize..self.canon_off[t + 1] as usize]
    }

    fn joined(&self, toks: &[u32], buf: &mut Vec<u8>) {
        buf.clear();
        for &t in toks {
            buf.extend_from_slice(self.tok_bytes(t));
        }
    }

    /// [`Dataset::compare_names`] of two token lists known by their ids, remembered per
    /// thread: common names meet each other again and again inside blocks.
    fn names_cached(&self, la: u32, a: &[u32], lb: u32, b: &[u32]) -> u8 {
        if la == 0 || lb == 0 {
            return MISSING;
        }
        if la == lb {
            return 0;
        }
        let key = (u64::from(la.min(lb)) << 32) | u64::from(la.max(lb));
        // A direct-mapped table that stays in the core's cache: a slot holds the last pair
        // that hashed to it.
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - NAME_CACHE_BITS)) as usize;
        NAME_PAIRS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.stamp {
                cache.0 = self.stamp;
                cache.1.clear();
                cache.1.resize(1 << NAME_CACHE_BITS, (0, 0));
            }
            let (k, l) = cache.1[slot];
            // Keys are stored plus one so that an empty slot (0) never matches.
            if k == key.wrapping_add(1) {
                return l;
            }
            let l = self.compare_names(a, b);
            cache.1[slot] = (key.wrapping_add(1), l);
            l
        })
    }

    /// Agreement level of two lists of name tokens.
    pub(crate) fn compare_names(&self, a: &[u32], b: &[u32]) -> u8 {
        if a.is_empty() || b.is_empty() {
            return MISSING;
        }
        if a == b {
            return 0;
        }
        let canon = |t: &u32| self.tok_canon[*t as usize];
        let phon = |t: &u32| self.tok_phon[*t as usize];
        if a.len() == 1 && b.len() == 1 {
            let (x, y) = (a[0], b[0]);
            if canon(&x) == canon(&y) {
                return 1;
            }
            let (bx, by) = (self.tok_bytes(x), self.tok_bytes(y));
            let jw = jaro_winkler(bx, by);
            if jw >= 0.92 || (bx.len().min(by.len()) >= 4 && within_one_edit(bx, by)) {
                return 2;
            }
            if phon(&x) == phon(&y) {
                return 3;
            }
            if jw >= 0.8 {
                return 4;
            }
            return 5;
        }
        let ca: Vec<u32> = a.iter().map(canon).collect();
        let cb: Vec<u32> = b.iter().map(canon).collect();
        if ca == cb || sorted_eq(&ca, &cb) {
            return 1;
        }
        let (mut ja, mut jb) = (Vec::with_capacity(32), Vec::with_capacity(32));
        self.joined(a, &mut ja);
        self.joined(b, &mut jb);
        if ja == jb {
            return 1;
        }
        if close(&ja, &jb) {
            return 2;
        }
        let pa: Vec<u32> = a.iter().map(phon).collect();
        let pb: Vec<u32> = b.iter().map(phon).collect();
        if pa == pb || sorted_eq(&pa, &pb) {
            return 3;
        }
        for x in a {
            for y in b {
                if canon(x) == canon(y)
                    || phon(x) == phon(y)
                    || jaro_winkler(self.tok_bytes(*x), self.tok_bytes(*y)) >= 0.92
                {
                    return 4;
                }
            }
        }
        if jaro_winkler(&ja, &jb) >= 0.8 {
            return 4;
        }
        5
    }

    fn compare_value(&self, f: usize, a: u32, b: u32) -> u8 {
        if a == 0 || b == 0 {
            return MISSING;
        }
        if a == b {
            return 0;
        }
        let (x, y) = (self.strs.get(a).as_bytes(), self.strs.get(b).as_bytes());
        match f {
            F_PLACE | F_LOCATION => {
                if jaro_winkler(x, y) >= 0.88 {
                    1
                } else {
                    2
                }
            }
            F_POSTCODE | F_DOCUMENT => {
                if damerau_levenshtein_bounded(x, y, 1) <= 1 || confusable_eq(x, y) {
                    1
                } else {
                    2
                }
            }
            F_PHONE => {
                let tail = |s: &[u8]| s[s.len().saturating_sub(8)..].to_vec();
                let (tx, ty) = (tail(x), tail(y));
                if tx == ty {
                    1
                } else if damerau_levenshtein_bounded(&tx, &ty, 1) <= 1 {
                    2
                } else {
                    3
                }
            }
            _ => 1,
        }
    }

    /// Compares two records field by field; names are also tried swapped (given against
    /// family), and the better reading is kept.
    pub(crate) fn compare(&self, i: usize, j: usize) -> Comparison {
        let (a, b) = (&self.recs[i], &self.recs[j]);
        let (ga, fa, gb, fb) = (self.given(a), self.family(a), self.given(b), self.family(b));
        let mut lg = self.names_cached(a.given_list, ga, b.given_list, gb);
        let mut lf = self.names_cached(a.family_list, fa, b.family_list, fb);
        let mut swapped = false;
        if lg.max(lf) >= 3
            && lg != MISSING
            && lf != MISSING
            && !ga.is_empty()
            && !fa.is_empty()
            && !gb.is_empty()
            && !fb.is_empty()
        {
            let sg = self.names_cached(a.given_list, ga, b.family_list, fb);
            let sf = self.names_cached(a.family_list, fa, b.given_list, gb);
            if sg + sf < lg + lf {
                (lg, lf, swapped) = (sg, sf, true);
            }
        }
        let mut p = u64::from(lg) | u64::from(lf) << 4;
        p |= u64::from(date::compare(a.dob, b.dob)) << (4 * F_DOB);
        for k in 0..7 {
            let f = F_SEX + k;
            p |= u64::from(self.compare_value(f, a.vals[k], b.vals[k])) << (4 * f);
        }
        for k in 0..self.n_exact {
            let (x, y) = (
                self.exact[i * self.n_exact + k],
                self.exact[j * self.n_exact + k],
            );
            let l = if x == 0 || y == 0 {
                MISSING
            } else if x == y {
                0
            } else {
                1
            };
            p |= u64::from(l) << (4 * (F_EXACT0 + k));
        }
        Comparison {
            pattern: p,
            swapped,
        }
    }

    /// The share of records holding the value behind an exact or variant agreement: the
    /// chance that a random pair agrees on it. For a name, when the two records are of the
    /// same citizenship, the share among the records of that citizenship (the citizenship's
    /// own agreement is weighed apart, so the two multiply to the joint chance).
    pub(crate) fn tf_share(&self, f: usize, i: usize, j: usize) -> Option<f64> {
        let (a, b) = (&self.recs[i], &self.recs[j]);
        let n = self.recs.len().max(1) as f64;
        let share = |count: u32, of: f64| f64::from(count.max(1)) / of.max(1.0);
        let same_cit = a.vals[CIT] != 0 && a.vals[CIT] == b.vals[CIT];
        let cit_n = f64::from(self.value_tf[a.vals[CIT] as usize]);
        match f {
            F_GIVEN if same_cit => Some(share(a.given_tf_cit.max(b.given_tf_cit), cit_n)),
            F_FAMILY if same_cit => Some(share(a.family_tf_cit.max(b.family_tf_cit), cit_n)),
            F_GIVEN => Some(share(a.given_tf.max(b.given_tf), n)),
            F_FAMILY => Some(share(a.family_tf.max(b.family_tf), n)),
            F_DOB => Some(share(a.dob_tf.max(b.dob_tf), n)),
            F_PLACE if same_cit => Some(share(a.place_tf_cit, cit_n)),
            F_LOCATION if same_cit => Some(share(a.location_tf_cit, cit_n)),
            F_PLACE | F_LOCATION | F_CITIZENSHIP => {
                let k = f - F_SEX;
                Some(share(self.value_tf[a.vals[k] as usize], n))
            }
            _ => None,
        }
    }
}

/// A dataset of (given name, family name, date of birth) rows, for tests.
#[cfg(test)]
pub(crate) fn names_and_dates<S: AsRef<str>>(rows: &[(S, S, S)]) -> Dataset {
    let mut b = DatasetBuilder::new(0).expect("builder");
    for (g, f, d) in rows {
        let mut r = InputRecord::default();
        r.set(Column::GivenName, g.as_ref());
        r.set(Column::FamilyName, f.as_ref());
        r.set(Column::DateOfBirth, d.as_ref());
        b.push(&r).expect("record");
    }
    b.finish()
}

fn sorted_eq(a: &[u32], b: &[u32]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut x = a.to_vec();
    let mut y = b.to_vec();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// A typo: one edit on a word of four letters or more, or Jaro–Winkler at least 0.92.
fn close(a: &[u8], b: &[u8]) -> bool {
    (a.len().min(b.len()) >= 4 && within_one_edit(a, b)) || jaro_winkler(a, b) >= 0.92
}

/// At most one insertion, deletion, substitution or transposition of neighbours, in one pass.
pub(crate) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if b.len() - a.len() > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if p == a.len() {
        return true;
    }
    if a.len() == b.len() {
        if a[p + 1..] == b[p + 1..] {
            return true;
        }
        return p + 1 < a.len() && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..];
    }
    a[p..] == b[p + 1..]
}

/// Document numbers equal but for letters and digits that look alike (O/0, I/1, S/5, B/8).
fn confusable_eq(a: &[u8], b: &[u8]) -> bool {
    let fold = |c: u8| match c {
        b'O' | b'Q' | b'D' => b'0',
        b'I' | b'L' => b'1',
        b'S' => b'5',
        b'B' => b'8',
        b'Z' => b'2',
        c => c,
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| fold(*x) == fold(*y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noisy_values_are_kept_counted_per_column_and_compared_as_documented() {
        let odd = "\u{13000}\u{13001}";
        let rows: [(&str, &str, &str, &str); 6] = [
            ("Amina", "Haddad", "1968-|2-23", "+961 70 123 456"),
            ("Amina", "Haddad", "1968-12-23", "+961 70 123 456"),
            (odd, "Haddad", "-0044-03-15", ""),
            (odd, "Haddad", "44 BC", "n/a"),
            ("Olena", "Shevchenko", "2023-02-30", ""),
            ("Olena", "Shevchenko", "2023-02-14", "12"),
        ];
        let mut b = DatasetBuilder::new(0).expect("builder");
        let mut per_row = Vec::new();
        for (g, f, d, p) in rows {
            let mut r = InputRecord::default();
            r.set(Column::GivenName, g);
            r.set(Column::FamilyName, f);
            r.set(Column::DateOfBirth, d);
            r.set(Column::Phone, p);
            per_row.push(b.push(&r).expect("a noisy record is kept"));
        }
        assert!(per_row[1].is_empty());
        assert_eq!(
            per_row[2].columns().collect::<Vec<_>>(),
            [Column::GivenName, Column::DateOfBirth]
        );
        assert_eq!(
            per_row[3].columns().collect::<Vec<_>>(),
            [Column::GivenName, Column::DateOfBirth, Column::Phone]
        );
        assert_eq!(
            b.unreadable(),
            [
                (Column::GivenName, 2),
                (Column::DateOfBirth, 4),
                (Column::Phone, 2)
            ]
        );
        let ds = b.finish();
        let level =
            |i: usize, j: usize, f: usize| ((ds.compare(i, j).pattern >> (4 * f)) & 0xF) as u8;
        // The damaged date is missing; names and phone still agree.
        assert_eq!(level(0, 1, F_DOB), MISSING);
        assert_eq!(level(0, 1, F_GIVEN), 0);
        assert_eq!(level(0, 1, F_PHONE), 0);
        // The untransliterated name meets the same spelling.
        assert_eq!(level(2, 3, F_GIVEN), 0);
        assert_eq!(level(2, 0, F_GIVEN), 5);
        // An impossible day keeps the year and month.
        assert_eq!(level(4, 5, F_DOB), 2);
    }

    #[test]
    fn one_edit_agrees_with_the_bounded_distance() {
        let words: &[&[u8]] = &[
            b"hassan", b"hasan", b"hassna", b"ahssan", b"hassam", b"hassanx", b"xhassan", b"", b"h",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    within_one_edit(a, b),
                    damerau_levenshtein_bounded(a, b, 1) <= 1,
                    "{:?} {:?}",
                    std::str::from_utf8(a),
                    std::str::from_utf8(b)
                );
            }
        }
    }
}
