//! The CTDC column layout of a synthetic release, and how a case is put into it.
//!
//! **Layout** ([`HEADER`], in this order, never reordered):
//!
//! `yearOfRegistration, gender, ageBroad, majorityStatus, citizenship, CountryOfExploitation,
//! isForcedLabour, isSexualExploit, isOtherExploit, isSexAndLabour, isForcedMarriage,
//! isForcedMilitary, isOrganRemoval, isSlaveryAndPractices, typeOfExploitConcatenated,
//! meansOfControlDebtBondage, meansOfControlTakesEarnings, meansOfControlRestrictsFinancialAccess,
//! meansOfControlThreats, meansOfControlPsychologicalAbuse, meansOfControlPhysicalAbuse,
//! meansOfControlSexualAbuse, meansOfControlFalsePromises, meansOfControlPsychoactiveSubstances,
//! meansOfControlRestrictsMedicalCare, meansOfControlExcessiveWorkingHours,
//! meansOfControlThreatOfLawEnforcement, meansOfControlWithholdsNecessities,
//! meansOfControlWithholdsDocuments, meansOfControlOther, meansOfControlConcatenated`
//!
//! **Conventions** (CTDC): `-99` for a missing value; citizenship is ISO 3166-1 alpha-2 with
//! `ZZ` for unknown; flags are `0`/`1` (all `-99` when the case records no type, or no means of
//! control, at all); multi-valued `…Concatenated` columns join the names of the flags set with
//! `;`. Every column takes its values from a fixed, closed list ([`Layout::domains`]): the
//! years of the period asked for, the CTDC age bands, the ISO list Passage ships plus `ZZ`.
//!
//! **Modelled and derived columns.** The marginals ([`crate::synth`]) are released over the 27
//! *modelled* columns, in the chain order year, gender, age band, citizenship, country, the
//! seven type flags, the fifteen means-of-control flags. The other four are worked out from a
//! synthetic row afterwards (post-processing, no privacy spent): `majorityStatus` from the age
//! band, `isSexAndLabour` from the two flags, and the two concatenations from their flags.

use crate::facts::AGE_BANDS;
use crate::record::CaseRecord;

/// A missing value.
pub const MISSING: &str = "-99";
/// An unknown citizenship.
pub const UNKNOWN_CITIZENSHIP: &str = "ZZ";

/// The type-of-exploitation flags that are modelled, with the HTCDS types each one covers.
pub const TYPE_FLAGS: [(&str, &str, &[&str]); 7] = [
    (
        "isForcedLabour",
        "ForcedLabour",
        &["ForcedLabour", "ChildLabour"],
    ),
    (
        "isSexualExploit",
        "SexualExploitation",
        &["SexualExploitation"],
    ),
    (
        "isOtherExploit",
        "OtherExploitation",
        &["ForcedBegging", "ForcedAdoption", "Surrogacy", "Other"],
    ),
    ("isForcedMarriage", "ForcedMarriage", &["ForcedMarriage"]),
    (
        "isForcedMilitary",
        "ForcedMilitary",
        &["ForcedMilitaryByNonStateActors"],
    ),
    ("isOrganRemoval", "OrganRemoval", &["OrganRemoval"]),
    (
        "isSlaveryAndPractices",
        "SlaveryAndPractices",
        &["Servitude"],
    ),
];

/// The means-of-control flags, with the HTCDS methods each one covers.
pub const CONTROL_FLAGS: [(&str, &str, &[&str]); 15] = [
    ("meansOfControlDebtBondage", "DebtBondage", &["DebtBondage"]),
    (
        "meansOfControlTakesEarnings",
        "TakesEarnings",
        &["TakesEarnings"],
    ),
    (
        "meansOfControlRestrictsFinancialAccess",
        "RestrictsFinancialAccess",
        &["RestrictsFinancialAccess"],
    ),
    (
        "meansOfControlThreats",
        "Threats",
        &["PhysicalThreats", "ThreatensChildrenFamily"],
    ),
    (
        "meansOfControlPsychologicalAbuse",
        "PsychologicalAbuse",
        &["PsychologicalAbuse"],
    ),
    (
        "meansOfControlPhysicalAbuse",
        "PhysicalAbuse",
        &["PhysicalAbuse"],
    ),
    ("meansOfControlSexualAbuse", "SexualAbuse", &["SexualAbuse"]),
    (
        "meansOfControlFalsePromises",
        "FalsePromises",
        &["FalsePromises"],
    ),
    (
        "meansOfControlPsychoactiveSubstances",
        "PsychoactiveSubstances",
        &["PsychoactiveSubstance"],
    ),
    (
        "meansOfControlRestrictsMedicalCare",
        "RestrictsMedicalCare",
        &["RestrictsMedicalCare"],
    ),
    (
        "meansOfControlExcessiveWorkingHours",
        "ExcessiveWorkingHours",
        &["ExcessiveWorkingHours"],
    ),
    (
        "meansOfControlThreatOfLawEnforcement",
        "ThreatOfLawEnforcement",
        &["ThreatsLawEnforcement"],
    ),
    (
        "meansOfControlWithholdsNecessities",
        "WithholdsNecessities",
        &["WithholdsNecessities"],
    ),
    (
        "meansOfControlWithholdsDocuments",
        "WithholdsDocuments",
        &["WithholdsDocuments"],
    ),
    ("meansOfControlOther", "Other", &["Other"]),
];

