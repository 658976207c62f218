//! Case work pages: needs and plan, tasks, notes and services of a case; "My tasks"; the
//! supervisor's dashboard. Every form carries the CSRF token, works without JavaScript and
//! redirects after success (post/redirect/get); a refused form comes back with its values and
//! an error summary whose links lead to the fields.

use super::form::{Form, UiError, see_other};
use super::{Nav, check_csrf, page, when};
use crate::extract::UiSession;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::Urgency;
use passage_core::casework::{Confidentiality, NeedDomain, ServiceType};
use passage_store::StoreError;
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::services::NewService;
use passage_store::casework::tasks::{NewTask, StaffMember, Task};
use uuid::Uuid;

fn case_id(text: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(text).map_err(|_| WebError::not_found())
}

/// Turns a refusal a person can fix into summary lines; anything else stays an error.
/// `anchor` maps a store field name to the id of the input it came from.
fn ui_errors(e: StoreError, anchor: impl Fn(&str) -> String) -> Result<Vec<UiError>, WebError> {
    match e {
        StoreError::Invalid(p) => Ok(p
            .0
            .into_iter()
            .map(|f| UiError {
                anchor: anchor(&f.field),
                message: f.message,
            })
            .collect()),
        StoreError::VersionConflict { .. } => Ok(vec![UiError {
            anchor: anchor("version"),
            message: "Someone changed this while you were editing. The page now shows the current version; apply your change again.".into(),
        }]),
        StoreError::Rule { message, .. } => Ok(vec![UiError {
            anchor: anchor("rule"),
            message,
        }]),
        other => Err(other.into()),
    }
}

