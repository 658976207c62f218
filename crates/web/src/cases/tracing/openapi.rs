//! The family tracing and age-assessment part of the OpenAPI document, generated from the
//! handlers' annotations and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::list,
    api::open,
    api::add_member,
    api::member_status_change,
    api::add_contact,
    api::close,
    api::list_ages,
    api::record_age
))]
pub(crate) struct Part;
