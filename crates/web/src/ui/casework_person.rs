//! Staff pages of a case's person, consent, attachments and child protection: identity with
//! documents and who holds them, consents in force and withdrawn, file upload and download,
//! best-interests decisions with the supervisor's sign-off. Plain forms (multipart for the
//! upload), a CSRF token in each, errors summarised and linked to their fields.

use super::form::{Form, UiError, see_other};
use super::{Nav, check_csrf, page, when};
use crate::api::casework_person::{
    attachment_response, malformed_multipart, missing_file, read_body, too_large, upload_error,
    withdrawal_method,
};
use crate::api::this_year;
use crate::extract::UiSession;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{
    ContactKind, RawContact, RawDocument, RawDocumentChanges, RawPersonChanges,
};
use passage_core::casework::{
    ConsentMethod, ConsentPurpose, DocumentHolder, DocumentKind, LegalBasis, Vulnerability,
};
use passage_core::{Role, Sex};
use passage_store::StoreError;
use passage_store::cases::CaseView;
use passage_store::casework::duplicates::LinkStatus;
use passage_store::casework::person::PersonDetails;
use uuid::Uuid;

fn parse_id(text: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(text).map_err(|_| WebError::not_found())
}

fn label(s: &str) -> String {
    s.replace('_', " ")
}

fn full_name(c: &CaseView) -> String {
    format!("{} {}", c.person.given_name, c.person.family_name)
        .trim()
        .to_string()
}

/// A refusal a person can fix, as summary lines; anything else stays an error. `anchor` maps a
/// field name to the id of its input.
fn ui_errors(e: StoreError, anchor: impl Fn(&str) -> String) -> Result<Vec<UiError>, WebError> {
    match e {
        StoreError::Invalid(p) => Ok(p
            .0
            .into_iter()
            .map(|f| UiError {
                anchor: anchor(&f.field),
                message: f.message,
            })
            .collect()),
        StoreError::VersionConflict { .. } => Ok(vec![UiError {
            anchor: anchor("version"),
            message: "Someone changed this while you were editing. The form now shows the current details; apply your change again.".into(),
        }]),
        StoreError::Rule { code, message } => Ok(vec![UiError {
            anchor: anchor(code),
            message,
        }]),
        other => Err(other.into()),
    }
}

fn with_status(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}

