use super::*;
use crate::casework::protection::ProtectionKind;
use proptest::prelude::*;

fn fields(e: &Problems) -> Vec<&str> {
    e.0.iter().map(|f| f.field.as_str()).collect()
}

fn c(code: &str) -> Country {
    Country::parse(code).expect("country")
}

fn all_best() -> Vec<(String, String)> {
    ITEMS
        .iter()
        .map(|i| {
            let best = i.answers.last().copied().unwrap_or_default();
            (i.key.to_string(), best.to_string())
        })
        .collect()
}

#[test]
fn the_survey_has_its_three_dimensions_and_every_scale_is_ordered() {
    for d in Dimension::ALL {
        assert!(ITEMS.iter().filter(|i| i.dimension == *d).count() >= 7);
    }
    for i in ITEMS {
        assert_eq!(i.score(i.answers[0]), Some(0.0), "{}", i.key);
        assert_eq!(i.score(i.answers[i.answers.len() - 1]), Some(1.0));
        assert!(i.weight > 0.0);
    }
    let keys: std::collections::BTreeSet<_> = ITEMS.iter().map(|i| i.key).collect();
    assert_eq!(keys.len(), ITEMS.len(), "keys are unique");
}

#[test]
fn scores_are_computed_per_dimension_from_the_answers() {
    let s = dimension_scores(&all_best());
    assert!(s.iter().all(|d| d.score == Some(1.0)));
    let mut answers = all_best();
    for (k, a) in answers.iter_mut() {
        if item_named(k).is_some_and(|i| i.dimension == Dimension::Economic) {
            *a = item_named(k)
                .map(|i| i.answers[0])
                .unwrap_or_default()
                .into();
        }
    }
    let s = dimension_scores(&answers);
    assert_eq!(s[0].dimension, Dimension::Economic);
    assert_eq!(s[0].score, Some(0.0));
    assert_eq!(s[1].score, Some(1.0));
    // Not applicable is left out, not counted as the worst answer.
    for (k, a) in answers.iter_mut() {
        if k == "children_in_school" {
            *a = "not_applicable".into();
        }
    }
    let s = dimension_scores(&answers);
    assert_eq!(s[1].score, Some(1.0));
    assert_eq!(s[1].items, 7);
}

#[test]
fn a_visit_needs_every_item_answered_from_its_scale() {
    let v = RawVisit {
        month: "three_months".into(),
        visited_on: "2026-09-01".into(),
        answers: all_best(),
        note: String::new(),
    }
    .validate()
    .expect("valid");
    assert_eq!(v.answers.len(), ITEMS.len());
    let mut answers = all_best();
    answers.retain(|(k, _)| k != "working");
    answers.push(("food_insecurity".into(), "always".into()));
    answers.push(("favourite_colour".into(), "blue".into()));
    let e = RawVisit {
        month: "four_months".into(),
        visited_on: "2026-09-01".into(),
        answers,
        note: String::new(),
    }
    .validate()
    .expect_err("bad");
    assert_eq!(
        fields(&e),
        vec![
            "month",
            "answers.favourite_colour",
            "answers.food_insecurity",
            "answers.working"
        ]
    );
    assert_eq!(e.0[2].code, ErrorCode::InvalidAnswer);
    assert_eq!(e.0[1].code, ErrorCode::UnknownIndicator);
}

#[test]
fn answers_round_trip() {
    let a = all_best();
    assert_eq!(decode_answers(&encode_answers(&a)), Some(a));
}

#[test]
fn visits_fall_due_three_six_and_twelve_months_after_arrival() {
    let arrival = Day::parse("2026-01-31").expect("day");
    assert_eq!(
        VisitMonth::ThreeMonths.due_on(arrival).to_string(),
        "2026-04-30"
    );
    assert_eq!(
        VisitMonth::SixMonths.due_on(arrival).to_string(),
        "2026-07-31"
    );
    assert_eq!(
        VisitMonth::TwelveMonths.due_on(arrival).to_string(),
        "2027-01-31"
    );
}

