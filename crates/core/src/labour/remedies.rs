//! Remedies: the wage and compensation claims a worker brings, where, for how much, how far
//! they have got and what was recovered. A claim moves forward through its stages
//! ([`may_move`]) and may be closed from any open stage (settled, withdrawn, given up); a
//! closed claim stays closed.

use super::money::{Amount, Money, money_field};
use crate::casework::calendar::{Day, date_field};
use crate::validate::{Problems, required_value, text};
use crate::vocab::vocabulary;

vocabulary! {
    /// Where a claim is brought.
    ClaimKind {
        LabourCourt => "labour_court",
        Administrative => "administrative",
        Mediation => "mediation",
        CriminalCompensation => "criminal_compensation",
    }
}

vocabulary! {
    /// What a claim asks for.
    ClaimSubject {
        Wages => "wages",
        Compensation => "compensation",
    }
}

vocabulary! {
    /// How far a claim has got, in order.
    ClaimStage {
        Preparing => "preparing",
        Filed => "filed",
        Hearing => "hearing",
        Decided => "decided",
        Enforced => "enforced",
        Closed => "closed",
    }
}

impl ClaimStage {
    /// Its place in the order of stages, from 0.
    pub fn rank(self) -> usize {
        ClaimStage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Whether a claim may move from stage `from` to stage `to`: forward only, one step or
/// skipping a hearing (a mediation or an administrative claim is decided without one), and
/// from any open stage to closed. Enforcement follows a decision only. Nothing leaves closed,
/// and a stage never moves to itself.
pub fn may_move(from: ClaimStage, to: ClaimStage) -> bool {
    use ClaimStage::*;
    match (from, to) {
        (Closed, _) => false,
        (_, Closed) => true,
        (Preparing, Filed) | (Filed, Hearing) | (Filed, Decided) | (Hearing, Decided) => true,
        (Decided, Enforced) => true,
        _ => false,
    }
}

/// Longest note on a claim (the forum, a reference).
pub const NOTE_MAX: usize = 2_000;

/// A claim as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawClaim {
    pub kind: String,
    pub subject: String,
    pub amount: Amount,
    pub currency: String,
    pub deadline: String,
    pub note: String,
}

/// A validated claim, at stage `preparing` with nothing recovered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim {
    pub kind: ClaimKind,
    pub subject: ClaimSubject,
    pub claimed: Money,
    pub deadline: Option<Day>,
    /// Sealed at rest.
    pub note: Option<String>,
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

impl RawClaim {
    pub fn validate(self) -> Result<NewClaim, Problems> {
        let mut p = Problems::default();
        let kind = vocab(
            &mut p,
            "kind",
            &self.kind,
            ClaimKind::parse,
            ClaimKind::allowed(),
        );
        let subject = vocab(
            &mut p,
            "subject",
            &self.subject,
            ClaimSubject::parse,
            ClaimSubject::allowed(),
        );
        let claimed = money_field(
            &mut p,
            "amount",
            "currency",
            &self.amount,
            &self.currency,
            true,
        );
        let deadline = date_field(&mut p, "deadline", &self.deadline, false);
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        match (kind, subject, claimed.flatten(), deadline) {
            (Some(kind), Some(subject), Some(claimed), Some(deadline)) => Ok(NewClaim {
                kind,
                subject,
                claimed,
                deadline,
                note,
            }),
            _ => {
                let mut p = Problems::default();
                p.add(
                    "",
                    crate::ErrorCode::InvalidValue,
                    "the claim is incomplete",
                );
                Err(p)
            }
        }
    }
}

/// A change to a claim as submitted: its new stage, the amount recovered so far (in the
/// claim's currency), its deadline; each empty when unchanged.
#[derive(Debug, Clone, Default)]
pub struct RawClaimChange {
    pub stage: String,
    pub recovered: Amount,
    pub deadline: String,
}

/// A validated change. `deadline`: `None` unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimChange {
    pub stage: Option<ClaimStage>,
    pub recovered: Option<i64>,
    pub deadline: Option<Day>,
}

