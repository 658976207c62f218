//! Case pages: the list with name search, one case, the form to register a person and open a
//! case, and the statistics page.

use super::{Nav, check_csrf, page, when};
use crate::api::this_year;
use crate::extract::{UiSession, form_pairs};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use passage_core::records::{RawCase, RawPerson};
use passage_core::validate::FieldError;
use passage_core::{CaseType, Sex, Stage};
use serde::Deserialize;
use uuid::Uuid;

pub(super) fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    nav: Option<Nav>,
    case_id: String,
    name: String,
    types: String,
    stage: String,
    status: String,
    date_of_birth: String,
    sex: String,
    citizenships: String,
    migration_status: Option<String>,
    opened: String,
    summary: String,
    /// Risk, identification, deadlines and the lifecycle forms.
    lifecycle: super::casework_lifecycle::Overview,
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| WebError::not_found())?;
    case_page(&state, &s, id, super::casework_lifecycle::Forms::default()).await
}

/// The case overview, with the lifecycle forms as typed (after a refused form) or fresh.
pub(super) async fn case_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    forms: super::casework_lifecycle::Forms,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let c = state.store.get_case(&s.session.actor, id).await?;
    let lifecycle = super::casework_lifecycle::overview(state, s, &nav, &c, forms).await?;
    let unknown = || "not recorded".to_string();
    Ok(page(&CasePage {
        nav: Some(nav),
        case_id: c.id.to_string(),
        name: format!("{} {}", c.person.given_name, c.person.family_name)
            .trim()
            .to_string(),
        types: join(&c.types),
        stage: c.stage.to_string(),
        status: c.status.to_string(),
        date_of_birth: c.person.date_of_birth.unwrap_or_else(unknown),
        sex: c.person.sex.unwrap_or_else(unknown),
        citizenships: if c.person.citizenships.is_empty() {
            unknown()
        } else {
            c.person.citizenships.join(", ")
        },
        migration_status: c.person.migration_status,
        opened: when(c.created_at),
        summary: c.summary,
        lifecycle,
    }))
}

/// The new-case form as typed, kept to re-show it after an error.
#[derive(Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    citizenships: String,
    #[serde(default)]
    migration_status: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    summary: String,
}

#[derive(Template)]
#[template(path = "new_case.html")]
struct NewCasePage {
    nav: Option<Nav>,
    nav_csrf: String,
    form: CaseForm,
    errors: Vec<FieldError>,
    sexes: Vec<(&'static str, bool)>,
    case_types: Vec<(&'static str, bool)>,
    stages: Vec<(&'static str, bool)>,
}

fn form_page(nav: Nav, form: CaseForm, errors: Vec<FieldError>) -> Response {
    let sexes = Sex::ALL
        .iter()
        .map(|s| (s.as_str(), form.sex == s.as_str()))
        .collect();
    let case_types = CaseType::ALL
        .iter()
        .map(|t| (t.as_str(), form.types.iter().any(|x| x == t.as_str())))
        .collect();
    let stage = if form.stage.is_empty() {
        "destination"
    } else {
        form.stage.as_str()
    };
    let stages = Stage::ALL
        .iter()
        .map(|s| (s.as_str(), stage == s.as_str()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&NewCasePage {
        nav_csrf: nav.csrf.clone(),
        nav: Some(nav),
        form,
        errors,
        sexes,
        case_types,
        stages,
    });
    *res.status_mut() = status;
    res
}

pub async fn new_form(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    Ok(form_page(
        Nav::of(&state, &s).await?,
        CaseForm::default(),
        Vec::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    s: UiSession,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    // Repeated checkboxes (`types=a&types=b`) need a decoder that collects them.
    let form: CaseForm = parse_form(&body)?;
    check_csrf(&s.session.csrf, &form.csrf)?;
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let raw_person = RawPerson {
        given_name: form.given_name.clone(),
        family_name: form.family_name.clone(),
        date_of_birth: Some(form.date_of_birth.clone()),
        sex: Some(form.sex.clone()),
        citizenships: Some(
            form.citizenships
                .split([' ', ','])
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        migration_status: Some(form.migration_status.clone()),
    };
    let mut errors = Vec::new();
    let person = raw_person
        .validate(this_year())
        .map_err(|p| errors.extend(p.0))
        .ok();
    // Check the case part with a placeholder person so every problem shows at once.
    let raw_case = |pid: Uuid| RawCase {
        person_id: pid.to_string(),
        types: form.types.clone(),
        stage: form.stage.clone(),
        summary: form.summary.clone(),
    };
    let case = raw_case(Uuid::nil())
        .validate()
        .map_err(|p| errors.extend(p.0))
        .ok();
    let (Some(person), Some(case)) = (person, case) else {
        return Ok(form_page(nav, form, errors));
    };
    let person_id = state.store.create_person(actor, person).await?;
    let case_id = state
        .store
        .create_case(actor, passage_core::records::NewCase { person_id, ..case })
        .await?;
    let mut res = Redirect::to(&format!("/cases/{case_id}")).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    Ok(res)
}

/// Decodes `application/x-www-form-urlencoded`, collecting repeated `types`.
fn parse_form(body: &[u8]) -> Result<CaseForm, WebError> {
    let mut form = CaseForm::default();
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "csrf" => form.csrf = v,
            "given_name" => form.given_name = v,
            "family_name" => form.family_name = v,
            "date_of_birth" => form.date_of_birth = v,
            "sex" => form.sex = v,
            "citizenships" => form.citizenships = v,
            "migration_status" => form.migration_status = v,
            "types" => form.types.push(v),
            "stage" => form.stage = v,
            "summary" => form.summary = v,
            _ => {}
        }
    }
    Ok(form)
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    nav: Option<Nav>,
    min_cell: u64,
    min_cell_less: u64,
    by_type: Vec<(String, String)>,
    by_stage: Vec<(String, String)>,
}

pub async fn stats(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let summary = state
        .store
        .stats_summary(&s.session.actor, state.config.min_cell)
        .await?;
    let min = summary.min_cell;
    let show = |cells: Vec<passage_core::stats::Cell>| {
        cells
            .into_iter()
            .map(|c| {
                (
                    c.key,
                    c.count
                        .map_or_else(|| format!("fewer than {min}"), |n| n.to_string()),
                )
            })
            .collect()
    };
    Ok(page(&StatsPage {
        nav: Some(nav),
        min_cell: min,
        min_cell_less: min.saturating_sub(1),
        by_type: show(summary.by_type),
        by_stage: show(summary.by_stage),
    }))
}
