//! The part of the OpenAPI document for registering persons and opening and listing cases,
//! generated from the handlers' annotations and the types of [`super::types`]. (Reading a case
//! is documented with the lifecycle, whose `Case` it answers.)

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api::create_person, api::create_case, api::list_cases))]
pub(crate) struct Part;
