//! The request and response types of the service directory over the API; the OpenAPI schemas
//! are derived from them. `type` is the service's kind (snake_case), `capacity` an object or
//! null.

use passage_core::services::{AgeGroup, RawService, ServedSex, ServiceKind};
use passage_core::{Country, ErrorCode};
use passage_store::directory::{CapacityNow, DirectoryQuery, DirectoryService};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn vocabulary<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(all.iter().map(|v| name(*v))))
        .build()
}

pub(crate) fn service_kind() -> utoipa::openapi::Object {
    vocabulary(ServiceKind::ALL, ServiceKind::as_str)
}

fn served_sex() -> utoipa::openapi::Object {
    vocabulary(ServedSex::ALL, ServedSex::as_str)
}

fn age_group() -> utoipa::openapi::Object {
    vocabulary(AgeGroup::ALL, AgeGroup::as_str)
}

/// Free places out of a total as the provider last said, and how fresh the figure is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryCapacity {
    pub free: i64,
    pub total: i64,
    /// No place free.
    pub full: bool,
    /// Milliseconds since the Unix epoch when the figure was last set.
    pub updated_at: i64,
    /// Name it in a capacity change to refuse a lost update.
    pub version: i64,
}

impl From<CapacityNow> for DirectoryCapacity {
    fn from(c: CapacityNow) -> DirectoryCapacity {
        DirectoryCapacity {
            free: c.free,
            total: c.total,
            full: c.full,
            updated_at: c.updated_at,
            version: c.version,
        }
    }
}

/// Whom a service takes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryEligibility {
    #[schema(schema_with = served_sex)]
    pub sex: &'static str,
    #[schema(schema_with = age_group)]
    pub ages: &'static str,
    /// Serves everyone whatever their migration status.
    pub status_blind: bool,
}

/// A directory entry. `address` is present only for the owning organisation, or when the
/// provider made it public.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryEntry {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = service_kind)]
    pub kind: &'static str,
    pub description: Option<String>,
    /// ISO 3166-1 alpha-2: where the service is.
    pub country: String,
    /// Other countries it covers.
    pub other_countries: Vec<String>,
    /// Regions within its country.
    pub regions: Vec<String>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    pub eligibility: DirectoryEligibility,
    pub hours: Option<String>,
    pub contact: Option<String>,
    pub address: Option<String>,
    pub address_public: bool,
    /// Listed on the public service finder.
    pub public: bool,
    pub capacity: Option<DirectoryCapacity>,
    /// Name it when changing the entry.
    pub version: i64,
    pub updated_at: i64,
}

impl From<DirectoryService> for DirectoryEntry {
    fn from(s: DirectoryService) -> DirectoryEntry {
        DirectoryEntry {
            id: s.id,
            organisation_id: s.organisation_id,
            organisation_name: s.organisation_name,
            name: s.name,
            kind: s.kind.as_str(),
            description: s.description,
            country: s.country.as_str().to_string(),
            other_countries: s
                .other_countries
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            regions: s.regions,
            languages: s.languages,
            eligibility: DirectoryEligibility {
                sex: s.eligibility_sex.as_str(),
                ages: s.eligibility_ages.as_str(),
                status_blind: s.status_blind,
            },
            hours: s.hours,
            contact: s.contact,
            address: s.address,
            address_public: s.address_public,
            public: s.public,
            capacity: s.capacity.map(DirectoryCapacity::from),
            version: s.version,
            updated_at: s.updated_at,
        }
    }
}

/// A service as sent to create or change one. Lists may be empty; `sex` defaults to `any`,
/// `ages` to `all`; the address stays confidential unless `address_public`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    pub name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = service_kind)]
    pub kind: String,
    #[serde(default)]
    pub description: Option<String>,
    pub country: String,
    #[serde(default)]
    pub other_countries: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    pub languages: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = served_sex)]
    pub sex: Option<String>,
    #[serde(default)]
    #[schema(schema_with = age_group)]
    pub ages: Option<String>,
    #[serde(default)]
    pub status_blind: bool,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub address_public: bool,
    #[serde(default)]
    pub public: bool,
    /// Required when changing: the version read.
    #[serde(default)]
    pub version: Option<i64>,
}

impl ServiceInput {
    pub fn raw(&self) -> RawService {
        RawService {
            name: self.name.clone(),
            kind: self.kind.clone(),
            description: self.description.clone().unwrap_or_default(),
            country: self.country.clone(),
            other_countries: self.other_countries.clone(),
            regions: self.regions.clone(),
            languages: self.languages.clone(),
            sex: self.sex.clone().unwrap_or_default(),
            ages: self.ages.clone().unwrap_or_default(),
            status_blind: self.status_blind,
            hours: self.hours.clone().unwrap_or_default(),
            contact: self.contact.clone().unwrap_or_default(),
            address: self.address.clone().unwrap_or_default(),
            address_public: self.address_public,
            public: self.public,
        }
    }
}

/// A new capacity figure. With `version` (0 before the first figure) it applies only if
/// nobody changed the figure since.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityInput {
    pub free: i64,
    pub total: i64,
    #[serde(default)]
    pub version: Option<i64>,
}

/// The directory's filters, each optional and combinable.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    /// A service type.
    #[param(schema_with = service_kind)]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2: served there (where the service is, or a country it covers).
    pub country: Option<String>,
    /// ISO 639: given in this language.
    pub language: Option<String>,
}

/// Why a filter was refused: its name and what it should be.
pub struct BadFilter(pub &'static str, pub String);

impl ServiceQuery {
    /// The store's query; an empty value is no filter.
    pub fn parse(&self) -> Result<DirectoryQuery, BadFilter> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let kind = given(&self.kind)
            .map(|k| {
                ServiceKind::parse(&k).ok_or_else(|| {
                    BadFilter(
                        "type",
                        format!("type must be one of: {}", ServiceKind::allowed()),
                    )
                })
            })
            .transpose()?;
        let country = given(&self.country)
            .map(|c| {
                Country::parse(&c).ok_or_else(|| {
                    BadFilter(
                        "country",
                        "country must be an ISO 3166-1 alpha-2 code such as GB".into(),
                    )
                })
            })
            .transpose()?;
        let language = given(&self.language)
            .map(|l| {
                passage_core::services::language_code(&l).ok_or_else(|| {
                    BadFilter(
                        "language",
                        "language must be an ISO 639 code such as en or ar".into(),
                    )
                })
            })
            .transpose()?;
        Ok(DirectoryQuery {
            kind,
            country,
            language,
            organisation: None,
        })
    }
}

impl From<BadFilter> for crate::WebError {
    fn from(b: BadFilter) -> crate::WebError {
        crate::WebError::new(
            axum::http::StatusCode::BAD_REQUEST,
            ErrorCode::InvalidQuery,
            b.1,
        )
    }
}
