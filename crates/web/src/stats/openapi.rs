//! The statistics part of the OpenAPI document, generated from the handler's annotation and the
//! types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::stats_summary, super::releases::stats_releases))]
pub(crate) struct Part;
