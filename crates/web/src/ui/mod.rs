//! The staff UI: pages rendered on the server, forms that work without JavaScript, a CSRF
//! token in every form, errors shown as pages.

mod admin;
mod auth;
mod case_list;
mod cases;
mod casework_follow_up;
mod casework_lifecycle;
mod casework_person;
mod casework_work;
mod duplicates;
mod form;
mod partners;
mod public;
mod reports;
pub(crate) mod screening;

use crate::extract::UiSession;
use crate::{AppState, ErrorBody, WebError};
use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use passage_core::Role;
use passage_core::policy::case_list_scope;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/cases") }))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/cases", get(case_list::list))
        .route("/cases/new", get(cases::new_form).post(cases::create))
        .route("/cases/{id}", get(cases::show))
        .route(
            "/cases/{id}/details",
            post(casework_lifecycle::save_details),
        )
        .route(
            "/cases/{id}/transition",
            post(casework_lifecycle::move_case),
        )
        .route(
            "/cases/{id}/identification",
            post(casework_lifecycle::record_identification),
        )
        .route("/cases/{id}/history", get(casework_lifecycle::history))
        .route("/cases/{id}/follow-up", get(casework_follow_up::show))
        .route(
            "/cases/{id}/screenings",
            get(screening::list).post(screening::start),
        )
        .route(
            "/screenings/{id}",
            get(screening::show).post(screening::save),
        )
        .route("/screenings/{id}/identification", post(screening::identify))
        .route("/duplicates", get(duplicates::show))
        .route("/duplicates/{id}/{action}", post(duplicates::act))
        .route("/merges/{id}/undo", post(duplicates::undo))
        .route("/cases/{id}/partners", get(partners::show))
        .route(
            "/cases/{id}/partners/{signal}/{action}",
            post(partners::act),
        )
        .route(
            "/cases/{id}/follow-up/{visit}",
            post(casework_follow_up::record),
        )
        .route("/approvals", get(casework_lifecycle::approvals))
        .route("/approvals/{id}/{action}", post(casework_lifecycle::decide))
        .route("/stats", get(cases::stats))
        .route(
            "/cases/{id}/person",
            get(casework_person::person).post(casework_person::update_person),
        )
        .route(
            "/cases/{id}/person/documents",
            post(casework_person::add_document),
        )
        .route(
            "/cases/{id}/person/documents/{doc}/{action}",
            post(casework_person::document_action),
        )
        .route(
            "/cases/{id}/consent",
            get(casework_person::consent).post(casework_person::record_consent),
        )
        .route(
            "/cases/{id}/consent/{consent}/withdraw",
            post(casework_person::withdraw_consent),
        )
        .route(
            "/cases/{id}/attachments",
            get(casework_person::attachments)
                .post(casework_person::upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/cases/{id}/attachments/{attachment}",
            get(casework_person::download),
        )
        .route(
            "/cases/{id}/child",
            get(casework_person::child).post(casework_person::record_best_interests),
        )
        .route(
            "/cases/{id}/child/{bi}/sign-off",
            post(casework_person::sign_off),
        )
        .route(
            "/cases/{id}/needs",
            get(casework_work::needs_page).post(casework_work::save_need),
        )
        .route("/cases/{id}/plan", post(casework_work::add_plan_item))
        .route(
            "/cases/{id}/plan/{item}/done",
            post(casework_work::plan_done),
        )
        .route(
            "/cases/{id}/tasks",
            get(casework_work::tasks_page).post(casework_work::add_task),
        )
        .route(
            "/cases/{id}/tasks/{task}/{action}",
            post(casework_work::task_action),
        )
        .route(
            "/cases/{id}/notes",
            get(casework_work::notes_page).post(casework_work::add_note),
        )
        .route(
            "/cases/{id}/services",
            get(casework_work::services_page).post(casework_work::record_service),
        )
        .route("/tasks", get(casework_work::my_tasks))
        .route("/dashboard", get(casework_work::dashboard))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route("/admin/users/{id}/{action}", post(admin::set_state))
        .route("/static/app.css", get(stylesheet))
        .route("/static/public.css", get(public::stylesheet))
        .route("/reports", get(reports::queue))
        .route("/reports/{id}", get(reports::show))
        .route("/reports/{id}/{action}", post(reports::act))
        .route("/hotline", get(reports::desk).post(reports::log_call))
        .route(
            "/report",
            get(public::report_form).post(public::submit_report),
        )
        .route(
            "/report/follow-up",
            get(public::follow_up_form).post(public::follow_up),
        )
        .route("/report/follow-up/reply", post(public::reply))
        .fallback(|| async { WebError::not_found() })
        .layer(middleware::from_fn(render_errors))
}

async fn stylesheet() -> impl IntoResponse {
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
async fn render_errors(req: Request, next: Next) -> Response {
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
    let firewall = body.message.contains("aggregate statistics only");
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
