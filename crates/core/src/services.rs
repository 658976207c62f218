//! The service directory: what providers offer, to whom, where and in which languages, and the
//! capacity they keep current. Pure rules: the type vocabulary, eligibility, validation of an
//! entry as typed, which kinds of organisation may offer which services (immigration
//! enforcement none: the firewall), who may read and change the directory, and capacity.
//!
//! A directory entry describes an organisation's offer, not a person: it holds no personal
//! data. A shelter's address is the one confidential part (it keeps residents safe): shown to
//! the owning organisation only, unless the provider marks it public.

use crate::policy::{DenyReason, Principal};
use crate::validate::{Problems, required_value, text};
use crate::vocab::vocabulary;
use crate::{Country, ErrorCode, OrgKind, Role};
use uuid::Uuid;

vocabulary! {
    /// What a service offers. Six spellings are shared with the services delivered on a case
    /// (`casework::ServiceType`: shelter, medical, interpretation, education, livelihood,
    /// family_tracing); the others are the directory's own.
    ServiceKind {
        Shelter => "shelter",
        Medical => "medical",
        MentalHealth => "mental_health",
        LegalAid => "legal_aid",
        Interpretation => "interpretation",
        ConsularAssistance => "consular_assistance",
        AsylumSupport => "asylum_support",
        LabourRights => "labour_rights",
        Education => "education",
        Livelihood => "livelihood",
        ReturnReintegration => "return_reintegration",
        FamilyTracing => "family_tracing",
        ChildProtection => "child_protection",
    }
}

vocabulary! {
    /// Whom a service takes by sex.
    ServedSex {
        Any => "any",
        Women => "women",
        Men => "men",
    }
}

vocabulary! {
    /// Whom a service takes by age.
    AgeGroup {
        All => "all",
        Adults => "adults",
        Children => "children",
    }
}

/// Who a service takes. `status_blind`: it serves everyone whatever their migration status
/// (the directory says so rather than making people ask).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eligibility {
    pub sex: ServedSex,
    pub ages: AgeGroup,
    pub status_blind: bool,
}

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const HOURS_MAX: usize = 500;
pub const CONTACT_MAX: usize = 500;
pub const ADDRESS_MAX: usize = 500;
pub const REGION_MAX: usize = 100;
pub const LIST_MAX: usize = 50;
/// More places than any one provider keeps: a figure beyond it is a typing mistake.
pub const CAPACITY_MAX: i64 = 100_000;

/// A service as typed (a form or the API): everything a string, lists as lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawService {
    pub name: String,
    pub kind: String,
    pub description: String,
    /// Where the service is (ISO 3166-1 alpha-2).
    pub country: String,
    /// Other countries it covers (a helpline, a consulate's network).
    pub other_countries: Vec<String>,
    /// Regions within its country, as people name them.
    pub regions: Vec<String>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    pub sex: String,
    pub ages: String,
    pub status_blind: bool,
    pub hours: String,
    pub contact: String,
    pub address: String,
    /// The provider shows its address to everyone (otherwise only to its own staff).
    pub address_public: bool,
    /// Listed on the public service finder.
    pub public: bool,
}

/// A validated service entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEntry {
    pub name: String,
    pub kind: ServiceKind,
    pub description: Option<String>,
    pub country: Country,
    pub other_countries: Vec<Country>,
    pub regions: Vec<String>,
    pub languages: Vec<String>,
    pub eligibility: Eligibility,
    pub hours: Option<String>,
    pub contact: Option<String>,
    pub address: Option<String>,
    pub address_public: bool,
    pub public: bool,
}

/// Whether an organisation of `org` kind may offer a service of `kind`: immigration
/// enforcement offers nothing (a migrant looking for help must never be sent to it), and
/// consular assistance is a consulate's alone.
pub fn may_offer(org: OrgKind, kind: ServiceKind) -> Result<(), ErrorCode> {
    match (org, kind) {
        (OrgKind::ImmigrationEnforcement, _) => Err(ErrorCode::ImmigrationFirewall),
        (OrgKind::Consulate, _) => Ok(()),
        (_, ServiceKind::ConsularAssistance) => Err(ErrorCode::InvalidValue),
        _ => Ok(()),
    }
}

