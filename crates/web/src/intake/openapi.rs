//! The intake part of the OpenAPI document (the public complaint door, the handlers' report
//! routes and the messaging gateways' webhooks), generated from the handlers' annotations and
//! the types of [`super::types`].

use super::{api, channels, handover, public_api, reply_status};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    public_api::form_token,
    public_api::submit,
    public_api::follow_up,
    public_api::message,
    api::list,
    api::create,
    api::get,
    api::download_attachment,
    api::message,
    api::open_case,
    api::acknowledge,
    api::link,
    api::close,
    handover::targets,
    handover::hand_over,
    channels::twilio_sms,
    channels::rapidpro,
    reply_status::twilio,
    reply_status::rapidpro,
))]
pub(crate) struct Part;
