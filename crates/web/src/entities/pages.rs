//! The register's pages. Staff: `/entities` (search by name or licence number, add an entity),
//! `/entities/{id}` (licence, sector, workplaces, confirmed sanctions, the network's complaint
//! counts by category withheld under k, and the reader's own organisation's links; licence,
//! sanction, workplace, merge and unmerge forms for those who may), and the "Employer /
//! recruiter" section of a case (`/cases/{id}/entities`) and of a report
//! (`/reports/{id}/entities`): the name the record gave is matched against the register and
//! offered for confirmation, never linked by itself. Public: `/recruiters`, the recruiter
//! check, in the public languages, without a script.

use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use passage_core::labour::entities::{
    EntityAction, EntityKind, LinkRole, LinkedRecord, RawEntity, RawLicence, RawSanction, Sector,
};
use passage_store::labour::entities::EntitySummary;
use passage_store::{Authority, Store, StoreError};
use uuid::Uuid;

/// (value, label, selected) of a list.
type Choice = (String, String, bool);

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: impl Fn(&str) -> String,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| (name(*v).to_string(), label(name(*v)), name(*v) == selected))
        .collect()
}

fn countries(nav: &Nav, selected: &str) -> Vec<Choice> {
    nav.countries()
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string(), *c == selected))
        .collect()
}

/// One entity as a row of a search.
pub struct Row {
    id: String,
    name: String,
    kind: String,
    country: String,
    licence: String,
    licence_number: String,
    complaints: String,
}

fn row(nav: &Nav, e: EntitySummary) -> Row {
    Row {
        id: e.id.to_string(),
        name: e.name,
        kind: nav.label("entity_kind", e.kind.as_str()),
        country: nav.country(e.country.as_str()),
        licence: nav.label("licence_status", e.licence_status.as_str()),
        licence_number: e.licence_number.unwrap_or_default(),
        complaints: complaints(nav, e.complaints),
    }
}

fn complaints(nav: &Nav, n: Option<u64>) -> String {
    match n {
        Some(n) => n.to_string(),
        None => nav.t1(
            "entities-under-k",
            "k",
            passage_core::stats::DEFAULT_MIN_CELL,
        ),
    }
}

/// The form that adds an entity, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct EntityForm {
    name: String,
    kind: String,
    country: String,
    licence_number: String,
    sector: String,
    /// On a case's or report's page: the role the new entity is named in.
    role: String,
}

/// A search.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct Search {
    q: String,
}

/// What the add form needs.
struct AddForm {
    form: EntityForm,
    kinds: Vec<Choice>,
    countries: Vec<Choice>,
    sectors: Vec<Choice>,
}

fn add_form(nav: &Nav, form: EntityForm) -> AddForm {
    AddForm {
        kinds: choices(
            EntityKind::ALL,
            EntityKind::as_str,
            |k| nav.label("entity_kind", k),
            &form.kind,
        ),
        countries: countries(nav, &form.country),
        sectors: choices(
            Sector::ALL,
            Sector::as_str,
            |s| format!("{s} · {}", nav.label("sector", s)),
            &form.sector,
        ),
        form,
    }
}

impl EntityForm {
    fn raw(&self) -> RawEntity {
        RawEntity {
            name: self.name.clone(),
            kind: self.kind.clone(),
            country: self.country.clone(),
            licence_number: self.licence_number.clone(),
            sector: self.sector.clone(),
        }
    }
}

fn anchor(field: &str) -> String {
    format!("entity-{field}")
}

// ------------------------------------------------------------------ the register

#[derive(Template)]
#[template(path = "entities.html")]
struct RegisterPage {
    nav: Nav,
    q: String,
    rows: Vec<Row>,
    add: AddForm,
    errors: Vec<UiError>,
}

