//! What a caseworker sends to change a case: its details (a partial update checked against the
//! version they read), a move to another status, and an identification decision. Every problem
//! is reported at once, with a stable code per field. The lifecycle rule itself is
//! [`super::lifecycle::check`]; this module only turns what was typed into values.

use super::calendar::Day;
use super::person::Change;
use super::{IdentificationStatus, Outcome, RiskLevel};
use crate::validate::{NARRATIVE_MAX, Problems, text};
use crate::{CaseStatus, CaseType, Country, Stage};
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// Longest reason for a transition.
pub const REASON_MAX: usize = 2000;
/// Longest "decided by" of an identification decision.
pub const DECIDED_BY_MAX: usize = 200;

/// Distinguishes a field left out (`None`) from one sent as `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to a case as submitted. A field left out stays as it is; `country` and
/// `assigned_to` are cleared by `null` or an empty value. `version` is the version the caller
/// read; a stale one is refused and nothing changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCaseChanges {
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub types: Option<Vec<String>>,
    #[serde(default)]
    pub risk: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub country: Option<Option<String>>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub assigned_to: Option<Option<String>>,
}

/// Validated changes to a case. Whether the assignee may work on the case is the store's to
/// check (it knows the organisation's users).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChanges {
    pub version: i64,
    pub stage: Option<Stage>,
    pub types: Option<Vec<CaseType>>,
    pub risk: Option<RiskLevel>,
    pub country: Change<Country>,
    pub summary: Option<String>,
    pub assigned_to: Change<Uuid>,
}

impl CaseChanges {
    /// Whether anything but the version was sent.
    pub fn is_empty(&self) -> bool {
        self.stage.is_none()
            && self.types.is_none()
            && self.risk.is_none()
            && self.country.is_keep()
            && self.summary.is_none()
            && self.assigned_to.is_keep()
    }
}

fn vocab<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: String,
) -> Option<T> {
    let v = parse(value.trim());
    if v.is_none() {
        p.add(
            field,
            crate::ErrorCode::InvalidValue,
            format!("{field} must be one of: {allowed}"),
        );
    }
    v
}

impl RawCaseChanges {
    pub fn validate(self) -> Result<CaseChanges, Problems> {
        let mut p = Problems::default();
        if self.version.is_none() {
            p.add(
                "version",
                crate::ErrorCode::Required,
                "send the version you read, so a change made meanwhile is not overwritten",
            );
        }
        let stage = self
            .stage
            .and_then(|s| vocab(&mut p, "stage", &s, Stage::parse, Stage::allowed()));
        let types = match self.types {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for t in &list {
                    match CaseType::parse(t.trim()) {
                        Some(t) if !out.contains(&t) => out.push(t),
                        Some(_) => {}
                        None => p.add(
                            "types",
                            crate::ErrorCode::InvalidValue,
                            format!(
                                "'{}' is not a case type; use: {}",
                                short(t),
                                CaseType::allowed()
                            ),
                        ),
                    }
                }
                if list.iter().all(|t| t.trim().is_empty()) {
                    p.add(
                        "types",
                        crate::ErrorCode::Required,
                        "choose at least one case type",
                    );
                }
                Some(out)
            }
        };
        let risk = self
            .risk
            .and_then(|r| vocab(&mut p, "risk", &r, RiskLevel::parse, RiskLevel::allowed()));
        let country = match self.country {
            None => Change::Keep,
            Some(None) => Change::Clear,
            Some(Some(c)) if c.trim().is_empty() => Change::Clear,
            Some(Some(c)) => match Country::parse(&c.trim().to_ascii_uppercase()) {
                Some(c) => Change::Set(c),
                None => {
                    p.add(
                        "country",
                        crate::ErrorCode::InvalidCountry,
                        format!("'{}' is not an ISO 3166-1 alpha-2 country code", short(&c)),
                    );
                    Change::Keep
                }
            },
        };
        let summary = match self.summary {
            None => None,
            Some(s) => text(&mut p, "summary", &s, true, NARRATIVE_MAX),
        };
        let assigned_to = match self.assigned_to {
            None => Change::Keep,
            Some(None) => Change::Clear,
            Some(Some(u)) if u.trim().is_empty() => Change::Clear,
            Some(Some(u)) => match Uuid::parse_str(u.trim()) {
                Ok(u) => Change::Set(u),
                Err(_) => {
                    p.add(
                        "assigned_to",
                        crate::ErrorCode::InvalidId,
                        "assigned_to must be the id of a user of the case's organisation",
                    );
                    Change::Keep
                }
            },
        };
        p.finish(())?;
        Ok(CaseChanges {
            version: self.version.unwrap_or_default(),
            stage,
            types,
            risk,
            country,
            summary,
            assigned_to,
        })
    }
}

/// A move to another status as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransition {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    /// The case version the caller read; optional (a transition is checked against the
    /// status the case is in now).
    #[serde(default)]
    pub version: Option<i64>,
}

