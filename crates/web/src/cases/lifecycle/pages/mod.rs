//! The case lifecycle in the staff UI: the overview's risk, identification, deadlines and its
//! three forms (edit details, move to another status, record identification), the history page
//! and the supervisor's approvals page. Forms carry the CSRF token and work without JavaScript;
//! a success redirects (post/redirect/get); a refused form comes back with what was typed and
//! an error summary linked to the fields. A save against a case someone changed meanwhile shows
//! the case as it is now with the typed input kept, and what differs.

use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::done;
use crate::kit::form::StaffForm;
use crate::kit::{Nav, page, when};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_core::casework::deadlines::DeadlineKind;
use passage_core::casework::{IdentificationStatus, Outcome, RiskLevel};
use passage_core::validate::Problems;
use passage_core::{CaseType, Stage};
use passage_store::StoreError;
use passage_store::cases::CaseView;
use uuid::Uuid;

/// A problem shown in the overview's error summary: the kit's form problem.
pub type Problem = crate::kit::UiError;

/// The edit-details form's values; posted, with the version it was rendered with.
#[derive(Default, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct DetailsForm {
    pub version: String,
    pub stage: String,
    pub types: Vec<String>,
    pub risk: String,
    pub country: String,
    pub summary: String,
    pub assigned_to: String,
}

/// The move-to-another-status form's values; posted, with the version.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub version: String,
    pub to: String,
    pub reason: String,
    pub outcome: String,
}

/// The identification form's values; posted, with the version.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct IdentForm {
    pub version: String,
    pub status: String,
    pub decided_by: String,
    pub decided_on: String,
}

crate::form_body!(DetailsForm, MoveForm, IdentForm);

/// What a refused form brings back to the overview.
#[derive(Default)]
pub struct Forms {
    /// The details as typed; `None` shows the case's own.
    pub details: Option<DetailsForm>,
    pub moving: MoveForm,
    pub ident: IdentForm,
    pub errors: Vec<Problem>,
    /// The details were saved against a version someone had replaced.
    pub conflict: bool,
}

pub struct DeadlineRow {
    /// The message naming the deadline.
    pub label: &'static str,
    pub due: String,
    pub met: bool,
    pub overdue: bool,
}

/// A field where the typed input differs from the case as it is now.
pub struct Difference {
    /// The message naming the field.
    pub label: &'static str,
    pub now: String,
    pub yours: String,
}

