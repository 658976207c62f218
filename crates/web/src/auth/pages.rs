//! Sign in and sign out. The sign-in form is protected by a double-submit token (a cookie and
//! a hidden field) because there is no session yet; the session cookie is `HttpOnly`,
//! `SameSite=Strict`, `Secure` with the `__Host-` prefix over TLS, and renewed at every login.

use crate::AppState;
use crate::kit::cookie;
use crate::kit::extract::lang_param;
use crate::kit::form::StaffForm;
use crate::kit::{Nav, check_csrf, landing, page};
use crate::kit::{UiSession, WebError, see_other};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use passage_store::{LoginError, SessionKind};
use serde::Deserialize;
use std::net::SocketAddr;

pub(super) const LOGIN_COOKIE: &str = "passage_login";
/// The sign-in waiting for its second factor (a challenge token; only its hash is stored).
pub(super) const CHALLENGE_COOKIE: &str = "passage_second_step";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Nav,
    csrf: String,
    email: String,
    error: Option<String>,
}

pub(super) fn cookie_header(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) -> HeaderValue {
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

/// The sign-in page's frame, in the language of `?lang=` or of the browser.
pub(super) fn anonymous_nav(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Nav {
    let chosen = lang_param(uri.query());
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Nav::anonymous(&state.i18n, state.i18n.negotiate(chosen.as_deref(), accept))
}

fn login_form(
    state: &AppState,
    nav: Nav,
    email: String,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let csrf = passage_store::keys::random_hex(32)?;
    let mut res = page(&LoginPage {
        error: error.map(|e| nav.t(e)),
        nav,
        csrf: csrf.clone(),
        email,
    });
    *res.status_mut() = status;
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(state, LOGIN_COOKIE, &csrf, Some(3600)),
    );
    Ok(res)
}

pub async fn login_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let nav = anonymous_nav(&state, &uri, &headers);
    login_form(&state, nav, String::new(), None, StatusCode::OK)
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
    uri: Uri,
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
    const WRONG: &str = "staff-login-wrong";
    match state
        .store
        .login(&form.email, &form.password, SessionKind::Ui)
        .await
    {
        Ok(session) => {
            // Any session cookie the browser had is replaced: a fresh token at every login.
            let mut res = Redirect::to(landing(session.actor.principal())).into_response();
            *res.status_mut() = StatusCode::SEE_OTHER;
            res.headers_mut().append(
                SET_COOKIE,
                cookie_header(&state, state.cookie_name(), &session.token, None),
            );
            res.headers_mut()
                .append(SET_COOKIE, cookie_header(&state, LOGIN_COOKIE, "", Some(0)));
            Ok(res)
        }
        Err(LoginError::SecondFactorRequired(challenge)) => {
            // The password was right: the second step asks for the code (or enrols it).
            let mut res = see_other("/login/code");
            res.headers_mut().append(
                SET_COOKIE,
                cookie_header(&state, CHALLENGE_COOKIE, &challenge.token, Some(600)),
            );
            Ok(res)
        }
        Err(LoginError::Invalid) => {
            let email: String = form.email.chars().take(254).collect();
            let nav = anonymous_nav(&state, &uri, &headers);
            login_form(&state, nav, email, Some(WRONG), StatusCode::UNAUTHORIZED)
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

/// `/`: each user lands on a page they can use. Those who read no case, no report and
/// administer no user (analysts, immigration enforcement) see the statistics here, the only
/// thing Passage shows them.
pub async fn start(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    match landing(s.session.actor.principal()) {
        "/" => crate::stats::statistics_page(state, s).await,
        to => Ok(Redirect::to(to).into_response()),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}
crate::form_body!(LanguageForm);

/// Saves the signed-in user's language (empty: no choice, follow the browser) and returns to
/// the page the picker was on.
pub async fn set_language(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<LanguageForm>,
) -> Result<Response, WebError> {
    let lang = form.lang.trim();
    if !lang.is_empty() && !state.i18n.has(lang) {
        return Err(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            passage_core::ErrorCode::UnsupportedLanguage,
            "This language is not available.",
        ));
    }
    state
        .store
        .set_my_language(&s.session.actor, (!lang.is_empty()).then_some(lang))
        .await?;
    // Only a path on this site: never `//host` or an absolute address.
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") {
        form.back.as_str()
    } else {
        "/"
    };
    Ok(see_other(back))
}
