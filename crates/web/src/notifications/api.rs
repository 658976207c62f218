//! The notifications and webhooks API. Each handler's `#[utoipa::path]` is its part of the
//! OpenAPI document.

use super::types::{AnswerHours, Delivery, Inbox, NewEndpoint, Registered, Requeued, Webhooks};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    summary = "Your notifications of referral events (received, answered, overdue, withdrawn), newest first, and how many are unread. Ids only, never personal data",
    responses(
        (status = 200, description = "The inbox", body = Inbox),
        crate::kit::responses::Reads))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Inbox>, WebError> {
    Ok(Json(state.store.inbox(&actor).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    summary = "Mark one of your notifications read; anyone else's is 404",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Read"),
        crate::kit::responses::Changes))]
pub async fn read(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<StatusCode, WebError> {
    state.store.mark_notification_read(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "notifications",
    summary = "Your organisation's webhook endpoint and its delivery log (organisation administrators)",
    responses(
        (status = 200, description = "Endpoint and deliveries", body = Webhooks),
        crate::kit::responses::Refusals))]
pub async fn webhooks(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Webhooks>, WebError> {
    let endpoint = state.store.webhook_endpoint(&actor).await?;
    let deliveries = state.store.webhook_log(&actor).await?;
    let dead = state.store.dead_webhooks(&actor).await?;
    Ok(Json(Webhooks {
        endpoint: endpoint.map(Into::into),
        deliveries: deliveries.into_iter().map(Delivery::from).collect(),
        dead,
    }))
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "notifications",
    summary = "Register your organisation's endpoint (replacing the one it had): referral events are POSTed to it signed with X-Passage-Signature; the secret is in this answer only",
    request_body = NewEndpoint,
    responses(
        (status = 201, description = "Registered", body = Registered),
        crate::kit::responses::Guarded))]
pub async fn register(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewEndpoint>,
) -> Result<(StatusCode, Json<Registered>), WebError> {
    let r = state.store.register_webhook(&actor, &body.url).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            id: r.endpoint.id,
            url: r.endpoint.url,
            created_at: r.endpoint.created_at,
            secret: r.secret,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "notifications",
    summary = "Remove your organisation's endpoint; another organisation's is 404",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        crate::kit::responses::Guarded))]
pub async fn remove(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<StatusCode, WebError> {
    state.store.delete_webhook(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/services/{id}/answer-hours", tag = "services",
    summary = "Set the hours within which a service asks referrals to be answered (72 unless set): a referral unanswered after them reminds both sides once (administrators and supervisors of the providing organisation)",
    params(("id" = uuid::Uuid, Path)),
    request_body = AnswerHours,
    responses(
        (status = 200, description = "Set", body = AnswerHours),
        crate::kit::responses::Guarded))]
pub async fn answer_hours(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<AnswerHours>,
) -> Result<Json<AnswerHours>, WebError> {
    state
        .store
        .set_answer_hours(&actor, id, body.answer_hours)
        .await?;
    Ok(Json(body))
}

#[utoipa::path(post, path = "/api/v1/webhooks/retry", tag = "notifications",
    summary = "Send your organisation's notices that were given up on again, with a fresh count of attempts (organisation administrators)",
    responses(
        (status = 200, description = "Queued again", body = Requeued),
        crate::kit::responses::Refusals))]
pub async fn retry(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Requeued>, WebError> {
    let requeued = state.store.retry_dead_webhooks(&actor).await?;
    Ok(Json(Requeued { requeued }))
}
