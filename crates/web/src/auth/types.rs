//! The request and response types of signing in over the API, owned by the API; the OpenAPI
//! schemas are derived from them.

use passage_core::{Country, OrgKind, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// E-mail and password of a user, and the second factor when the user has or needs one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    /// The six-digit code of the user's authenticator app, or one of their recovery codes.
    /// Needed by users with a second factor (administrators and supervisors, or every staff
    /// user where the deployment requires it); without it such a user gets 401
    /// `second_factor_required`, with a wrong one the same 401 as a wrong password.
    #[serde(default)]
    #[schema(nullable = false)]
    pub totp: Option<String>,
}

/// A bearer token for the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Token {
    pub token: String,
}

/// The signed-in user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[schema(schema_with = crate::kit::schema::roles)]
    pub roles: Vec<Role>,
    pub organisation: MyOrganisation,
}

/// The signed-in user's organisation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyOrganisation {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::kit::schema::org_kind)]
    pub kind: OrgKind,
    #[schema(schema_with = crate::kit::schema::country)]
    pub country: Country,
}

impl From<passage_store::orgs::User> for Me {
    fn from(user: passage_store::orgs::User) -> Me {
        Me {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            roles: user.roles,
            organisation: MyOrganisation {
                id: user.organisation.id,
                name: user.organisation.name,
                kind: user.organisation.kind,
                country: user.organisation.country,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    /// The profile serialises exactly as the object written out before these types.
    #[test]
    fn me_serialises_as_before() {
        let user = passage_store::orgs::User {
            id: Uuid::from_u128(1),
            email: "ana@example.org".into(),
            display_name: "Ana".into(),
            roles: vec![Role::Caseworker, Role::Supervisor],
            disabled: false,
            organisation: passage_store::orgs::Organisation {
                id: Uuid::from_u128(2),
                name: "Shelter".into(),
                kind: OrgKind::Ngo,
                country: Country::parse("GB").expect("country"),
                time_zone: "Europe/London".into(),
            },
            language: None,
        };
        let before = json!({
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "roles": user.roles,
            "organisation": {
                "id": user.organisation.id,
                "name": user.organisation.name,
                "kind": user.organisation.kind,
                "country": user.organisation.country,
            }
        });
        assert_eq!(to_value(Me::from(user)).expect("web"), before);
        assert_eq!(
            to_value(Token { token: "t".into() }).expect("web"),
            json!({ "token": "t" })
        );
    }
}
