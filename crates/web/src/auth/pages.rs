//! Sign in and sign out. The sign-in form is protected by a double-submit token (a cookie and
//! a hidden field) because there is no session yet; the session cookie is `HttpOnly`,
//! `SameSite=Strict`, `Secure` with the `__Host-` prefix over TLS, and renewed at every login.

use crate::AppState;
use crate::kit::WebError;
use crate::kit::cookie;
use crate::kit::{Nav, check_csrf, page};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use passage_store::{LoginError, SessionKind};
use serde::Deserialize;
use std::net::SocketAddr;

const LOGIN_COOKIE: &str = "passage_login";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    error: Option<&'static str>,
}

fn cookie_header(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

fn login_form(
    state: &AppState,
    email: String,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let csrf = passage_store::keys::random_hex(32)?;
    let mut res = page(&LoginPage {
        nav: None,
        csrf: csrf.clone(),
        email,
        error,
    });
    *res.status_mut() = status;
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(state, LOGIN_COOKIE, &csrf, Some(3600)),
    );
    Ok(res)
}

pub async fn login_page(State(state): State<AppState>) -> Result<Response, WebError> {
    login_form(&state, String::new(), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    check_csrf(
        &cookie(&headers, LOGIN_COOKIE).unwrap_or_default(),
        &form.csrf,
    )?;
    if !state.limiter.allow(addr.ip()) {
        return Err(WebError::too_many());
    }
    const WRONG: &str = "The e-mail address or password is incorrect.";
    match state
        .store
        .login(&form.email, &form.password, SessionKind::Ui)
        .await
    {
        Ok(session) => {
            // Any session cookie the browser had is replaced: a fresh token at every login.
            let mut res = Redirect::to("/cases").into_response();
            *res.status_mut() = StatusCode::SEE_OTHER;
            res.headers_mut().append(
                SET_COOKIE,
                cookie_header(&state, state.cookie_name(), &session.token, None),
            );
            res.headers_mut()
                .append(SET_COOKIE, cookie_header(&state, LOGIN_COOKIE, "", Some(0)));
            Ok(res)
        }
        Err(LoginError::Invalid) => {
            let email: String = form.email.chars().take(254).collect();
            login_form(&state, email, Some(WRONG), StatusCode::UNAUTHORIZED)
        }
        Err(LoginError::Store(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    if let Some(token) = cookie(&headers, state.cookie_name()) {
        if let Some(session) = state.store.authenticate(&token, SessionKind::Ui).await? {
            check_csrf(&session.csrf, &form.csrf)?;
        }
        state.store.logout(&token).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(&state, state.cookie_name(), "", Some(0)),
    );
    Ok(res)
}
