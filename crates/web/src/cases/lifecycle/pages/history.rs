//! The history page and the supervisor's approvals page.

use super::*;
use crate::kit::form::Button;
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
            other => other,
        };
        match v {
            None => String::new(),
            Some(v)
                if matches!(
                    kind,
                    "case_status" | "risk" | "stage" | "outcome" | "identification"
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
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    nav: Nav,
    csrf: String,
    rows: Vec<ApprovalRow>,
}

pub async fn approvals(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let list = state.store.list_approvals(&s.session.actor).await?;
    let rows = list
        .into_iter()
        .map(|a| ApprovalRow {
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
        })
        .collect();
    Ok(page(&ApprovalsPage {
        csrf: nav.csrf.clone(),
        nav,
        rows,
    }))
}

pub async fn decide(
    State(state): State<AppState>,
    Ids((id, action)): Ids<(Uuid, String)>,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    match action.as_str() {
        "approve" => state.store.approve(actor, id).await?,
        "reject" => state.store.reject(actor, id).await?,
        _ => return Err(WebError::not_found()),
    };
    Ok(done("/approvals", "saved"))
}
