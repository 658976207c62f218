//! Rules about accounts: which roles an organisation of each kind may hold, which roles read
//! personal data (and so need a second administrator's approval to be granted), who may approve
//! such a grant, and who must sign in with a second factor. Pure functions over plain facts;
//! the store gathers the facts and asks.

use super::{Action, Principal, grants};
use crate::vocab::{OrgKind, Role};
use uuid::Uuid;

/// The roles a user of an organisation of `kind` may hold. Immigration enforcement holds only
/// the statistics role (the firewall, stated again where accounts are made); a ministry, an
/// analysing body, no role that reads cases; consular work only in a consulate, inspection only
/// in a labour inspectorate, the ombudsperson's investigations only in an ombudsperson's office.
pub fn allowed_roles(kind: OrgKind) -> &'static [Role] {
    use Role::*;
    match kind {
        OrgKind::ImmigrationEnforcement => &[Analyst],
        OrgKind::Ministry => &[Analyst, OrgAdmin, SystemAdmin],
        OrgKind::Ngo
        | OrgKind::Hotline
        | OrgKind::ServiceProvider
        | OrgKind::InternationalOrganisation => &[
            Intake,
            Caseworker,
            Supervisor,
            ServiceProvider,
            Analyst,
            OrgAdmin,
            SystemAdmin,
        ],
        OrgKind::Consulate => &[Intake, Consular, Supervisor, Analyst, OrgAdmin],
        OrgKind::LabourInspectorate => &[Intake, Inspector, Supervisor, Analyst, OrgAdmin],
        OrgKind::LawEnforcement => &[Intake, Caseworker, Supervisor, Analyst, OrgAdmin],
        OrgKind::Ombudsperson => &[
            Intake,
            Caseworker,
            Ombudsperson,
            Supervisor,
            Analyst,
            OrgAdmin,
        ],
    }
}

/// Whether an organisation of `kind` may hold `role`.
pub fn role_allowed(kind: OrgKind, role: Role) -> bool {
    allowed_roles(kind).contains(&role)
}

/// Whether `role` reads personal data: a case, a person or a report. Granting such a role
/// needs a second person's approval.
pub fn reads_cases(role: Role) -> bool {
    [
        Action::CreateCase,
        Action::ReadCase,
        Action::UpdateCase,
        Action::ReadMigrationStatus,
        Action::ReadReport,
        Action::HandleReport,
    ]
    .iter()
    .any(|a| !grants(role, *a).is_empty())
}

/// Whether granting `role` waits for a second person's approval: every role that reads
/// personal data, and every role that administers or approves (else one administrator could
/// make a second administrator account, enrol it through its link, and approve their own
/// requests with it).
pub fn grant_needs_approval(role: Role) -> bool {
    reads_cases(role) || matches!(role, Role::OrgAdmin | Role::SystemAdmin)
}

/// Why a pending grant may not be approved by someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalRefusal {
    #[error("nobody approves a grant they asked for or that is for themselves")]
    OwnGrant,
    #[error("only an administrator or a supervisor of the organisation approves its grants")]
    NotAnApprover,
}

/// Whether `approver` may approve a grant of a role to `grantee` in organisation `org`, asked
/// for by `requester`: another org_admin or a supervisor of the same organisation, never the
/// requester nor the grantee.
pub fn may_approve_grant(
    approver: &Principal,
    org: Uuid,
    requester: Option<Uuid>,
    grantee: Uuid,
) -> Result<(), ApprovalRefusal> {
    if approver.org_id != org
        || approver.org_kind == OrgKind::ImmigrationEnforcement
        || !approver
            .roles
            .iter()
            .any(|r| matches!(r, Role::OrgAdmin | Role::Supervisor))
    {
        return Err(ApprovalRefusal::NotAnApprover);
    }
    if requester == Some(approver.user_id) || grantee == approver.user_id {
        return Err(ApprovalRefusal::OwnGrant);
    }
    Ok(())
}

/// Who must sign in with a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecondFactorRule {
    /// Nobody (the demo world, tests).
    #[default]
    Off,
    /// Administrators and supervisors (the default of a real deployment).
    Privileged,
    /// Every staff user.
    AllStaff,
}