impl RawClaimChange {
    /// Checks the change against the claim as it stands: its stage and its currency.
    pub fn validate(self, at: ClaimStage, claimed: Money) -> Result<ClaimChange, Problems> {
        let mut p = Problems::default();
        let stage = if self.stage.trim().is_empty() {
            None
        } else {
            match ClaimStage::parse(self.stage.trim()) {
                None => {
                    p.add(
                        "stage",
                        crate::ErrorCode::UnknownValue,
                        format!("stage must be one of {}", ClaimStage::allowed()),
                    );
                    None
                }
                Some(s) if s == at => None,
                Some(s) if !may_move(at, s) => {
                    p.add(
                        "stage",
                        crate::ErrorCode::TransitionNotAllowed,
                        format!("a claim at {at} cannot move to {s}"),
                    );
                    None
                }
                Some(s) => Some(s),
            }
        };
        let recovered = match &self.recovered {
            Amount::Missing => None,
            amount => money_field(
                &mut p,
                "recovered",
                "currency",
                amount,
                claimed.currency.as_str(),
                true,
            )
            .flatten()
            .map(|m| m.minor),
        };
        let deadline = date_field(&mut p, "deadline", &self.deadline, false).flatten();
        p.finish(ClaimChange {
            stage,
            recovered,
            deadline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stage() -> impl Strategy<Value = ClaimStage> {
        prop::sample::select(ClaimStage::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn a_claim_only_moves_forward(from in stage(), to in stage()) {
            if may_move(from, to) {
                prop_assert!(to.rank() > from.rank(), "{from} -> {to}");
            }
        }

        #[test]
        fn closed_is_final_and_reachable_from_every_open_stage(s in stage()) {
            prop_assert!(!may_move(ClaimStage::Closed, s));
            if s != ClaimStage::Closed {
                prop_assert!(may_move(s, ClaimStage::Closed));
            }
        }

        #[test]
        fn enforcement_follows_a_decision_only(s in stage()) {
            prop_assert_eq!(may_move(s, ClaimStage::Enforced), s == ClaimStage::Decided);
        }

        #[test]
        fn every_open_stage_reaches_enforcement_or_closure_by_allowed_moves(s in stage()) {
            // Walk forward by allowed moves: every path ends at closed.
            let mut at = s;
            let mut steps = 0;
            while at != ClaimStage::Closed {
                let next = ClaimStage::ALL.iter().copied().find(|&n| may_move(at, n) && n != ClaimStage::Closed)
                    .unwrap_or(ClaimStage::Closed);
                prop_assert!(may_move(at, next));
                at = next;
                steps += 1;
                prop_assert!(steps <= ClaimStage::ALL.len());
            }
        }

        #[test]
        fn a_change_refused_names_the_stage(from in stage(), to in stage()) {
            let claimed = Money { minor: 100, currency: crate::labour::money::Currency::parse("EUR").expect("EUR") };
            let got = RawClaimChange { stage: to.as_str().into(), ..Default::default() }.validate(from, claimed);
            if from == to {
                prop_assert_eq!(got.expect("same stage is no move").stage, None);
            } else if may_move(from, to) {
                prop_assert_eq!(got.expect("allowed").stage, Some(to));
            } else {
                let p = got.expect_err("refused");
                prop_assert_eq!(&p.0[0].field, "stage");
                prop_assert_eq!(p.0[0].code, crate::ErrorCode::TransitionNotAllowed);
            }
        }
    }

    #[test]
    fn a_claim_is_validated_field_by_field() {
        let ok = RawClaim {
            kind: "labour_court".into(),
            subject: "wages".into(),
            amount: Amount::Typed("4200".into()),
            currency: "qar".into(),
            deadline: "2026-09-30".into(),
            note: String::new(),
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.claimed.minor, 420_000);
        assert_eq!(
            ok.deadline.map(|d| d.to_string()).as_deref(),
            Some("2026-09-30")
        );
        let bad = RawClaim {
            kind: "tribunal".into(),
            subject: String::new(),
            amount: Amount::Minor(-1),
            currency: "QAR".into(),
            deadline: "2026-13-01".into(),
            note: String::new(),
        }
        .validate()
        .expect_err("refused");
        let got: Vec<(&str, crate::ErrorCode)> =
            bad.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            vec![
                ("kind", crate::ErrorCode::UnknownValue),
                ("subject", crate::ErrorCode::Required),
                ("amount", crate::ErrorCode::NegativeAmount),
                ("deadline", crate::ErrorCode::InvalidDate),
            ]
        );
        let claimed = ok.claimed;
        let neg = RawClaimChange {
            recovered: Amount::Minor(-10),
            ..Default::default()
        }
        .validate(ClaimStage::Decided, claimed)
        .expect_err("refused");
        assert_eq!(neg.0[0].field, "recovered");
        assert_eq!(neg.0[0].code, crate::ErrorCode::NegativeAmount);
    }
}
