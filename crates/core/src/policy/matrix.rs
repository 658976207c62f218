//! The access policy's specification, as a matrix over every role × organisation kind × action ×
//! relation. The table below is written independently of `grants` (as text a reviewer reads) and
//! every cell of the full product is checked against `decide`.

use super::*;
use crate::vocab::{OrgKind, Role};
use proptest::prelude::*;

/// One line per role. Columns: create, read, update, migration status, read reports, handle
/// reports, statistics, manage users, manage organisations. Cells list the relations allowed: o = own, g = organisation,
/// u = unrelated (any record), - = nothing.
const SPEC: &str = "
role              create  read  update  migration  reports  handle  stats  users  orgs
intake            o       o     o       -          og       og      ogu    -      -
caseworker        og      o     o       o          -        -       ogu    -      -
supervisor        og      og    og      og         og       og      ogu    -      -
service_provider  -       o     o       -          -        -       ogu    -      -
consular          og      o     o       -          -        -       ogu    -      -
inspector         og      og    og      -          -        -       ogu    -      -
ombudsperson      og      o     o       o          og       og      ogu    -      -
analyst           -       -     -       -          -        -       ogu    -      -
org_admin         -       -     -       -          -        -       ogu    og     -
system_admin      -       -     -       -          -        -       ogu    ogu    ogu
";

const COLUMNS: [Action; 9] = [
    Action::CreateCase,
    Action::ReadCase,
    Action::UpdateCase,
    Action::ReadMigrationStatus,
    Action::ReadReport,
    Action::HandleReport,
    Action::ReadStatistics,
    Action::ManageUsers,
    Action::ManageOrganisations,
];

fn letter(relation: Relation) -> char {
    match relation {
        Relation::Own => 'o',
        Relation::Organisation => 'g',
        Relation::Unrelated => 'u',
    }
}

/// What the specification says for a single-role principal outside immigration enforcement.
fn spec_allows(role: Role, action: Action, relation: Relation) -> bool {
    let line = SPEC
        .lines()
        .map(str::split_whitespace)
        .map(|cells| cells.collect::<Vec<_>>())
        .find(|cells| cells.first() == Some(&role.as_str()))
        .unwrap_or_else(|| panic!("role {role} missing from the specification"));
    let column = COLUMNS
        .iter()
        .position(|a| *a == action)
        .expect("action column")
        + 1;
    line[column].contains(letter(relation))
}

fn principal(kind: OrgKind, roles: Vec<Role>) -> Principal {
    Principal {
        user_id: Uuid::nil(),
        org_id: Uuid::nil(),
        org_kind: kind,
        roles,
    }
}

#[test]
fn every_cell_of_the_matrix_matches_the_specification() {
    let mut cells = 0;
    for kind in OrgKind::ALL {
        for role in Role::ALL {
            for action in Action::ALL {
                for relation in Relation::ALL {
                    let got = decide(&principal(*kind, vec![*role]), *action, *relation);
                    let want = if *kind == OrgKind::ImmigrationEnforcement {
                        *action == Action::ReadStatistics
                    } else {
                        spec_allows(*role, *action, *relation)
                    };
                    assert_eq!(
                        got.is_allowed(),
                        want,
                        "{kind} {role} {action:?} {relation:?} → {got:?}"
                    );
                    cells += 1;
                }
            }
        }
    }
    assert_eq!(cells, 10 * 10 * 9 * 3);
}

#[test]
fn the_firewall_gives_its_own_reason_for_every_role() {
    let everything = Role::ALL.to_vec();
    for action in Action::ALL.iter().filter(|a| **a != Action::ReadStatistics) {
        for relation in Relation::ALL {
            let d = decide(
                &principal(OrgKind::ImmigrationEnforcement, everything.clone()),
                *action,
                *relation,
            );
            assert_eq!(d, Decision::Deny(DenyReason::ImmigrationFirewall));
        }
    }
    assert_eq!(
        case_list_scope(&principal(OrgKind::ImmigrationEnforcement, everything)),
        Err(DenyReason::ImmigrationFirewall)
    );
}

#[test]
fn nobody_reads_personal_data_of_an_unrelated_record() {
    let everything = Role::ALL.to_vec();
    for kind in OrgKind::ALL {
        for action in Action::ALL.iter().filter(|a| a.touches_personal_data()) {
            assert!(
                !decide(
                    &principal(*kind, everything.clone()),
                    *action,
                    Relation::Unrelated
                )
                .is_allowed()
            );
        }
    }
}

