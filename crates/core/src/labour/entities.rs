//! Entities: recruitment agencies, employers, households that employ domestic workers, and
//! sub-agents or labour brokers. One register shared by every organisation of the network but
//! immigration enforcement (the firewall: it reads aggregate statistics only).
//!
//! An entity is a business, not a person in care, so its name is kept in the clear and found
//! by similarity; a household's name may be a private person's, so it is sealed by the store
//! and never shown to the public. Who named an entity (the link from a report, a case, a held
//! document or a screening) is the reporting organisation's alone: others see counts.
//!
//! The public recruiter check shows a licence status from the register and sanctions only when
//! an inspectorate or a court confirmed them ([`public_entry`]); never a complaint, never who
//! complained, never a household.

use crate::casework::calendar::{Day, date_field};
use crate::policy::{DenyReason, Principal};
use crate::validate::{Problems, required_value, text};
use crate::vocab::vocabulary;
use crate::{Country, ErrorCode, OrgKind, Role};

vocabulary! {
    /// What an entity is.
    EntityKind {
        RecruitmentAgency => "recruitment_agency",
        Employer => "employer",
        Household => "household",
        Broker => "broker",
    }
}

vocabulary! {
    /// A licence as the register knows it.
    LicenceStatus {
        Licensed => "licensed",
        Suspended => "suspended",
        Revoked => "revoked",
        Unknown => "unknown",
    }
}

vocabulary! {
    /// What an entity was to the worker, as a report, case, document or screening names it.
    LinkRole {
        Recruiter => "recruiter",
        Employer => "employer",
        DocumentHolder => "document_holder",
    }
}

vocabulary! {
    /// What names an entity.
    LinkedRecord {
        Report => "report",
        Case => "case",
        Document => "document",
        Screening => "screening",
    }
}

vocabulary! {
    /// The sector: the sections of ISIC Rev.4, which the HTCDS forced-labour industry list
    /// (`vic_ForcedLabourIndustry`) follows letter for letter.
    Sector {
        A => "A",
        B => "B",
        C => "C",
        D => "D",
        E => "E",
        F => "F",
        G => "G",
        H => "H",
        I => "I",
        J => "J",
        K => "K",
        L => "L",
        M => "M",
        N => "N",
        O => "O",
        P => "P",
        Q => "Q",
        R => "R",
        S => "S",
        T => "T",
        U => "U",
    }
}

/// The HTCDS 2.0 spellings of the forced-labour industries, by ISIC section.
const HTCDS_INDUSTRY: &[(Sector, &str)] = &[
    (Sector::A, "A_AgricultureForestryAndFishing"),
    (Sector::B, "B_MiningAndQuarrying"),
    (Sector::C, "C_Manufacturing"),
    (Sector::D, "D_ElectricityGasSteamAndAirConditioningSupply"),
    (Sector::E, "E_WaterSupplySewerageWasteManagement"),
    (Sector::F, "F_Construction"),
    (Sector::G, "G_WholesaleAndRetailTradeRepairOfMotorVehicles"),
    (Sector::H, "H_TransportationAndStorage"),
    (Sector::I, "I_AccommodationAndFoodServiceActivities"),
    (Sector::J, "J_InformationAndCommunication"),
    (Sector::K, "K_FinancialAndInsuranceActivities"),
    (Sector::L, "L_RealEstateActivities"),
    (Sector::M, "M_ProfessionalScientificAndTechnicalActivities"),
    (Sector::N, "N_AdministrativeAndSupportServiceActivities"),
    (Sector::O, "O_PublicAdministrationAndDefence"),
    (Sector::P, "P_Education"),
    (Sector::Q, "Q_HumanHealthAndSocialWorkActivities"),
    (Sector::R, "R_ArtsEntertainmentAndRecreation"),
    (Sector::S, "S_OtherServiceActivities"),
    (Sector::T, "T_ActivitiesOfHouseholdsAsEmployers"),
    (Sector::U, "U_ActivitiesOfExtraterritorialOrganizations"),
];

