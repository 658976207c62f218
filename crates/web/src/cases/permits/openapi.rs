//! The permits part of the OpenAPI document, generated from the handlers' annotations and
//! the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::list, api::record, api::correct, api::status))]
pub(crate) struct Part;
