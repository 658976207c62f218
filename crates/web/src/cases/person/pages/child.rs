//! The child page: best-interests decisions and the supervisor's sign-off.

use super::*;
use crate::kit::form::Button;
use crate::kit::{Id, Ids};

pub struct BiRow {
    id: Uuid,
    assessment: String,
    decision: String,
    guardian_name: String,
    guardian_contact: String,
    by: String,
    at: String,
    is_final: bool,
    signed: String,
    can_sign: bool,
    own: bool,
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct BiForm {
    assessment: String,
    decision: String,
    guardian_name: String,
    guardian_contact: String,
}

crate::form_body!(BiForm);

#[derive(Template)]
#[template(path = "child.html")]
struct ChildPage {
    nav: Nav,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    is_child: bool,
    rows: Vec<BiRow>,
    pending: usize,
    supervisor: bool,
    form: BiForm,
}

async fn child_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: BiForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let person = state.store.person_details(actor, case.person.id).await?;
    let supervisor = actor.has_role(Role::Supervisor) && case.organisation_id == actor.org_id();
    let rows: Vec<BiRow> = state
        .store
        .list_best_interests(actor, case_id)
        .await?
        .into_iter()
        .map(|b| {
            let own = b.created_by == actor.user_id();
            BiRow {
                id: b.id,
                assessment: b.assessment,
                decision: b.decision,
                guardian_name: b.guardian_name.unwrap_or_default(),
                guardian_contact: b.guardian_contact.unwrap_or_default(),
                by: b.created_by_name,
                at: when(b.created_at),
                is_final: b.is_final,
                signed: match (b.signed_off_by_name, b.signed_off_at) {
                    (Some(n), Some(at)) => format!("Signed off by {n} · {}", when(at)),
                    _ => String::new(),
                },
                can_sign: supervisor && !own && !b.is_final,
                own,
            }
        })
        .collect();
    let pending = rows.iter().filter(|r| !r.is_final).count();
    let status = error_status(&errors);
    Ok(with_status(
        page(&ChildPage {
            csrf: nav.csrf.clone(),
            nav,
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            is_child: person.is_child,
            rows,
            pending,
            supervisor,
            form,
        }),
        status,
    ))
}

pub async fn child(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    child_page(&state, &s, id, Vec::new(), BiForm::default()).await
}

pub async fn record_best_interests(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<BiForm>,
) -> Result<Response, WebError> {
    let raw = RawBestInterests {
        assessment: form.assessment.clone(),
        decision: form.decision.clone(),
        guardian_name: Some(form.guardian_name.clone()),
        guardian_contact: Some(form.guardian_contact.clone()),
    };
    let result = match raw.validate() {
        Ok(b) => state
            .store
            .record_best_interests(&s.session.actor, case_id, b)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/child"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| f.to_string())?;
            child_page(&state, &s, case_id, errors, form).await
        }
    }
}

pub async fn sign_off(
    State(state): State<AppState>,
    Ids((case_id, bi)): Ids<(Uuid, Uuid)>,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    match state
        .store
        .sign_off_best_interests(&s.session.actor, bi)
        .await
    {
        Ok(case) if case == case_id => Ok(done(&format!("/cases/{case_id}/child"), "saved")),
        Ok(case) => Ok(done(&format!("/cases/{case}/child"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("bi-{bi}"))?;
            child_page(&state, &s, case_id, errors, BiForm::default()).await
        }
    }
}