impl Sector {
    /// The HTCDS `vic_ForcedLabourIndustry` value of this section.
    pub fn htcds(self) -> &'static str {
        HTCDS_INDUSTRY
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("", |(_, h)| h)
    }

    /// A section as typed: its letter (either case) or its HTCDS spelling.
    pub fn read(typed: &str) -> Option<Sector> {
        let t = typed.trim();
        Sector::parse(&t.to_ascii_uppercase()).or_else(|| {
            HTCDS_INDUSTRY
                .iter()
                .find(|(_, h)| *h == t)
                .map(|(s, _)| *s)
        })
    }
}

pub const NAME_MAX: usize = 200;
pub const LICENCE_NUMBER_MAX: usize = 100;
pub const AUTHORITY_MAX: usize = 200;
pub const SANCTION_MAX: usize = 1_000;
pub const ADDRESS_MAX: usize = 500;

/// An entity as typed (a form or the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEntity {
    pub name: String,
    pub kind: String,
    pub country: String,
    pub licence_number: String,
    pub sector: String,
}

/// A validated entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntity {
    pub name: String,
    pub kind: EntityKind,
    pub country: Country,
    pub licence_number: Option<String>,
    pub sector: Option<Sector>,
}

fn kind_of(p: &mut Problems, typed: &str) -> Option<EntityKind> {
    required_value(p, "kind", typed, EntityKind::parse, || {
        format!("kind must be one of: {}", EntityKind::allowed())
    })
}

fn country_of(p: &mut Problems, typed: &str) -> Option<Country> {
    match typed.trim() {
        "" => {
            p.add("country", ErrorCode::Required, "country is required");
            None
        }
        c => Country::parse(c).or_else(|| {
            p.add(
                "country",
                ErrorCode::InvalidCountry,
                "country must be an ISO 3166-1 alpha-2 code such as GB",
            );
            None
        }),
    }
}

/// A sector as typed: `None` inside when none was given, `None` outside after a problem.
fn sector_of(p: &mut Problems, typed: &str) -> Option<Option<Sector>> {
    if typed.trim().is_empty() {
        return Some(None);
    }
    match Sector::read(typed) {
        Some(s) => Some(Some(s)),
        None => {
            p.add(
                "sector",
                ErrorCode::UnknownValue,
                "sector must be an ISIC Rev.4 section, a letter from A to U",
            );
            None
        }
    }
}

impl RawEntity {
    /// Validates an entity: every problem at once, never a panic.
    pub fn validate(&self) -> Result<NewEntity, Problems> {
        let mut p = Problems::default();
        let name = text(&mut p, "name", &self.name, true, NAME_MAX);
        let kind = kind_of(&mut p, &self.kind);
        let country = country_of(&mut p, &self.country);
        let licence_number = text(
            &mut p,
            "licence_number",
            &self.licence_number,
            false,
            LICENCE_NUMBER_MAX,
        );
        let sector = sector_of(&mut p, &self.sector);
        match (name, kind, country, sector, p.0.is_empty()) {
            (Some(name), Some(kind), Some(country), Some(sector), true) => Ok(NewEntity {
                name,
                kind,
                country,
                licence_number,
                sector,
            }),
            _ => Err(p),
        }
    }
}

/// A licence as typed: its status, the licensing authority and the day it was decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawLicence {
    pub licence_number: String,
    pub status: String,
    pub authority: String,
    pub decided_on: String,
}

/// A validated licence. A status other than `unknown` needs the authority that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    pub licence_number: Option<String>,
    pub status: LicenceStatus,
    pub authority: Option<String>,
    pub decided_on: Option<Day>,
}

impl RawLicence {
    pub fn validate(&self) -> Result<Licence, Problems> {
        let mut p = Problems::default();
        let licence_number = text(
            &mut p,
            "licence_number",
            &self.licence_number,
            false,
            LICENCE_NUMBER_MAX,
        );
        let status = required_value(
            &mut p,
            "licence_status",
            &self.status,
            LicenceStatus::parse,
            || {
                format!(
                    "licence_status must be one of: {}",
                    LicenceStatus::allowed()
                )
            },
        );
        let known = status.is_some_and(|s| s != LicenceStatus::Unknown);
        let authority = text(&mut p, "authority", &self.authority, known, AUTHORITY_MAX);
        let decided_on = date_field(&mut p, "decided_on", &self.decided_on, known);
        match (status, decided_on, p.0.is_empty()) {
            (Some(status), Some(decided_on), true) => Ok(Licence {
                licence_number,
                status,
                authority,
                decided_on,
            }),
            _ => Err(p),
        }
    }
}

