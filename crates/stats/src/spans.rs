//! Persons open in any range of whole months, from a grid made once at the release cut.
//!
//! "Persons assisted" over a period counts each person once if any of their cases was open at
//! some point in it; periods are whole months chosen by the reader, so the count cannot be
//! summed from monthly counts (one person open in March and in April is one person in the
//! quarter). Reading every case at every question is what made the dashboards slow, so the cut
//! turns each person's cases into a few weighted cells of a (first month, last month) grid:
//!
//! - a person's time open is the union of their cases' spans, merged into disjoint runs of
//!   months `[s₁, e₁], [s₂, e₂], …` (sorted, `eᵢ < sᵢ₊₁`);
//! - a range `[a, b]` meets run `i` when `sᵢ ≤ b` and `eᵢ ≥ a`; the runs it meets are
//!   consecutive, so "meets at least one" is the runs met minus the pairs of neighbours met,
//!   and a pair `(i, i + 1)` is met exactly when `sᵢ₊₁ ≤ b` and `eᵢ ≥ a`;
//! - so each run is a cell `(sᵢ, eᵢ)` of weight +1 and each gap a cell `(sᵢ₊₁, eᵢ)` of weight
//!   −1, and the persons open in `[a, b]` are the weights of the cells with `from ≤ b` and
//!   `to ≥ a` (property-tested against counting persons directly).
//!
//! Each cell also carries the sum of its persons' cell keys (wrapping, so a −1 cell takes its
//! person's key away again): a person's key is the smallest of their cases' keys, so the same
//! persons always make the same key and the same noise.

use std::collections::BTreeMap;

/// A month as a number: year × 12 + (month − 1).
pub type Month = i32;

/// The last month of a case still open.
pub const OPEN: Month = Month::MAX;

/// One case's time open, in months, for one person, with the case's cell key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span<S> {
    pub subject: S,
    pub key: u32,
    pub from: Month,
    pub to: Month,
}

/// A cell of the grid: the persons (weight `n`, which may be negative) and their keys' sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub from: Month,
    pub to: Month,
    pub n: i64,
    pub key: u32,
}

/// Cells added up by (first month, last month).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    cells: BTreeMap<(Month, Month), (i64, u32)>,
}

impl Grid {
    fn add(&mut self, from: Month, to: Month, n: i64, key: u32) {
        let cell = self.cells.entry((from, to)).or_insert((0, 0));
        cell.0 += n;
        cell.1 = cell.1.wrapping_add(key);
    }

