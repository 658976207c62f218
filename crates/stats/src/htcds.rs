//! The de-identified HTCDS 2.0 export: one row per consented case, in HTCDS 2.0 field names and
//! picklist values (Human Trafficking Case Data Standard, IOM, CC BY 4.0).
//!
//! Only fields that are neither direct identifiers nor free text are written. Two columns have
//! no HTCDS field and take the name CTDC gives them: the year the case was registered
//! (`yearOfRegistration`) and the age band (`ageBroad`, CTDC's bands, instead of HTCDS's exact
//! age). Each Passage vocabulary is mapped to its picklist by one table per field below; a value
//! a picklist has no place for is written as missing (an empty cell), never invented.
//!
//! Layout, in this order ([`COLUMNS`]):
//!
//! | column | from | |
//! |---|---|---|
//! | `yearOfRegistration` | year the case was opened | quasi-identifier |
//! | `prs_Gender` | the person's sex ([`GENDER`]) | quasi-identifier |
//! | `ageBroad` | CTDC age band at opening | quasi-identifier |
//! | `prs_Citizenship` | first citizenship, ISO alpha-2 (`ZZ` none) | quasi-identifier |
//! | `hte_Country` | country of the violation, ISO alpha-2 | quasi-identifier |
//! | `vic_TypeOfExploitation` | HTCDS types, `;`-joined | |
//! | `vic_MethodsOfControl` | HTCDS means of control, `;`-joined | |
//! | `hte_Type` | migration stage ([`EVENT_TYPE`]) | |
//! | `vic_TraffickingStatus` | identification status ([`TRAFFICKING_STATUS`]) | |
//! | `cas_Status` | case status ([`CASE_STATUS`]) | |
//! | `cas_ReasonForOutgoingReferral` | kinds of referral ([`REFERRAL_REASON`]), `;`-joined | |
//! | `spl_Type` | services delivered ([`SUPPORT_TYPE`]), `;`-joined | |
//!
//! **k-anonymity.** The quasi-identifiers are the five columns a neighbour or an employer could
//! know. A record whose combination of them is shared by fewer than k records of the file has
//! all five written as missing (local suppression); [`quasi_key`] is what is counted.

use crate::record::CaseRecord;

/// The header row, in order.
pub const COLUMNS: [&str; 12] = [
    "yearOfRegistration",
    "prs_Gender",
    "ageBroad",
    "prs_Citizenship",
    "hte_Country",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
    "hte_Type",
    "vic_TraffickingStatus",
    "cas_Status",
    "cas_ReasonForOutgoingReferral",
    "spl_Type",
];

/// Positions of the quasi-identifiers in [`COLUMNS`].
pub const QUASI: [usize; 5] = [0, 1, 2, 3, 4];

/// A missing value in this file.
pub const MISSING: &str = "";

/// HTCDS picklists, as in the reference field list.
pub mod picklist {
    pub const GENDER: &[&str] = &[
        "Feminine",
        "Masculine",
        "TransgenderFeminine",
        "TransgenderMasculine",
        "NonConforming",
        "NonSpecifiedUnknown",
    ];
    pub const TRAFFICKING_STATUS: &[&str] = &[
        "PossibleVictimOfTrafficking",
        "ActualVictimOfTrafficking",
        "NotAVictimOfTrafficking",
    ];
    pub const CASE_STATUS: &[&str] = &["Active", "FollowUp", "Closed", "ClosedReferred"];
    pub const EVENT_TYPE: &[&str] = &["Recruitment", "Transit", "Exploitation"];
    pub const REFERRAL_REASON: &[&str] = &[
        "AdditionalServicesRequired",
        "MigrationOrChangeOfLocation",
        "Other",
    ];
    pub const SUPPORT_TYPE: &[&str] = &[
        "Education",
        "Financial",
        "Health",
        "LabourExploitationRehabilitation",
        "Legal",
        "Livelihood",
        "RightsBasedTraining",
        "SexualExploitationRehabilitation",
        "SocialCare",
    ];
}

/// `prs_Gender` from Passage's sex (`unknown` is HTCDS's "not specified or unknown").
pub const GENDER: &[(&str, &str)] = &[
    ("feminine", "Feminine"),
    ("masculine", "Masculine"),
    ("transgender_feminine", "TransgenderFeminine"),
    ("transgender_masculine", "TransgenderMasculine"),
    ("non_conforming", "NonConforming"),
    ("non_specified_unknown", "NonSpecifiedUnknown"),
    ("unknown", "NonSpecifiedUnknown"),
];

