//! What every staff page shares: the header (`Nav`), rendering a template, the error page that
//! a refused request becomes, the CSRF check and the date format.

use crate::kit::UiSession;
use crate::{AppState, ErrorBody, WebError};
use askama::Template;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use passage_core::Role;
use passage_core::policy::case_list_scope;

pub(crate) async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/app.css"),
    )
}

/// What the header shows for a signed-in user.
pub struct Nav {
    pub email: String,
    pub organisation: String,
    pub csrf: String,
    pub reads_cases: bool,
    pub reads_reports: bool,
    pub manages_users: bool,
    /// Supervisors of an organisation whose cases they read: the dashboard.
    pub supervises: bool,
}

impl Nav {
    pub async fn of(state: &AppState, s: &UiSession) -> Result<Nav, WebError> {
        let actor = &s.session.actor;
        let me = state.store.me(actor).await?;
        Ok(Nav {
            email: me.email,
            organisation: me.organisation.name,
            csrf: s.session.csrf.clone(),
            reads_cases: case_list_scope(actor.principal()).is_ok(),
            reads_reports: passage_core::policy::decide(
                actor.principal(),
                passage_core::Action::ReadReport,
                passage_core::Relation::Organisation,
            )
            .is_allowed(),
            manages_users: actor.has_role(Role::OrgAdmin) || actor.has_role(Role::SystemAdmin),
            supervises: actor.has_role(Role::Supervisor)
                && case_list_scope(actor.principal()).is_ok(),
        })
    }
}

/// Renders a template, or a plain error if rendering fails.
pub fn page(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => WebError::internal(format!("template: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Option<Nav>,
    title: &'static str,
    message: String,
    firewall: bool,
}

/// Turns a JSON error from a UI handler into a friendly page with the same status.
pub(crate) async fn render_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let Some(body) = res.extensions().get::<ErrorBody>().cloned() else {
        return res;
    };
    let status = res.status();
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        s if s.is_client_error() => "Something is not right",
        _ => "Something went wrong",
    };
    let firewall = body.reason == Some(passage_core::DenyReason::ImmigrationFirewall);
    let mut out = page(&ErrorPage {
        nav: None,
        title,
        message: body.message,
        firewall,
    });
    *out.status_mut() = status;
    out
}

/// Compares secrets without leaking where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a form's CSRF token against the session's, in constant time.
pub fn check_csrf(expected: &str, given: &str) -> Result<(), WebError> {
    if !expected.is_empty() && constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(WebError::bad_csrf())
    }
}

/// Formats store milliseconds as a UTC date and time.
pub fn when(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}
