//! The request and response types of the referrals API, owned by the API: responses are built
//! from the store's values by `From`, and the OpenAPI schemas are derived from these types.

use passage_core::ErrorCode;
use passage_core::casework::ConsentPurpose;
use passage_core::referrals::ShareField;
use passage_store::StoreError;
use passage_store::casework::referrals as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A referral as sent from a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferral {
    /// The directory entry of the receiving service
    #[serde(default)]
    #[schema(required = true)]
    pub service_id: String,
    /// A consent purpose (normally `referral`)
    #[serde(default)]
    #[schema(required = true)]
    pub purpose: String,
    /// ShareField spellings; empty sends the minimal set (name, languages, needs)
    #[serde(default)]
    pub shared_fields: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The case's international protection need the referral is made for (an asylum
    /// procedure, a refugee agency); it must be in force
    #[serde(default)]
    pub protection_need_id: Option<Uuid>,
}

fn invalid(field: &'static str, message: &'static str) -> StoreError {
    StoreError::invalid(field, ErrorCode::InvalidValue, message)
}

impl NewReferral {
    pub fn parse(self) -> Result<store::NewReferral, StoreError> {
        let service_id = Uuid::parse_str(self.service_id.trim())
            .map_err(|_| invalid("service_id", "not a service id"))?;
        let purpose = ConsentPurpose::parse(self.purpose.trim())
            .ok_or(invalid("purpose", "not a consent purpose"))?;
        let shared_fields = self
            .shared_fields
            .iter()
            .map(|f| {
                ShareField::parse(f.trim())
                    .ok_or(invalid("shared_fields", "not a field that may be shared"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let note = self.note.filter(|n| !n.trim().is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            return Err(invalid("note", "at most 2000 characters"));
        }
        Ok(store::NewReferral {
            service_id,
            purpose,
            shared_fields,
            note,
            protection_need_id: self.protection_need_id,
        })
    }
}

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralCreated {
    pub id: Uuid,
}

/// Which referrals to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// `incoming` (to services of your organisation) or `outgoing` (from its cases)
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

/// The outcome a referral is closed with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReferralClose)]
pub struct Close {
    #[serde(default)]
    #[schema(max_length = 2000, required = true)]
    pub outcome: String,
}

/// The receiver's own case, opened from a referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedCase {
    pub case_id: Uuid,
}

/// A referral as its reader may see it: the receiver gets the shared values, the referrer the
/// case.
#[derive(Debug, Serialize, ToSchema)]
pub struct Referral {
    pub id: Uuid,
    /// Only for the referrer
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,
    pub service_id: Uuid,
    pub service_name: String,
    pub from_organisation_id: Uuid,
    pub from_organisation_name: String,
    pub to_organisation_id: Uuid,
    pub to_organisation_name: String,
    pub purpose: String,
    /// sent, accepted, declined, closed or withdrawn
    pub status: String,
    /// ShareField spellings
    pub shared_fields: Vec<String>,
    /// The shared values by field; only for the receiver
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub shared: Option<serde_json::Value>,
    pub note: Option<String>,
    /// The decline's reason, or the outcome the receiver closed it with
    pub outcome: Option<String>,
    /// Unix milliseconds
    pub sent_at: i64,
    /// Unix milliseconds
    pub answer_due: i64,
    /// Unix milliseconds
    pub answered_at: Option<i64>,
    /// Unix milliseconds
    pub closed_at: Option<i64>,
    /// The receiver's own case opened from this referral; only for the receiver
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_case_id: Option<Uuid>,
    /// When the receiver lost access to it (Unix milliseconds); only the referrer ever reads
    /// this, since the receiver no longer reads the referral at all
    pub access_ended_at: Option<i64>,
    /// Why: consent_withdrawn or international_protection
    pub access_ended_reason: Option<String>,
}

impl From<store::Referral> for Referral {
    fn from(r: store::Referral) -> Referral {
        Referral {
            id: r.id,
            case_id: r.case_id,
            service_id: r.service_id,
            service_name: r.service_name,
            from_organisation_id: r.from_organisation_id,
            from_organisation_name: r.from_organisation_name,
            to_organisation_id: r.to_organisation_id,
            to_organisation_name: r.to_organisation_name,
            purpose: r.purpose.as_str().to_string(),
            status: r.status.as_str().to_string(),
            shared_fields: r
                .shared_fields
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            shared: r.shared,
            note: r.note,
            outcome: r.outcome,
            sent_at: r.sent_at,
            answer_due: r.answer_due,
            answered_at: r.answered_at,
            closed_at: r.closed_at,
            linked_case_id: r.linked_case_id,
            access_ended_at: r.access_ended_at,
            access_ended_reason: r.access_ended_reason,
        }
    }
}
