//! Needs and the plan of a case: the needs assessment by domain, plan items and marking them done.

use super::*;
use crate::kit::form::version;
use crate::kit::{Id, Ids};
use passage_store::StoreError;
use passage_store::casework::needs::AssessmentError;

pub struct NeedRow {
    domain: &'static str,
    label: String,
    recorded: bool,
    urgency: String,
    urgencies: Vec<(&'static str, bool)>,
    description: String,
    met: bool,
    version: String,
    /// A fingerprint of the values the form was rendered with: a domain whose typed values
    /// still match it was not touched and is not saved.
    seen: String,
    /// The refusal of this domain, shown above its fields.
    error: Option<String>,
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

/// What a refused assessment had typed for one domain, to show it again.
struct TypedNeed {
    domain: &'static str,
    urgency: String,
    description: String,
    met: bool,
    version: String,
    seen: String,
    error: Option<String>,
}

/// The fingerprint of one domain's values as shown on the form.
fn fingerprint(urgency: &str, description: &str, met: bool) -> String {
    let mut h = blake3::Hasher::new();
    for part in [urgency, description.trim(), if met { "1" } else { "0" }] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().to_hex()[..32].to_string()
}

async fn needs_page_with(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    typed: Vec<TypedNeed>,
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
            let label = nav.label("need", d.as_str());
            if let Some(t) = typed.iter().find(|t| t.domain == d.as_str()) {
                return NeedRow {
                    domain: d.as_str(),
                    label,
                    recorded: found.is_some(),
                    urgencies: urgency_options(found.is_some(), &t.urgency),
                    urgency: t.urgency.clone(),
                    description: t.description.clone(),
                    met: t.met,
                    version: t.version.clone(),
                    seen: t.seen.clone(),
                    error: t.error.clone(),
                };
            }
            // A domain not yet assessed starts at "not assessed": it is recorded only once an
            // urgency is chosen, so an untouched domain is never written.
            let urgency = found
                .map(|n| n.urgency.as_str().to_string())
                .unwrap_or_default();
            let description = found
                .and_then(|n| n.description.clone())
                .unwrap_or_default();
            let met = found.is_some_and(|n| n.met);
            NeedRow {
                domain: d.as_str(),
                label,
                recorded: found.is_some(),
                urgencies: urgency_options(found.is_some(), &urgency),
                seen: fingerprint(&urgency, &description, met),
                urgency,
                description,
                met,
                version: found.map(|n| n.version.to_string()).unwrap_or_default(),
                error: None,
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
    needs_page_with(&state, &s, id, Vec::new(), form, Vec::new()).await
}

/// (value, selected) urgencies of a domain; one not yet recorded may stay "not assessed" ("").
fn urgency_options(recorded: bool, urgency: &str) -> Vec<(&'static str, bool)> {
    let none = (!recorded).then_some(("", urgency.is_empty()));
    none.into_iter()
        .chain(
            Urgency::ALL
                .iter()
                .map(|u| (u.as_str(), u.as_str() == urgency)),
        )
        .collect()
}

/// Saves the whole assessment typed on the one form. Only the domains whose values differ
/// from what the form showed are sent, each as its own versioned record; a refusal of any
/// keeps nothing and shows the form again with everything typed and the refusal at its domain.
pub async fn save_needs(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, f): StaffForm<NeedsForm>,
) -> Result<Response, WebError> {
    let mut typed: Vec<TypedNeed> = NeedDomain::ALL
        .iter()
        .map(|d| {
            let d = d.as_str();
            TypedNeed {
                domain: d,
                urgency: f.first(&format!("urgency-{d}")).trim().to_string(),
                // Browsers send a textarea's line breaks as CRLF; it was rendered with LF.
                description: f.first(&format!("description-{d}")).replace("\r\n", "\n"),
                met: !f.first(&format!("met-{d}")).is_empty(),
                version: f.first(&format!("version-{d}")),
                seen: f.first(&format!("seen-{d}")),
                error: None,
            }
        })
        .collect();
    let mut inputs = Vec::new();
    for t in &typed {
        if fingerprint(&t.urgency, &t.description, t.met) == t.seen {
            continue;
        }
        let version = match t.version.trim() {
            "" => None,
            v => Some(version(v)?),
        };
        inputs.push(NeedInput {
            domain: t.domain.to_string(),
            urgency: t.urgency.clone(),
            description: (!t.description.trim().is_empty()).then(|| t.description.clone()),
            met: t.met,
            version,
        });
    }
    if inputs.is_empty() {
        return Ok(done(
            &format!("/cases/{case}/needs"),
            "feedback-nothing-changed",
        ));
    }
    let actor = &s.session.actor;
    let refused = match state.store.save_assessment(actor, case, inputs).await {
        Ok(_) => return Ok(done(&format!("/cases/{case}/needs"), "saved")),
        Err(AssessmentError::Store(e)) => return Err(e.into()),
        Err(AssessmentError::Domains(refused)) => refused,
    };
    let conflict = refused
        .iter()
        .any(|(_, e)| matches!(e, StoreError::VersionConflict { .. }));
    let nav = Nav::of(&state, &s).await?;
    let current = state.store.list_needs(actor, case).await?;
    let mut errors = Vec::new();
    for (domain, e) in refused {
        let changed = matches!(e, StoreError::VersionConflict { .. });
        let label = NeedDomain::parse(&domain)
            .map(|d| nav.label("need", d.as_str()))
            .unwrap_or_default();
        let found = ui_errors(e, |field| match field {
            "description" | "urgency" | "met" => format!("{field}-{domain}"),
            _ => format!("need-{domain}"),
        })?;
        let Some(t) = typed.iter_mut().find(|t| t.domain == domain) else {
            continue;
        };
        if changed {
            // What is typed stays; the form now carries the stored version, so saving again
            // replaces what the colleague saved, knowingly.
            let now = current.iter().find(|n| n.domain.as_str() == domain);
            t.version = now.map(|n| n.version.to_string()).unwrap_or_default();
            t.seen = now
                .map(|n| {
                    fingerprint(
                        n.urgency.as_str(),
                        n.description.as_deref().unwrap_or(""),
                        n.met,
                    )
                })
                .unwrap_or_else(|| fingerprint("", "", false));
            t.error = Some(nav.t("staff-feedback-need-changed"));
        } else {
            t.error = found.first().map(|e| e.message.clone());
        }
        errors.extend(found.into_iter().map(|e| UiError {
            code: e.code,
            anchor: e.anchor,
            message: format!("{label}: {}", e.message),
        }));
    }
    let res = needs_page_with(&state, &s, case, typed, PlanForm::default(), errors).await?;
    Ok(if conflict {
        crate::kit::form::with_status(res, axum::http::StatusCode::CONFLICT)
    } else {
        res
    })
}

/// The assessment as posted: every domain's fields carry the domain in their name
/// (`urgency-safety`, `description-safety`, `met-safety`, `version-safety`, `seen-safety`).
pub struct NeedsForm(crate::kit::form::Form);

impl NeedsForm {
    fn first(&self, name: &str) -> String {
        self.0.first(name)
    }
}

impl crate::kit::form::FormBody for NeedsForm {
    fn from_body(body: &[u8]) -> Result<Self, WebError> {
        Ok(NeedsForm(crate::kit::form::Form::parse(body)))
    }
}

/// A plan item marked done (a checkbox) or open again.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanDoneForm {
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    done: bool,
    version: String,
}
crate::form_body!(PlanForm, PlanDoneForm);

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
            needs_page_with(&state, &s, case, Vec::new(), form, errors).await
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
            needs_page_with(&state, &s, case, Vec::new(), PlanForm::default(), errors).await
        }
    }
}
