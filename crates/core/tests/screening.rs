//! Screening rules: the dimension rule row by row, the overall rule, monotonicity, the
//! could-change list against brute force, and instrument validation.

use std::collections::BTreeMap;

use passage_core::screening::{
    Answer, Conclusion, Dimension, Exploitation, Indicator, Instrument, Localised, Population,
    Rule, Strength, builtin, dimension_positive, evaluate,
};
use proptest::prelude::*;

fn text(s: &str) -> Localised {
    Localised {
        en: s.into(),
        fr: s.into(),
        es: s.into(),
        ar: s.into(),
    }
}

fn instrument(
    dims: usize,
    groups: Vec<Vec<usize>>,
    indicators: Vec<(usize, Strength)>,
) -> Instrument {
    Instrument {
        id: "test".into(),
        version: "1".into(),
        population: Population::Adult,
        exploitation: Exploitation::Labour,
        source: "test".into(),
        title: text("Test"),
        ceiling: Conclusion::PresumedTrafficking,
        type_of_exploitation: vec!["ForcedLabour".into()],
        rule: Rule {
            groups: groups
                .into_iter()
                .map(|g| g.into_iter().map(|d| format!("d{d}")).collect())
                .collect(),
            exploitation_dimensions: vec!["d0".into()],
        },
        dimensions: (0..dims)
            .map(|d| Dimension {
                id: format!("d{d}"),
                title: text("D"),
            })
            .collect(),
        indicators: indicators
            .into_iter()
            .enumerate()
            .map(|(n, (d, strength))| Indicator {
                id: format!("i{n}"),
                dimension: format!("d{d}"),
                strength,
                question: text("Q?"),
                guidance: text("G"),
                methods_of_control: if n % 2 == 0 {
                    vec!["DebtBondage".into()]
                } else {
                    vec![]
                },
                type_of_exploitation: vec![],
            })
            .collect(),
    }
}

