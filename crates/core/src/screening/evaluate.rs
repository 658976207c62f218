//! Evaluation: from answers to a conclusion that explains itself.
//!
//! Dimension rule (ILO/EC 2009 as commonly cited): a dimension is positive with at least two
//! strong indicators answered yes, or one strong and one medium or weak, or three medium, or two
//! medium and one weak. Overall rule: every group of the instrument's rule has a positive
//! dimension (adults: recruitment, exploitation and coercion; children: recruitment and
//! exploitation). Then the conclusion is `presumed_trafficking`; otherwise `indicators_present`
//! when any indicator is answered yes; otherwise `insufficient_information` when the unanswered,
//! unknown or declined indicators could still make the rule met; otherwise `no_indicators`. An
//! instrument's ceiling caps the conclusion (a short hotline screen only raises a flag).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Answer, Conclusion, Instrument, Strength};

/// Why answers cannot be evaluated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScreeningError {
    #[error("these indicators are not in the instrument: {}", .0.join(", "))]
    UnknownIndicators(Vec<String>),
}

/// One dimension of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionResult {
    pub id: String,
    pub positive: bool,
    /// The indicators answered yes that made the dimension positive (empty when it is not).
    pub because: Vec<String>,
    /// Every indicator of the dimension answered yes, positive or not.
    pub present: Vec<String>,
    /// Which clause of the dimension rule holds: `two_strong`, `strong_and_other`,
    /// `three_medium` or `two_medium_one_weak`.
    pub rule: Option<String>,
}

/// One group of the overall rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupResult {
    pub dimensions: Vec<String>,
    /// Whether one of its dimensions is positive.
    pub met: bool,
}

/// A result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub conclusion: Conclusion,
    pub dimensions: Vec<DimensionResult>,
    /// Unanswered, unknown or declined indicators whose answer could still change the conclusion.
    pub could_change: Vec<String>,
    /// For each group of the overall rule: its dimensions and whether one is positive.
    pub groups: Vec<GroupResult>,
    /// Whether the instrument's ceiling lowered the conclusion the rule reached.
    pub capped: bool,
    /// HTCDS vic_MethodsOfControl values the yes answers evidence.
    pub methods_of_control: Vec<String>,
    /// HTCDS vic_TypeOfExploitation values the yes answers evidence.
    pub type_of_exploitation: Vec<String>,
    /// How many indicators were answered (yes or no), of how many.
    pub answered: usize,
    pub total: usize,
}

/// The dimension rule on counts of strong, medium and weak indicators answered yes; the clause
/// that holds, if any.
pub fn dimension_positive(strong: usize, medium: usize, weak: usize) -> Option<&'static str> {
    if strong >= 2 {
        Some("two_strong")
    } else if strong >= 1 && medium + weak >= 1 {
        Some("strong_and_other")
    } else if medium >= 3 {
        Some("three_medium")
    } else if medium >= 2 && weak >= 1 {
        Some("two_medium_one_weak")
    } else {
        None
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    s: usize,
    m: usize,
    w: usize,
}

impl Counts {
    fn add(&mut self, strength: Strength) {
        match strength {
            Strength::Strong => self.s += 1,
            Strength::Medium => self.m += 1,
            Strength::Weak => self.w += 1,
        }
    }
    fn plus(self, o: Counts) -> Counts {
        Counts {
            s: self.s + o.s,
            m: self.m + o.m,
            w: self.w + o.w,
        }
    }
    fn positive(self) -> bool {
        dimension_positive(self.s, self.m, self.w).is_some()
    }
}