/// A sanction as typed: what was decided, by which inspectorate or court, and when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSanction {
    pub description: String,
    pub authority: String,
    pub decided_on: String,
}

/// A confirmed sanction: public once recorded, so it holds no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanction {
    pub description: String,
    pub authority: String,
    pub decided_on: Day,
}

impl RawSanction {
    /// Validates a sanction; a date after `today` is refused (a confirmation is a fact).
    pub fn validate(&self, today: Day) -> Result<Sanction, Problems> {
        let mut p = Problems::default();
        let description = text(&mut p, "description", &self.description, true, SANCTION_MAX);
        let authority = text(&mut p, "authority", &self.authority, true, AUTHORITY_MAX);
        let decided_on = date_field(&mut p, "decided_on", &self.decided_on, true).flatten();
        if decided_on.is_some_and(|d| d > today) {
            p.add(
                "decided_on",
                ErrorCode::InTheFuture,
                "decided_on is after today: record a sanction once it is confirmed",
            );
        }
        match (description, authority, decided_on, p.0.is_empty()) {
            (Some(description), Some(authority), Some(decided_on), true) => Ok(Sanction {
                description,
                authority,
                decided_on,
            }),
            _ => Err(p),
        }
    }
}

/// A workplace address as typed; `None` after recording the problem.
pub fn workplace(p: &mut Problems, typed: &str) -> Option<String> {
    text(p, "address", typed, true, ADDRESS_MAX)
}

/// What someone may do with the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityAction {
    /// Search the register and read an entity (counts of what names it, never who).
    Read,
    /// Add an entity, a workplace, or name one from a record the actor may change.
    Write,
    /// Change a licence's status.
    UpdateLicence,
    /// Merge two duplicates, or undo a merge.
    Merge,
    /// Record a sanction an inspectorate or a court confirmed.
    ConfirmSanction,
}

impl EntityAction {
    pub const ALL: &'static [EntityAction] = &[
        EntityAction::Read,
        EntityAction::Write,
        EntityAction::UpdateLicence,
        EntityAction::Merge,
        EntityAction::ConfirmSanction,
    ];
}

/// The roles of staff who meet workers: they read the register and add to it.
const STAFF: &[Role] = &[
    Role::Intake,
    Role::Caseworker,
    Role::Supervisor,
    Role::ServiceProvider,
    Role::Consular,
    Role::Inspector,
];

/// Who may do `action` on the register. Immigration enforcement is refused everything, before
/// any role is looked at. Staff who meet workers read and add. What the public recruiter check
/// publishes — a licence's status, a confirmed sanction — and what reshapes the register for
/// every organisation — merging two entries or undoing it — belong to the register's keeper:
/// an inspector or a supervisor (a supervisor only, to merge) of a labour inspectorate. Anyone
/// else holding those roles is out of scope, so no NGO, consulate or hotline account can mark a
/// revoked agency licensed or fold it into a clean one.
pub fn entity_access(who: &Principal, action: EntityAction) -> Result<(), DenyReason> {
    if who.org_kind == OrgKind::ImmigrationEnforcement {
        return Err(DenyReason::ImmigrationFirewall);
    }
    let has = |roles: &[Role]| who.roles.iter().any(|r| roles.contains(r));
    let keeper = |roles: &[Role]| {
        if !has(roles) {
            Err(DenyReason::NoGrant)
        } else if who.org_kind != OrgKind::LabourInspectorate {
            Err(DenyReason::OutOfScope)
        } else {
            Ok(())
        }
    };
    match action {
        EntityAction::Read | EntityAction::Write if has(STAFF) => Ok(()),
        EntityAction::Read | EntityAction::Write => Err(DenyReason::NoGrant),
        EntityAction::UpdateLicence | EntityAction::ConfirmSanction => {
            keeper(&[Role::Supervisor, Role::Inspector])
        }
        EntityAction::Merge => keeper(&[Role::Supervisor]),
    }
}

