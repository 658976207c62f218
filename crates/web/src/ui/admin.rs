//! User administration for an organisation's org_admin (and system administrators): list,
//! add, disable and enable. Disabling ends the user's sessions at once.

use super::{Nav, check_csrf, page};
use crate::extract::UiSession;
use crate::extract::form_pairs;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use passage_core::Role;
use passage_core::validate::FieldError;
use passage_store::orgs::NewUser;
use passage_store::{Authority, StoreError};
use uuid::Uuid;

pub struct UserRow {
    id: Uuid,
    email: String,
    display_name: String,
    roles: String,
    disabled: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    nav: Option<Nav>,
    nav_csrf: String,
    organisation: String,
    users: Vec<UserRow>,
    roles: Vec<&'static str>,
    errors: Vec<FieldError>,
}

async fn render(
    state: &AppState,
    s: &UiSession,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let by = Authority::User(actor.clone());
    let users = state.store.users_of(&by, actor.org_id()).await?;
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            roles: u
                .roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            disabled: u.disabled,
        })
        .collect();
    let grantable = Role::ALL
        .iter()
        .filter(|r| **r != Role::SystemAdmin || actor.has_role(Role::SystemAdmin));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&UsersPage {
        nav_csrf: nav.csrf.clone(),
        organisation: nav.organisation.clone(),
        nav: Some(nav),
        users: rows,
        roles: grantable.map(|r| r.as_str()).collect(),
        errors,
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn users(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    render(&state, &s, Vec::new()).await
}

pub async fn add_user(
    State(state): State<AppState>,
    s: UiSession,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let pairs = form_pairs(&body);
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    check_csrf(&s.session.csrf, &field("csrf"))?;
    let mut errors = Vec::new();
    let mut roles = Vec::new();
    for (_, v) in pairs.iter().filter(|(k, _)| k == "roles") {
        match Role::parse(v) {
            Some(r) => roles.push(r),
            None => errors.push(FieldError {
                field: "roles".into(),
                code: "invalid_value",
                message: format!("unknown role {v}"),
            }),
        }
    }
    if !errors.is_empty() {
        return render(&state, &s, errors).await;
    }
    let by = Authority::User(s.session.actor.clone());
    let new = NewUser {
        org_id: s.session.actor.org_id(),
        email: &field("email"),
        display_name: &field("display_name"),
        password: &field("password"),
        roles: &roles,
    };
    match state.store.create_user(&by, new).await {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(StoreError::Invalid(p)) => render(&state, &s, p.0).await,
        Err(StoreError::Conflict(what)) => {
            let msg = format!("{what} already exists");
            render(
                &state,
                &s,
                vec![FieldError {
                    field: "email".into(),
                    code: "conflict",
                    message: msg,
                }],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_state(
    State(state): State<AppState>,
    s: UiSession,
    Path((id, action)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let pairs = form_pairs(&body);
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    check_csrf(&s.session.csrf, csrf)?;
    let id = Uuid::parse_str(&id).map_err(|_| WebError::not_found())?;
    let disabled = match action.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(WebError::not_found()),
    };
    let by = Authority::User(s.session.actor.clone());
    match state.store.set_user_disabled(&by, id, disabled).await {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(StoreError::Invalid(p)) => render(&state, &s, p.0).await,
        Err(e) => Err(e.into()),
    }
}

fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}
