//! A return that is safe, with the country of origin (issue 17 item 5).
//!
//! A return is prepared on a case in steps: the risks on return ([`RawRisk`]), the family's
//! assessment ([`RawFamily`]), the person's informed and voluntary choice ([`RawChoice`]), the
//! journey plan ([`RawJourney`]) and, after arrival, the reintegration visits a partner in the
//! country of origin records ([`RawVisit`]).
//!
//! Two rules decide whether a return plan goes ahead:
//! - [`may_plan`]: only when the latest choice the person made is `return`, made voluntarily;
//! - [`non_refoulement`]: never to a country listed in one of the person's international
//!   protection needs, whoever would carry out the return.
//!
//! The reintegration visits measure sustainability as IOM's Reintegration Sustainability Survey
//! (RSS) does: answers to its items, grouped in its three dimensions (economic, social,
//! psychosocial), from which each dimension's score is computed ([`dimension_scores`]) — never
//! three scores typed in. Sources: IOM, *Reintegration Handbook* (2019), module 2.2.5 and
//! annex 4 (the survey and its scoring); Samuel Hall / IOM, *Setting Standards for an
//! Integrated Approach to Reintegration* (MEASURE project, 2017), which field-tested the
//! survey's indicators in the economic, social and psychosocial dimensions with a scoring
//! system. The items below follow that list; the wording is ours.
//!
//! Weights: the handbook's annex weighs each item within its dimension; those weights could not
//! be checked against the annex here, so every item weighs the same within its dimension. Each
//! answer is placed on a scale from 0 (least sustainable) to 1 (most), evenly spaced along its
//! ordered answers, and a dimension's score is the mean of its answered items (an item answered
//! `not_applicable` — no children of school age — is left out). [`ITEMS`] holds the weights as
//! data, so a deployment that adopts the annex's weights changes one table.

use super::calendar::{Day, date_field};
use super::protection::ProtectionNeed;
use crate::validate::{Problems, required_value, text};
use crate::vocab::vocabulary;
use crate::{Country, ErrorCode};

vocabulary! {
    /// A risk the person would face on return.
    ReturnRisk {
        ReTrafficking => "re_trafficking",
        RetaliationByTraffickers => "retaliation_by_traffickers",
        DebtBondage => "debt_bondage",
        StigmaRejection => "stigma_rejection",
        Persecution => "persecution",
        LackOfLivelihood => "lack_of_livelihood",
        Health => "health",
        Other => "other",
    }
}

vocabulary! {
    /// Whether the family is willing and able to receive the person.
    FamilyWilling {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
    }
}

vocabulary! {
    /// What the person chose.
    ReturnChoice {
        Return => "return",
        Stay => "stay",
        Undecided => "undecided",
    }
}

vocabulary! {
    /// Where the travel documents asked of the consulate stand.
    DocumentStatus {
        Requested => "requested",
        Issued => "issued",
        Refused => "refused",
    }
}

vocabulary! {
    /// The reintegration visits after arrival.
    VisitMonth {
        ThreeMonths => "three_months",
        SixMonths => "six_months",
        TwelveMonths => "twelve_months",
    }
}

vocabulary! {
    /// The survey's three dimensions of reintegration.
    Dimension {
        Economic => "economic",
        Social => "social",
        Psychosocial => "psychosocial",
    }
}

impl VisitMonth {
    /// Months after arrival.
    pub fn months(self) -> i64 {
        match self {
            VisitMonth::ThreeMonths => 3,
            VisitMonth::SixMonths => 6,
            VisitMonth::TwelveMonths => 12,
        }
    }

    /// When the visit is due, counted from the arrival date.
    pub fn due_on(self, arrival: Day) -> Day {
        arrival.plus_months(self.months())
    }
}

/// Longest note, in characters.
pub const NOTE_MAX: usize = 4_000;

/// One item of the survey: its key, its dimension, its answers in order from least to most
/// sustainable (an answer outside the order, such as `not_applicable`, is in `excluded`), and
/// its weight within the dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub key: &'static str,
    pub dimension: Dimension,
    pub answers: &'static [&'static str],
    pub excluded: &'static [&'static str],
    pub weight: f64,
}

