//! Intake: the public door (form, follow-up by receipt, its JSON twin), the hotline desk, the
//! triage queue and the messaging channels.

mod api;
mod channels;
mod delivery;
mod form_token;
pub(crate) mod handover;
pub(crate) mod openapi;
mod pages;
mod public_api;
mod public_pages;
mod receipts;
mod reply_status;
mod types;

pub(crate) use public_pages::{PublicPage, render as render_public};

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/public/reports", post(public_api::submit))
        .route("/public/reports/form-token", get(public_api::form_token))
        .route("/public/reports/follow-up", post(public_api::follow_up))
        .route("/public/reports/messages", post(public_api::message))
        .route("/reports", get(api::list).post(api::create))
        .route("/reports/{id}", get(api::get))
        .route(
            "/reports/{id}/attachments/{attachment_id}",
            get(api::download_attachment),
        )
        .route("/reports/{id}/messages", post(api::message))
        .route("/reports/{id}/open-case", post(api::open_case))
        .route("/reports/{id}/acknowledge", post(api::acknowledge))
        .route("/reports/{id}/link", post(api::link))
        .route("/reports/{id}/close", post(api::close))
        .route("/reports/{id}/hand-over", post(handover::hand_over))
        .route("/reports/{id}/hand-over-targets", get(handover::targets))
        .route("/channels/twilio/sms", post(channels::twilio_sms))
        .route("/channels/rapidpro", post(channels::rapidpro))
        .route("/channels/twilio/status", post(reply_status::twilio))
        .route("/channels/rapidpro/status", post(reply_status::rapidpro))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/static/public.css", get(public_pages::stylesheet))
        .route("/static/exit.js", get(public_pages::exit_script))
        .route("/reports", get(pages::queue))
        .route("/reports/{id}", get(pages::show))
        .route(
            "/reports/{id}/hand-over",
            get(handover::show).post(handover::post),
        )
        .route("/reports/{id}/{action}", post(pages::act))
        .route("/hotline", get(pages::desk).post(pages::log_call))
        .route(
            "/report",
            get(public_pages::report_form)
                .post(public_pages::submit_report)
                // The form carries a file: its handler bounds the body by the attachment limit.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/reports/{id}/attachments/{attachment}",
            get(pages::download_attachment),
        )
        .route(
            "/report/follow-up",
            get(public_pages::follow_up_form).post(public_pages::follow_up),
        )
        .route("/report/follow-up/reply", post(public_pages::reply))
}
