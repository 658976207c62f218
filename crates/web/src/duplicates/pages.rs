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
use crate::kit::{Nav, page};
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
    /// The latest case of each, to open both records before deciding.
    pub person_case: Option<Uuid>,
    pub other_case: Option<Uuid>,
    /// A band in words with a rounded percentage that never claims certainty.
    pub score: String,
    /// The details that agreed, in words.
    pub agreed: String,
    pub because: Vec<String>,
    pub swapped: bool,
    pub when: String,
}

/// A linkage probability as a whole percentage for people: rounded, but never 100% (a score
/// is never proof that two records are one person) nor 0% for a pair shown.
pub fn shown_percent(probability: f64) -> u32 {
    let p = if probability.is_nan() {
        0.0
    } else {
        probability.clamp(0.0, 1.0)
    };
    ((p * 100.0).round() as u32).clamp(1, 99)
}

/// The band a probability falls in: the message id of its words.
pub fn band(probability: f64) -> &'static str {
    match shown_percent(probability) {
        90.. => "staff-names-dup-very-likely",
        60..=89 => "staff-names-dup-likely",
        _ => "staff-names-dup-possible",
    }
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

fn row(nav: &Nav, c: DuplicateCandidate) -> Row {
    let agreed: Vec<String> = c
        .explanation
        .iter()
        .filter(|e| e.bits > 0.0)
        .map(|e| {
            let id = format!("staff-names-dup-field-{}", e.field);
            let text = nav.t(&id);
            if text == id {
                e.field.replace('_', " ")
            } else {
                text
            }
        })
        .collect();
    Row {
        id: c.id.to_string(),
        person: c.person_name,
        other: c.other_name,
        person_case: c.person_case,
        other_case: c.other_case,
        score: nav.t1(
            band(c.probability),
            "percent",
            format!("{}%", shown_percent(c.probability)),
        ),
        agreed: if agreed.is_empty() {
            nav.t("staff-names-dup-nothing")
        } else {
            nav.t1("staff-names-dup-agreed", "fields", agreed.join(", "))
        },
        because: c.explanation.iter().map(evidence_text).collect(),
        swapped: c.names_swapped,
        when: nav.when(c.created_at),
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
        .map(|c| row(&nav, c))
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
            when: nav.when(m.at),
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

#[cfg(test)]
mod tests {
    use super::{band, shown_percent};

    #[test]
    fn a_score_is_never_shown_as_certain() {
        for p in [0.995, 0.9999, 1.0, 1.5, f64::INFINITY] {
            assert_eq!(shown_percent(p), 99, "{p}");
        }
        assert_eq!(shown_percent(0.934), 93);
        assert_eq!(shown_percent(0.0), 1);
        assert_eq!(shown_percent(f64::NAN), 1);
        assert_eq!(band(0.999), "staff-names-dup-very-likely");
        assert_eq!(band(0.7), "staff-names-dup-likely");
        assert_eq!(band(0.3), "staff-names-dup-possible");
    }
}