/// An ISO 639 code (two or three letters), lower-cased; `None` for anything else.
pub fn language_code(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_lowercase();
    ((2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase())).then_some(v)
}

fn choice<T: Copy>(
    p: &mut Problems,
    field: &str,
    value: &str,
    default: T,
    parse: fn(&str) -> Option<T>,
    allowed: fn() -> String,
) -> T {
    let v = value.trim();
    if v.is_empty() {
        return default;
    }
    parse(v).unwrap_or_else(|| {
        p.add(
            field,
            ErrorCode::UnknownValue,
            format!("{field} must be one of: {}", allowed()),
        );
        default
    })
}

impl RawService {
    /// Validates an entry offered by an organisation of `org` kind: every problem at once,
    /// never a panic.
    pub fn validate(&self, org: OrgKind) -> Result<ServiceEntry, Problems> {
        let mut p = Problems::default();
        let name = text(&mut p, "name", &self.name, true, NAME_MAX);
        let kind = required_value(&mut p, "type", &self.kind, ServiceKind::parse, || {
            format!("type must be one of: {}", ServiceKind::allowed())
        });
        if let Some(k) = kind
            && let Err(code) = may_offer(org, k)
        {
            let message = if code == ErrorCode::ImmigrationFirewall {
                "an immigration enforcement organisation cannot offer services".to_string()
            } else {
                "only a consulate offers consular assistance".to_string()
            };
            p.add("type", code, message);
        }
        let description = text(
            &mut p,
            "description",
            &self.description,
            false,
            DESCRIPTION_MAX,
        );
        let country = match self.country.trim() {
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
        };
        let mut other_countries = Vec::new();
        for c in self.other_countries.iter().map(|c| c.trim()) {
            match Country::parse(c) {
                Some(c) if Some(c) == country || other_countries.contains(&c) => {}
                Some(c) => other_countries.push(c),
                None if c.is_empty() => {}
                None => p.add(
                    "other_countries",
                    ErrorCode::InvalidCountry,
                    "each country must be an ISO 3166-1 alpha-2 code such as GB",
                ),
            }
        }
        if other_countries.len() > LIST_MAX {
            p.add(
                "other_countries",
                ErrorCode::TooMany,
                format!("at most {LIST_MAX} countries"),
            );
        }
        let mut regions: Vec<String> = Vec::new();
        for r in &self.regions {
            if let Some(r) = text(&mut p, "regions", r, false, REGION_MAX)
                && !regions.contains(&r)
            {
                regions.push(r);
            }
        }
        if regions.len() > LIST_MAX {
            p.add(
                "regions",
                ErrorCode::TooMany,
                format!("at most {LIST_MAX} regions"),
            );
        }
        let mut languages: Vec<String> = Vec::new();
        for l in self.languages.iter().filter(|l| !l.trim().is_empty()) {
            match language_code(l) {
                Some(l) if languages.contains(&l) => {}
                Some(l) => languages.push(l),
                None => p.add(
                    "languages",
                    ErrorCode::InvalidValue,
                    "each language must be an ISO 639 code such as en, fr, es, ar or tl",
                ),
            }
        }
        if languages.is_empty() && !p.0.iter().any(|e| e.field == "languages") {
            p.add(
                "languages",
                ErrorCode::Required,
                "name at least one language the service is given in",
            );
        }
        if languages.len() > LIST_MAX {
            p.add(
                "languages",
                ErrorCode::TooMany,
                format!("at most {LIST_MAX} languages"),
            );
        }
        let sex = choice(
            &mut p,
            "sex",
            &self.sex,
            ServedSex::Any,
            ServedSex::parse,
            ServedSex::allowed,
        );
        let ages = choice(
            &mut p,
            "ages",
            &self.ages,
            AgeGroup::All,
            AgeGroup::parse,
            AgeGroup::allowed,
        );
        let hours = text(&mut p, "hours", &self.hours, false, HOURS_MAX);
        let contact = text(&mut p, "contact", &self.contact, false, CONTACT_MAX);
        let address = text(&mut p, "address", &self.address, false, ADDRESS_MAX);
        match (name, kind, country, p.0.is_empty()) {
            (Some(name), Some(kind), Some(country), true) => Ok(ServiceEntry {
                name,
                kind,
                description,
                country,
                other_countries,
                regions,
                languages,
                eligibility: Eligibility {
                    sex,
                    ages,
                    status_blind: self.status_blind,
                },
                hours,
                contact,
                address,
                address_public: self.address_public,
                public: self.public,
            }),
            _ => Err(p),
        }
    }
}

