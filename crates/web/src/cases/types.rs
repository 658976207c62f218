//! The request and response types of registering persons and opening and listing cases, owned
//! by the API: requests turn into core's `Raw*` inputs (which validate them), list lines are
//! built from the store's by `From`, and the OpenAPI schemas are derived from these types.

use passage_core::records::{RawCase, RawPerson};
use passage_core::{CaseStatus, CaseType, Stage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A person to register in your organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[schema(max_length = 200)]
    pub given_name: String,
    #[schema(max_length = 200)]
    pub family_name: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    #[schema(schema_with = sex)]
    pub sex: Option<String>,
    #[serde(default)]
    #[schema(schema_with = countries)]
    pub citizenships: Option<Vec<String>>,
    /// Optional and firewalled: never required, shown only to caseworkers and supervisors of
    /// the owning organisation.
    #[serde(default)]
    pub migration_status: Option<String>,
}

/// HTCDS sex/gender spellings, and the short ones accepted for them.
fn sex() -> utoipa::openapi::schema::Object {
    let mut all: Vec<&'static str> = passage_core::Sex::ALL.iter().map(|s| s.as_str()).collect();
    all.extend(["female", "male", "unknown"]);
    crate::kit::schema::one_of(&all)
}

fn countries() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(crate::kit::schema::country())
        .build()
}

impl From<NewPerson> for RawPerson {
    fn from(b: NewPerson) -> RawPerson {
        RawPerson {
            given_name: b.given_name,
            family_name: b.family_name,
            date_of_birth: b.date_of_birth,
            sex: b.sex,
            citizenships: b.citizenships,
            migration_status: b.migration_status,
        }
    }
}

/// A case to open for a registered person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    #[schema(format = Uuid)]
    pub person_id: String,
    #[schema(schema_with = crate::kit::schema::case_types)]
    pub types: Vec<String>,
    #[schema(schema_with = crate::kit::schema::stage)]
    pub stage: String,
    #[schema(max_length = 20000)]
    pub summary: String,
}

impl From<NewCase> for RawCase {
    fn from(b: NewCase) -> RawCase {
        RawCase {
            person_id: b.person_id,
            types: b.types,
            stage: b.stage,
            summary: b.summary,
        }
    }
}

/// The id of what was created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    pub id: Uuid,
}

/// One line of a case list: no narrative.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseListItem {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    #[schema(schema_with = crate::kit::schema::case_types)]
    pub types: Vec<CaseType>,
    #[schema(schema_with = crate::kit::schema::stage)]
    pub stage: Stage,
    #[schema(schema_with = crate::kit::schema::case_status)]
    pub status: CaseStatus,
    pub organisation_id: Uuid,
    /// Unix milliseconds
    pub created_at: i64,
}

impl From<passage_store::cases::CaseListItem> for CaseListItem {
    fn from(c: passage_store::cases::CaseListItem) -> CaseListItem {
        CaseListItem {
            id: c.id,
            person_id: c.person_id,
            person_name: c.person_name,
            types: c.types,
            stage: c.stage,
            status: c.status,
            organisation_id: c.organisation_id,
            created_at: c.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    /// The list line serialises exactly as the store's, and the created id as written before.
    #[test]
    fn responses_serialise_as_before() {
        let item = passage_store::cases::CaseListItem {
            id: Uuid::from_u128(1),
            person_id: Uuid::from_u128(2),
            person_name: "Ana Lima".into(),
            types: vec![CaseType::ALL[0]],
            stage: Stage::ALL[0],
            status: CaseStatus::ALL[0],
            organisation_id: Uuid::from_u128(3),
            created_at: 4,
        };
        assert_eq!(
            to_value(CaseListItem::from(item.clone())).expect("web"),
            to_value(item).expect("store")
        );
        let id = Uuid::from_u128(5);
        assert_eq!(to_value(Created { id }).expect("web"), json!({ "id": id }));
    }
}
