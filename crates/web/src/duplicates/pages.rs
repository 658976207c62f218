//! The duplicates page for supervisors: candidate pairs with the explanation of each score,
//! "same person" (merge) and "different people", and recent merges with undo. Every action is a
//! plain form with the CSRF token; the store audits each.

use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::done;
use crate::kit::form::Button;
use crate::kit::form::StaffForm;
use crate::kit::{Id, Ids};
use crate::kit::{Nav, page, when};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_store::casework::duplicates::{DuplicateCandidate, Evidence};
use uuid::Uuid;

/// An explanation line in words: "family name: phonetic (+6.1)".
pub fn evidence_text(e: &Evidence) -> String {
    format!(
        "{}: {} ({:+.1})",
        e.field.replace('_', " "),
        e.level,
        e.bits
    )
}

pub struct Row {
    pub id: String,
    pub person: String,
    pub other: String,
    pub percent: String,
    pub because: Vec<String>,
    pub swapped: bool,
    pub when: String,
}

pub struct MergeRow {
    pub id: String,
    pub kept: String,
    pub cases: usize,
    pub when: String,
    pub undone: bool,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    nav: Nav,
    csrf: String,
    rows: Vec<Row>,
    merges: Vec<MergeRow>,
}

fn row(c: DuplicateCandidate) -> Row {
    Row {
        id: c.id.to_string(),
        person: c.person_name,
        other: c.other_name,
        percent: format!("{:.0}%", c.probability * 100.0),
        because: c.explanation.iter().map(evidence_text).collect(),
        swapped: c.names_swapped,
        when: when(c.created_at),
    }
}

pub async fn show(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let rows = state
        .store
        .duplicate_queue(actor)
        .await?
        .into_iter()
        .map(row)
        .collect();
    let merges = state
        .store
        .merges(actor)
        .await?
        .into_iter()
        .map(|m| MergeRow {
            id: m.id.to_string(),
            kept: m.kept_name,
            cases: m.moved_cases.len(),
            when: when(m.at),
            undone: m.undone_at.is_some(),
        })
        .collect();
    Ok(page(&DuplicatesPage {
        csrf: nav.csrf.clone(),
        nav,
        rows,
        merges,
    }))
}

/// `merge` or `dismiss` (different people) a candidate pair.
pub async fn act(
    State(state): State<AppState>,
    Ids((id, action)): Ids<(Uuid, String)>,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    match action.as_str() {
        "merge" => {
            state.store.merge_duplicate(actor, id).await?;
        }
        "dismiss" => state.store.dismiss_duplicate(actor, id).await?,
        _ => return Err(WebError::not_found()),
    }
    Ok(done("/duplicates", "saved"))
}

/// Undoes a merge.
pub async fn undo(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    state.store.undo_merge(&s.session.actor, id).await?;
    Ok(done("/duplicates", "saved"))
}
