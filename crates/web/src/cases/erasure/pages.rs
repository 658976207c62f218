//! The erasure page of a case: the legal hold and, for a supervisor, the form that erases the
//! person (a reason and a confirmation; refused, and said so, under a legal hold).

use crate::AppState;
use crate::kit::form::StaffForm;
use crate::kit::{Id, Nav, UiError, UiSession, WebError, page};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::ErrorCode;
use passage_store::StoreError;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "case_erasure.html")]
struct ErasurePage {
    nav: Nav,
    csrf: String,
    case_id: String,
    legal_hold: bool,
    /// When the person was erased, as shown.
    erased: Option<String>,
    errors: Vec<UiError>,
    /// The reason as typed, shown again after a refusal.
    reason: String,
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    errors: Vec<UiError>,
    reason: String,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let st = state.store.erasure_state(&s.session.actor, case).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&ErasurePage {
        csrf: nav.csrf.clone(),
        case_id: case.to_string(),
        legal_hold: st.legal_hold,
        erased: st.erased_at.map(|ms| nav.when(ms)),
        errors,
        reason,
        nav,
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render(&state, &s, id, Vec::new(), String::new()).await
}

fn back(case: Uuid) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/cases/{case}/erasure"))],
    )
        .into_response()
}

/// A refusal the page tells in its own words, at the field it concerns.
fn refused(anchor: &str, code: ErrorCode, message: String) -> Vec<UiError> {
    vec![UiError {
        anchor: anchor.into(),
        message,
        code: Some((anchor.into(), code)),
    }]
}

/// The hold as posted.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct HoldForm {
    /// `set` or `lift`.
    hold: String,
}
crate::form_body!(HoldForm);

pub async fn hold(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, f): StaffForm<HoldForm>,
) -> Result<Response, WebError> {
    let hold = f.hold == "set";
    match state
        .store
        .set_legal_hold(&s.session.actor, case, hold)
        .await
    {
        Ok(()) => Ok(back(case)),
        Err(StoreError::Rule { code, message }) => {
            render(
                &state,
                &s,
                case,
                refused("hold", code, message),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The erasure as posted.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct EraseForm {
    reason: String,
    /// `yes` when the box is ticked.
    confirm: String,
}
crate::form_body!(EraseForm);

pub async fn erase(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, f): StaffForm<EraseForm>,
) -> Result<Response, WebError> {
    if f.confirm != "yes" {
        let errors = refused(
            "confirm",
            ErrorCode::Required,
            "Tick the box to confirm that the person's data is erased for good.".into(),
        );
        return render(&state, &s, case, errors, f.reason).await;
    }
    match state
        .store
        .erase_person(&s.session.actor, case, &f.reason)
        .await
    {
        Ok(_) => Ok(back(case)),
        Err(StoreError::Invalid(p)) => {
            let errors =
                p.0.into_iter()
                    .map(|e| UiError {
                        anchor: e.field.clone(),
                        message: e.message,
                        code: Some((e.field, e.code)),
                    })
                    .collect();
            render(&state, &s, case, errors, f.reason).await
        }
        Err(StoreError::Rule { code, message }) => {
            render(&state, &s, case, refused("reason", code, message), f.reason).await
        }
        Err(e) => Err(e.into()),
    }
}
