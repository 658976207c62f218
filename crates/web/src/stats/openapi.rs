//! The statistics part of the OpenAPI document, generated from the handler's annotation and the
//! types of [`super::types`].

use super::{api, measures};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::stats_summary,
    measures::stats_measures,
    super::releases::stats_releases
))]
pub(crate) struct Part;
