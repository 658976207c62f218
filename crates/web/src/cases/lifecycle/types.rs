//! The request and response types of a case's lifecycle, and the case itself as the API shows
//! it. They belong to the API: responses are built from the store's values by `From`, requests
//! turn into core's `Raw*` inputs (which validate them), and the OpenAPI schemas are derived from
//! these types.

use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_core::casework::deadlines::DeadlineKind;
use passage_core::casework::{IdentificationStatus, Outcome, RiskLevel};
use passage_core::{CaseStatus, CaseType, Stage};
use passage_store::cases as store_cases;
use passage_store::casework::lifecycle as store;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A case, its person, its lifecycle and its deadlines. person.migration_status is absent
/// unless you may read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Case {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::case_types)]
    pub types: Vec<CaseType>,
    #[schema(schema_with = crate::kit::schema::stage)]
    pub stage: Stage,
    #[schema(schema_with = crate::kit::schema::case_status)]
    pub status: CaseStatus,
    pub summary: String,
    pub organisation_id: Uuid,
    pub assigned_to: Option<Uuid>,
    /// Unix milliseconds
    pub created_at: i64,
    /// Unix milliseconds
    pub updated_at: i64,
    /// Send it back with a change; a stale one answers 409
    pub version: i64,
    pub person: CasePerson,
    #[schema(schema_with = crate::kit::schema::risk_level)]
    pub risk: RiskLevel,
    /// HTCDS vic_MethodsOfControl values found (screenings add to them)
    pub methods_of_control: Vec<String>,
    /// HTCDS vic_TypeOfExploitation values found (screenings add to them)
    pub type_of_exploitation: Vec<String>,
    /// ISO 3166-1 alpha-2; chooses the jurisdiction profile
    pub country: Option<String>,
    pub identification: Option<IdentificationView>,
    #[schema(schema_with = crate::kit::schema::outcome_or_null)]
    pub outcome: Option<Outcome>,
    /// Unix milliseconds
    pub closed_at: Option<i64>,
    /// The profile the deadlines follow
    pub jurisdiction: String,
    pub deadlines: Vec<Deadline>,
    #[schema(schema_with = crate::kit::schema::case_statuses)]
    pub next_statuses: Vec<CaseStatus>,
    /// A request to close waits for a supervisor
    pub close_pending_approval: bool,
}

/// The person of a case as an allowed reader sees them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CasePerson {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    /// ISO 3166-1 alpha-2
    pub citizenships: Vec<String>,
    /// Present only for those who may read it (firewalled)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub migration_status: Option<String>,
    /// When the person was erased (ms since the epoch): their identity is gone, the case
    /// shell stays for statistics. Absent while the person is not erased.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub erased_at: Option<i64>,
}

/// The identification decision of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentificationView {
    #[schema(schema_with = crate::kit::schema::identification_status)]
    pub status: IdentificationStatus,
    pub decided_by: String,
    /// YYYY-MM-DD; for actual_victim, the conclusive decision
    #[schema(format = Date)]
    pub decided_on: String,
    /// The screening the decision refers to, if it was recorded from one
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub screening: Option<Uuid>,
}

/// A computed deadline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Deadline {
    #[schema(schema_with = crate::kit::schema::deadline_kind)]
    pub kind: DeadlineKind,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub due: String,
    /// What the deadline waits for has happened
    pub met: bool,
}

impl From<store_cases::CaseView> for Case {
    fn from(c: store_cases::CaseView) -> Case {
        let l = c.lifecycle;
        Case {
            id: c.id,
            types: c.types,
            stage: c.stage,
            status: c.status,
            summary: c.summary,
            organisation_id: c.organisation_id,
            assigned_to: c.assigned_to,
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
            person: CasePerson {
                id: c.person.id,
                given_name: c.person.given_name,
                family_name: c.person.family_name,
                date_of_birth: c.person.date_of_birth,
                sex: c.person.sex,
                citizenships: c.person.citizenships,
                migration_status: c.person.migration_status,
                erased_at: c.person.erased_at,
            },
            risk: l.risk,
            methods_of_control: l.methods_of_control,
            type_of_exploitation: l.type_of_exploitation,
            country: l.country,
            identification: l.identification.map(|i| IdentificationView {
                status: i.status,
                decided_by: i.decided_by,
                decided_on: i.decided_on,
                screening: i.screening,
            }),
            outcome: l.outcome,
            closed_at: l.closed_at,
            jurisdiction: l.jurisdiction,
            deadlines: l
                .deadlines
                .into_iter()
                .map(|d| Deadline {
                    kind: d.kind,
                    due: d.due,
                    met: d.met,
                })
                .collect(),
            next_statuses: l.next_statuses,
            close_pending_approval: l.close_pending_approval,
        }
    }
}

