//! `/enrol/{token}`: the new person opens the one-time link their administrator handed over,
//! chooses a password and, where required, enrols a second factor. No session yet, so the
//! form has the sign-in form's double-submit token; the client limit applies.

use super::pages::{
    anonymous_nav, cookie_header, login_cookie, login_token, new_pre_session, pre_session_post,
};
use super::second_step::RecoveryCodes;
use crate::AppState;
use crate::kit::ClientSource;
use crate::kit::{Nav, WebError, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use passage_core::validate::FieldError;
use passage_store::StoreError;
use passage_store::accounts::second_factor::TotpSetup;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    nav: Nav,
    csrf: String,
    token: String,
    email: String,
    setup: Option<TotpSetup>,
    invalid: bool,
    errors: Vec<FieldError>,
}

async fn form(
    state: &AppState,
    nav: Nav,
    token: &str,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let pre_session = new_pre_session(state)?;
    let csrf = login_token(state, &pre_session);
    let (email, setup, invalid) = match state.store.enrolment(token).await {
        Ok(e) => (e.email, e.second_factor, false),
        Err(StoreError::Invalid(_)) => (String::new(), None, true),
        Err(e) => return Err(e.into()),
    };
    let status = if invalid {
        StatusCode::NOT_FOUND
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&EnrolPage {
        nav,
        csrf: csrf.clone(),
        token: if invalid {
            String::new()
        } else {
            token.to_string()
        },
        email,
        setup,
        invalid,
        errors,
    });
    *res.status_mut() = status;
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(state, login_cookie(state), &pre_session, Some(3600)),
    );
    Ok(res)
}

pub async fn enrol_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let nav = anonymous_nav(&state, &uri, &headers);
    form(&state, nav, &token, Vec::new()).await
}

#[derive(Deserialize)]
pub struct EnrolForm {
    csrf: String,
    password: String,
    #[serde(default)]
    code: String,
}

pub async fn enrol(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Form(f): Form<EnrolForm>,
) -> Result<Response, WebError> {
    pre_session_post(&state, ip, &headers, &f.csrf)?;
    let nav = anonymous_nav(&state, &uri, &headers);
    let code = (!f.code.trim().is_empty()).then_some(f.code.as_str());
    match state
        .store
        .complete_enrolment(&token, &f.password, code)
        .await
    {
        Ok(codes) => {
            let mut res = page(&RecoveryCodes {
                nav,
                codes,
                next: "/login".into(),
            });
            res.headers_mut().append(
                SET_COOKIE,
                cookie_header(&state, login_cookie(&state), "", Some(0)),
            );
            Ok(res)
        }
        Err(StoreError::Invalid(p)) => form(&state, nav, &token, p.0).await,
        Err(e) => Err(e.into()),
    }
}
