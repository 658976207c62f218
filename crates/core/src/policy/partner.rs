//! What crosses an organisation's boundary, beyond whether a record may be read at all: which
//! writes a partner (an organisation a case is shared with) may make on the owner's case, and
//! who is told of a partner signal (a likely same person held by another organisation).
//!
//! A partner works on what was referred to it: its own notes, services, attachments and
//! follow-up. It never changes the owner's case: its details and summary, assignment, status
//! and outcome, risk, identification, the person's identity and documents, consents, plan,
//! needs, tasks, child safeguarding, screenings, international protection needs, or what
//! happened to the worker and their claims.
//!
//! A partner signal is told only to the organisation that already held the record, never to
//! the one whose registration raised it: there, those who review the organisation's duplicates
//! see it. The registering side learns of it only once the holder's person agreed to be
//! connected. A consulate's registration never raises a signal about another organisation's
//! person; nor is a consulate ever told that another organisation registered someone like a
//! person it holds (it sees only what is referred to it, so names registered in advance are
//! no watch list). A person's later changes never probe other organisations again.

use super::{Action, Principal, Relation, decide};
use crate::vocab::OrgKind;

/// A change to a case or its person, named by what it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseWrite {
    /// Stage, types, summary, country, risk.
    Details,
    /// Who the case is assigned to.
    Assignment,
    /// A status transition, closing with an outcome, reopening; approving a close.
    Status,
    /// An identification decision (also one recorded from a screening).
    Identification,
    /// The person's identity and documents.
    Person,
    /// Recording or withdrawing a consent or another legal basis.
    Consent,
    /// The case plan and the needs assessment.
    Plan,
    /// The case's tasks.
    Tasks,
    /// Best-interests assessments and their sign-off.
    ChildSafeguarding,
    /// Screening the person (its findings feed the case's facts).
    Screening,
    /// The person's international protection needs (who they may never be shown to).
    Protection,
    /// What happened to the worker (fees, debts, contracts, wages owed) and their claims.
    Labour,
    /// A note of the writer's own.
    Note,
    /// A service the writer's organisation delivered.
    Service,
    /// An attachment of the writer's own.
    Attachment,
    /// A follow-up visit the writer recorded.
    FollowUp,
}

impl CaseWrite {
    pub const ALL: &'static [CaseWrite] = &[
        CaseWrite::Details,
        CaseWrite::Assignment,
        CaseWrite::Status,
        CaseWrite::Identification,
        CaseWrite::Person,
        CaseWrite::Consent,
        CaseWrite::Plan,
        CaseWrite::Tasks,
        CaseWrite::ChildSafeguarding,
        CaseWrite::Screening,
        CaseWrite::Protection,
        CaseWrite::Labour,
        CaseWrite::Note,
        CaseWrite::Service,
        CaseWrite::Attachment,
        CaseWrite::FollowUp,
    ];

    /// What the write changes, for a message a person reads.
    pub fn describe(self) -> &'static str {
        match self {
            CaseWrite::Details => "details and summary",
            CaseWrite::Assignment => "assignment",
            CaseWrite::Status => "status and outcome",
            CaseWrite::Identification => "identification decision",
            CaseWrite::Person => "person's identity and documents",
            CaseWrite::Consent => "person's consents",
            CaseWrite::Plan => "case plan and needs",
            CaseWrite::Tasks => "tasks",
            CaseWrite::ChildSafeguarding => "best-interests assessments",
            CaseWrite::Screening => "screenings",
            CaseWrite::Protection => "international protection needs",
            CaseWrite::Labour => "fees, debts, contracts, wages owed and claims",
            CaseWrite::Note => "notes",
            CaseWrite::Service => "services",
            CaseWrite::Attachment => "attachments",
            CaseWrite::FollowUp => "follow-up",
        }
    }
}

/// Whether a partner (the case is shared with its organisation) may make this write: only its
/// own work on what was referred to it.
pub fn partner_may(write: CaseWrite) -> bool {
    matches!(
        write,
        CaseWrite::Note | CaseWrite::Service | CaseWrite::Attachment | CaseWrite::FollowUp
    )
}

