//! Handing a report over: the rule of who may receive a report from the triage queue of another
//! organisation, in which state a report may leave, and the reason it needs. Pure functions
//! over plain facts; the store gathers the facts (the kinds of both organisations, the report's
//! status and case link) and asks.
//!
//! Who receives a handed-over report:
//! - never immigration enforcement (the firewall: no role, setting or flag bypasses it);
//! - never the organisation that holds it (a hand-over moves a report, it does not copy it);
//! - never a consulate: a report may concern a person who fled the consulate's state, and
//!   nothing in a report says so reliably. Consulates see only what is referred to them with
//!   the person's consent, through casework;
//! - never law enforcement: a reporter who wrote to a hotline did not choose the police, and a
//!   report carries no consent to go there. The hotline tells the reporter where to go instead;
//! - never a ministry: it holds no role that reads reports;
//! - the others — NGOs, hotlines, service providers, labour inspectorates, ombudspersons,
//!   international organisations — hold roles that read and handle a triage queue
//!   ([`receives_reports`] checks this against [`crate::policy::grants`]).

use crate::policy::accounts::allowed_roles;
use crate::policy::{Action, grants};
use crate::validate::Problems;
use crate::{ErrorCode, OrgKind, ReportStatus};
use uuid::Uuid;

/// The most characters a hand-over reason holds.
pub const REASON_MAX: usize = 1000;

/// Why a hand-over is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("reports never go to immigration enforcement")]
    ImmigrationFirewall,
    #[error("the report is already in this organisation's queue")]
    SameOrganisation,
    #[error("reports are never handed over to a consulate: the person may have fled its state")]
    Consulate,
    #[error("organisations of this kind do not receive reports")]
    DoesNotReceiveReports,
    #[error("a report linked to a case stays with the organisation that holds the case")]
    LinkedToCase,
    #[error("a closed report is not in the triage queue")]
    Closed,
}

impl Refusal {
    /// The stable code a client chooses by.
    pub const fn code(self) -> ErrorCode {
        match self {
            Refusal::ImmigrationFirewall => ErrorCode::ImmigrationFirewall,
            Refusal::LinkedToCase => ErrorCode::AlreadyLinked,
            Refusal::SameOrganisation
            | Refusal::Consulate
            | Refusal::DoesNotReceiveReports
            | Refusal::Closed => ErrorCode::HandoverNotAllowed,
        }
    }

    /// The field of the request the refusal is about.
    pub const fn field(self) -> &'static str {
        match self {
            Refusal::LinkedToCase | Refusal::Closed => "report",
            _ => "organisation_id",
        }
    }
}

/// Whether an organisation of `kind` has staff who read and handle a triage queue: one of the
/// roles it may hold is granted `ReadReport` and `HandleReport`.
pub fn holds_report_roles(kind: OrgKind) -> bool {
    allowed_roles(kind).iter().any(|r| {
        !grants(*r, Action::ReadReport).is_empty() && !grants(*r, Action::HandleReport).is_empty()
    })
}

/// Whether organisations of `kind` may be chosen as the receiver of a handed-over report.
pub fn receives_reports(kind: OrgKind) -> bool {
    kind_refusal(kind).is_none()
}

fn kind_refusal(kind: OrgKind) -> Option<Refusal> {
    match kind {
        OrgKind::ImmigrationEnforcement => Some(Refusal::ImmigrationFirewall),
        OrgKind::Consulate => Some(Refusal::Consulate),
        OrgKind::LawEnforcement => Some(Refusal::DoesNotReceiveReports),
        k if !holds_report_roles(k) => Some(Refusal::DoesNotReceiveReports),
        _ => None,
    }
}

/// Whether the organisation `from` may hand a report over to `to` (of kind `to_kind`). The
/// firewall is checked first, so immigration enforcement is refused as such whoever asks.
pub fn may_hand_over(from: Uuid, to: Uuid, to_kind: OrgKind) -> Result<(), Refusal> {
    if let Some(r) = kind_refusal(to_kind) {
        return Err(r);
    }
    if from == to {
        return Err(Refusal::SameOrganisation);
    }
    Ok(())
}

/// Whether a report in `status`, linked to a case or not, may leave its organisation's queue.
/// A report with a case stays: the case (and the person in it) belongs to the organisation, and
/// a case moves only by transfer, with consent.
pub fn may_leave(status: ReportStatus, has_case: bool) -> Result<(), Refusal> {
    if has_case || matches!(status, ReportStatus::CaseOpened | ReportStatus::Linked) {
        return Err(Refusal::LinkedToCase);
    }
    if status == ReportStatus::Closed {
        return Err(Refusal::Closed);
    }
    Ok(())
}

