//! The directory's pages. Staff: `/directory` (search by type, country and language; capacity
//! with how fresh it is, "full" in words) and `/directory/mine` (the organisation's own
//! services: capacity kept current in two clicks, entries added and changed by administrators
//! and supervisors). Public: `/services`, the service finder: no sign-in, no script needed, in
//! the public languages, entries the providers marked public, never a confidential address.

use super::types::ServiceQuery;
use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use passage_core::policy::Principal;
use passage_core::services::{
    AgeGroup, DirectoryAction, RawService, ServedSex, ServiceKind, directory_access,
};
use passage_store::Authority;
use passage_store::directory::{DirectoryQuery, DirectoryService};
use uuid::Uuid;

/// A figure older than this is marked as possibly out of date.
const STALE_MS: i64 = 48 * 3_600_000;

/// (value, label, selected) of a list.
type Choice = (String, String, bool);

fn kinds(label: impl Fn(&str) -> String, selected: &str) -> Vec<Choice> {
    ServiceKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                label(k.as_str()),
                k.as_str() == selected,
            )
        })
        .collect()
}

fn named(all: &[(&str, &str)], selected: &[&str]) -> Vec<Choice> {
    all.iter()
        .map(|(c, n)| (c.to_string(), n.to_string(), selected.contains(c)))
        .collect()
}

/// The page's filters as typed; a value that names nothing is no filter.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct Filters {
    #[serde(rename = "type")]
    kind: String,
    country: String,
    language: String,
}

impl Filters {
    fn query(&self) -> DirectoryQuery {
        let some = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
        let q = ServiceQuery {
            kind: some(&self.kind),
            country: some(&self.country),
            language: some(&self.language),
        };
        q.parse().unwrap_or_default()
    }
}

/// One entry as a row of the directory.
pub struct Row {
    id: String,
    name: String,
    organisation: String,
    kind: String,
    description: String,
    place: String,
    languages: String,
    eligibility: String,
    hours: String,
    contact: String,
    address: String,
    /// "3 of 12 places free", or "no figure given".
    places: String,
    full: bool,
    /// When the figure was given, and whether it may be out of date.
    fresh: String,
    stale: bool,
    // Capacity form values.
    free: String,
    total: String,
    capacity_version: i64,
    public: bool,
    /// Within how many hours referrals are answered.
    answer_hours: i64,
}

/// What a page needs to write an entry: its labels in the page language.
struct Words<'a> {
    t: &'a dyn Fn(&str) -> String,
    t1: &'a dyn Fn(&str, &str, String) -> String,
    country: &'a dyn Fn(&str) -> String,
    language: &'a dyn Fn(&str) -> String,
    when: &'a dyn Fn(i64) -> String,
    now: i64,
    prefix: &'static str,
}

fn row(s: DirectoryService, w: &Words<'_>) -> Row {
    let p = w.prefix;
    let mut place = vec![(w.country)(s.country.as_str())];
    place.extend(s.regions.iter().cloned());
    place.extend(s.other_countries.iter().map(|c| (w.country)(c.as_str())));
    let mut eligibility = vec![
        (w.t)(&format!("v-service_sex-{}", s.eligibility_sex.as_str())),
        (w.t)(&format!("v-service_ages-{}", s.eligibility_ages.as_str())),
    ];
    if s.status_blind {
        eligibility.push((w.t)(&format!("{p}status-blind")));
    }
    let (places, full, fresh, stale, free, total, version) = match s.capacity {
        Some(c) => (
            if c.full {
                (w.t1)(&format!("{p}places-full"), "total", c.total.to_string())
            } else {
                format!(
                    "{} / {}",
                    (w.t1)(&format!("{p}places-free"), "free", c.free.to_string()),
                    c.total
                )
            },
            c.full,
            (w.t1)(&format!("{p}updated"), "when", (w.when)(c.updated_at)),
            w.now - c.updated_at > STALE_MS,
            c.free.to_string(),
            c.total.to_string(),
            c.version,
        ),
        None => (
            (w.t)(&format!("{p}places-none")),
            false,
            String::new(),
            false,
            String::new(),
            String::new(),
            0,
        ),
    };
    Row {
        id: s.id.to_string(),
        name: s.name,
        organisation: s.organisation_name,
        kind: (w.t)(&format!("v-service_kind-{}", s.kind.as_str())),
        description: s.description.unwrap_or_default(),
        place: place.join(", "),
        languages: s
            .languages
            .iter()
            .map(|l| (w.language)(l))
            .collect::<Vec<_>>()
            .join(", "),
        eligibility: eligibility.join(" · "),
        hours: s.hours.unwrap_or_default(),
        contact: s.contact.unwrap_or_default(),
        address: s.address.unwrap_or_default(),
        places,
        full,
        fresh,
        stale,
        free,
        total,
        capacity_version: version,
        public: s.public,
        answer_hours: s.answer_hours,
    }
}

