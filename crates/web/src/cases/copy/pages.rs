//! The person's copy as a page to print, and the case's "Disclosures" tab.
//!
//! The copy (`/cases/{id}/copy`) is a page of its own, without the staff header or the case's
//! tabs, with a print stylesheet: what is handed to the person. It is written in the person's
//! language where the interface has it (the first of their recorded languages that it has),
//! else the reader's; `?lang=` chooses another, from a selector that is not printed.
//!
//! The tab (`/cases/{id}/disclosures`) shows the disclosure register and the corrections, with
//! a form to record a correction the person asked for and one to decide each open request.

use crate::AppState;
use crate::i18n::I18n;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::corrections::{CorrectionOutcome, RawCorrection, RawDecision};
use passage_store::StoreError;
use passage_store::casework::corrections::Correction;
use passage_store::casework::disclosures::{DisclosureRegister, WHOLE_CASE};
use uuid::Uuid;

/// One line of a table, already in words.
pub struct Row(pub Vec<String>);

/// A correction as the pages show it.
pub struct CorrectionRow {
    id: String,
    asked_on: String,
    what: String,
    outcome: Option<String>,
    reason: Option<String>,
    decided: Option<String>,
}

/// A disclosure as the pages show it.
pub struct DisclosureRow {
    kind: String,
    to: String,
    from: String,
    at: String,
    fields: String,
    basis: String,
    status: String,
    ended: Option<String>,
}

