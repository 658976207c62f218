//! Tasks of a case and "My tasks": adding, assigning, completing.

use super::*;
use crate::kit::{Id, Ids, today};
use passage_core::casework::calendar::is_past;

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
    /// The new due date typed for this task, when its change came back for confirmation.
    pub(super) new_due: String,
    /// The typed due date is in the past: the form asks to confirm it.
    pub(super) confirm_past: bool,
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
                new_due: String::new(),
                confirm_past: false,
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
    /// The person confirmed a due date in the past.
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    confirm_past: bool,
}

/// Completing or reassigning a task; `back` names the page the button was on.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct TaskActionForm {
    version: String,
    assignee: String,
    back: String,
    /// A new due date (the `due` action).
    due_on: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    confirm_past: bool,
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
    /// The new task's due date is in the past and was not yet confirmed.
    confirm_past: bool,
    errors: Vec<UiError>,
}

/// A due-date change that came back: which task, the date typed, and whether it waits for
/// the confirmation of a date in the past.
struct DueTyped {
    task: Uuid,
    due_on: String,
    confirm_past: bool,
}

async fn tasks_page_with(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    form: TaskForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    tasks_page_full(state, s, case, form, false, None, errors).await
}

async fn tasks_page_full(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    mut form: TaskForm,
    confirm_past: bool,
    due: Option<DueTyped>,
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
    let mut rows = task_rows(tasks, &staff);
    if let Some(d) = due
        && let Some(row) = rows.iter_mut().find(|r| r.id == d.task)
    {
        row.new_due = d.due_on;
        row.confirm_past = d.confirm_past;
    }
    Ok(with_status(
        page(&TasksPage {
            csrf: nav.csrf.clone(),
            nav,
            case_id: case.to_string(),
            staff: staff_options(&staff, Some(form.assignee.as_str())),
            tasks: rows,
            form,
            confirm_past,
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
    if is_past(&form.due_on, today(&state)) && !form.confirm_past {
        // A due date in the past is more often a slip than a choice: ask once.
        let nav = Nav::of(&state, &s).await?;
        let errors = vec![UiError {
            code: None,
            anchor: "task-confirm_past".into(),
            message: nav.t("staff-feedback-due-past"),
        }];
        return tasks_page_full(&state, &s, case, form, true, None, errors).await;
    }
    let new = NewTask {
        title: form.title.clone(),
        assignee: Some(form.assignee.clone()),
        due_on: form.due_on.clone(),
    };
    match state.store.create_task(&s.session.actor, case, new).await {
        Ok(_) => Ok(done(&format!("/cases/{case}/tasks"), "feedback-task-added")),
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
        "reassign" => match passage_core::validate::staff_id("assignee", &f.assignee) {
            Ok(to) => state.store.reassign_task(actor, task, to, version).await,
            Err(p) => Err(passage_store::StoreError::Invalid(p)),
        },
        "due" => {
            if is_past(&f.due_on, today(&state)) && !f.confirm_past {
                let nav = Nav::of(&state, &s).await?;
                let errors = vec![UiError {
                    code: None,
                    anchor: format!("confirm-due-{task}"),
                    message: nav.t("staff-feedback-due-past"),
                }];
                let due = DueTyped {
                    task,
                    due_on: f.due_on,
                    confirm_past: true,
                };
                return tasks_page_full(
                    &state,
                    &s,
                    case,
                    TaskForm::default(),
                    false,
                    Some(due),
                    errors,
                )
                .await;
            }
            match passage_core::casework::calendar::required_date("due_on", &f.due_on) {
                Ok(due) => state.store.reschedule_task(actor, task, due, version).await,
                Err(p) => Err(passage_store::StoreError::Invalid(p)),
            }
        }
        _ => return Err(WebError::not_found()),
    };
    let to_my_tasks = f.back == "/tasks";
    match outcome {
        Ok(_) if to_my_tasks => Ok(done("/tasks", "saved")),
        Ok(_) if action == "due" => Ok(done(
            &format!("/cases/{case}/tasks#task-{task}"),
            "feedback-due-changed",
        )),
        Ok(_) => Ok(done(&format!("/cases/{case}/tasks"), "saved")),
        Err(e) => {
            let due_field = action == "due";
            let errors = ui_errors(e, |field| {
                if due_field && field == "due_on" {
                    format!("due-{task}")
                } else {
                    format!("task-{task}")
                }
            })?;
            if to_my_tasks {
                my_tasks_with(&state, &s, errors).await
            } else {
                let due = due_field.then_some(DueTyped {
                    task,
                    due_on: f.due_on,
                    confirm_past: false,
                });
                tasks_page_full(&state, &s, case, TaskForm::default(), false, due, errors).await
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
