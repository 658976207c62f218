//! `/enrol/{token}`: the new person opens the one-time link their administrator handed over,
//! chooses a password and, where required, enrols a second factor. No session yet, so the
//! form has the sign-in form's double-submit token; the client limit applies.

use super::pages::{LOGIN_COOKIE, anonymous_nav, cookie_header};
use super::second_step::RecoveryCodes;
use crate::AppState;
use crate::kit::{Nav, WebError, check_csrf, cookie, page};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use passage_core::validate::FieldError;
use passage_store::StoreError;
use passage_store::accounts::second_factor::TotpSetup;
use serde::Deserialize;
use std::net::SocketAddr;

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
    let csrf = passage_store::keys::random_hex(32)?;
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
        cookie_header(state, LOGIN_COOKIE, &csrf, Some(3600)),
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
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Form(f): Form<EnrolForm>,
) -> Result<Response, WebError> {
    check_csrf(&cookie(&headers, LOGIN_COOKIE).unwrap_or_default(), &f.csrf)?;
    if !state.limiter.allow(addr.ip()) {
        return Err(WebError::too_many());
    }
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
            res.headers_mut()
                .append(SET_COOKIE, cookie_header(&state, LOGIN_COOKIE, "", Some(0)));
            Ok(res)
        }
        Err(StoreError::Invalid(p)) => form(&state, nav, &token, p.0).await,
        Err(e) => Err(e.into()),
    }
}
