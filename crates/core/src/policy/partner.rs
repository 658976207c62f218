//! Who is told of a partner signal (a likely same person held by another organisation). No
//! organisation reads or changes another's case: referrals and transfers are the only ways
//! data crosses organisations.
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
