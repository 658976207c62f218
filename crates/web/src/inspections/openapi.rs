//! Labour inspection's part of the OpenAPI document, generated from the handlers' annotations
//! and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::create,
    api::work_list,
    api::targets,
    api::get,
    api::outcome,
    api::complied
))]
pub(crate) struct Part;