/// A validated transition request (the lifecycle rule is checked by the store, which knows the
/// case and the actor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: CaseStatus,
    pub reason: Option<String>,
    pub outcome: Option<Outcome>,
    pub version: Option<i64>,
}

impl RawTransition {
    pub fn validate(self) -> Result<Transition, Problems> {
        let mut p = Problems::default();
        let to = if self.to.trim().is_empty() {
            p.add(
                "to",
                crate::ErrorCode::Required,
                "say which status the case moves to",
            );
            None
        } else {
            vocab(
                &mut p,
                "to",
                &self.to,
                CaseStatus::parse,
                CaseStatus::allowed(),
            )
        };
        let reason = self
            .reason
            .and_then(|r| text(&mut p, "reason", &r, false, REASON_MAX));
        let outcome = self
            .outcome
            .filter(|o| !o.trim().is_empty())
            .and_then(|o| vocab(&mut p, "outcome", &o, Outcome::parse, Outcome::allowed()));
        p.finish(())?;
        Ok(Transition {
            to: to.unwrap_or(CaseStatus::Open),
            reason,
            outcome,
            version: self.version,
        })
    }
}

/// The reason a supervisor gives for rejecting a request: required (the caseworker who asked
/// reads it on the case), trimmed, within [`REASON_MAX`] characters.
pub fn rejection_reason(typed: &str) -> Result<crate::validate::Text, Problems> {
    crate::validate::Text::parse("reason", typed, REASON_MAX)
}

/// An identification decision as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentification {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub decided_by: String,
    #[serde(default)]
    pub decided_on: String,
    /// The case version the caller read; optional.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A validated identification decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identification {
    pub status: IdentificationStatus,
    /// Who decided (an authority or a person): free text, sealed at rest.
    pub decided_by: String,
    pub decided_on: Day,
    pub version: Option<i64>,
}

impl RawIdentification {
    /// `today` bounds the decision date: a decision is recorded once it is made.
    pub fn validate(self, today: Day) -> Result<Identification, Problems> {
        let mut p = Problems::default();
        let status = if self.status.trim().is_empty() {
            p.add(
                "status",
                crate::ErrorCode::Required,
                "choose the identification status",
            );
            None
        } else {
            vocab(
                &mut p,
                "status",
                &self.status,
                IdentificationStatus::parse,
                IdentificationStatus::allowed(),
            )
        };
        let decided_by = text(&mut p, "decided_by", &self.decided_by, true, DECIDED_BY_MAX);
        let decided_on = if self.decided_on.trim().is_empty() {
            p.add(
                "decided_on",
                crate::ErrorCode::Required,
                "decided_on is required (YYYY-MM-DD)",
            );
            None
        } else {
            match Day::parse(&self.decided_on) {
                Some(d) if d > today => {
                    p.add(
                        "decided_on",
                        crate::ErrorCode::InFuture,
                        "decided_on cannot be in the future: record a decision once it is made",
                    );
                    None
                }
                Some(d) if d.ymd().0 < 1990 => {
                    p.add(
                        "decided_on",
                        crate::ErrorCode::InvalidDate,
                        "decided_on is too far in the past",
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    p.add(
                        "decided_on",
                        crate::ErrorCode::InvalidDate,
                        "decided_on must be a date written YYYY-MM-DD",
                    );
                    None
                }
            }
        };
        p.finish(())?;
        Ok(Identification {
            status: status.unwrap_or(IdentificationStatus::PossibleVictim),
            decided_by: decided_by.unwrap_or_default(),
            decided_on: decided_on.unwrap_or(today),
            version: self.version,
        })
    }
}

/// Where an identification decision leaves the two dates deadlines count from: the day the
/// recovery and reflection period started (the first positive decision) and the day of a
/// conclusive (actual victim) decision.
///
/// A conclusive decision that follows a positive reasonable-grounds decision keeps the earlier
/// start, so the recovery period does not restart; any other decision starts from its own day,
/// and only `actual_victim` has a conclusive day.
pub fn identification_days(
    previous: Option<(IdentificationStatus, Day)>,
    next: IdentificationStatus,
    decided_on: Day,
) -> (Day, Option<Day>) {
    match next {
        IdentificationStatus::ActualVictim => {
            let start = match previous {
                Some((IdentificationStatus::PossibleVictim, on)) if on <= decided_on => on,
                _ => decided_on,
            };
            (start, Some(decided_on))
        }
        _ => (decided_on, None),
    }
}

fn short(s: &str) -> String {
    s.trim().chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: Problems) -> Vec<(String, &'static str)> {
        p.0.into_iter()
            .map(|e| (e.field, e.code.as_str()))
            .collect()
    }