/// Evaluates `answers` (indicator id → answer; a missing indicator counts as unknown).
pub fn evaluate(
    instrument: &Instrument,
    answers: &BTreeMap<String, Answer>,
) -> Result<Evaluation, ScreeningError> {
    let unknown: Vec<String> = answers
        .keys()
        .filter(|id| instrument.indicator(id).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ScreeningError::UnknownIndicators(unknown));
    }
    let answer = |id: &str| answers.get(id).copied().unwrap_or(Answer::Unknown);
    let open = |a: Answer| matches!(a, Answer::Unknown | Answer::Declined);

    // Yes and open counts per dimension.
    let mut yes: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut open_counts: BTreeMap<&str, Counts> = BTreeMap::new();
    for d in &instrument.dimensions {
        yes.insert(&d.id, Counts::default());
        open_counts.insert(&d.id, Counts::default());
    }
    let mut any_yes = false;
    let mut answered = 0;
    for i in &instrument.indicators {
        let a = answer(&i.id);
        if a == Answer::Yes {
            any_yes = true;
            yes.entry(&i.dimension).or_default().add(i.strength);
        } else if open(a) {
            open_counts.entry(&i.dimension).or_default().add(i.strength);
        }
        if matches!(a, Answer::Yes | Answer::No) {
            answered += 1;
        }
    }
    let positive: BTreeSet<&str> = yes
        .iter()
        .filter(|(_, c)| c.positive())
        .map(|(d, _)| *d)
        .collect();
    let reachable: BTreeSet<&str> = yes
        .iter()
        .filter(|(d, c)| c.plus(open_counts[*d]).positive())
        .map(|(d, _)| *d)
        .collect();
    let conclusion = conclude(instrument, &positive, any_yes, met(instrument, &reachable));
    let uncapped = raw(instrument, &positive, any_yes, met(instrument, &reachable));

    let dimensions = instrument
        .dimensions
        .iter()
        .map(|d| {
            let present: Vec<String> = instrument
                .indicators
                .iter()
                .filter(|i| i.dimension == d.id && answer(&i.id) == Answer::Yes)
                .map(|i| i.id.clone())
                .collect();
            let c = yes[d.id.as_str()];
            let rule = dimension_positive(c.s, c.m, c.w);
            DimensionResult {
                id: d.id.clone(),
                positive: rule.is_some(),
                because: if rule.is_some() {
                    present.clone()
                } else {
                    Vec::new()
                },
                present,
                rule: rule.map(str::to_string),
            }
        })
        .collect();

    let could_change = instrument
        .indicators
        .iter()
        .filter(|i| open(answer(&i.id)))
        .filter(|i| {
            matters(
                instrument,
                i.dimension.as_str(),
                i.strength,
                &yes,
                &open_counts,
                any_yes,
            )
        })
        .map(|i| i.id.clone())
        .collect();

    let yes_indicators = instrument
        .indicators
        .iter()
        .filter(|i| answer(&i.id) == Answer::Yes);
    let methods: BTreeSet<String> = yes_indicators
        .clone()
        .flat_map(|i| i.methods_of_control.iter().cloned())
        .collect();
    let mut types: BTreeSet<String> = yes_indicators
        .clone()
        .flat_map(|i| i.type_of_exploitation.iter().cloned())
        .collect();
    if yes_indicators.clone().any(|i| {
        instrument
            .rule
            .exploitation_dimensions
            .contains(&i.dimension)
    }) {
        types.extend(instrument.type_of_exploitation.iter().cloned());
    }

    Ok(Evaluation {
        conclusion,
        dimensions,
        could_change,
        groups: instrument
            .rule
            .groups
            .iter()
            .map(|g| GroupResult {
                dimensions: g.clone(),
                met: g.iter().any(|d| positive.contains(d.as_str())),
            })
            .collect(),
        capped: uncapped > conclusion,
        methods_of_control: methods.into_iter().collect(),
        type_of_exploitation: types.into_iter().collect(),
        answered,
        total: instrument.indicators.len(),
    })
}

fn met(instrument: &Instrument, positive: &BTreeSet<&str>) -> bool {
    instrument
        .rule
        .groups
        .iter()
        .all(|g| g.iter().any(|d| positive.contains(d.as_str())))
}

fn raw(
    instrument: &Instrument,
    positive: &BTreeSet<&str>,
    any_yes: bool,
    reachable: bool,
) -> Conclusion {
    if met(instrument, positive) {
        Conclusion::PresumedTrafficking
    } else if any_yes {
        Conclusion::IndicatorsPresent
    } else if reachable {
        Conclusion::InsufficientInformation
    } else {
        Conclusion::NoIndicators
    }
}

fn conclude(
    instrument: &Instrument,
    positive: &BTreeSet<&str>,
    any_yes: bool,
    reachable: bool,
) -> Conclusion {
    raw(instrument, positive, any_yes, reachable).min(instrument.ceiling)
}

/// Whether an open indicator of `dim` with `strength` could change the conclusion: whether some
/// answers to the other open indicators make its yes and its no conclude differently.
fn matters(
    instrument: &Instrument,
    dim: &str,
    strength: Strength,
    yes: &BTreeMap<&str, Counts>,
    open: &BTreeMap<&str, Counts>,
    any_yes: bool,
) -> bool {
    if !any_yes {
        // Every other open indicator answered no: this one's yes raises a flag, its no leaves none.
        let mut one = Counts::default();
        one.add(strength);
        let positive: BTreeSet<&str> = yes
            .iter()
            .filter(|(d, c)| {
                if **d == dim {
                    c.plus(one).positive()
                } else {
                    c.positive()
                }
            })
            .map(|(d, _)| *d)
            .collect();
        return conclude(instrument, &positive, true, false)
            != conclude(instrument, &BTreeSet::new(), false, false);
    }
    // With a yes already, the conclusion is indicators_present or presumed_trafficking: the
    // indicator matters when it can tip its dimension and that dimension can tip the rule.
    if instrument.ceiling <= Conclusion::IndicatorsPresent {
        return false;
    }
    let own = yes[dim];
    let mut others = open[dim];
    match strength {
        Strength::Strong => others.s -= 1,
        Strength::Medium => others.m -= 1,
        Strength::Weak => others.w -= 1,
    }
    let mut one = Counts::default();
    one.add(strength);
    let tips = (0..=others.s).any(|s| {
        (0..=others.m).any(|m| {
            (0..=others.w).any(|w| {
                let base = own.plus(Counts { s, m, w });
                !base.positive() && base.plus(one).positive()
            })
        })
    });
    if !tips {
        return false;
    }
    // Each other dimension may end positive (if its open indicators can make it so) or negative
    // (if its yes answers alone do not): try every such combination.
    let rest: Vec<(&str, bool, bool)> = yes
        .iter()
        .filter(|(d, _)| **d != dim)
        .map(|(d, c)| (*d, !c.positive(), c.plus(open[d]).positive()))
        .collect();
    (0u64..1 << rest.len()).any(|mask| {
        let mut positive = BTreeSet::new();
        for (bit, (d, can_neg, can_pos)) in rest.iter().enumerate() {
            let pos = mask & (1 << bit) != 0;
            if (pos && !can_pos) || (!pos && !can_neg) {
                return false;
            }
            if pos {
                positive.insert(*d);
            }
        }
        let without = met(instrument, &positive);
        positive.insert(dim);
        met(instrument, &positive) && !without
    })
}