fn answers(pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn the_dimension_rule_row_by_row() {
    // (strong, medium, weak) → positive, per the ILO/EC 2009 rule as commonly cited.
    let table = [
        ((0, 0, 0), false),
        ((1, 0, 0), false),
        ((0, 1, 0), false),
        ((0, 0, 1), false),
        ((0, 0, 5), false),
        ((0, 1, 1), false),
        ((0, 1, 4), false),
        ((0, 2, 0), false),
        ((2, 0, 0), true),
        ((1, 1, 0), true),
        ((1, 0, 1), true),
        ((0, 3, 0), true),
        ((0, 2, 1), true),
        ((3, 3, 3), true),
    ];
    for ((s, m, w), expected) in table {
        assert_eq!(
            dimension_positive(s, m, w).is_some(),
            expected,
            "{s} strong, {m} medium, {w} weak"
        );
    }
    assert_eq!(dimension_positive(2, 0, 0), Some("two_strong"));
    assert_eq!(dimension_positive(1, 0, 1), Some("strong_and_other"));
    assert_eq!(dimension_positive(0, 3, 0), Some("three_medium"));
    assert_eq!(dimension_positive(0, 2, 1), Some("two_medium_one_weak"));
}

/// Three groups (recruitment d0|d1, exploitation d2, coercion d3), two strong indicators each.
fn adult() -> Instrument {
    instrument(
        4,
        vec![vec![0, 1], vec![2], vec![3]],
        (0..4)
            .flat_map(|d| [(d, Strength::Strong), (d, Strength::Strong)])
            .collect(),
    )
}

#[test]
fn the_overall_rule_row_by_row() {
    let i = adult();
    let yes = |ids: &[&str]| {
        let a: Vec<(&str, Answer)> = i
            .indicators
            .iter()
            .map(|x| {
                (
                    x.id.as_str(),
                    if ids.contains(&x.id.as_str()) {
                        Answer::Yes
                    } else {
                        Answer::No
                    },
                )
            })
            .collect();
        evaluate(&i, &answers(&a)).unwrap().conclusion
    };
    // d0 = i0,i1; d1 = i2,i3; d2 = i4,i5; d3 = i6,i7.
    assert_eq!(
        yes(&["i0", "i1", "i4", "i5", "i6", "i7"]),
        Conclusion::PresumedTrafficking
    );
    assert_eq!(
        yes(&["i2", "i3", "i4", "i5", "i6", "i7"]),
        Conclusion::PresumedTrafficking
    );
    assert_eq!(
        yes(&["i0", "i1", "i4", "i5"]),
        Conclusion::IndicatorsPresent,
        "no coercion"
    );
    assert_eq!(
        yes(&["i4", "i5", "i6", "i7"]),
        Conclusion::IndicatorsPresent,
        "no recruitment"
    );
    assert_eq!(
        yes(&["i0", "i1", "i6", "i7"]),
        Conclusion::IndicatorsPresent,
        "no exploitation"
    );
    assert_eq!(
        yes(&["i0", "i4", "i6"]),
        Conclusion::IndicatorsPresent,
        "one strong each"
    );
    assert_eq!(yes(&[]), Conclusion::NoIndicators, "every answer no");
    // Nothing answered: it could be anything.
    assert_eq!(
        evaluate(&i, &BTreeMap::new()).unwrap().conclusion,
        Conclusion::InsufficientInformation
    );
}

#[test]
fn children_need_no_means_of_coercion() {
    let mut i = adult();
    i.population = Population::Child;
    i.rule.groups = vec![vec!["d0".into(), "d1".into()], vec!["d2".into()]];
    let a = answers(&[
        ("i0", Answer::Yes),
        ("i1", Answer::Yes),
        ("i4", Answer::Yes),
        ("i5", Answer::Yes),
    ]);
    let e = evaluate(&i, &a).unwrap();
    assert_eq!(e.conclusion, Conclusion::PresumedTrafficking);
    assert_eq!(e.dimensions[0].because, vec!["i0", "i1"]);
    assert_eq!(e.dimensions[0].rule.as_deref(), Some("two_strong"));
    assert!(!e.dimensions[3].positive);
}

#[test]
fn the_result_explains_itself() {
    let i = adult();
    let a = answers(&[
        ("i0", Answer::Yes),
        ("i1", Answer::Yes),
        ("i4", Answer::Yes),
        ("i5", Answer::Yes),
        ("i6", Answer::Yes),
        ("i7", Answer::Declined),
    ]);
    let e = evaluate(&i, &a).unwrap();
    assert_eq!(e.conclusion, Conclusion::IndicatorsPresent);
    let d3 = &e.dimensions[3];
    assert!(!d3.positive);
    assert!(d3.because.is_empty());
    assert_eq!(d3.present, vec!["i6"]);
    // i7 (declined) would tip coercion and with it the rule; d1's open indicators would not.
    assert_eq!(e.could_change, vec!["i7"]);
    assert_eq!(e.methods_of_control, vec!["DebtBondage"]);
    assert_eq!(e.type_of_exploitation, vec!["ForcedLabour"]);
    assert_eq!(
        e.groups.iter().map(|g| g.met).collect::<Vec<_>>(),
        vec![true, true, false]
    );
    assert_eq!((e.answered, e.total), (5, 8));
}

#[test]
fn an_unknown_indicator_is_refused() {
    let err = evaluate(&adult(), &answers(&[("nope", Answer::Yes)])).unwrap_err();
    assert!(err.to_string().contains("nope"));
}

#[test]
fn a_ceiling_caps_the_conclusion() {
    let mut i = adult();
    i.ceiling = Conclusion::IndicatorsPresent;
    let all: Vec<(String, Answer)> = i
        .indicators
        .iter()
        .map(|x| (x.id.clone(), Answer::Yes))
        .collect();
    let e = evaluate(&i, &all.into_iter().collect()).unwrap();
    assert_eq!(e.conclusion, Conclusion::IndicatorsPresent);
    assert!(e.capped);
    assert!(e.could_change.is_empty());
}

fn arb_case() -> impl Strategy<Value = (Instrument, BTreeMap<String, Answer>)> {
    (2usize..=4)
        .prop_flat_map(|dims| {
            let groups =
                prop::collection::vec(prop::collection::btree_set(0..dims, 1..=dims), 1..=3);
            let strength = prop_oneof![
                Just(Strength::Strong),
                Just(Strength::Medium),
                Just(Strength::Weak)
            ];
            let indicators = prop::collection::vec((0..dims, strength), 1..=9);
            (Just(dims), groups, indicators)
        })
        .prop_flat_map(|(dims, groups, indicators)| {
            let n = indicators.len();
            let i = instrument(
                dims,
                groups
                    .into_iter()
                    .map(|g| g.into_iter().collect())
                    .collect(),
                indicators,
            );
            let answer = prop_oneof![
                Just(None),
                Just(Some(Answer::Yes)),
                Just(Some(Answer::No)),
                Just(Some(Answer::Unknown)),
                Just(Some(Answer::Declined)),
            ];
            (Just(i), prop::collection::vec(answer, n))
        })
        .prop_map(|(i, a)| {
            let answers = i
                .indicators
                .iter()
                .zip(a)
                .filter_map(|(x, a)| a.map(|a| (x.id.clone(), a)))
                .collect();
            (i, answers)
        })
}

proptest! {
    #[test]
    fn one_more_yes_never_lowers_anything((i, a) in arb_case(), pick in 0usize..9) {
        let before = evaluate(&i, &a).unwrap();
        let id = i.indicators[pick % i.indicators.len()].id.clone();
        let mut more = a.clone();
        more.insert(id, Answer::Yes);
        let after = evaluate(&i, &more).unwrap();
        prop_assert!(after.conclusion >= before.conclusion);
        for (b, x) in before.dimensions.iter().zip(&after.dimensions) {
            prop_assert!(!b.positive || x.positive, "dimension {} turned negative", b.id);
        }
    }

    #[test]
    fn could_change_is_exactly_what_could_change((i, a) in arb_case()) {
        let e = evaluate(&i, &a).unwrap();
        let open: Vec<String> = i
            .indicators
            .iter()
            .filter(|x| !matches!(a.get(&x.id), Some(Answer::Yes | Answer::No)))
            .map(|x| x.id.clone())
            .collect();
        let mut expected = Vec::new();
        for u in &open {
            let others: Vec<&String> = open.iter().filter(|o| *o != u).collect();
            let differs = (0u32..1 << others.len()).any(|mask| {
                let mut full = a.clone();
                for (bit, o) in others.iter().enumerate() {
                    let v = if mask & (1 << bit) != 0 { Answer::Yes } else { Answer::No };
                    full.insert((*o).clone(), v);
                }
                let mut y = full.clone();
                y.insert(u.clone(), Answer::Yes);
                full.insert(u.clone(), Answer::No);
                evaluate(&i, &y).unwrap().conclusion != evaluate(&i, &full).unwrap().conclusion
            });
            if differs {
                expected.push(u.clone());
            }
        }
        prop_assert_eq!(e.could_change, expected);
    }

    #[test]
    fn a_positive_dimension_names_the_yes_answers_that_made_it((i, a) in arb_case()) {
        let e = evaluate(&i, &a).unwrap();
        for d in &e.dimensions {
            prop_assert_eq!(d.positive, !d.because.is_empty());
            for id in &d.because {
                prop_assert_eq!(a.get(id), Some(&Answer::Yes));
            }
        }
    }
}

fn adult_file() -> String {
    r#"
id = "t"
version = "1"
population = "adult"
exploitation = "labour"
source = "test"
title = { en = "T", fr = "T", es = "T", ar = "T" }
[rule]
groups = [["deceptive_recruitment"]]
[[dimensions]]
id = "deceptive_recruitment"
title = { en = "D", fr = "D", es = "D", ar = "D" }
[[indicators]]
id = "a"
dimension = "deceptive_recruitment"
strength = "strong"
question = { en = "Q", fr = "Q", es = "Q", ar = "Q" }
guidance = { en = "G", fr = "G", es = "G", ar = "G" }
"#
    .to_string()
}

#[test]
fn instruments_are_validated_when_loaded() {
    assert!(Instrument::from_toml("t.toml", &adult_file()).is_ok());
    let unknown_dimension = adult_file().replacen(
        "dimension = \"deceptive_recruitment\"",
        "dimension = \"coercion\"",
        1,
    );
    let err = Instrument::from_toml("t.toml", &unknown_dimension)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.toml") && err.contains("unknown dimension `coercion`"),
        "{err}"
    );
    let duplicate = format!(
        "{}{}",
        adult_file(),
        &adult_file()[adult_file().find("[[indicators]]").unwrap()..]
    );
    let err = Instrument::from_toml("t.toml", &duplicate)
        .unwrap_err()
        .to_string();
    assert!(err.contains("duplicate indicator id `a`"), "{err}");
    let not_ilo = adult_file().replace("deceptive_recruitment", "recruitment");
    let err = Instrument::from_toml("t.toml", &not_ilo)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown dimension `recruitment`"), "{err}");
    let no_arabic = adult_file().replacen("ar = \"Q\"", "ar = \"\"", 1);
    let err = Instrument::from_toml("t.toml", &no_arabic)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no `ar` question"), "{err}");
    let bad_htcds = adult_file().replace(
        "strength = \"strong\"",
        "strength = \"strong\"\nmethods_of_control = [\"Shouting\"]",
    );
    let err = Instrument::from_toml("t.toml", &bad_htcds)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Shouting"), "{err}");
    let bad_strength = adult_file().replace("\"strong\"", "\"very\"");
    assert!(
        Instrument::from_toml("t.toml", &bad_strength)
            .unwrap_err()
            .to_string()
            .contains("t.toml")
    );
}

