//! The person of a case: identity and documents, consent, attachments, children's
//! best-interests decisions.

mod api;
pub(crate) mod openapi;
mod pages;
pub(crate) mod shared;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route(
            "/persons/{id}",
            get(api::get_person).patch(api::patch_person),
        )
        .route("/persons/{id}/documents", post(api::add_document))
        .route(
            "/persons/{id}/documents/{document_id}",
            patch(api::update_document).delete(api::remove_document),
        )
        .route(
            "/persons/{id}/consents",
            get(api::list_consents).post(api::record_consent),
        )
        .route(
            "/persons/{id}/consents/{consent_id}",
            delete(api::withdraw_consent),
        )
        .route(
            "/cases/{id}/attachments",
            get(api::list_attachments)
                .post(api::upload_attachment)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/attachments/{id}", get(api::download_attachment))
        .route(
            "/cases/{id}/best-interests",
            get(api::list_best_interests).post(api::record_best_interests),
        )
        .route("/best-interests/{id}/sign-off", post(api::sign_off))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/person",
            get(pages::identity::person).post(pages::identity::update_person),
        )
        .route(
            "/cases/{id}/person/documents",
            post(pages::identity::add_document),
        )
        .route(
            "/cases/{id}/person/documents/{doc}/{action}",
            post(pages::identity::document_action),
        )
        .route(
            "/cases/{id}/consent",
            get(pages::consent::consent).post(pages::consent::record_consent),
        )
        .route(
            "/cases/{id}/consent/{consent}/withdraw",
            post(pages::consent::withdraw_consent),
        )
        .route(
            "/cases/{id}/attachments",
            get(pages::attachments::attachments)
                .post(pages::attachments::upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/cases/{id}/attachments/{attachment}",
            get(pages::attachments::download),
        )
        .route(
            "/cases/{id}/child",
            get(pages::child::child).post(pages::child::record_best_interests),
        )
        .route(
            "/cases/{id}/child/{bi}/sign-off",
            post(pages::child::sign_off),
        )
}