/// Whether a user with `roles` must give a second factor under `rule`.
pub fn second_factor_required(rule: SecondFactorRule, roles: &[Role]) -> bool {
    match rule {
        SecondFactorRule::Off => false,
        SecondFactorRule::AllStaff => true,
        SecondFactorRule::Privileged => roles
            .iter()
            .any(|r| matches!(r, Role::Supervisor | Role::OrgAdmin | Role::SystemAdmin)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Relation, decide};
    use proptest::prelude::*;

    /// Whatever roles immigration enforcement may hold reach no record in any relation.
    #[test]
    fn immigration_enforcement_may_hold_only_the_statistics_role() {
        assert_eq!(
            allowed_roles(OrgKind::ImmigrationEnforcement),
            &[Role::Analyst]
        );
        for role in allowed_roles(OrgKind::ImmigrationEnforcement) {
            for action in Action::ALL {
                if *action != Action::ReadStatistics {
                    assert!(grants(*role, *action).is_empty(), "{role} {action:?}");
                }
            }
        }
    }

    #[test]
    fn a_ministry_holds_no_role_that_reads_cases() {
        for role in allowed_roles(OrgKind::Ministry) {
            assert!(!reads_cases(*role), "{role}");
        }
    }

    #[test]
    fn the_case_reading_roles_are_those_the_grants_table_lets_read() {
        let reading: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| reads_cases(*r))
            .collect();
        assert_eq!(
            reading,
            [
                Role::Intake,
                Role::Caseworker,
                Role::Supervisor,
                Role::ServiceProvider,
                Role::Consular,
                Role::Inspector,
                Role::Ombudsperson
            ]
        );
    }

    fn kind() -> impl Strategy<Value = OrgKind> {
        proptest::sample::select(OrgKind::ALL.to_vec())
    }
    fn role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// A user holding any allowed roles of their kind is never let past the firewall, and a
        /// role outside the list is refused.
        #[test]
        fn allowed_roles_keep_the_firewall(kind in kind(), roles in proptest::collection::vec(role(), 1..5)) {
            let allowed: Vec<Role> = roles.iter().copied().filter(|r| role_allowed(kind, *r)).collect();
            prop_assert!(allowed.iter().all(|r| allowed_roles(kind).contains(r)));
            if kind == OrgKind::ImmigrationEnforcement || kind == OrgKind::Ministry {
                let p = Principal { user_id: Uuid::from_u128(1), org_id: Uuid::from_u128(2), org_kind: kind, roles: allowed };
                for relation in Relation::ALL {
                    prop_assert!(!decide(&p, Action::ReadCase, *relation).is_allowed());
                    prop_assert!(!decide(&p, Action::ReadReport, *relation).is_allowed());
                }
            }
            prop_assert_eq!(role_allowed(kind, Role::Consular), kind == OrgKind::Consulate);
            prop_assert_eq!(role_allowed(kind, Role::Inspector), kind == OrgKind::LabourInspectorate);
            prop_assert_eq!(role_allowed(kind, Role::Ombudsperson), kind == OrgKind::Ombudsperson);
            prop_assert!(role_allowed(kind, Role::Analyst));
        }

        /// Nobody approves a grant they asked for or that makes them a reader, and only an
        /// administrator or supervisor of the same organisation approves.
        #[test]
        fn approval_needs_a_second_person_of_the_organisation(
            roles in proptest::collection::vec(role(), 0..4),
            same_org: bool, is_requester: bool, is_grantee: bool,
        ) {
            let me = Uuid::from_u128(1);
            let org = Uuid::from_u128(2);
            let p = Principal { user_id: me, org_id: if same_org { org } else { Uuid::from_u128(3) }, org_kind: OrgKind::Ngo, roles: roles.clone() };
            let requester = if is_requester { me } else { Uuid::from_u128(4) };
            let grantee = if is_grantee { me } else { Uuid::from_u128(5) };
            let result = may_approve_grant(&p, org, Some(requester), grantee);
            let approver = roles.iter().any(|r| matches!(r, Role::OrgAdmin | Role::Supervisor));
            prop_assert_eq!(result.is_ok(), same_org && approver && !is_requester && !is_grantee);
        }
    }

    /// Every role that reads personal data or can approve a grant waits for approval; only the
    /// statistics role is held at once.
    #[test]
    fn only_the_statistics_role_is_granted_without_a_second_person() {
        for role in Role::ALL {
            let approver = matches!(role, Role::OrgAdmin | Role::Supervisor);
            if reads_cases(*role) || approver || *role == Role::SystemAdmin {
                assert!(grant_needs_approval(*role), "{role}");
            }
        }
        let immediate: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| !grant_needs_approval(*r))
            .collect();
        assert_eq!(immediate, [Role::Analyst]);
    }

    #[test]
    fn the_second_factor_rule() {
        for role in Role::ALL {
            assert!(!second_factor_required(SecondFactorRule::Off, &[*role]));
            assert!(second_factor_required(SecondFactorRule::AllStaff, &[*role]));
            assert_eq!(
                second_factor_required(SecondFactorRule::Privileged, &[*role]),
                matches!(role, Role::Supervisor | Role::OrgAdmin | Role::SystemAdmin),
                "{role}"
            );
        }
    }
}