fn with_status(mut res: Response, errors: bool) -> Response {
    if errors {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

fn label(s: &str) -> String {
    s.replace('_', " ")
}

/// (value, label, selected) options of the staff a piece of work may go to.
fn staff_options(staff: &[StaffMember], selected: Option<&str>) -> Vec<(String, String, bool)> {
    staff
        .iter()
        .map(|m| {
            let id = m.id.to_string();
            let sel = selected == Some(id.as_str());
            (id, m.name.clone(), sel)
        })
        .collect()
}

// ---------------------------------------------------------------- needs and plan

pub struct NeedRow {
    domain: &'static str,
    label: String,
    recorded: bool,
    urgency: String,
    urgencies: Vec<(&'static str, bool)>,
    description: String,
    met: bool,
    version: String,
}

pub struct PlanRow {
    id: Uuid,
    domain: String,
    goal: String,
    action: String,
    responsible: String,
    due: String,
    done: bool,
    version: i64,
}

/// The add-a-plan-item form as typed.
#[derive(Default)]
pub struct PlanForm {
    domain: String,
    goal: String,
    action: String,
    responsible_user: String,
    responsible_text: String,
    due_on: String,
}

#[derive(Template)]
#[template(path = "work_needs.html")]
struct NeedsPage {
    nav: Option<Nav>,
    csrf: String,
    case_id: String,
    needs: Vec<NeedRow>,
    plan: Vec<PlanRow>,
    plan_form: PlanForm,
    plan_domains: Vec<(&'static str, String, bool)>,
    staff: Vec<(String, String, bool)>,
    errors: Vec<UiError>,
}

/// What a refused need form had typed, to show it again.
struct TypedNeed {
    domain: String,
    urgency: String,
    description: String,
    met: bool,
}

async fn needs_page_with(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    typed: Option<TypedNeed>,
    plan_form: PlanForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let nav = Nav::of(state, s).await?;
    let needs = state.store.list_needs(actor, case).await?;
    let plan = state.store.list_plan(actor, case).await?;
    let staff = state.store.case_staff(actor, case).await?;
    let rows = NeedDomain::ALL
        .iter()
        .map(|d| {
            let found = needs.iter().find(|n| n.domain == *d);
            let mine = typed.as_ref().filter(|t| t.domain == d.as_str());
            let urgency = match (mine, found) {
                (Some(t), _) => t.urgency.clone(),
                (None, Some(n)) => n.urgency.as_str().to_string(),
                (None, None) => "normal".to_string(),
            };
            NeedRow {
                domain: d.as_str(),
                label: label(d.as_str()),
                recorded: found.is_some(),
                urgency: urgency.clone(),
                urgencies: Urgency::ALL
                    .iter()
                    .map(|u| (u.as_str(), u.as_str() == urgency))
                    .collect(),
                description: match (mine, found) {
                    (Some(t), _) => t.description.clone(),
                    (None, Some(n)) => n.description.clone().unwrap_or_default(),
                    (None, None) => String::new(),
                },
                met: match (mine, found) {
                    (Some(t), _) => t.met,
                    (None, Some(n)) => n.met,
                    (None, None) => false,
                },
                version: found.map(|n| n.version.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let plan_domains = needs
        .iter()
        .map(|n| {
            (
                n.domain.as_str(),
                label(n.domain.as_str()),
                plan_form.domain == n.domain.as_str(),
            )
        })
        .collect();
    let staff = staff_options(&staff, Some(plan_form.responsible_user.as_str()));
    let plan = plan
        .into_iter()
        .map(|p| PlanRow {
            id: p.id,
            domain: p.domain.map(|d| label(d.as_str())).unwrap_or_default(),
            goal: p.goal,
            action: p.action.unwrap_or_default(),
            responsible: p.responsible.unwrap_or_default(),
            due: p.due_on.unwrap_or_default(),
            done: p.done,
            version: p.version,
        })
        .collect();
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&NeedsPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case.to_string(),
            needs: rows,
            plan,
            plan_form,
            plan_domains,
            staff,
            errors,
        }),
        has_errors,
    ))
}

#[derive(serde::Deserialize)]
pub struct NeedsQuery {
    #[serde(default)]
    plan: String,
}

pub async fn needs_page(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<NeedsQuery>,
) -> Result<Response, WebError> {
    // "Plan for this need" links here with ?plan=DOMAIN: the plan form starts with it.
    let form = PlanForm {
        domain: NeedDomain::parse(&q.plan)
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    needs_page_with(&state, &s, case_id(&id)?, None, form, Vec::new()).await
}

pub async fn save_need(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let domain = f.get("domain");
    let version = match f.get("version").trim() {
        "" => None,
        _ => Some(f.version()?),
    };
    let input = NeedInput {
        domain: domain.clone(),
        urgency: f.get("urgency"),
        description: f.opt("description"),
        met: f.checked("met"),
        version,
    };
    match state.store.upsert_need(&s.session.actor, case, input).await {
        Ok(n) => Ok(see_other(&format!(
            "/cases/{case}/needs#need-{}",
            n.domain.as_str()
        ))),
        Err(e) => {
            let d = domain.clone();
            let errors = ui_errors(e, |field| match field {
                "description" | "urgency" => format!("{field}-{d}"),
                _ => format!("need-{d}"),
            })?;
            let typed = TypedNeed {
                domain,
                urgency: f.get("urgency"),
                description: f.get("description"),
                met: f.checked("met"),
            };
            needs_page_with(&state, &s, case, Some(typed), PlanForm::default(), errors).await
        }
    }
}

fn plan_form(f: &Form) -> PlanForm {
    PlanForm {
        domain: f.get("domain"),
        goal: f.get("goal"),
        action: f.get("action"),
        responsible_user: f.get("responsible_user"),
        responsible_text: f.get("responsible_text"),
        due_on: f.get("due_on"),
    }
}

fn plan_anchor(field: &str) -> String {
    match field {
        "domain" | "goal" | "action" | "due_on" => format!("plan-{field}"),
        "responsible" => "plan-responsible_user".into(),
        _ => "plan-form".into(),
    }
}

pub async fn add_plan_item(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let form = plan_form(&f);
    // A colleague chosen from the list wins over the free text.
    let responsible = [&form.responsible_user, &form.responsible_text]
        .into_iter()
        .find(|v| !v.trim().is_empty())
        .cloned();
    let input = PlanInput {
        domain: Some(form.domain.clone()),
        goal: form.goal.clone(),
        action: Some(form.action.clone()),
        responsible,
        due_on: Some(form.due_on.clone()),
    };
    match state
        .store
        .add_plan_item(&s.session.actor, case, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/cases/{case}/needs#plan"))),
        Err(e) => {
            let errors = ui_errors(e, plan_anchor)?;
            needs_page_with(&state, &s, case, None, form, errors).await
        }
    }
}

/// Marks a plan item done or open again; the other fields stay as they are.
pub async fn plan_done(
    State(state): State<AppState>,
    s: UiSession,
    Path((id, item)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let item = case_id(&item)?;
    let version = f.version()?;
    let actor = &s.session.actor;
    let current = state
        .store
        .list_plan(actor, case)
        .await?
        .into_iter()
        .find(|p| p.id == item)
        .ok_or_else(WebError::not_found)?;
    let input = PlanInput {
        domain: current.domain.map(|d| d.as_str().to_string()),
        goal: current.goal,
        action: current.action,
        responsible: current
            .responsible_user_id
            .map(|u| u.to_string())
            .or(current.responsible),
        due_on: current.due_on,
    };
    match state
        .store
        .update_plan_item(actor, item, input, f.checked("done"), version)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/cases/{case}/needs#plan"))),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("plan-{item}"))?;
            needs_page_with(&state, &s, case, None, PlanForm::default(), errors).await
        }
    }
}

// ---------------------------------------------------------------- tasks

pub struct TaskRow {
    id: Uuid,
    case_id: Uuid,
    title: String,
    assignee: String,
    due: String,
    overdue: bool,
    done: bool,
    version: i64,
    reassign: Vec<(String, String, bool)>,
}

fn task_rows(tasks: Vec<Task>, staff: &[StaffMember]) -> Vec<TaskRow> {
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
            }
        })
        .collect()
}

#[derive(Default)]
pub struct TaskForm {
    title: String,
    assignee: String,
    due_on: String,
}

#[derive(Template)]
#[template(path = "work_tasks.html")]
struct TasksPage {
    nav: Option<Nav>,
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
            nav: Some(nav),
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
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    tasks_page_with(&state, &s, case_id(&id)?, TaskForm::default(), Vec::new()).await
}

pub async fn add_task(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let form = TaskForm {
        title: f.get("title"),
        assignee: f.get("assignee"),
        due_on: f.get("due_on"),
    };
    let new = NewTask {
        title: form.title.clone(),
        assignee: Some(form.assignee.clone()),
        due_on: form.due_on.clone(),
    };
    match state.store.create_task(&s.session.actor, case, new).await {
        Ok(_) => Ok(see_other(&format!("/cases/{case}/tasks"))),
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
    s: UiSession,
    Path((id, task, action)): Path<(String, String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let task = case_id(&task)?;
    let version = f.version()?;
    let actor = &s.session.actor;
    let done = match action.as_str() {
        "complete" => state.store.complete_task(actor, task, version).await,
        "reassign" => {
            state
                .store
                .reassign_task(actor, task, &f.get("assignee"), version)
                .await
        }
        _ => return Err(WebError::not_found()),
    };
    let to_my_tasks = f.get("back") == "/tasks";
    match done {
        Ok(_) if to_my_tasks => Ok(see_other("/tasks")),
        Ok(_) => Ok(see_other(&format!("/cases/{case}/tasks"))),
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
    nav: Option<Nav>,
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
            nav: Some(nav),
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

// ---------------------------------------------------------------- notes

pub struct NoteRow {
    level: &'static str,
    body: String,
    author: String,
    at: String,
}

#[derive(Template)]
#[template(path = "work_notes.html")]
struct NotesPage {
    nav: Option<Nav>,
    csrf: String,
    case_id: String,
    notes: Vec<NoteRow>,
    levels: Vec<(&'static str, &'static str, bool)>,
    body: String,
    errors: Vec<UiError>,
}

async fn notes_page_with(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    level: &str,
    body: String,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let notes = state.store.list_notes(&s.session.actor, case).await?;
    let level = Confidentiality::parse(level).unwrap_or(Confidentiality::Normal);
    let explain = |c: Confidentiality| match c {
        Confidentiality::Normal => "everyone who can read this case",
        Confidentiality::Restricted => {
            "only the case's own organisation (not partners it is shared with)"
        }
        Confidentiality::Sensitive => "only you and the supervisors of the case's organisation",
    };
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&NotesPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case.to_string(),
            notes: notes
                .into_iter()
                .map(|n| NoteRow {
                    level: n.confidentiality.as_str(),
                    body: n.body,
                    author: n.author_name,
                    at: when(n.created_at),
                })
                .collect(),
            levels: Confidentiality::ALL
                .iter()
                .map(|c| (c.as_str(), explain(*c), *c == level))
                .collect(),
            body,
            errors,
        }),
        has_errors,
    ))
}

pub async fn notes_page(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    notes_page_with(
        &state,
        &s,
        case_id(&id)?,
        "normal",
        String::new(),
        Vec::new(),
    )
    .await
}

pub async fn add_note(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let (level, text) = (f.get("confidentiality"), f.get("body"));
    match state
        .store
        .add_note(&s.session.actor, case, &level, &text)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/cases/{case}/notes"))),
        Err(e) => {
            let errors = ui_errors(e, |field| match field {
                "body" => "note-body".into(),
                _ => "note-confidentiality".into(),
            })?;
            notes_page_with(&state, &s, case, &level, text, errors).await
        }
    }
}

