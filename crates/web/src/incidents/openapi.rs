//! Incidents' part of the OpenAPI document, generated from the handlers' annotations and the
//! types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::create, api::list, api::get, api::verify, api::link, api::unlink))]
pub(crate) struct Part;
