//! The follow-up page of a case: visits due after closure, and the sustainability check.

use crate::AppState;
use crate::kit::UiError;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::{Id, Ids};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_store::StoreError;
use passage_store::casework::follow_up::{FollowUp, Visit};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "follow_up_visits.html")]
struct VisitsPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    visits: Vec<FollowUp>,
    errors: Vec<UiError>,
    today: String,
    /// What was typed into the form that failed, shown again in it.
    typed: Option<Typed>,
}

/// The fields of a visit form as typed.
pub struct Typed {
    id: Uuid,
    done_on: String,
    economic: String,
    social: String,
    psychosocial: String,
    note: String,
}

impl VisitsPage {
    /// What was typed for `visit`, if its form failed.
    fn typed_for(&self, visit: &Uuid) -> Option<&Typed> {
        self.typed.as_ref().filter(|t| t.id == *visit)
    }
}

impl Typed {
    /// A score field's typed value.
    fn score(&self, field: &str) -> &str {
        match field {
            "economic" => &self.economic,
            "social" => &self.social,
            _ => &self.psychosocial,
        }
    }
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    errors: Vec<UiError>,
    typed: Option<Typed>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let visits = state.store.follow_ups(&s.session.actor, case).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&VisitsPage {
        csrf: nav.csrf.clone(),
        nav,
        case_id: case.to_string(),
        visits,
        errors,
        today: state.store.clock().today().to_string(),
        typed,
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render(&state, &s, id, Vec::new(), None).await
}

/// A visit as posted.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    done_on: String,
    economic: String,
    social: String,
    psychosocial: String,
    note: String,
    version: String,
}
crate::form_body!(VisitForm);

pub async fn record(
    State(state): State<AppState>,
    Ids((case, visit_id)): Ids<(Uuid, Uuid)>,
    StaffForm(s, f): StaffForm<VisitForm>,
) -> Result<Response, WebError> {
    let visit = Visit {
        done_on: f.done_on,
        economic: f.economic,
        social: f.social,
        psychosocial: f.psychosocial,
        note: Some(f.note),
        version: f.version.trim().parse().unwrap_or(-1),
    };
    let anchor = |f: &str| format!("visit-{visit_id}-{f}");
    let typed = Typed {
        id: visit_id,
        done_on: visit.done_on.clone(),
        economic: visit.economic.clone(),
        social: visit.social.clone(),
        psychosocial: visit.psychosocial.clone(),
        note: visit.note.clone().unwrap_or_default(),
    };
    match state
        .store
        .record_follow_up(&s.session.actor, visit_id, visit)
        .await
    {
        Ok(_) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/cases/{case}/follow-up"))],
        )
            .into_response()),
        Err(StoreError::Invalid(p)) => {
            let errors =
                p.0.into_iter()
                    .map(|f| UiError {
                        code: None,
                        anchor: anchor(&f.field),
                        message: f.message,
                    })
                    .collect();
            render(&state, &s, case, errors, Some(typed)).await
        }
        Err(StoreError::VersionConflict { .. }) => {
            let errors = vec![UiError {
                code: None,
                anchor: anchor("done_on"),
                message: "Someone recorded this visit while you were typing. The page shows what they saved; record yours again if it differs.".into(),
            }];
            render(&state, &s, case, errors, Some(typed)).await
        }
        Err(e) => Err(e.into()),
    }
}
