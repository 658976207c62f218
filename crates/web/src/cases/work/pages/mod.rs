//! Case work pages: needs and plan, tasks, notes and services of a case; "My tasks"; the
//! supervisor's dashboard. Every form carries the CSRF token, works without JavaScript and
//! redirects after success (post/redirect/get); a refused form comes back with its values and
//! an error summary whose links lead to the fields.

use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::form::{again as with_status, ui_errors};
use crate::kit::{Nav, page, when};
use crate::kit::{UiError, done};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::Urgency;
use passage_core::casework::{Confidentiality, NeedDomain, ServiceType};
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::services::NewService;
use passage_store::casework::tasks::{NewTask, StaffMember, Task};
use uuid::Uuid;

/// (value, label, selected) options of the staff a piece of work may go to.
fn staff_options(staff: &[StaffMember], selected: Option<&str>) -> Vec<(String, String, bool)> {
    staff
        .iter()
        .map(|m| {
            let id = m.id.to_string();
            let sel = selected == Some(id.as_str());
            (id, m.name.clone(), sel)
        })
        .collect()
}

pub(super) mod dashboard;
pub(super) mod needs;
pub(super) mod notes;
pub(super) mod tasks;
