//! The request and response types of the case-work API. They belong to the API, not to the
//! store: each response is built from the store's value by `From`, and the OpenAPI schemas are
//! derived from these types. Field names, types and optionality are the contract; a test checks
//! that each response serialises exactly as the store value it replaced.

use passage_core::casework::{Confidentiality, NeedDomain, ServiceType};
use passage_core::{CaseStatus, Urgency};
use passage_store::casework as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Records the need of one domain (upsert). Leave version out to record a domain for the first
/// time; send the version you read to change it (409 version_conflict otherwise).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    #[schema(schema_with = crate::kit::schema::need_domain)]
    pub domain: String,
    #[schema(schema_with = crate::kit::schema::urgency)]
    pub urgency: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(default = false)]
    pub met: bool,
    #[serde(default)]
    pub version: Option<i64>,
}

/// One assessed need.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Need {
    pub id: Uuid,
    pub case_id: Uuid,
    #[schema(schema_with = crate::kit::schema::need_domain)]
    pub domain: NeedDomain,
    #[schema(schema_with = crate::kit::schema::urgency)]
    pub urgency: Urgency,
    pub description: Option<String>,
    pub met: bool,
    /// Unix milliseconds
    pub updated_at: i64,
    pub version: i64,
}

impl From<store::needs::Need> for Need {
    fn from(n: store::needs::Need) -> Need {
        Need {
            id: n.id,
            case_id: n.case_id,
            domain: n.domain,
            urgency: n.urgency,
            description: n.description,
            met: n.met,
            updated_at: n.updated_at,
            version: n.version,
        }
    }
}

/// A new item of the case plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The need this item answers; it must be recorded in the needs assessment
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::need_domain)]
    pub domain: Option<String>,
    #[schema(max_length = 2000)]
    pub goal: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub action: Option<String>,
    /// A user id of the case's organisation who can open the case, or free text naming someone
    /// else
    #[serde(default)]
    #[schema(max_length = 200)]
    pub responsible: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

/// Replaces every field of the item (omitted optional fields are cleared).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanUpdate {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::need_domain)]
    pub domain: Option<String>,
    #[schema(max_length = 2000)]
    pub goal: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub action: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub responsible: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    #[serde(default)]
    #[schema(default = false)]
    pub done: bool,
    pub version: i64,
}

impl From<PlanInput> for store::plan::PlanInput {
    fn from(b: PlanInput) -> store::plan::PlanInput {
        store::plan::PlanInput {
            domain: b.domain,
            goal: b.goal,
            action: b.action,
            responsible: b.responsible,
            due_on: b.due_on,
        }
    }
}

/// One item of a case plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanItem {
    pub id: Uuid,
    pub case_id: Uuid,
    #[schema(schema_with = crate::kit::schema::need_domain_or_null)]
    pub domain: Option<NeedDomain>,
    pub goal: String,
    pub action: Option<String>,
    pub responsible_user_id: Option<Uuid>,
    /// The responsible user's name, or the free text
    pub responsible: Option<String>,
    /// YYYY-MM-DD
    pub due_on: Option<String>,
    pub done: bool,
    /// Unix milliseconds
    pub created_at: i64,
    pub version: i64,
}

impl From<store::plan::PlanItem> for PlanItem {
    fn from(p: store::plan::PlanItem) -> PlanItem {
        PlanItem {
            id: p.id,
            case_id: p.case_id,
            domain: p.domain,
            goal: p.goal,
            action: p.action,
            responsible_user_id: p.responsible_user_id,
            responsible: p.responsible,
            due_on: p.due_on,
            done: p.done,
            created_at: p.created_at,
            version: p.version,
        }
    }
}

/// A new task of a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    #[schema(max_length = 500)]
    pub title: String,
    /// A user of the case's organisation who can open the case; you when left out
    #[serde(default)]
    #[schema(format = Uuid)]
    pub assignee: Option<String>,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub due_on: String,
}

/// The version of the task you read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskVersion {
    pub version: i64,
}

/// Another user of the case's organisation who can open the case, and the version you read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskReassign {
    #[schema(format = Uuid)]
    pub assignee: String,
    pub version: i64,
}

/// A task's new due date (YYYY-MM-DD) and the version you read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDue {
    #[schema(format = Date)]
    pub due_on: String,
    pub version: i64,
}

