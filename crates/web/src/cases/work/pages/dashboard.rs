//! The supervisor's dashboard.

use super::tasks::{TaskRow, task_rows};
use super::*;

pub struct LoadRow {
    name: String,
    counts: Vec<i64>,
    total: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    statuses: Vec<String>,
    caseload: Vec<LoadRow>,
    unassigned: i64,
    overdue: Vec<TaskRow>,
    upcoming: Vec<TaskRow>,
    alerts: Vec<(Uuid, String)>,
    pending_approvals: i64,
}

pub async fn dashboard(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let d = state.store.dashboard(&s.session.actor).await?;
    Ok(page(&DashboardPage {
        statuses: passage_store::casework::dashboard::open_statuses()
            .iter()
            .map(|s| nav.label("case_status", s.as_str()))
            .collect(),
        caseload: d
            .caseload
            .into_iter()
            .map(|c| LoadRow {
                name: c.name,
                counts: c.by_status.iter().map(|s| s.count).collect(),
                total: c.total,
            })
            .collect(),
        unassigned: d.unassigned_open,
        overdue: task_rows(d.overdue_tasks, &[]),
        upcoming: task_rows(d.upcoming_tasks, &[]),
        alerts: d
            .open_alerts
            .into_iter()
            .map(|a| (a.report_id, nav.when(a.created_at)))
            .collect(),
        pending_approvals: d.pending_approvals,
        nav,
    }))
}
