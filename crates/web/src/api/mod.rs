//! The JSON API under `/api/v1`. Errors are `{"code","message"}` (plus `fields` for
//! validation), every unknown path is a JSON 404.

mod auth;
pub mod cases;
mod channels;
pub mod public;
mod reports;
pub use cases::this_year;
mod casework_follow_up;
pub(crate) mod casework_lifecycle;
pub(crate) mod casework_person;
mod casework_work;
mod duplicates;
mod openapi;
mod openapi_duplicates;
mod openapi_follow_up;
mod openapi_intake;
mod openapi_lifecycle;
mod openapi_person;
mod openapi_screening;
mod openapi_work;
pub(crate) mod screening;

use crate::{AppState, WebError};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(auth::token).delete(auth::revoke))
        .route("/me", get(auth::me))
        .route("/persons", post(cases::create_person))
        .route("/cases", post(cases::create_case).get(cases::list_cases))
        .route(
            "/cases/{id}",
            get(cases::get_case).patch(casework_lifecycle::patch_case),
        )
        .route(
            "/cases/{id}/transitions",
            post(casework_lifecycle::transition),
        )
        .route(
            "/cases/{id}/identification",
            post(casework_lifecycle::identification),
        )
        .route("/cases/{id}/history", get(casework_lifecycle::history))
        .route("/approvals", get(casework_lifecycle::approvals))
        .route("/approvals/{id}/approve", post(casework_lifecycle::approve))
        .route("/approvals/{id}/reject", post(casework_lifecycle::reject))
        .route("/stats/summary", get(cases::stats_summary))
        .route("/public/reports", post(public::submit))
        .route("/public/reports/follow-up", post(public::follow_up))
        .route("/public/reports/messages", post(public::message))
        .route("/reports", get(reports::list).post(reports::create))
        .route("/reports/{id}", get(reports::get))
        .route("/reports/{id}/messages", post(reports::message))
        .route("/reports/{id}/open-case", post(reports::open_case))
        .route("/reports/{id}/acknowledge", post(reports::acknowledge))
        .route("/reports/{id}/link", post(reports::link))
        .route("/reports/{id}/close", post(reports::close))
        .route("/channels/twilio/sms", post(channels::twilio_sms))
        .route("/channels/rapidpro", post(channels::rapidpro))
        .route(
            "/cases/{id}/needs",
            get(casework_work::list_needs).put(casework_work::put_need),
        )
        .route(
            "/cases/{id}/plan",
            get(casework_work::list_plan).post(casework_work::add_plan_item),
        )
        .route("/plan-items/{id}", post(casework_work::update_plan_item))
        .route(
            "/cases/{id}/tasks",
            get(casework_work::list_case_tasks).post(casework_work::create_task),
        )
        .route("/tasks", get(casework_work::list_tasks))
        .route("/tasks/{id}/complete", post(casework_work::complete_task))
        .route("/tasks/{id}/reassign", post(casework_work::reassign_task))
        .route(
            "/cases/{id}/notes",
            get(casework_work::list_notes).post(casework_work::add_note),
        )
        .route(
            "/cases/{id}/services",
            get(casework_work::list_services).post(casework_work::record_service),
        )
        .route("/dashboard", get(casework_work::dashboard))
        .route(
            "/persons/{id}",
            get(casework_person::get_person).patch(casework_person::patch_person),
        )
        .route(
            "/persons/{id}/documents",
            post(casework_person::add_document),
        )
        .route(
            "/persons/{id}/documents/{document_id}",
            patch(casework_person::update_document).delete(casework_person::remove_document),
        )
        .route(
            "/persons/{id}/consents",
            get(casework_person::list_consents).post(casework_person::record_consent),
        )
        .route(
            "/persons/{id}/consents/{consent_id}",
            delete(casework_person::withdraw_consent),
        )
        .route(
            "/cases/{id}/attachments",
            get(casework_person::list_attachments)
                .post(casework_person::upload_attachment)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/attachments/{id}",
            get(casework_person::download_attachment),
        )
        .route(
            "/cases/{id}/best-interests",
            get(casework_person::list_best_interests).post(casework_person::record_best_interests),
        )
        .route(
            "/best-interests/{id}/sign-off",
            post(casework_person::sign_off),
        )
        .route("/cases/{id}/follow-ups", get(casework_follow_up::list))
        .route("/follow-ups/{id}", post(casework_follow_up::record))
        .route("/screening/instruments", get(screening::instruments))
        .route(
            "/cases/{id}/screenings",
            get(screening::list).post(screening::create),
        )
        .route(
            "/screenings/{id}",
            get(screening::get_one).patch(screening::save),
        )
        .route("/screenings/{id}/identification", post(screening::identify))
        .route("/duplicates", get(duplicates::queue))
        .route("/duplicates/{id}/merge", post(duplicates::merge))
        .route("/duplicates/{id}/dismiss", post(duplicates::dismiss))
        .route("/merges", get(duplicates::merges))
        .route("/merges/{id}/undo", post(duplicates::undo))
        .route("/persons/{id}/duplicates", get(duplicates::status))
        .route(
            "/persons/{id}/partner-signals",
            get(duplicates::partner_signals),
        )
        .route(
            "/persons/{id}/partner-signals/{signal}/consent",
            post(duplicates::partner_consent),
        )
        .route(
            "/persons/{id}/partner-signals/{signal}/decline",
            post(duplicates::partner_decline),
        )
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { WebError::not_found() })
}