/// `vic_TraffickingStatus` from the identification status.
pub const TRAFFICKING_STATUS: &[(&str, &str)] = &[
    ("possible_victim", "PossibleVictimOfTrafficking"),
    ("actual_victim", "ActualVictimOfTrafficking"),
    ("not_a_victim", "NotAVictimOfTrafficking"),
];

/// `cas_Status` from the case status: every working status is `Active`.
pub const CASE_STATUS: &[(&str, &str)] = &[
    ("open", "Active"),
    ("assessment", "Active"),
    ("case_plan", "Active"),
    ("services", "Active"),
    ("follow_up", "FollowUp"),
    ("closed", "Closed"),
];

/// `hte_Type` (the kind of trafficking event) from the migration stage. Return and
/// reintegration are no trafficking event: missing.
pub const EVENT_TYPE: &[(&str, &str)] = &[
    ("pre_departure", "Recruitment"),
    ("transit", "Transit"),
    ("destination", "Exploitation"),
];

/// `cas_ReasonForOutgoingReferral` from the kind of service referred to.
pub const REFERRAL_REASON: &[(&str, &str)] = &[
    ("shelter", "AdditionalServicesRequired"),
    ("medical", "AdditionalServicesRequired"),
    ("mental_health", "AdditionalServicesRequired"),
    ("legal_aid", "AdditionalServicesRequired"),
    ("interpretation", "AdditionalServicesRequired"),
    ("consular_assistance", "AdditionalServicesRequired"),
    ("asylum_support", "AdditionalServicesRequired"),
    ("labour_rights", "AdditionalServicesRequired"),
    ("education", "AdditionalServicesRequired"),
    ("livelihood", "AdditionalServicesRequired"),
    ("return_reintegration", "MigrationOrChangeOfLocation"),
    ("family_tracing", "AdditionalServicesRequired"),
    ("child_protection", "AdditionalServicesRequired"),
];

/// `spl_Type` (support plan type) from a service delivered. Interpretation, return and
/// `other` have no support type: left out.
pub const SUPPORT_TYPE: &[(&str, &str)] = &[
    ("shelter", "SocialCare"),
    ("medical", "Health"),
    ("psychosocial", "Health"),
    ("legal", "Legal"),
    ("documentation", "Legal"),
    ("financial", "Financial"),
    ("livelihood", "Livelihood"),
    ("education", "Education"),
    ("family_tracing", "SocialCare"),
];

