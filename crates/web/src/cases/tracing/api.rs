//! Family tracing and age assessment of a case: the case's own organisation only.
//! Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    AgeAssessment, CloseRequest, MemberStatusChange, NewAgeAssessment, NewTracingContact,
    NewTracingMember, NewTracingRequest, TracingRecorded, TracingRequest,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::casework::tracing::{
    RawAgeAssessment, RawClose, RawMember, RawTracingRequest, member_status,
};
use uuid::Uuid;

type Created = (StatusCode, Json<TracingRecorded>);

fn created(id: Uuid) -> Created {
    (StatusCode::CREATED, Json(TracingRecorded { id }))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/tracing", tag = "tracing",
    summary = "The case's family tracing requests, newest first, with the searched family members and the referrals that carry tracing steps to partners (the case's own organisation only)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Requests", body = Vec<TracingRequest>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<TracingRequest>>, WebError> {
    let list = state.store.tracing_requests(&actor, id).await?;
    Ok(Json(list.into_iter().map(TracingRequest::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/tracing", tag = "tracing",
    summary = "Open a family tracing request for the case's person, at status open",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewTracingRequest,
    responses(
        (status = 201, description = "Opened", body = TracingRecorded),
        crate::kit::responses::Changes))]
pub async fn open(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewTracingRequest>,
) -> Result<Created, WebError> {
    let new = RawTracingRequest::from(body).validate()?;
    Ok(created(state.store.open_tracing(&actor, id, new).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/tracing/{tid}/members", tag = "tracing",
    summary = "Add a searched family member to an open request, at status searching (422 transition_not_allowed once closed)",
    params(("id" = uuid::Uuid, Path), ("tid" = uuid::Uuid, Path)),
    request_body = NewTracingMember,
    responses(
        (status = 201, description = "Added", body = TracingRecorded),
        crate::kit::responses::Changes))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, tid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewTracingMember>,
) -> Result<Created, WebError> {
    let m = RawMember::from(body).validate()?;
    Ok(created(
        state.store.add_tracing_member(&actor, id, tid, m).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/tracing/{tid}/members/{mid}/status", tag = "tracing",
    summary = "Set where the search for a family member stands",
    params(("id" = uuid::Uuid, Path), ("tid" = uuid::Uuid, Path), ("mid" = uuid::Uuid, Path)),
    request_body = MemberStatusChange,
    responses(
        (status = 204, description = "Changed"),
        crate::kit::responses::Changes))]
pub async fn member_status_change(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, tid, mid)): Ids<(Uuid, Uuid, Uuid)>,
    ApiJson(body): ApiJson<MemberStatusChange>,
) -> Result<StatusCode, WebError> {
    let status = member_status(&body.status)?;
    state
        .store
        .set_tracing_member_status(&actor, id, tid, mid, status)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/tracing/{tid}/contacts", tag = "tracing",
    summary = "Record a tracing step sent to a partner: a referral of the same case, made through the referral network with its consent check (422 invalid_value on referral_id for any other; already_linked twice)",
    params(("id" = uuid::Uuid, Path), ("tid" = uuid::Uuid, Path)),
    request_body = NewTracingContact,
    responses(
        (status = 201, description = "TracingRecorded", body = TracingRecorded),
        crate::kit::responses::Changes))]
pub async fn add_contact(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, tid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewTracingContact>,
) -> Result<Created, WebError> {
    let referral = passage_core::validate::staff_id("referral_id", &body.referral_id)?;
    Ok(created(
        state
            .store
            .add_tracing_contact(&actor, id, tid, referral)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/tracing/{tid}/close", tag = "tracing",
    summary = "Close an open request with a final status and an outcome note (422 outcome_required without one)",
    params(("id" = uuid::Uuid, Path), ("tid" = uuid::Uuid, Path)),
    request_body = CloseRequest,
    responses(
        (status = 204, description = "Closed"),
        crate::kit::responses::Changes))]
pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, tid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<CloseRequest>,
) -> Result<StatusCode, WebError> {
    let c = RawClose::from(body).validate()?;
    state.store.close_tracing(&actor, id, tid, c).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/age-assessments", tag = "tracing",
    summary = "The person's age assessments, newest first, each saying whether the benefit of the doubt makes the person treated as a child",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Assessments", body = Vec<AgeAssessment>),
        crate::kit::responses::Reads))]
pub async fn list_ages(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<AgeAssessment>>, WebError> {
    let list = state.store.age_assessments(&actor, id).await?;
    Ok(Json(list.into_iter().map(AgeAssessment::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/age-assessments", tag = "tracing",
    summary = "Record an age assessment: date, method, who assessed, and the result as a range of years (0–120, lower ≤ upper)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewAgeAssessment,
    responses(
        (status = 201, description = "TracingRecorded", body = TracingRecorded),
        crate::kit::responses::Changes))]
pub async fn record_age(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewAgeAssessment>,
) -> Result<Created, WebError> {
    let a = RawAgeAssessment::from(body).validate()?;
    Ok(created(
        state.store.record_age_assessment(&actor, id, a).await?,
    ))
}
