//! The referrals part of the OpenAPI document, generated from the handlers' annotations and
//! the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::create,
    api::list,
    api::get,
    api::accept,
    api::decline,
    api::open_case,
    api::close
))]
pub(crate) struct Part;
