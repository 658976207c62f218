use super::*;
use proptest::prelude::*;

/// Every cell of the extended table (inner, row totals, column totals, grand total) as shown,
/// with its true value.
fn extended(counts: &[Vec<u64>], p: &Protected) -> Vec<Vec<(u64, Shown)>> {
    let rows = counts.len();
    let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
    let mut v = vec![vec![0u64; cols + 1]; rows + 1];
    for (i, row) in counts.iter().enumerate() {
        for (j, &n) in row.iter().enumerate() {
            v[i][j] = n;
            v[i][cols] += n;
            v[rows][j] += n;
            v[rows][cols] += n;
        }
    }
    (0..=rows)
        .map(|i| {
            (0..=cols)
                .map(|j| {
                    let s = match (i < rows, j < cols) {
                        (true, true) => p.cells[i][j],
                        (true, false) => p.row_totals[i],
                        (false, true) => p.col_totals[j],
                        (false, false) => p.total,
                    };
                    (v[i][j], s)
                })
                .collect()
        })
        .collect()
}

fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs())) else {
            break;
        };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(r, p);
        for i in 0..m.len() {
            if i != r {
                let f = m[i][c] / m[r][c];
                let pivot = m[r].clone();
                for (x, p) in m[i].iter_mut().zip(pivot) {
                    *x -= f * p;
                }
            }
        }
        r += 1;
    }
    r
}

/// The hidden cells an attacker can work out exactly from the published ones: by linear
/// algebra over the table's equations, independently of the graph argument `protect` uses.
/// A hidden cell is determined when its unit vector lies in the row space of the equations
/// restricted to the hidden cells.
fn determined(ext: &[Vec<(u64, Shown)>]) -> Vec<(usize, usize)> {
    let rows = ext.len() - 1;
    let cols = ext[0].len() - 1;
    let unknowns: Vec<(usize, usize)> = (0..=rows)
        .flat_map(|i| (0..=cols).map(move |j| (i, j)))
        .filter(|&(i, j)| ext[i][j].1.is_suppressed())
        .collect();
    let idx = |i: usize, j: usize| unknowns.iter().position(|&u| u == (i, j));
    let mut eqs = Vec::new();
    for i in 0..=rows {
        let mut e = vec![0.0; unknowns.len()];
        for j in 0..=cols {
            if let Some(k) = idx(i, j) {
                e[k] = if j == cols { -1.0 } else { 1.0 };
            }
        }
        eqs.push(e);
    }
    for j in 0..=cols {
        let mut e = vec![0.0; unknowns.len()];
        for i in 0..=rows {
            if let Some(k) = idx(i, j) {
                e[k] = if i == rows { -1.0 } else { 1.0 };
            }
        }
        eqs.push(e);
    }
    let base = rank(eqs.clone());
    unknowns
        .iter()
        .enumerate()
        .filter(|&(k, _)| {
            let mut with = eqs.clone();
            let mut unit = vec![0.0; unknowns.len()];
            unit[k] = 1.0;
            with.push(unit);
            rank(with) == base
        })
        .map(|(_, &u)| u)
        .collect()
}

#[test]
fn the_attack_works_against_primary_suppression_alone() {
    // The check must be able to fail: hide only the small cell of a 2×2 table and the row total
    // gives it away.
    let counts = vec![vec![3, 40], vec![25, 30]];
    let mut p = protect(&counts, 1); // k = 1 hides nothing
    p.cells[0][0] = Shown::Suppressed;
    let ext = extended(&counts, &p);
    assert_eq!(determined(&ext), vec![(0, 0)]);
}

#[test]
fn a_small_cell_is_hidden_with_its_complements() {
    let counts = vec![vec![3, 40], vec![25, 30]];
    let p = protect(&counts, 11);
    assert_eq!(p.cells[0][0], Shown::Suppressed);
    // Its row and column each need a second hidden cell; the cheapest cycle is the 2×2 block.
    assert_eq!(p.cells[0][1], Shown::Suppressed);
    assert_eq!(p.cells[1][0], Shown::Suppressed);
    assert_eq!(p.cells[1][1], Shown::Suppressed);
    assert_eq!(p.total, Shown::Count(98));
    assert!(determined(&extended(&counts, &p)).is_empty());
}

#[test]
fn a_small_total_is_hidden_too() {
    let counts = vec![vec![0, 4], vec![30, 30]];
    let p = protect(&counts, 11);
    assert_eq!(p.row_totals[0], Shown::Suppressed);
    assert_eq!(p.cells[0][1], Shown::Suppressed);
    assert!(determined(&extended(&counts, &p)).is_empty());
}

#[test]
fn zeros_and_large_tables_publish_everything() {
    let counts = vec![vec![0, 40], vec![25, 30]];
    let p = protect(&counts, 11);
    assert!(p.cells.iter().flatten().all(|s| !s.is_suppressed()));
    assert_eq!(p.cells[0][0], Shown::Count(0));
}

#[test]
fn a_one_way_table_hides_two_cells_at_least() {
    let (cells, total) = protect_line(&[5, 40, 12, 0, 30], 11);
    assert_eq!(cells[0], Shown::Suppressed);
    assert_eq!(
        cells[2],
        Shown::Suppressed,
        "the smallest other cell is the complement"
    );
    assert_eq!(cells[3], Shown::Count(0));
    assert_eq!(total, Shown::Count(87));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// On any table: every count from 1 to k − 1 is hidden (margins included), what is shown is
    /// true, and no hidden cell can be worked out from what is shown.
    #[test]
    fn no_hidden_cell_can_be_worked_out(
        counts in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| {
            proptest::collection::vec(
                proptest::collection::vec(prop_oneof![Just(0u64), 1u64..11, 11u64..60], c),
                r,
            )
        }),
    ) {
        let p = protect(&counts, 11);
        let ext = extended(&counts, &p);
        for row in &ext {
            for &(value, shown) in row {
                if value > 0 && value < 11 {
                    prop_assert!(shown.is_suppressed());
                }
                if let Shown::Count(n) = shown {
                    prop_assert_eq!(n, value);
                }
                if shown.is_suppressed() {
                    // Hidden cells can move both ways: never a zero pinned at its floor,
                    // unless the whole table had to be hidden.
                    let all = ext.iter().flatten().all(|(_, s)| s.is_suppressed());
                    prop_assert!(value > 0 || all);
                }
            }
        }
        prop_assert_eq!(determined(&ext), Vec::<(usize, usize)>::new());
    }
}
