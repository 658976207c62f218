//! The access policy: one pure function decides every access to personal data.
//!
//! `decide(principal, action, relation)` answers allow (with the scope that allowed it) or deny
//! (with a reason). The store calls it before every read and write of personal data, so there is
//! no path from a handler to a record around it. Rules, in order:
//!
//! 1. **Immigration firewall.** A principal whose organisation is of kind
//!    `immigration_enforcement` may read aggregate statistics and nothing else, whatever roles it
//!    holds.
//! 2. Every role may read aggregate statistics (they hold no personal data).
//! 3. Otherwise a role grants an action on records in some scopes; the principal is allowed when
//!    any of its roles grants the action in the scope its relation to the record falls in.
//!
//! The role grants are the table in [`grants`]; the test module states the same rules as a matrix
//! over every role × organisation kind × action × relation.

use crate::vocab::{OrgKind, Role};
use serde::Serialize;
use uuid::Uuid;

/// Who is asking: a user of one organisation with its roles. Plain data; the store wraps it in
/// an `Actor` that only authentication can make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub org_kind: OrgKind,
    pub roles: Vec<Role>,
}

/// What the principal wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Register a person or open a case in an organisation.
    CreateCase,
    /// Read a case with its person's identity (personal data).
    ReadCase,
    /// Change a case or its person.
    UpdateCase,
    /// Read the firewalled migration status of a person.
    ReadMigrationStatus,
    /// Read an intake report routed to the organisation (narrative, contact, messages).
    ReadReport,
    /// Take a report or a call, acknowledge, answer, open or link a case, close a report.
    HandleReport,
    /// Read aggregate, suppressed statistics.
    ReadStatistics,
    /// Create, change or disable users of an organisation.
    ManageUsers,
    /// Create and change organisations and system configuration.
    ManageOrganisations,
}

impl Action {
    pub const ALL: &'static [Action] = &[
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

    /// True for actions that read or write personal data.
    pub fn touches_personal_data(self) -> bool {
        matches!(
            self,
            Action::CreateCase
                | Action::ReadCase
                | Action::UpdateCase
                | Action::ReadMigrationStatus
        )
    }
}

/// How the principal stands to the record (or, for creation and user management, to the
/// organisation the record belongs to). The store computes it from the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The record is assigned to the principal or was created by them.
    Own,
    /// The record belongs to the principal's organisation.
    Organisation,
    /// None of the above. Only aggregate reads and system administration reach this far.
    Unrelated,
}

impl Relation {
    pub const ALL: &'static [Relation] =
        &[Relation::Own, Relation::Organisation, Relation::Unrelated];
}

/// The scope a grant covers. `Organisation` includes `Own`; `All` includes everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Own,
    Organisation,
    All,
}

impl Scope {
    /// Whether a record in `relation` falls inside this scope.
    pub fn covers(self, relation: Relation) -> bool {
        match self {
            Scope::All => true,
            Scope::Organisation => matches!(relation, Relation::Own | Relation::Organisation),
            Scope::Own => relation == Relation::Own,
        }
    }
}

/// Why an access was refused. Logged and audited; never shown in a way that reveals whether a
/// record exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    #[error("immigration enforcement organisations read aggregate statistics only")]
    ImmigrationFirewall,
    #[error("no role of this user grants the action")]
    NoGrant,
    #[error("the record is outside the scopes this user's roles grant")]
    OutOfScope,
}

/// The policy's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow(Scope),
    Deny(DenyReason),
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow(_))
    }
}