/// The lifecycle part of the case overview.
pub struct Overview {
    pub csrf: String,
    pub version: i64,
    pub risk: String,
    pub high_risk: bool,
    pub country: String,
    pub jurisdiction: String,
    pub assignee: String,
    pub identification: Option<(String, String, String)>,
    /// The screening an identification refers to.
    pub identification_screening: Option<String>,
    /// HTCDS methods of control and type of exploitation, joined for reading.
    pub methods_of_control: String,
    pub type_of_exploitation: String,
    pub outcome: Option<String>,
    pub closed: Option<String>,
    pub pending: bool,
    /// The supervisor's rejection of the last request to close: (who, when, reason).
    pub rejected: Option<(String, String, String)>,
    pub deadlines: Vec<DeadlineRow>,
    pub details: DetailsForm,
    pub stages: Vec<(&'static str, String, bool)>,
    pub types: Vec<(&'static str, String, bool)>,
    pub risks: Vec<(&'static str, String, bool)>,
    pub staff: Vec<(String, String, bool)>,
    pub next: Vec<(&'static str, String, bool)>,
    pub outcomes: Vec<(&'static str, String, bool)>,
    pub ident_statuses: Vec<(&'static str, String, bool)>,
    pub moving: MoveForm,
    pub ident: IdentForm,
    pub errors: Vec<Problem>,
    pub conflict: bool,
    pub differences: Vec<Difference>,
}

pub(crate) fn deadline_label(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::ReasonableGroundsDecision => "staff-deadline-reasonable-grounds",
        DeadlineKind::RecoveryReflectionPeriod => "staff-deadline-recovery",
        DeadlineKind::MoveOnSupport => "staff-deadline-move-on",
        DeadlineKind::FollowUpVisit => "staff-deadline-follow-up",
        DeadlineKind::Hearing => "justice-deadline-hearing",
    }
}

fn options<T: Copy>(
    nav: &Nav,
    kind: &str,
    all: &[T],
    text: impl Fn(T) -> &'static str,
    selected: &str,
) -> Vec<(&'static str, String, bool)> {
    all.iter()
        .map(|v| {
            let t = text(*v);
            (t, nav.label(kind, t), t == selected)
        })
        .collect()
}

/// The details of a case as its form shows them.
fn details_of(c: &CaseView) -> DetailsForm {
    DetailsForm {
        stage: c.stage.as_str().into(),
        types: c.types.iter().map(|t| t.as_str().to_string()).collect(),
        risk: c.lifecycle.risk.as_str().into(),
        country: c.lifecycle.country.clone().unwrap_or_default(),
        summary: c.summary.clone(),
        assigned_to: c.assigned_to.map(|u| u.to_string()).unwrap_or_default(),
        version: c.version.to_string(),
    }
}

/// Builds the lifecycle part of the overview of case `c`.
pub async fn overview(
    state: &AppState,
    s: &UiSession,
    nav: &Nav,
    c: &CaseView,
    forms: Forms,
) -> Result<Overview, WebError> {
    let staff = state.store.assignable_staff(&s.session.actor, c.id).await?;
    let current = details_of(c);
    let details = forms.details.unwrap_or_else(|| current.clone());
    let name_of = |id: &str| {
        staff
            .iter()
            .find(|m| m.id.to_string() == id)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| {
                if id.is_empty() {
                    "nobody".into()
                } else {
                    "someone who can no longer work on it".into()
                }
            })
    };
    let mut differences = Vec::new();
    if forms.conflict {
        let mut diff = |label: &'static str, now: String, yours: String| {
            if now != yours {
                differences.push(Difference { label, now, yours });
            }
        };
        diff(
            "staff-case-stage",
            nav.label("stage", &current.stage),
            nav.label("stage", &details.stage),
        );
        let mut now_types = current.types.clone();
        let mut your_types = details.types.clone();
        now_types.sort();
        your_types.sort();
        diff(
            "staff-case-types",
            now_types
                .iter()
                .map(|t| nav.label("case_type", t))
                .collect::<Vec<_>>()
                .join(", "),
            your_types
                .iter()
                .map(|t| nav.label("case_type", t))
                .collect::<Vec<_>>()
                .join(", "),
        );
        diff(
            "staff-risk",
            nav.label("risk", &current.risk),
            nav.label("risk", &details.risk),
        );
        diff(
            "staff-country",
            current.country.clone(),
            details.country.trim().to_ascii_uppercase(),
        );
        diff(
            "staff-summary",
            current.summary.clone(),
            details.summary.trim().to_string(),
        );
        diff(
            "staff-assigned-to",
            name_of(&current.assigned_to),
            name_of(&details.assigned_to),
        );
    }
    let today = crate::kit::today(state).to_string();
    let l = &c.lifecycle;
    let mut staff_options: Vec<(String, String, bool)> = staff
        .iter()
        .map(|m| {
            let id = m.id.to_string();
            let sel = id == details.assigned_to;
            (id, m.name.clone(), sel)
        })
        .collect();
    if !details.assigned_to.is_empty() && !staff_options.iter().any(|o| o.2) {
        // Assigned to someone who has left: keep them visible until someone else is chosen.
        staff_options.push((
            details.assigned_to.clone(),
            name_of(&details.assigned_to),
            true,
        ));
    }
    Ok(Overview {
        csrf: nav.csrf.clone(),
        version: c.version,
        risk: nav.label("risk", l.risk.as_str()),
        high_risk: l.risk == RiskLevel::High,
        country: l
            .country
            .as_deref()
            .map_or_else(|| nav.t("staff-not-recorded"), |c| nav.country(c)),
        jurisdiction: l.jurisdiction.clone(),
        assignee: name_of(&current.assigned_to),
        identification: l.identification.as_ref().map(|i| {
            (
                nav.label("identification", i.status.as_str()),
                i.decided_by.clone(),
                i.decided_on.clone(),
            )
        }),
        identification_screening: l
            .identification
            .as_ref()
            .and_then(|i| i.screening)
            .map(|s| s.to_string()),
        methods_of_control: l.methods_of_control.join(", "),
        type_of_exploitation: l.type_of_exploitation.join(", "),
        outcome: l.outcome.map(|o| nav.label("outcome", o.as_str())),
        closed: l.closed_at.map(when),
        pending: l.close_pending_approval,
        rejected: l
            .close_rejected
            .as_ref()
            .map(|r| (r.by.clone(), when(r.at), r.reason.clone())),
        deadlines: l
            .deadlines
            .iter()
            .map(|d| DeadlineRow {
                label: deadline_label(d.kind),
                due: d.due.clone(),
                met: d.met,
                overdue: !d.met && d.due < today,
            })
            .collect(),
        stages: options(nav, "stage", Stage::ALL, Stage::as_str, &details.stage),
        types: CaseType::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str(),
                    nav.label("case_type", t.as_str()),
                    details.types.iter().any(|x| x == t.as_str()),
                )
            })
            .collect(),
        risks: options(
            nav,
            "risk",
            RiskLevel::ALL,
            RiskLevel::as_str,
            &details.risk,
        ),
        staff: staff_options,
        next: l
            .next_statuses
            .iter()
            .map(|n| {
                (
                    n.as_str(),
                    nav.label("case_status", n.as_str()),
                    n.as_str() == forms.moving.to,
                )
            })
            .collect(),
        outcomes: options(
            nav,
            "outcome",
            Outcome::ALL,
            Outcome::as_str,
            &forms.moving.outcome,
        ),
        ident_statuses: options(
            nav,
            "identification",
            IdentificationStatus::ALL,
            IdentificationStatus::as_str,
            &forms.ident.status,
        ),
        details,
        moving: forms.moving,
        ident: forms.ident,
        errors: forms.errors,
        conflict: forms.conflict,
        differences,
    })
}

pub(super) mod forms;
pub(super) mod history;
