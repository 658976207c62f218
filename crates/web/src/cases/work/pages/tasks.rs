//! Tasks of a case and "My tasks": adding, assigning, completing.

use super::*;
use crate::kit::{Id, Ids};

pub struct TaskRow {
    pub(super) id: Uuid,
    pub(super) case_id: Uuid,
    pub(super) title: String,
    pub(super) assignee: String,
    pub(super) due: String,
    pub(super) overdue: bool,
    pub(super) done: bool,
    pub(super) version: i64,
    pub(super) reassign: Vec<(String, String, bool)>,
    /// The person the task's case is about (in lists across cases), else empty.
    pub(super) person: String,
}

pub(super) fn task_rows(tasks: Vec<Task>, staff: &[StaffMember]) -> Vec<TaskRow> {
    tasks
        .into_iter()
        .map(|t| {
            let current = t.assigned_to.map(|u| u.to_string());
            TaskRow {
                id: t.id,
                case_id: t.case_id,
                title: t.title,
                assignee: t.assignee_name.unwrap_or_else(|| "nobody".into()),
                due: t.due_on.unwrap_or_default(),
                overdue: t.overdue,
                done: t.done,
                version: t.version,
                reassign: staff_options(staff, current.as_deref()),
                person: t.person_name.unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct TaskForm {
    title: String,
    assignee: String,
    due_on: String,
}

/// Completing or reassigning a task; `back` names the page the button was on.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct TaskActionForm {
    version: String,
    assignee: String,
    back: String,
}
crate::form_body!(TaskForm, TaskActionForm);

#[derive(Template)]
#[template(path = "work_tasks.html")]
struct TasksPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    tasks: Vec<TaskRow>,
    staff: Vec<(String, String, bool)>,
    form: TaskForm,
    errors: Vec<UiError>,
}

async fn tasks_page_with(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    mut form: TaskForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let nav = Nav::of(state, s).await?;
    let tasks = state.store.list_case_tasks(actor, case).await?;
    let staff = state.store.case_staff(actor, case).await?;
    if form.assignee.is_empty() {
        form.assignee = actor.user_id().to_string();
    }
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&TasksPage {
            csrf: nav.csrf.clone(),
            nav,
            case_id: case.to_string(),
            staff: staff_options(&staff, Some(form.assignee.as_str())),
            tasks: task_rows(tasks, &staff),
            form,
            errors,
        }),
        has_errors,
    ))
}

pub async fn tasks_page(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    tasks_page_with(&state, &s, id, TaskForm::default(), Vec::new()).await
}

pub async fn add_task(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, form): StaffForm<TaskForm>,
) -> Result<Response, WebError> {
    let new = NewTask {
        title: form.title.clone(),
        assignee: Some(form.assignee.clone()),
        due_on: form.due_on.clone(),
    };
    match state.store.create_task(&s.session.actor, case, new).await {
        Ok(_) => Ok(done(&format!("/cases/{case}/tasks"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |field| match field {
                "title" | "assignee" | "due_on" => format!("task-{field}"),
                _ => "task-form".into(),
            })?;
            tasks_page_with(&state, &s, case, form, errors).await
        }
    }
}

/// Complete or reassign one task. `back=/tasks` returns to "My tasks"; anything else to the
/// case's tasks (never an address taken from the form).
pub async fn task_action(
    State(state): State<AppState>,
    Ids((case, task, action)): Ids<(Uuid, Uuid, String)>,
    StaffForm(s, f): StaffForm<TaskActionForm>,
) -> Result<Response, WebError> {
    let version = crate::kit::form::version(&f.version)?;
    let actor = &s.session.actor;
    let outcome = match action.as_str() {
        "complete" => state.store.complete_task(actor, task, version).await,
        "reassign" => {
            state
                .store
                .reassign_task(actor, task, &f.assignee, version)
                .await
        }
        _ => return Err(WebError::not_found()),
    };
    let to_my_tasks = f.back == "/tasks";
    match outcome {
        Ok(_) if to_my_tasks => Ok(done("/tasks", "saved")),
        Ok(_) => Ok(done(&format!("/cases/{case}/tasks"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("task-{task}"))?;
            if to_my_tasks {
                my_tasks_with(&state, &s, errors).await
            } else {
                tasks_page_with(&state, &s, case, TaskForm::default(), errors).await
            }
        }
    }
}

#[derive(Template)]
#[template(path = "my_tasks.html")]
struct MyTasksPage {
    nav: Nav,
    csrf: String,
    tasks: Vec<TaskRow>,
    overdue: usize,
    errors: Vec<UiError>,
}

async fn my_tasks_with(
    state: &AppState,
    s: &UiSession,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let tasks = state.store.list_my_tasks(&s.session.actor, false).await?;
    let overdue = tasks.iter().filter(|t| t.overdue).count();
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&MyTasksPage {
            csrf: nav.csrf.clone(),
            nav,
            tasks: task_rows(tasks, &[]),
            overdue,
            errors,
        }),
        has_errors,
    ))
}

pub async fn my_tasks(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    my_tasks_with(&state, &s, Vec::new()).await
}