/// A task as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: Uuid,
    pub case_id: Uuid,
    pub title: String,
    pub assigned_to: Option<Uuid>,
    pub assignee_name: Option<String>,
    /// YYYY-MM-DD
    pub due_on: Option<String>,
    /// Not done and due before today (UTC)
    pub overdue: bool,
    pub done: bool,
    /// Unix milliseconds
    pub done_at: Option<i64>,
    /// Unix milliseconds
    pub created_at: i64,
    pub version: i64,
}

impl From<store::tasks::Task> for Task {
    fn from(t: store::tasks::Task) -> Task {
        Task {
            id: t.id,
            case_id: t.case_id,
            title: t.title,
            assigned_to: t.assigned_to,
            assignee_name: t.assignee_name,
            due_on: t.due_on,
            overdue: t.overdue,
            done: t.done,
            done_at: t.done_at,
            created_at: t.created_at,
            version: t.version,
        }
    }
}

/// A note; notes are never edited.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// normal: every reader of the case; restricted: readers in the case's own organisation;
    /// sensitive: the author and the organisation's supervisors. You may choose only a level you
    /// can read yourself. normal when left out.
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::confidentiality)]
    pub confidentiality: Option<String>,
    #[schema(max_length = 20000)]
    pub body: String,
}

/// A note as an allowed reader sees it. Notes you may not read are left out entirely.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Note {
    pub id: Uuid,
    pub case_id: Uuid,
    #[schema(schema_with = crate::kit::schema::confidentiality)]
    pub confidentiality: Confidentiality,
    pub body: String,
    pub author_id: Uuid,
    pub author_name: String,
    /// Unix milliseconds
    pub created_at: i64,
}

impl From<store::notes::Note> for Note {
    fn from(n: store::notes::Note) -> Note {
        Note {
            id: n.id,
            case_id: n.case_id,
            confidentiality: n.confidentiality,
            body: n.body,
            author_id: n.author_id,
            author_name: n.author_name,
            created_at: n.created_at,
        }
    }
}

/// A service delivered, as typed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewService {
    #[schema(schema_with = crate::kit::schema::service_type)]
    pub service_type: String,
    #[schema(max_length = 200)]
    pub provider: String,
    /// YYYY-MM-DD, not in the future
    #[schema(format = Date)]
    pub delivered_on: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: Option<String>,
}

impl From<NewService> for store::services::NewService {
    fn from(b: NewService) -> store::services::NewService {
        store::services::NewService {
            service_type: b.service_type,
            provider: b.provider,
            delivered_on: b.delivered_on,
            note: b.note,
        }
    }
}

/// One service delivered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Service {
    pub id: Uuid,
    pub case_id: Uuid,
    #[schema(schema_with = crate::kit::schema::service_type)]
    pub service_type: ServiceType,
    pub provider: String,
    /// YYYY-MM-DD
    pub delivered_on: String,
    pub note: Option<String>,
    pub recorded_by: Uuid,
    /// Unix milliseconds
    pub created_at: i64,
}

impl From<store::services::Service> for Service {
    fn from(s: store::services::Service) -> Service {
        Service {
            id: s.id,
            case_id: s.case_id,
            service_type: s.service_type,
            provider: s.provider,
            delivered_on: s.delivered_on,
            note: s.note,
            recorded_by: s.recorded_by,
            created_at: s.created_at,
        }
    }
}

/// How many open cases are in one status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusCount {
    #[schema(schema_with = crate::kit::schema::case_status)]
    pub status: CaseStatus,
    pub count: i64,
}

/// Open cases of one worker, by status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Caseload {
    pub user_id: Uuid,
    pub name: String,
    /// Every open status, in lifecycle order, with its count (zeros included)
    pub by_status: Vec<StatusCount>,
    pub total: i64,
}

/// An emergency alert not yet acknowledged.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertItem {
    pub id: Uuid,
    pub report_id: Uuid,
    /// Unix milliseconds
    pub created_at: i64,
}

/// The supervisor's view of the organisation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dashboard {
    /// Workers of the organisation who hold cases (or could), most loaded first
    pub caseload: Vec<Caseload>,
    /// Open cases nobody is assigned to
    pub unassigned_open: i64,
    pub overdue_task_count: usize,
    pub overdue_tasks: Vec<Task>,
    /// Open tasks falling due in the next fourteen days, today included (hearings'
    /// preparation, permits' reminders, protection reviews, claims' deadlines)
    pub upcoming_tasks: Vec<Task>,
    pub open_alerts: Vec<AlertItem>,
    pub pending_approvals: i64,
}

