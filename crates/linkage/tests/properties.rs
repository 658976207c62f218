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
        // No cluster is larger than the cap, and the guard holds inside every cluster.
        let mut sizes = std::collections::HashMap::new();
        for c in &first.clusters {
            *sizes.entry(*c).or_insert(0usize) += 1;
        }
        prop_assert!(sizes.values().all(|&s| s <= settings.max_cluster));
    }
}
