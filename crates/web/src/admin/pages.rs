//! User administration for an organisation's org_admin (and system administrators): list,
//! invite, disable and enable. An invited person gets a one-time enrolment link and chooses
//! their own password; roles that read cases wait for a second person's approval. Disabling
//! ends the user's sessions at once.

use crate::AppState;
use crate::kit::Ids;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::{Nav, done, page};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::Role;
use passage_core::validate::FieldError;
use passage_store::accounts::enrol::Invite;
use passage_store::orgs::TimeZoneName;
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
    nav: Nav,
    nav_csrf: String,
    organisation: String,
    users: Vec<UserRow>,
    roles: Vec<&'static str>,
    errors: Vec<FieldError>,
    /// Every time zone by its IANA name, and the organisation's.
    zones: Vec<String>,
    zone: String,
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
            roles: nav.labels("role", &u.roles),
            disabled: u.disabled,
        })
        .collect();
    let grantable = passage_core::policy::accounts::allowed_roles(actor.principal().org_kind)
        .iter()
        .filter(|r| **r != Role::SystemAdmin || actor.has_role(Role::SystemAdmin));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') || n == "UTC")
        .collect();
    zones.sort();
    let mut res = page(&UsersPage {
        zone: nav.zone.iana_name().unwrap_or("UTC").to_string(),
        zones,
        nav_csrf: nav.csrf.clone(),
        organisation: nav.organisation.clone(),
        nav,
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

#[derive(Template)]
#[template(path = "invited.html")]
struct InvitedPage {
    nav: Nav,
    link: String,
    pending: String,
}

/// The add-a-user form: no password, the new person chooses it.
#[derive(serde::Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    roles: Vec<String>,
}
crate::form_body!(NewUserForm);

pub async fn add_user(
    State(state): State<AppState>,
    StaffForm(s, f): StaffForm<NewUserForm>,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    let mut roles = Vec::new();
    for v in &f.roles {
        match Role::parse(v) {
            Some(r) => roles.push(r),
            None => errors.push(FieldError {
                field: "roles".into(),
                code: passage_core::ErrorCode::InvalidValue,
                message: format!("unknown role {v}"),
            }),
        }
    }
    if !errors.is_empty() {
        return render(&state, &s, errors).await;
    }
    let new = Invite {
        org_id: s.session.actor.org_id(),
        email: &f.email,
        display_name: &f.display_name,
        roles: &roles,
    };
    match state.store.invite_user(&s.session.actor, new).await {
        Ok(invitation) => {
            // Shown once: only the token's hash is kept.
            let base = state
                .config
                .public_url
                .as_deref()
                .unwrap_or("")
                .trim_end_matches('/');
            let nav = Nav::of(&state, &s).await?;
            Ok(page(&InvitedPage {
                link: format!("{base}/enrol/{}", invitation.token),
                pending: nav.labels("role", &invitation.pending),
                nav,
            }))
        }
        Err(StoreError::Invalid(p)) => render(&state, &s, p.0).await,
        Err(StoreError::Conflict(what)) => {
            let msg = format!("{what} already exists");
            render(
                &state,
                &s,
                vec![FieldError {
                    field: "email".into(),
                    code: passage_core::ErrorCode::Conflict,
                    message: msg,
                }],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The role asked for (the disable and enable buttons post nothing else).
#[derive(serde::Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}
crate::form_body!(RoleForm);

/// Disables or enables a user, or (`role`) gives them another role: at once when it reads no
/// personal data, otherwise as a grant waiting for a second person.
pub async fn set_state(
    State(state): State<AppState>,
    Ids((id, action)): Ids<(Uuid, String)>,
    StaffForm(s, form): StaffForm<RoleForm>,
) -> Result<Response, WebError> {
    let disabled = match action.as_str() {
        "disable" => true,
        "enable" => false,
        "role" => {
            let value = form.role;
            let Some(role) = Role::parse(&value) else {
                let errors = vec![FieldError {
                    field: "role".into(),
                    code: passage_core::ErrorCode::InvalidValue,
                    message: format!("unknown role {value}"),
                }];
                return render(&state, &s, errors).await;
            };
            return match state.store.request_role(&s.session.actor, id, role).await {
                Ok(_) => Ok(done("/admin/users", "saved")),
                Err(StoreError::Invalid(p)) => render(&state, &s, p.0).await,
                Err(e) => Err(e.into()),
            };
        }
        _ => return Err(WebError::not_found()),
    };
    let by = Authority::User(s.session.actor.clone());
    match state.store.set_user_disabled(&by, id, disabled).await {
        Ok(_) => Ok(done("/admin/users", "saved")),
        Err(StoreError::Invalid(p)) => render(&state, &s, p.0).await,
        Err(e) => Err(e.into()),
    }
}

/// The organisation's time zone, chosen from the list.
#[derive(serde::Deserialize)]
pub struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}
crate::form_body!(TimeZoneForm);

pub async fn set_time_zone(
    State(state): State<AppState>,
    StaffForm(s, f): StaffForm<TimeZoneForm>,
) -> Result<Response, WebError> {
    let by = Authority::User(s.session.actor.clone());
    let org = s.session.actor.org_id();
    // The re-rendered page lists the organisation's users, so only its administrators see
    // the problem; anyone else is refused there as here.
    let zone = match TimeZoneName::parse(&f.time_zone) {
        Ok(zone) => zone,
        Err(p) => return render(&state, &s, p.0).await,
    };
    match state
        .store
        .set_organisation_time_zone(&by, org, &zone)
        .await
    {
        Ok(()) => Ok(done("/admin/users#time-zone", "saved")),
        Err(StoreError::Invalid(p)) => render(&state, &s, p.0).await,
        Err(e) => Err(e.into()),
    }
}