// ---------------------------------------------------------------- services

pub struct ServiceRow {
    kind: String,
    provider: String,
    delivered_on: String,
    note: String,
}

#[derive(Default)]
pub struct ServiceForm {
    provider: String,
    delivered_on: String,
    note: String,
}

#[derive(Template)]
#[template(path = "work_services.html")]
struct ServicesPage {
    nav: Option<Nav>,
    csrf: String,
    case_id: String,
    services: Vec<ServiceRow>,
    kinds: Vec<(&'static str, String, bool)>,
    form: ServiceForm,
    today: String,
    errors: Vec<UiError>,
}

async fn services_page_with(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    kind: &str,
    form: ServiceForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let services = state.store.list_services(&s.session.actor, case).await?;
    let today =
        passage_core::casework::calendar::Day::from_unix_ms(passage_store::now_ms()).to_string();
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&ServicesPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case.to_string(),
            services: services
                .into_iter()
                .map(|v| ServiceRow {
                    kind: label(v.service_type.as_str()),
                    provider: v.provider,
                    delivered_on: v.delivered_on,
                    note: v.note.unwrap_or_default(),
                })
                .collect(),
            kinds: ServiceType::ALL
                .iter()
                .map(|k| (k.as_str(), label(k.as_str()), k.as_str() == kind))
                .collect(),
            form,
            today,
            errors,
        }),
        has_errors,
    ))
}

