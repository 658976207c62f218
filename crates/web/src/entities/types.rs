//! The request and response types of the register over the API; the OpenAPI schemas are
//! derived from them. Every field of a body is read as text and checked by the core rules, so a
//! missing or unknown value is a 422 naming the field, never a parse error.

use passage_core::ErrorCode;
use passage_core::labour::entities::{
    EntityKind, LicenceStatus, LinkRole, RawEntity, RawLicence, RawSanction, Sector,
};
use passage_core::validate::Problems;
use passage_store::StoreError;
use passage_store::labour::entities::{EntityDetail, EntitySummary, SanctionView};
use passage_store::labour::links::EntityLink;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn vocabulary<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(all.iter().map(|v| name(*v))))
        .build()
}

fn entity_kind() -> utoipa::openapi::Object {
    vocabulary(EntityKind::ALL, EntityKind::as_str)
}
fn licence_status() -> utoipa::openapi::Object {
    vocabulary(LicenceStatus::ALL, LicenceStatus::as_str)
}
fn link_role() -> utoipa::openapi::Object {
    vocabulary(LinkRole::ALL, LinkRole::as_str)
}
fn sector() -> utoipa::openapi::Object {
    vocabulary(Sector::ALL, Sector::as_str)
}

/// An entity to add to the register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityInput {
    #[serde(default)]
    #[schema(required = true, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true, schema_with = entity_kind)]
    pub kind: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    #[schema(required = true)]
    pub country: String,
    #[serde(default)]
    pub licence_number: Option<String>,
    /// An ISIC Rev.4 section letter (A–U), or its HTCDS forced-labour industry spelling.
    #[serde(default)]
    #[schema(schema_with = sector)]
    pub sector: Option<String>,
}

impl EntityInput {
    pub fn raw(&self) -> RawEntity {
        RawEntity {
            name: self.name.clone(),
            kind: self.kind.clone(),
            country: self.country.clone(),
            licence_number: self.licence_number.clone().unwrap_or_default(),
            sector: self.sector.clone().unwrap_or_default(),
        }
    }
}

/// A record made: its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityCreated {
    pub id: Uuid,
}

/// An entity as a search lists it. `complaints`: reports and cases naming it across the
/// network, `null` when under k (a count never points at one worker).
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityItem {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = entity_kind)]
    pub kind: &'static str,
    pub country: String,
    #[schema(schema_with = licence_status)]
    pub licence_status: &'static str,
    pub complaints: Option<u64>,
}

impl From<EntitySummary> for EntityItem {
    fn from(e: EntitySummary) -> EntityItem {
        EntityItem {
            id: e.id,
            name: e.name,
            kind: e.kind.as_str(),
            country: e.country.as_str().to_string(),
            licence_status: e.licence_status.as_str(),
            complaints: e.complaints,
        }
    }
}

/// The search.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntityQuery {
    /// A name as typed (legal forms, spacing, case and script do not matter) or a licence
    /// number; empty lists the register.
    pub q: Option<String>,
}

/// A confirmed sanction.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntitySanction {
    pub description: String,
    /// The inspectorate or court that confirmed it.
    pub authority: String,
    /// YYYY-MM-DD.
    pub decided_on: String,
}

impl From<SanctionView> for EntitySanction {
    fn from(s: SanctionView) -> EntitySanction {
        EntitySanction {
            description: s.description,
            authority: s.authority,
            decided_on: s.decided_on,
        }
    }
}

/// A link of the caller's own organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityLinkItem {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    /// report, case, document or screening.
    pub record: &'static str,
    pub record_id: Uuid,
    #[schema(schema_with = link_role)]
    pub role: &'static str,
    pub created_at: i64,
}

impl From<EntityLink> for EntityLinkItem {
    fn from(l: EntityLink) -> EntityLinkItem {
        EntityLinkItem {
            id: l.id,
            entity_id: l.entity_id,
            entity_name: l.entity_name,
            record: l.record.as_str(),
            record_id: l.record_id,
            role: l.role.as_str(),
            created_at: l.created_at,
        }
    }
}

/// Complaints naming the entity under one category, across the network; `null` under k.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityCategoryCount {
    pub category: String,
    pub count: Option<u64>,
}

/// One entity: the register's facts, the network's counts (withheld under k), and the links
/// of the caller's own organisation only.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityView {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = entity_kind)]
    pub kind: &'static str,
    pub country: String,
    pub licence_number: Option<String>,
    #[schema(schema_with = licence_status)]
    pub licence_status: &'static str,
    pub licence_authority: Option<String>,
    pub licence_date: Option<String>,
    /// ISIC Rev.4 section letter.
    pub sector: Option<&'static str>,
    /// The HTCDS `vic_ForcedLabourIndustry` value of the sector.
    pub sector_htcds: Option<&'static str>,
    /// The survivor, when this entity was merged into another.
    pub merged_into: Option<Uuid>,
    /// Entities merged into this one.
    pub absorbed: Vec<Uuid>,
    pub workplaces: Vec<String>,
    pub sanctions: Vec<EntitySanction>,
    pub complaints: Option<u64>,
    pub by_category: Vec<EntityCategoryCount>,
    pub links: Vec<EntityLinkItem>,
    /// Carried back by a licence change, so a stale one is refused.
    pub version: i64,
}

