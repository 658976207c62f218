//! The request and response types of role grants over the API; the OpenAPI schemas are derived
//! from them.

use passage_core::Role;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A grant of a role to a user of the organisation: `pending` until a second administrator or
/// a supervisor (never the one who asked nor the one it is for) approves or refuses it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleGrant {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_email: String,
    #[schema(schema_with = crate::kit::schema::role)]
    pub role: Role,
    /// Who asked; absent when the operator did.
    pub requested_by: Option<Uuid>,
    /// Milliseconds since the Unix epoch.
    pub requested_at: i64,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<i64>,
}

impl From<passage_store::accounts::grants::RoleGrant> for RoleGrant {
    fn from(g: passage_store::accounts::grants::RoleGrant) -> RoleGrant {
        RoleGrant {
            id: g.id,
            user_id: g.user_id,
            user_email: g.user_email,
            role: g.role,
            requested_by: g.requested_by,
            requested_at: g.requested_at,
            status: g.status,
            decided_by: g.decided_by,
            decided_at: g.decided_at,
        }
    }
}
