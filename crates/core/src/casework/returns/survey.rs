//! The items of the reintegration sustainability survey, their scoring per dimension, and
//! answers as stored.

use super::Dimension;

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