/// The picklist value of `value` in `table`.
pub fn map(table: &[(&str, &'static str)], value: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(from, _)| *from == value)
        .map(|(_, to)| *to)
}

/// Values of a multiselect: each kept once, in the picklist's order, only if the picklist has
/// it; `;`-joined.
fn multiselect<'a>(values: impl Iterator<Item = &'a str>, list: &[&str]) -> String {
    let given: Vec<&str> = values.collect();
    list.iter()
        .filter(|v| given.contains(v))
        .copied()
        .collect::<Vec<_>>()
        .join(";")
}

/// The row of a case, before k-anonymity, in [`COLUMNS`] order.
pub fn row(case: &CaseRecord) -> Vec<String> {
    let country = |c: Option<&str>| {
        c.and_then(passage_core::Country::parse)
            .map_or(MISSING.to_string(), |c| c.as_str().to_string())
    };
    let citizenship = passage_core::Country::parse(&case.citizenship)
        .map_or("ZZ".to_string(), |c| c.as_str().to_string());
    let age = if crate::facts::AGE_BANDS
        .iter()
        .any(|(b, _)| *b == case.age_band)
    {
        case.age_band.clone()
    } else {
        MISSING.to_string()
    };
    let one = |table, value: Option<&str>| {
        value
            .and_then(|v| map(table, v))
            .unwrap_or(MISSING)
            .to_string()
    };
    let many = |table, values: &[String], list| {
        multiselect(values.iter().filter_map(|v| map(table, v.as_str())), list)
    };
    vec![
        case.year.to_string(),
        one(GENDER, Some(&case.sex)),
        age,
        citizenship,
        country(case.country.as_deref()),
        multiselect(
            case.types_of_exploitation.iter().map(String::as_str),
            &passage_core::screening::TYPES_OF_EXPLOITATION,
        ),
        multiselect(
            case.methods_of_control.iter().map(String::as_str),
            &passage_core::screening::METHODS_OF_CONTROL,
        ),
        one(EVENT_TYPE, Some(&case.stage)),
        one(TRAFFICKING_STATUS, case.identification.as_deref()),
        one(CASE_STATUS, Some(&case.status)),
        many(REFERRAL_REASON, &case.referrals, picklist::REFERRAL_REASON),
        many(SUPPORT_TYPE, &case.services, picklist::SUPPORT_TYPE),
    ]
}

/// What k-anonymity counts: the quasi-identifiers of a row, joined.
pub fn quasi_key(row: &[String]) -> String {
    QUASI
        .iter()
        .map(|&i| row.get(i).map_or("", String::as_str))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Local suppression: the row's quasi-identifiers written as missing.
pub fn suppress(row: &mut [String]) {
    for &i in &QUASI {
        if let Some(v) = row.get_mut(i) {
            *v = MISSING.to_string();
        }
    }
}

/// The closed list each column's values come from (a multiselect: each `;`-separated part);
/// `None` for the year, which is any year of the period.
pub fn domain(column: usize) -> Option<Vec<&'static str>> {
    let countries = || {
        let mut v: Vec<&'static str> = passage_core::Country::codes().to_vec();
        v.push("ZZ");
        v
    };
    let bands = || crate::facts::AGE_BANDS.iter().map(|(b, _)| *b).collect();
    match column {
        1 => Some(picklist::GENDER.to_vec()),
        2 => Some(bands()),
        3 | 4 => Some(countries()),
        5 => Some(passage_core::screening::TYPES_OF_EXPLOITATION.to_vec()),
        6 => Some(passage_core::screening::METHODS_OF_CONTROL.to_vec()),
        7 => Some(picklist::EVENT_TYPE.to_vec()),
        8 => Some(picklist::TRAFFICKING_STATUS.to_vec()),
        9 => Some(picklist::CASE_STATUS.to_vec()),
        10 => Some(picklist::REFERRAL_REASON.to_vec()),
        11 => Some(picklist::SUPPORT_TYPE.to_vec()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_core::casework::{IdentificationStatus, ServiceType};
    use passage_core::services::ServiceKind;
    use passage_core::{CaseStatus, Sex, Stage};

    /// The picklist of a field in the reference field list (section, status, core, field,
    /// label, type, values).
    fn reference(field: &str) -> Vec<String> {
        let csv = include_str!("../reference/htcds-2.0-fields.csv");
        csv.lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|cols| cols.get(3) == Some(&field))
            .and_then(|cols| cols.get(6).map(|v| v.to_string()))
            .unwrap_or_else(|| panic!("{field} not in the reference"))
            .split(';')
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_picklist_is_the_reference_one() {
        for (field, list) in [
            ("prs_Gender", picklist::GENDER),
            ("vic_TraffickingStatus", picklist::TRAFFICKING_STATUS),
            ("cas_Status", picklist::CASE_STATUS),
            ("hte_Type", picklist::EVENT_TYPE),
            ("cas_ReasonForOutgoingReferral", picklist::REFERRAL_REASON),
            ("spl_Type", picklist::SUPPORT_TYPE),
            (
                "vic_TypeOfExploitation",
                &passage_core::screening::TYPES_OF_EXPLOITATION,
            ),
            (
                "vic_MethodsOfControl",
                &passage_core::screening::METHODS_OF_CONTROL,
            ),
        ] {
            assert_eq!(reference(field), list, "{field}");
        }
    }

    /// Every value of every Passage vocabulary is visited: it maps into its picklist, or it is
    /// one of the values named as having no place there.
    #[test]
    fn every_vocabulary_value_maps_into_its_picklist_or_is_named_as_unmapped() {
        let check = |table: &[(&str, &'static str)],
                     values: Vec<&str>,
                     list: &[&str],
                     unmapped: &[&str]| {
            for v in values {
                match map(table, v) {
                    Some(to) => assert!(list.contains(&to), "{v} -> {to}"),
                    None => assert!(unmapped.contains(&v), "{v} has no mapping"),
                }
            }
        };
        let mut sexes: Vec<&str> = Sex::ALL.iter().map(|s| s.as_str()).collect();
        sexes.push(crate::facts::UNKNOWN);
        check(GENDER, sexes, picklist::GENDER, &[]);
        check(
            TRAFFICKING_STATUS,
            IdentificationStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect(),
            picklist::TRAFFICKING_STATUS,
            &[],
        );
        check(
            CASE_STATUS,
            CaseStatus::ALL.iter().map(|s| s.as_str()).collect(),
            picklist::CASE_STATUS,
            &[],
        );
        check(
            EVENT_TYPE,
            Stage::ALL.iter().map(|s| s.as_str()).collect(),
            picklist::EVENT_TYPE,
            &["return", "reintegration"],
        );
        check(
            REFERRAL_REASON,
            ServiceKind::ALL.iter().map(|s| s.as_str()).collect(),
            picklist::REFERRAL_REASON,
            &[],
        );
        check(
            SUPPORT_TYPE,
            ServiceType::ALL.iter().map(|s| s.as_str()).collect(),
            picklist::SUPPORT_TYPE,
            &["interpretation", "return", "other"],
        );
    }

    fn case() -> CaseRecord {
        CaseRecord {
            year: 2026,
            sex: "feminine".into(),
            age_band: "18-20".into(),
            citizenship: "ph".into(),
            country: Some("GB".into()),
            types_of_exploitation: vec!["SexualExploitation".into(), "ForcedLabour".into()],
            methods_of_control: vec!["WithholdsDocuments".into(), "made up".into()],
            stage: "destination".into(),
            status: "services".into(),
            identification: Some("possible_victim".into()),
            services: vec!["shelter".into(), "medical".into(), "shelter".into()],
            referrals: vec!["legal_aid".into()],
        }
    }

    #[test]
    fn a_case_becomes_a_row_of_picklist_values() {
        let r = row(&case());
        assert_eq!(r.len(), COLUMNS.len());
        assert_eq!(
            r,
            vec![
                "2026",
                "Feminine",
                "18-20",
                "PH",
                "GB",
                "ForcedLabour;SexualExploitation",
                "WithholdsDocuments",
                "Exploitation",
                "PossibleVictimOfTrafficking",
                "Active",
                "AdditionalServicesRequired",
                "Health;SocialCare",
            ]
        );
    }

    #[test]
    fn unknowns_are_missing_and_suppression_blanks_only_the_quasi_identifiers() {
        let mut c = case();
        c.age_band = "unknown".into();
        c.citizenship = "ZZ".into();
        c.country = None;
        c.stage = "return".into();
        c.identification = None;
        let mut r = row(&c);
        assert_eq!(&r[2..5], ["", "ZZ", ""]);
        assert_eq!(r[7], "");
        assert_eq!(r[8], "");
        let before = r.clone();
        suppress(&mut r);
        assert!(QUASI.iter().all(|&i| r[i].is_empty()));
        assert_eq!(r[5..], before[5..]);
        assert_eq!(quasi_key(&r), quasi_key(&vec![String::new(); 12]));
    }

    proptest::proptest! {
        /// Whatever a case holds, every value written is in its column's closed list.
        #[test]
        fn rows_stay_in_their_domains(
            sex in "[a-z_]{0,24}",
            band in 0usize..12,
            cit in "[A-Za-z]{0,3}",
            types in proptest::collection::vec("[A-Za-z]{0,20}", 0..4),
            stage in 0usize..7,
            status in 0usize..8,
        ) {
            let mut c = case();
            c.sex = sex;
            c.age_band = crate::facts::AGE_BANDS.get(band).map_or("nine".into(), |b| b.0.to_string());
            c.citizenship = cit;
            c.types_of_exploitation = types;
            c.stage = Stage::ALL.get(stage).map_or("x".into(), |s| s.as_str().to_string());
            c.status = CaseStatus::ALL.get(status).map_or("x".into(), |s| s.as_str().to_string());
            let r = row(&c);
            for (i, v) in r.iter().enumerate() {
                if let Some(list) = domain(i) {
                    for part in v.split(';').filter(|p| !p.is_empty()) {
                        proptest::prop_assert!(list.contains(&part), "{} {}", COLUMNS[i], part);
                    }
                }
            }
        }
    }
}