fn error_status(errors: &[UiError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

// ---------------------------------------------------------------------------------------------
// The person

/// The identity form as shown (from the record) or as typed (after an error).
#[derive(Default)]
pub struct PersonForm {
    version: String,
    given_name: String,
    family_name: String,
    given_name_latin: String,
    family_name_latin: String,
    aliases: String,
    date_of_birth: String,
    sex: String,
    citizenships: String,
    languages: String,
    contacts: String,
    vulnerabilities: Vec<String>,
    migration_status: String,
}

impl PersonForm {
    fn of(p: &PersonDetails) -> PersonForm {
        PersonForm {
            version: p.version.to_string(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            given_name_latin: p.given_name_latin.clone().unwrap_or_default(),
            family_name_latin: p.family_name_latin.clone().unwrap_or_default(),
            aliases: p.aliases.join(", "),
            date_of_birth: p.date_of_birth.clone().unwrap_or_default(),
            sex: p.sex.clone().unwrap_or_default(),
            citizenships: p.citizenships.join(" "),
            languages: p.languages.join(" "),
            contacts: p
                .contacts
                .iter()
                .map(|c| format!("{}: {}", c.kind, c.value))
                .collect::<Vec<_>>()
                .join("\n"),
            vulnerabilities: p
                .vulnerabilities
                .iter()
                .map(|v| v.as_str().to_string())
                .collect(),
            migration_status: p.migration_status.clone().unwrap_or_default(),
        }
    }

    fn typed(f: &Form) -> PersonForm {
        PersonForm {
            version: f.get("version"),
            given_name: f.get("given_name"),
            family_name: f.get("family_name"),
            given_name_latin: f.get("given_name_latin"),
            family_name_latin: f.get("family_name_latin"),
            aliases: f.get("aliases"),
            date_of_birth: f.get("date_of_birth"),
            sex: f.get("sex"),
            citizenships: f.get("citizenships"),
            languages: f.get("languages"),
            contacts: f.get("contacts"),
            vulnerabilities: f.all("vulnerabilities"),
            migration_status: f.get("migration_status"),
        }
    }

    /// The change request: every field shown is sent (an empty one clears); the migration
    /// status only when the form showed it.
    fn raw(&self, status_allowed: bool) -> RawPersonChanges {
        let set = |v: &str| Some(Some(v.to_string()));
        let split = |v: &str, seps: &[char]| {
            Some(Some(
                v.split(seps)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            ))
        };
        RawPersonChanges {
            version: self.version.trim().parse().ok(),
            given_name: set(&self.given_name),
            family_name: set(&self.family_name),
            given_name_latin: set(&self.given_name_latin),
            family_name_latin: set(&self.family_name_latin),
            aliases: split(&self.aliases, &[',', '\n']),
            date_of_birth: set(&self.date_of_birth),
            sex: set(&self.sex),
            citizenships: split(&self.citizenships, &[' ', ',']),
            languages: split(&self.languages, &[' ', ',']),
            contacts: Some(Some(
                self.contacts
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(contact_line)
                    .collect(),
            )),
            vulnerabilities: Some(Some(self.vulnerabilities.clone())),
            migration_status: status_allowed.then(|| Some(self.migration_status.clone())),
        }
    }
}

/// `kind: value`, or a bare value whose kind is guessed (an address with @ is e-mail, mostly
/// digits a phone number, anything else other).
fn contact_line(line: &str) -> RawContact {
    if let Some((kind, value)) = line.split_once(':')
        && ContactKind::parse(kind.trim().to_ascii_lowercase().as_str()).is_some()
    {
        return RawContact {
            kind: kind.trim().to_ascii_lowercase(),
            value: value.trim().to_string(),
        };
    }
    let value = line.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let kind = if value.contains('@') {
        "email"
    } else if digits * 2 > value.chars().filter(|c| !c.is_whitespace()).count() {
        "phone"
    } else {
        "other"
    };
    RawContact {
        kind: kind.into(),
        value: value.to_string(),
    }
}

pub struct DocRow {
    id: Uuid,
    kind: String,
    number: String,
    country: String,
    held_by: String,
    indicator: bool,
    unknown: bool,
    version: i64,
    holders: Vec<(&'static str, String, bool)>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    nav: Option<Nav>,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    p: PersonDetails,
    vulnerabilities_shown: String,
    contacts_shown: Vec<String>,
    form: PersonForm,
    sexes: Vec<(&'static str, bool)>,
    vulnerability_options: Vec<(&'static str, String, bool)>,
    docs: Vec<DocRow>,
    doc_kinds: Vec<(&'static str, String)>,
    holders: Vec<(&'static str, String)>,
    doc_form: DocForm,
    link: LinkStatus,
}

#[derive(Default)]
pub struct DocForm {
    kind: String,
    number: String,
    country: String,
    held_by: String,
}

async fn person_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: Option<PersonForm>,
    doc_form: DocForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let p = state.store.person_details(actor, case.person.id).await?;
    let link = state
        .store
        .person_link_status(actor, case.person.id)
        .await?;
    let form = form.unwrap_or_else(|| PersonForm::of(&p));
    let docs = p
        .documents
        .iter()
        .map(|d| DocRow {
            id: d.id,
            kind: label(d.kind.as_str()),
            number: d.number.clone().unwrap_or_default(),
            country: d.country.clone().unwrap_or_default(),
            held_by: label(d.held_by.as_str()),
            indicator: d.key_indicator,
            unknown: d.held_by == DocumentHolder::Unknown,
            version: d.version,
            holders: DocumentHolder::ALL
                .iter()
                .map(|h| (h.as_str(), label(h.as_str()), *h == d.held_by))
                .collect(),
        })
        .collect();
    let sexes = Sex::ALL
        .iter()
        .map(|x| (x.as_str(), form.sex == x.as_str()))
        .collect();
    let vulnerability_options = Vulnerability::ALL
        .iter()
        .map(|v| {
            (
                v.as_str(),
                label(v.as_str()),
                form.vulnerabilities.iter().any(|x| x == v.as_str()),
            )
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&PersonPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            vulnerabilities_shown: p
                .vulnerabilities
                .iter()
                .map(|v| label(v.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            contacts_shown: p
                .contacts
                .iter()
                .map(|c| format!("{}: {}", c.kind, c.value))
                .collect(),
            form,
            sexes,
            vulnerability_options,
            docs,
            doc_kinds: DocumentKind::ALL
                .iter()
                .map(|k| (k.as_str(), label(k.as_str())))
                .collect(),
            holders: DocumentHolder::ALL
                .iter()
                .map(|h| (h.as_str(), label(h.as_str())))
                .collect(),
            doc_form,
            link,
            p,
        }),
        status,
    ))
}

pub async fn person(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    person_page(
        &state,
        &s,
        parse_id(&id)?,
        Vec::new(),
        None,
        DocForm::default(),
    )
    .await
}

pub async fn update_person(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case_id = parse_id(&id)?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let current = state.store.person_details(actor, case.person.id).await?;
    let typed = PersonForm::typed(&f);
    let result = match typed
        .raw(current.migration_status_allowed)
        .validate(this_year())
    {
        Ok(changes) => state
            .store
            .update_person(actor, case.person.id, changes)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{case_id}/person"))),
        Err(e) => {
            let conflict = matches!(e, StoreError::VersionConflict { .. });
            let errors = ui_errors(e, |f| match f {
                "version" => "given_name".to_string(),
                other => other.to_string(),
            })?;
            // After a conflict the form shows what is stored now.
            let form = (!conflict).then_some(typed);
            let res = person_page(&state, &s, case_id, errors, form, DocForm::default()).await?;
            Ok(if conflict {
                with_status(res, StatusCode::CONFLICT)
            } else {
                res
            })
        }
    }
}

pub async fn add_document(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case_id = parse_id(&id)?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let doc_form = DocForm {
        kind: f.get("kind"),
        number: f.get("number"),
        country: f.get("country"),
        held_by: f.get("held_by"),
    };
    let raw = RawDocument {
        kind: doc_form.kind.clone(),
        number: Some(doc_form.number.clone()),
        country: Some(doc_form.country.clone()),
        held_by: doc_form.held_by.clone(),
    };
    let result = match raw.validate() {
        Ok(doc) => state
            .store
            .add_person_document(actor, case.person.id, doc)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{case_id}/person#documents"))),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("doc-{f}"))?;
            person_page(&state, &s, case_id, errors, None, doc_form).await
        }
    }
}

pub async fn document_action(
    State(state): State<AppState>,
    s: UiSession,
    Path((id, doc, action)): Path<(String, String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let (case_id, doc) = (parse_id(&id)?, parse_id(&doc)?);
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let result = match action.as_str() {
        "holder" => {
            let raw = RawDocumentChanges {
                version: f.version_opt(),
                held_by: Some(f.get("held_by")),
                ..Default::default()
            };
            match raw.validate() {
                Ok(c) => state
                    .store
                    .update_person_document(actor, case.person.id, doc, c)
                    .await
                    .map(|_| ()),
                Err(p) => Err(StoreError::Invalid(p)),
            }
        }
        "remove" => {
            state
                .store
                .remove_person_document(actor, case.person.id, doc)
                .await
        }
        _ => return Err(WebError::not_found()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{case_id}/person#documents"))),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("holder-{doc}"))?;
            person_page(&state, &s, case_id, errors, None, DocForm::default()).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Consent

pub struct ConsentRow {
    id: Uuid,
    purpose: String,
    organisation: String,
    basis: String,
    other_basis: bool,
    method: String,
    language: String,
    reason: String,
    recorded: String,
    in_force: bool,
    withdrawn: String,
}

#[derive(Default)]
pub struct ConsentForm {
    purpose: String,
    organisation_id: String,
    basis: String,
    method: String,
    language: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    nav: Option<Nav>,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<ConsentRow>,
    form: ConsentForm,
    purposes: Vec<(&'static str, String, bool)>,
    organisations: Vec<(String, String, bool)>,
    bases: Vec<(&'static str, String, bool)>,
    methods: Vec<(&'static str, String, bool)>,
}

async fn consent_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: ConsentForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let list = state.store.list_consents(actor, case.person.id).await?;
    let rows = list
        .into_iter()
        .map(|c| ConsentRow {
            id: c.id,
            purpose: label(c.purpose.as_str()),
            organisation: c.organisation_name.unwrap_or_default(),
            other_basis: c.basis != LegalBasis::Consent,
            basis: label(c.basis.as_str()),
            method: c.method.map(|m| m.as_str().to_string()).unwrap_or_default(),
            language: c.language.unwrap_or_default(),
            reason: c.reason.unwrap_or_default(),
            recorded: format!("{} · {}", c.recorded_by_name, when(c.given_at)),
            in_force: c.in_force,
            withdrawn: match c.withdrawn_at {
                Some(at) => format!(
                    "Withdrawn {} by {}{}",
                    when(at),
                    c.withdrawn_by_name.unwrap_or_default(),
                    c.withdrawal_method
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default()
                ),
                None => String::new(),
            },
        })
        .collect();
    // Immigration enforcement is never offered (and the store refuses it anyway).
    let organisations = state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| passage_core::policy::may_receive_shared_records(o.kind))
        .map(|o| {
            let id = o.id.to_string();
            let selected = form.organisation_id == id;
            (id, o.name, selected)
        })
        .collect();
    let basis = if form.basis.is_empty() {
        "consent"
    } else {
        form.basis.as_str()
    };
    let status = error_status(&errors);
    Ok(with_status(
        page(&ConsentPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            rows,
            purposes: ConsentPurpose::ALL
                .iter()
                .map(|p| (p.as_str(), label(p.as_str()), form.purpose == p.as_str()))
                .collect(),
            organisations,
            bases: LegalBasis::ALL
                .iter()
                .map(|b| (b.as_str(), label(b.as_str()), basis == b.as_str()))
                .collect(),
            methods: ConsentMethod::ALL
                .iter()
                .map(|m| (m.as_str(), label(m.as_str()), form.method == m.as_str()))
                .collect(),
            form,
        }),
        status,
    ))
}

pub async fn consent(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    consent_page(
        &state,
        &s,
        parse_id(&id)?,
        Vec::new(),
        ConsentForm::default(),
    )
    .await
}

pub async fn record_consent(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case_id = parse_id(&id)?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let form = ConsentForm {
        purpose: f.get("purpose"),
        organisation_id: f.get("organisation_id"),
        basis: f.get("basis"),
        method: f.get("method"),
        language: f.get("language"),
        reason: f.get("reason"),
    };
    let raw = RawConsent {
        purpose: form.purpose.clone(),
        organisation_id: Some(form.organisation_id.clone()),
        basis: Some(form.basis.clone()),
        method: Some(form.method.clone()),
        language: Some(form.language.clone()),
        reason: Some(form.reason.clone()),
    };
    let result = match raw.validate() {
        Ok(c) => state
            .store
            .record_consent(actor, case.person.id, c)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{case_id}/consent"))),
        Err(e) => {
            let errors = ui_errors(e, |f| match f {
                "immigration_firewall" | "unknown_organisation" => "organisation_id".into(),
                other => other.to_string(),
            })?;
            consent_page(&state, &s, case_id, errors, form).await
        }
    }
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    s: UiSession,
    Path((id, consent)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let (case_id, consent) = (parse_id(&id)?, parse_id(&consent)?);
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let method = withdrawal_method(Some(&f.get("method")))?;
    state
        .store
        .withdraw_consent(actor, case.person.id, consent, method)
        .await?;
    Ok(see_other(&format!("/cases/{case_id}/consent")))
}

// ---------------------------------------------------------------------------------------------
// Attachments

pub struct AttachmentRow {
    id: Uuid,
    filename: String,
    content_type: String,
    size: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "attachments.html")]
struct AttachmentsPage {
    nav: Option<Nav>,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<AttachmentRow>,
    max: String,
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

async fn attachments_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let rows = state
        .store
        .list_attachments(actor, case_id)
        .await?
        .into_iter()
        .map(|a| AttachmentRow {
            id: a.id,
            filename: a.filename,
            content_type: match a.content_type.as_str() {
                "application/pdf" => "PDF".into(),
                "image/jpeg" => "JPEG image".into(),
                "image/png" => "PNG image".into(),
                _ => "text".into(),
            },
            size: size(a.size),
            by: a.created_by_name,
            at: when(a.created_at),
        })
        .collect();
    Ok(with_status(
        page(&AttachmentsPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            rows,
            max: size(state.config.attachment_limit as i64),
        }),
        status,
    ))
}

pub async fn attachments(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    attachments_page(&state, &s, parse_id(&id)?, Vec::new(), StatusCode::OK).await
}

/// Reads the upload form: the CSRF token and the file part.
async fn read_form(req: Request, limit: usize) -> Result<(String, String, Vec<u8>), WebError> {
    let req = read_body(req, limit).await?;
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|_| malformed_multipart())?;
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|_| malformed_multipart())? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|_| malformed_multipart())?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| malformed_multipart())?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    Ok((csrf, name, bytes))
}

pub async fn upload(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, WebError> {
    let case_id = parse_id(&id)?;
    let limit = state.config.attachment_limit;
    let (csrf, name, bytes) = match read_form(req, limit).await {
        Ok(v) => v,
        Err(e) if e.status == StatusCode::PAYLOAD_TOO_LARGE => {
            // Show the page again with the reason, instead of a bare error.
            let errors = vec![UiError {
                anchor: "file".into(),
                message: e.body.message,
            }];
            return attachments_page(&state, &s, case_id, errors, e.status).await;
        }
        Err(e) => return Err(e),
    };
    check_csrf(&s.session.csrf, &csrf)?;
    let result = if name.is_empty() && bytes.is_empty() {
        Err(missing_file())
    } else if bytes.len() > limit {
        Err(too_large(limit))
    } else {
        state
            .store
            .add_attachment(&s.session.actor, case_id, &name, &bytes, limit)
            .await
            .map(|_| ())
            .map_err(upload_error)
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{case_id}/attachments"))),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            let errors = if e.body.fields.is_empty() {
                vec![UiError {
                    anchor: "file".into(),
                    message: e.body.message,
                }]
            } else {
                e.body
                    .fields
                    .into_iter()
                    .map(|f| UiError {
                        anchor: "file".into(),
                        message: f.message,
                    })
                    .collect()
            };
            attachments_page(&state, &s, case_id, errors, e.status).await
        }
        Err(e) => Err(e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    s: UiSession,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (case_id, attachment) = (parse_id(&id)?, parse_id(&attachment)?);
    let file = state
        .store
        .get_attachment(&s.session.actor, attachment)
        .await?;
    if file.meta.case_id != case_id {
        return Err(WebError::not_found());
    }
    Ok(attachment_response(file))
}

// ---------------------------------------------------------------------------------------------
// Children

pub struct BiRow {
    id: Uuid,
    assessment: String,
    decision: String,
    guardian_name: String,
    guardian_contact: String,
    by: String,
    at: String,
    is_final: bool,
    signed: String,
    can_sign: bool,
    own: bool,
}

#[derive(Default)]
pub struct BiForm {
    assessment: String,
    decision: String,
    guardian_name: String,
    guardian_contact: String,
}

#[derive(Template)]
#[template(path = "child.html")]
struct ChildPage {
    nav: Option<Nav>,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    is_child: bool,
    rows: Vec<BiRow>,
    pending: usize,
    supervisor: bool,
    form: BiForm,
}

async fn child_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: BiForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let person = state.store.person_details(actor, case.person.id).await?;
    let supervisor = actor.has_role(Role::Supervisor) && case.organisation_id == actor.org_id();
    let rows: Vec<BiRow> = state
        .store
        .list_best_interests(actor, case_id)
        .await?
        .into_iter()
        .map(|b| {
            let own = b.created_by == actor.user_id();
            BiRow {
                id: b.id,
                assessment: b.assessment,
                decision: b.decision,
                guardian_name: b.guardian_name.unwrap_or_default(),
                guardian_contact: b.guardian_contact.unwrap_or_default(),
                by: b.created_by_name,
                at: when(b.created_at),
                is_final: b.is_final,
                signed: match (b.signed_off_by_name, b.signed_off_at) {
                    (Some(n), Some(at)) => format!("Signed off by {n} · {}", when(at)),
                    _ => String::new(),
                },
                can_sign: supervisor && !own && !b.is_final,
                own,
            }
        })
        .collect();
    let pending = rows.iter().filter(|r| !r.is_final).count();
    let status = error_status(&errors);
    Ok(with_status(
        page(&ChildPage {
            csrf: nav.csrf.clone(),
            nav: Some(nav),
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            is_child: person.is_child,
            rows,
            pending,
            supervisor,
            form,
        }),
        status,
    ))
}

pub async fn child(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    child_page(&state, &s, parse_id(&id)?, Vec::new(), BiForm::default()).await
}

pub async fn record_best_interests(
    State(state): State<AppState>,
    s: UiSession,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let case_id = parse_id(&id)?;
    let form = BiForm {
        assessment: f.get("assessment"),
        decision: f.get("decision"),
        guardian_name: f.get("guardian_name"),
        guardian_contact: f.get("guardian_contact"),
    };
    let raw = RawBestInterests {
        assessment: form.assessment.clone(),
        decision: form.decision.clone(),
        guardian_name: Some(form.guardian_name.clone()),
        guardian_contact: Some(form.guardian_contact.clone()),
    };
    let result = match raw.validate() {
        Ok(b) => state
            .store
            .record_best_interests(&s.session.actor, case_id, b)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{case_id}/child"))),
        Err(e) => {
            let errors = ui_errors(e, |f| f.to_string())?;
            child_page(&state, &s, case_id, errors, form).await
        }
    }
}

pub async fn sign_off(
    State(state): State<AppState>,
    s: UiSession,
    Path((id, bi)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let f = Form::parse(&body);
    check_csrf(&s.session.csrf, &f.get("csrf"))?;
    let (case_id, bi) = (parse_id(&id)?, parse_id(&bi)?);
    match state
        .store
        .sign_off_best_interests(&s.session.actor, bi)
        .await
    {
        Ok(case) if case == case_id => Ok(see_other(&format!("/cases/{case_id}/child"))),
        Ok(case) => Ok(see_other(&format!("/cases/{case}/child"))),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("bi-{bi}"))?;
            child_page(&state, &s, case_id, errors, BiForm::default()).await
        }
    }
}
