//! The request and response types of the permits API, owned by the API: responses are built
//! from the store's values by `From`, and the OpenAPI schemas are derived from these types.

use passage_core::casework::calendar::Day;
use passage_core::casework::permits::{
    PermitKind, PermitStatus, RawDates, RawPermit, RawPermitDetails, RawStatusChange,
};
use passage_store::casework::permits as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A permit as sent. Dates are YYYY-MM-DD; decided_on must not be before applied_on, and
/// expires_on must be after valid_from. Authority, reference and note are sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPermit {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::permit_kind, required = true)]
    pub kind: String,
    /// planned, applied, granted or refused
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::permit_status, required = true)]
    pub status: String,
    /// The authority the application was made to
    #[serde(default)]
    #[schema(max_length = 200)]
    pub authority: Option<String>,
    /// The authority's reference number
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reference: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub applied_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub decided_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    /// For a refusal; the profile's permit_appeal_days after the decision when not given
    #[serde(default)]
    #[schema(format = Date)]
    pub appeal_deadline: Option<String>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<NewPermit> for RawPermit {
    fn from(b: NewPermit) -> RawPermit {
        RawPermit {
            kind: b.kind,
            status: b.status,
            authority: b.authority.unwrap_or_default(),
            reference: b.reference.unwrap_or_default(),
            dates: RawDates {
                applied_on: b.applied_on.unwrap_or_default(),
                decided_on: b.decided_on.unwrap_or_default(),
                valid_from: b.valid_from.unwrap_or_default(),
                expires_on: b.expires_on.unwrap_or_default(),
                appeal_deadline: b.appeal_deadline.unwrap_or_default(),
            },
            note: b.note.unwrap_or_default(),
        }
    }
}

/// A change of status: a decision (granted, refused), an appeal, a renewal (granted again,
/// with the new validity), a withdrawal or an expiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::permit_status, required = true)]
    pub status: String,
    /// The day it happened (the decision's day); today when not given
    #[serde(default)]
    #[schema(format = Date)]
    pub on: Option<String>,
    /// For a grant; the decision's day when not given
    #[serde(default)]
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    /// For a grant
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    /// For a refusal; the profile's permit_appeal_days after the decision when not given
    #[serde(default)]
    #[schema(format = Date)]
    pub appeal_deadline: Option<String>,
    /// Replaces the permit's note when given
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<StatusChange> for RawStatusChange {
    fn from(b: StatusChange) -> RawStatusChange {
        RawStatusChange {
            status: b.status,
            on: b.on.unwrap_or_default(),
            valid_from: b.valid_from.unwrap_or_default(),
            expires_on: b.expires_on.unwrap_or_default(),
            appeal_deadline: b.appeal_deadline.unwrap_or_default(),
            note: b.note.unwrap_or_default(),
        }
    }
}

/// A correction of a permit's details: every field replaces the recorded one (an absent
/// field is cleared).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermitCorrection {
    #[serde(default)]
    #[schema(max_length = 200)]
    pub authority: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reference: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub applied_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub decided_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub appeal_deadline: Option<String>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<PermitCorrection> for RawPermitDetails {
    fn from(b: PermitCorrection) -> RawPermitDetails {
        RawPermitDetails {
            authority: b.authority.unwrap_or_default(),
            reference: b.reference.unwrap_or_default(),
            dates: RawDates {
                applied_on: b.applied_on.unwrap_or_default(),
                decided_on: b.decided_on.unwrap_or_default(),
                valid_from: b.valid_from.unwrap_or_default(),
                expires_on: b.expires_on.unwrap_or_default(),
                appeal_deadline: b.appeal_deadline.unwrap_or_default(),
            },
            note: b.note.unwrap_or_default(),
        }
    }
}

/// What was recorded: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermitRecorded {
    pub id: Uuid,
}

/// A reminder a permit needs: what for, the date it is about, and when its task is due.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermitReminder {
    /// expiry or appeal
    pub kind: String,
    /// YYYY-MM-DD
    pub on: String,
    /// YYYY-MM-DD
    pub due: String,
}

/// One change of a permit's status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermitChange {
    /// None when the permit was recorded
    #[schema(schema_with = crate::kit::schema::permit_status_or_null)]
    pub from: Option<PermitStatus>,
    #[schema(schema_with = crate::kit::schema::permit_status)]
    pub to: PermitStatus,
    /// Who changed it
    pub by: String,
    /// Unix milliseconds
    pub at: i64,
}

/// A permit as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Permit {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::permit_kind)]
    pub kind: PermitKind,
    #[schema(schema_with = crate::kit::schema::permit_status)]
    pub status: PermitStatus,
    pub authority: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// YYYY-MM-DD
    pub applied_on: Option<String>,
    pub decided_on: Option<String>,
    pub valid_from: Option<String>,
    pub expires_on: Option<String>,
    pub appeal_deadline: Option<String>,
    pub reminder: Option<PermitReminder>,
    /// The task on the work list that keeps the reminder
    pub task_id: Option<Uuid>,
    /// The statuses it may move to
    #[schema(schema_with = crate::kit::schema::permit_statuses)]
    pub next_statuses: Vec<PermitStatus>,
    pub history: Vec<PermitChange>,
}

/// A permit the case's jurisdiction offers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermitType {
    #[schema(schema_with = crate::kit::schema::permit_kind)]
    pub kind: PermitKind,
    pub name: String,
    pub max_months: Option<u32>,
}

/// The permits of a case and its jurisdiction profile's permit settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CasePermits {
    pub jurisdiction: String,
    /// The permits the jurisdiction offers; empty when it lists none (every kind applies)
    pub permit_types: Vec<PermitType>,
    /// Days before an expiry that its reminder is due
    pub reminder_days: i64,
    /// Days to appeal a refusal, when the decision gives no date
    pub appeal_days: i64,
    /// Newest first
    pub permits: Vec<Permit>,
}

fn text(d: Option<Day>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl From<store::PermitRecord> for Permit {
    fn from(p: store::PermitRecord) -> Permit {
        Permit {
            id: p.id,
            kind: p.kind,
            status: p.status,
            authority: p.authority,
            reference: p.reference,
            note: p.note,
            applied_on: text(p.dates.applied_on),
            decided_on: text(p.dates.decided_on),
            valid_from: text(p.dates.valid_from),
            expires_on: text(p.dates.expires_on),
            appeal_deadline: text(p.dates.appeal_deadline),
            reminder: p.reminder.map(|r| PermitReminder {
                kind: r.kind.as_str().to_string(),
                on: r.on.to_string(),
                due: r.due.to_string(),
            }),
            task_id: p.task_id,
            next_statuses: p.next,
            history: p
                .history
                .into_iter()
                .map(|h| PermitChange {
                    from: h.from,
                    to: h.to,
                    by: h.by,
                    at: h.at,
                })
                .collect(),
        }
    }
}

impl From<store::CasePermits> for CasePermits {
    fn from(c: store::CasePermits) -> CasePermits {
        CasePermits {
            jurisdiction: c.jurisdiction,
            permit_types: c
                .permit_types
                .into_iter()
                .map(|t| PermitType {
                    kind: t.kind,
                    name: t.name,
                    max_months: t.max_months,
                })
                .collect(),
            reminder_days: c.reminder_days,
            appeal_days: c.appeal_days,
            permits: c.permits.into_iter().map(Permit::from).collect(),
        }
    }
}
