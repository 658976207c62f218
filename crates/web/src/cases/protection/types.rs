//! The request and response types of the protection-needs API, owned by the API: responses are
//! built from the store's values by `From`, and the OpenAPI schemas are derived from these
//! types.

use passage_core::casework::protection::{ProtectionKind, RawProtectionNeed};
use passage_store::casework::protection as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An international protection need as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProtectionNeed {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::protection_kind, required = true)]
    pub kind: String,
    /// ISO 3166-1 alpha-2 codes of the countries the person fled or fears return to
    #[serde(default)]
    #[schema(min_items = 1, max_items = 10, required = true)]
    pub countries: Vec<String>,
    /// Why; read only by the case's own organisation, sealed at rest
    #[serde(default)]
    #[schema(max_length = 2000, required = true)]
    pub reason: String,
}

impl From<NewProtectionNeed> for RawProtectionNeed {
    fn from(b: NewProtectionNeed) -> RawProtectionNeed {
        RawProtectionNeed {
            kind: b.kind,
            countries: b.countries,
            reason: b.reason,
        }
    }
}

/// A recorded need.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProtectionNeed {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::protection_kind)]
    pub kind: ProtectionKind,
    /// ISO 3166-1 alpha-2 codes
    pub countries: Vec<String>,
    /// Present only for the case's own organisation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Unix milliseconds
    pub recorded_at: i64,
}

impl From<store::ProtectionNeedRecord> for ProtectionNeed {
    fn from(n: store::ProtectionNeedRecord) -> ProtectionNeed {
        ProtectionNeed {
            id: n.id,
            kind: n.kind,
            countries: n.countries.iter().map(|c| c.as_str().to_string()).collect(),
            reason: n.reason,
            recorded_at: n.recorded_at,
        }
    }
}

/// The need recorded: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProtectionNeedRecorded {
    pub id: Uuid,
}
