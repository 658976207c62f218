//! The return of a case (the case's own organisation only), and the reintegration visits the
//! partner in the country of origin records on its hand-over referral (that partner only,
//! while the referral is accepted and its access has not ended). Each handler's
//! `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    DocumentStatusChange, FamilyAssessment, JourneyPlan, LinkReferral, NewReintegrationVisit,
    NewReturnChoice, NewReturnRisk, ReintegrationFollowUp, Return, ReturnRecorded,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::casework::returns::{
    RawChoice, RawFamily, RawJourney, RawRisk, RawVisit, document_status,
};
use passage_core::validate::staff_id;
use uuid::Uuid;

type Created = (StatusCode, Json<ReturnRecorded>);

fn created(id: Uuid) -> Created {
    (StatusCode::CREATED, Json(ReturnRecorded { id }))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/return", tag = "return",
    summary = "The return prepared on the case: risks, family assessment, the person's choices, the journey plan, travel documents and hand-over referrals with their status, and the reintegration visits that flowed back with their dimension scores (the case's own organisation only)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The return", body = Return),
        crate::kit::responses::Reads))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Return>, WebError> {
    Ok(Json(Return::from(
        state.store.return_view(&actor, id).await?,
    )))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/risks", tag = "return",
    summary = "Record a risk the person would face on return, with a note",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewReturnRisk,
    responses(
        (status = 201, description = "Recorded", body = ReturnRecorded),
        crate::kit::responses::Changes))]
pub async fn add_risk(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewReturnRisk>,
) -> Result<Created, WebError> {
    let r = RawRisk::from(body).validate()?;
    Ok(created(state.store.add_return_risk(&actor, id, r).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/family", tag = "return",
    summary = "Record the family assessment: whether the family is willing and able to receive the person, with a note",
    params(("id" = uuid::Uuid, Path)),
    request_body = FamilyAssessment,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn family(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<FamilyAssessment>,
) -> Result<StatusCode, WebError> {
    let f = RawFamily::from(body).validate()?;
    state.store.set_return_family(&actor, id, f).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/choices", tag = "return",
    summary = "Record the person's informed choice: the language they were informed in (one of their languages, 422 invalid_value on language otherwise), the date, whether an interpreter was used, the choice, whether it was voluntary, and their own words",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewReturnChoice,
    responses(
        (status = 201, description = "Recorded", body = ReturnRecorded),
        crate::kit::responses::Changes))]
pub async fn add_choice(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewReturnChoice>,
) -> Result<Created, WebError> {
    let c = RawChoice::from(body).validate()?;
    Ok(created(
        state.store.record_return_choice(&actor, id, c).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/journey", tag = "return",
    summary = "Write the journey plan: 422 return_not_chosen unless the person's latest choice is a voluntary return; 422 non_refoulement when a protection need of the person lists the country",
    params(("id" = uuid::Uuid, Path)),
    request_body = JourneyPlan,
    responses(
        (status = 204, description = "Written"),
        crate::kit::responses::Changes))]
pub async fn journey(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<JourneyPlan>,
) -> Result<StatusCode, WebError> {
    let j = RawJourney::from(body).validate()?;
    state.store.set_return_journey(&actor, id, j).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/documents", tag = "return",
    summary = "Record that travel documents were asked of a consulate through a referral of this case (made through the referral network, consent-checked; 422 invalid_value on referral_id for any other)",
    params(("id" = uuid::Uuid, Path)),
    request_body = LinkReferral,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn documents(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<LinkReferral>,
) -> Result<StatusCode, WebError> {
    let r = staff_id("referral_id", &body.referral_id)?;
    state.store.link_travel_documents(&actor, id, r).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/documents/status", tag = "return",
    summary = "Record where the travel documents stand: requested, issued or refused",
    params(("id" = uuid::Uuid, Path)),
    request_body = DocumentStatusChange,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn documents_status(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<DocumentStatusChange>,
) -> Result<StatusCode, WebError> {
    let s = document_status(&body.status)?;
    state.store.set_document_status(&actor, id, s).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/return/handover", tag = "return",
    summary = "Hand reintegration follow-up over to a partner in the country of return: a cross-border referral of this case (made through the referral network, consent-checked; 422 invalid_value on referral_id for any other, or before the journey plan)",
    params(("id" = uuid::Uuid, Path)),
    request_body = LinkReferral,
    responses(
        (status = 204, description = "Handed over"),
        crate::kit::responses::Changes))]
pub async fn handover(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<LinkReferral>,
) -> Result<StatusCode, WebError> {
    let r = staff_id("referral_id", &body.referral_id)?;
    state
        .store
        .link_reintegration_handover(&actor, id, r)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/referrals/{id}/reintegration-visits", tag = "return",
    summary = "For the partner that accepted a hand-over referral: the arrival date, when the 3/6/12-month visits fall due, and the visits recorded (404 for anyone else, or once the referral is closed or its consent withdrawn)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The follow-up", body = ReintegrationFollowUp),
        crate::kit::responses::Reads))]
pub async fn follow_up(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<ReintegrationFollowUp>, WebError> {
    Ok(Json(ReintegrationFollowUp::from(
        state.store.reintegration_follow_up(&actor, id).await?,
    )))
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/reintegration-visits", tag = "return",
    summary = "The partner records a reintegration visit: every item of IOM's reintegration sustainability survey answered from its scale (422 names each field as answers.<item>); it flows back to the sending case. 404 as for the read; 422 already_done for a visit recorded already",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewReintegrationVisit,
    responses(
        (status = 201, description = "Recorded", body = ReturnRecorded),
        crate::kit::responses::Changes))]
pub async fn record_visit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewReintegrationVisit>,
) -> Result<Created, WebError> {
    let v = RawVisit::from(body).validate()?;
    Ok(created(
        state
            .store
            .record_reintegration_visit(&actor, id, v)
            .await?,
    ))
}
