//! The notifications part of the OpenAPI document, generated from the handlers' annotations
//! and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::inbox,
    api::read,
    api::webhooks,
    api::register,
    api::remove,
    api::answer_hours,
    api::retry
))]
pub(crate) struct Part;
