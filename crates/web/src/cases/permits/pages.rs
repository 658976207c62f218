//! The "Permits" page of a case: the residence and work permits asked for the person on
//! protection grounds, each with its dates, reminder and history and a form for its next
//! step, and a form to record a new one. The kinds offered are the case's jurisdiction's named
//! permit types when its profile lists them, else the whole vocabulary. Every form posts here
//! and comes back with the saved line or its errors.

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Ids, UiError, UiSession, WebError, done};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::calendar::Day;
use passage_core::casework::permits::{
    PermitKind, PermitStatus, RawDates, RawPermit, RawStatusChange, may_start,
};
use passage_store::StoreError;
use uuid::Uuid;

/// One line of a permit's history, in words.
pub struct ChangeRow {
    at: String,
    by: String,
    from: Option<String>,
    to: String,
}

/// A permit as the page shows it.
pub struct PermitRow {
    id: String,
    kind: String,
    /// The jurisdiction's name for this kind, when its profile has one.
    local_name: Option<String>,
    status: String,
    status_id: &'static str,
    authority: Option<String>,
    reference: Option<String>,
    note: Option<String>,
    dates: Vec<(String, String)>,
    reminder: Option<(String, String)>,
    history: Vec<ChangeRow>,
    next: Vec<(&'static str, String)>,
}

/// The form that records a permit, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PermitForm {
    kind: String,
    status: String,
    authority: String,
    reference: String,
    applied_on: String,
    decided_on: String,
    valid_from: String,
    expires_on: String,
    appeal_deadline: String,
    note: String,
}
crate::form_body!(PermitForm);

/// The form that moves a permit to its next status.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    on: String,
    valid_from: String,
    expires_on: String,
    appeal_deadline: String,
    note: String,
}
crate::form_body!(StatusForm);

#[derive(Template)]
#[template(path = "permits.html")]
struct PermitsPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    jurisdiction: String,
    settings: String,
    permits: Vec<PermitRow>,
    kinds: Vec<(&'static str, String)>,
    starts: Vec<(&'static str, String)>,
    form: PermitForm,
}

fn day(d: Option<Day>) -> Option<String> {
    d.map(|d| d.to_string())
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: PermitForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let listed = state.store.permits(actor, case_id).await?;
    let local = |k: PermitKind| {
        listed
            .permit_types
            .iter()
            .find(|t| t.kind == k)
            .map(|t| t.name.clone())
    };
    let kinds = if listed.permit_types.is_empty() {
        PermitKind::ALL
            .iter()
            .map(|k| (k.as_str(), nav.label("permit_kind", k.as_str())))
            .collect()
    } else {
        listed
            .permit_types
            .iter()
            .map(|t| {
                let name = match t.max_months {
                    Some(m) => nav.t2("permits-type-months", "name", &t.name, "months", m),
                    None => t.name.clone(),
                };
                (t.kind.as_str(), name)
            })
            .collect()
    };
    let starts = PermitStatus::ALL
        .iter()
        .filter(|s| may_start(**s))
        .map(|s| (s.as_str(), nav.label("permit_status", s.as_str())))
        .collect();
    let permits = listed
        .permits
        .iter()
        .map(|p| {
            let dates = [
                ("permits-applied-on", p.dates.applied_on),
                ("permits-decided-on", p.dates.decided_on),
                ("permits-valid-from", p.dates.valid_from),
                ("permits-expires-on", p.dates.expires_on),
                ("permits-appeal-deadline", p.dates.appeal_deadline),
            ]
            .into_iter()
            .filter_map(|(k, d)| day(d).map(|d| (nav.t(k), d)))
            .collect();
            PermitRow {
                id: p.id.to_string(),
                kind: nav.label("permit_kind", p.kind.as_str()),
                local_name: local(p.kind),
                status: nav.label("permit_status", p.status.as_str()),
                status_id: p.status.as_str(),
                authority: p.authority.clone(),
                reference: p.reference.clone(),
                note: p.note.clone(),
                dates,
                reminder: p.reminder.map(|r| {
                    let what = match r.kind {
                        passage_core::casework::permits::ReminderKind::Expiry => {
                            nav.t1("permits-reminder-expiry", "on", r.on)
                        }
                        passage_core::casework::permits::ReminderKind::Appeal => {
                            nav.t1("permits-reminder-appeal", "on", r.on)
                        }
                    };
                    (what, r.due.to_string())
                }),
                history: p
                    .history
                    .iter()
                    .map(|h| ChangeRow {
                        at: nav.when(h.at),
                        by: h.by.clone(),
                        from: h.from.map(|f| nav.label("permit_status", f.as_str())),
                        to: nav.label("permit_status", h.to.as_str()),
                    })
                    .collect(),
                next: p
                    .next
                    .iter()
                    .map(|s| {
                        let label = if *s == p.status {
                            nav.t("permits-renew")
                        } else {
                            nav.label("permit_status", s.as_str())
                        };
                        (s.as_str(), label)
                    })
                    .collect(),
            }
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&PermitsPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            jurisdiction: listed.jurisdiction.clone(),
            settings: nav.t2(
                "permits-settings",
                "reminder",
                listed.reminder_days,
                "appeal",
                listed.appeal_days,
            ),
            permits,
            kinds,
            starts,
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
    render(&state, &s, id, Vec::new(), PermitForm::default()).await
}

async fn answer(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    result: Result<(), StoreError>,
    prefix: &str,
    form: PermitForm,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/permits"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("{prefix}-{}", f.replace('_', "-")))?;
            render(state, s, case_id, errors, form).await
        }
    }
}

pub async fn record(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<PermitForm>,
) -> Result<Response, WebError> {
    let raw = RawPermit {
        kind: form.kind.clone(),
        status: form.status.clone(),
        authority: form.authority.clone(),
        reference: form.reference.clone(),
        dates: RawDates {
            applied_on: form.applied_on.clone(),
            decided_on: form.decided_on.clone(),
            valid_from: form.valid_from.clone(),
            expires_on: form.expires_on.clone(),
            appeal_deadline: form.appeal_deadline.clone(),
        },
        note: form.note.clone(),
    };
    let result = match raw.validate() {
        Ok(p) => state
            .store
            .add_permit(&s.session.actor, case_id, p)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    answer(&state, &s, case_id, result, "permit", form).await
}

pub async fn status(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<StatusForm>,
) -> Result<Response, WebError> {
    let raw = RawStatusChange {
        status: form.status,
        on: form.on,
        valid_from: form.valid_from,
        expires_on: form.expires_on,
        appeal_deadline: form.appeal_deadline,
        note: form.note,
    };
    let result = match raw.validate() {
        Ok(c) => {
            state
                .store
                .change_permit_status(&s.session.actor, case_id, pid, c)
                .await
        }
        Err(p) => Err(StoreError::Invalid(p)),
    };
    let prefix = format!("status-{pid}");
    answer(&state, &s, case_id, result, &prefix, PermitForm::default()).await
}
