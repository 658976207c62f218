//! The register's part of the OpenAPI document, generated from the handlers' annotations and
//! the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::create,
    api::list,
    api::get,
    api::licence,
    api::sanction,
    api::workplace,
    api::merge,
    api::unmerge,
    api::link_case,
    api::link_report,
    api::link_document,
    api::link_screening,
    api::case_links,
    api::report_links,
    api::unlink_case,
    api::unlink_report,
    api::unlink_document,
    api::unlink_screening
))]
pub(crate) struct Part;
