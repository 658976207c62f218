//! Properties of the comparators, normalisation, scoring and clustering.

use passage_linkage::compare::{damerau_levenshtein_bounded, jaro_winkler, token_set};
use passage_linkage::normalize::{name_tokens, phonetic_key};
use passage_linkage::{Column, DatasetBuilder, InputRecord, Settings, run};
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z '-]{0,16}",
        "[а-яА-Я ]{0,12}",
        "[ء-ي ]{0,10}",
        "[a-zA-Zàéïöüçñ ]{0,14}",
    ]
}

proptest! {
    #[test]
    fn comparators_are_symmetric_and_bounded(a in "[a-z]{0,12}", b in "[a-z]{0,12}") {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        let j = jaro_winkler(x, y);
        prop_assert!((0.0..=1.0 + 1e-9).contains(&j));
        prop_assert!((j - jaro_winkler(y, x)).abs() < 1e-9);
        prop_assert_eq!(jaro_winkler(x, x), 1.0);
        let d = damerau_levenshtein_bounded(x, y, 3);
        prop_assert_eq!(d, damerau_levenshtein_bounded(y, x, 3));
        prop_assert!(d <= 4);
        prop_assert_eq!(damerau_levenshtein_bounded(x, x, 3), 0);
        let t = token_set(x, y);
        prop_assert!((0.0..=1.0).contains(&t));
    }

    #[test]
    fn normalisation_is_idempotent(s in name()) {
        let once: Vec<String> = name_tokens(&s).into_iter().map(|t| t.text).collect();
        let twice: Vec<String> = name_tokens(&once.join(" ")).into_iter().map(|t| t.text).collect();
        prop_assert_eq!(&once, &twice);
        for t in name_tokens(&s) {
            prop_assert!(t.text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            prop_assert_eq!(phonetic_key(&t.canonical), t.phonetic);
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_record_matches_itself_and_clustering_is_deterministic(
        rows in prop::collection::vec((name(), name(), 1940u16..2020, 1u8..13, 1u8..29), 2..40)
    ) {
        // Every row twice: each copy must land with its twin.
        let mut b = DatasetBuilder::new(0).unwrap();
        let dates: Vec<String> = rows.iter().map(|r| format!("{}-{:02}-{:02}", r.2, r.3, r.4)).collect();
        for _ in 0..2 {
            for (r, d) in rows.iter().zip(&dates) {
                let mut rec = InputRecord::default();
                rec.set(Column::GivenName, &r.0);
                rec.set(Column::FamilyName, &r.1);
                rec.set(Column::DateOfBirth, d);
                b.push(&rec).unwrap();
            }
        }
        let ds = b.finish();
        let settings = Settings { u_samples: 20_000, ..Settings::default() };
        let first = run(&ds, &settings, None, &|_| {}).unwrap();
        let second = run(&ds, &settings, None, &|_| {}).unwrap();
        prop_assert_eq!(&first.clusters, &second.clusters);
        prop_assert_eq!(first.pairs.len(), second.pairs.len());
        let scorer = passage_linkage::Scorer::new(&ds, &first.model);
        let n = rows.len();
        for i in 0..n {
            let p = scorer.probability(i, i + n);
            let q = scorer.probability(i + n, i);
            prop_assert!((p - q).abs() < 1e-9, "symmetric");
            let e = scorer.explain(i, i + n);
            prop_assert!(e.fields.iter().all(|f| f.level == "exact" || f.level == "missing"));
        }
        prop_assert_eq!(first.clusters.len(), 2 * n);
        // A matched pair's explanation, rivals included, gives the probability written for it.
        let explained = passage_linkage::Scorer::with_rivals(&ds, &first.model, &first.rivals);
        for p in &first.pairs {
            let e = explained.explain(p.a as usize, p.b as usize);
            prop_assert!((e.probability - p.probability).abs() < 1e-3, "{} vs {}", e.probability, p.probability);
        }
        // A matched pair of a row and its copy ends in one cluster.
        for p in &first.pairs {
            if p.b as usize == p.a as usize + n {
                prop_assert_eq!(first.clusters[p.a as usize], first.clusters[p.b as usize]);
            }
        }
        // No cluster is larger than the cap, and the guard holds inside every cluster: each
        // join needs a mean probability across the two groups of at least the guard (or a
        // matched pair for two single records), so the mean over all pairs of a cluster is at
        // least the guard too (chains themselves are checked on the clustering alone).
        let mut groups: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (x, c) in first.clusters.iter().enumerate() {
            groups.entry(*c).or_default().push(x);
        }
        for members in groups.values() {
            prop_assert!(members.len() <= settings.max_cluster);
            if members.len() < 3 {
                continue;
            }
            let (mut sum, mut count) = (0.0, 0usize);
            for (k, &x) in members.iter().enumerate() {
                for &y in &members[k + 1..] {
                    sum += scorer.probability(x, y);
                    count += 1;
                }
            }
            prop_assert!(
                sum / count as f64 >= settings.cluster_guard - 1e-6,
                "cluster {:?} has mean probability {}", members, sum / count as f64
            );
        }
    }
}

/// Rows of distinct people: no two share a given name, a family name, a date of birth or a
/// phone number.
fn people() -> impl Strategy<Value = Vec<[String; 4]>> {
    prop::collection::vec(
        (
            "[a-z]{3,10}",
            "[a-z]{3,10}",
            1940u16..2020,
            1u8..13,
            1u8..29,
            "\\+[1-9][0-9]{9}",
        ),
        60..160,
    )
    .prop_map(|rows| {
        let mut seen = std::collections::HashSet::new();
        rows.into_iter()
            .map(|(g, f, y, m, d, phone)| [g, f, format!("{y}-{m:02}-{d:02}"), phone])
            .filter(|r| {
                let fresh = r.iter().all(|v| !seen.contains(v));
                seen.extend(r.iter().cloned());
                fresh
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Two records of one person (the same names, date and phone), among records of other
    /// people, are matched and share a cluster, and no one else joins them.
    #[test]
    fn twins_share_a_cluster(rows in people(), twins in 1usize..8) {
        prop_assume!(rows.len() >= 2 * twins);
        let mut b = DatasetBuilder::new(0).unwrap();
        for [g, f, d, phone] in rows.iter().chain(&rows[..twins]) {
            let mut rec = InputRecord::default();
            rec.set(Column::GivenName, g);
            rec.set(Column::FamilyName, f);
            rec.set(Column::DateOfBirth, d);
            rec.set(Column::Phone, phone);
            b.push(&rec).unwrap();
        }
        let ds = b.finish();
        let out = run(&ds, &Settings { u_samples: 20_000, ..Settings::default() }, None, &|_| {}).unwrap();
        let n = rows.len();
        for (i, row) in rows.iter().enumerate().take(twins) {
            prop_assert!(
                out.pairs.iter().any(|p| (p.a as usize, p.b as usize) == (i, i + n)),
                "twin {} not matched: {:?} {:?}", i, row, passage_linkage::Scorer::new(&ds, &out.model).explain(i, i + n)
            );
            prop_assert_eq!(out.clusters[i], out.clusters[i + n], "twin {} apart", i);
        }
        let mut sizes = std::collections::HashMap::new();
        for c in &out.clusters {
            *sizes.entry(*c).or_insert(0usize) += 1;
        }
        prop_assert_eq!(sizes.len(), n, "one cluster per person: {:?}", out.clusters);
    }
}