fn disclosure_rows(nav: &Nav, register: &DisclosureRegister) -> Vec<DisclosureRow> {
    register
        .disclosures
        .iter()
        .map(|d| {
            let fields = d
                .fields
                .iter()
                .map(|f| {
                    if f == WHOLE_CASE {
                        nav.t("copy-whole-case")
                    } else {
                        nav.label("share_field", f)
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            let basis = match (d.basis, d.basis_given_at) {
                (Some(b), Some(at)) => {
                    let mut s = format!(
                        "{} ({})",
                        nav.label("legal_basis", b.as_str()),
                        nav.when(at)
                    );
                    if let Some(w) = d.basis_withdrawn_at {
                        s.push_str(" · ");
                        s.push_str(&nav.t1("copy-withdrawn-on", "on", nav.when(w)));
                    }
                    s
                }
                _ => nav.t("copy-basis-unknown"),
            };
            let status_kind = match d.kind.as_str() {
                "transfer" => "transfer_status",
                _ => "referral_status",
            };
            DisclosureRow {
                kind: nav.t(&format!("copy-kind-{}", d.kind.as_str())),
                to: match &d.service_name {
                    Some(s) => format!("{} — {}", d.to_organisation_name, s),
                    None => d.to_organisation_name.clone(),
                },
                from: d.from_organisation_name.clone(),
                at: nav.when(d.at),
                fields,
                basis,
                status: nav.label(status_kind, &d.status),
                ended: d.access_ended_at.map(|at| {
                    let why = d
                        .access_ended_reason
                        .as_deref()
                        .map(|r| nav.t(&format!("copy-ended-{}", r.replace('_', "-"))))
                        .unwrap_or_default();
                    format!("{} {why}", nav.when(at)).trim().to_string()
                }),
            }
        })
        .collect()
}

fn correction_rows(nav: &Nav, list: &[Correction]) -> Vec<CorrectionRow> {
    list.iter()
        .map(|c| CorrectionRow {
            id: c.id.to_string(),
            asked_on: c.asked_on.clone(),
            what: c.what.clone(),
            outcome: c
                .outcome
                .map(|o| nav.label("correction_outcome", o.as_str())),
            reason: c.reason.clone(),
            decided: c.decided_at.map(|at| {
                format!(
                    "{} · {}",
                    nav.when(at),
                    c.decided_by_name.clone().unwrap_or_default()
                )
            }),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "case_copy.html")]
struct CopyPage {
    nav: Nav,
    case_id: String,
    name: String,
    produced: String,
    organisation: String,
    languages: Vec<(String, String)>,
    details: Vec<(String, String)>,
    documents: Vec<Row>,
    case_facts: Vec<(String, String)>,
    summary: String,
    deadlines: Vec<Row>,
    consents: Vec<Row>,
    needs: Vec<Row>,
    services: Vec<Row>,
    referrals: Vec<Row>,
    notes: Vec<(String, String)>,
    files: Vec<Row>,
    disclosures: Vec<DisclosureRow>,
    statistics: String,
    corrections: Vec<CorrectionRow>,
}

/// The language of the copy: `?lang=` when the interface has it, else the first of the
/// person's languages the interface has, else the reader's own.
fn copy_language(i18n: &I18n, asked: Option<&str>, person: &[String], reader: &str) -> String {
    asked
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| i18n.has(a))
        .or_else(|| {
            person
                .iter()
                .map(|l| l.trim().to_ascii_lowercase())
                .find(|l| i18n.has(l))
        })
        .unwrap_or_else(|| reader.to_string())
}

pub async fn copy(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    let mut nav = Nav::of(&state, &s).await?;
    let c = state.store.person_copy(&s.session.actor, id).await?;
    let lang = copy_language(
        &state.i18n,
        s.lang_query.as_deref(),
        &c.person.languages,
        &nav.lang,
    );
    nav.dir = I18n::dir(&lang);
    nav.lang = lang;
    let p = &c.person;
    let dash = || "—".to_string();
    let mut details = vec![(
        nav.t("copy-name"),
        format!("{} {}", p.given_name, p.family_name)
            .trim()
            .to_string(),
    )];
    if let (Some(g), Some(f)) = (&p.given_name_latin, &p.family_name_latin) {
        details.push((nav.t("copy-name-latin"), format!("{g} {f}")));
    }
    if !p.aliases.is_empty() {
        details.push((nav.t("copy-aliases"), p.aliases.join(", ")));
    }
    details.push((
        nav.t("staff-date-of-birth"),
        p.date_of_birth.clone().unwrap_or_else(dash),
    ));
    details.push((
        nav.t("staff-sex"),
        p.sex
            .as_deref()
            .map(|x| nav.label("sex", x))
            .unwrap_or_else(dash),
    ));
    details.push((nav.t("staff-citizenships"), p.citizenships.join(", ")));
    details.push((nav.t("copy-languages"), p.languages.join(", ")));
    for contact in &p.contacts {
        details.push((
            nav.label("contact", contact.kind.as_str()),
            contact.value.clone(),
        ));
    }
    if !p.vulnerabilities.is_empty() {
        details.push((
            nav.t("copy-vulnerabilities"),
            nav.labels("vulnerability", &p.vulnerabilities),
        ));
    }
    if let Some(ms) = &p.migration_status {
        details.push((nav.t("staff-migration-status"), ms.clone()));
    }
    let documents = p
        .documents
        .iter()
        .map(|d| {
            Row(vec![
                nav.label("document_kind", d.kind.as_str()),
                d.number.clone().unwrap_or_else(dash),
                d.country.clone().unwrap_or_else(dash),
                nav.label("document_holder", d.held_by.as_str()),
            ])
        })
        .collect();
    let case = &c.case;
    let mut case_facts = vec![
        (
            nav.t("staff-case-types"),
            nav.labels("case_type", &case.types),
        ),
        (
            nav.t("staff-case-stage"),
            nav.label("stage", case.stage.as_str()),
        ),
        (
            nav.t("staff-status"),
            nav.label("case_status", case.status.as_str()),
        ),
        (nav.t("staff-opened"), nav.when(case.created_at)),
    ];
    if let Some(closed) = case.lifecycle.closed_at {
        case_facts.push((nav.t("copy-closed"), nav.when(closed)));
    }
    let deadlines = case
        .lifecycle
        .deadlines
        .iter()
        .map(|d| {
            Row(vec![
                nav.t(crate::cases::lifecycle::pages::deadline_label(d.kind)),
                d.due.clone(),
                nav.t(if d.met { "staff-met" } else { "staff-open" }),
            ])
        })
        .collect();
    let consents = c
        .consents
        .iter()
        .map(|k| {
            Row(vec![
                nav.label("consent_purpose", k.purpose.as_str()),
                k.organisation_name.clone().unwrap_or_else(dash),
                nav.label("legal_basis", k.basis.as_str()),
                nav.when(k.given_at),
                k.withdrawn_at.map(|w| nav.when(w)).unwrap_or_else(dash),
            ])
        })
        .collect();
    let needs = c
        .needs
        .iter()
        .map(|n| {
            Row(vec![
                nav.label("need", n.domain.as_str()),
                nav.label("urgency", n.urgency.as_str()),
                n.description.clone().unwrap_or_default(),
                nav.t(if n.met { "copy-yes" } else { "copy-no" }),
            ])
        })
        .collect();
    let services = c
        .services
        .iter()
        .map(|x| {
            Row(vec![
                nav.label("service", x.service_type.as_str()),
                x.provider.clone(),
                x.delivered_on.clone(),
            ])
        })
        .collect();
    let referrals = c
        .referrals
        .iter()
        .map(|r| {
            Row(vec![
                format!("{} — {}", r.to_organisation_name, r.service_name),
                nav.when(r.sent_at),
                nav.label("referral_status", r.status.as_str()),
                nav.labels("share_field", &r.shared_fields),
            ])
        })
        .collect();
    let notes = c
        .notes
        .iter()
        .map(|n| (nav.when(n.created_at), n.body.clone()))
        .collect();
    let files = c
        .attachments
        .iter()
        .map(|a| {
            Row(vec![
                a.filename.clone(),
                a.description.clone().unwrap_or_default(),
                nav.when(a.created_at),
            ])
        })
        .collect();
    let statistics = nav.t(if c.disclosures.statistics_consent_in_force {
        "copy-statistics-consent"
    } else {
        "copy-statistics-none"
    });
    let languages = state.i18n.languages();
    Ok(page(&CopyPage {
        case_id: id.to_string(),
        name: format!("{} {}", p.given_name, p.family_name)
            .trim()
            .to_string(),
        produced: nav.when(c.produced_at),
        organisation: nav.organisation.clone(),
        languages,
        details,
        documents,
        case_facts,
        summary: case.summary.clone(),
        deadlines,
        consents,
        needs,
        services,
        referrals,
        notes,
        files,
        disclosures: disclosure_rows(&nav, &c.disclosures),
        statistics,
        corrections: correction_rows(&nav, &c.corrections),
        nav,
    }))
}

/// The form that records a correction request, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    what: String,
    asked_on: String,
}
crate::form_body!(CorrectionForm);

/// The form that decides a correction, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    outcome: String,
    reason: String,
}
crate::form_body!(DecisionForm);

#[derive(Template)]
#[template(path = "case_disclosures.html")]
struct DisclosuresPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    disclosures: Vec<DisclosureRow>,
    statistics: String,
    corrections: Vec<CorrectionRow>,
    outcomes: Vec<(&'static str, String)>,
    form: CorrectionForm,
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: CorrectionForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let register = state.store.case_disclosures(actor, case_id).await?;
    let corrections = state.store.list_corrections(actor, case_id).await?;
    let status = error_status(&errors);
    Ok(with_status(
        page(&DisclosuresPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            disclosures: disclosure_rows(&nav, &register),
            statistics: nav.t(if register.statistics_consent_in_force {
                "copy-statistics-consent"
            } else {
                "copy-statistics-none"
            }),
            corrections: correction_rows(&nav, &corrections),
            outcomes: CorrectionOutcome::ALL
                .iter()
                .map(|o| (o.as_str(), nav.label("correction_outcome", o.as_str())))
                .collect(),
            form,
            nav,
        }),
        status,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render(&state, &s, id, Vec::new(), CorrectionForm::default()).await
}

async fn answer(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    result: Result<(), StoreError>,
    prefix: &str,
    form: CorrectionForm,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(
            &format!("/cases/{case_id}/disclosures#corrections"),
            "saved",
        )),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("{prefix}-{}", f.replace('_', "-")))?;
            render(state, s, case_id, errors, form).await
        }
    }
}

pub async fn request(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<CorrectionForm>,
) -> Result<Response, WebError> {
    let raw = RawCorrection {
        what: &form.what,
        asked_on: &form.asked_on,
    };
    let result = match raw.validate() {
        Ok(new) => state
            .store
            .request_correction(&s.session.actor, case_id, new)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    answer(&state, &s, case_id, result, "correction", form).await
}

pub async fn decide(
    State(state): State<AppState>,
    Ids((case_id, cid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<DecisionForm>,
) -> Result<Response, WebError> {
    let raw = RawDecision {
        outcome: &form.outcome,
        reason: &form.reason,
    };
    let result = match raw.validate() {
        Ok(d) => {
            state
                .store
                .decide_correction(&s.session.actor, case_id, cid, d)
                .await
        }
        Err(p) => Err(StoreError::Invalid(p)),
    };
    let prefix = format!("decide-{cid}");
    answer(
        &state,
        &s,
        case_id,
        result,
        &prefix,
        CorrectionForm::default(),
    )
    .await
}
