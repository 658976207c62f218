//! The person's copy, the disclosure register and corrections of a case, for whoever may read
//! the case (corrections are recorded and decided by whoever may change it); anyone else is
//! answered 404 as for a case that does not exist. Each handler's `#[utoipa::path]` is its part
//! of the OpenAPI document.

use super::types::{
    Correction, CorrectionDecision, CorrectionRecorded, DisclosureRegister, NewCorrection,
    PersonCopy,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/cases/{id}/copy", tag = "cases",
    summary = "The person's own copy (right of access): the case, the person's identity and documents, consents, needs, services, referrals, the notes you may read, attachments, deadlines, the disclosure register and corrections — what you may see, nothing more (the migration status only if you may read it). Audited as case.copy",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The copy", body = PersonCopy),
        crate::kit::responses::Reads))]
pub async fn copy(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<PersonCopy>, WebError> {
    Ok(Json(state.store.person_copy(&actor, id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/disclosures", tag = "cases",
    summary = "The disclosure register: every referral and transfer that took the person's data to another organisation, which fields, when, on which consent or legal basis, and whether the receiver's access has ended",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The register", body = DisclosureRegister),
        crate::kit::responses::Reads))]
pub async fn disclosures(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<DisclosureRegister>, WebError> {
    Ok(Json(state.store.case_disclosures(&actor, id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/corrections", tag = "cases",
    summary = "The corrections the person asked for on this case, newest first, with their decisions",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Corrections", body = Vec<Correction>),
        crate::kit::responses::Reads))]
pub async fn corrections(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Correction>>, WebError> {
    let list = state.store.list_corrections(&actor, id).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/corrections", tag = "cases",
    summary = "Record a correction the person asked for (what, and the day they asked). 422 names each invalid field, nothing written",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewCorrection,
    responses(
        (status = 201, description = "Recorded", body = CorrectionRecorded),
        crate::kit::responses::Changes))]
pub async fn request(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewCorrection>,
) -> Result<(StatusCode, Json<CorrectionRecorded>), WebError> {
    let new = body.raw().validate()?;
    let cid = state.store.request_correction(&actor, id, new).await?;
    Ok((StatusCode::CREATED, Json(CorrectionRecorded { id: cid })))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/corrections/{cid}/decision", tag = "cases",
    summary = "Decide a correction once: made, partly (with a reason) or refused (with a reason). 422 transition_not_allowed when it was decided already",
    params(("id" = uuid::Uuid, Path), ("cid" = uuid::Uuid, Path)),
    request_body = CorrectionDecision,
    responses(
        (status = 204, description = "Decided"),
        crate::kit::responses::Changes))]
pub async fn decide(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, cid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<CorrectionDecision>,
) -> Result<StatusCode, WebError> {
    let decision = body.raw().validate()?;
    state
        .store
        .decide_correction(&actor, id, cid, decision)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
