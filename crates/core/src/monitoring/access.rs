//! Who may record, read and verify incidents, and who reads the monitoring views.
//!
//! Incidents are recorded and read by intake staff, caseworkers and supervisors of the
//! organisations that meet victims and witnesses or monitor rights (NGOs, hotlines, service
//! providers, international organisations, ombudspersons), and by an ombudsperson's
//! investigators; each organisation reads only its own (the store's scope). A supervisor or an
//! ombudsperson decides verification. The monitoring views — counts across every organisation,
//! small cells suppressed — are for those and the analysts, and for a ministry's analysts. Immigration enforcement gets nothing, before any role
//! is looked at.

use crate::policy::{DenyReason, Principal};
use crate::{OrgKind, Role};

/// What someone may do with incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentAction {
    /// Record an incident or a monitoring visit, link one to a case of the organisation.
    Record,
    /// Read the organisation's own incidents and visits.
    Read,
    /// Change an incident's verification status.
    Verify,
    /// Read the monitoring views: counts across organisations, small cells suppressed.
    Monitor,
}

impl IncidentAction {
    pub const ALL: &'static [IncidentAction] = &[
        IncidentAction::Record,
        IncidentAction::Read,
        IncidentAction::Verify,
        IncidentAction::Monitor,
    ];
}

/// The kinds of organisation that record incidents.
pub const RECORDING_KINDS: &[OrgKind] = &[
    OrgKind::Ngo,
    OrgKind::Hotline,
    OrgKind::ServiceProvider,
    OrgKind::InternationalOrganisation,
    OrgKind::Ombudsperson,
];

/// Who records and reads incidents: the intake, case and supervising staff of a recording
/// organisation, and an ombudsperson's investigators.
const STAFF: &[Role] = &[
    Role::Intake,
    Role::Caseworker,
    Role::Supervisor,
    Role::Ombudsperson,
];

/// Who verifies an incident and reads the monitoring views inside a recording organisation.
const SENIOR: &[Role] = &[Role::Supervisor, Role::Ombudsperson];

/// Who may do `action`: the firewall first, then the roles, then the kind of organisation.
pub fn incident_access(who: &Principal, action: IncidentAction) -> Result<(), DenyReason> {
    if who.org_kind == OrgKind::ImmigrationEnforcement {
        return Err(DenyReason::ImmigrationFirewall);
    }
    let has = |roles: &[Role]| who.roles.iter().any(|r| roles.contains(r));
    let recorder = RECORDING_KINDS.contains(&who.org_kind);
    let (granted, in_scope) = match action {
        IncidentAction::Record | IncidentAction::Read => (has(STAFF), recorder),
        IncidentAction::Verify => (has(SENIOR), recorder),
        IncidentAction::Monitor => {
            let supervisor = has(SENIOR);
            let analyst = has(&[Role::Analyst]);
            (
                supervisor || analyst,
                (recorder && (supervisor || analyst))
                    || (who.org_kind == OrgKind::Ministry && analyst),
            )
        }
    };
    match (granted, in_scope) {
        (false, _) => Err(DenyReason::NoGrant),
        (true, false) => Err(DenyReason::OutOfScope),
        (true, true) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn who(kind: OrgKind, roles: &[Role]) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            org_id: Uuid::nil(),
            org_kind: kind,
            roles: roles.to_vec(),
        }
    }

    /// Every kind of organisation × every role × every action.
    #[test]
    fn the_access_matrix() {
        for kind in OrgKind::ALL {
            for role in Role::ALL {
                for action in IncidentAction::ALL {
                    let got = incident_access(&who(*kind, &[*role]), *action);
                    let recorder = RECORDING_KINDS.contains(kind);
                    let expected = if *kind == OrgKind::ImmigrationEnforcement {
                        Err(DenyReason::ImmigrationFirewall)
                    } else {
                        let (granted, scope) = match action {
                            IncidentAction::Record | IncidentAction::Read => (
                                matches!(
                                    role,
                                    Role::Intake
                                        | Role::Caseworker
                                        | Role::Supervisor
                                        | Role::Ombudsperson
                                ),
                                recorder,
                            ),
                            IncidentAction::Verify => (
                                matches!(role, Role::Supervisor | Role::Ombudsperson),
                                recorder,
                            ),
                            IncidentAction::Monitor => (
                                matches!(
                                    role,
                                    Role::Supervisor | Role::Ombudsperson | Role::Analyst
                                ),
                                recorder || (*kind == OrgKind::Ministry && *role == Role::Analyst),
                            ),
                        };
                        match (granted, scope) {
                            (false, _) => Err(DenyReason::NoGrant),
                            (true, false) => Err(DenyReason::OutOfScope),
                            (true, true) => Ok(()),
                        }
                    };
                    assert_eq!(got, expected, "{kind:?} {role:?} {action:?}");
                }
            }
        }
        // No role, held alone or all together, opens anything to immigration enforcement.
        for action in IncidentAction::ALL {
            assert_eq!(
                incident_access(&who(OrgKind::ImmigrationEnforcement, Role::ALL), *action),
                Err(DenyReason::ImmigrationFirewall)
            );
        }
        // A ministry's supervisor does not read the views; its analyst does.
        assert_eq!(
            incident_access(
                &who(OrgKind::Ministry, &[Role::Supervisor]),
                IncidentAction::Monitor
            ),
            Err(DenyReason::OutOfScope)
        );
    }
}