const SATISFACTION: &[&str] = &[
    "very_dissatisfied",
    "dissatisfied",
    "neutral",
    "satisfied",
    "very_satisfied",
];
/// How often something harmful happens: never is best.
const HARM_FREQUENCY: &[&str] = &["very_often", "often", "sometimes", "rarely", "never"];
/// How often something good happens: very often is best.
const GOOD_FREQUENCY: &[&str] = &["never", "rarely", "sometimes", "often", "very_often"];
const QUALITY: &[&str] = &["very_poor", "poor", "fair", "good", "very_good"];
const YES_GOOD: &[&str] = &["no", "yes"];
const YES_BAD: &[&str] = &["yes", "no"];
const NOT_APPLICABLE: &[&str] = &["not_applicable"];

const fn item(key: &'static str, dimension: Dimension, answers: &'static [&'static str]) -> Item {
    Item {
        key,
        dimension,
        answers,
        excluded: &[],
        weight: 1.0,
    }
}

/// The survey's items, in the order it asks them.
pub const ITEMS: &[Item] = &[
    item("economic_satisfaction", Dimension::Economic, SATISFACTION),
    item("food_insecurity", Dimension::Economic, HARM_FREQUENCY),
    item("able_to_borrow", Dimension::Economic, YES_GOOD),
    item("borrowing_frequency", Dimension::Economic, HARM_FREQUENCY),
    item("working", Dimension::Economic, YES_GOOD),
    item("productive_assets", Dimension::Economic, YES_GOOD),
    item("looking_for_work", Dimension::Economic, YES_BAD),
    item("housing_access", Dimension::Social, QUALITY),
    item("housing_standard", Dimension::Social, QUALITY),
    Item {
        key: "children_in_school",
        dimension: Dimension::Social,
        answers: YES_GOOD,
        excluded: NOT_APPLICABLE,
        weight: 1.0,
    },
    item("justice_access", Dimension::Social, QUALITY),
    item("documentation", Dimension::Social, YES_GOOD),
    item("drinking_water", Dimension::Social, QUALITY),
    item("health_care_access", Dimension::Social, QUALITY),
    item("health_care_quality", Dimension::Social, QUALITY),
    item("social_activities", Dimension::Psychosocial, GOOD_FREQUENCY),
    item("support_network", Dimension::Psychosocial, QUALITY),
    item("discrimination", Dimension::Psychosocial, HARM_FREQUENCY),
    item("physical_safety", Dimension::Psychosocial, GOOD_FREQUENCY),
    item("signs_of_distress", Dimension::Psychosocial, HARM_FREQUENCY),
    item("able_to_stay", Dimension::Psychosocial, YES_GOOD),
    item(
        "wants_psychological_support",
        Dimension::Psychosocial,
        YES_BAD,
    ),
];

/// The item named `key`.
pub fn item_named(key: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.key == key)
}

impl Item {
    /// The answer's place on the scale, 0 (least sustainable) to 1; `None` for an excluded
    /// answer or one the item does not allow.
    pub fn score(&self, answer: &str) -> Option<f64> {
        let pos = self.answers.iter().position(|a| *a == answer)?;
        let steps = self.answers.len().saturating_sub(1).max(1);
        Some(pos as f64 / steps as f64)
    }

    /// Whether the item allows this answer.
    pub fn allows(&self, answer: &str) -> bool {
        self.answers.contains(&answer) || self.excluded.contains(&answer)
    }
}

/// A dimension's computed score, 0 to 1, and how many items went into it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DimensionScore {
    pub dimension: Dimension,
    /// `None` when no item of the dimension was scored.
    pub score: Option<f64>,
    pub items: usize,
}

/// Each dimension's score from a visit's answers: the weighted mean of its scored items.
pub fn dimension_scores(answers: &[(String, String)]) -> Vec<DimensionScore> {
    Dimension::ALL
        .iter()
        .map(|&d| {
            let mut sum = 0.0;
            let mut weights = 0.0;
            let mut n = 0;
            for (k, a) in answers {
                if let Some(i) = item_named(k).filter(|i| i.dimension == d)
                    && let Some(s) = i.score(a)
                {
                    sum += s * i.weight;
                    weights += i.weight;
                    n += 1;
                }
            }
            DimensionScore {
                dimension: d,
                score: (weights > 0.0).then(|| sum / weights),
                items: n,
            }
        })
        .collect()
}

fn vocab<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: String,
) -> Option<T> {
    required_value(p, field, value, parse, || {
        format!("{field} must be one of {allowed}")
    })
}

fn incomplete() -> Problems {
    let mut p = Problems::default();
    p.add("", ErrorCode::InvalidValue, "incomplete");
    p
}

/// A risk on return as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawRisk {
    pub risk: String,
    pub note: String,
}

