//! Small-cell suppression of a two-way table with its margins.
//!
//! **Primary suppression**: every count from 1 to `k − 1` is hidden — inner cells, row and
//! column totals and the grand total alike (CTDC publishes nothing about fewer than `k − 1`
//! people with `k = 11`). A zero is published: it says that nobody is in the cell, and no one
//! can be singled out of nobody.
//!
//! **Complementary suppression**: a hidden cell must not be recoverable from what is published.
//! Read the table with its margins as a bipartite graph — one node per row (the totals row
//! included) and per column (the totals column included), one edge per hidden cell. Each node
//! carries one equation (a row's cells add up to its total), and after a sign change on the
//! totals row and column every equation says "the edges at this node sum to a known value". The
//! hidden values that satisfy the equations then differ exactly by flows around cycles of the
//! graph, so a hidden cell is determined by the published ones **if and only if its edge is a
//! bridge** (lies on no cycle). The rule here: while a hidden cell is a bridge, hide the cheapest
//! path of published cells that closes a cycle through it (cost: the counts hidden, so the
//! least information is lost; zero cells are never used, so that every hidden cell can move
//! both up and down by one and none is pinned by "counts are not negative").

use serde::Serialize;

/// The default k: counts from 1 to 10 are hidden, as in the CTDC global dataset (k = 11).
pub const DEFAULT_K: u64 = 11;

/// A count as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Shown {
    Count(u64),
    /// Hidden; published as `null` with `suppressed: true`.
    Suppressed,
}

impl Shown {
    pub fn count(self) -> Option<u64> {
        match self {
            Shown::Count(n) => Some(n),
            Shown::Suppressed => None,
        }
    }
    pub fn is_suppressed(self) -> bool {
        matches!(self, Shown::Suppressed)
    }
}

/// A table as published: inner cells by row then column, then each row's total, each column's
/// total and the grand total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Protected {
    pub cells: Vec<Vec<Shown>>,
    pub row_totals: Vec<Shown>,
    pub col_totals: Vec<Shown>,
    pub total: Shown,
}

/// The extended table: `rows + 1` by `cols + 1`, the last row and column being the totals.
struct Extended {
    rows: usize,
    cols: usize,
    value: Vec<Vec<u64>>,
    hidden: Vec<Vec<bool>>,
}

impl Extended {
    fn new(counts: &[Vec<u64>]) -> Extended {
        let rows = counts.len();
        let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
        let mut value = vec![vec![0u64; cols + 1]; rows + 1];
        for (i, row) in counts.iter().enumerate() {
            for (j, &n) in row.iter().enumerate() {
                value[i][j] = n;
                value[i][cols] += n;
                value[rows][j] += n;
                value[rows][cols] += n;
            }
        }
        Extended {
            rows,
            cols,
            hidden: vec![vec![false; cols + 1]; rows + 1],
            value,
        }
    }

    /// Graph nodes: rows `0..=rows`, then columns at `rows + 1 + j`.
    fn nodes(&self) -> usize {
        self.rows + self.cols + 2
    }

    fn col_node(&self, j: usize) -> usize {
        self.rows + 1 + j
    }

