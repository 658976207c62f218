//! The service directory's part of the OpenAPI document, generated from the handlers'
//! annotations and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::list, api::get, api::create, api::update, api::capacity))]
pub(crate) struct Part;