#[test]
fn a_plan_needs_a_voluntary_choice_to_return() {
    assert_eq!(may_plan(None), Err(ErrorCode::ReturnNotChosen));
    for choice in ReturnChoice::ALL {
        for voluntary in [true, false] {
            let ok = may_plan(Some(ChoiceFacts {
                choice: *choice,
                voluntary,
            }))
            .is_ok();
            assert_eq!(ok, *choice == ReturnChoice::Return && voluntary);
        }
    }
}

#[test]
fn choices_and_journeys_are_checked() {
    let e = RawChoice::default().validate().expect_err("empty");
    assert_eq!(fields(&e), vec!["language", "informed_on", "choice"]);
    let ch = RawChoice {
        language: "TI".into(),
        informed_on: "2026-10-01".into(),
        interpreter: true,
        choice: "return".into(),
        voluntary: true,
        own_words: "I want to go home to my mother.".into(),
    }
    .validate()
    .expect("valid");
    assert_eq!(ch.language, "ti");
    assert!(informed_in_own_language("ti", &["en".into(), "ti".into()]));
    assert!(!informed_in_own_language("fr", &["ti".into()]));
    let e = RawJourney {
        country: "XX1".into(),
        departure_on: "2026-10-10".into(),
        arrival_on: "2026-10-09".into(),
        ..RawJourney::default()
    }
    .validate()
    .expect_err("bad");
    assert_eq!(fields(&e), vec!["country", "arrival_on"]);
    let e = RawRisk::default().validate().expect_err("empty");
    assert_eq!(fields(&e), vec!["risk"]);
    let e = RawFamily {
        willing: "maybe".into(),
        note: String::new(),
    }
    .validate()
    .expect_err("bad");
    assert_eq!(fields(&e), vec!["willing"]);
    assert!(document_status("lost").is_err());
    assert_eq!(document_status("issued").ok(), Some(DocumentStatus::Issued));
}

fn any_country() -> impl Strategy<Value = Country> {
    prop::sample::select(vec!["ER", "ET", "SD", "NG", "VN", "PH", "FR", "IT", "MA"])
        .prop_map(|s| Country::parse(s).expect("country"))
}

proptest! {
    #[test]
    fn non_refoulement_refuses_exactly_the_listed_countries(
        listed in prop::collection::vec(prop::collection::vec(any_country(), 0..3), 0..3),
        to in any_country(),
    ) {
        let needs: Vec<ProtectionNeed> = listed
            .iter()
            .map(|cs| ProtectionNeed { kind: ProtectionKind::FearOfReturn, countries: cs.clone() })
            .collect();
        let fled = listed.iter().flatten().any(|x| *x == to);
        let r = non_refoulement(&needs, to);
        prop_assert_eq!(r.is_err(), fled);
        if let Err(country) = r { prop_assert_eq!(country, to); }
        // No need, no refusal; a need for another country only, no refusal.
        prop_assert!(non_refoulement(&[], to).is_ok());
        let other = if to == c("FR") { c("IT") } else { c("FR") };
        let elsewhere = [ProtectionNeed { kind: ProtectionKind::Refugee, countries: vec![other] }];
        prop_assert!(non_refoulement(&elsewhere, to).is_ok());
    }

    #[test]
    fn scores_stay_between_zero_and_one(picks in prop::collection::vec(0usize..6, ITEMS.len())) {
        let answers: Vec<(String, String)> = ITEMS
            .iter()
            .zip(picks)
            .map(|(i, p)| (i.key.to_string(), i.answers[p % i.answers.len()].to_string()))
            .collect();
        for d in dimension_scores(&answers) {
            let s = d.score.expect("scored");
            prop_assert!((0.0..=1.0).contains(&s));
        }
    }
}
