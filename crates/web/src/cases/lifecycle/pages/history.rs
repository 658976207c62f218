//! The history page and the supervisor's approvals page.

use super::*;
use crate::kit::{Id, Ids};

pub struct HistoryRow {
    field: String,
    old: String,
    new: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "case_history.html")]
struct HistoryPage {
    nav: Nav,
    case_id: String,
    rows: Vec<HistoryRow>,
}

fn history_label(nav: &Nav, field: &str) -> String {
    match field {
        "status" => "Status".into(),
        "status_reason" => "Reason for the status change".into(),
        "assigned_to" => "Assigned to".into(),
        "identification_on" => "Recovery period counted from".into(),
        "conclusive_on" => "Conclusive decision on".into(),
        "identification_by" => "Identification decided by".into(),
        "person.migration_status" => {
            "Migration status (changed; the value is not kept here)".into()
        }
        "migration_status.permit" => nav.t("permits-history-field"),
        other => nav.label("field", other),
    }
}

pub async fn history(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let entries = state.store.case_history(&s.session.actor, id).await?;
    let value = |field: &str, v: Option<String>| {
        let kind = match field {
            "status" => "case_status",
            "identification_status" => "identification",
            "types" => "case_type",
            "migration_status.permit" => "permit_status",
            other => other,
        };
        match v {
            None => String::new(),
            Some(v)
                if matches!(
                    kind,
                    "case_status"
                        | "risk"
                        | "stage"
                        | "outcome"
                        | "identification"
                        | "permit_status"
                ) =>
            {
                nav.label(kind, &v)
            }
            Some(v) if kind == "case_type" => nav.labels(kind, &v.split(',').collect::<Vec<_>>()),
            Some(v) => v,
        }
    };
    let rows = entries
        .into_iter()
        .rev()
        .map(|e| HistoryRow {
            old: value(&e.field, e.old),
            new: value(&e.field, e.new),
            field: history_label(&nav, &e.field),
            by: e.by,
            at: when(e.at),
        })
        .collect();
    Ok(page(&HistoryPage {
        nav,
        case_id: id.to_string(),
        rows,
    }))
}

// ---------------------------------------------------------------- approvals

pub struct ApprovalRow {
    id: Uuid,
    case_id: Uuid,
    person_name: String,
    outcome: String,
    reason: String,
    requested_by: String,
    requested_at: String,
    /// The person is a child: approving asks for a confirmation first.
    child: bool,
    /// What the supervisor typed as a reason to reject, kept when the form comes back.
    rejection: String,
    /// The refusal of this row's decision, shown above its fields.
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    nav: Nav,
    csrf: String,
    rows: Vec<ApprovalRow>,
    errors: Vec<crate::kit::UiError>,
}

/// A decision refused: which request, what was typed, and why.
struct Refused {
    id: Uuid,
    rejection: String,
    anchor: String,
    message: String,
}

async fn approvals_with(
    state: &AppState,
    s: &UiSession,
    refused: Option<Refused>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let list = state.store.list_approvals(&s.session.actor).await?;
    let rows = list
        .into_iter()
        .map(|a| {
            let mine = refused.as_ref().filter(|r| r.id == a.id);
            ApprovalRow {
                id: a.id,
                case_id: a.case_id,
                person_name: a.person_name,
                outcome: a
                    .outcome
                    .map(|o| nav.label("outcome", o.as_str()))
                    .unwrap_or_default(),
                reason: a.reason,
                requested_by: a.requested_by_name,
                requested_at: when(a.requested_at),
                child: a.child,
                rejection: mine.map(|r| r.rejection.clone()).unwrap_or_default(),
                error: mine.map(|r| r.message.clone()),
            }
        })
        .collect();
    let errors: Vec<crate::kit::UiError> = refused
        .map(|r| crate::kit::UiError {
            code: None,
            anchor: r.anchor,
            message: r.message,
        })
        .into_iter()
        .collect();
    let status = crate::kit::form::error_status(&errors);
    Ok(crate::kit::form::with_status(
        page(&ApprovalsPage {
            csrf: nav.csrf.clone(),
            nav,
            rows,
            errors,
        }),
        status,
    ))
}

pub async fn approvals(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    approvals_with(&state, &s, None).await
}

/// A supervisor's decision as posted: the reason to reject (required to reject), and the
/// confirmation that approving closes a child's case (required for a child's case).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct DecideForm {
    reason: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    confirm: bool,
}
crate::form_body!(DecideForm);

pub async fn decide(
    State(state): State<AppState>,
    Ids((id, action)): Ids<(Uuid, String)>,
    StaffForm(s, f): StaffForm<DecideForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let result = match action.as_str() {
        "approve" => {
            // A request no longer waiting is left to the store to answer (already decided).
            let child = state
                .store
                .list_approvals(actor)
                .await?
                .into_iter()
                .any(|a| a.id == id && a.child);
            if child && !f.confirm {
                // Closing a child's case is not undone by a click: the page asks first.
                let nav = Nav::of(&state, &s).await?;
                let refused = Refused {
                    id,
                    rejection: String::new(),
                    anchor: format!("confirm-{id}"),
                    message: nav.t("staff-feedback-confirm-child-closure-needed"),
                };
                return approvals_with(&state, &s, Some(refused)).await;
            }
            state
                .store
                .approve(actor, id)
                .await
                .map(|_| "feedback-approved")
        }
        "reject" => state
            .store
            .reject(
                actor,
                id,
                passage_core::casework::changes::rejection_reason(&f.reason),
            )
            .await
            .map(|_| "feedback-rejected"),
        _ => return Err(WebError::not_found()),
    };
    match result {
        Ok(what) => Ok(done("/approvals", what)),
        Err(StoreError::Invalid(p)) => {
            let nav = Nav::of(&state, &s).await?;
            let message = if p
                .0
                .iter()
                .any(|e| e.code == passage_core::ErrorCode::Required)
            {
                nav.t("staff-feedback-rejection-reason-needed")
            } else {
                p.0.first().map(|e| e.message.clone()).unwrap_or_default()
            };
            let refused = Refused {
                id,
                rejection: f.reason,
                anchor: format!("reason-{id}"),
                message,
            };
            approvals_with(&state, &s, Some(refused)).await
        }
        Err(e) => Err(e.into()),
    }
}
