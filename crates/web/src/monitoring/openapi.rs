//! The monitoring views' and visits' part of the OpenAPI document.

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::figures, api::create_visit, api::visits, api::visit))]
pub(crate) struct Part;