/// The scopes in which `role` grants `action`. This table is the whole of the role model.
pub fn grants(role: Role, action: Action) -> &'static [Scope] {
    use Action::*;
    use Scope as S;
    match (role, action) {
        (_, ReadStatistics) => &[S::All],
        (Role::Intake, CreateCase | ReadCase | UpdateCase) => &[S::Own],
        (Role::Intake | Role::Supervisor, ReadReport | HandleReport) => &[S::Organisation],
        (Role::Caseworker, CreateCase) => &[S::Organisation],
        (Role::Caseworker, ReadCase | UpdateCase) => &[S::Own],
        (Role::Caseworker, ReadMigrationStatus) => &[S::Own],
        (Role::Supervisor, CreateCase) => &[S::Organisation],
        (Role::Supervisor, ReadCase | UpdateCase) => &[S::Organisation],
        (Role::Supervisor, ReadMigrationStatus) => &[S::Organisation],
        (Role::ServiceProvider, ReadCase | UpdateCase) => &[S::Own],
        (Role::Consular, CreateCase) => &[S::Organisation],
        (Role::Consular, ReadCase | UpdateCase) => &[S::Own],
        (Role::Inspector, CreateCase | ReadCase | UpdateCase) => &[S::Organisation],
        (Role::Ombudsperson, ReadReport | HandleReport) => &[S::Organisation],
        (Role::Ombudsperson, CreateCase) => &[S::Organisation],
        (Role::Ombudsperson, ReadCase | UpdateCase | ReadMigrationStatus) => &[S::Own],
        (Role::OrgAdmin, ManageUsers) => &[S::Organisation],
        (Role::SystemAdmin, ManageUsers | ManageOrganisations) => &[S::All],
        _ => &[],
    }
}

/// Decides one access. Pure and total: every combination has an answer.
pub fn decide(principal: &Principal, action: Action, relation: Relation) -> Decision {
    if principal.org_kind == OrgKind::ImmigrationEnforcement && action != Action::ReadStatistics {
        return Decision::Deny(DenyReason::ImmigrationFirewall);
    }
    let mut granted_somewhere = false;
    for role in &principal.roles {
        for scope in grants(*role, action) {
            granted_somewhere = true;
            if scope.covers(relation) {
                return Decision::Allow(*scope);
            }
        }
    }
    Decision::Deny(if granted_somewhere {
        DenyReason::OutOfScope
    } else {
        DenyReason::NoGrant
    })
}

/// Which cases a principal may list or search: the union of the scopes its roles grant for
/// [`Action::ReadCase`]. Only this function makes one, so a store query built from it cannot be
/// wider than the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListScope {
    user_id: Uuid,
    org_id: Uuid,
    own: bool,
    organisation: bool,
}

impl ListScope {
    pub fn user_id(&self) -> Uuid {
        self.user_id
    }
    pub fn org_id(&self) -> Uuid {
        self.org_id
    }
    /// Records assigned to or created by the user.
    pub fn own(&self) -> bool {
        self.own || self.organisation
    }
    /// Every record of the user's organisation.
    pub fn organisation(&self) -> bool {
        self.organisation
    }
    /// Whether a record with this relation is inside the scope (the store re-checks each row).
    pub fn admits(&self, relation: Relation) -> bool {
        match relation {
            Relation::Own => self.own(),
            Relation::Organisation => self.organisation,
            Relation::Unrelated => false,
        }
    }
}

/// The list scope for reading cases, or why there is none.
pub fn case_list_scope(principal: &Principal) -> Result<ListScope, DenyReason> {
    let mut scope = ListScope {
        user_id: principal.user_id,
        org_id: principal.org_id,
        own: false,
        organisation: false,
    };
    for relation in [Relation::Own, Relation::Organisation] {
        match decide(principal, Action::ReadCase, relation) {
            Decision::Allow(_) => match relation {
                Relation::Own => scope.own = true,
                Relation::Organisation => scope.organisation = true,
                Relation::Unrelated => {}
            },
            Decision::Deny(DenyReason::ImmigrationFirewall) => {
                return Err(DenyReason::ImmigrationFirewall);
            }
            Decision::Deny(_) => {}
        }
    }
    if scope.own || scope.organisation {
        Ok(scope)
    } else {
        Err(DenyReason::NoGrant)
    }
}

/// Whether a record may ever cross to an organisation of this kind (a referral, a transfer, a
/// consent naming it). Immigration enforcement is refused whatever the consent says.
pub fn may_receive_shared_records(kind: OrgKind) -> bool {
    kind != OrgKind::ImmigrationEnforcement
}

pub mod accounts;
pub mod partner;

#[cfg(test)]
mod matrix;