    #[test]
    fn case_changes_are_partial_and_checked_together() {
        let raw = RawCaseChanges {
            version: Some(3),
            risk: Some("high".into()),
            country: Some(Some("gb".into())),
            assigned_to: Some(None),
            ..Default::default()
        };
        let c = raw.validate().expect("valid");
        assert_eq!(c.version, 3);
        assert_eq!(c.risk, Some(RiskLevel::High));
        assert_eq!(c.country, Change::Set(Country::parse("GB").expect("GB")));
        assert_eq!(c.assigned_to, Change::Clear);
        assert!(c.stage.is_none() && c.types.is_none() && c.summary.is_none());
        assert!(!c.is_empty());

        let only_version = RawCaseChanges {
            version: Some(1),
            ..Default::default()
        };
        assert!(only_version.validate().expect("valid").is_empty());

        let bad = RawCaseChanges {
            version: None,
            stage: Some("arrival".into()),
            types: Some(vec![]),
            risk: Some("extreme".into()),
            country: Some(Some("XX".into())),
            summary: Some("  ".into()),
            assigned_to: Some(Some("nobody".into())),
        };
        assert_eq!(
            codes(bad.validate().expect_err("invalid")),
            vec![
                ("version".into(), "required"),
                ("stage".into(), "invalid_value"),
                ("types".into(), "required"),
                ("risk".into(), "invalid_value"),
                ("country".into(), "invalid_country"),
                ("summary".into(), "required"),
                ("assigned_to".into(), "invalid_id"),
            ]
        );
    }

    #[test]
    fn a_rejection_needs_a_reason_within_bounds() {
        for blank in ["", "   ", "\n\t"] {
            assert_eq!(
                codes(rejection_reason(blank).expect_err("blank")),
                vec![("reason".into(), "required")]
            );
        }
        assert_eq!(
            codes(rejection_reason(&"x".repeat(REASON_MAX + 1)).expect_err("long")),
            vec![("reason".into(), "too_long")]
        );
        assert_eq!(
            rejection_reason("  Talk to the guardian first. ")
                .as_ref()
                .map(|t| t.as_str()),
            Ok("Talk to the guardian first.")
        );
    }

    #[test]
    fn transitions_name_a_status_and_a_known_outcome() {
        let t = RawTransition {
            to: "closed".into(),
            reason: Some(" Permit granted ".into()),
            outcome: Some("stay_with_residence".into()),
            version: None,
        }
        .validate()
        .expect("valid");
        assert_eq!(t.to, CaseStatus::Closed);
        assert_eq!(t.reason.as_deref(), Some("Permit granted"));
        assert_eq!(t.outcome, Some(Outcome::StayWithResidence));
        let bad = RawTransition {
            to: "archived".into(),
            reason: Some("x".repeat(REASON_MAX + 1)),
            outcome: Some("happy".into()),
            version: None,
        };
        assert_eq!(
            codes(bad.validate().expect_err("invalid")),
            vec![
                ("to".into(), "invalid_value"),
                ("reason".into(), "too_long"),
                ("outcome".into(), "invalid_value"),
            ]
        );
    }

    #[test]
    fn an_identification_is_dated_and_never_in_the_future() {
        let today = Day::parse("2026-03-10").expect("day");
        let ok = RawIdentification {
            status: "possible_victim".into(),
            decided_by: "Competent authority".into(),
            decided_on: "2026-03-10".into(),
            version: None,
        }
        .validate(today)
        .expect("valid");
        assert_eq!(ok.status, IdentificationStatus::PossibleVictim);
        let bad = RawIdentification {
            status: "victim".into(),
            decided_by: "x".repeat(DECIDED_BY_MAX + 1),
            decided_on: "2026-03-11".into(),
            version: None,
        };
        assert_eq!(
            codes(bad.validate(today).expect_err("invalid")),
            vec![
                ("status".into(), "invalid_value"),
                ("decided_by".into(), "too_long"),
                ("decided_on".into(), "in_future"),
            ]
        );
        let empty = RawIdentification::default()
            .validate(today)
            .expect_err("invalid");
        assert_eq!(empty.0.len(), 3);
        let garbled = RawIdentification {
            status: "not_a_victim".into(),
            decided_by: "Authority".into(),
            decided_on: "10/03/2026".into(),
            version: None,
        };
        assert_eq!(
            codes(garbled.validate(today).expect_err("invalid")),
            vec![("decided_on".into(), "invalid_date")]
        );
    }

    #[test]
    fn a_conclusive_decision_keeps_the_recovery_period_it_follows() {
        let rg = Day::parse("2026-01-10").expect("day");
        let cg = Day::parse("2026-03-01").expect("day");
        use IdentificationStatus::*;
        assert_eq!(
            identification_days(Some((PossibleVictim, rg)), ActualVictim, cg),
            (rg, Some(cg))
        );
        assert_eq!(identification_days(None, ActualVictim, cg), (cg, Some(cg)));
        assert_eq!(
            identification_days(Some((ActualVictim, rg)), PossibleVictim, cg),
            (cg, None)
        );
        assert_eq!(
            identification_days(Some((PossibleVictim, rg)), NotAVictim, cg),
            (cg, None)
        );
    }
}