/// What someone may do with the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryAction {
    /// Read the staff directory (every organisation's entries, capacity with its freshness).
    Read,
    /// Create or change the entries of an organisation.
    Manage,
    /// Keep the free places of an organisation's service current.
    UpdateCapacity,
}

/// Who may do `action` on the entries of the organisation `owner`. Immigration enforcement is
/// refused everything, before any role is looked at: the directory tells where migrants find
/// help, and the firewall leaves enforcement aggregate statistics only. Reading is open to
/// every other signed-in user (the directory is not personal data); managing takes an
/// administrator or a supervisor of the owning organisation; capacity, the staff who admit
/// people there (supervisors, administrators, service providers, caseworkers, intake).
pub fn directory_access(
    who: &Principal,
    action: DirectoryAction,
    owner: Uuid,
) -> Result<(), DenyReason> {
    if who.org_kind == OrgKind::ImmigrationEnforcement {
        return Err(DenyReason::ImmigrationFirewall);
    }
    let roles: &[Role] = match action {
        DirectoryAction::Read => return Ok(()),
        DirectoryAction::Manage => &[Role::OrgAdmin, Role::Supervisor],
        DirectoryAction::UpdateCapacity => &[
            Role::OrgAdmin,
            Role::Supervisor,
            Role::ServiceProvider,
            Role::Caseworker,
            Role::Intake,
        ],
    };
    if !who.roles.iter().any(|r| roles.contains(r)) {
        Err(DenyReason::NoGrant)
    } else if who.org_id != owner {
        Err(DenyReason::OutOfScope)
    } else {
        Ok(())
    }
}

/// Whether a reader sees a service's address: its own organisation always; anyone else (other
/// staff, the public finder with `reader_org` `None`) only when the provider made it public.
pub fn address_visible(reader_org: Option<Uuid>, owner: Uuid, address_public: bool) -> bool {
    address_public || reader_org == Some(owner)
}

/// Places free out of a total, as the provider last said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub free: i64,
    pub total: i64,
}

impl Capacity {
    /// Checks a capacity as typed: whole numbers, neither negative, free no more than total,
    /// total at most [`CAPACITY_MAX`].
    pub fn check(free: &str, total: &str) -> Result<Capacity, Problems> {
        let mut p = Problems::default();
        let mut number = |field: &str, v: &str| -> Option<i64> {
            let v = v.trim();
            if v.is_empty() {
                p.add(field, ErrorCode::Required, format!("{field} is required"));
                return None;
            }
            match v.parse::<i64>() {
                Ok(n) if n < 0 => {
                    p.add(
                        field,
                        ErrorCode::InvalidValue,
                        format!("{field} cannot be negative"),
                    );
                    None
                }
                Ok(n) if n > CAPACITY_MAX => {
                    p.add(
                        field,
                        ErrorCode::InvalidValue,
                        format!("{field} must be at most {CAPACITY_MAX}"),
                    );
                    None
                }
                Ok(n) => Some(n),
                Err(_) => {
                    p.add(
                        field,
                        ErrorCode::InvalidValue,
                        format!("{field} must be a whole number"),
                    );
                    None
                }
            }
        };
        let free = number("free", free);
        let total = number("total", total);
        if let (Some(f), Some(t)) = (free, total)
            && f > t
        {
            p.add(
                "free",
                ErrorCode::InvalidValue,
                "free places cannot be more than the total",
            );
        }
        match (free, total, p.0.is_empty()) {
            (Some(free), Some(total), true) => Ok(Capacity { free, total }),
            _ => Err(p),
        }
    }

    /// Full: no place free (a service with no places at all is full too).
    pub fn full(self) -> bool {
        self.free == 0
    }