impl EntityView {
    pub fn of(
        e: EntityDetail,
        links: Vec<EntityLink>,
        cells: Vec<passage_core::stats::Cell>,
    ) -> EntityView {
        EntityView {
            id: e.id,
            name: e.name,
            kind: e.kind.as_str(),
            country: e.country.as_str().to_string(),
            licence_number: e.licence_number,
            licence_status: e.licence_status.as_str(),
            licence_authority: e.licence_authority,
            licence_date: e.licence_date,
            sector: e.sector.map(|s| s.as_str()),
            sector_htcds: e.sector.map(|s| s.htcds()),
            merged_into: e.merged_into,
            absorbed: e.absorbed.into_iter().map(|a| a.0).collect(),
            workplaces: e.workplaces,
            sanctions: e.sanctions.into_iter().map(EntitySanction::from).collect(),
            complaints: e.complaints,
            by_category: cells
                .into_iter()
                .map(|c| EntityCategoryCount {
                    category: c.key,
                    count: c.count,
                })
                .collect(),
            links: links.into_iter().map(EntityLinkItem::from).collect(),
            version: e.version,
        }
    }
}

/// Names an entity from a record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityLinkInput {
    #[serde(default)]
    #[schema(required = true)]
    pub entity_id: String,
    #[serde(default)]
    #[schema(required = true, schema_with = link_role)]
    pub role: String,
}

impl EntityLinkInput {
    pub fn parse(&self) -> Result<(Uuid, LinkRole), StoreError> {
        let mut p = Problems::default();
        let id = Uuid::parse_str(self.entity_id.trim()).ok();
        if id.is_none() {
            p.add(
                "entity_id",
                ErrorCode::InvalidId,
                "entity_id is not an entity id",
            );
        }
        let role = LinkRole::parse(self.role.trim());
        if role.is_none() {
            p.add(
                "role",
                ErrorCode::UnknownValue,
                format!("role must be one of: {}", LinkRole::allowed()),
            );
        }
        match (id, role) {
            (Some(id), Some(role)) => Ok((id, role)),
            _ => Err(StoreError::Invalid(p)),
        }
    }
}

/// A licence's status with the authority that decided it and when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityLicenceInput {
    #[serde(default)]
    pub licence_number: Option<String>,
    #[serde(default)]
    #[schema(required = true, schema_with = licence_status)]
    pub licence_status: String,
    /// Required unless the status is `unknown`.
    #[serde(default)]
    pub authority: Option<String>,
    /// YYYY-MM-DD; required unless the status is `unknown`.
    #[serde(default)]
    pub decided_on: Option<String>,
    /// The entity's `version` as you read it: when another keeper changed the entity since,
    /// the answer is 409 `version_conflict` and nothing is written.
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
}

impl EntityLicenceInput {
    /// The version the keeper read, or the `version` field's `required` problem.
    pub fn seen(&self) -> Result<i64, StoreError> {
        self.version.ok_or_else(|| {
            StoreError::invalid(
                "version",
                passage_core::ErrorCode::Required,
                "send the version of the entity you read",
            )
        })
    }

    pub fn raw(&self) -> RawLicence {
        RawLicence {
            licence_number: self.licence_number.clone().unwrap_or_default(),
            status: self.licence_status.clone(),
            authority: self.authority.clone().unwrap_or_default(),
            decided_on: self.decided_on.clone().unwrap_or_default(),
        }
    }
}

/// A sanction an inspectorate or a court confirmed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntitySanctionInput {
    #[serde(default)]
    #[schema(required = true)]
    pub description: String,
    #[serde(default)]
    #[schema(required = true)]
    pub authority: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    #[schema(required = true)]
    pub decided_on: String,
}

impl EntitySanctionInput {
    pub fn raw(&self) -> RawSanction {
        RawSanction {
            description: self.description.clone(),
            authority: self.authority.clone(),
            decided_on: self.decided_on.clone(),
        }
    }
}

/// A workplace address.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityWorkplaceInput {
    #[serde(default)]
    #[schema(required = true)]
    pub address: String,
}

/// The entity this one is merged into.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityMergeInput {
    #[serde(default)]
    #[schema(required = true)]
    pub into: String,
}

impl EntityMergeInput {
    pub fn parse(&self) -> Result<Uuid, StoreError> {
        Uuid::parse_str(self.into.trim()).map_err(|_| {
            StoreError::invalid("into", ErrorCode::InvalidId, "into is not an entity id")
        })
    }
}
