//! Case work: needs and plan, tasks, notes, services, "My tasks" and the supervisors'
//! dashboard.

mod api;
pub(crate) mod openapi;
mod pages;
pub(crate) mod types;

use crate::AppState;
use crate::kit::ApiRoutes;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn api() -> ApiRoutes {
    ApiRoutes::new()
        .route("/cases/{id}/needs", get(api::list_needs).put(api::put_need))
        .route(
            "/cases/{id}/plan",
            get(api::list_plan).post(api::add_plan_item),
        )
        .route("/plan-items/{id}", post(api::update_plan_item))
        .route(
            "/cases/{id}/tasks",
            get(api::list_case_tasks).post(api::create_task),
        )
        .route("/tasks", get(api::list_tasks))
        .route("/tasks/{id}/complete", post(api::complete_task))
        .route("/tasks/{id}/reassign", post(api::reassign_task))
        .route("/tasks/{id}/due", post(api::reschedule_task))
        .route(
            "/cases/{id}/notes",
            get(api::list_notes).post(api::add_note),
        )
        .route(
            "/cases/{id}/services",
            get(api::list_services).post(api::record_service),
        )
        .route("/dashboard", get(api::dashboard))
}

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/needs",
            get(pages::needs::needs_page).post(pages::needs::save_needs),
        )
        .route("/cases/{id}/plan", post(pages::needs::add_plan_item))
        .route(
            "/cases/{id}/plan/{item}/done",
            post(pages::needs::plan_done),
        )
        .route(
            "/cases/{id}/tasks",
            get(pages::tasks::tasks_page).post(pages::tasks::add_task),
        )
        .route(
            "/cases/{id}/tasks/{task}/{action}",
            post(pages::tasks::task_action),
        )
        .route(
            "/cases/{id}/notes",
            get(pages::notes::notes_page).post(pages::notes::add_note),
        )
        .route(
            "/cases/{id}/services",
            get(pages::notes::services_page).post(pages::notes::record_service),
        )
        .route("/tasks", get(pages::tasks::my_tasks))
        .route("/dashboard", get(pages::dashboard::dashboard))
}
