//! The transfer pages. In a case, the "Transfer" tab: the case's earlier transfers and the
//! form to propose one (only organisations that may receive are listed: never immigration
//! enforcement, never the case's own). `/transfers`: incoming transfers with their minimal view
//! and the accept and decline forms, outgoing ones with their status. `/transfers/{id}`: one
//! transfer — the sender's stub, or for the receiver the minimal view and its answer forms,
//! then a link to the case and the form to close it with its outcome.

use super::types::bounded;
use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::DenyReason;
use passage_core::transfers::TransferStatus;
use passage_store::StoreError;
use passage_store::casework::transfers::{Direction, NewTransfer, Transfer};
use uuid::Uuid;

/// One transfer as the pages show it.
pub struct Row {
    id: String,
    case_id: Option<String>,
    from: String,
    to: String,
    status: String,
    pending: bool,
    accepted: bool,
    /// The reader is the receiver.
    incoming: bool,
    reason: String,
    note: Option<String>,
    /// The minimal view: only for the receiver of a pending transfer.
    name: Option<String>,
    languages: String,
    needs: String,
    answer: Option<String>,
    outcome: Option<String>,
    at: String,
    answered: Option<String>,
    closed: Option<String>,
}

fn row(nav: &Nav, t: Transfer, reader: Uuid) -> Row {
    let person = t.person.as_ref();
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
    let languages = person
        .and_then(|p| p["languages"].as_array())
        .map(|l| {
            l.iter()
                .filter_map(|c| c.as_str())
                .map(|c| nav.language(c))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let needs = person
        .and_then(|p| p["needs"].as_array())
        .map(|l| {
            l.iter()
                .filter_map(|n| {
                    let domain = n["domain"].as_str()?;
                    let urgency = n["urgency"].as_str()?;
                    Some(format!(
                        "{} ({})",
                        nav.label("need", domain),
                        nav.label("urgency", urgency)
                    ))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    Row {
        id: t.id.to_string(),
        case_id: t.case_id.map(|c| c.to_string()),
        from: t.from_organisation_name,
        to: t.to_organisation_name,
        status: nav.label("transfer_status", t.status.as_str()),
        pending: t.status == TransferStatus::Pending,
        accepted: t.status == TransferStatus::Accepted,
        incoming: t.to_organisation_id == reader,
        reason: t.reason,
        note: t.note,
        name: text(person.map(|p| &p["name"])),
        languages,
        needs,
        answer: t.answer,
        outcome: t.outcome,
        at: nav.when(t.proposed_at),
        answered: t.answered_at.map(|w| nav.when(w)),
        closed: t.closed_at.map(|w| nav.when(w)),
    }
}

/// A refusal shown on the form, in the page's language; anything else stays an error.
fn refusal(nav: &Nav, e: StoreError, anchor: &str) -> Result<Vec<UiError>, WebError> {
    let code = match &e {
        StoreError::Rule { code, .. } => Some(*code),
        StoreError::Forbidden(DenyReason::ImmigrationFirewall) => {
            Some(passage_core::ErrorCode::ImmigrationFirewall)
        }
        _ => None,
    };
    match code {
        Some(code) => Ok(vec![UiError {
            anchor: anchor.to_string(),
            message: nav.t(&format!(
                "transfer-refused-{}",
                code.as_str().replace('_', "-")
            )),
            code: None,
        }]),
        None => ui_errors(e, |f| format!("transfer-{}", f.replace('_', "-"))),
    }
}

/// The proposal form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    to_organisation_id: String,
    reason: String,
    note: String,
}
crate::form_body!(ProposeForm);

#[derive(Template)]
#[template(path = "transfer_case.html")]
struct CasePage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<Row>,
    can_propose: bool,
    targets: Vec<(String, String)>,
    form: ProposeForm,
}

async fn render_case(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: ProposeForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let own = case.organisation_id == actor.org_id();
    let (rows, targets) = if own {
        let rows = state
            .store
            .list_transfers(actor, Direction::Outgoing)
            .await?
            .into_iter()
            .filter(|t| t.case_id == Some(case_id))
            .map(|t| row(&nav, t, actor.org_id()))
            .collect();
        let targets: Vec<(String, String)> = state
            .store
            .transfer_targets(actor)
            .await?
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect();
        (rows, targets)
    } else {
        (Vec::new(), Vec::new())
    };
    let status = error_status(&errors);
    Ok(with_status(
        page(&CasePage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            rows,
            can_propose: own && !targets.is_empty(),
            targets,
            form,
            nav,
        }),
        status,
    ))
}

pub async fn case_form(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render_case(&state, &s, id, Vec::new(), ProposeForm::default()).await
}

pub async fn propose(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ProposeForm>,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let parsed = match Uuid::parse_str(form.to_organisation_id.trim()) {
        Ok(to) => bounded("reason", &form.reason)
            .and_then(|()| bounded("note", &form.note))
            .map(|()| NewTransfer {
                to_organisation_id: to,
                reason: form.reason.clone(),
                note: Some(form.note.clone()),
            }),
        Err(_) => Err(StoreError::invalid(
            "organisation",
            passage_core::ErrorCode::Required,
            "choose an organisation",
        )),
    };
    let result = match parsed {
        Ok(new) => {
            state
                .store
                .propose_transfer(&s.session.actor, case_id, new)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(done(&format!("/transfers/{id}"), "transfer-proposed")),
        Err(e) => {
            let errors = refusal(&nav, e, "transfer-organisation")?;
            render_case(&state, &s, case_id, errors, form).await
        }
    }
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct ListPage {
    nav: Nav,
    csrf: String,
    errors: Vec<UiError>,
    incoming: Vec<Row>,
    outgoing: Vec<Row>,
}

pub async fn list(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let me = actor.org_id();
    let incoming = state
        .store
        .list_transfers(actor, Direction::Incoming)
        .await?
        .into_iter()
        .map(|t| row(&nav, t, me))
        .collect();
    let outgoing = state
        .store
        .list_transfers(actor, Direction::Outgoing)
        .await?
        .into_iter()
        .map(|t| row(&nav, t, me))
        .collect();
    Ok(page(&ListPage {
        csrf: nav.csrf.clone(),
        errors: Vec::new(),
        incoming,
        outgoing,
        nav,
    }))
}

#[derive(Template)]
#[template(path = "transfer.html")]
struct OnePage {
    nav: Nav,
    csrf: String,
    errors: Vec<UiError>,
    t: Row,
    form: AnswerForm,
}

/// An answer as typed: the decline's reason or the closing outcome.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    reason: String,
    outcome: String,
}
crate::form_body!(AnswerForm);

async fn render_one(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    errors: Vec<UiError>,
    form: AnswerForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let t = state.store.transfer(actor, id).await?;
    let status = error_status(&errors);
    Ok(with_status(
        page(&OnePage {
            csrf: nav.csrf.clone(),
            errors,
            t: row(&nav, t, actor.org_id()),
            form,
            nav,
        }),
        status,
    ))
}

pub async fn one(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render_one(&state, &s, id, Vec::new(), AnswerForm::default()).await
}

async fn answered(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    form: AnswerForm,
    result: Result<(), StoreError>,
    word: &str,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/transfers/{id}"), word)),
        Err(e) => {
            let nav = Nav::of(state, s).await?;
            let errors = refusal(&nav, e, anchor)?;
            render_one(state, s, id, errors, form).await
        }
    }
}

pub async fn accept(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<AnswerForm>,
) -> Result<Response, WebError> {
    let result = state.store.accept_transfer(&s.session.actor, id).await;
    answered(
        &state,
        &s,
        id,
        form,
        result,
        "transfer-accepted",
        "transfer-accept",
    )
    .await
}

pub async fn decline(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<AnswerForm>,
) -> Result<Response, WebError> {
    let result = match bounded("reason", &form.reason) {
        Ok(()) => {
            state
                .store
                .decline_transfer(&s.session.actor, id, &form.reason)
                .await
        }
        Err(e) => Err(e),
    };
    answered(
        &state,
        &s,
        id,
        form,
        result,
        "transfer-declined",
        "transfer-reason",
    )
    .await
}

pub async fn close(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<AnswerForm>,
) -> Result<Response, WebError> {
    let result = match bounded("outcome", &form.outcome) {
        Ok(()) => {
            state
                .store
                .close_transfer(&s.session.actor, id, &form.outcome)
                .await
        }
        Err(e) => Err(e),
    };
    answered(
        &state,
        &s,
        id,
        form,
        result,
        "transfer-closed",
        "transfer-outcome",
    )
    .await
}
