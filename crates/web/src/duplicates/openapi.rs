//! The duplicate-persons part of the OpenAPI document, generated from the handlers' annotations
//! and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::queue,
    api::merge,
    api::dismiss,
    api::merges,
    api::undo,
    api::status,
    api::partner_signals,
    api::partner_consent,
    api::partner_decline,
))]
pub(crate) struct Part;