/// `null` or a value, told apart from a field left out.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A partial update: a field left out is unchanged; country and assigned_to are cleared by
/// null. Send the version you read; a stale one answers 409 version_conflict and nothing is
/// changed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseChanges {
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::stage)]
    pub stage: Option<String>,
    #[serde(default)]
    #[schema(schema_with = some_case_types)]
    pub types: Option<Vec<String>>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::risk_level)]
    pub risk: Option<String>,
    /// ISO 3166-1 alpha-2
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub country: Option<Option<String>>,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub summary: Option<String>,
    /// An active user of the case's organisation who may work on the case
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub assigned_to: Option<Option<String>>,
}

/// At least one case type.
fn some_case_types() -> utoipa::openapi::schema::Array {
    let mut types = crate::kit::schema::case_types();
    types.min_items = Some(1);
    types
}

impl From<CaseChanges> for RawCaseChanges {
    fn from(b: CaseChanges) -> RawCaseChanges {
        RawCaseChanges {
            version: b.version,
            stage: b.stage,
            types: b.types,
            risk: b.risk,
            country: b.country,
            summary: b.summary,
            assigned_to: b.assigned_to,
        }
    }
}

/// Forward one step or more, back one step (with a reason), close from any open status (with
/// an outcome and a reason), reopen a closed case (with a reason). Closing a high-risk or child
/// case needs a supervisor of the case's organisation: asked by anyone else, it stores a request
/// for a supervisor and answers 422 supervisor_approval_required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::case_status, required = true)]
    pub to: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::outcome)]
    pub outcome: Option<String>,
    /// Optional: the version you read
    #[serde(default)]
    pub version: Option<i64>,
}

impl From<Transition> for RawTransition {
    fn from(b: Transition) -> RawTransition {
        RawTransition {
            to: b.to,
            reason: b.reason,
            outcome: b.outcome,
            version: b.version,
        }
    }
}

/// A positive decision (possible_victim or actual_victim) starts the recovery and reflection
/// period; actual_victim is the conclusive decision (move-on support where the profile has it).
/// A conclusive decision after a reasonable-grounds one keeps the period's start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Identification {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::identification_status, required = true)]
    pub status: String,
    /// The authority or person who decided (sealed at rest)
    #[serde(default)]
    #[schema(max_length = 200, required = true)]
    pub decided_by: String,
    /// YYYY-MM-DD, not in the future
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub decided_on: String,
    /// Optional: the version you read
    #[serde(default)]
    pub version: Option<i64>,
}

impl From<Identification> for RawIdentification {
    fn from(b: Identification) -> RawIdentification {
        RawIdentification {
            status: b.status,
            decided_by: b.decided_by,
            decided_on: b.decided_on,
            version: b.version,
        }
    }
}

/// Where a transition left the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransitionDone {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::case_status)]
    pub status: CaseStatus,
    pub version: i64,
}

impl From<store::TransitionDone> for TransitionDone {
    fn from(t: store::TransitionDone) -> TransitionDone {
        TransitionDone {
            id: t.id,
            status: t.status,
            version: t.version,
        }
    }
}

/// One change in a case's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Display name of who changed it
    pub by: String,
    pub by_id: Uuid,
    /// Unix milliseconds
    pub at: i64,
}

impl From<store::HistoryEntry> for HistoryEntry {
    fn from(h: store::HistoryEntry) -> HistoryEntry {
        HistoryEntry {
            field: h.field,
            old: h.old,
            new: h.new,
            by: h.by,
            by_id: h.by_id,
            at: h.at,
        }
    }
}

/// A request waiting for a supervisor.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Approval {
    pub id: Uuid,
    pub case_id: Uuid,
    #[schema(schema_with = approval_kind)]
    pub kind: String,
    pub person_name: String,
    #[schema(schema_with = crate::kit::schema::outcome_or_null)]
    pub outcome: Option<Outcome>,
    pub reason: String,
    pub requested_by: Uuid,
    pub requested_by_name: String,
    /// Unix milliseconds
    pub requested_at: i64,
}

fn approval_kind() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["close"])
}

impl From<store::ApprovalView> for Approval {
    fn from(a: store::ApprovalView) -> Approval {
        Approval {
            id: a.id,
            case_id: a.case_id,
            kind: a.kind,
            person_name: a.person_name,
            outcome: a.outcome,
            reason: a.reason,
            requested_by: a.requested_by,
            requested_by_name: a.requested_by_name,
            requested_at: a.requested_at,
        }
    }
}

