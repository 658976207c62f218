//! The erasure part of the OpenAPI document, generated from the handlers' annotations and the
//! types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::state, api::hold, api::erase))]
pub(crate) struct Part;