/// The reason of a hand-over: required, at most [`REASON_MAX`] characters.
pub fn reason(raw: &str) -> Result<crate::validate::Text, Problems> {
    crate::validate::Text::parse("reason", raw, REASON_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn org() -> Uuid {
        Uuid::now_v7()
    }

    #[test]
    fn every_kind_is_decided_and_only_protection_bodies_receive() {
        for kind in OrgKind::ALL {
            let expected = matches!(
                kind,
                OrgKind::Ngo
                    | OrgKind::Hotline
                    | OrgKind::ServiceProvider
                    | OrgKind::LabourInspectorate
                    | OrgKind::Ombudsperson
                    | OrgKind::InternationalOrganisation
            );
            assert_eq!(receives_reports(*kind), expected, "{kind:?}");
            assert_eq!(
                may_hand_over(org(), org(), *kind).is_ok(),
                expected,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn immigration_enforcement_is_refused_by_the_firewall_code() {
        let r = may_hand_over(org(), org(), OrgKind::ImmigrationEnforcement);
        assert_eq!(r, Err(Refusal::ImmigrationFirewall));
        assert_eq!(
            Refusal::ImmigrationFirewall.code(),
            ErrorCode::ImmigrationFirewall
        );
        // Even naming one's own organisation, the firewall answers first.
        let same = org();
        assert_eq!(
            may_hand_over(same, same, OrgKind::ImmigrationEnforcement),
            Err(Refusal::ImmigrationFirewall)
        );
    }

    #[test]
    fn a_consulate_never_receives_a_report() {
        assert_eq!(
            may_hand_over(org(), org(), OrgKind::Consulate),
            Err(Refusal::Consulate)
        );
        assert_eq!(Refusal::Consulate.code(), ErrorCode::HandoverNotAllowed);
    }

    #[test]
    fn a_report_is_not_handed_to_its_own_organisation() {
        let o = org();
        assert_eq!(
            may_hand_over(o, o, OrgKind::Hotline),
            Err(Refusal::SameOrganisation)
        );
    }

    #[test]
    fn every_receiving_kind_has_staff_who_read_reports() {
        for kind in OrgKind::ALL {
            if receives_reports(*kind) {
                assert!(holds_report_roles(*kind), "{kind:?}");
            }
        }
        assert!(!holds_report_roles(OrgKind::Ministry));
        assert!(!holds_report_roles(OrgKind::ImmigrationEnforcement));
    }

    #[test]
    fn only_a_report_in_triage_without_a_case_may_leave() {
        for status in ReportStatus::ALL {
            for has_case in [false, true] {
                let ok =
                    !has_case && matches!(status, ReportStatus::New | ReportStatus::Acknowledged);
                assert_eq!(
                    may_leave(*status, has_case).is_ok(),
                    ok,
                    "{status:?} {has_case}"
                );
            }
        }
        assert_eq!(
            may_leave(ReportStatus::New, true),
            Err(Refusal::LinkedToCase)
        );
        assert_eq!(Refusal::LinkedToCase.code(), ErrorCode::AlreadyLinked);
        assert_eq!(may_leave(ReportStatus::Closed, false), Err(Refusal::Closed));
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert!(reason("  ").is_err());
        assert!(reason(&"x".repeat(REASON_MAX + 1)).is_err());
        assert_eq!(
            reason("  wage theft: inspectorate  ").ok().as_deref(),
            Some("wage theft: inspectorate")
        );
    }

    proptest! {
        #[test]
        fn no_pair_of_organisations_reaches_immigration_enforcement(a in any::<u128>(), b in any::<u128>()) {
            let (a, b) = (Uuid::from_u128(a), Uuid::from_u128(b));
            prop_assert_eq!(
                may_hand_over(a, b, OrgKind::ImmigrationEnforcement),
                Err(Refusal::ImmigrationFirewall)
            );
        }

        #[test]
        fn a_reason_that_passes_is_trimmed_and_short(s in ".{0,1200}") {
            if let Ok(r) = reason(&s) {
                prop_assert!(!r.is_empty());
                prop_assert!(r.chars().count() <= REASON_MAX);
                prop_assert_eq!(r.as_str(), r.trim());
            }
        }
    }
}
