//! Investigations' part of the OpenAPI document, generated from the handlers' annotations and
//! the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::create,
    api::list,
    api::counts,
    api::get,
    api::question,
    api::answer,
    api::findings,
    api::recommendation,
    api::follow_up,
    api::close
))]
pub(crate) struct Part;