#[test]
fn the_shipped_instruments_load_and_follow_the_ilo_rules() {
    let catalogue = builtin().expect("the shipped instruments are valid");
    let ids: Vec<&str> = catalogue.all().map(|i| i.id.as_str()).collect();
    for id in [
        "ilo_adult_labour",
        "ilo_adult_sexual",
        "ilo_child_labour",
        "ilo_child_sexual",
        "ilo_forced_labour",
        "hotline_red_flags",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    let forced = catalogue.get("ilo_forced_labour").unwrap();
    assert_eq!(
        forced.indicators.len(),
        11,
        "the eleven ILO forced-labour indicators"
    );
    let hotline = catalogue.get("hotline_red_flags").unwrap();
    assert!((5..=7).contains(&hotline.indicators.len()));
    assert_eq!(hotline.ceiling, Conclusion::IndicatorsPresent);
    for i in catalogue.all() {
        let groups = i.rule.groups.len();
        match i.population {
            Population::Adult if i.exploitation != Exploitation::ForcedLabour => {
                assert_eq!(groups, 3, "{}", i.id)
            }
            Population::Child => assert_eq!(groups, 2, "{}: children need no coercion", i.id),
            _ => {}
        }
        // Every answer yes reaches the instrument's ceiling; every answer no finds nothing.
        let all = |a: Answer| i.indicators.iter().map(|x| (x.id.clone(), a)).collect();
        assert_eq!(
            evaluate(i, &all(Answer::Yes)).unwrap().conclusion,
            i.ceiling,
            "{}",
            i.id
        );
        assert_eq!(
            evaluate(i, &all(Answer::No)).unwrap().conclusion,
            Conclusion::NoIndicators,
            "{}",
            i.id
        );
    }
}

proptest! {
    /// The shipped instruments keep the properties too, on any answers.
    #[test]
    fn the_shipped_instruments_never_lower_on_one_more_yes(pick in 0usize..6, seed in prop::collection::vec(0u8..5, 66), flip in 0usize..66) {
        let catalogue = builtin().expect("valid");
        let i = catalogue.all().nth(pick).expect("six");
        let answers: BTreeMap<String, Answer> = i
            .indicators
            .iter()
            .zip(&seed)
            .filter_map(|(x, n)| {
                [Some(Answer::Yes), Some(Answer::No), Some(Answer::Unknown), Some(Answer::Declined), None][*n as usize]
                    .map(|a| (x.id.clone(), a))
            })
            .collect();
        let before = evaluate(i, &answers).unwrap();
        let mut more = answers.clone();
        more.insert(i.indicators[flip % i.indicators.len()].id.clone(), Answer::Yes);
        let after = evaluate(i, &more).unwrap();
        prop_assert!(after.conclusion >= before.conclusion, "{}", i.id);
        for (b, a) in before.dimensions.iter().zip(&after.dimensions) {
            prop_assert!(!b.positive || a.positive);
        }
        prop_assert!(after.conclusion <= i.ceiling);
    }
}
