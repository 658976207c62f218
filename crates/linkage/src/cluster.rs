//! Clustering of matched pairs with a guard against chaining.
//!
//! Pairs are taken strongest first (ties by record order, so the result never depends on
//! thread timing). Two single records join on their link; two groups join only when the mean
//! match probability over all pairs across them reaches the guard, and the joined group stays
//! within the size cap. A chain A–B–C where A and C are clearly different people therefore
//! stops at A–B.

use crate::hash::FxHashMap;

fn pair_key(i: u32, j: u32) -> u64 {
    (u64::from(i.min(j)) << 32) | u64::from(i.max(j))
}

/// Clusters `n` records from `edges` `(i, j, probability)` sorted strongest first.
/// `cross` gives the match probability of any two records (`None` when they may not be
/// compared, such as two records of the same side in a link). Returns for each record the
/// smallest record index of its cluster.
pub(crate) fn cluster(
    n: usize,
    edges: &[(u32, u32, f64)],
    guard: f64,
    max_size: usize,
    cross: &dyn Fn(usize, usize) -> Option<f64>,
) -> Vec<u32> {
    // The matched pairs' probabilities are known: the guard looks them up before it scores
    // a pair afresh (most pairs inside a true group are matched pairs themselves).
    let known: FxHashMap<u64, f64> = edges.iter().map(|&(i, j, p)| (pair_key(i, j), p)).collect();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n];
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let p = parent[x as usize];
            parent[x as usize] = parent[p as usize];
            x = p;
        }
        x
    }
    for &(i, j, _) in edges {
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        if ri == rj {
            continue;
        }
        let a: Vec<u32> = if members[ri as usize].is_empty() {
            vec![ri]
        } else {
            members[ri as usize].clone()
        };
        let b: Vec<u32> = if members[rj as usize].is_empty() {
            vec![rj]
        } else {
            members[rj as usize].clone()
        };
        if a.len() + b.len() > max_size {
            continue;
        }
        if a.len() + b.len() > 2 {
            let mut sum = 0.0;
            let mut count = 0usize;
            for &x in &a {
                for &y in &b {
                    let p = match known.get(&pair_key(x, y)) {
                        Some(&p) => Some(p),
                        None => cross(x as usize, y as usize),
                    };
                    if let Some(p) = p {
                        sum += p;
                        count += 1;
                    }
                }
            }
            if count > 0 && sum / (count as f64) < guard {
                continue;
            }
        }
        let (root, other) = if ri < rj { (ri, rj) } else { (rj, ri) };
        parent[other as usize] = root;
        let mut all = a;
        all.extend(b);
        all.sort_unstable();
        members[root as usize] = all;
        members[other as usize] = Vec::new();
    }
    let mut label = vec![0u32; n];
    let mut smallest = vec![u32::MAX; n];
    for x in 0..n as u32 {
        let r = find(&mut parent, x);
        smallest[r as usize] = smallest[r as usize].min(x);
    }
    for x in 0..n as u32 {
        let r = find(&mut parent, x);
        label[x as usize] = smallest[r as usize];
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_stops_a_chain() {
        // 0–1 strong, 1–2 strong, but 0 and 2 are clearly different.
        let probs = |i: usize, j: usize| -> Option<f64> {
            Some(match (i.min(j), i.max(j)) {
                (0, 1) => 0.99,
                (1, 2) => 0.95,
                (0, 2) => 0.01,
                _ => 0.0,
            })
        };
        let edges = [(0, 1, 0.99), (1, 2, 0.95)];
        assert_eq!(cluster(3, &edges, 0.5, 100, &probs), vec![0, 0, 2]);
        // Without the guard the chain would join.
        assert_eq!(cluster(3, &edges, 0.0, 100, &probs), vec![0, 0, 0]);
        // The size cap holds too.
        assert_eq!(cluster(3, &edges, 0.0, 2, &probs), vec![0, 0, 2]);
    }

    use proptest::prelude::*;

    /// Edges of a probability matrix at or above `threshold`, strongest first, ties by order.
    fn edges_of(p: &[Vec<f64>], threshold: f64) -> Vec<(u32, u32, f64)> {
        let mut e = Vec::new();
        for (i, row) in p.iter().enumerate() {
            for (j, &q) in row.iter().enumerate().skip(i + 1) {
                if q >= threshold {
                    e.push((i as u32, j as u32, q));
                }
            }
        }
        e.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
        e
    }

    /// A symmetric matrix of `k` records with `f(i, j)` for each pair `i < j`, in order.
    fn symmetric(k: usize, mut f: impl FnMut(usize, usize) -> f64) -> Vec<Vec<f64>> {
        let mut p = vec![vec![0.0; k]; k];
        let pairs: Vec<(usize, usize)> = (0..k)
            .flat_map(|i| (i + 1..k).map(move |j| (i, j)))
            .collect();
        for (i, j) in pairs {
            let q = f(i, j);
            p[i][j] = q;
            p[j][i] = q;
        }
        p
    }

    fn sizes(labels: &[u32]) -> std::collections::BTreeMap<u32, Vec<usize>> {
        let mut m: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (x, &c) in labels.iter().enumerate() {
            m.entry(c).or_default().push(x);
        }
        m
    }

    proptest! {
        /// A chain of records, each a strong match of the next but clearly not of any other,
        /// never grows past a pair: joining a third record would bring in a pair of strangers
        /// and pull the mean under the guard. Without the guard the same chain is one cluster.
        #[test]
        fn a_chain_of_look_alikes_does_not_merge(
            links in prop::collection::vec(0.9f64..0.94, 2..12),
            strangers in prop::collection::vec(0.0f64..0.05, 66),
        ) {
            let k = links.len() + 1;
            let mut s = strangers.iter().cycle();
            let p = symmetric(k, |i, j| if j == i + 1 { links[i] } else { *s.next().unwrap() });
            let edges = edges_of(&p, 0.9);
            prop_assert_eq!(edges.len(), k - 1);
            let cross = |i: usize, j: usize| Some(p[i][j]);
            let guarded = cluster(k, &edges, 0.5, 200, &cross);
            let groups = sizes(&guarded);
            prop_assert!(groups.values().all(|g| g.len() <= 2), "{:?}", groups);
            prop_assert!(groups.len() >= k.div_ceil(2));
            let unguarded = cluster(k, &edges, 0.0, 200, &cross);
            prop_assert!(unguarded.iter().all(|&c| c == 0), "{:?}", unguarded);
        }

        /// On any matrix, every cluster keeps a mean probability over all its pairs of at
        /// least the guard and stays within the size cap.
        #[test]
        fn every_cluster_keeps_the_guard_and_the_cap(
            values in prop::collection::vec(0.0f64..1.0, 66),
            n in 3usize..12,
            guard in 0.3f64..0.9,
            cap in 2usize..6,
        ) {
            let mut v = values.iter();
            let p = symmetric(n, |_, _| *v.next().unwrap());
            let edges = edges_of(&p, guard);
            let labels = cluster(n, &edges, guard, cap, &|i, j| Some(p[i][j]));
            for g in sizes(&labels).values() {
                prop_assert!(g.len() <= cap, "{:?}", g);
                if g.len() < 2 {
                    continue;
                }
                let mut all = Vec::new();
                for (a, &x) in g.iter().enumerate() {
                    for &y in &g[a + 1..] {
                        all.push(p[x][y]);
                    }
                }
                let mean = all.iter().sum::<f64>() / all.len() as f64;
                prop_assert!(mean >= guard - 1e-9, "{:?} mean {} < {}", g, mean, guard);
            }
        }
    }
}
