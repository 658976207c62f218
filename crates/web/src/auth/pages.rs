//! Sign in and sign out. There is no session yet when the sign-in form is posted, so the form
//! is bound to a pre-session: a cookie holds a random pre-session id (with the time it was
//! issued) and the hidden field holds a keyed hash of that id under a key only this server has.
//! The server checks the field against the cookie, so a forged pair is refused even where a
//! cookie can be planted; over TLS the cookie has the `__Host-` name, which no other site or
//! subdomain can set. The session cookie is `HttpOnly`, `SameSite=Strict`, `Secure` with the
//! `__Host-` prefix over TLS, and renewed at every login.

use crate::AppState;
use crate::kit::cookie;
use crate::kit::extract::lang_param;
use crate::kit::form::StaffForm;
use crate::kit::{ClientSource, Nav, check_csrf, landing, page};
use crate::kit::{UiSession, WebError, see_other};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use passage_store::{LoginError, SessionKind};
use serde::Deserialize;

/// The sign-in waiting for its second factor (a challenge token; only its hash is stored).
pub(super) const CHALLENGE_COOKIE: &str = "passage_second_step";

/// How long a sign-in form stays good.
const LOGIN_FORM_MS: i64 = 3_600_000;

/// The pre-session cookie's name: `__Host-` whenever cookies are `Secure`.
pub(super) fn login_cookie(state: &AppState) -> &'static str {
    if state.config.secure_cookies {
        "__Host-passage_login"
    } else {
        "passage_login"
    }
}

/// The form token of a pre-session id: a keyed hash only this server can make.
pub(super) fn login_token(state: &AppState, id: &str) -> String {
    let mut input = b"sign-in form\0".to_vec();
    input.extend_from_slice(id.as_bytes());
    blake3::keyed_hash(&state.form_key, &input)
        .to_hex()
        .to_string()
}

/// A new pre-session id: when it was issued, and a random part.
pub(super) fn new_pre_session(state: &AppState) -> Result<String, WebError> {
    Ok(format!(
        "{}.{}",
        state.store.clock().now_ms(),
        passage_store::keys::random_hex(16)?
    ))
}

/// Checks a posted sign-in form's token against its pre-session cookie, and the cookie's age.
/// What every form posted before a session checks first: its token against the pre-session
/// cookie, then the per-address rate limit.
pub(super) fn pre_session_post(
    state: &AppState,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(), WebError> {
    check_login_token(
        state,
        &cookie(headers, login_cookie(state)).unwrap_or_default(),
        csrf,
    )?;
    if !state.limiter.allow(ip) {
        return Err(WebError::too_many());
    }
    Ok(())
}

pub(super) fn check_login_token(
    state: &AppState,
    cookie: &str,
    given: &str,
) -> Result<(), WebError> {
    let issued = cookie
        .split_once('.')
        .and_then(|(ms, _)| ms.parse::<i64>().ok())
        .ok_or_else(WebError::bad_csrf)?;
    let age = state.store.clock().now_ms() - issued;
    if !(0..=LOGIN_FORM_MS).contains(&age) {
        return Err(WebError::bad_csrf());
    }
    check_csrf(&login_token(state, cookie), given)
}

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
    let pre_session = new_pre_session(state)?;
    let mut res = page(&LoginPage {
        error: error.map(|e| nav.t(e)),
        nav,
        csrf: login_token(state, &pre_session),
        email,
    });
    *res.status_mut() = status;
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(
            state,
            login_cookie(state),
            &pre_session,
            Some(LOGIN_FORM_MS / 1000),
        ),
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
    ClientSource(ip): ClientSource,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    pre_session_post(&state, ip, &headers, &form.csrf)?;
    const WRONG: &str = "staff-login-wrong";
    match super::sign_in(
        &state,
        ip,
        &form.email,
        &form.password,
        None,
        SessionKind::Ui,
    )
    .await?
    {
        Ok(session) => {
            // Any session cookie the browser had is replaced: a fresh token at every login.
            let mut res = Redirect::to(landing(session.actor.principal())).into_response();
            *res.status_mut() = StatusCode::SEE_OTHER;
            res.headers_mut().append(
                SET_COOKIE,
                cookie_header(&state, state.cookie_name(), &session.token, None),
            );
            res.headers_mut().append(
                SET_COOKIE,
                cookie_header(&state, login_cookie(&state), "", Some(0)),
            );
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
        Err(LoginError::TooManyAttempts { retry_after_secs }) => {
            let email: String = form.email.chars().take(254).collect();
            let nav = anonymous_nav(&state, &uri, &headers);
            let mut res = login_form(
                &state,
                nav,
                email,
                Some("staff-error-msg-rate-limited"),
                StatusCode::TOO_MANY_REQUESTS,
            )?;
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
            Ok(res)
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
    let code = if lang.is_empty() {
        None
    } else {
        Some(
            passage_core::validate::LanguageCode::parse(lang)
                .map_err(passage_store::StoreError::Invalid)?,
        )
    };
    state
        .store
        .set_my_language(&s.session.actor, code.as_ref())
        .await?;
    // Only a path on this site: never `//host` or an absolute address.
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") {
        form.back.as_str()
    } else {
        "/"
    };
    Ok(see_other(back))
}