/// Whether a writer whose relation to the case is `relation` (already allowed `UpdateCase` by
/// [`decide`]) may make this write: the owner's organisation every one, a partner its own work.
pub fn may_write(relation: Relation, write: CaseWrite) -> bool {
    match relation {
        Relation::Own | Relation::Organisation => true,
        Relation::Shared => partner_may(write),
        Relation::Unrelated => false,
    }
}

/// Which side of a partner signal an organisation is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignalSide {
    /// The organisation that already held the record when the other registered its person.
    Holder,
    /// The organisation whose registration raised the signal.
    Registering,
}

/// Whether registering a person in an organisation of `registering` kind raises a signal about
/// a likely same person held by an organisation of `holder` kind. `first_registration` is false
/// for later changes of the person (a name, a date of birth, a document), which never probe
/// other organisations again. Neither side is ever a consulate or immigration enforcement.
pub fn raises_signal(registering: OrgKind, holder: OrgKind, first_registration: bool) -> bool {
    let takes_part = |k: OrgKind| k != OrgKind::Consulate && k != OrgKind::ImmigrationEnforcement;
    first_registration && takes_part(registering) && takes_part(holder)
}

/// Whether those who review an organisation's duplicates include this principal: reading every
/// case of the organisation.
pub fn reviews_duplicates(principal: &Principal) -> bool {
    decide(principal, Action::ReadCase, Relation::Organisation).is_allowed()
}

/// Whether a reader of a person of its own organisation is told of a signal on that person, on
/// `side`: on the holding side, those who review the organisation's duplicates; on the
/// registering side, nobody until the holder's person agreed to be connected, then the
/// person's readers (to ask their own person).
pub fn sees_signal(side: SignalSide, reviewer: bool, holder_agreed: bool) -> bool {
    match side {
        SignalSide::Holder => reviewer,
        SignalSide::Registering => holder_agreed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Role;
    use uuid::Uuid;

    #[test]
    fn a_partner_makes_only_its_own_work_and_the_owner_everything() {
        let own_work = [
            CaseWrite::Note,
            CaseWrite::Service,
            CaseWrite::Attachment,
            CaseWrite::FollowUp,
        ];
        for &w in CaseWrite::ALL {
            assert!(may_write(Relation::Own, w), "{w:?}");
            assert!(may_write(Relation::Organisation, w), "{w:?}");
            assert_eq!(
                may_write(Relation::Shared, w),
                own_work.contains(&w),
                "{w:?}"
            );
            assert!(!may_write(Relation::Unrelated, w), "{w:?}");
            assert!(!w.describe().is_empty());
        }
        for w in [
            CaseWrite::Details,
            CaseWrite::Assignment,
            CaseWrite::Status,
            CaseWrite::Identification,
            CaseWrite::Person,
            CaseWrite::Protection,
            CaseWrite::Labour,
        ] {
            assert!(!partner_may(w), "the owner's case: {w:?}");
        }
    }

    #[test]
    fn a_consulate_or_a_later_change_never_probes_other_organisations() {
        let outside = [OrgKind::Consulate, OrgKind::ImmigrationEnforcement];
        for &reg in OrgKind::ALL {
            for &holder in OrgKind::ALL {
                let expected = !outside.contains(&reg) && !outside.contains(&holder);
                assert_eq!(
                    raises_signal(reg, holder, true),
                    expected,
                    "{reg:?} {holder:?}"
                );
                assert!(!raises_signal(reg, holder, false), "{reg:?} {holder:?}");
            }
        }
    }

    #[test]
    fn only_the_holder_is_told_until_its_person_agrees() {
        for reviewer in [false, true] {
            for agreed in [false, true] {
                assert_eq!(sees_signal(SignalSide::Holder, reviewer, agreed), reviewer);
                assert_eq!(
                    sees_signal(SignalSide::Registering, reviewer, agreed),
                    agreed
                );
            }
        }
        let p = |roles: Vec<Role>| Principal {
            user_id: Uuid::nil(),
            org_id: Uuid::nil(),
            org_kind: OrgKind::Ngo,
            roles,
        };
        assert!(reviews_duplicates(&p(vec![Role::Supervisor])));
        assert!(!reviews_duplicates(&p(vec![Role::Caseworker])));
        assert!(!reviews_duplicates(&p(vec![Role::Consular])));
    }
}