/// The header row, in order.
pub const HEADER: [&str; 31] = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlConcatenated",
];

/// CTDC's gender values, from Passage's sex; `unknown` is missing.
pub const GENDER: &[(&str, &str)] = &[
    ("feminine", "Female"),
    ("masculine", "Male"),
    ("transgender_feminine", "Transgender/NonConforming"),
    ("transgender_masculine", "Transgender/NonConforming"),
    ("non_conforming", "Transgender/NonConforming"),
];

const GENDERS: [&str; 3] = ["Female", "Male", "Transgender/NonConforming"];
const FLAG: [&str; 3] = ["0", "1", MISSING];
/// Age bands of minors.
const MINOR_BANDS: [&str; 2] = ["0-8", "9-17"];

/// The modelled columns of a release over the years `first..=last`, with their closed domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    years: Vec<String>,
    countries: Vec<&'static str>,
}

impl Layout {
    /// The layout of a release whose cases were registered in `first..=last` (at most 200
    /// years; an inverted range is read as the single year `first`).
    pub fn new(first: i32, last: i32) -> Layout {
        let last = last.clamp(first, first.saturating_add(199));
        Layout {
            years: (first..=last).map(|y| y.to_string()).collect(),
            countries: passage_core::Country::codes().to_vec(),
        }
    }