    /// One place more (`+1`) or fewer (`-1`) free, if that stays between none and the total.
    pub fn adjust(self, delta: i64) -> Option<Capacity> {
        let free = self.free.checked_add(delta)?;
        (0..=self.total)
            .contains(&free)
            .then_some(Capacity { free, ..self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw() -> RawService {
        RawService {
            name: "Night shelter".into(),
            kind: "shelter".into(),
            country: "gb".into(),
            languages: vec!["EN".into(), "ar".into(), "en".into()],
            ..Default::default()
        }
    }

    fn principal(kind: OrgKind, roles: &[Role], org: Uuid) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            org_id: org,
            org_kind: kind,
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn the_vocabulary_keeps_the_contract_spellings() {
        let spelt: Vec<&str> = ServiceKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            spelt,
            [
                "shelter",
                "medical",
                "mental_health",
                "legal_aid",
                "interpretation",
                "consular_assistance",
                "asylum_support",
                "labour_rights",
                "education",
                "livelihood",
                "return_reintegration",
                "family_tracing",
                "child_protection"
            ]
        );
        for k in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(ServiceKind::parse("Shelter"), None);
    }

    #[test]
    fn a_valid_entry_is_normalised_with_safe_defaults() {
        let e = raw().validate(OrgKind::ServiceProvider).expect("valid");
        assert_eq!(e.kind, ServiceKind::Shelter);
        assert_eq!(e.country.as_str(), "GB");
        assert_eq!(e.languages, ["en", "ar"]);
        assert_eq!(e.eligibility.sex, ServedSex::Any);
        assert_eq!(e.eligibility.ages, AgeGroup::All);
        assert!(
            !e.address_public,
            "an address is confidential unless said otherwise"
        );
        assert!(!e.public, "an entry is not public unless said otherwise");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_code() {
        let bad = RawService {
            name: " ".into(),
            kind: "spa".into(),
            country: "XX".into(),
            other_countries: vec!["ZZ".into()],
            languages: vec!["english".into()],
            sex: "other".into(),
            ages: "teens".into(),
            ..Default::default()
        };
        let p = bad.validate(OrgKind::Ngo).expect_err("invalid");
        let got: Vec<(&str, &str)> =
            p.0.iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect();
        assert_eq!(
            got,
            [
                ("name", "required"),
                ("type", "unknown_value"),
                ("country", "invalid_country"),
                ("other_countries", "invalid_country"),
                ("languages", "invalid_value"),
                ("sex", "unknown_value"),
                ("ages", "unknown_value"),
            ]
        );
        let none = RawService {
            languages: vec![],
            ..raw()
        };
        let p = none.validate(OrgKind::Ngo).expect_err("no language");
        assert_eq!(p.0[0].field, "languages");
        assert_eq!(p.0[0].code, ErrorCode::Required);
    }

    #[test]
    fn immigration_enforcement_offers_nothing_and_consular_assistance_is_a_consulates() {
        for kind in ServiceKind::ALL {
            assert_eq!(
                may_offer(OrgKind::ImmigrationEnforcement, *kind),
                Err(ErrorCode::ImmigrationFirewall)
            );
            assert_eq!(may_offer(OrgKind::Consulate, *kind), Ok(()));
        }
        for org in OrgKind::ALL {
            let consular = may_offer(*org, ServiceKind::ConsularAssistance).is_ok();
            assert_eq!(consular, *org == OrgKind::Consulate, "{org}");
        }
        let p = raw()
            .validate(OrgKind::ImmigrationEnforcement)
            .expect_err("refused");
        assert_eq!(p.0[0].code, ErrorCode::ImmigrationFirewall);
        let consular = RawService {
            kind: "consular_assistance".into(),
            ..raw()
        };
        assert!(consular.validate(OrgKind::Consulate).is_ok());
        assert_eq!(
            consular.validate(OrgKind::Ngo).expect_err("ngo").0[0].code,
            ErrorCode::InvalidValue
        );
    }

    #[test]
    fn the_directory_access_table() {
        let org = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        use DirectoryAction::*;
        for kind in OrgKind::ALL {
            for role in Role::ALL {
                let p = principal(*kind, &[*role], org);
                for action in [Read, Manage, UpdateCapacity] {
                    for owner in [org, other] {
                        let got = directory_access(&p, action, owner);
                        let expected = if *kind == OrgKind::ImmigrationEnforcement {
                            Err(DenyReason::ImmigrationFirewall)
                        } else {
                            let granted = match action {
                                Read => true,
                                Manage => matches!(role, Role::OrgAdmin | Role::Supervisor),
                                UpdateCapacity => matches!(
                                    role,
                                    Role::OrgAdmin
                                        | Role::Supervisor
                                        | Role::ServiceProvider
                                        | Role::Caseworker
                                        | Role::Intake
                                ),
                            };
                            if !granted {
                                Err(DenyReason::NoGrant)
                            } else if action != Read && owner != org {
                                Err(DenyReason::OutOfScope)
                            } else {
                                Ok(())
                            }
                        };
                        assert_eq!(
                            got,
                            expected,
                            "{kind} {role} {action:?} own={}",
                            owner == org
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn capacity_rules() {
        assert_eq!(
            Capacity::check("3", "12"),
            Ok(Capacity { free: 3, total: 12 })
        );
        assert!(Capacity::check("0", "12").expect("ok").full());
        assert!(!Capacity::check("1", "12").expect("ok").full());
        let codes = |f: &str, t: &str| -> Vec<(String, &'static str)> {
            Capacity::check(f, t)
                .expect_err("refused")
                .0
                .into_iter()
                .map(|e| (e.field, e.code.as_str()))
                .collect()
        };
        assert_eq!(codes("-1", "4"), [("free".to_string(), "invalid_value")]);
        assert_eq!(codes("5", "4"), [("free".to_string(), "invalid_value")]);
        assert_eq!(
            codes("", "x"),
            [
                ("free".to_string(), "required"),
                ("total".to_string(), "invalid_value")
            ]
        );
        assert_eq!(
            codes("1", "100001"),
            [("total".to_string(), "invalid_value")]
        );
        let c = Capacity { free: 0, total: 2 };
        assert_eq!(c.adjust(-1), None);
        assert_eq!(c.adjust(1), Some(Capacity { free: 1, total: 2 }));
        assert_eq!(Capacity { free: 2, total: 2 }.adjust(1), None);
    }

    #[test]
    fn an_address_reaches_others_only_when_made_public() {
        let owner = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        assert!(address_visible(Some(owner), owner, false));
        assert!(!address_visible(Some(other), owner, false));
        assert!(!address_visible(None, owner, false));
        assert!(address_visible(None, owner, true));
    }

    proptest! {
        #[test]
        fn validation_never_panics_and_accepts_only_the_vocabulary(
            name in ".{0,40}", kind in ".{0,20}", country in ".{0,4}",
            langs in proptest::collection::vec(".{0,4}", 0..4), org in 0usize..10,
        ) {
            let r = RawService { name, kind: kind.clone(), country, languages: langs, ..Default::default() };
            let org = OrgKind::ALL[org];
            if let Ok(e) = r.validate(org) {
                prop_assert_eq!(Some(e.kind), ServiceKind::parse(kind.trim()));
                prop_assert!(org != OrgKind::ImmigrationEnforcement);
                prop_assert!(!e.languages.is_empty());
            }
        }

        #[test]
        fn an_accepted_capacity_is_within_bounds_and_full_means_none_free(
            free in -5i64..200_000, total in -5i64..200_000, delta in -3i64..3,
        ) {
            match Capacity::check(&free.to_string(), &total.to_string()) {
                Ok(c) => {
                    prop_assert!(0 <= c.free && c.free <= c.total && c.total <= CAPACITY_MAX);
                    prop_assert_eq!(c.full(), c.free == 0);
                    if let Some(n) = c.adjust(delta) {
                        prop_assert!(0 <= n.free && n.free <= n.total);
                        prop_assert_eq!(n.free, c.free + delta);
                    }
                }
                Err(p) => prop_assert!(!p.0.is_empty()),
            }
        }

        #[test]
        fn enforcement_is_refused_whatever_its_roles(roles in proptest::collection::vec(0usize..9, 0..9)) {
            let org = Uuid::from_u128(7);
            let roles: Vec<Role> = roles.into_iter().map(|i| Role::ALL[i]).collect();
            let p = principal(OrgKind::ImmigrationEnforcement, &roles, org);
            for action in [DirectoryAction::Read, DirectoryAction::Manage, DirectoryAction::UpdateCapacity] {
                prop_assert_eq!(directory_access(&p, action, org), Err(DenyReason::ImmigrationFirewall));
            }
        }
    }
}
