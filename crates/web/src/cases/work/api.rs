//! Case work over JSON: needs assessment, case plan, tasks (with "my tasks" and overdue
//! lists), notes with confidentiality, services delivered and the supervisor's dashboard.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::Need;
use super::types::{
    Dashboard, NeedInput, NewNote, NewService, NewTask, Note, PlanInput, PlanItem, PlanUpdate,
    Service, Task, TaskDue, TaskReassign, TaskVersion,
};
use crate::AppState;
use crate::kit::Id;
use crate::kit::{ApiActor, ApiJson, ErrorBody, WebError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_store::casework::tasks::NewTask as StoreNewTask;
use serde::Deserialize;

fn all<T, U: From<T>>(items: Vec<T>) -> Json<Vec<U>> {
    Json(items.into_iter().map(U::from).collect())
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/needs", tag = "case work",
    summary = "The needs assessment of a case (recorded domains)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<Need>),
        crate::kit::responses::Reads))]
pub async fn list_needs(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<Need>>, WebError> {
    Ok(all(state.store.list_needs(&actor, case).await?))
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/needs", tag = "case work",
    summary = "Record or change the need of one domain",
    params(("id" = uuid::Uuid, Path)),
    request_body = NeedInput,
    responses(
        (status = 200, description = "Success", body = Need),
        crate::kit::responses::JsonWrites))]
pub async fn put_need(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(b): ApiJson<NeedInput>,
) -> Result<Json<Need>, WebError> {
    let input = passage_store::casework::needs::NeedInput {
        domain: b.domain,
        urgency: b.urgency,
        description: b.description,
        met: b.met,
        version: b.version,
    };
    let need = state.store.upsert_need(&actor, case, input).await?;
    Ok(Json(need.into()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/plan", tag = "case work",
    summary = "The case plan: open items first, by due date",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<PlanItem>),
        crate::kit::responses::Reads))]
pub async fn list_plan(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<PlanItem>>, WebError> {
    Ok(all(state.store.list_plan(&actor, case).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/plan", tag = "case work",
    summary = "Add a plan item (from a recorded need when domain is given)",
    params(("id" = uuid::Uuid, Path)),
    request_body = PlanInput,
    responses(
        (status = 201, description = "Success", body = PlanItem),
        crate::kit::responses::JsonWrites))]
pub async fn add_plan_item(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(b): ApiJson<PlanInput>,
) -> Result<(StatusCode, Json<PlanItem>), WebError> {
    let item = state.store.add_plan_item(&actor, case, b.into()).await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

#[utoipa::path(post, path = "/api/v1/plan-items/{id}", tag = "case work",
    summary = "Change a plan item (all fields, with the version you read)",
    params(("id" = uuid::Uuid, Path)),
    request_body = PlanUpdate,
    responses(
        (status = 200, description = "Success", body = PlanItem),
        crate::kit::responses::JsonWrites))]
pub async fn update_plan_item(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(item): Id,
    ApiJson(b): ApiJson<PlanUpdate>,
) -> Result<Json<PlanItem>, WebError> {
    let (done, version) = (b.done, b.version);
    let input = passage_store::casework::plan::PlanInput {
        domain: b.domain,
        goal: b.goal,
        action: b.action,
        responsible: b.responsible,
        due_on: b.due_on,
    };
    let item = state
        .store
        .update_plan_item(&actor, item, input, done, version)
        .await?;
    Ok(Json(item.into()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/tasks", tag = "case work",
    summary = "Tasks of a case: open ones first (overdue first), then done ones",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<Task>),
        crate::kit::responses::Reads))]
pub async fn list_case_tasks(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<Task>>, WebError> {
    Ok(all(state.store.list_case_tasks(&actor, case).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/tasks", tag = "case work",
    summary = "Add a task",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewTask,
    responses(
        (status = 201, description = "Success", body = Task),
        crate::kit::responses::JsonWrites))]
pub async fn create_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(b): ApiJson<NewTask>,
) -> Result<(StatusCode, Json<Task>), WebError> {
    let new = StoreNewTask {
        title: b.title,
        assignee: b.assignee,
        due_on: b.due_on,
    };
    let task = state.store.create_task(&actor, case, new).await?;
    Ok((StatusCode::CREATED, Json(task.into())))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TasksQuery {
    /// me: your open tasks. Any other value is 400 invalid_query
    #[param(schema_with = assigned_me)]
    assigned: Option<String>,
    /// true: only overdue tasks
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
}

fn assigned_me() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["me"]))
        .build()
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
#[utoipa::path(get, path = "/api/v1/tasks", tag = "case work",
    summary = "Task lists. assigned=me: your open tasks (overdue=true: only overdue ones); overdue=true alone: your organisation's overdue tasks (supervisors only, 403 otherwise); no parameter: your open tasks. Overdue first, then by due date; only tasks of cases you may read.",
    params(TasksQuery),
    responses(
        (status = 200, description = "Success", body = Vec<Task>),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody)))]
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
    Ok(all(tasks))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/complete", tag = "case work",
    summary = "Mark a task done",
    params(("id" = uuid::Uuid, Path)),
    request_body = TaskVersion,
    responses(
        (status = 200, description = "Success", body = Task),
        crate::kit::responses::Writes))]