/// Why a supervisor rejects a request: required, shown to the caseworker on the case.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRejection {
    pub reason: String,
}

/// A supervisor's decision on a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decided {
    pub id: Uuid,
    pub case_id: Uuid,
    #[schema(schema_with = decision)]
    pub decision: &'static str,
}

fn decision() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["approved", "rejected"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_core::casework::deadlines::Deadline as CoreDeadline;
    use serde_json::{json, to_value};

    fn same<S: Serialize + Clone, W: Serialize + From<S>>(store_value: S) {
        assert_eq!(
            to_value(W::from(store_value.clone())).expect("web"),
            to_value(store_value).expect("store")
        );
    }

    fn case(full: bool) -> store_cases::CaseView {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        store_cases::CaseView {
            id: a,
            types: vec![CaseType::ALL[0], CaseType::ALL[1]],
            stage: Stage::ALL[1],
            status: CaseStatus::ALL[2],
            summary: "Wages withheld".into(),
            organisation_id: b,
            assigned_to: full.then_some(b),
            created_at: 1,
            updated_at: 2,
            version: 3,
            person: store_cases::PersonView {
                id: b,
                given_name: "Ana".into(),
                family_name: "Lima".into(),
                date_of_birth: full.then(|| "1990-04".into()),
                sex: full.then(|| "female".into()),
                citizenships: vec!["BR".into()],
                migration_status: full.then(|| "irregular".into()),
                erased_at: full.then_some(4),
            },
            lifecycle: store::LifecycleView {
                risk: RiskLevel::ALL[2],
                methods_of_control: vec!["debt_bondage".into()],
                type_of_exploitation: vec![],
                country: full.then(|| "GB".into()),
                identification: full.then(|| store::IdentificationView {
                    status: IdentificationStatus::ALL[0],
                    decided_by: "Competent authority".into(),
                    decided_on: "2026-01-05".into(),
                    screening: Some(a),
                }),
                outcome: full.then_some(Outcome::ALL[0]),
                closed_at: full.then_some(9),
                jurisdiction: "default".into(),
                deadlines: vec![CoreDeadline {
                    kind: DeadlineKind::RecoveryReflectionPeriod,
                    due: "2026-02-04".into(),
                    met: false,
                }],
                next_statuses: vec![CaseStatus::ALL[3]],
                close_pending_approval: full,
                close_rejected: None,
            },
        }
    }

    /// Each response serialises exactly as the store value, or the object written out, that it
    /// replaced: the case's lifecycle fields sit beside its own, as the store flattened them.
    #[test]
    fn responses_serialise_as_before() {
        same::<_, Case>(case(false));
        same::<_, Case>(case(true));
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        same::<_, TransitionDone>(store::TransitionDone {
            id: a,
            status: CaseStatus::ALL[1],
            version: 4,
        });
        for old in [None, Some("open".to_string())] {
            same::<_, HistoryEntry>(store::HistoryEntry {
                field: "status".into(),
                old,
                new: Some("assessment".into()),
                by: "Ana".into(),
                by_id: a,
                at: 5,
            });
        }
        for outcome in [None, Some(Outcome::ALL[1])] {
            same::<_, Approval>(store::ApprovalView {
                id: a,
                case_id: b,
                kind: "close".into(),
                person_name: "Ana Lima".into(),
                outcome,
                reason: "done".into(),
                requested_by: b,
                requested_by_name: "Bo".into(),
                requested_at: 6,
                child: true,
            });
        }
        assert_eq!(
            to_value(Decided {
                id: a,
                case_id: b,
                decision: "approved"
            })
            .expect("web"),
            json!({ "id": a, "case_id": b, "decision": "approved" })
        );
    }

    /// A field left out, a null and a value stay apart on the way in.
    #[test]
    fn changes_tell_null_from_absent() {
        let read = |v: serde_json::Value| {
            RawCaseChanges::from(serde_json::from_value::<CaseChanges>(v).expect("changes"))
        };
        assert_eq!(read(json!({"version": 1})).country, None);
        assert_eq!(
            read(json!({"version": 1, "country": null})).country,
            Some(None)
        );
        assert_eq!(
            read(json!({"version": 1, "assigned_to": "x"})).assigned_to,
            Some(Some("x".into()))
        );
        assert!(serde_json::from_value::<CaseChanges>(json!({"version": 1, "colour": 1})).is_err());
    }
}
