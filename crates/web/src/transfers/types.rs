//! The request and response types of the transfers API, owned by the API: responses are built
//! from the store's values by `From`, and the OpenAPI schemas are derived from these types.

use passage_core::ErrorCode;
use passage_store::StoreError;
use passage_store::casework::transfers as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The longest reason, note or outcome.
pub const MAX_TEXT: usize = 2000;

/// A transfer as proposed from a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTransfer {
    /// The organisation that is to take the case on
    #[serde(default)]
    #[schema(required = true)]
    pub to_organisation_id: String,
    /// Why the case moves; the receiver reads it before answering
    #[serde(default)]
    #[schema(max_length = 2000, required = true)]
    pub reason: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn too_long(field: &'static str) -> StoreError {
    StoreError::invalid(field, ErrorCode::TooLong, "at most 2000 characters")
}

/// A reason, note or outcome: at most [`MAX_TEXT`] characters.
pub fn bounded(field: &'static str, text: &str) -> Result<(), StoreError> {
    if text.chars().count() > MAX_TEXT {
        return Err(too_long(field));
    }
    Ok(())
}

impl NewTransfer {
    pub fn parse(self) -> Result<store::NewTransfer, StoreError> {
        let to_organisation_id = Uuid::parse_str(self.to_organisation_id.trim()).map_err(|_| {
            StoreError::invalid(
                "to_organisation_id",
                ErrorCode::InvalidId,
                "not an organisation id",
            )
        })?;
        bounded("reason", &self.reason)?;
        let note = self.note.filter(|n| !n.trim().is_empty());
        if let Some(n) = &note {
            bounded("note", n)?;
        }
        Ok(store::NewTransfer {
            to_organisation_id,
            reason: self.reason,
            note,
        })
    }
}

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferCreated {
    pub id: Uuid,
}

/// Which transfers to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// `incoming` (to your organisation) or `outgoing` (from it)
    pub direction: Option<String>,
}

/// A decline, with its reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    #[serde(default)]
    #[schema(max_length = 2000, required = true)]
    pub reason: String,
}

/// The outcome the receiver records when it closes a transfer it accepted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TransferClose)]
pub struct Close {
    #[serde(default)]
    #[schema(max_length = 2000, required = true)]
    pub outcome: String,
}

/// A transfer as its reader may see it: the sender its stub; the receiver the minimal view
/// while it is pending and the case once it accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Transfer {
    pub id: Uuid,
    /// For the sender; for the receiver once it accepted
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,
    pub from_organisation_id: Uuid,
    pub from_organisation_name: String,
    pub to_organisation_id: Uuid,
    pub to_organisation_name: String,
    /// pending, accepted, declined, withdrawn or closed
    pub status: String,
    pub reason: String,
    pub note: Option<String>,
    /// Name, languages and needs: only for the receiver, only while pending
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub person: Option<serde_json::Value>,
    /// The decline's reason
    pub answer: Option<String>,
    /// The outcome the receiver recorded
    pub outcome: Option<String>,
    /// Unix milliseconds
    pub proposed_at: i64,
    /// Unix milliseconds
    pub answered_at: Option<i64>,
    /// Unix milliseconds
    pub closed_at: Option<i64>,
}

impl From<store::Transfer> for Transfer {
    fn from(t: store::Transfer) -> Transfer {
        Transfer {
            id: t.id,
            case_id: t.case_id,
            from_organisation_id: t.from_organisation_id,
            from_organisation_name: t.from_organisation_name,
            to_organisation_id: t.to_organisation_id,
            to_organisation_name: t.to_organisation_name,
            status: t.status.as_str().to_string(),
            reason: t.reason,
            note: t.note,
            person: t.person,
            answer: t.answer,
            outcome: t.outcome,
            proposed_at: t.proposed_at,
            answered_at: t.answered_at,
            closed_at: t.closed_at,
        }
    }
}
