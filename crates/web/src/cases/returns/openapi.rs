//! The return part of the OpenAPI document, generated from the handlers' annotations and the
//! types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::show,
    api::add_risk,
    api::family,
    api::add_choice,
    api::journey,
    api::documents,
    api::documents_status,
    api::handover,
    api::follow_up,
    api::record_visit
))]
pub(crate) struct Part;
