//! The lifecycle part of the OpenAPI document (reading and editing a case with the version
//! read, moving it between statuses, identification decisions and the deadlines they start, the
//! case's history and the supervisor's approvals), generated from the handlers' annotations and
//! the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::super::api::get_case,
    api::patch_case,
    api::transition,
    api::identification,
    api::history,
    api::approvals,
    api::approve,
    api::reject,
))]
pub(crate) struct Part;