#[test]
fn analysts_and_administrators_never_read_case_content() {
    for kind in OrgKind::ALL {
        let p = principal(
            *kind,
            vec![Role::Analyst, Role::SystemAdmin, Role::OrgAdmin],
        );
        for action in Action::ALL.iter().filter(|a| a.touches_personal_data()) {
            for relation in Relation::ALL {
                assert!(
                    !decide(&p, *action, *relation).is_allowed(),
                    "{kind} {action:?} {relation:?}"
                );
            }
        }
        assert!(case_list_scope(&p).is_err());
    }
}

#[test]
fn no_role_reaches_another_organisations_case() {
    for kind in OrgKind::ALL {
        let p = principal(*kind, Role::ALL.to_vec());
        for action in [
            Action::ReadCase,
            Action::UpdateCase,
            Action::ReadMigrationStatus,
        ] {
            assert!(!decide(&p, action, Relation::Unrelated).is_allowed());
        }
    }
}

#[test]
fn deny_reasons_tell_missing_grant_from_wrong_scope() {
    let analyst = principal(OrgKind::Ministry, vec![Role::Analyst]);
    assert_eq!(
        decide(&analyst, Action::ReadCase, Relation::Own),
        Decision::Deny(DenyReason::NoGrant)
    );
    let worker = principal(OrgKind::ServiceProvider, vec![Role::Caseworker]);
    assert_eq!(
        decide(&worker, Action::ReadCase, Relation::Organisation),
        Decision::Deny(DenyReason::OutOfScope)
    );
    assert_eq!(
        decide(&worker, Action::ReadCase, Relation::Own),
        Decision::Allow(Scope::Own)
    );
}

#[test]
fn list_scopes_follow_the_read_column() {
    let s = case_list_scope(&principal(OrgKind::ServiceProvider, vec![Role::Supervisor]))
        .expect("scope");
    assert!(s.own() && s.organisation());
    let s = case_list_scope(&principal(OrgKind::Consulate, vec![Role::Consular])).expect("scope");
    assert!(s.own() && !s.organisation());
    let s = case_list_scope(&principal(
        OrgKind::ServiceProvider,
        vec![Role::ServiceProvider],
    ))
    .expect("scope");
    assert!(
        s.admits(Relation::Own)
            && !s.admits(Relation::Organisation)
            && !s.admits(Relation::Unrelated)
    );
}

#[test]
fn nothing_is_ever_shared_with_immigration_enforcement() {
    for kind in OrgKind::ALL {
        assert_eq!(
            may_receive_shared_records(*kind),
            *kind != OrgKind::ImmigrationEnforcement
        );
    }
}

fn any_roles() -> impl Strategy<Value = Vec<Role>> {
    proptest::sample::subsequence(Role::ALL.to_vec(), 0..=Role::ALL.len())
}

proptest! {
    /// Several roles grant exactly the union of what each grants alone (outside the firewall).
    #[test]
    fn roles_combine_as_a_union(roles in any_roles(), k in 0..OrgKind::ALL.len(), a in 0..Action::ALL.len(), r in 0..Relation::ALL.len()) {
        let (kind, action, relation) = (OrgKind::ALL[k], Action::ALL[a], Relation::ALL[r]);
        let together = decide(&principal(kind, roles.clone()), action, relation).is_allowed();
        let any_alone = roles.iter().any(|role| decide(&principal(kind, vec![*role]), action, relation).is_allowed());
        if kind == OrgKind::ImmigrationEnforcement {
            prop_assert_eq!(together, action == Action::ReadStatistics && any_alone);
        } else {
            prop_assert_eq!(together, any_alone);
        }
    }

    /// The list scope admits a relation exactly when reading a record in that relation is allowed.
    #[test]
    fn list_scope_agrees_with_decide(roles in any_roles(), k in 0..OrgKind::ALL.len()) {
        let p = principal(OrgKind::ALL[k], roles);
        match case_list_scope(&p) {
            Ok(scope) => for relation in Relation::ALL {
                prop_assert_eq!(scope.admits(*relation), decide(&p, Action::ReadCase, *relation).is_allowed());
            },
            Err(_) => for relation in Relation::ALL {
                prop_assert!(!decide(&p, Action::ReadCase, *relation).is_allowed());
            },
        }
    }
}
