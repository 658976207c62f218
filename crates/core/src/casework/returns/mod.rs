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

mod journey;
mod survey;
#[cfg(test)]
mod tests;
mod visits;

pub use journey::{NewJourney, RawJourney, document_status};
pub use survey::{
    DimensionScore, ITEMS, Item, decode_answers, dimension_scores, encode_answers, item_named,
};
pub use visits::{NewVisit, RawVisit};

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
