//! The person's copy, disclosures and corrections part of the OpenAPI document, generated from
//! the handlers' annotations and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::copy,
    api::disclosures,
    api::corrections,
    api::request,
    api::decide
))]
pub(crate) struct Part;
