//! The case lifecycle as a state machine: open → assessment → case_plan → services → follow_up
//! → closed, with reopen. A case moves forward one step (or skips ahead), goes back one step to
//! revise, closes from any open state, and reopens from closed. Closing needs an outcome and a
//! reason; closing a high-risk or child case needs a supervisor's approval. Going back and
//! reopening need a reason.

use super::Outcome;
use crate::CaseStatus;
use serde::Serialize;

/// What the caller asks for and what the rule needs to know about the case and the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub reason: Option<String>,
    pub outcome: Option<Outcome>,
    /// The case is high risk, or its person is a child.
    pub needs_sign_off: bool,
    /// The actor is a supervisor of the case's organisation (or a supervisor approved).
    pub supervisor: bool,
}

/// Why a transition was refused. Each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum TransitionError {
    #[error("a case cannot move from this status to that one")]
    NotAllowed,
    #[error("give a reason")]
    ReasonRequired,
    #[error("closing a case needs an outcome")]
    OutcomeRequired,
    #[error("closing a high-risk or child case needs a supervisor's approval")]
    SupervisorApprovalRequired,
}

impl TransitionError {
    pub fn code(self) -> crate::ErrorCode {
        match self {
            TransitionError::NotAllowed => crate::ErrorCode::TransitionNotAllowed,
            TransitionError::ReasonRequired => crate::ErrorCode::ReasonRequired,
            TransitionError::OutcomeRequired => crate::ErrorCode::OutcomeRequired,
            TransitionError::SupervisorApprovalRequired => {
                crate::ErrorCode::SupervisorApprovalRequired
            }
        }
    }
}

fn rank(s: CaseStatus) -> usize {
    CaseStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// The statuses a case in `from` may move to, in order.
pub fn next_statuses(from: CaseStatus) -> Vec<CaseStatus> {
    if from == CaseStatus::Closed {
        return vec![CaseStatus::Open];
    }
    CaseStatus::ALL
        .iter()
        .copied()
        .filter(|to| *to != from && (rank(*to) > rank(from) || rank(*to) + 1 == rank(from)))
        .collect()
}

fn has_text(t: &Option<String>) -> bool {
    t.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// Decides a transition.
pub fn check(req: &TransitionRequest) -> Result<(), TransitionError> {
    if !next_statuses(req.from).contains(&req.to) {
        return Err(TransitionError::NotAllowed);
    }
    let backwards = rank(req.to) < rank(req.from);
    if req.to == CaseStatus::Closed {
        if req.outcome.is_none() {
            return Err(TransitionError::OutcomeRequired);
        }
        if !has_text(&req.reason) {
            return Err(TransitionError::ReasonRequired);
        }
        if req.needs_sign_off && !req.supervisor {
            return Err(TransitionError::SupervisorApprovalRequired);
        }
    } else if backwards && !has_text(&req.reason) {
        return Err(TransitionError::ReasonRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn req(from: CaseStatus, to: CaseStatus) -> TransitionRequest {
        TransitionRequest {
            from,
            to,
            reason: None,
            outcome: None,
            needs_sign_off: false,
            supervisor: false,
        }
    }

    #[test]
    fn the_path_of_a_case() {
        use CaseStatus::*;
        for (a, b) in [
            (Open, Assessment),
            (Assessment, CasePlan),
            (CasePlan, Services),
            (Services, FollowUp),
            (Open, Services),
        ] {
            assert_eq!(check(&req(a, b)), Ok(()), "{a} → {b}");
        }
        assert_eq!(check(&req(Open, Open)), Err(TransitionError::NotAllowed));
        assert_eq!(
            check(&req(Services, Open)),
            Err(TransitionError::NotAllowed)
        );
        assert_eq!(
            check(&req(Closed, Assessment)),
            Err(TransitionError::NotAllowed)
        );
        assert_eq!(
            check(&req(Services, CasePlan)),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            check(&req(Closed, Open)),
            Err(TransitionError::ReasonRequired)
        );
        let mut close = req(FollowUp, Closed);
        assert_eq!(check(&close), Err(TransitionError::OutcomeRequired));
        close.outcome = Some(Outcome::StayWithResidence);
        assert_eq!(check(&close), Err(TransitionError::ReasonRequired));
        close.reason = Some("Permit granted".into());
        assert_eq!(check(&close), Ok(()));
        close.needs_sign_off = true;
        assert_eq!(
            check(&close),
            Err(TransitionError::SupervisorApprovalRequired)
        );
        close.supervisor = true;
        assert_eq!(check(&close), Ok(()));
    }

    fn status() -> impl Strategy<Value = CaseStatus> {
        prop::sample::select(CaseStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn closing_always_needs_outcome_reason_and_sign_off(from in status(), reason in proptest::option::of(".{0,5}"),
                outcome in proptest::option::of(prop::sample::select(Outcome::ALL.to_vec())), sign in any::<bool>(), sup in any::<bool>()) {
            let r = TransitionRequest { from, to: CaseStatus::Closed, reason: reason.clone(), outcome, needs_sign_off: sign, supervisor: sup };
            if check(&r).is_ok() {
                prop_assert!(from != CaseStatus::Closed);
                prop_assert!(outcome.is_some() && reason.is_some_and(|r| !r.trim().is_empty()));
                prop_assert!(!sign || sup);
            }
        }

        #[test]
        fn every_allowed_move_is_listed_and_a_closed_case_only_reopens(from in status(), to in status()) {
            let mut r = req(from, to);
            r.reason = Some("why".into());
            r.outcome = Some(Outcome::Other);
            prop_assert_eq!(check(&r).is_ok(), next_statuses(from).contains(&to));
            if from == CaseStatus::Closed && check(&r).is_ok() {
                prop_assert_eq!(to, CaseStatus::Open);
            }
        }
    }
}
