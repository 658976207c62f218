//! The administration part of the OpenAPI document, generated from the handlers' annotations
//! and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::grants, api::approve, api::refuse))]
pub(crate) struct Part;
