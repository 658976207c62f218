//! The inbox page (`/inbox`): the user's notifications in the page's language, each linking to
//! its referral, with a button to mark it read; and the organisation's webhook page
//! (`/admin/webhooks`): the endpoint, registering one (its secret shown once), and the
//! delivery log with the notices given up on, so a person sees what was not delivered.

use crate::AppState;
use crate::kit::form::{Button, StaffForm};
use crate::kit::{Id, Nav, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::validate::FieldError;
use passage_store::StoreError;
use uuid::Uuid;

pub struct Row {
    id: Uuid,
    /// The message key of the kind (`staff-inbox-kind-referral-received`).
    kind_key: String,
    referral_id: Uuid,
    organisation: String,
    when: String,
    read: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    nav: Nav,
    nav_csrf: String,
    rows: Vec<Row>,
    unread: i64,
}

pub async fn inbox(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let found = state.store.inbox(&s.session.actor).await?;
    let nav = Nav::of(&state, &s).await?;
    let rows = found
        .notifications
        .into_iter()
        .map(|n| Row {
            id: n.id,
            kind_key: format!("staff-inbox-kind-{}", n.kind.as_str().replace('_', "-")),
            referral_id: n.referral_id,
            organisation: n.organisation_name,
            when: nav.when(n.created_at),
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(page(&InboxPage {
        nav_csrf: nav.csrf.clone(),
        nav,
        rows,
        unread: found.unread,
    }))
}

pub async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    state
        .store
        .mark_notification_read(&s.session.actor, id)
        .await?;
    Ok(done("/inbox", "inbox-read"))
}

pub struct EndpointRow {
    id: Uuid,
    url: String,
    since: String,
}

pub struct DeliveryRow {
    event_key: String,
    status_key: String,
    dead: bool,
    attempts: i64,
    created: String,
    last: String,
    next: String,
}

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    nav: Nav,
    nav_csrf: String,
    endpoint: Option<EndpointRow>,
    /// The secret of the endpoint just registered: shown on this page once.
    secret: Option<String>,
    deliveries: Vec<DeliveryRow>,
    dead: i64,
    errors: Vec<FieldError>,
    url: String,
}

async fn render(
    state: &AppState,
    s: &UiSession,
    secret: Option<String>,
    errors: Vec<FieldError>,
    url: String,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let endpoint = state.store.webhook_endpoint(actor).await?;
    let log = state.store.webhook_log(actor).await?;
    let dead = state.store.dead_webhooks(actor).await?;
    let nav = Nav::of(state, s).await?;
    let endpoint = endpoint.map(|e| EndpointRow {
        id: e.id,
        url: e.url,
        since: nav.when(e.created_at),
    });
    let deliveries = log
        .into_iter()
        .map(|d| DeliveryRow {
            event_key: format!("staff-inbox-kind-{}", d.event.replace('_', "-")),
            status_key: format!("staff-webhooks-status-{}", d.status),
            dead: d.status == "dead",
            attempts: d.attempts,
            created: nav.when(d.created_at),
            last: match (d.last_at, d.last_result) {
                (Some(at), Some(r)) => format!("{} · {r}", nav.when(at)),
                (Some(at), None) => nav.when(at),
                _ => String::new(),
            },
            next: d.next_at.map(|at| nav.when(at)).unwrap_or_default(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&WebhooksPage {
        nav_csrf: nav.csrf.clone(),
        nav,
        endpoint,
        secret,
        deliveries,
        dead,
        errors,
        url,
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn webhooks(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    render(&state, &s, None, Vec::new(), String::new()).await
}

/// The endpoint's address.
#[derive(serde::Deserialize)]
pub struct EndpointForm {
    #[serde(default)]
    url: String,
}
crate::form_body!(EndpointForm);

pub async fn register(
    State(state): State<AppState>,
    StaffForm(s, f): StaffForm<EndpointForm>,
) -> Result<Response, WebError> {
    match state.store.register_webhook(&s.session.actor, &f.url).await {
        Ok(r) => render(&state, &s, Some(r.secret), Vec::new(), String::new()).await,
        Err(StoreError::Invalid(p)) => render(&state, &s, None, p.0, f.url).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    state.store.delete_webhook(&s.session.actor, id).await?;
    Ok(done("/admin/webhooks", "saved"))
}

pub async fn retry(
    State(state): State<AppState>,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    state.store.retry_dead_webhooks(&s.session.actor).await?;
    Ok(done("/admin/webhooks", "webhooks-requeued"))
}
