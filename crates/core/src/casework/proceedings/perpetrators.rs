//! A perpetrator as submitted: the HTCDS `per_*` facts.

use super::{AgeBand, NOTE_MAX, PerpetratorRelation, PerpetratorRole, incomplete, optional_vocab};
use crate::validate::{Problems, text};
use crate::vocab::Sex;

/// A perpetrator as submitted (HTCDS `per_*`).
#[derive(Debug, Clone, Default)]
pub struct RawPerpetrator {
    pub roles: Vec<String>,
    pub sex: String,
    pub age_band: String,
    pub citizenship: String,
    pub relation: String,
    pub details: String,
}

/// A validated perpetrator. Every value is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewPerpetrator {
    pub roles: Vec<PerpetratorRole>,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<crate::Country>,
    pub relation: Option<PerpetratorRelation>,
    pub details: Option<String>,
}

impl RawPerpetrator {
    /// At least one role in the process is required; the rest is optional but checked.
    pub fn validate(self) -> Result<NewPerpetrator, Problems> {
        let mut p = Problems::default();
        let mut roles = Vec::new();
        let typed: Vec<&str> = self
            .roles
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .collect();
        if typed.is_empty() {
            p.add(
                "roles",
                crate::ErrorCode::Required,
                "roles is required: at least one role in the process",
            );
        }
        for r in typed {
            match PerpetratorRole::parse(r) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => {
                    p.add(
                        "roles",
                        crate::ErrorCode::UnknownValue,
                        format!("roles must each be one of {}", PerpetratorRole::allowed()),
                    );
                    break;
                }
            }
        }
        let sex = optional_vocab(&mut p, "sex", &self.sex, Sex::parse, Sex::allowed());
        let age_band = optional_vocab(
            &mut p,
            "age_band",
            &self.age_band,
            AgeBand::parse,
            AgeBand::allowed(),
        );
        let citizenship = if self.citizenship.trim().is_empty() {
            Some(None)
        } else {
            match crate::Country::parse(self.citizenship.trim()) {
                Some(c) => Some(Some(c)),
                None => {
                    p.add(
                        "citizenship",
                        crate::ErrorCode::InvalidValue,
                        "citizenship must be an ISO 3166-1 alpha-2 country code",
                    );
                    None
                }
            }
        };
        let relation = optional_vocab(
            &mut p,
            "relation",
            &self.relation,
            PerpetratorRelation::parse,
            PerpetratorRelation::allowed(),
        );
        let details = text(&mut p, "details", &self.details, false, NOTE_MAX);
        p.finish(())?;
        match (sex, age_band, citizenship, relation) {
            (Some(sex), Some(age_band), Some(citizenship), Some(relation)) => {
                roles.sort();
                Ok(NewPerpetrator {
                    roles,
                    sex,
                    age_band,
                    citizenship,
                    relation,
                    details,
                })
            }
            _ => Err(incomplete()),
        }
    }
}
