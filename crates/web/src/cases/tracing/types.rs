//! The request and response types of the tracing and age-assessment API, owned by the API:
//! responses are built from the store's values by `From`, and the OpenAPI schemas are derived
//! from these types.

use passage_core::casework::tracing::{
    AssessmentMethod, FamilyRelation, MemberStatus, RawAgeAssessment, RawClose, RawMember,
    RawTracingRequest, SeparationReason, TracingStatus,
};
use passage_store::casework::tracing as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A tracing request as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTracingRequest {
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub opened_on: String,
    /// Why the person was separated from their family
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::separation_reason, required = true)]
    pub reason: String,
}

impl From<NewTracingRequest> for RawTracingRequest {
    fn from(b: NewTracingRequest) -> RawTracingRequest {
        RawTracingRequest {
            opened_on: b.opened_on,
            reason: b.reason,
        }
    }
}

/// A searched family member as sent. Name, place and what is known are sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTracingMember {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::family_relation, required = true)]
    pub relation: String,
    #[serde(default)]
    #[schema(max_length = 200, required = true)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub last_known_place: Option<String>,
    /// What is known of them
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub known: Option<String>,
}

impl From<NewTracingMember> for RawMember {
    fn from(b: NewTracingMember) -> RawMember {
        RawMember {
            relation: b.relation,
            name: b.name,
            last_known_place: b.last_known_place.unwrap_or_default(),
            known: b.known.unwrap_or_default(),
        }
    }
}

/// A family member's new status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberStatusChange {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::member_status, required = true)]
    pub status: String,
}

/// A tracing step sent to a partner: the referral (of the same case) that carries it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTracingContact {
    #[serde(default)]
    #[schema(format = Uuid, required = true)]
    pub referral_id: String,
}

/// Closing a request: a final status (default `closed`) and the outcome note (required).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// family_found, reunited, not_found or closed
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::tracing_status)]
    pub status: Option<String>,
    #[serde(default)]
    #[schema(max_length = 4000, required = true)]
    pub outcome: String,
}

impl From<CloseRequest> for RawClose {
    fn from(b: CloseRequest) -> RawClose {
        RawClose {
            status: b.status.unwrap_or_default(),
            outcome: b.outcome,
        }
    }
}

/// An age assessment as sent: the range runs from `age_lower` to `age_upper` years
/// (0–120, lower ≤ upper).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgeAssessment {
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub assessed_on: String,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::assessment_method, required = true)]
    pub method: String,
    /// Who assessed; sealed at rest
    #[serde(default)]
    #[schema(max_length = 200, required = true)]
    pub assessed_by: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 120, required = true)]
    pub age_lower: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 120, required = true)]
    pub age_upper: Option<i64>,
    /// The person or their representative disputes the result
    #[serde(default)]
    pub disputed: bool,
}

impl From<NewAgeAssessment> for RawAgeAssessment {
    fn from(b: NewAgeAssessment) -> RawAgeAssessment {
        RawAgeAssessment {
            assessed_on: b.assessed_on,
            method: b.method,
            assessed_by: b.assessed_by,
            age_lower: b.age_lower,
            age_upper: b.age_upper,
            disputed: b.disputed,
        }
    }
}

/// An age assessment as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgeAssessment {
    pub id: Uuid,
    /// YYYY-MM-DD
    pub assessed_on: String,
    #[schema(schema_with = crate::kit::schema::assessment_method)]
    pub method: AssessmentMethod,
    pub assessed_by: String,
    pub age_lower: u8,
    pub age_upper: u8,
    pub disputed: bool,
    /// The benefit of the doubt applies: the range includes an age under 18, or the
    /// assessment is disputed
    pub treated_as_child: bool,
    /// The method reads X-rays, whose error margin is several years
    pub caution: bool,
    /// Unix milliseconds
    pub recorded_at: i64,
}

impl From<store::AgeAssessmentRecord> for AgeAssessment {
    fn from(a: store::AgeAssessmentRecord) -> AgeAssessment {
        AgeAssessment {
            id: a.id,
            assessed_on: a.assessed_on.to_string(),
            method: a.method,
            assessed_by: a.assessed_by,
            age_lower: a.age_lower,
            age_upper: a.age_upper,
            disputed: a.disputed,
            treated_as_child: a.treated_as_child,
            caution: a.method.needs_caution(),
            recorded_at: a.recorded_at,
        }
    }
}

/// A searched family member.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TracingMember {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::family_relation)]
    pub relation: FamilyRelation,
    pub name: String,
    pub last_known_place: Option<String>,
    pub known: Option<String>,
    #[schema(schema_with = crate::kit::schema::member_status)]
    pub status: MemberStatus,
}

/// A tracing step sent to a partner, with the status of its referral.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TracingContact {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub organisation_name: String,
    /// The referral's status
    pub referral_status: String,
}

/// A tracing request with its members and contacts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TracingRequest {
    pub id: Uuid,
    /// YYYY-MM-DD
    pub opened_on: String,
    #[schema(schema_with = crate::kit::schema::separation_reason)]
    pub reason: SeparationReason,
    #[schema(schema_with = crate::kit::schema::tracing_status)]
    pub status: TracingStatus,
    pub outcome: Option<String>,
    pub members: Vec<TracingMember>,
    pub contacts: Vec<TracingContact>,
}

impl From<store::TracingRequest> for TracingRequest {
    fn from(t: store::TracingRequest) -> TracingRequest {
        TracingRequest {
            id: t.id,
            opened_on: t.opened_on.to_string(),
            reason: t.reason,
            status: t.status,
            outcome: t.outcome,
            members: t
                .members
                .into_iter()
                .map(|m| TracingMember {
                    id: m.id,
                    relation: m.relation,
                    name: m.name,
                    last_known_place: m.last_known_place,
                    known: m.known,
                    status: m.status,
                })
                .collect(),
            contacts: t
                .contacts
                .into_iter()
                .map(|c| TracingContact {
                    id: c.id,
                    referral_id: c.referral_id,
                    organisation_name: c.organisation_name,
                    referral_status: c.referral_status.as_str().to_string(),
                })
                .collect(),
        }
    }
}

/// What was recorded: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TracingRecorded {
    pub id: Uuid,
}