impl From<store::dashboard::Dashboard> for Dashboard {
    fn from(d: store::dashboard::Dashboard) -> Dashboard {
        Dashboard {
            caseload: d
                .caseload
                .into_iter()
                .map(|c| Caseload {
                    user_id: c.user_id,
                    name: c.name,
                    by_status: c
                        .by_status
                        .into_iter()
                        .map(|s| StatusCount {
                            status: s.status,
                            count: s.count,
                        })
                        .collect(),
                    total: c.total,
                })
                .collect(),
            unassigned_open: d.unassigned_open,
            overdue_task_count: d.overdue_task_count,
            overdue_tasks: d.overdue_tasks.into_iter().map(Task::from).collect(),
            upcoming_tasks: d.upcoming_tasks.into_iter().map(Task::from).collect(),
            open_alerts: d
                .open_alerts
                .into_iter()
                .map(|a| AlertItem {
                    id: a.id,
                    report_id: a.report_id,
                    created_at: a.created_at,
                })
                .collect(),
            pending_approvals: d.pending_approvals,
        }
    }
}

#[cfg(test)]
mod tests {
    //! Each response type serialises exactly as the store value it replaced: same names, same
    //! types, same absent-or-null fields.

    use super::*;
    use serde_json::to_value;

    fn same<S: Serialize + Clone, W: Serialize + From<S>>(store_value: S) {
        assert_eq!(
            to_value(W::from(store_value.clone())).expect("web value"),
            to_value(store_value).expect("store value")
        );
    }

    fn ids() -> (Uuid, Uuid) {
        (Uuid::from_u128(1), Uuid::from_u128(2))
    }

    fn task(done: bool) -> store::tasks::Task {
        let (id, case_id) = ids();
        store::tasks::Task {
            id,
            case_id,
            title: "Call the shelter".into(),
            assigned_to: done.then_some(id),
            assignee_name: done.then(|| "Ana".into()),
            due_on: done.then(|| "2026-01-02".into()),
            overdue: !done,
            done,
            done_at: done.then_some(5),
            created_at: 3,
            version: 4,
            person_name: None,
        }
    }

    #[test]
    fn responses_serialise_as_the_store_values() {
        let (id, case_id) = ids();
        for description in [None, Some("Needs a bed".to_string())] {
            same::<_, Need>(store::needs::Need {
                id,
                case_id,
                domain: NeedDomain::Shelter,
                urgency: Urgency::High,
                description,
                met: true,
                updated_at: 7,
                version: 2,
            });
        }
        for full in [false, true] {
            same::<_, PlanItem>(store::plan::PlanItem {
                id,
                case_id,
                domain: full.then_some(NeedDomain::MentalHealthPsychosocial),
                goal: "Safe housing".into(),
                action: full.then(|| "Refer".into()),
                responsible_user_id: full.then_some(id),
                responsible: full.then(|| "Ana".into()),
                due_on: full.then(|| "2026-02-03".into()),
                done: full,
                created_at: 1,
                version: 1,
            });
            same::<_, Task>(task(full));
            same::<_, Service>(store::services::Service {
                id,
                case_id,
                service_type: ServiceType::FamilyTracing,
                provider: "Red Cross".into(),
                delivered_on: "2026-01-01".into(),
                note: full.then(|| "first contact".into()),
                recorded_by: id,
                created_at: 9,
            });
        }
        same::<_, Note>(store::notes::Note {
            id,
            case_id,
            confidentiality: Confidentiality::Sensitive,
            body: "Spoke with her".into(),
            author_id: id,
            author_name: "Ana".into(),
            created_at: 8,
        });
        same::<_, Dashboard>(store::dashboard::Dashboard {
            caseload: vec![store::dashboard::Caseload {
                user_id: id,
                name: "Ana".into(),
                by_status: vec![store::dashboard::StatusCount {
                    status: CaseStatus::ALL[0],
                    count: 3,
                }],
                total: 3,
            }],
            unassigned_open: 1,
            overdue_task_count: 1,
            overdue_tasks: vec![task(false)],
            upcoming_tasks: vec![],
            open_alerts: vec![store::dashboard::AlertItem {
                id,
                report_id: case_id,
                created_at: 6,
            }],
            pending_approvals: 2,
        });
    }
}