    /// Whether `to` is reachable from `from` over hidden cells, leaving out the cell `(i, j)`.
    fn reachable_without(&self, from: usize, to: usize, skip: (usize, usize)) -> bool {
        let mut seen = vec![false; self.nodes()];
        let mut stack = vec![from];
        seen[from] = true;
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            for m in self.neighbours(n, skip) {
                if !seen[m] {
                    seen[m] = true;
                    stack.push(m);
                }
            }
        }
        false
    }

    fn neighbours(&self, n: usize, skip: (usize, usize)) -> Vec<usize> {
        if n <= self.rows {
            (0..=self.cols)
                .filter(|&j| self.hidden[n][j] && (n, j) != skip)
                .map(|j| self.col_node(j))
                .collect()
        } else {
            let j = n - self.rows - 1;
            (0..=self.rows)
                .filter(|&i| self.hidden[i][j] && (i, j) != skip)
                .collect()
        }
    }

    /// A hidden cell on no cycle, if any.
    fn bridge(&self) -> Option<(usize, usize)> {
        for i in 0..=self.rows {
            for j in 0..=self.cols {
                if self.hidden[i][j] && !self.reachable_without(i, self.col_node(j), (i, j)) {
                    return Some((i, j));
                }
            }
        }
        None
    }

    /// The cheapest set of published non-zero cells whose hiding joins row `r` to column `c`
    /// without the cell `(r, c)` itself (hidden cells cost nothing), by Dijkstra over the dense
    /// bipartite graph. `None` when no such path exists.
    fn cheapest_cycle(&self, r: usize, c: usize) -> Option<Vec<(usize, usize)>> {
        let n = self.nodes();
        let cell_of = |a: usize, b: usize| -> (usize, usize) {
            if a <= self.rows {
                (a, b - self.rows - 1)
            } else {
                (b, a - self.rows - 1)
            }
        };
        let mut dist = vec![u64::MAX; n];
        let mut prev = vec![usize::MAX; n];
        let mut done = vec![false; n];
        let (start, goal) = (r, self.col_node(c));
        dist[start] = 0;
        loop {
            let next = (0..n)
                .filter(|&v| !done[v] && dist[v] != u64::MAX)
                .min_by_key(|&v| dist[v])?;
            if next == goal {
                break;
            }
            done[next] = true;
            let others: Vec<usize> = if next <= self.rows {
                (0..=self.cols).map(|j| self.col_node(j)).collect()
            } else {
                (0..=self.rows).collect()
            };
            for m in others {
                let (i, j) = cell_of(next, m);
                if (i, j) == (r, c) || done[m] {
                    continue;
                }
                let cost = if self.hidden[i][j] {
                    0
                } else if self.value[i][j] == 0 {
                    continue;
                } else {
                    self.value[i][j]
                };
                let d = dist[next].saturating_add(cost);
                if d < dist[m] {
                    dist[m] = d;
                    prev[m] = next;
                }
            }
        }
        let mut path = Vec::new();
        let mut v = goal;
        while v != start {
            let u = prev[v];
            let (i, j) = cell_of(u, v);
            if !self.hidden[i][j] {
                path.push((i, j));
            }
            v = u;
        }
        Some(path)
    }
}

/// Publishes a two-way table of counts (`counts[row][col]`; ragged rows are read as zeros) with
/// its margins, hiding counts from 1 to `k − 1` and as many others as it takes for none of them
/// to be worked out.
pub fn protect(counts: &[Vec<u64>], k: u64) -> Protected {
    let mut t = Extended::new(counts);
    for i in 0..=t.rows {
        for j in 0..=t.cols {
            let n = t.value[i][j];
            t.hidden[i][j] = n > 0 && n < k;
        }
    }
    while let Some((i, j)) = t.bridge() {
        match t.cheapest_cycle(i, j) {
            Some(path) if !path.is_empty() => {
                for (a, b) in path {
                    t.hidden[a][b] = true;
                }
            }
            // No published cell can close a cycle: hide every non-zero cell of the table.
            _ => {
                for a in 0..=t.rows {
                    for b in 0..=t.cols {
                        if t.value[a][b] > 0 {
                            t.hidden[a][b] = true;
                        }
                    }
                }
                if t.bridge().is_some() {
                    // Still a bridge (a table too small to hide anything in): hide all.
                    for row in t.hidden.iter_mut() {
                        row.iter_mut().for_each(|h| *h = true);
                    }
                    break;
                }
            }
        }
    }
    let shown = |i: usize, j: usize| {
        if t.hidden[i][j] {
            Shown::Suppressed
        } else {
            Shown::Count(t.value[i][j])
        }
    };
    Protected {
        cells: (0..t.rows)
            .map(|i| (0..t.cols).map(|j| shown(i, j)).collect())
            .collect(),
        row_totals: (0..t.rows).map(|i| shown(i, t.cols)).collect(),
        col_totals: (0..t.cols).map(|j| shown(t.rows, j)).collect(),
        total: shown(t.rows, t.cols),
    }
}

/// A one-way table (one dimension and its total) is a table of one row.
pub fn protect_line(counts: &[u64], k: u64) -> (Vec<Shown>, Shown) {
    let p = protect(&[counts.to_vec()], k);
    let cells = p.cells.into_iter().next().unwrap_or_default();
    (cells, p.total)
}

#[cfg(test)]
mod tests;
