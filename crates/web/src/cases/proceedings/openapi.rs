//! The proceedings part of the OpenAPI document, generated from the handlers' annotations and
//! the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::list,
    api::open,
    api::stage,
    api::link,
    api::set_measure,
    api::add_hearing,
    api::change_hearing,
    api::outcome,
    api::order,
    api::pay,
    api::perpetrators,
    api::add_perpetrator,
    api::get_cooperation,
    api::set_cooperation
))]
pub(crate) struct Part;
