//! The request and response types of incidents over the API; the OpenAPI schemas are derived
//! from them. Every field of a body is read as text (a count as a number or text) and checked
//! by the core rules, so a missing, unknown or negative value is a 422 naming the field, never
//! a parse error.

use passage_core::monitoring::incidents::{
    BiasMotive, IncidentKind, IncidentSource, PerpetratorType, PlaceType, RawAffected, RawIncident,
    Verification,
};
use passage_core::monitoring::views::RawFilter;
use passage_store::monitoring::incidents::{IncidentSummary, IncidentView, LinkTarget};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn vocabulary<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(all.iter().map(|v| name(*v))))
        .build()
}

pub(crate) fn place_type() -> utoipa::openapi::Object {
    vocabulary(PlaceType::ALL, PlaceType::as_str)
}
fn kinds() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(vocabulary(IncidentKind::ALL, IncidentKind::as_str))
        .build()
}
fn motives() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(vocabulary(BiasMotive::ALL, BiasMotive::as_str))
        .build()
}
fn perpetrator_type() -> utoipa::openapi::Object {
    vocabulary(PerpetratorType::ALL, PerpetratorType::as_str)
}
fn source() -> utoipa::openapi::Object {
    vocabulary(IncidentSource::ALL, IncidentSource::as_str)
}
fn verification() -> utoipa::openapi::Object {
    vocabulary(Verification::ALL, Verification::as_str)
}

/// A count as sent: a number (or text holding one); anything else is refused by the rules.
fn typed(v: &Option<serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// How many people the incident affected, by sex and age band; each absent band is 0.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedInput {
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 0)]
    pub women: Option<serde_json::Value>,
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 0)]
    pub men: Option<serde_json::Value>,
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 0)]
    pub girls: Option<serde_json::Value>,
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 0)]
    pub boys: Option<serde_json::Value>,
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 0)]
    pub unknown: Option<serde_json::Value>,
}

/// An incident to record: an event, not a person. No name is asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    /// YYYY-MM-DD, not after today (UTC).
    #[serde(default)]
    #[schema(required = true)]
    pub occurred_on: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    #[schema(required = true)]
    pub country: String,
    /// A region code of the country's list (GB: ITL1 regions; PH: its 17 regions); absent for
    /// any other country.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    #[schema(required = true, schema_with = place_type)]
    pub place_type: String,
    /// One or more.
    #[serde(default)]
    #[schema(required = true, schema_with = kinds)]
    pub kinds: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = motives)]
    pub bias_motives: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = perpetrator_type)]
    pub perpetrator_type: Option<String>,
    #[serde(default)]
    pub affected: AffectedInput,
    #[serde(default)]
    #[schema(required = true, schema_with = source)]
    pub source: String,
    /// Sealed at rest; never sent to a webhook or a notification.
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub narrative: String,
    /// The public report of the caller's organisation it is recorded from.
    #[serde(default)]
    pub report_id: Option<Uuid>,
    /// The monitoring visit of the caller's organisation it was seen on.
    #[serde(default)]
    pub visit_id: Option<Uuid>,
}

impl IncidentInput {
    pub fn raw(&self) -> RawIncident {
        RawIncident {
            occurred_on: self.occurred_on.clone(),
            country: self.country.clone(),
            region: self.region.clone().unwrap_or_default(),
            place_type: self.place_type.clone(),
            kinds: self.kinds.clone(),
            bias_motives: self.bias_motives.clone(),
            perpetrator_type: self.perpetrator_type.clone().unwrap_or_default(),
            affected: RawAffected {
                women: typed(&self.affected.women),
                men: typed(&self.affected.men),
                girls: typed(&self.affected.girls),
                boys: typed(&self.affected.boys),
                unknown: typed(&self.affected.unknown),
            },
            source: self.source.clone(),
            narrative: self.narrative.clone(),
        }
    }
}

/// A record made: its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentCreated {
    pub id: Uuid,
}

/// The filters of the list and the monitoring figures.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// First day (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
}

impl IncidentQuery {
    pub fn raw(&self) -> RawFilter {
        RawFilter {
            country: self.country.clone().unwrap_or_default(),
            from: self.from.clone().unwrap_or_default(),
            to: self.to.clone().unwrap_or_default(),
        }
    }
}

