//! The three forms of the case overview (details, move, identification) and how a refused or conflicting save comes back.

use super::*;
use crate::kit::Id;
use crate::kit::form::version;

fn problems(p: Problems, prefix: &str) -> Vec<Problem> {
    p.0.into_iter()
        .map(|f| Problem {
            code: Some((f.field.clone(), f.code)),
            anchor: format!("{prefix}-{}", f.field),
            message: f.message,
        })
        .collect()
}

async fn again(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    forms: Forms,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut res = crate::cases::pages::case_page(state, s, id, forms).await?;
    *res.status_mut() = status;
    Ok(res)
}

fn changed_meanwhile(anchor: &str) -> Problem {
    Problem {
        code: Some((String::new(), passage_core::ErrorCode::VersionConflict)),
        anchor: anchor.into(),
        message: "Someone changed this case while you were working on it. The page now shows the case as it is; your input is still in the form: check it and submit again.".into(),
    }
}

pub async fn save_details(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, typed): StaffForm<DetailsForm>,
) -> Result<Response, WebError> {
    let version = version(&typed.version)?;
    let raw = RawCaseChanges {
        version: Some(version),
        stage: Some(typed.stage.clone()),
        types: Some(typed.types.clone()),
        risk: Some(typed.risk.clone()),
        country: Some(Some(typed.country.clone())),
        summary: Some(typed.summary.clone()),
        assigned_to: Some(Some(typed.assigned_to.clone())),
    };
    let refused = |errors: Vec<Problem>, conflict: bool| Forms {
        details: Some(typed.clone()),
        errors,
        conflict,
        ..Default::default()
    };
    let changes = match raw.validate() {
        Ok(c) => c,
        Err(p) => {
            let forms = refused(problems(p, "details"), false);
            return again(&state, &s, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match state.store.update_case(&s.session.actor, id, changes).await {
        Ok(_) => Ok(done(&format!("/cases/{id}"), "saved")),
        Err(StoreError::VersionConflict { .. }) => {
            let forms = refused(vec![changed_meanwhile("details-form")], true);
            again(&state, &s, id, forms, StatusCode::CONFLICT).await
        }
        Err(StoreError::Invalid(p)) => {
            let forms = refused(problems(p, "details"), false);
            again(&state, &s, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn move_case(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, typed): StaffForm<MoveForm>,
) -> Result<Response, WebError> {
    let version = version(&typed.version)?;
    let raw = RawTransition {
        to: typed.to.clone(),
        reason: Some(typed.reason.clone()).filter(|r| !r.trim().is_empty()),
        // The outcome only means something when closing.
        outcome: Some(typed.outcome.clone()).filter(|o| !o.is_empty() && typed.to == "closed"),
        version: Some(version),
    };
    let refused = |errors: Vec<Problem>| Forms {
        moving: MoveForm {
            to: typed.to.clone(),
            reason: typed.reason.clone(),
            outcome: typed.outcome.clone(),
            ..Default::default()
        },
        errors,
        ..Default::default()
    };
    let t = match raw.validate() {
        Ok(t) => t,
        Err(p) => {
            return again(
                &state,
                &s,
                id,
                refused(problems(p, "move")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.store.transition(&s.session.actor, id, t).await {
        Ok(_) => Ok(done(&format!("/cases/{id}"), "saved")),
        // The request is stored; the overview says a supervisor was asked.
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::SupervisorApprovalRequired,
            ..
        }) => Ok(done(&format!("/cases/{id}#lifecycle"), "saved")),
        Err(StoreError::Rule { code, message }) => {
            let anchor = match code {
                passage_core::ErrorCode::ReasonRequired => "move-reason",
                passage_core::ErrorCode::OutcomeRequired => "move-outcome",
                _ => "move-to",
            };
            let errors = vec![Problem {
                code: None,
                anchor: anchor.into(),
                message,
            }];
            again(
                &state,
                &s,
                id,
                refused(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::VersionConflict { .. }) => {
            let errors = vec![changed_meanwhile("move-to")];
            again(&state, &s, id, refused(errors), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn record_identification(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, typed): StaffForm<IdentForm>,
) -> Result<Response, WebError> {
    let version = version(&typed.version)?;
    let raw = RawIdentification {
        status: typed.status.clone(),
        decided_by: typed.decided_by.clone(),
        decided_on: typed.decided_on.clone(),
        version: Some(version),
    };
    let refused = |errors: Vec<Problem>| Forms {
        ident: IdentForm {
            status: typed.status.clone(),
            decided_by: typed.decided_by.clone(),
            decided_on: typed.decided_on.clone(),
            ..Default::default()
        },
        errors,
        ..Default::default()
    };
    let ident = match raw.validate(crate::kit::today(&state)) {
        Ok(i) => i,
        Err(p) => {
            return again(
                &state,
                &s,
                id,
                refused(problems(p, "ident")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .set_identification(&s.session.actor, id, ident)
        .await
    {
        Ok(_) => Ok(done(&format!("/cases/{id}#deadlines"), "saved")),
        Err(StoreError::VersionConflict { .. }) => {
            let errors = vec![changed_meanwhile("ident-status")];
            again(&state, &s, id, refused(errors), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
