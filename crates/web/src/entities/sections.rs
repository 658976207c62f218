//! A record's "Employer / recruiter" section: the entities a case, a report, a held identity
//! document or a screening names, the name the record gave matched against the register and
//! offered for confirmation (never linked by itself), and a link made by mistake removed by the
//! organisation that made it.

use super::pages::*;
use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::labour::entities::{EntityAction, LinkRole, LinkedRecord, RawEntity};
use passage_store::{Authority, Store, StoreError};
use uuid::Uuid;

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