/// The people affected.
#[derive(Debug, Serialize, ToSchema)]
pub struct AffectedCounts {
    pub women: u32,
    pub men: u32,
    pub girls: u32,
    pub boys: u32,
    pub unknown: u32,
}

/// An incident as the list shows it: no narrative, no link.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentItem {
    pub id: Uuid,
    pub occurred_on: String,
    pub country: String,
    pub region: Option<String>,
    #[schema(schema_with = place_type)]
    pub place_type: &'static str,
    #[schema(schema_with = kinds)]
    pub kinds: Vec<&'static str>,
    #[schema(schema_with = motives)]
    pub bias_motives: Vec<&'static str>,
    #[schema(schema_with = perpetrator_type)]
    pub perpetrator_type: Option<&'static str>,
    pub affected: AffectedCounts,
    #[schema(schema_with = source)]
    pub source: &'static str,
    #[schema(schema_with = verification)]
    pub verification: &'static str,
}

impl From<&IncidentSummary> for IncidentItem {
    fn from(i: &IncidentSummary) -> IncidentItem {
        IncidentItem {
            id: i.id,
            occurred_on: i.occurred_on.clone(),
            country: i.country.as_str().to_string(),
            region: i.region.clone(),
            place_type: i.place_type.as_str(),
            kinds: i.kinds.iter().map(|k| k.as_str()).collect(),
            bias_motives: i.bias_motives.iter().map(|k| k.as_str()).collect(),
            perpetrator_type: i.perpetrator_type.map(|p| p.as_str()),
            affected: AffectedCounts {
                women: i.affected.women,
                men: i.affected.men,
                girls: i.affected.girls,
                boys: i.affected.boys,
                unknown: i.affected.unknown,
            },
            source: i.source.as_str(),
            verification: i.verification.as_str(),
        }
    }
}

/// One incident as its organisation reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub item: IncidentItem,
    pub narrative: String,
    /// The case it is linked to, if any.
    pub case_id: Option<Uuid>,
    /// The person it is linked to, if any.
    pub person_id: Option<Uuid>,
    pub report_id: Option<Uuid>,
    pub visit_id: Option<Uuid>,
}

impl From<IncidentView> for IncidentDetail {
    fn from(v: IncidentView) -> IncidentDetail {
        let (case_id, person_id) = match v.link {
            Some(LinkTarget::Case(c)) => (Some(c), None),
            Some(LinkTarget::Person(p)) => (None, Some(p)),
            None => (None, None),
        };
        IncidentDetail {
            item: IncidentItem::from(&v.summary),
            narrative: v.narrative,
            case_id,
            person_id,
            report_id: v.report_id,
            visit_id: v.visit_id,
        }
    }
}

/// A verification status (a supervisor of the incident's organisation).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    #[serde(default)]
    #[schema(required = true, schema_with = verification)]
    pub status: String,
}

/// What to link the incident to: a case or a person of the same organisation (one of them).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    #[serde(default)]
    pub case_id: Option<String>,
    #[serde(default)]
    pub person_id: Option<String>,
}

impl LinkInput {
    /// The target, or a 422 naming the field.
    pub fn target(&self) -> Result<LinkTarget, passage_store::StoreError> {
        use passage_core::ErrorCode;
        use passage_store::StoreError;
        let id = |field: &str, v: &str| {
            Uuid::parse_str(v.trim()).map_err(|_| {
                StoreError::invalid(
                    field,
                    ErrorCode::InvalidId,
                    format!("{field} must be an id"),
                )
            })
        };
        let case = self.case_id.as_deref().filter(|v| !v.trim().is_empty());
        let person = self.person_id.as_deref().filter(|v| !v.trim().is_empty());
        match (case, person) {
            (Some(c), None) => Ok(LinkTarget::Case(id("case_id", c)?)),
            (None, Some(p)) => Ok(LinkTarget::Person(id("person_id", p)?)),
            _ => Err(StoreError::invalid(
                "case_id",
                ErrorCode::Required,
                "give case_id or person_id",
            )),
        }
    }
}

/// A verification status as typed, or a 422 naming the field.
pub fn verification_of(typed: &str) -> Result<Verification, passage_store::StoreError> {
    Verification::parse(typed.trim()).ok_or_else(|| {
        passage_store::StoreError::invalid(
            "status",
            passage_core::ErrorCode::UnknownValue,
            format!("status must be one of: {}", Verification::allowed()),
        )
    })
}
