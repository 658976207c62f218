//! Persons and cases as entered: raw input from the API or a form, validated into typed values.
//! Every problem is reported at once, with a stable code per field.

use crate::date::PartialDate;
use crate::validate::{NAME_MAX, NARRATIVE_MAX, Problems, text};
use crate::{CaseType, Country, Sex, Stage};
use serde::Deserialize;
use uuid::Uuid;

/// A person as submitted. Unknown fields are refused so that typos do not silently drop data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub citizenships: Option<Vec<String>>,
    /// Optional and firewalled: never required anywhere.
    #[serde(default)]
    pub migration_status: Option<String>,
}

/// A validated person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<PartialDate>,
    pub sex: Option<Sex>,
    pub citizenships: Vec<Country>,
    pub migration_status: Option<String>,
}

impl RawPerson {
    pub fn validate(self, today_year: u16) -> Result<NewPerson, Problems> {
        let mut p = Problems::default();
        let given = text(&mut p, "given_name", &self.given_name, true, NAME_MAX);
        let family = text(&mut p, "family_name", &self.family_name, false, NAME_MAX);
        let dob = match self
            .date_of_birth
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(d) => match PartialDate::parse(d, today_year) {
                Ok(d) => Some(d),
                Err(msg) => {
                    p.add("date_of_birth", crate::ErrorCode::InvalidDate, msg);
                    None
                }
            },
        };
        let sex = match self.sex.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Sex::parse_lenient(s).or_else(|| {
                p.add(
                    "sex",
                    crate::ErrorCode::InvalidValue,
                    format!("sex must be one of: {}", Sex::allowed()),
                );
                None
            }),
        };
        let mut citizenships = Vec::new();
        for c in self.citizenships.unwrap_or_default() {
            match Country::parse(&c) {
                Some(country) if !citizenships.contains(&country) => citizenships.push(country),
                Some(_) => {}
                None => p.add(
                    "citizenships",
                    crate::ErrorCode::InvalidCountry,
                    format!("'{c}' is not an ISO 3166-1 alpha-2 country code"),
                ),
            }
        }
        if citizenships.len() > 10 {
            p.add(
                "citizenships",
                crate::ErrorCode::TooMany,
                "at most 10 citizenships",
            );
        }
        let status = self
            .migration_status
            .as_deref()
            .and_then(|s| text(&mut p, "migration_status", s, false, 200));
        p.finish(())?;
        Ok(NewPerson {
            given_name: given.unwrap_or_default(),
            family_name: family.unwrap_or_default(),
            date_of_birth: dob,
            sex,
            citizenships,
            migration_status: status,
        })
    }
}

/// A case as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    pub person_id: String,
    pub types: Vec<String>,
    pub stage: String,
    pub summary: String,
}

/// A validated case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub person_id: Uuid,
    pub types: Vec<CaseType>,
    pub stage: Stage,
    pub summary: String,
}

impl RawCase {
    pub fn validate(self) -> Result<NewCase, Problems> {
        let mut p = Problems::default();
        let person_id = Uuid::parse_str(self.person_id.trim()).ok();
        if person_id.is_none() {
            p.add(
                "person_id",
                crate::ErrorCode::InvalidId,
                "person_id must be the id returned when the person was registered",
            );
        }
        let mut types = Vec::new();
        for t in &self.types {
            match CaseType::parse(t.trim()) {
                Some(t) if !types.contains(&t) => types.push(t),
                Some(_) => {}
                None => p.add(
                    "types",
                    crate::ErrorCode::InvalidValue,
                    format!("'{t}' is not a case type; use: {}", CaseType::allowed()),
                ),
            }
        }
        if self.types.is_empty() {
            p.add(
                "types",
                crate::ErrorCode::Required,
                "choose at least one case type",
            );
        }
        let stage = Stage::parse(self.stage.trim());
        if stage.is_none() {
            p.add(
                "stage",
                crate::ErrorCode::InvalidValue,
                format!("stage must be one of: {}", Stage::allowed()),
            );
        }
        let summary = text(&mut p, "summary", &self.summary, true, NARRATIVE_MAX);
        p.finish(())?;
        Ok(NewCase {
            person_id: person_id.unwrap_or_default(),
            types,
            stage: stage.unwrap_or(Stage::Destination),
            summary: summary.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_person_needs_only_a_given_name_and_never_a_status() {
        let raw = RawPerson {
            given_name: "Amina".into(),
            ..Default::default()
        };
        let p = raw.validate(2026).expect("valid");
        assert_eq!(p.migration_status, None);
        assert_eq!(p.family_name, "");
    }

    #[test]
    fn all_problems_are_reported_together() {
        let raw = RawPerson {
            given_name: " ".into(),
            family_name: "K".into(),
            date_of_birth: Some("1990-02-30".into()),
            sex: Some("yes".into()),
            citizenships: Some(vec!["PH".into(), "XX".into()]),
            migration_status: None,
        };
        let problems = raw.validate(2026).expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["given_name", "date_of_birth", "sex", "citizenships"]
        );
    }

    #[test]
    fn case_input_is_checked_against_the_vocabularies() {
        let ok = RawCase {
            person_id: Uuid::nil().to_string(),
            types: vec![
                "trafficking".into(),
                "trafficking".into(),
                "labour_exploitation".into(),
            ],
            stage: "destination".into(),
            summary: "Worked 16 hours a day".into(),
        };
        assert_eq!(
            ok.validate().expect("valid").types,
            vec![CaseType::Trafficking, CaseType::LabourExploitation]
        );
        let bad = RawCase {
            person_id: "x".into(),
            types: vec![],
            stage: "arrival".into(),
            summary: "".into(),
        };
        let codes: Vec<&str> = bad
            .validate()
            .expect_err("invalid")
            .0
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        assert_eq!(
            codes,
            vec!["invalid_id", "required", "invalid_value", "required"]
        );
    }
}