fn staff_rows(nav: &Nav, found: Vec<DirectoryService>) -> Vec<Row> {
    let t = |id: &str| nav.t(id);
    let t1 = |id: &str, name: &str, v: String| nav.t1(id, name, v);
    let country = |c: &str| nav.country(c);
    let language = |l: &str| nav.language(l);
    let when = |ms: i64| nav.when(ms);
    let w = Words {
        t: &t,
        t1: &t1,
        country: &country,
        language: &language,
        when: &when,
        now: nav.now,
        prefix: "staff-directory-",
    };
    found.into_iter().map(|s| row(s, &w)).collect()
}

// ------------------------------------------------------------------ the staff directory

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    nav: Nav,
    kinds: Vec<Choice>,
    countries: Vec<Choice>,
    languages: Vec<Choice>,
    rows: Vec<Row>,
    searched: bool,
}

pub async fn directory(
    State(state): State<AppState>,
    s: UiSession,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    let found = state
        .store
        .service_directory(&s.session.actor, &f.query())
        .await?;
    let nav = Nav::of(&state, &s).await?;
    let rows = staff_rows(&nav, found);
    Ok(page(&DirectoryPage {
        kinds: kinds(|k| nav.label("service_kind", k), &f.kind),
        countries: named(nav.countries(), &[f.country.as_str()]),
        languages: named(nav.languages_named(), &[f.language.as_str()]),
        rows,
        searched: !(f.kind.is_empty() && f.country.is_empty() && f.language.is_empty()),
        nav,
    }))
}

// ------------------------------------------------------------------ the organisation's own

#[derive(Template)]
#[template(path = "directory_mine.html")]
struct MinePage {
    nav: Nav,
    rows: Vec<Row>,
    manages: bool,
    keeps_capacity: bool,
    errors: Vec<UiError>,
}

fn may(who: &Principal, action: DirectoryAction) -> bool {
    directory_access(who, action, who.org_id).is_ok()
}