/// A validated risk; the note is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRisk {
    pub risk: ReturnRisk,
    pub note: Option<String>,
}

impl RawRisk {
    pub fn validate(self) -> Result<NewRisk, Problems> {
        let mut p = Problems::default();
        let risk = vocab(
            &mut p,
            "risk",
            &self.risk,
            ReturnRisk::parse,
            ReturnRisk::allowed(),
        );
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        risk.map(|risk| NewRisk { risk, note })
            .ok_or_else(incomplete)
    }
}

/// The family assessment as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawFamily {
    pub willing: String,
    pub note: String,
}

/// A validated family assessment; the note is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFamily {
    pub willing: FamilyWilling,
    pub note: Option<String>,
}

impl RawFamily {
    pub fn validate(self) -> Result<NewFamily, Problems> {
        let mut p = Problems::default();
        let willing = vocab(
            &mut p,
            "willing",
            &self.willing,
            FamilyWilling::parse,
            FamilyWilling::allowed(),
        );
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        willing
            .map(|willing| NewFamily { willing, note })
            .ok_or_else(incomplete)
    }
}

/// The person's choice as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawChoice {
    /// The language the person was informed in: one of the person's languages (checked by the
    /// store, which knows them).
    pub language: String,
    pub informed_on: String,
    pub interpreter: bool,
    pub choice: String,
    pub voluntary: bool,
    pub own_words: String,
}

/// A validated choice; the person's own words are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChoice {
    pub language: String,
    pub informed_on: Day,
    pub interpreter: bool,
    pub choice: ReturnChoice,
    pub voluntary: bool,
    pub own_words: Option<String>,
}

fn language_code(p: &mut Problems, value: &str) -> Option<String> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        p.add("language", ErrorCode::Required, "language is required");
        return None;
    }
    if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase()) {
        Some(v)
    } else {
        p.add(
            "language",
            ErrorCode::InvalidValue,
            "language must be a language code (ISO 639)",
        );
        None
    }
}