pub async fn services_page(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    services_page_with(
        &state,
        &s,
        case_id(&id)?,
        "",
        ServiceForm::default(),
        Vec::new(),
    )
    .await
}

pub async fn record_service(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case = case_id(&id)?;
    let kind = f.get("service_type");
    let form = ServiceForm {
        provider: f.get("provider"),
        delivered_on: f.get("delivered_on"),
        note: f.get("note"),
    };
    let new = NewService {
        service_type: kind.clone(),
        provider: form.provider.clone(),
        delivered_on: form.delivered_on.clone(),
        note: Some(form.note.clone()),
    };
    match state
        .store
        .record_service(&s.session.actor, case, new)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/cases/{case}/services"))),
        Err(e) => {
            let errors = ui_errors(e, |field| format!("service-{field}"))?;
            services_page_with(&state, &s, case, &kind, form, errors).await
        }
    }
}

// ---------------------------------------------------------------- dashboard

pub struct LoadRow {
    name: String,
    counts: Vec<i64>,
    total: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Option<Nav>,
    statuses: Vec<String>,
    caseload: Vec<LoadRow>,
    unassigned: i64,
    overdue: Vec<TaskRow>,
    alerts: Vec<(Uuid, String)>,
    pending_approvals: i64,
}

pub async fn dashboard(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let d = state.store.dashboard(&s.session.actor).await?;
    Ok(page(&DashboardPage {
        nav: Some(nav),
        statuses: passage_store::casework::dashboard::open_statuses()
            .iter()
            .map(|s| label(s.as_str()))
            .collect(),
        caseload: d
            .caseload
            .into_iter()
            .map(|c| LoadRow {
                name: c.name,
                counts: c.by_status.iter().map(|s| s.count).collect(),
                total: c.total,
            })
            .collect(),
        unassigned: d.unassigned_open,
        overdue: task_rows(d.overdue_tasks, &[]),
        alerts: d
            .open_alerts
            .into_iter()
            .map(|a| (a.report_id, when(a.created_at)))
            .collect(),
        pending_approvals: d.pending_approvals,
    }))
}