    /// Adds one person, from all of their cases' spans (any order).
    pub fn add_person(&mut self, spans: &[(Month, Month)], key: u32) {
        let mut runs: Vec<(Month, Month)> = spans.to_vec();
        runs.sort_unstable();
        let mut merged: Vec<(Month, Month)> = Vec::with_capacity(runs.len());
        for (from, to) in runs {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        for (i, &(from, to)) in merged.iter().enumerate() {
            self.add(from, to, 1, key);
            if let Some(&(next_from, _)) = merged.get(i + 1) {
                self.add(next_from, to, -1, key.wrapping_neg());
            }
        }
    }

    /// Adds one case as itself (cases are counted, not persons).
    pub fn add_case(&mut self, from: Month, to: Month, key: u32) {
        self.add(from, to, 1, key);
    }

    /// The cells, without those that came to nothing.
    pub fn cells(&self) -> Vec<Cell> {
        self.cells
            .iter()
            .filter(|(_, (n, key))| *n != 0 || *key != 0)
            .map(|(&(from, to), &(n, key))| Cell { from, to, n, key })
            .collect()
    }
}

/// The persons (or cases) open at some point in months `a` to `b`, and their keys' sum.
pub fn open_in(cells: &[Cell], a: Month, b: Month) -> (u64, u32) {
    let mut n = 0i64;
    let mut key = 0u32;
    for c in cells.iter().filter(|c| c.from <= b && c.to >= a) {
        n += c.n;
        key = key.wrapping_add(c.key);
    }
    (n.max(0) as u64, key)
}

/// A person's spans and smallest key.
type Runs = (Vec<(Month, Month)>, u32);

/// Builds the persons' grid from case spans: each subject once, with the smallest of their
/// cases' keys.
pub fn persons_grid<S: Ord + Clone>(spans: &[Span<S>]) -> Grid {
    let mut by_subject: BTreeMap<&S, Runs> = BTreeMap::new();
    for s in spans {
        let entry = by_subject
            .entry(&s.subject)
            .or_insert_with(|| (Vec::new(), s.key));
        entry.0.push((s.from, s.to));
        entry.1 = entry.1.min(s.key);
    }
    let mut grid = Grid::default();
    for (runs, key) in by_subject.values() {
        grid.add_person(runs, *key);
    }
    grid
}

/// A month as a number, from `YYYY-MM` (or a longer `YYYY-MM-DD`).
pub fn month_number(text: &str) -> Option<Month> {
    let year: Month = text.get(0..4)?.parse().ok()?;
    let month: Month = text.get(5..7)?.parse().ok()?;
    (text.get(4..5) == Some("-") && (1..=12).contains(&month)).then_some(year * 12 + month - 1)
}

/// `YYYY-MM` of a month number.
pub fn month_text(month: Month) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Counting persons directly: a subject counts when any of their spans meets the range.
    fn direct(spans: &[Span<u8>], a: Month, b: Month) -> (u64, u32) {
        let mut keys: BTreeMap<u8, u32> = BTreeMap::new();
        for s in spans {
            let k = keys.entry(s.subject).or_insert(s.key);
            *k = (*k).min(s.key);
        }
        let mut met: BTreeMap<u8, u32> = BTreeMap::new();
        for s in spans.iter().filter(|s| s.from <= b && s.to >= a) {
            met.insert(s.subject, keys[&s.subject]);
        }
        let key = met.values().fold(0u32, |acc, k| acc.wrapping_add(*k));
        (met.len() as u64, key)
    }

    fn span() -> impl Strategy<Value = Span<u8>> {
        (
            0u8..6,
            any::<u32>(),
            0..14i32,
            0..6i32,
            prop::bool::weighted(0.2),
        )
            .prop_map(|(subject, key, from, len, open)| Span {
                subject,
                key,
                from,
                to: if open { OPEN } else { from + len },
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn the_grid_counts_every_range_as_counting_persons_directly(
            spans in prop::collection::vec(span(), 0..25)
        ) {
            let cells = persons_grid(&spans).cells();
            for a in 0..16 {
                for b in a..16 {
                    prop_assert_eq!(open_in(&cells, a, b), direct(&spans, a, b), "range {}..{}", a, b);
                }
            }
        }
    }

    #[test]
    fn a_person_with_a_gap_counts_once_over_both_and_not_in_the_gap() {
        let spans = [
            Span {
                subject: 1u8,
                key: 7,
                from: 0,
                to: 1,
            },
            Span {
                subject: 1u8,
                key: 3,
                from: 4,
                to: OPEN,
            },
        ];
        let cells = persons_grid(&spans).cells();
        assert_eq!(open_in(&cells, 0, 5), (1, 3));
        assert_eq!(open_in(&cells, 2, 3), (0, 0));
        assert_eq!(open_in(&cells, 1, 1), (1, 3));
        assert_eq!(open_in(&cells, 9, 9), (1, 3));
    }

    #[test]
    fn months_read_and_write_as_text() {
        assert_eq!(month_number("2026-01"), Some(2026 * 12));
        assert_eq!(month_number("2026-12-31"), Some(2026 * 12 + 11));
        assert_eq!(month_number("2026-13"), None);
        assert_eq!(month_number("20261"), None);
        assert_eq!(month_text(2026 * 12 + 11), "2026-12");
    }
}
