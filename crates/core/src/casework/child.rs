//! Children: a best-interests assessment and decision (UNHCR Best Interests Procedure), the
//! guardian, and the rule that a key decision on a child's case is final only once a
//! supervisor of the case's organisation other than its author has signed it off.

use crate::validate::{NAME_MAX, NARRATIVE_MAX, Problems, text};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A best-interests assessment as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBestInterests {
    #[serde(default)]
    pub assessment: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub guardian_name: Option<String>,
    #[serde(default)]
    pub guardian_contact: Option<String>,
}

/// The guardian, sealed at rest as one JSON value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
}

/// A validated best-interests assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBestInterests {
    pub assessment: String,
    pub decision: String,
    pub guardian: Option<Guardian>,
}

impl RawBestInterests {
    pub fn validate(self) -> Result<NewBestInterests, Problems> {
        let mut p = Problems::default();
        let assessment = text(&mut p, "assessment", &self.assessment, true, NARRATIVE_MAX);
        let decision = text(&mut p, "decision", &self.decision, true, NARRATIVE_MAX);
        let name = self
            .guardian_name
            .as_deref()
            .and_then(|n| text(&mut p, "guardian_name", n, false, NAME_MAX));
        let contact = self
            .guardian_contact
            .as_deref()
            .and_then(|c| text(&mut p, "guardian_contact", c, false, 500));
        p.finish(())?;
        Ok(NewBestInterests {
            assessment: assessment.unwrap_or_default(),
            decision: decision.unwrap_or_default(),
            guardian: (name.is_some() || contact.is_some()).then_some(Guardian { name, contact }),
        })
    }
}

/// Why a sign-off is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOffRefusal {
    /// Only a supervisor of the case's organisation signs off.
    NotSupervisor,
    /// Nobody signs off their own decision (four eyes).
    OwnDecision,
    /// It was signed off already; a signature is never replaced.
    AlreadySignedOff,
}

impl SignOffRefusal {
    pub fn code(self) -> crate::ErrorCode {
        match self {
            SignOffRefusal::NotSupervisor => crate::ErrorCode::SupervisorRequired,
            SignOffRefusal::OwnDecision => crate::ErrorCode::OwnDecision,
            SignOffRefusal::AlreadySignedOff => crate::ErrorCode::AlreadySignedOff,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            SignOffRefusal::NotSupervisor => {
                "Only a supervisor of the case's organisation can sign off a best-interests decision."
            }
            SignOffRefusal::OwnDecision => {
                "You wrote this decision; another supervisor must sign it off."
            }
            SignOffRefusal::AlreadySignedOff => "This decision is already signed off.",
        }
    }
}

/// Whether `signer` may sign off a decision `author` wrote. `signer_supervises` says whether the
/// signer is a supervisor of the case's organisation.
pub fn may_sign_off(
    signer: Uuid,
    signer_supervises: bool,
    author: Uuid,
    signed_off: bool,
) -> Result<(), SignOffRefusal> {
    if signed_off {
        Err(SignOffRefusal::AlreadySignedOff)
    } else if !signer_supervises {
        Err(SignOffRefusal::NotSupervisor)
    } else if signer == author {
        Err(SignOffRefusal::OwnDecision)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assessment_and_decision_are_required_guardian_optional() {
        let e = RawBestInterests::default().validate().expect_err("empty");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["assessment", "decision"]);
        let b = RawBestInterests {
            assessment: "Lives with an aunt".into(),
            decision: "Stay with the aunt".into(),
            guardian_name: Some(" ".into()),
            guardian_contact: None,
        }
        .validate()
        .expect("valid");
        assert_eq!(b.guardian, None);
    }

    #[test]
    fn four_eyes_by_a_supervisor_once() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(may_sign_off(b, true, a, false), Ok(()));
        assert_eq!(
            may_sign_off(a, true, a, false),
            Err(SignOffRefusal::OwnDecision)
        );
        assert_eq!(
            may_sign_off(b, false, a, false),
            Err(SignOffRefusal::NotSupervisor)
        );
        assert_eq!(
            may_sign_off(b, true, a, true),
            Err(SignOffRefusal::AlreadySignedOff)
        );
    }
}
