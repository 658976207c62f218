//! The page of role grants for an organisation's administrators and supervisors: pending ones
//! to approve or refuse, and the recent decisions.

use crate::AppState;
use crate::kit::Ids;
use crate::kit::form::Button;
use crate::kit::form::StaffForm;
use crate::kit::{Nav, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

pub struct GrantRow {
    id: uuid::Uuid,
    email: String,
    role: String,
    status: String,
    pending: bool,
}

#[derive(Template)]
#[template(path = "grants.html")]
struct GrantsPage {
    nav: Nav,
    nav_csrf: String,
    grants: Vec<GrantRow>,
}

pub async fn grants_page(
    State(state): State<AppState>,
    s: UiSession,
) -> Result<Response, WebError> {
    let grants = state.store.role_grants(&s.session.actor).await?;
    let nav = Nav::of(&state, &s).await?;
    let grants = grants
        .into_iter()
        .map(|g| GrantRow {
            id: g.id,
            email: g.user_email,
            role: nav.label("role", g.role.as_str()),
            pending: g.status == "pending",
            status: g.status,
        })
        .collect();
    Ok(page(&GrantsPage {
        nav_csrf: nav.csrf.clone(),
        nav,
        grants,
    }))
}

pub async fn decide(
    State(state): State<AppState>,
    Ids((id, action)): Ids<(Uuid, String)>,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    let approve = match action.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(WebError::not_found()),
    };
    state
        .store
        .decide_grant(&s.session.actor, id, approve)
        .await?;
    Ok(done("/admin/grants", "saved"))
}
