//! The signing-in part of the OpenAPI document, generated from the handlers' annotations and the
//! types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::token, api::revoke, api::me))]
pub(crate) struct Part;
