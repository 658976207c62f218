//! Notes (with their confidentiality) and services delivered to a case.

use super::*;
use crate::kit::Id;

pub struct NoteRow {
    level: &'static str,
    body: String,
    author: String,
    at: String,
}

#[derive(Template)]
#[template(path = "work_notes.html")]
struct NotesPage {
    nav: Nav,
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
        Confidentiality::Normal => "staff-notes-normal",
        Confidentiality::Restricted => "staff-notes-restricted",
        Confidentiality::Sensitive => "staff-notes-sensitive",
    };
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&NotesPage {
            csrf: nav.csrf.clone(),
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
            nav,
        }),
        has_errors,
    ))
}

pub async fn notes_page(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    // On a case about violence a new note starts at the most protective level.
    let level = state
        .store
        .note_default_confidentiality(&s.session.actor, id)
        .await?;
    notes_page_with(&state, &s, id, level.as_str(), String::new(), Vec::new()).await
}

/// A note and who may read it.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct NoteForm {
    confidentiality: String,
    body: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, f): StaffForm<NoteForm>,
) -> Result<Response, WebError> {
    let (level, text) = (f.confidentiality, f.body);
    let raw = passage_core::casework::notes::RawNote {
        confidentiality: &level,
        body: &text,
    };
    let outcome = match raw.validate() {
        Ok(note) => state.store.add_note(&s.session.actor, case, note).await,
        Err(p) => Err(passage_store::StoreError::Invalid(p)),
    };
    match outcome {
        Ok(_) => Ok(done(&format!("/cases/{case}/notes"), "saved")),
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

/// A service as posted; its kind is shown apart, as the choice of a list.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    service_type: String,
    provider: String,
    delivered_on: String,
    note: String,
}
crate::form_body!(NoteForm, ServiceForm);

#[derive(Template)]
#[template(path = "work_services.html")]
struct ServicesPage {
    nav: Nav,
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
    let today = state.store.clock().today().to_string();
    let has_errors = !errors.is_empty();
    Ok(with_status(
        page(&ServicesPage {
            csrf: nav.csrf.clone(),
            case_id: case.to_string(),
            services: services
                .into_iter()
                .map(|v| ServiceRow {
                    kind: nav.label("service", v.service_type.as_str()),
                    provider: v.provider,
                    delivered_on: v.delivered_on,
                    note: v.note.unwrap_or_default(),
                })
                .collect(),
            kinds: ServiceType::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str(),
                        nav.label("service", k.as_str()),
                        k.as_str() == kind,
                    )
                })
                .collect(),
            form,
            today,
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn services_page(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    services_page_with(&state, &s, id, "", ServiceForm::default(), Vec::new()).await
}

pub async fn record_service(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, form): StaffForm<ServiceForm>,
) -> Result<Response, WebError> {
    let kind = form.service_type.clone();
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
        Ok(_) => Ok(done(&format!("/cases/{case}/services"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |field| format!("service-{field}"))?;
            services_page_with(&state, &s, case, &kind, form, errors).await
        }
    }
}
