//! The forms of the case's "Return" page and what each does when posted.

use super::{
    ChoiceForm, FamilyForm, JourneyForm, ReferralForm, RiskForm, StatusForm, answer, invalid,
};
use crate::AppState;
use crate::kit::form::StaffForm;
use crate::kit::{Id, WebError};
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::returns::{RawChoice, RawFamily, RawJourney, RawRisk, document_status};
use passage_core::validate::staff_id;

pub async fn add_risk(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<RiskForm>,
) -> Result<Response, WebError> {
    let raw = RawRisk {
        risk: form.risk,
        note: form.note,
    };
    let result = match invalid(raw.validate()) {
        Ok(r) => state
            .store
            .add_return_risk(&s.session.actor, case_id, r)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "risk", c, j).await
}

pub async fn family(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<FamilyForm>,
) -> Result<Response, WebError> {
    let raw = RawFamily {
        willing: form.willing,
        note: form.note,
    };
    let result = match invalid(raw.validate()) {
        Ok(f) => {
            state
                .store
                .set_return_family(&s.session.actor, case_id, f)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "family", c, j).await
}

pub async fn add_choice(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ChoiceForm>,
) -> Result<Response, WebError> {
    let raw = RawChoice {
        language: form.language.clone(),
        informed_on: form.informed_on.clone(),
        interpreter: form.interpreter.is_some(),
        choice: form.choice.clone(),
        voluntary: form.voluntary.is_some(),
        own_words: form.own_words.clone(),
    };
    let result = match invalid(raw.validate()) {
        Ok(c) => state
            .store
            .record_return_choice(&s.session.actor, case_id, c)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    answer(
        &state,
        &s,
        case_id,
        result,
        "choice",
        form,
        JourneyForm::default(),
    )
    .await
}

pub async fn journey(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<JourneyForm>,
) -> Result<Response, WebError> {
    let raw = RawJourney {
        country: form.country.clone(),
        departure_on: form.departure_on.clone(),
        legs: form.legs.clone(),
        escort: form.escort.is_some(),
        reception: form.reception.clone(),
        arrival_on: form.arrival_on.clone(),
    };
    let result = match invalid(raw.validate()) {
        Ok(j) => {
            state
                .store
                .set_return_journey(&s.session.actor, case_id, j)
                .await
        }
        Err(e) => Err(e),
    };
    answer(
        &state,
        &s,
        case_id,
        result,
        "journey",
        ChoiceForm::default(),
        form,
    )
    .await
}

pub async fn documents(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ReferralForm>,
) -> Result<Response, WebError> {
    let result = match invalid(staff_id("referral_id", &form.referral_id)) {
        Ok(r) => {
            state
                .store
                .link_travel_documents(&s.session.actor, case_id, r)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "documents", c, j).await
}

pub async fn documents_status(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<StatusForm>,
) -> Result<Response, WebError> {
    let result = match invalid(document_status(&form.status)) {
        Ok(st) => {
            state
                .store
                .set_document_status(&s.session.actor, case_id, st)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "document-status", c, j).await
}

pub async fn handover(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ReferralForm>,
) -> Result<Response, WebError> {
    let result = match invalid(staff_id("referral_id", &form.referral_id)) {
        Ok(r) => {
            state
                .store
                .link_reintegration_handover(&s.session.actor, case_id, r)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "handover", c, j).await
}