impl RawChoice {
    pub fn validate(self) -> Result<NewChoice, Problems> {
        let mut p = Problems::default();
        let language = language_code(&mut p, &self.language);
        let informed_on = date_field(&mut p, "informed_on", &self.informed_on, true).flatten();
        let choice = vocab(
            &mut p,
            "choice",
            &self.choice,
            ReturnChoice::parse,
            ReturnChoice::allowed(),
        );
        let own_words = text(&mut p, "own_words", &self.own_words, false, NOTE_MAX);
        p.finish(())?;
        match (language, informed_on, choice) {
            (Some(language), Some(informed_on), Some(choice)) => Ok(NewChoice {
                language,
                informed_on,
                interpreter: self.interpreter,
                choice,
                voluntary: self.voluntary,
                own_words,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// Whether the person was informed in one of their own languages.
pub fn informed_in_own_language(language: &str, languages: &[String]) -> bool {
    languages.iter().any(|l| l.eq_ignore_ascii_case(language))
}

/// A choice as the rule reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceFacts {
    pub choice: ReturnChoice,
    pub voluntary: bool,
}

/// The first rule: a return plan goes ahead only when the latest choice recorded is `return`,
/// made voluntarily. No choice, a choice to stay, an undecided one, or one not voluntary all
/// refuse it with `return_not_chosen`.
pub fn may_plan(latest: Option<ChoiceFacts>) -> Result<(), ErrorCode> {
    match latest {
        Some(ChoiceFacts {
            choice: ReturnChoice::Return,
            voluntary: true,
        }) => Ok(()),
        _ => Err(ErrorCode::ReturnNotChosen),
    }
}

/// The second rule, non-refoulement: a return to a country any of the person's protection
/// needs lists is refused (`non_refoulement`), whoever would carry it out. Returns the
/// country refused.
pub fn non_refoulement(needs: &[ProtectionNeed], country: Country) -> Result<(), Country> {
    if needs.iter().any(|n| n.countries.contains(&country)) {
        Err(country)
    } else {
        Ok(())
    }
}

/// The journey plan as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawJourney {
    pub country: String,
    pub departure_on: String,
    pub legs: String,
    pub escort: bool,
    pub reception: String,
    pub arrival_on: String,
}

/// A validated journey plan; the route legs and the reception on arrival are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJourney {
    pub country: Country,
    pub departure_on: Day,
    pub legs: Option<String>,
    pub escort: bool,
    pub reception: Option<String>,
    pub arrival_on: Day,
}

impl RawJourney {
    /// Arrival must not come before departure.
    pub fn validate(self) -> Result<NewJourney, Problems> {
        let mut p = Problems::default();
        let country = match Country::parse(self.country.trim()) {
            Some(c) => Some(c),
            None => {
                if self.country.trim().is_empty() {
                    p.add("country", ErrorCode::Required, "country is required");
                } else {
                    p.add(
                        "country",
                        ErrorCode::InvalidCountry,
                        "country must be an ISO 3166 country code",
                    );
                }
                None
            }
        };
        let departure = date_field(&mut p, "departure_on", &self.departure_on, true).flatten();
        let legs = text(&mut p, "legs", &self.legs, false, NOTE_MAX);
        let reception = text(&mut p, "reception", &self.reception, false, NOTE_MAX);
        let arrival = date_field(&mut p, "arrival_on", &self.arrival_on, true).flatten();
        if let (Some(d), Some(a)) = (departure, arrival)
            && a < d
        {
            p.add(
                "arrival_on",
                ErrorCode::InvalidValue,
                "arrival_on must not be before departure_on",
            );
        }
        p.finish(())?;
        match (country, departure, arrival) {
            (Some(country), Some(departure_on), Some(arrival_on)) => Ok(NewJourney {
                country,
                departure_on,
                legs,
                escort: self.escort,
                reception,
                arrival_on,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// The document status as submitted.
pub fn document_status(value: &str) -> Result<DocumentStatus, Problems> {
    let mut p = Problems::default();
    let s = vocab(
        &mut p,
        "status",
        value,
        DocumentStatus::parse,
        DocumentStatus::allowed(),
    );
    p.finish(())?;
    s.ok_or_else(incomplete)
}

/// A reintegration visit as submitted: which visit, when, every item's answer, a note.
#[derive(Debug, Clone, Default)]
pub struct RawVisit {
    pub month: String,
    pub visited_on: String,
    pub answers: Vec<(String, String)>,
    pub note: String,
}

/// A validated visit: every item of the survey answered once, in the survey's order. The
/// answers and the note are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub month: VisitMonth,
    pub visited_on: Day,
    pub answers: Vec<(String, String)>,
    pub note: Option<String>,
}

impl RawVisit {
    /// Each item must be answered with one of its answers; an answer to an item the survey
    /// lacks is refused (`unknown_indicator`), each on the item's own field
    /// (`answers.<item>`).
    pub fn validate(self) -> Result<NewVisit, Problems> {
        let mut p = Problems::default();
        let month = vocab(
            &mut p,
            "month",
            &self.month,
            VisitMonth::parse,
            VisitMonth::allowed(),
        );
        let visited_on = date_field(&mut p, "visited_on", &self.visited_on, true).flatten();
        for (k, _) in &self.answers {
            if item_named(k.trim()).is_none() {
                p.add(
                    &format!("answers.{}", k.trim()),
                    ErrorCode::UnknownIndicator,
                    "the survey has no such item",
                );
            }
        }
        let mut answers = Vec::with_capacity(ITEMS.len());
        for i in ITEMS {
            let field = format!("answers.{}", i.key);
            let given = self
                .answers
                .iter()
                .rev()
                .find(|(k, _)| k.trim() == i.key)
                .map(|(_, a)| a.trim());
            match given {
                None | Some("") => {
                    p.add(&field, ErrorCode::Required, format!("{field} is required"))
                }
                Some(a) if i.allows(a) => answers.push((i.key.to_string(), a.to_string())),
                Some(_) => {
                    let mut allowed: Vec<&str> = i.answers.to_vec();
                    allowed.extend_from_slice(i.excluded);
                    p.add(
                        &field,
                        ErrorCode::InvalidAnswer,
                        format!("{field} must be one of {}", allowed.join(", ")),
                    )
                }
            }
        }
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        match (month, visited_on) {
            (Some(month), Some(visited_on)) => Ok(NewVisit {
                month,
                visited_on,
                answers,
                note,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// Answers as stored (sealed): `item=answer` lines.
pub fn encode_answers(answers: &[(String, String)]) -> String {
    answers
        .iter()
        .map(|(k, a)| format!("{k}={a}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The inverse of [`encode_answers`]; `None` if a line is not `item=answer`.
pub fn decode_answers(text: &str) -> Option<Vec<(String, String)>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split_once('=')
                .map(|(k, a)| (k.to_string(), a.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
}
