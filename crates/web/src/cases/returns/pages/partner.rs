//! The partner's page on its hand-over referral, where the reintegration visits are recorded.

use super::{
    DimensionFields, DueRow, ItemField, VisitRow, anchor, due_rows, invalid, labels, visit_rows,
};
use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::returns::{Dimension, ITEMS, RawVisit, VisitMonth};
use uuid::Uuid;

/// A visit as typed: the month, the date, the note, and one field per survey item.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    month: String,
    visited_on: String,
    note: String,
    #[serde(flatten)]
    answers: std::collections::BTreeMap<String, String>,
}
crate::form_body!(VisitForm);

#[derive(Template)]
#[template(path = "reintegration.html")]
struct PartnerPage {
    nav: Nav,
    csrf: String,
    referral_id: String,
    errors: Vec<UiError>,
    arrival_on: Option<String>,
    due: Vec<DueRow>,
    visits: Vec<VisitRow>,
    months: Vec<(&'static str, String)>,
    dimensions: Vec<DimensionFields>,
    form: VisitForm,
}

fn item_id(key: &str) -> String {
    format!("visit-answers-{}", key.replace('_', "-"))
}

async fn render_partner(
    state: &AppState,
    s: &UiSession,
    rid: Uuid,
    errors: Vec<UiError>,
    form: VisitForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let f = state
        .store
        .reintegration_follow_up(&s.session.actor, rid)
        .await?;
    let dimensions = Dimension::ALL
        .iter()
        .map(|d| DimensionFields {
            id: d.as_str(),
            label: nav.label("reintegration_dimension", d.as_str()),
            items: ITEMS
                .iter()
                .filter(|i| i.dimension == *d)
                .map(|i| ItemField {
                    key: i.key,
                    id: item_id(i.key),
                    label: nav.t(&format!("return-item-{}", i.key)),
                    answers: i
                        .answers
                        .iter()
                        .rev()
                        .chain(i.excluded.iter())
                        .map(|a| (*a, nav.t(&format!("return-answer-{a}"))))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&PartnerPage {
            csrf: nav.csrf.clone(),
            referral_id: rid.to_string(),
            errors,
            arrival_on: f.arrival_on.map(|d| d.to_string()),
            due: due_rows(&nav, f.arrival_on, &f.visits),
            visits: visit_rows(&nav, f.visits),
            months: labels(&nav, "visit_month", VisitMonth::ALL, |x| x.as_str()),
            dimensions,
            form,
            nav,
        }),
        status,
    ))
}

pub async fn partner(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render_partner(&state, &s, id, Vec::new(), VisitForm::default()).await
}

pub async fn record_visit(
    State(state): State<AppState>,
    Id(rid): Id,
    StaffForm(s, form): StaffForm<VisitForm>,
) -> Result<Response, WebError> {
    let raw = RawVisit {
        month: form.month.clone(),
        visited_on: form.visited_on.clone(),
        // Only the survey's own items are read from the form: its other fields (the
        // anti-forgery token) are not answers.
        answers: ITEMS
            .iter()
            .filter_map(|i| {
                form.answers
                    .get(i.key)
                    .map(|a| (i.key.to_string(), a.clone()))
            })
            .collect(),
        note: form.note.clone(),
    };
    let result = match invalid(raw.validate()) {
        Ok(v) => state
            .store
            .record_reintegration_visit(&s.session.actor, rid, v)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(&format!("/referrals/{rid}/reintegration"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| anchor("visit", f))?;
            render_partner(&state, &s, rid, errors, form).await
        }
    }
}

impl VisitForm {
    /// The answer typed for item `key`, to show the form again as it was.
    pub fn answer(&self, key: &str) -> &str {
        self.answers.get(key).map_or("", String::as_str)
    }
}
