//! The second step of signing in: after a right password, the one-time code (or a recovery
//! code), or, for a user who must have a second factor and has none, its enrolment. The
//! challenge lives in an `HttpOnly` cookie; the form has the same double-submit token as the
//! sign-in form; the client limit and the account's sign-in throttle apply to every code.

use super::pages::{
    CHALLENGE_COOKIE, anonymous_nav, cookie_header, login_cookie, login_token, new_pre_session,
    pre_session_post,
};
use crate::AppState;
use crate::kit::ClientSource;
use crate::kit::{Nav, WebError, cookie, landing, page, see_other};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use passage_store::accounts::second_factor::{SecondStep, TotpSetup};
use passage_store::{LoginError, SessionKind};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    nav: Nav,
    csrf: String,
    setup: Option<TotpSetup>,
    error: Option<String>,
}

/// The recovery codes, shown once, after enrolling a second factor.
#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub(super) struct RecoveryCodes {
    pub nav: Nav,
    pub codes: Vec<String>,
    pub next: String,
}

async fn code_form(
    state: &AppState,
    nav: Nav,
    challenge: &str,
    error: bool,
) -> Result<Response, WebError> {
    let Some(step) = state.store.second_step(challenge).await? else {
        return Ok(see_other("/login"));
    };
    let pre_session = new_pre_session(state)?;
    let csrf = login_token(state, &pre_session);
    let mut res = page(&CodePage {
        error: error.then(|| nav.t("staff-2fa-wrong")),
        nav,
        csrf: csrf.clone(),
        setup: match step {
            SecondStep::Code => None,
            SecondStep::Enrol(setup) => Some(setup),
        },
    });
    if error {
        *res.status_mut() = StatusCode::UNAUTHORIZED;
    }
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(state, login_cookie(state), &pre_session, Some(3600)),
    );
    Ok(res)
}

pub async fn code_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(challenge) = cookie(&headers, CHALLENGE_COOKIE) else {
        return Ok(see_other("/login"));
    };
    let nav = anonymous_nav(&state, &uri, &headers);
    code_form(&state, nav, &challenge, false).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    csrf: String,
    code: String,
}

pub async fn submit_code(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    pre_session_post(&state, ip, &headers, &form.csrf)?;
    let Some(challenge) = cookie(&headers, CHALLENGE_COOKIE) else {
        return Ok(see_other("/login"));
    };
    let code: String = form.code.chars().take(64).collect();
    match state
        .store
        .login_second_step(&challenge, &code, SessionKind::Ui)
        .await
    {
        Ok((session, codes)) => {
            let next = landing(session.actor.principal()).to_string();
            let mut res = if codes.is_empty() {
                see_other(&next)
            } else {
                let nav = anonymous_nav(&state, &uri, &headers);
                page(&RecoveryCodes { nav, codes, next })
            };
            let h = res.headers_mut();
            h.append(
                SET_COOKIE,
                cookie_header(&state, state.cookie_name(), &session.token, None),
            );
            h.append(
                SET_COOKIE,
                cookie_header(&state, login_cookie(&state), "", Some(0)),
            );
            h.append(
                SET_COOKIE,
                cookie_header(&state, CHALLENGE_COOKIE, "", Some(0)),
            );
            Ok(res)
        }
        Err(LoginError::Invalid) | Err(LoginError::SecondFactorRequired(_)) => {
            let nav = anonymous_nav(&state, &uri, &headers);
            code_form(&state, nav, &challenge, true).await
        }
        Err(LoginError::TooManyAttempts { retry_after_secs }) => {
            Err(WebError::too_many_attempts(retry_after_secs))
        }
        Err(LoginError::Store(e)) => Err(e.into()),
    }
}
