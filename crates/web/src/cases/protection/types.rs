//! The request and response types of the protection-needs API, owned by the API: responses are
//! built from the store's values by `From`, and the OpenAPI schemas are derived from these
//! types.

use passage_core::casework::protection::{
    NeedStatus, ProtectionKind, RaisedBy, RawEnd, RawProtectionNeed, RawReview, ReviewOutcome,
};
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
    /// Who raised the need; `caseworker` when left out
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::protection_raised_by)]
    pub raised_by: String,
    /// The first review, `YYYY-MM-DD` (a task on the case's work list); none when left out
    #[serde(default)]
    #[schema(format = Date)]
    pub next_review_on: String,
}

impl From<NewProtectionNeed> for RawProtectionNeed {
    fn from(b: NewProtectionNeed) -> RawProtectionNeed {
        RawProtectionNeed {
            kind: b.kind,
            countries: b.countries,
            reason: b.reason,
            raised_by: b.raised_by,
            next_review_on: b.next_review_on,
        }
    }
}

/// A review as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReview {
    /// `YYYY-MM-DD`, today or before
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub reviewed_on: String,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::protection_review_outcome, required = true)]
    pub outcome: String,
    /// Read only by the case's own organisation, sealed at rest
    #[serde(default)]
    #[schema(max_length = 4000, required = true)]
    pub note: String,
    /// The next review, `YYYY-MM-DD`, after this one; none when left out
    #[serde(default)]
    #[schema(format = Date)]
    pub next_review_on: String,
    /// Only with the outcome `changed`: the countries from now on (ISO 3166-1 alpha-2)
    #[serde(default)]
    #[schema(max_items = 10)]
    pub countries: Vec<String>,
}

impl From<NewReview> for RawReview {
    fn from(b: NewReview) -> RawReview {
        RawReview {
            reviewed_on: b.reviewed_on,
            outcome: b.outcome,
            note: b.note,
            next_review_on: b.next_review_on,
            countries: b.countries,
        }
    }
}

/// Why the need ends (a supervisor of the case's organisation).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndNeed {
    /// Read only by the case's own organisation, sealed at rest
    #[serde(default)]
    #[schema(max_length = 4000, required = true)]
    pub reason: String,
}

impl From<EndNeed> for RawEnd {
    fn from(b: EndNeed) -> RawEnd {
        RawEnd { reason: b.reason }
    }
}

/// A review of a need.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Review {
    pub id: Uuid,
    /// `YYYY-MM-DD`
    pub reviewed_on: String,
    #[schema(schema_with = crate::kit::schema::protection_review_outcome)]
    pub outcome: ReviewOutcome,
    /// Present only for the case's own organisation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `YYYY-MM-DD`
    pub next_review_on: Option<String>,
    /// Unix milliseconds
    pub recorded_at: i64,
}

/// A referral made for a need.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedReferral {
    pub id: Uuid,
    pub to_organisation_name: String,
    pub service_name: String,
    /// sent, accepted, declined, closed or withdrawn
    pub status: String,
    /// Unix milliseconds
    pub sent_at: i64,
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
    #[schema(schema_with = crate::kit::schema::protection_status)]
    pub status: NeedStatus,
    #[schema(schema_with = crate::kit::schema::protection_raised_by)]
    pub raised_by: RaisedBy,
    /// The next review planned, `YYYY-MM-DD`, while in force
    pub next_review_on: Option<String>,
    /// Unix milliseconds
    pub ended_at: Option<i64>,
    /// Present only for the case's own organisation, once ended
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    /// Oldest first
    pub reviews: Vec<Review>,
    /// The referrals the reader's organisation made for it, newest first
    pub referrals: Vec<NeedReferral>,
}

impl From<store::ProtectionNeedRecord> for ProtectionNeed {
    fn from(n: store::ProtectionNeedRecord) -> ProtectionNeed {
        ProtectionNeed {
            id: n.id,
            kind: n.kind,
            countries: n.countries.iter().map(|c| c.as_str().to_string()).collect(),
            reason: n.reason,
            recorded_at: n.recorded_at,
            status: n.status,
            raised_by: n.raised_by,
            next_review_on: n.next_review_on.map(|d| d.to_string()),
            ended_at: n.ended_at,
            end_reason: n.end_reason,
            reviews: n
                .reviews
                .into_iter()
                .map(|r| Review {
                    id: r.id,
                    reviewed_on: r.reviewed_on.to_string(),
                    outcome: r.outcome,
                    note: r.note,
                    next_review_on: r.next_review_on.map(|d| d.to_string()),
                    recorded_at: r.recorded_at,
                })
                .collect(),
            referrals: n
                .referrals
                .into_iter()
                .map(|r| NeedReferral {
                    id: r.id,
                    to_organisation_name: r.to_organisation_name,
                    service_name: r.service_name,
                    status: r.status.as_str().to_string(),
                    sent_at: r.sent_at,
                })
                .collect(),
        }
    }
}

/// The need recorded: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProtectionNeedRecorded {
    pub id: Uuid,
}
