//! Needs and the plan of a case: the needs assessment by domain, plan items and marking them done.

use super::*;
use crate::kit::form::version;
use crate::kit::{Id, Ids};

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
#[derive(Default, serde::Deserialize)]
#[serde(default)]
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
    nav: Nav,
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
                label: nav.label("need", d.as_str()),
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
                nav.label("need", n.domain.as_str()),
                plan_form.domain == n.domain.as_str(),
            )
        })
        .collect();
    let staff = staff_options(&staff, Some(plan_form.responsible_user.as_str()));
    let plan = plan
        .into_iter()
        .map(|p| PlanRow {
            id: p.id,
            domain: p
                .domain
                .map(|d| nav.label("need", d.as_str()))
                .unwrap_or_default(),
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
            nav,
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
    Id(id): Id,
    axum::extract::Query(q): axum::extract::Query<NeedsQuery>,
) -> Result<Response, WebError> {
    // "Plan for this need" links here with ?plan=DOMAIN: the plan form starts with it.
    let form = PlanForm {
        domain: NeedDomain::parse(&q.plan)
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    needs_page_with(&state, &s, id, None, form, Vec::new()).await
}

pub async fn save_need(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, f): StaffForm<NeedForm>,
) -> Result<Response, WebError> {
    let domain = f.domain;
    let version = match f.version.trim() {
        "" => None,
        v => Some(version(v)?),
    };
    let input = NeedInput {
        domain: domain.clone(),
        urgency: f.urgency.clone(),
        description: (!f.description.trim().is_empty()).then(|| f.description.clone()),
        met: f.met,
        version,
    };
    match state.store.upsert_need(&s.session.actor, case, input).await {
        Ok(n) => Ok(done(
            &format!("/cases/{case}/needs#need-{}", n.domain.as_str()),
            "saved",
        )),
        Err(e) => {
            let d = domain.clone();
            let errors = ui_errors(e, |field| match field {
                "description" | "urgency" => format!("{field}-{d}"),
                _ => format!("need-{d}"),
            })?;
            let typed = TypedNeed {
                domain,
                urgency: f.urgency,
                description: f.description,
                met: f.met,
            };
            needs_page_with(&state, &s, case, Some(typed), PlanForm::default(), errors).await
        }
    }
}

/// One need as posted; `met` is a checkbox.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct NeedForm {
    domain: String,
    urgency: String,
    description: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    met: bool,
    version: String,
}

/// A plan item marked done (a checkbox) or open again.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanDoneForm {
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    done: bool,
    version: String,
}
crate::form_body!(NeedForm, PlanForm, PlanDoneForm);

fn plan_anchor(field: &str) -> String {
    match field {
        "domain" | "goal" | "action" | "due_on" => format!("plan-{field}"),
        "responsible" => "plan-responsible_user".into(),
        _ => "plan-form".into(),
    }
}

pub async fn add_plan_item(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, form): StaffForm<PlanForm>,
) -> Result<Response, WebError> {
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
        Ok(_) => Ok(done(&format!("/cases/{case}/needs#plan"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, plan_anchor)?;
            needs_page_with(&state, &s, case, None, form, errors).await
        }
    }
}

/// Marks a plan item done or open again; the other fields stay as they are.
pub async fn plan_done(
    State(state): State<AppState>,
    Ids((case, item)): Ids<(Uuid, Uuid)>,
    StaffForm(s, f): StaffForm<PlanDoneForm>,
) -> Result<Response, WebError> {
    let version = version(&f.version)?;
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
        .update_plan_item(actor, item, input, f.done, version)
        .await
    {
        Ok(_) => Ok(done(&format!("/cases/{case}/needs#plan"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("plan-{item}"))?;
            needs_page_with(&state, &s, case, None, PlanForm::default(), errors).await
        }
    }
}
