//! The protection page of a case: the person's international protection needs, the mark
//! saying whom the case is never shown to, and (for the case's own organisation) the form to
//! record one. The overview shows the same mark ([`mark`]).

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, UiError, UiSession, WebError, done};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::protection::{ProtectionKind, RawProtectionNeed};
use passage_store::StoreError;
use passage_store::casework::protection::ProtectionNeedRecord;
use uuid::Uuid;

/// One need as the page shows it.
pub struct NeedRow {
    kind: String,
    countries: String,
    reason: Option<String>,
    at: String,
}

/// The form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ProtectionForm {
    kind: String,
    countries: Vec<String>,
    reason: String,
}
crate::form_body!(ProtectionForm);

impl ProtectionForm {
    fn chose(&self, code: &str) -> bool {
        self.countries.iter().any(|c| c == code)
    }
}

#[derive(Template)]
#[template(path = "protection.html")]
struct ProtectionPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<NeedRow>,
    mark: String,
    can_record: bool,
    kinds: Vec<(&'static str, String)>,
    form: ProtectionForm,
}

/// The countries every need lists, once each, by name in the page's language: empty when
/// the person has no protection need.
pub(crate) fn mark(nav: &Nav, needs: &[ProtectionNeedRecord]) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for n in needs {
        for c in &n.countries {
            if !codes.contains(&c.as_str()) {
                codes.push(c.as_str());
            }
        }
    }
    codes
        .iter()
        .map(|c| nav.country(c))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: ProtectionForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let needs = state.store.protection_needs(actor, case_id).await?;
    let mark = mark(&nav, &needs);
    let rows = needs
        .into_iter()
        .map(|n| NeedRow {
            kind: nav.label("protection_kind", n.kind.as_str()),
            countries: n
                .countries
                .iter()
                .map(|c| nav.country(c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            reason: n.reason,
            at: nav.when(n.recorded_at),
        })
        .collect();
    let kinds = ProtectionKind::ALL
        .iter()
        .map(|k| (k.as_str(), nav.label("protection_kind", k.as_str())))
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&ProtectionPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            rows,
            mark,
            can_record: case.organisation_id == actor.org_id(),
            kinds,
            form,
            nav,
        }),
        status,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render(&state, &s, id, Vec::new(), ProtectionForm::default()).await
}

pub async fn record(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ProtectionForm>,
) -> Result<Response, WebError> {
    let raw = RawProtectionNeed {
        kind: form.kind.clone(),
        countries: form.countries.clone(),
        reason: form.reason.clone(),
    };
    let result = match raw.validate() {
        Ok(need) => state
            .store
            .record_protection_need(&s.session.actor, case_id, need)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/protection"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("protection-{f}"))?;
            render(&state, &s, case_id, errors, form).await
        }
    }
}
