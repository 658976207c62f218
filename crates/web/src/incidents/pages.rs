//! Incidents' pages, for staff of organisations that record them: `/incidents` (the
//! organisation's list, filtered by country and days), `/incidents/new` (the form with every
//! field, opened prefilled from a public report or for a monitoring visit) and
//! `/incidents/{id}` (one incident: verification by a supervisor, the link to a case or person
//! of the organisation). Vocabulary values are shown by their labels.

use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors, with_status};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::Country;
use passage_core::monitoring::IncidentAction;
use passage_core::monitoring::incidents::{
    BiasMotive, IncidentKind, IncidentSource, PerpetratorType, PlaceType, RawAffected, RawIncident,
    Verification,
};
use passage_core::monitoring::regions::regions_of;
use passage_core::monitoring::views::RawFilter;
use passage_store::monitoring::incidents::{IncidentOrigin, IncidentSummary, LinkTarget};
use passage_store::{Authority, Store, StoreError};

use super::pages_kit::{Choice, choices, countries};

/// The regions of every country with a list, grouped by country: (country name, regions).
fn region_groups(nav: &Nav, chosen: &str) -> Vec<(String, Vec<Choice>)> {
    ["GB", "PH"]
        .iter()
        .filter_map(|c| Country::parse(c))
        .map(|c| {
            (
                nav.country(c.as_str()),
                regions_of(c)
                    .iter()
                    .map(|r| {
                        (
                            r.code.to_string(),
                            nav.label("region", r.code),
                            r.code == chosen,
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

// ------------------------------------------------------------------ the list

/// The list's filters as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ListFilter {
    country: String,
    from: String,
    to: String,
}

/// An incident as a row of the list.
pub struct Row {
    id: String,
    occurred_on: String,
    place: String,
    kinds: String,
    affected: u32,
    verification: String,
}

fn where_of(nav: &Nav, i: &IncidentSummary) -> String {
    let country = nav.country(i.country.as_str());
    match &i.region {
        Some(r) => format!("{} · {}", nav.label("region", r), country),
        None => country,
    }
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage {
    nav: Nav,
    rows: Vec<Row>,
    countries: Vec<Choice>,
    from: String,
    to: String,
    errors: Vec<UiError>,
    records_visits: bool,
}

pub async fn list(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<ListFilter>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    state
        .store
        .incident_firewall(actor, IncidentAction::Read)
        .await?;
    let raw = RawFilter {
        country: q.country.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let (found, errors) = match raw.validate() {
        Ok(f) => (state.store.incidents(actor, &f).await?, Vec::new()),
        Err(p) => (
            Vec::new(),
            ui_errors(StoreError::Invalid(p), |f| format!("filter-{f}"))?,
        ),
    };
    let nav = Nav::of(&state, &s).await?;
    let rows = found
        .iter()
        .map(|i| Row {
            id: i.id.to_string(),
            occurred_on: i.occurred_on.clone(),
            place: format!(
                "{} · {}",
                where_of(&nav, i),
                nav.label("place_type", i.place_type.as_str())
            ),
            kinds: nav.labels(
                "incident_kind",
                &i.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            ),
            affected: i.affected.bands().iter().map(|(_, n)| n).sum(),
            verification: nav.label("verification", i.verification.as_str()),
        })
        .collect();
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&ListPage {
            rows,
            countries: countries(&nav, &q.country),
            from: q.from,
            to: q.to,
            errors,
            records_visits: Store::may_incident(actor, IncidentAction::Record),
            nav,
        }),
        has_errors,
    ))
}

// ------------------------------------------------------------------ the form

/// The incident form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct IncidentForm {
    occurred_on: String,
    country: String,
    region: String,
    place_type: String,
    kinds: Vec<String>,
    bias_motives: Vec<String>,
    perpetrator_type: String,
    women: String,
    men: String,
    girls: String,
    boys: String,
    unknown: String,
    source: String,
    narrative: String,
    report_id: String,
    visit_id: String,
}
crate::form_body!(IncidentForm);

impl IncidentForm {
    fn raw(&self) -> RawIncident {
        RawIncident {
            occurred_on: self.occurred_on.clone(),
            country: self.country.clone(),
            region: self.region.clone(),
            place_type: self.place_type.clone(),
            kinds: self.kinds.clone(),
            bias_motives: self.bias_motives.clone(),
            perpetrator_type: self.perpetrator_type.clone(),
            affected: RawAffected {
                women: self.women.clone(),
                men: self.men.clone(),
                girls: self.girls.clone(),
                boys: self.boys.clone(),
                unknown: self.unknown.clone(),
            },
            source: self.source.clone(),
            narrative: self.narrative.clone(),
        }
    }
}

fn anchor(field: &str) -> String {
    format!("incident-{}", field.replace('.', "-"))
}

#[derive(Template)]
#[template(path = "incident_new.html")]
struct FormPage {
    nav: Nav,
    form: IncidentForm,
    countries: Vec<Choice>,
    regions: Vec<(String, Vec<Choice>)>,
    places: Vec<Choice>,
    kinds: Vec<Choice>,
    motives: Vec<Choice>,
    perpetrators: Vec<Choice>,
    sources: Vec<Choice>,
    /// (band, label) of each count of people affected.
    bands: Vec<(&'static str, String, String)>,
    errors: Vec<UiError>,
}

async fn form_page(
    state: &AppState,
    s: &UiSession,
    form: IncidentForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let has_errors = !errors.is_empty();
    let one = |v: &String| std::slice::from_ref(v).to_vec();
    Ok(again(
        page(&FormPage {
            countries: countries(&nav, &form.country),
            regions: region_groups(&nav, &form.region),
            places: choices(
                PlaceType::ALL,
                PlaceType::as_str,
                |v| nav.label("place_type", v),
                &one(&form.place_type),
            ),
            kinds: choices(
                IncidentKind::ALL,
                IncidentKind::as_str,
                |v| nav.label("incident_kind", v),
                &form.kinds,
            ),
            motives: choices(
                BiasMotive::ALL,
                BiasMotive::as_str,
                |v| nav.label("bias_motive", v),
                &form.bias_motives,
            ),
            perpetrators: choices(
                PerpetratorType::ALL,
                PerpetratorType::as_str,
                |v| nav.label("perpetrator_type", v),
                &one(&form.perpetrator_type),
            ),
            sources: choices(
                IncidentSource::ALL,
                IncidentSource::as_str,
                |v| nav.label("incident_source", v),
                &one(&form.source),
            ),
            bands: vec![
                ("women", nav.t("incidents-women"), form.women.clone()),
                ("men", nav.t("incidents-men"), form.men.clone()),
                ("girls", nav.t("incidents-girls"), form.girls.clone()),
                ("boys", nav.t("incidents-boys"), form.boys.clone()),
                ("unknown", nav.t("incidents-unknown"), form.unknown.clone()),
            ],
            form,
            errors,
            nav,
        }),
        has_errors,
    ))
}

/// Where the form comes from: a public report, or a monitoring visit.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct NewQuery {
    report: String,
    visit: String,
}

fn id_of(typed: &str) -> Result<Option<uuid::Uuid>, WebError> {
    match typed.trim() {
        "" => Ok(None),
        t => uuid::Uuid::parse_str(t)
            .map(Some)
            .map_err(|_| StoreError::NotFound.into()),
    }
}

pub async fn new(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    state
        .store
        .incident_firewall(actor, IncidentAction::Record)
        .await?;
    let mut form = IncidentForm::default();
    if let Some(report) = id_of(&q.report)? {
        let draft = state.store.incident_draft(actor, report).await?;
        form.country = draft.country.unwrap_or_default();
        form.narrative = draft.narrative;
        form.source = draft.source.as_str().to_string();
        form.report_id = report.to_string();
    }
    if let Some(visit) = id_of(&q.visit)? {
        state.store.monitoring_visit(actor, visit).await?;
        form.source = IncidentSource::Monitor.as_str().to_string();
        form.visit_id = visit.to_string();
    }
    form_page(&state, &s, form, Vec::new()).await
}

pub async fn record(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<IncidentForm>,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    state
        .store
        .incident_firewall(&actor, IncidentAction::Record)
        .await?;
    let origin = IncidentOrigin {
        report_id: id_of(&form.report_id)?,
        visit_id: id_of(&form.visit_id)?,
    };
    let org = actor.org_id();
    match state
        .store
        .record_incident(&Authority::User(actor), org, &form.raw(), origin)
        .await
    {
        Ok(id) => Ok(done(&format!("/incidents/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, anchor)?;
            form_page(&state, &s, form, errors).await
        }
    }
}

// ------------------------------------------------------------------ one incident

#[derive(Template)]
#[template(path = "incident.html")]
struct ShowPage {
    nav: Nav,
    id: String,
    occurred_on: String,
    place: String,
    place_type: String,
    kinds: String,
    motives: String,
    perpetrator: String,
    bands: Vec<(String, u32)>,
    source: String,
    verification: String,
    narrative: String,
    /// The case or person it is linked to: (href, label).
    link: Option<(String, String)>,
    report_id: Option<String>,
    visit_id: Option<String>,
    /// A supervisor of the organisation: the verification form.
    verifies: bool,
    statuses: Vec<Choice>,
    errors: Vec<UiError>,
}

async fn show_page(
    state: &AppState,
    s: &UiSession,
    id: uuid::Uuid,
    errors: Vec<UiError>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let v = state.store.incident(actor, id).await?;
    let nav = Nav::of(state, s).await?;
    let i = &v.summary;
    let link = v.link.map(|l| match l {
        LinkTarget::Case(c) => (format!("/cases/{c}"), nav.t("incidents-linked-case")),
        LinkTarget::Person(p) => (String::new(), nav.t1("incidents-linked-person", "id", p)),
    });
    let none = nav.t("incidents-none");
    let listed = |kind: &str, v: Vec<&str>| {
        if v.is_empty() {
            none.clone()
        } else {
            nav.labels(kind, &v)
        }
    };
    let res = page(&ShowPage {
        id: id.to_string(),
        occurred_on: i.occurred_on.clone(),
        place: where_of(&nav, i),
        place_type: nav.label("place_type", i.place_type.as_str()),
        kinds: listed(
            "incident_kind",
            i.kinds.iter().map(|k| k.as_str()).collect(),
        ),
        motives: listed(
            "bias_motive",
            i.bias_motives.iter().map(|k| k.as_str()).collect(),
        ),
        perpetrator: i
            .perpetrator_type
            .map(|p| nav.label("perpetrator_type", p.as_str()))
            .unwrap_or_else(|| none.clone()),
        bands: i
            .affected
            .bands()
            .iter()
            .map(|(b, n)| (nav.t(&format!("incidents-{b}")), *n))
            .collect(),
        source: nav.label("incident_source", i.source.as_str()),
        verification: nav.label("verification", i.verification.as_str()),
        narrative: v.narrative.clone(),
        link,
        report_id: v.report_id.map(|r| r.to_string()),
        visit_id: v.visit_id.map(|r| r.to_string()),
        verifies: Store::may_incident(actor, IncidentAction::Verify),
        statuses: choices(
            Verification::ALL,
            Verification::as_str,
            |x| nav.label("verification", x),
            &[i.verification.as_str().to_string()],
        ),
        errors,
        nav,
    });
    Ok(with_status(res, status))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    show_page(&state, &s, id, Vec::new(), StatusCode::OK).await
}

/// The verification form.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct VerifyForm {
    status: String,
}
crate::form_body!(VerifyForm);

pub async fn verify(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<VerifyForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let result = match super::types::verification_of(&form.status) {
        Ok(status) => state.store.verify_incident(actor, id, status).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(&format!("/incidents/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |_| "verify-status".to_string())?;
            show_page(&state, &s, id, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// The link form: a case's id (or a person's).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkForm {
    case_id: String,
    person_id: String,
}
crate::form_body!(LinkForm);

pub async fn link(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<LinkForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let input = super::types::LinkInput {
        case_id: Some(form.case_id),
        person_id: Some(form.person_id),
    };
    let result = match input.target() {
        Ok(target) => state.store.link_incident(actor, id, target).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(&format!("/incidents/{id}"), "saved")),
        // A case that is not the organisation's reads as one that does not exist: the page
        // says so and answers 404, as for a missing one.
        Err(StoreError::NotFound) => {
            // The incident itself must still be the reader's: its page answers 404 otherwise.
            let errors = vec![UiError {
                anchor: "link-case_id".to_string(),
                message: "No case of your organisation has this id.".to_string(),
                code: Some(("case_id".to_string(), passage_core::ErrorCode::UnknownCase)),
            }];
            show_page(&state, &s, id, errors, StatusCode::NOT_FOUND).await
        }
        Err(e) => {
            let errors = ui_errors(e, |f| format!("link-{f}"))?;
            show_page(&state, &s, id, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn unlink(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, _): StaffForm<crate::kit::form::Button>,
) -> Result<Response, WebError> {
    state.store.unlink_incident(&s.session.actor, id).await?;
    Ok(done(&format!("/incidents/{id}"), "saved"))
}
