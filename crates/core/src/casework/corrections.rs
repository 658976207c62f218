//! Corrections the person asks for (the right to rectification): what they asked to have
//! corrected and the day they asked, then the decision — made, partly made or refused. A
//! refusal or a partial correction says why (the person is told, and may complain); a full
//! correction may say nothing more. Pure validation: the store records and audits.

use crate::casework::calendar::{Day, date_field};
use crate::validate::{Problems, Text, text};
use crate::vocab::vocabulary;

/// Longest text of a request or a reason.
pub const CORRECTION_MAX: usize = 5_000;

vocabulary! {
    /// How a correction request ended.
    CorrectionOutcome {
        Made => "made",
        Partly => "partly",
        Refused => "refused",
    }
}

impl CorrectionOutcome {
    /// Whether the decision must say why (the person is owed the reason for what was not done).
    pub fn needs_reason(self) -> bool {
        !matches!(self, CorrectionOutcome::Made)
    }
}

/// A correction request as typed.
#[derive(Debug, Clone, Default)]
pub struct RawCorrection<'a> {
    pub what: &'a str,
    pub asked_on: &'a str,
}

/// A validated correction request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCorrection {
    pub what: Text,
    pub asked_on: Day,
}

impl RawCorrection<'_> {
    /// Every problem at once: `what` required, `asked_on` a required date.
    pub fn validate(&self) -> Result<NewCorrection, Problems> {
        let mut p = Problems::default();
        let what = text(&mut p, "what", self.what, true, CORRECTION_MAX);
        let asked_on = date_field(&mut p, "asked_on", self.asked_on, true).flatten();
        match (what, asked_on) {
            (Some(w), Some(asked_on)) if p.0.is_empty() => Ok(NewCorrection {
                what: Text::parse("what", &w, CORRECTION_MAX)?,
                asked_on,
            }),
            _ => Err(p),
        }
    }
}

/// A decision as typed.
#[derive(Debug, Clone, Default)]
pub struct RawDecision<'a> {
    pub outcome: &'a str,
    pub reason: &'a str,
}

/// A validated decision: the reason is present whenever the outcome needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionDecision {
    pub outcome: CorrectionOutcome,
    pub reason: Option<Text>,
}

impl RawDecision<'_> {
    /// Every problem at once: a known outcome; a reason for `partly` and `refused`.
    pub fn validate(&self) -> Result<CorrectionDecision, Problems> {
        let mut p = Problems::default();
        let outcome = crate::validate::required_value(
            &mut p,
            "outcome",
            self.outcome,
            CorrectionOutcome::parse,
            || format!("outcome must be one of {}", CorrectionOutcome::allowed()),
        );
        let needs = outcome.is_some_and(CorrectionOutcome::needs_reason);
        let reason = text(&mut p, "reason", self.reason, needs, CORRECTION_MAX);
        let Some(outcome) = outcome else {
            return Err(p);
        };
        if !p.0.is_empty() {
            return Err(p);
        }
        let reason = reason
            .map(|r| Text::parse("reason", &r, CORRECTION_MAX))
            .transpose()?;
        Ok(CorrectionDecision { outcome, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn codes(p: &Problems) -> Vec<(&str, ErrorCode)> {
        p.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_request_needs_what_and_a_valid_day_reported_together() {
        let err = RawCorrection {
            what: " ",
            asked_on: "31-02-2026",
        }
        .validate()
        .expect_err("invalid");
        let got = codes(&err);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("what", ErrorCode::Required));
        assert_eq!(got[1].0, "asked_on");
        let ok = RawCorrection {
            what: "My date of birth is 1994-03-02",
            asked_on: "2026-05-01",
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.asked_on, Day::parse("2026-05-01").expect("day"));
    }

    #[test]
    fn every_outcome_but_made_needs_a_reason() {
        for &o in CorrectionOutcome::ALL {
            let bare = RawDecision {
                outcome: o.as_str(),
                reason: "",
            }
            .validate();
            assert_eq!(bare.is_err(), o.needs_reason(), "{o}");
            let with = RawDecision {
                outcome: o.as_str(),
                reason: "The record matches the passport.",
            }
            .validate()
            .expect("with a reason every outcome is valid");
            assert_eq!(with.outcome, o);
            assert!(with.reason.is_some());
        }
        let unknown = RawDecision {
            outcome: "maybe",
            reason: "",
        }
        .validate()
        .expect_err("unknown");
        assert_eq!(codes(&unknown), vec![("outcome", ErrorCode::UnknownValue)]);
    }
}
