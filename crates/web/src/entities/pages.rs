//! The register's pages. Staff: `/entities` (search by name or licence number, add an entity),
//! `/entities/{id}` (licence, sector, workplaces, confirmed sanctions, the network's complaint
//! counts by category withheld under k, and the reader's own organisation's links; licence,
//! sanction, workplace, merge and unmerge forms for those who may). A record's "Employer /
//! recruiter" section is in `sections.rs`, the public recruiter check in `public.rs`.

use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::labour::entities::{
    EntityAction, EntityKind, LinkedRecord, RawEntity, RawLicence, RawSanction, Sector,
};
use passage_store::labour::entities::EntitySummary;
use passage_store::{Authority, Store, StoreError};
use uuid::Uuid;

/// (value, label, selected) of a list.
pub(super) type Choice = (String, String, bool);

pub(super) fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: impl Fn(&str) -> String,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| (name(*v).to_string(), label(name(*v)), name(*v) == selected))
        .collect()
}

pub(super) fn countries(nav: &Nav, selected: &str) -> Vec<Choice> {
    nav.countries()
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string(), *c == selected))
        .collect()
}

/// One entity as a row of a search.
pub struct Row {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) country: String,
    pub(super) licence: String,
    pub(super) licence_number: String,
    pub(super) complaints: String,
}

pub(super) fn row(nav: &Nav, e: EntitySummary) -> Row {
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

pub(super) fn complaints(nav: &Nav, n: Option<u64>) -> String {
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
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) country: String,
    pub(super) licence_number: String,
    pub(super) sector: String,
    /// On a case's or report's page: the role the new entity is named in.
    pub(super) role: String,
}

/// A search.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct Search {
    pub(super) q: String,
}

/// What the add form needs.
pub(super) struct AddForm {
    pub(super) form: EntityForm,
    pub(super) kinds: Vec<Choice>,
    pub(super) countries: Vec<Choice>,
    pub(super) sectors: Vec<Choice>,
}

pub(super) fn add_form(nav: &Nav, form: EntityForm) -> AddForm {
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

pub(super) fn anchor(field: &str) -> String {
    format!("entity-{field}")
}

// ------------------------------------------------------------------ the register

#[derive(Template)]
#[template(path = "entities.html")]
pub(super) struct RegisterPage {
    nav: Nav,
    q: String,
    rows: Vec<Row>,
    add: AddForm,
    errors: Vec<UiError>,
}

pub(super) async fn register_page(
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
pub(super) struct EntityPage {
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

pub(super) async fn entity_page(
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
