//! The case-work part of the OpenAPI document (needs, plan, tasks, notes, services and the
//! supervisor's dashboard), generated from the handlers' annotations and the types of
//! [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::list_needs,
    api::put_need,
    api::list_plan,
    api::add_plan_item,
    api::update_plan_item,
    api::list_case_tasks,
    api::create_task,
    api::list_tasks,
    api::complete_task,
    api::reassign_task,
    api::reschedule_task,
    api::list_notes,
    api::add_note,
    api::list_services,
    api::record_service,
    api::dashboard,
))]
pub(crate) struct Part;