    /// The modelled columns' names, in chain order.
    pub fn modelled() -> Vec<&'static str> {
        let mut v = vec![
            "yearOfRegistration",
            "gender",
            "ageBroad",
            "citizenship",
            "CountryOfExploitation",
        ];
        v.extend(TYPE_FLAGS.iter().map(|f| f.0));
        v.extend(CONTROL_FLAGS.iter().map(|f| f.0));
        v
    }

    /// The closed domain of each modelled column, in chain order.
    pub fn domains(&self) -> Vec<Vec<&str>> {
        let mut genders = GENDERS.to_vec();
        genders.push(MISSING);
        let mut bands: Vec<&str> = AGE_BANDS.iter().map(|(b, _)| *b).collect();
        bands.push(MISSING);
        let mut citizenship = self.countries.clone();
        citizenship.push(UNKNOWN_CITIZENSHIP);
        let mut country = self.countries.clone();
        country.push(UNKNOWN_CITIZENSHIP);
        country.push(MISSING);
        let mut v = vec![
            self.years.iter().map(String::as_str).collect(),
            genders,
            bands,
            citizenship,
            country,
        ];
        v.extend(std::iter::repeat_n(
            FLAG.to_vec(),
            TYPE_FLAGS.len() + CONTROL_FLAGS.len(),
        ));
        v
    }

    /// The domain sizes, for [`crate::synth::Marginals::new`].
    pub fn sizes(&self) -> Vec<usize> {
        self.domains().iter().map(Vec::len).collect()
    }

    /// A case as indices into the modelled domains; `None` when its year is outside the
    /// layout's years (it does not belong to this release).
    pub fn encode(&self, case: &CaseRecord) -> Option<Vec<u16>> {
        let at = |list: &[&str], v: &str| list.iter().position(|x| *x == v);
        let idx = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        let year = self
            .years
            .iter()
            .position(|y| *y == case.year.to_string())?;
        let gender = crate::htcds::map(GENDER, &case.sex)
            .and_then(|g| at(&GENDERS, g))
            .unwrap_or(GENDERS.len());
        let band = AGE_BANDS
            .iter()
            .position(|(b, _)| *b == case.age_band)
            .unwrap_or(AGE_BANDS.len());
        let country = |c: Option<&str>, none: usize| {
            c.and_then(passage_core::Country::parse)
                .and_then(|c| self.countries.binary_search(&c.as_str()).ok())
                .unwrap_or(none)
        };
        let n = self.countries.len();
        let mut row = vec![
            idx(year),
            idx(gender),
            idx(band),
            idx(country(Some(&case.citizenship), n)),
            idx(country(case.country.as_deref(), n + 1)),
        ];
        let flags = |table: &[(&str, &str, &[&str])], given: &[String]| {
            let known: Vec<&str> = given.iter().map(String::as_str).collect();
            let any = table
                .iter()
                .any(|(_, _, covers)| covers.iter().any(|c| known.contains(c)));
            table
                .iter()
                .map(
                    |(_, _, covers)| match (any, covers.iter().any(|c| known.contains(c))) {
                        (false, _) => 2,
                        (true, set) => u16::from(set),
                    },
                )
                .collect::<Vec<u16>>()
        };
        row.extend(flags(&TYPE_FLAGS, &case.types_of_exploitation));
        row.extend(flags(&CONTROL_FLAGS, &case.methods_of_control));
        Some(row)
    }

    /// The published row of a modelled row, in [`HEADER`] order, derived columns included.
    pub fn decode(&self, row: &[u16]) -> Vec<String> {
        let domains = self.domains();
        let value = |i: usize| -> &str {
            row.get(i)
                .and_then(|&v| domains.get(i).and_then(|d| d.get(usize::from(v))))
                .copied()
                .unwrap_or(MISSING)
        };
        let band = value(2);
        let majority = if band == MISSING {
            MISSING
        } else if MINOR_BANDS.contains(&band) {
            "Minor"
        } else {
            "Adult"
        };
        let types: Vec<&str> = (0..TYPE_FLAGS.len()).map(|i| value(5 + i)).collect();
        let controls: Vec<&str> = (0..CONTROL_FLAGS.len())
            .map(|i| value(5 + TYPE_FLAGS.len() + i))
            .collect();
        let joined = |table: &[(&str, &str, &[&str])], flags: &[&str]| {
            let set: Vec<&str> = table
                .iter()
                .zip(flags)
                .filter(|(_, f)| **f == "1")
                .map(|(t, _)| t.1)
                .collect();
            if set.is_empty() {
                MISSING.to_string()
            } else {
                set.join(";")
            }
        };
        let sex_and_labour = match (types[0], types[1]) {
            ("1", "1") => "1",
            (MISSING, _) | (_, MISSING) => MISSING,
            _ => "0",
        };
        let mut out: Vec<String> = vec![
            value(0).to_string(),
            value(1).to_string(),
            band.to_string(),
            majority.to_string(),
            value(3).to_string(),
            value(4).to_string(),
        ];
        out.extend(types[..3].iter().map(|s| s.to_string()));
        out.push(sex_and_labour.to_string());
        out.extend(types[3..].iter().map(|s| s.to_string()));
        out.push(joined(&TYPE_FLAGS, &types));
        out.extend(controls.iter().map(|s| s.to_string()));
        out.push(joined(&CONTROL_FLAGS, &controls));
        out
    }
}