async fn mine_page(
    state: &AppState,
    s: &UiSession,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let found = state
        .store
        .service_directory(
            actor,
            &DirectoryQuery {
                organisation: Some(actor.org_id()),
                ..Default::default()
            },
        )
        .await?;
    let nav = Nav::of(state, s).await?;
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&MinePage {
            rows: staff_rows(&nav, found),
            manages: may(actor.principal(), DirectoryAction::Manage),
            keeps_capacity: may(actor.principal(), DirectoryAction::UpdateCapacity),
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn mine(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    mine_page(&state, &s, Vec::new()).await
}

/// A capacity figure as posted: free and total prefilled, the version they were read at.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CapacityForm {
    free: String,
    total: String,
    version: String,
}

/// Saves the free places: the number field is prefilled, so a change is one edit and Save; a
/// place taken or freed is one button.
pub async fn capacity(
    State(state): State<AppState>,
    Ids((id, step)): Ids<(Uuid, String)>,
    StaffForm(s, form): StaffForm<CapacityForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let result = match step.as_str() {
        "set" => match passage_core::services::Capacity::check(&form.free, &form.total) {
            Ok(capacity) => {
                state
                    .store
                    .set_service_capacity(
                        actor,
                        id,
                        capacity,
                        crate::kit::form::version_opt(&form.version),
                    )
                    .await
            }
            Err(p) => Err(passage_store::StoreError::Invalid(p)),
        },
        "taken" => state.store.adjust_service_capacity(actor, id, -1).await,
        "freed" => state.store.adjust_service_capacity(actor, id, 1).await,
        _ => return Err(WebError::not_found()),
    };
    match result {
        Ok(_) => Ok(done(&format!("/directory/mine#service-{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |field| format!("{field}-{id}"))?;
            mine_page(&state, &s, errors).await
        }
    }
}

/// The answer time as posted.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswerHoursForm {
    answer_hours: String,
}

/// Sets within how many hours the service answers a referral (the overdue reminder's clock):
/// one number and Save, for those who manage the organisation's entries.
pub async fn answer_hours(
    State(state): State<AppState>,
    Ids(id): Ids<Uuid>,
    StaffForm(s, form): StaffForm<AnswerHoursForm>,
) -> Result<Response, WebError> {
    let result = match form.answer_hours.trim().parse::<i64>() {
        Ok(hours) => {
            state
                .store
                .set_answer_hours(&s.session.actor, id, hours)
                .await
        }
        Err(_) => Err(passage_store::StoreError::invalid(
            "answer_hours",
            passage_core::ErrorCode::InvalidValue,
            "a whole number of hours between 1 and 720",
        )),
    };
    match result {
        Ok(()) => Ok(done(&format!("/directory/mine#service-{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |field| format!("{field}-{id}"))?;
            mine_page(&state, &s, errors).await
        }
    }
}

// ------------------------------------------------------------------ adding and changing

/// An entry as posted by the form.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    description: String,
    country: String,
    other_countries: Vec<String>,
    /// One per line.
    regions: String,
    languages: Vec<String>,
    sex: String,
    ages: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    status_blind: bool,
    hours: String,
    contact: String,
    address: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    address_public: bool,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    public: bool,
    version: String,
}
crate::form_body!(ServiceForm, CapacityForm, AnswerHoursForm);

impl ServiceForm {
    fn raw(&self) -> RawService {
        RawService {
            name: self.name.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            country: self.country.clone(),
            other_countries: self.other_countries.clone(),
            regions: self
                .regions
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            languages: self.languages.clone(),
            sex: self.sex.clone(),
            ages: self.ages.clone(),
            status_blind: self.status_blind,
            hours: self.hours.clone(),
            contact: self.contact.clone(),
            address: self.address.clone(),
            address_public: self.address_public,
            public: self.public,
        }
    }

    fn of(s: DirectoryService) -> ServiceForm {
        ServiceForm {
            name: s.name,
            kind: s.kind.as_str().into(),
            description: s.description.unwrap_or_default(),
            country: s.country.as_str().into(),
            other_countries: s
                .other_countries
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            regions: s.regions.join("\n"),
            languages: s.languages,
            sex: s.eligibility_sex.as_str().into(),
            ages: s.eligibility_ages.as_str().into(),
            status_blind: s.status_blind,
            hours: s.hours.unwrap_or_default(),
            contact: s.contact.unwrap_or_default(),
            address: s.address.unwrap_or_default(),
            address_public: s.address_public,
            public: s.public,
            version: s.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "directory_form.html")]
struct FormPage {
    nav: Nav,
    /// Where the form posts: `/directory/new` or `/directory/{id}/edit`.
    action: String,
    editing: bool,
    form: ServiceForm,
    kinds: Vec<Choice>,
    countries: Vec<Choice>,
    other_countries: Vec<Choice>,
    languages: Vec<Choice>,
    sexes: Vec<Choice>,
    ages: Vec<Choice>,
    errors: Vec<UiError>,
}

async fn form_page(
    state: &AppState,
    s: &UiSession,
    action: String,
    form: ServiceForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let others: Vec<&str> = form.other_countries.iter().map(String::as_str).collect();
    let langs: Vec<&str> = form.languages.iter().map(String::as_str).collect();
    let country = form.country.clone();
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&FormPage {
            editing: action != "/directory/new",
            action,
            kinds: kinds(|k| nav.label("service_kind", k), &form.kind),
            countries: named(nav.countries(), &[country.as_str()]),
            other_countries: named(nav.countries(), &others),
            languages: named(nav.languages_named(), &langs),
            sexes: ServedSex::ALL
                .iter()
                .map(|v| {
                    (
                        v.as_str().into(),
                        nav.label("service_sex", v.as_str()),
                        v.as_str() == form.sex,
                    )
                })
                .collect(),
            ages: AgeGroup::ALL
                .iter()
                .map(|v| {
                    (
                        v.as_str().into(),
                        nav.label("service_ages", v.as_str()),
                        v.as_str() == form.ages,
                    )
                })
                .collect(),
            form,
            errors,
            nav,
        }),
        has_errors,
    ))
}

fn anchor(field: &str) -> String {
    format!("svc-{field}")
}

pub async fn new_form(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let me = s.session.actor.principal().clone();
    if let Err(reason) = directory_access(&me, DirectoryAction::Manage, me.org_id) {
        return Err(WebError::forbidden(reason));
    }
    form_page(
        &state,
        &s,
        "/directory/new".into(),
        ServiceForm::default(),
        Vec::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<ServiceForm>,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    let org = actor.org_id();
    match state
        .store
        .create_service_entry(&Authority::User(actor), org, &form.raw())
        .await
    {
        Ok(entry) => Ok(done(
            &format!("/directory/mine#service-{}", entry.id),
            "saved",
        )),
        Err(e) => {
            let errors = ui_errors(e, anchor)?;
            form_page(&state, &s, "/directory/new".into(), form, errors).await
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Id(id): Id,
    s: UiSession,
) -> Result<Response, WebError> {
    let entry = state.store.service_entry(&s.session.actor, id).await?;
    let me = s.session.actor.principal();
    if let Err(reason) = directory_access(me, DirectoryAction::Manage, entry.organisation_id) {
        return Err(WebError::forbidden(reason));
    }
    form_page(
        &state,
        &s,
        format!("/directory/{id}/edit"),
        ServiceForm::of(entry),
        Vec::new(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<ServiceForm>,
) -> Result<Response, WebError> {
    let version = crate::kit::form::version(&form.version)?;
    match state
        .store
        .update_service_entry(&s.session.actor, id, version, &form.raw())
        .await
    {
        Ok(_) => Ok(done(&format!("/directory/mine#service-{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, anchor)?;
            form_page(&state, &s, format!("/directory/{id}/edit"), form, errors).await
        }
    }
}

// ------------------------------------------------------------------ the public finder

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PublicFilters {
    lang: Option<String>,
    #[serde(flatten)]
    filters: Filters,
}

#[derive(Template)]
#[template(path = "services_public.html")]
struct FinderPage {
    p: crate::intake::PublicPage,
    kinds: Vec<Choice>,
    countries: Vec<Choice>,
    languages: Vec<Choice>,
    rows: Vec<Row>,
    searched: bool,
}

pub async fn finder(
    State(state): State<AppState>,
    Query(q): Query<PublicFilters>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let p = crate::intake::PublicPage::new(&state, "/services", q.lang.as_deref(), &headers);
    let f = q.filters;
    let found = state.store.public_service_directory(&f.query()).await?;
    let lang = p.lang.clone();
    let t = |id: &str| p.t(id);
    let t1 = |id: &str, name: &str, v: String| p.t1(id, name, v);
    let country = |c: &str| {
        crate::names::country_name(&lang, c).map_or_else(|| c.to_string(), str::to_string)
    };
    let language = |l: &str| {
        crate::names::language_name(&lang, l).map_or_else(|| l.to_string(), str::to_string)
    };
    let when = crate::kit::when;
    let w = Words {
        t: &t,
        t1: &t1,
        country: &country,
        language: &language,
        when: &when,
        now: state.store.clock().now_ms(),
        prefix: "finder-",
    };
    let rows: Vec<Row> = found.into_iter().map(|s| row(s, &w)).collect();
    let page_kinds = kinds(|k| p.t(&format!("v-service_kind-{k}")), &f.kind);
    let countries = named(p.countries(), &[f.country.as_str()]);
    let languages = named(crate::names::languages(&lang), &[f.language.as_str()]);
    let searched = !(f.kind.is_empty() && f.country.is_empty() && f.language.is_empty());
    Ok(crate::intake::render_public(
        &FinderPage {
            p,
            kinds: page_kinds,
            countries,
            languages,
            rows,
            searched,
        },
        axum::http::StatusCode::OK,
        &lang,
    ))
}
