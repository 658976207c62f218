//! Proceedings, perpetrators and the person's stance on cooperation: the case's own
//! organisation only. Each handler's `#[utoipa::path]` is its part of the OpenAPI document.

use super::types::{
    Cooperation, HearingUpdate, MeasureChange, NewCompensation, NewCooperation, NewHearing,
    NewOutcome, NewPayment, NewPerpetrator, NewProceeding, Perpetrator, PerpetratorLink,
    Proceeding, ProceedingRecorded, StageChange,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_core::casework::proceedings::{
    RawHearing, RawHearingChange, RawOutcome, RawPayment, RawPerpetrator, RawProceeding,
    compensation, cooperation, measure,
};
use passage_core::labour::money::Amount;
use uuid::Uuid;

type Created = (StatusCode, Json<ProceedingRecorded>);

fn created(id: Uuid) -> Created {
    (StatusCode::CREATED, Json(ProceedingRecorded { id }))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/proceedings", tag = "proceedings",
    summary = "The case's proceedings, newest first, with stage history, linked perpetrators, protection measures, hearings, outcome and compensation (the case's own organisation only)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Proceedings", body = Vec<Proceeding>),
        crate::kit::responses::Reads))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Proceeding>>, WebError> {
    let list = state.store.proceedings(&actor, id).await?;
    Ok(Json(list.into_iter().map(Proceeding::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings", tag = "proceedings",
    summary = "Record a criminal, labour, civil or administrative proceeding at its stage (422 naming each bad field, nothing written)",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewProceeding,
    responses(
        (status = 201, description = "Recorded", body = ProceedingRecorded),
        crate::kit::responses::Changes))]
pub async fn open(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewProceeding>,
) -> Result<Created, WebError> {
    let new = RawProceeding::from(body).validate()?;
    Ok(created(state.store.open_proceeding(&actor, id, new).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/stage", tag = "proceedings",
    summary = "Move a proceeding to a later stage or close it (422 transition_not_allowed backwards or once closed)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = StageChange,
    responses(
        (status = 204, description = "Moved"),
        crate::kit::responses::Changes))]
pub async fn stage(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<StageChange>,
) -> Result<StatusCode, WebError> {
    state
        .store
        .move_proceeding(&actor, id, pid, &body.stage)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/perpetrators", tag = "proceedings",
    summary = "Link a perpetrator of the same case to the proceeding (422 invalid_value on perpetrator_id for any other; already_linked twice)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = PerpetratorLink,
    responses(
        (status = 204, description = "Linked"),
        crate::kit::responses::Changes))]
pub async fn link(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<PerpetratorLink>,
) -> Result<StatusCode, WebError> {
    let perp = passage_core::validate::staff_id("perpetrator_id", &body.perpetrator_id)?;
    state.store.link_perpetrator(&actor, id, pid, perp).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/measures", tag = "proceedings",
    summary = "Record a protection measure asked for the victim, or where it now stands (granted, refused)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = MeasureChange,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn set_measure(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<MeasureChange>,
) -> Result<StatusCode, WebError> {
    let (kind, status) = measure(&body.kind, &body.status)?;
    state
        .store
        .set_measure(&actor, id, pid, kind, status)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/hearings", tag = "proceedings",
    summary = "Record a hearing of an open proceeding; a preparation task is put on the case's work list seven days before, and the day is among the case's deadlines",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = NewHearing,
    responses(
        (status = 201, description = "Recorded", body = ProceedingRecorded),
        crate::kit::responses::Changes))]
pub async fn add_hearing(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewHearing>,
) -> Result<Created, WebError> {
    let h = RawHearing::from(body).validate()?;
    Ok(created(state.store.add_hearing(&actor, id, pid, h).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/hearings/{hid}", tag = "proceedings",
    summary = "Move a hearing (its task moves with it) or cancel it (its task is closed)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path), ("hid" = uuid::Uuid, Path)),
    request_body = HearingUpdate,
    responses(
        (status = 204, description = "Changed"),
        crate::kit::responses::Changes))]
pub async fn change_hearing(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid, hid)): Ids<(Uuid, Uuid, Uuid)>,
    ApiJson(body): ApiJson<HearingUpdate>,
) -> Result<StatusCode, WebError> {
    let change = RawHearingChange::from(body).validate()?;
    state
        .store
        .change_hearing(&actor, id, pid, hid, change)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/outcome", tag = "proceedings",
    summary = "Record how the proceeding ended and the sentence",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = NewOutcome,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn outcome(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewOutcome>,
) -> Result<StatusCode, WebError> {
    let o = RawOutcome::from(body).validate()?;
    state.store.record_outcome(&actor, id, pid, o).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/compensation", tag = "proceedings",
    summary = "Record the compensation ordered (it joins the case's remedies beside the labour claims)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = NewCompensation,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn order(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewCompensation>,
) -> Result<StatusCode, WebError> {
    let money = compensation(&Amount::minor(body.amount), &body.currency)?;
    state
        .store
        .order_compensation(&actor, id, pid, money)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{pid}/payments", tag = "proceedings",
    summary = "Record a payment of the ordered compensation, in its currency (422 invalid_value on amount before an order)",
    params(("id" = uuid::Uuid, Path), ("pid" = uuid::Uuid, Path)),
    request_body = NewPayment,
    responses(
        (status = 201, description = "Recorded", body = ProceedingRecorded),
        crate::kit::responses::Changes))]
pub async fn pay(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((id, pid)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NewPayment>,
) -> Result<Created, WebError> {
    let raw = RawPayment {
        amount: Amount::minor(body.amount),
        paid_on: body.paid_on,
    };
    Ok(created(
        state.store.record_payment(&actor, id, pid, raw).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/perpetrators", tag = "proceedings",
    summary = "The case's perpetrators (HTCDS per_* facts); never persons in care",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Perpetrators", body = Vec<Perpetrator>),
        crate::kit::responses::Reads))]
pub async fn perpetrators(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<Perpetrator>>, WebError> {
    let list = state.store.perpetrators(&actor, id).await?;
    Ok(Json(list.into_iter().map(Perpetrator::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/perpetrators", tag = "proceedings",
    summary = "Record a perpetrator of the case: role in the process (one or more), sex, age band, citizenship, relation to the victim, details; all sealed",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewPerpetrator,
    responses(
        (status = 201, description = "Recorded", body = ProceedingRecorded),
        crate::kit::responses::Changes))]
pub async fn add_perpetrator(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewPerpetrator>,
) -> Result<Created, WebError> {
    let p = RawPerpetrator::from(body).validate()?;
    Ok(created(
        state.store.record_perpetrator(&actor, id, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/cooperation", tag = "proceedings",
    summary = "The person's stance on cooperating with law enforcement, as last recorded; assistance never depends on it",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Stance", body = Cooperation),
        crate::kit::responses::Reads))]
pub async fn get_cooperation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Cooperation>, WebError> {
    let c = state.store.cooperation(&actor, id).await?;
    Ok(Json(Cooperation {
        stance: c.as_ref().map(|c| c.stance),
        stated_on: c.map(|c| c.stated_on.to_string()),
    }))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/cooperation", tag = "proceedings",
    summary = "Record the person's stance on cooperating with law enforcement (not_asked, cooperating, declined, withdrawn) and its date",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewCooperation,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Changes))]
pub async fn set_cooperation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<NewCooperation>,
) -> Result<StatusCode, WebError> {
    let (stance, on) = cooperation(&body.stance, &body.stated_on)?;
    state
        .store
        .record_cooperation(&actor, id, stance, on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