/// The closed list of every column of [`HEADER`] for a release over `first..=last` (the
/// concatenated columns: each `;`-separated part), for checking a file.
pub fn header_domains(first: i32, last: i32) -> Vec<Vec<String>> {
    let layout = Layout::new(first, last);
    let d = layout.domains();
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let flag = own(&FLAG);
    let mut out = vec![
        own(&d[0]),
        own(&d[1]),
        own(&d[2]),
        own(&["Adult", "Minor", MISSING]),
        own(&d[3]),
        own(&d[4]),
    ];
    out.extend(std::iter::repeat_n(flag.clone(), 3));
    out.push(flag.clone());
    out.extend(std::iter::repeat_n(flag.clone(), 4));
    let mut types: Vec<String> = TYPE_FLAGS.iter().map(|t| t.1.to_string()).collect();
    types.push(MISSING.into());
    out.push(types);
    out.extend(std::iter::repeat_n(flag, CONTROL_FLAGS.len()));
    let mut controls: Vec<String> = CONTROL_FLAGS.iter().map(|t| t.1.to_string()).collect();
    controls.push(MISSING.into());
    out.push(controls);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::KeyedStream;
    use crate::synth::{Marginals, release};

    fn case() -> CaseRecord {
        CaseRecord {
            year: 2025,
            sex: "feminine".into(),
            age_band: "9-17".into(),
            citizenship: "PH".into(),
            country: Some("GB".into()),
            types_of_exploitation: vec!["ForcedLabour".into(), "SexualExploitation".into()],
            methods_of_control: vec!["WithholdsDocuments".into(), "DebtBondage".into()],
            stage: "destination".into(),
            status: "open".into(),
            identification: None,
            services: vec![],
            referrals: vec![],
        }
    }

    #[test]
    fn the_layout_is_fixed_and_consistent() {
        assert_eq!(Layout::modelled().len(), 27);
        let layout = Layout::new(2024, 2026);
        assert_eq!(layout.sizes().len(), 27);
        assert_eq!(header_domains(2024, 2026).len(), HEADER.len());
        for name in Layout::modelled() {
            assert!(HEADER.contains(&name), "{name}");
        }
        // Every HTCDS type and means of control has its flag.
        for t in passage_core::screening::TYPES_OF_EXPLOITATION {
            assert!(TYPE_FLAGS.iter().any(|f| f.2.contains(&t)), "{t}");
        }
        for m in passage_core::screening::METHODS_OF_CONTROL {
            assert!(CONTROL_FLAGS.iter().any(|f| f.2.contains(&m)), "{m}");
        }
    }

    #[test]
    fn a_case_goes_through_the_layout() {
        let layout = Layout::new(2024, 2026);
        let row = layout.decode(&layout.encode(&case()).unwrap());
        let get = |name: &str| row[HEADER.iter().position(|h| *h == name).unwrap()].clone();
        assert_eq!(row.len(), HEADER.len());
        assert_eq!(get("yearOfRegistration"), "2025");
        assert_eq!(get("gender"), "Female");
        assert_eq!(get("ageBroad"), "9-17");
        assert_eq!(get("majorityStatus"), "Minor");
        assert_eq!(get("citizenship"), "PH");
        assert_eq!(get("CountryOfExploitation"), "GB");
        assert_eq!(get("isForcedLabour"), "1");
        assert_eq!(get("isSexAndLabour"), "1");
        assert_eq!(get("isForcedMarriage"), "0");
        assert_eq!(
            get("typeOfExploitConcatenated"),
            "ForcedLabour;SexualExploitation"
        );
        assert_eq!(
            get("meansOfControlConcatenated"),
            "DebtBondage;WithholdsDocuments"
        );
        assert_eq!(get("meansOfControlThreats"), "0");
    }

    #[test]
    fn unknowns_follow_the_ctdc_conventions() {
        let layout = Layout::new(2024, 2026);
        let mut c = case();
        c.sex = "unknown".into();
        c.age_band = "unknown".into();
        c.citizenship = "ZZ".into();
        c.country = None;
        c.types_of_exploitation.clear();
        c.methods_of_control = vec!["not a method".into()];
        let row = layout.decode(&layout.encode(&c).unwrap());
        assert_eq!(&row[..6], ["2025", "-99", "-99", "-99", "ZZ", "-99"]);
        assert!(row[6..15].iter().all(|v| v == "-99"), "{row:?}");
        assert!(row[15..].iter().all(|v| v == "-99"), "{row:?}");
        c.year = 2023;
        assert_eq!(layout.encode(&c), None, "outside the period's years");
    }

    proptest::proptest! {
        // Each case releases some 66,000 noisy cells: fewer cases than the default keep the
        // suite quick.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// Whatever the marginals and the noise, a synthetic row never holds a value outside
        /// its column's closed list.
        #[test]
        fn synthetic_rows_stay_in_their_domains(
            cases in proptest::collection::vec((0usize..9, 0usize..300, 0u8..4, 0u8..4), 0..30),
            seed in proptest::prelude::any::<[u8; 8]>(),
        ) {
            let layout = Layout::new(2024, 2026);
            let codes = passage_core::Country::codes();
            let mut m = Marginals::new(layout.sizes()).unwrap();
            for (band, cit, t, k) in &cases {
                let mut c = case();
                c.age_band = AGE_BANDS.get(*band).map_or("x".into(), |b| b.0.to_string());
                c.citizenship = codes.get(*cit).map_or("??".into(), |c| c.to_string());
                c.types_of_exploitation = passage_core::screening::TYPES_OF_EXPLOITATION
                    .iter().take(usize::from(*t)).map(|s| s.to_string()).collect();
                c.methods_of_control = passage_core::screening::METHODS_OF_CONTROL
                    .iter().skip(usize::from(*k)).take(2).map(|s| s.to_string()).collect();
                m.add(&layout.encode(&c).unwrap()).unwrap();
            }
            let mut rng = KeyedStream::new(&[2; 32], &seed);
            let noisy = release(&m, crate::dp::Epsilon::parse("1").unwrap(), &mut rng).unwrap();
            let domains = header_domains(2024, 2026);
            for _ in 0..20 {
                let row = layout.decode(&noisy.sample(&mut rng).unwrap());
                proptest::prop_assert_eq!(row.len(), HEADER.len());
                for (i, v) in row.iter().enumerate() {
                    for part in v.split(';') {
                        proptest::prop_assert!(domains[i].iter().any(|d| d == part), "{} {}", HEADER[i], v);
                    }
                }
            }
        }
    }
}