async fn register_page(
    state: &AppState,
    s: &UiSession,
    q: String,
    form: EntityForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let found = state.store.search_entities(&s.session.actor, &q).await?;
    let nav = Nav::of(state, s).await?;
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&RegisterPage {
            rows: found.into_iter().map(|e| row(&nav, e)).collect(),
            add: add_form(&nav, form),
            q,
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn register(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<Search>,
) -> Result<Response, WebError> {
    register_page(&state, &s, q.q, EntityForm::default(), Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<EntityForm>,
) -> Result<Response, WebError> {
    match state
        .store
        .create_entity(&Authority::User(s.session.actor.clone()), &form.raw())
        .await
    {
        Ok(id) => Ok(done(&format!("/entities/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, anchor)?;
            register_page(&state, &s, String::new(), form, errors).await
        }
    }
}

// ------------------------------------------------------------------ one entity

/// A link of the reader's own organisation, as a line.
pub struct LinkLine {
    href: String,
    record: String,
    role: String,
    when: String,
}

#[derive(Template)]
#[template(path = "entity.html")]
struct EntityPage {
    nav: Nav,
    id: String,
    name: String,
    kind: String,
    household: bool,
    country: String,
    licence_number: String,
    licence: String,
    licence_authority: String,
    licence_date: String,
    sector: String,
    merged_into: Option<String>,
    absorbed: Vec<(String, String)>,
    workplaces: Vec<String>,
    sanctions: Vec<(String, String, String)>,
    complaints: String,
    by_category: Vec<(String, String)>,
    links: Vec<LinkLine>,
    /// Other entities alike enough to be duplicates: (id, name).
    duplicates: Vec<(String, String)>,
    statuses: Vec<Choice>,
    may_licence: bool,
    may_sanction: bool,
    may_merge: bool,
    may_write: bool,
    /// The entity's version, carried by the licence form.
    version: i64,
    /// A licence change was refused as stale: the page says what is recorded now.
    conflict: bool,
    errors: Vec<UiError>,
}

async fn entity_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let e = state.store.entity(actor, id).await?;
    let (links, cells) = state.store.entity_links(actor, id).await?;
    let may = |a| Store::may_on_entities(actor, a);
    let may_merge = may(EntityAction::Merge);
    let duplicates = if may_merge && e.merged_into.is_none() {
        state
            .store
            .search_entities(actor, &e.name)
            .await?
            .into_iter()
            .filter(|d| d.id != id)
            .map(|d| (d.id.to_string(), d.name))
            .collect()
    } else {
        Vec::new()
    };
    let nav = Nav::of(state, s).await?;
    let has_errors = !errors.is_empty();
    let conflict = errors
        .iter()
        .any(|x| matches!(x.code, Some((_, passage_core::ErrorCode::VersionConflict))));
    let status = e.licence_status.as_str();
    let version = e.version;
    Ok(again(
        page(&EntityPage {
            id: e.id.to_string(),
            name: e.name,
            kind: nav.label("entity_kind", e.kind.as_str()),
            household: e.kind == EntityKind::Household,
            country: nav.country(e.country.as_str()),
            licence_number: e.licence_number.unwrap_or_default(),
            licence: nav.label("licence_status", status),
            licence_authority: e.licence_authority.unwrap_or_default(),
            licence_date: e.licence_date.unwrap_or_default(),
            sector: e.sector.map_or_else(
                || nav.t("staff-not-recorded"),
                |x| format!("{} · {}", x.as_str(), nav.label("sector", x.as_str())),
            ),
            merged_into: e.merged_into.map(|m| m.to_string()),
            absorbed: e
                .absorbed
                .into_iter()
                .map(|(i, n)| (i.to_string(), n))
                .collect(),
            workplaces: e.workplaces,
            sanctions: e
                .sanctions
                .into_iter()
                .map(|x| (x.decided_on, x.authority, x.description))
                .collect(),
            complaints: complaints(&nav, e.complaints),
            by_category: cells
                .into_iter()
                .map(|c| (nav.label("category", &c.key), complaints(&nav, c.count)))
                .collect(),
            links: links
                .into_iter()
                .map(|l| LinkLine {
                    href: match l.record {
                        LinkedRecord::Case => format!("/cases/{}", l.record_id),
                        LinkedRecord::Report => format!("/reports/{}", l.record_id),
                        LinkedRecord::Document | LinkedRecord::Screening => String::new(),
                    },
                    record: nav.label("linked_record", l.record.as_str()),
                    role: nav.label("link_role", l.role.as_str()),
                    when: nav.when(l.created_at),
                })
                .collect(),
            duplicates,
            statuses: choices(
                passage_core::labour::entities::LicenceStatus::ALL,
                passage_core::labour::entities::LicenceStatus::as_str,
                |v| nav.label("licence_status", v),
                status,
            ),
            may_licence: may(EntityAction::UpdateLicence),
            may_sanction: may(EntityAction::ConfirmSanction),
            may_merge,
            may_write: may(EntityAction::Write),
            version,
            conflict,
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    entity_page(&state, &s, id, Vec::new()).await
}

/// Any of the entity page's forms, as posted.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StepForm {
    licence_number: String,
    licence_status: String,
    authority: String,
    decided_on: String,
    description: String,
    address: String,
    into: String,
    version: String,
}
crate::form_body!(EntityForm, StepForm);

pub async fn step(
    State(state): State<AppState>,
    Ids((id, step)): Ids<(Uuid, String)>,
    StaffForm(s, f): StaffForm<StepForm>,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    let by = Authority::User(actor.clone());
    let result = match step.as_str() {
        "licence" => match (RawLicence {
            licence_number: f.licence_number,
            status: f.licence_status,
            authority: f.authority,
            decided_on: f.decided_on,
        })
        .validate()
        {
            Ok(l) => {
                let seen = crate::kit::form::version(&f.version)?;
                state.store.update_licence(&by, id, Some(seen), &l).await
            }
            Err(p) => Err(StoreError::Invalid(p)),
        },
        "sanctions" => match (RawSanction {
            description: f.description,
            authority: f.authority,
            decided_on: f.decided_on,
        })
        .validate(state.store.clock().today())
        {
            Ok(x) => state
                .store
                .confirm_sanction(&by, actor.org_id(), id, &x)
                .await
                .map(|_| ()),
            Err(p) => Err(StoreError::Invalid(p)),
        },
        "workplaces" => state.store.add_workplace(&actor, id, &f.address).await,
        "merge" => match Uuid::parse_str(f.into.trim()) {
            // The form is on the survivor's page: the chosen duplicate is merged into it.
            Ok(other) => state.store.merge_entities(&actor, other, id).await,
            Err(_) => Err(StoreError::invalid(
                "into",
                passage_core::ErrorCode::InvalidId,
                "choose an entity",
            )),
        },
        "unmerge" => state.store.unmerge_entity(&actor, id).await,
        _ => return Err(WebError::not_found()),
    };
    match result {
        Ok(()) => Ok(done(&format!("/entities/{id}"), "saved")),
        Err(e) => {
            let conflict = matches!(e, StoreError::VersionConflict { .. });
            let errors = ui_errors(e, |field| match field {
                "version" => format!("{step}-licence_status"),
                f => format!("{step}-{f}"),
            })?;
            let res = entity_page(&state, &s, id, errors).await?;
            Ok(if conflict {
                crate::kit::form::with_status(res, axum::http::StatusCode::CONFLICT)
            } else {
                res
            })
        }
    }
}

// ------------------------------------------------------------------ a record's section

/// The record a section names entities from, with where its page lives.
#[derive(Clone, Copy)]
enum Place {
    Case(Uuid),
    Report(Uuid),
    /// A held identity document of the person of a case.
    Document {
        case: Uuid,
        doc: Uuid,
    },
    Screening(Uuid),
}

impl Place {
    fn record(self) -> LinkedRecord {
        match self {
            Place::Case(_) => LinkedRecord::Case,
            Place::Report(_) => LinkedRecord::Report,
            Place::Document { .. } => LinkedRecord::Document,
            Place::Screening(_) => LinkedRecord::Screening,
        }
    }

    fn record_id(self) -> Uuid {
        match self {
            Place::Case(id) | Place::Report(id) | Place::Screening(id) => id,
            Place::Document { doc, .. } => doc,
        }
    }

    /// Where the section's page is and its forms post.
    fn action(self) -> String {
        match self {
            Place::Case(id) => format!("/cases/{id}/entities"),
            Place::Report(id) => format!("/reports/{id}/entities"),
            Place::Document { case, doc } => {
                format!("/cases/{case}/person/documents/{doc}/entities")
            }
            Place::Screening(id) => format!("/screenings/{id}/entities"),
        }
    }

    /// The role a confirmation proposes first.
    fn default_role(self) -> &'static str {
        match self {
            Place::Document { .. } => LinkRole::DocumentHolder.as_str(),
            _ => LinkRole::Employer.as_str(),
        }
    }
}

/// One entity the record names, with the link's id for its remove button.
pub struct Named {
    link_id: String,
    entity_id: String,
    name: String,
    role: String,
}

#[derive(Template)]
#[template(path = "record_entities.html")]
struct SectionPage {
    nav: Nav,
    /// The case's id (for its tabs), when the record is a case or one of its documents.
    case_id: String,
    is_case: bool,
    title: String,
    /// The section's heading.
    heading: String,
    /// A way back to the record's own page: (href, label).
    back: Option<(String, String)>,
    /// Where the section's forms post.
    action: String,
    /// The name the record gave, as typed (sealed with the record).
    typed: String,
    q: String,
    named: Vec<Named>,
    offered: Vec<Row>,
    roles: Vec<Choice>,
    add: AddForm,
    may_write: bool,
    errors: Vec<UiError>,
}

/// The section's posts: confirm a match (`entity_id`), add the entity and name it, or remove
/// a link made by mistake (`unlink`, the link's id).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkForm {
    entity_id: String,
    role: String,
    name: String,
    kind: String,
    country: String,
    licence_number: String,
    sector: String,
    unlink: String,
}
crate::form_body!(LinkForm);

/// What the section shows of its record: (title, typed name, country, case id, back link).
type About = (
    String,
    String,
    String,
    Option<Uuid>,
    Option<(String, String)>,
);

async fn about(
    state: &AppState,
    s: &UiSession,
    nav: &Nav,
    place: Place,
) -> Result<About, WebError> {
    let actor = &s.session.actor;
    let person = |c: &passage_store::cases::CaseView| {
        format!("{} {}", c.person.given_name, c.person.family_name)
            .trim()
            .to_string()
    };
    Ok(match place {
        Place::Case(id) => {
            let c = state.store.get_case(actor, id).await?;
            let origin = state.store.case_origin(actor, id).await?;
            (
                person(&c),
                origin.employer.unwrap_or_default(),
                c.lifecycle.country.clone().unwrap_or_default(),
                Some(id),
                None,
            )
        }
        Place::Report(id) => {
            let r = state.store.get_report(actor, id).await?;
            (
                String::new(),
                r.employer.clone().unwrap_or_default(),
                r.item.country.clone().unwrap_or_default(),
                None,
                Some((format!("/reports/{id}"), nav.t("entities-back-report"))),
            )
        }
        Place::Document { case, doc } => {
            let c = state.store.get_case(actor, case).await?;
            let p = state.store.person_details(actor, c.person.id).await?;
            let Some(d) = p.documents.iter().find(|d| d.id == doc) else {
                return Err(WebError::not_found());
            };
            (
                person(&c),
                String::new(),
                d.country.clone().unwrap_or_default(),
                Some(case),
                Some((
                    format!("/cases/{case}/person#documents"),
                    nav.t("links-back-person"),
                )),
            )
        }
        Place::Screening(id) => {
            let x = state.store.screening(actor, id).await?;
            let (title, typed, country, case) = match (x.case_id, x.report_id) {
                (Some(case), _) => {
                    let c = state.store.get_case(actor, case).await?;
                    let origin = state.store.case_origin(actor, case).await?;
                    (
                        person(&c),
                        origin.employer.unwrap_or_default(),
                        c.lifecycle.country.clone().unwrap_or_default(),
                        Some(case),
                    )
                }
                (None, Some(report)) => {
                    let r = state.store.get_report(actor, report).await?;
                    (
                        String::new(),
                        r.employer.clone().unwrap_or_default(),
                        r.item.country.clone().unwrap_or_default(),
                        None,
                    )
                }
                (None, None) => return Err(WebError::not_found()),
            };
            (
                title,
                typed,
                country,
                case,
                Some((format!("/screenings/{id}"), nav.t("links-back-screening"))),
            )
        }
    })
}

async fn section(
    state: &AppState,
    s: &UiSession,
    place: Place,
    q: String,
    form: EntityForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let nav = Nav::of(state, s).await?;
    let (title, typed, country, case, back) = about(state, s, &nav, place).await?;
    let record = place.record();
    let named = state
        .store
        .record_entities(actor, record, place.record_id())
        .await?;
    let looked_for = if q.trim().is_empty() {
        typed.clone()
    } else {
        q.clone()
    };
    let offered = if looked_for.trim().is_empty() {
        Vec::new()
    } else {
        state.store.search_entities(actor, &looked_for).await?
    };
    let mut form = form;
    if form.name.is_empty() && errors.is_empty() {
        form.name = looked_for.clone();
        form.country = country;
    }
    let role = if form.role.is_empty() {
        place.default_role().to_string()
    } else {
        form.role.clone()
    };
    // Whether the record itself may be changed: a reader of a case without write sees no form.
    let may_change = match case {
        Some(c) => state.store.may_change_case(actor, c).await?,
        None => true,
    };
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&SectionPage {
            case_id: case.map(|c| c.to_string()).unwrap_or_default(),
            is_case: case.is_some(),
            title: if title.is_empty() {
                nav.t("staff-report-title")
            } else {
                title
            },
            heading: nav.t(match place {
                Place::Document { .. } => "links-holder-section",
                Place::Screening(_) => "links-involved-section",
                _ => "entities-section",
            }),
            back,
            action: place.action(),
            typed,
            q,
            named: named
                .into_iter()
                .map(|l| Named {
                    link_id: l.id.to_string(),
                    entity_id: l.entity_id.to_string(),
                    name: l.entity_name,
                    role: nav.label("link_role", l.role.as_str()),
                })
                .collect(),
            offered: offered.into_iter().map(|e| row(&nav, e)).collect(),
            roles: choices(
                LinkRole::ALL,
                LinkRole::as_str,
                |r| nav.label("link_role", r),
                &role,
            ),
            add: add_form(&nav, form),
            may_write: may_change && Store::may_on_entities(actor, EntityAction::Write),
            errors,
            nav,
        }),
        has_errors,
    ))
}

async fn link_post(
    state: &AppState,
    s: &UiSession,
    place: Place,
    f: LinkForm,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let (record, id) = (place.record(), place.record_id());
    if !f.unlink.trim().is_empty() {
        // An id that is not one is no link of this record: the same answer as another's.
        let link = Uuid::parse_str(f.unlink.trim()).map_err(|_| WebError::not_found())?;
        state.store.unlink_entity(actor, record, id, link).await?;
        return Ok(done(&place.action(), "links-removed"));
    }
    let role = LinkRole::parse(f.role.trim());
    let entity = if f.entity_id.trim().is_empty() {
        state
            .store
            .create_entity(
                &Authority::User(actor.clone()),
                &RawEntity {
                    name: f.name.clone(),
                    kind: f.kind.clone(),
                    country: f.country.clone(),
                    licence_number: f.licence_number.clone(),
                    sector: f.sector.clone(),
                },
            )
            .await
    } else {
        Uuid::parse_str(f.entity_id.trim()).map_err(|_| {
            StoreError::invalid(
                "entity_id",
                passage_core::ErrorCode::InvalidId,
                "choose an entity",
            )
        })
    };
    let result = match (entity, role) {
        (Ok(e), Some(role)) => state
            .store
            .link_entity(actor, record, id, e, role)
            .await
            .map(|_| ()),
        (Err(e), _) => Err(e),
        (_, None) => Err(StoreError::invalid(
            "role",
            passage_core::ErrorCode::UnknownValue,
            format!("role must be one of: {}", LinkRole::allowed()),
        )),
    };
    match result {
        Ok(()) => Ok(done(&place.action(), "saved")),
        Err(e) => {
            let errors = ui_errors(e, anchor)?;
            let form = EntityForm {
                name: f.name,
                kind: f.kind,
                country: f.country,
                licence_number: f.licence_number,
                sector: f.sector,
                role: f.role,
            };
            section(state, s, place, String::new(), form, errors).await
        }
    }
}

pub async fn case_section(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
    Query(q): Query<Search>,
) -> Result<Response, WebError> {
    let form = EntityForm::default();
    section(&state, &s, Place::Case(id), q.q, form, Vec::new()).await
}

pub async fn report_section(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
    Query(q): Query<Search>,
) -> Result<Response, WebError> {
    let form = EntityForm::default();
    section(&state, &s, Place::Report(id), q.q, form, Vec::new()).await
}

pub async fn document_section(
    State(state): State<AppState>,
    s: UiSession,
    Ids((case, doc)): Ids<(Uuid, Uuid)>,
    Query(q): Query<Search>,
) -> Result<Response, WebError> {
    let place = Place::Document { case, doc };
    section(&state, &s, place, q.q, EntityForm::default(), Vec::new()).await
}

pub async fn screening_section(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
    Query(q): Query<Search>,
) -> Result<Response, WebError> {
    let form = EntityForm::default();
    section(&state, &s, Place::Screening(id), q.q, form, Vec::new()).await
}

pub async fn case_link(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, f): StaffForm<LinkForm>,
) -> Result<Response, WebError> {
    link_post(&state, &s, Place::Case(id), f).await
}

pub async fn report_link(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, f): StaffForm<LinkForm>,
) -> Result<Response, WebError> {
    link_post(&state, &s, Place::Report(id), f).await
}

