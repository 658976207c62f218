//! Case work over JSON: needs assessment, case plan, tasks (with "my tasks" and overdue
//! lists), notes with confidentiality, services delivered and the supervisor's dashboard.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::error::path_id as id;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use passage_store::casework::dashboard::Dashboard;
use passage_store::casework::needs::{Need, NeedInput};
use passage_store::casework::notes::Note;
use passage_store::casework::plan::{PlanInput, PlanItem};
use passage_store::casework::services::{NewService, Service};
use passage_store::casework::tasks::{NewTask, Task};
use serde::Deserialize;

pub async fn list_needs(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<Need>>, WebError> {
    Ok(Json(state.store.list_needs(&actor, id(&case)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedBody {
    domain: String,
    urgency: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    met: bool,
    #[serde(default)]
    version: Option<i64>,
}

pub async fn put_need(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(b): ApiJson<NeedBody>,
) -> Result<Json<Need>, WebError> {
    let input = NeedInput {
        domain: b.domain,
        urgency: b.urgency,
        description: b.description,
        met: b.met,
        version: b.version,
    };
    Ok(Json(
        state.store.upsert_need(&actor, id(&case)?, input).await?,
    ))
}

pub async fn list_plan(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<PlanItem>>, WebError> {
    Ok(Json(state.store.list_plan(&actor, id(&case)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    #[serde(default)]
    domain: Option<String>,
    goal: String,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    responsible: Option<String>,
    #[serde(default)]
    due_on: Option<String>,
}

impl PlanBody {
    fn input(self) -> PlanInput {
        PlanInput {
            domain: self.domain,
            goal: self.goal,
            action: self.action,
            responsible: self.responsible,
            due_on: self.due_on,
        }
    }
}

pub async fn add_plan_item(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<PlanItem>), WebError> {
    let item = state
        .store
        .add_plan_item(&actor, id(&case)?, b.input())
        .await?;
    Ok((StatusCode::CREATED, Json(item)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanUpdateBody {
    #[serde(default)]
    domain: Option<String>,
    goal: String,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    responsible: Option<String>,
    #[serde(default)]
    due_on: Option<String>,
    #[serde(default)]
    done: bool,
    version: i64,
}

pub async fn update_plan_item(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(item): Path<String>,
    ApiJson(b): ApiJson<PlanUpdateBody>,
) -> Result<Json<PlanItem>, WebError> {
    let (done, version) = (b.done, b.version);
    let input = PlanInput {
        domain: b.domain,
        goal: b.goal,
        action: b.action,
        responsible: b.responsible,
        due_on: b.due_on,
    };
    Ok(Json(
        state
            .store
            .update_plan_item(&actor, id(&item)?, input, done, version)
            .await?,
    ))
}

pub async fn list_case_tasks(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<Task>>, WebError> {
    Ok(Json(state.store.list_case_tasks(&actor, id(&case)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    title: String,
    #[serde(default)]
    assignee: Option<String>,
    due_on: String,
}

pub async fn create_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(b): ApiJson<TaskBody>,
) -> Result<(StatusCode, Json<Task>), WebError> {
    let new = NewTask {
        title: b.title,
        assignee: b.assignee,
        due_on: b.due_on,
    };
    let task = state.store.create_task(&actor, id(&case)?, new).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TasksQuery {
    assigned: Option<String>,
    overdue: Option<String>,
}

fn invalid_tasks_query() -> WebError {
    WebError::new(
        StatusCode::BAD_REQUEST,
        passage_core::ErrorCode::InvalidQuery,
        "Use assigned=me and/or overdue=true (overdue=true alone lists your organisation's overdue tasks, for supervisors).",
    )
}

/// `assigned=me` (with or without `overdue=true`): the actor's open tasks; `overdue=true`
/// alone: the organisation's overdue tasks, for supervisors; nothing: the actor's open tasks.
pub async fn list_tasks(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<TasksQuery>, QueryRejection>,
) -> Result<Json<Vec<Task>>, WebError> {
    let Query(q) = query.map_err(|_| invalid_tasks_query())?;
    let mine = match q.assigned.as_deref() {
        None => false,
        Some("me") => true,
        Some(_) => return Err(invalid_tasks_query()),
    };
    let overdue = match q.overdue.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(invalid_tasks_query()),
    };
    let tasks = if overdue && !mine {
        state.store.list_org_overdue_tasks(&actor).await?
    } else {
        state.store.list_my_tasks(&actor, overdue).await?
    };
    Ok(Json(tasks))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    version: i64,
}

pub async fn complete_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(task): Path<String>,
    ApiJson(b): ApiJson<VersionBody>,
) -> Result<Json<Task>, WebError> {
    Ok(Json(
        state
            .store
            .complete_task(&actor, id(&task)?, b.version)
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReassignBody {
    assignee: String,
    version: i64,
}

pub async fn reassign_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(task): Path<String>,
    ApiJson(b): ApiJson<ReassignBody>,
) -> Result<Json<Task>, WebError> {
    Ok(Json(
        state
            .store
            .reassign_task(&actor, id(&task)?, &b.assignee, b.version)
            .await?,
    ))
}

pub async fn list_notes(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<Note>>, WebError> {
    Ok(Json(state.store.list_notes(&actor, id(&case)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    confidentiality: Option<String>,
    body: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(b): ApiJson<NoteBody>,
) -> Result<(StatusCode, Json<Note>), WebError> {
    let level = b.confidentiality.unwrap_or_else(|| "normal".into());
    let note = state
        .store
        .add_note(&actor, id(&case)?, &level, &b.body)
        .await?;
    Ok((StatusCode::CREATED, Json(note)))
}

pub async fn list_services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<Service>>, WebError> {
    Ok(Json(state.store.list_services(&actor, id(&case)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceBody {
    service_type: String,
    provider: String,
    delivered_on: String,
    #[serde(default)]
    note: Option<String>,
}

pub async fn record_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(b): ApiJson<ServiceBody>,
) -> Result<(StatusCode, Json<Service>), WebError> {
    let new = NewService {
        service_type: b.service_type,
        provider: b.provider,
        delivered_on: b.delivered_on,
        note: b.note,
    };
    let service = state.store.record_service(&actor, id(&case)?, new).await?;
    Ok((StatusCode::CREATED, Json(service)))
}

pub async fn dashboard(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Dashboard>, WebError> {
    Ok(Json(state.store.dashboard(&actor).await?))
}
