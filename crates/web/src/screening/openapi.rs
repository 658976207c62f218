//! The screening part of the OpenAPI document, generated from the handlers' annotations and the
//! types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::instruments,
    api::list,
    api::create,
    api::get_one,
    api::save,
    api::identify,
))]
pub(crate) struct Part;