pub async fn complete_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(task): Id,
    ApiJson(b): ApiJson<TaskVersion>,
) -> Result<Json<Task>, WebError> {
    let task = state.store.complete_task(&actor, task, b.version).await?;
    Ok(Json(task.into()))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/reassign", tag = "case work",
    summary = "Give a task to another user of the case's organisation who can open the case",
    params(("id" = uuid::Uuid, Path)),
    request_body = TaskReassign,
    responses(
        (status = 200, description = "Success", body = Task),
        crate::kit::responses::Writes))]
pub async fn reassign_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(task): Id,
    ApiJson(b): ApiJson<TaskReassign>,
) -> Result<Json<Task>, WebError> {
    let assignee = passage_core::validate::staff_id("assignee", &b.assignee)
        .map_err(passage_store::StoreError::Invalid)?;
    let task = state
        .store
        .reassign_task(&actor, task, assignee, b.version)
        .await?;
    Ok(Json(task.into()))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/due", tag = "case work",
    summary = "Change a task's due date (a date in the past is accepted; a done task keeps its date)",
    params(("id" = uuid::Uuid, Path)),
    request_body = TaskDue,
    responses(
        (status = 200, description = "Success", body = Task),
        crate::kit::responses::Writes))]
pub async fn reschedule_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(task): Id,
    ApiJson(b): ApiJson<TaskDue>,
) -> Result<Json<Task>, WebError> {
    let due = passage_core::casework::calendar::required_date("due_on", &b.due_on)
        .map_err(passage_store::StoreError::Invalid)?;
    let task = state
        .store
        .reschedule_task(&actor, task, due, b.version)
        .await?;
    Ok(Json(task.into()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/notes", tag = "case work",
    summary = "Notes of a case you may read, newest first (each read is audited)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<Note>),
        crate::kit::responses::Reads))]
pub async fn list_notes(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<Note>>, WebError> {
    Ok(all(state.store.list_notes(&actor, case).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "case work",
    summary = "Add a note (notes are never edited)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewNote,
    responses(
        (status = 201, description = "Success", body = Note),
        crate::kit::responses::JsonWrites))]
pub async fn add_note(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(b): ApiJson<NewNote>,
) -> Result<(StatusCode, Json<Note>), WebError> {
    let level = b.confidentiality.unwrap_or_else(|| "normal".into());
    let note = passage_core::casework::notes::RawNote {
        confidentiality: &level,
        body: &b.body,
    }
    .validate()
    .map_err(passage_store::StoreError::Invalid)?;
    let note = state.store.add_note(&actor, case, note).await?;
    Ok((StatusCode::CREATED, Json(note.into())))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/services", tag = "case work",
    summary = "Services delivered, most recent first",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<Service>),
        crate::kit::responses::Reads))]
pub async fn list_services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<Service>>, WebError> {
    Ok(all(state.store.list_services(&actor, case).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/services", tag = "case work",
    summary = "Record a service delivered",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewService,
    responses(
        (status = 201, description = "Success", body = Service),
        crate::kit::responses::JsonWrites))]
pub async fn record_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(b): ApiJson<NewService>,
) -> Result<(StatusCode, Json<Service>), WebError> {
    let service = state.store.record_service(&actor, case, b.into()).await?;
    Ok((StatusCode::CREATED, Json(service.into())))
}

#[utoipa::path(get, path = "/api/v1/dashboard", tag = "case work",
    summary = "Your organisation's caseload per worker, overdue tasks, open emergency alerts and pending approvals (supervisors only)",
    responses(
        (status = 200, description = "Success", body = Dashboard),
        crate::kit::responses::Refusals))]
pub async fn dashboard(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Dashboard>, WebError> {
    Ok(Json(state.store.dashboard(&actor).await?.into()))
}
