//! Case pages: the list with name search, one case, the form to register a person and open a
//! case, and the statistics page.

use crate::AppState;
use crate::kit::Id;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::this_year;
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::records::{RawCase, RawPerson};
use passage_core::validate::FieldError;
use passage_core::{CaseType, Sex, Stage};
use passage_store::cases::NameSearch;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    nav: Nav,
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
    /// What the case kept of the report it was opened from: categories, place, employer.
    origin: Option<(String, String, String)>,
    /// Risk, identification, deadlines and the lifecycle forms.
    lifecycle: super::lifecycle::pages::Overview,
    /// The countries of the person's international protection needs in force, named: empty
    /// if none.
    mark: String,
    /// The needs in force, for the banner.
    banner: Vec<super::protection::pages::BannerNeed>,
    /// The referrals and transfers the rule refused, one line each.
    refusals: Vec<String>,
    /// When the person was erased, as shown.
    erased: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    case_page(&state, &s, id, super::lifecycle::pages::Forms::default()).await
}

/// The case overview, with the lifecycle forms as typed (after a refused form) or fresh.
pub(super) async fn case_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    forms: super::lifecycle::pages::Forms,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let c = state.store.get_case(&s.session.actor, id).await?;
    let lifecycle = super::lifecycle::pages::overview(state, s, &nav, &c, forms).await?;
    let origin = state.store.case_origin(&s.session.actor, id).await?;
    let origin = (!origin.is_empty()).then(|| {
        (
            nav.labels("category", &origin.categories),
            origin.place.unwrap_or_default(),
            origin.employer.unwrap_or_default(),
        )
    });
    let needs = state.store.protection_needs(&s.session.actor, id).await?;
    let mark = super::protection::pages::mark(&nav, &needs);
    let banner = super::protection::pages::banner(&nav, &needs);
    let refusals = super::protection::pages::refusals(state, &nav, &s.session.actor, id).await?;
    let unknown = || nav.t("staff-not-recorded");
    let erased = c.person.erased_at.map(|ms| nav.when(ms));
    Ok(page(&CasePage {
        erased,
        case_id: c.id.to_string(),
        name: format!("{} {}", c.person.given_name, c.person.family_name)
            .trim()
            .to_string(),
        types: nav.labels("case_type", &c.types),
        stage: nav.label("stage", c.stage.as_str()),
        status: nav.label("case_status", c.status.as_str()),
        date_of_birth: c.person.date_of_birth.unwrap_or_else(unknown),
        sex: c.person.sex.map_or_else(unknown, |x| nav.label("sex", &x)),
        citizenships: if c.person.citizenships.is_empty() {
            unknown()
        } else {
            c.person
                .citizenships
                .iter()
                .map(|x| nav.country(x))
                .collect::<Vec<_>>()
                .join(", ")
        },
        migration_status: c.person.migration_status,
        opened: nav.when(c.created_at),
        summary: c.summary,
        origin,
        lifecycle,
        mark,
        banner,
        refusals,
        nav,
    }))
}

/// The new-case form as typed, kept to re-show it after an error.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    sex: String,
    /// Chosen from the list (one value each) or typed (codes separated by spaces).
    #[serde(default)]
    citizenships: Vec<String>,
    #[serde(default)]
    migration_status: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    summary: String,
}

impl CaseForm {
    /// Whether the form holds this country among the citizenships (chosen or typed).
    fn has_citizenship(&self, code: &str) -> bool {
        self.citizenships
            .iter()
            .flat_map(|c| c.split([' ', ',']))
            .any(|c| c.eq_ignore_ascii_case(code))
    }
}

#[derive(Template)]
#[template(path = "new_case.html")]
struct NewCasePage {
    nav: Nav,
    nav_csrf: String,
    form: CaseForm,
    errors: Vec<FieldError>,
    sexes: Vec<(&'static str, bool)>,
    case_types: Vec<(&'static str, bool)>,
    stages: Vec<(&'static str, bool)>,
    /// The name looked for first, and the organisation's people found (`None`: not searched).
    q: String,
    matches: Option<Vec<KnownPerson>>,
    /// The registration form is open: asked for, after a search that found nobody, or after a
    /// refused registration.
    register: bool,
}

/// A person of the organisation whose name matches, with their case.
pub struct KnownPerson {
    case_id: Uuid,
    name: String,
    types: String,
    status: String,
    opened: String,
}

/// `GET /cases/new`: the name to look for first, or `register` to go straight to the form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NewCaseQuery {
    q: String,
    register: String,
}

/// The search before registering, then the form.
struct Search {
    q: String,
    matches: Option<Vec<KnownPerson>>,
    register: bool,
}

fn form_page(nav: Nav, form: CaseForm, errors: Vec<FieldError>) -> Response {
    let search = Search {
        q: String::new(),
        matches: None,
        register: true,
    };
    search_page(nav, form, errors, search)
}

fn search_page(nav: Nav, form: CaseForm, errors: Vec<FieldError>, search: Search) -> Response {
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
        nav,
        form,
        errors,
        sexes,
        case_types,
        stages,
        q: search.q,
        matches: search.matches,
        register: search.register,
    });
    *res.status_mut() = status;
    res
}

/// "New case" looks for the person first among the organisation's own records (by name, in
/// any script and word order), so a known person is not registered twice; "none of these"
/// opens the form with the name typed. Only the actor's organisation is searched: the answer
/// for someone another organisation holds is the answer for nobody.
pub async fn new_form(
    State(state): State<AppState>,
    s: UiSession,
    query: Result<Query<NewCaseQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    if !nav.creates_cases {
        // A form that would fail on submit is not shown: the refusal says why at once.
        return Err(WebError::forbidden(passage_core::DenyReason::NoGrant));
    }
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let q: String = query.q.trim().chars().take(200).collect();
    let matches = if q.is_empty() {
        None
    } else {
        Some(
            state
                .store
                .cases_named(&s.session.actor, &q, NameSearch::OwnOrganisation)
                .await?
                .into_iter()
                .map(|c| KnownPerson {
                    case_id: c.id,
                    name: c.person_name,
                    types: nav.labels("case_type", &c.types),
                    status: nav.label("case_status", c.status.as_str()),
                    opened: nav.when(c.created_at),
                })
                .collect::<Vec<_>>(),
        )
    };
    let register = !query.register.is_empty() || matches.as_ref().is_some_and(Vec::is_empty);
    // The name searched fills the form: first word given name, the rest family name.
    let mut form = CaseForm::default();
    if register {
        let mut words = q.split_whitespace();
        form.given_name = words.next().unwrap_or_default().to_string();
        form.family_name = words.collect::<Vec<_>>().join(" ");
    }
    let search = Search {
        q,
        matches,
        register,
    };
    Ok(search_page(nav, form, Vec::new(), search))
}

pub async fn create(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<CaseForm>,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let raw_person = RawPerson {
        given_name: form.given_name.clone(),
        family_name: form.family_name.clone(),
        date_of_birth: Some(form.date_of_birth.clone()),
        sex: Some(form.sex.clone()),
        citizenships: Some(
            form.citizenships
                .iter()
                .flat_map(|c| c.split([' ', ',']))
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
    Ok(crate::kit::done(&format!("/cases/{case_id}"), "saved"))
}

crate::form_body!(CaseForm);