/// Whether a link (who named the entity, from which record) is shown to a reader: only to the
/// organisation that made it. Others see counts.
pub fn link_visible(reader_org: uuid::Uuid, link_org: uuid::Uuid) -> bool {
    reader_org == link_org
}

/// A count of what names an entity as another organisation (or the public list) may see it:
/// `None` when it is under `k`, so a figure never points at one worker.
pub fn safe_count(n: u64, k: u64) -> Option<u64> {
    (n == 0 || n >= k).then_some(n)
}

/// What the public recruiter check shows of an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicEntry<'a> {
    pub name: &'a str,
    pub kind: EntityKind,
    pub licence_status: LicenceStatus,
    pub sanctions: &'a [Sanction],
}

/// The public view of an entity, or `None` when it is never shown publicly: a household (its
/// name may be a private person's) or an entity merged into another (the survivor is shown).
/// The sanctions are those confirmed by an inspectorate or a court, which are all the register
/// holds; complaints are not part of it.
pub fn public_entry<'a>(
    name: &'a str,
    kind: EntityKind,
    merged: bool,
    licence_status: LicenceStatus,
    sanctions: &'a [Sanction],
) -> Option<PublicEntry<'a>> {
    (kind != EntityKind::Household && !merged).then_some(PublicEntry {
        name,
        kind,
        licence_status,
        sanctions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn raw() -> RawEntity {
        RawEntity {
            name: " Al Noor Manpower ".into(),
            kind: "recruitment_agency".into(),
            country: "ae".into(),
            licence_number: "RA-1042".into(),
            sector: "n".into(),
        }
    }

    fn fields(p: &Problems) -> Vec<(&str, ErrorCode)> {
        p.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn the_vocabularies_keep_the_contract_spellings() {
        let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["recruitment_agency", "employer", "household", "broker"]
        );
        let roles: Vec<&str> = LinkRole::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(roles, ["recruiter", "employer", "document_holder"]);
        let status: Vec<&str> = LicenceStatus::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(status, ["licensed", "suspended", "revoked", "unknown"]);
        assert_eq!(Sector::ALL.len(), 21, "ISIC Rev.4 sections A to U");
        assert_eq!(HTCDS_INDUSTRY.len(), 21);
        for s in Sector::ALL {
            assert_eq!(Sector::read(s.htcds()), Some(*s));
            assert!(s.htcds().starts_with(s.as_str()));
        }
    }

    #[test]
    fn a_valid_entity_is_trimmed_and_normalised() {
        let e = raw().validate().expect("valid");
        assert_eq!(e.name, "Al Noor Manpower");
        assert_eq!(e.kind, EntityKind::RecruitmentAgency);
        assert_eq!(e.country.as_str(), "AE");
        assert_eq!(e.licence_number.as_deref(), Some("RA-1042"));
        assert_eq!(e.sector, Some(Sector::N));
        let e = RawEntity {
            licence_number: String::new(),
            sector: "T_ActivitiesOfHouseholdsAsEmployers".into(),
            ..raw()
        }
        .validate()
        .expect("valid");
        assert_eq!((e.licence_number, e.sector), (None, Some(Sector::T)));
    }

    #[test]
    fn each_bad_field_is_named() {
        let p = RawEntity::default().validate().expect_err("empty");
        assert_eq!(
            fields(&p),
            [
                ("name", ErrorCode::Required),
                ("kind", ErrorCode::Required),
                ("country", ErrorCode::Required)
            ]
        );
        let p = RawEntity {
            kind: "agency".into(),
            country: "Narnia".into(),
            sector: "Z".into(),
            ..raw()
        }
        .validate()
        .expect_err("bad");
        assert_eq!(
            fields(&p),
            [
                ("kind", ErrorCode::UnknownValue),
                ("country", ErrorCode::InvalidCountry),
                ("sector", ErrorCode::UnknownValue)
            ]
        );
    }

    #[test]
    fn a_licence_status_from_nowhere_is_refused_and_a_known_one_needs_its_authority() {
        let p = RawLicence {
            status: "probably fine".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("bad");
        assert_eq!(fields(&p), [("licence_status", ErrorCode::UnknownValue)]);
        let p = RawLicence {
            status: "revoked".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("needs authority and date");
        assert_eq!(
            fields(&p),
            [
                ("authority", ErrorCode::Required),
                ("decided_on", ErrorCode::Required)
            ]
        );
        let l = RawLicence {
            status: "unknown".into(),
            ..Default::default()
        }
        .validate()
        .expect("an unknown status needs nothing more");
        assert_eq!(l.status, LicenceStatus::Unknown);
    }

    #[test]
    fn a_sanction_is_confirmed_by_an_authority_on_a_past_day() {
        let today = Day::parse("2026-06-01").expect("day");
        let ok = RawSanction {
            description: "Licence revoked for charging recruitment fees".into(),
            authority: "Labour Inspectorate".into(),
            decided_on: "2026-05-02".into(),
        };
        assert!(ok.validate(today).is_ok());
        let p = RawSanction {
            decided_on: "2026-07-01".into(),
            ..ok.clone()
        }
        .validate(today)
        .expect_err("future");
        assert_eq!(fields(&p), [("decided_on", ErrorCode::InTheFuture)]);
        let p = RawSanction::default().validate(today).expect_err("empty");
        assert_eq!(p.0.len(), 3);
    }

    fn who(kind: OrgKind, roles: &[Role]) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            org_id: Uuid::nil(),
            org_kind: kind,
            roles: roles.to_vec(),
        }
    }

    /// Every kind of organisation × every role × every action: the firewall first, then the
    /// roles; a licence, a sanction and a merge only from a labour inspectorate.
    #[test]
    fn the_access_matrix() {
        for kind in OrgKind::ALL {
            for role in Role::ALL {
                for action in EntityAction::ALL {
                    let got = entity_access(&who(*kind, &[*role]), *action);
                    let expected = if *kind == OrgKind::ImmigrationEnforcement {
                        Err(DenyReason::ImmigrationFirewall)
                    } else {
                        let staff = STAFF.contains(role);
                        let licence = matches!(role, Role::Supervisor | Role::Inspector);
                        match action {
                            EntityAction::Read | EntityAction::Write => {
                                if staff {
                                    Ok(())
                                } else {
                                    Err(DenyReason::NoGrant)
                                }
                            }
                            EntityAction::UpdateLicence | EntityAction::ConfirmSanction => {
                                match (licence, *kind == OrgKind::LabourInspectorate) {
                                    (true, true) => Ok(()),
                                    (true, false) => Err(DenyReason::OutOfScope),
                                    _ => Err(DenyReason::NoGrant),
                                }
                            }
                            EntityAction::Merge => {
                                match (
                                    *role == Role::Supervisor,
                                    *kind == OrgKind::LabourInspectorate,
                                ) {
                                    (true, true) => Ok(()),
                                    (true, false) => Err(DenyReason::OutOfScope),
                                    _ => Err(DenyReason::NoGrant),
                                }
                            }
                        }
                    };
                    assert_eq!(got, expected, "{kind:?} {role:?} {action:?}");
                }
            }
        }
    }

    #[test]
    fn the_public_never_sees_a_household_or_an_absorbed_duplicate() {
        let none: Vec<Sanction> = Vec::new();
        for kind in EntityKind::ALL {
            for merged in [false, true] {
                let shown =
                    public_entry("X", *kind, merged, LicenceStatus::Revoked, &none).is_some();
                assert_eq!(shown, *kind != EntityKind::Household && !merged);
            }
        }
    }

    #[test]
    fn counts_under_k_are_hidden_and_links_stay_with_their_organisation() {
        assert_eq!(safe_count(0, 10), Some(0));
        assert_eq!(safe_count(9, 10), None);
        assert_eq!(safe_count(10, 10), Some(10));
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(link_visible(a, a));
        assert!(!link_visible(a, b));
    }
}