pub async fn document_link(
    State(state): State<AppState>,
    Ids((case, doc)): Ids<(Uuid, Uuid)>,
    StaffForm(s, f): StaffForm<LinkForm>,
) -> Result<Response, WebError> {
    link_post(&state, &s, Place::Document { case, doc }, f).await
}

pub async fn screening_link(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, f): StaffForm<LinkForm>,
) -> Result<Response, WebError> {
    link_post(&state, &s, Place::Screening(id), f).await
}

// ------------------------------------------------------------------ the public check

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PublicQuery {
    lang: Option<String>,
    q: String,
}

/// One recruiter as the public check shows it.
pub struct PublicRow {
    name: String,
    kind: String,
    country: String,
    licence_number: String,
    status: String,
    status_value: &'static str,
    authority: String,
    date: String,
    sanctions: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "recruiters_public.html")]
struct PublicCheck {
    p: crate::intake::PublicPage,
    q: String,
    rows: Vec<PublicRow>,
    searched: bool,
}

pub async fn public(
    State(state): State<AppState>,
    Query(q): Query<PublicQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let p = crate::intake::PublicPage::new(&state, "/recruiters", q.lang.as_deref(), &headers);
    let typed: String = q.q.trim().chars().take(200).collect();
    let found = state.store.public_recruiters(&typed).await?;
    let lang = p.lang.clone();
    let rows = found
        .into_iter()
        .map(|r| PublicRow {
            name: r.name,
            kind: p.t(&format!("v-entity_kind-{}", r.kind.as_str())),
            country: crate::names::country_name(&lang, r.country.as_str())
                .map_or_else(|| r.country.as_str().to_string(), str::to_string),
            licence_number: r.licence_number.unwrap_or_default(),
            status: p.t(&format!("v-licence_status-{}", r.licence_status.as_str())),
            status_value: r.licence_status.as_str(),
            authority: r.licence_authority.unwrap_or_default(),
            date: r.licence_date.unwrap_or_default(),
            sanctions: r
                .sanctions
                .into_iter()
                .map(|x| (x.decided_on, x.authority, x.description))
                .collect(),
        })
        .collect();
    Ok(crate::intake::render_public(
        &PublicCheck {
            p,
            searched: !typed.is_empty(),
            q: typed,
            rows,
        },
        axum::http::StatusCode::OK,
        &lang,
    ))
}
