//! The register of recruiters and employers (issue 15 items 1, 2 and 7): entities added and
//! found by name or licence number, named from reports, cases, held documents and screenings
//! with a role (a typed name offered for confirmation, never merged silently), duplicates
//! merged and unmerged by a supervisor, a link made by mistake removed by the organisation that
//! made it, licences kept without lost updates, confirmed sanctions, and the public recruiter
//! check. Immigration enforcement meets the firewall on every route.

mod api;
pub(crate) mod openapi;
mod pages;
mod public;
mod sections;
mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{delete, get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/entities", get(api::list).post(api::create))
        .route("/entities/{id}", get(api::get))
        .route("/entities/{id}/licence", post(api::licence))
        .route("/entities/{id}/sanctions", post(api::sanction))
        .route("/entities/{id}/workplaces", post(api::workplace))
        .route("/entities/{id}/merge", post(api::merge))
        .route("/entities/{id}/unmerge", post(api::unmerge))
        .route(
            "/cases/{id}/entities",
            get(api::case_links).post(api::link_case),
        )
        .route(
            "/reports/{id}/entities",
            get(api::report_links).post(api::link_report),
        )
        .route("/documents/{id}/entities", post(api::link_document))
        .route("/screenings/{id}/entities", post(api::link_screening))
        .route("/cases/{id}/entities/{link_id}", delete(api::unlink_case))
        .route(
            "/reports/{id}/entities/{link_id}",
            delete(api::unlink_report),
        )
        .route(
            "/documents/{id}/entities/{link_id}",
            delete(api::unlink_document),
        )
        .route(
            "/screenings/{id}/entities/{link_id}",
            delete(api::unlink_screening),
        )
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/recruiters", get(public::public))
        .route("/entities", get(pages::register).post(pages::create))
        .route("/entities/{id}", get(pages::show))
        .route("/entities/{id}/{step}", post(pages::step))
        .route(
            "/cases/{id}/entities",
            get(sections::case_section).post(sections::case_link),
        )
        .route(
            "/reports/{id}/entities",
            get(sections::report_section).post(sections::report_link),
        )
        .route(
            "/cases/{id}/person/documents/{doc}/entities",
            get(sections::document_section).post(sections::document_link),
        )
        .route(
            "/screenings/{id}/entities",
            get(sections::screening_section).post(sections::screening_link),
        )
}
