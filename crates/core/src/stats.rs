//! Statistical disclosure control for published counts: small cells are suppressed so that no
//! figure points at a handful of people.

use serde::Serialize;

/// Counts below this are not published (CTDC convention: no figure about fewer than 10 people).
pub const DEFAULT_MIN_CELL: u64 = 10;

/// One published cell: the count, or `None` with `suppressed` set when it is too small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub key: String,
    pub count: Option<u64>,
    pub suppressed: bool,
}

/// Publishes counts, suppressing every non-zero count below `min_cell`. When exactly one cell of
/// a dimension is suppressed, the next smallest published non-zero cell is suppressed too, so the
/// hidden one cannot be recovered from a total published elsewhere.
pub fn suppress(counts: &[(String, u64)], min_cell: u64) -> Vec<Cell> {
    let mut cells: Vec<Cell> = counts
        .iter()
        .map(|(key, n)| {
            let hide = *n > 0 && *n < min_cell;
            Cell {
                key: key.clone(),
                count: (!hide).then_some(*n),
                suppressed: hide,
            }
        })
        .collect();
    if cells.iter().filter(|c| c.suppressed).count() == 1 {
        let smallest = cells
            .iter_mut()
            .filter(|c| matches!(c.count, Some(n) if n > 0))
            .min_by_key(|c| c.count);
        if let Some(cell) = smallest {
            cell.count = None;
            cell.suppressed = true;
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counts(v: &[u64]) -> Vec<(String, u64)> {
        v.iter()
            .enumerate()
            .map(|(i, n)| (format!("k{i}"), *n))
            .collect()
    }

    #[test]
    fn small_cells_and_their_complement_are_hidden() {
        let out = suppress(&counts(&[3, 40, 12, 0]), 10);
        let shown: Vec<Option<u64>> = out.iter().map(|c| c.count).collect();
        assert_eq!(shown, vec![None, Some(40), None, Some(0)]);
    }

    #[test]
    fn two_small_cells_need_no_complement() {
        let shown: Vec<Option<u64>> = suppress(&counts(&[3, 4, 50]), 10)
            .iter()
            .map(|c| c.count)
            .collect();
        assert_eq!(shown, vec![None, None, Some(50)]);
    }

    proptest! {
        #[test]
        fn no_published_count_is_small(v in proptest::collection::vec(0u64..40, 0..12), k in 1u64..20) {
            let out = suppress(&counts(&v), k);
            prop_assert_eq!(out.len(), v.len());
            for (cell, n) in out.iter().zip(&v) {
                match cell.count {
                    Some(c) => { prop_assert_eq!(c, *n); prop_assert!(c == 0 || c >= k); }
                    None => prop_assert!(cell.suppressed && *n > 0),
                }
            }
            prop_assert!(out.iter().filter(|c| c.suppressed).count() != 1 || out.iter().filter(|c| c.count.unwrap_or(0) > 0).count() == 0);
        }
    }
}
