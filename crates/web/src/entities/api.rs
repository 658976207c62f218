//! The register over the API. Each handler's `#[utoipa::path]` is its part of the OpenAPI
//! document. Immigration enforcement is answered 403 `immigration_firewall` on every route
//! here; a record the caller cannot change is 404, as everywhere.

use super::types::{
    EntityCreated, EntityInput, EntityItem, EntityLicenceInput, EntityLinkInput, EntityLinkItem,
    EntityMergeInput, EntityQuery, EntitySanctionInput, EntityView, EntityWorkplaceInput,
};
use crate::AppState;
use crate::kit::{ApiActor, ApiJson, Id, Ids, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use passage_core::labour::entities::LinkedRecord;
use passage_store::{Authority, StoreError};

#[utoipa::path(post, path = "/api/v1/entities", tag = "entities",
    summary = "Add a recruiter, employer, household or broker to the network's register (staff of any organisation but immigration enforcement); a household's name is sealed",
    request_body = EntityInput,
    responses(
        (status = 201, description = "Added", body = EntityCreated),
        crate::kit::responses::Guarded))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<EntityInput>,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    let id = state
        .store
        .create_entity(&Authority::User(actor), &body.raw())
        .await?;
    Ok((StatusCode::CREATED, Json(EntityCreated { id })))
}

#[utoipa::path(get, path = "/api/v1/entities", tag = "entities",
    summary = "Entities whose names match what was typed (whatever the legal form, spacing, case or script) or whose licence number it is; `complaints` is null under k",
    params(EntityQuery),
    responses(
        (status = 200, description = "Best match first", body = Vec<EntityItem>),
        crate::kit::responses::Refusals,
        (status = 400, description = "Structured error", body = crate::kit::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<EntityQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<EntityItem>>, WebError> {
    let Query(q) = query.map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::InvalidQuery,
            "Use q.",
        )
    })?;
    let found = state
        .store
        .search_entities(&actor, q.q.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(found.into_iter().map(EntityItem::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/entities/{id}", tag = "entities",
    summary = "One entity: licence, sector, workplaces, confirmed sanctions, the network's complaint counts by category (null under k) and your organisation's own links only",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The entity", body = EntityView),
        crate::kit::responses::Guarded))]
pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<EntityView>, WebError> {
    let e = state.store.entity(&actor, id).await?;
    let (links, cells) = state.store.entity_links(&actor, id).await?;
    Ok(Json(EntityView::of(e, links, cells)))
}

#[utoipa::path(post, path = "/api/v1/entities/{id}/licence", tag = "entities",
    summary = "Record a licence's status with the licensing authority and date (the register's keeper), carrying the entity's `version` as read: a stale one is 409 `version_conflict` and nothing is written",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityLicenceInput,
    responses(
        (status = 204, description = "Recorded"),
        crate::kit::responses::Guarded))]
pub async fn licence(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityLicenceInput>,
) -> Result<StatusCode, WebError> {
    let by = Authority::User(actor);
    state.store.entity_firewall(&by).await?;
    let licence = body.raw().validate().map_err(StoreError::Invalid)?;
    let seen = body.seen()?;
    state
        .store
        .update_licence(&by, id, Some(seen), &licence)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/entities/{id}/sanctions", tag = "entities",
    summary = "Record a sanction an inspectorate or a court confirmed (an inspector or supervisor of a labour inspectorate): it is shown on the public recruiter check",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntitySanctionInput,
    responses(
        (status = 201, description = "Recorded", body = EntityCreated),
        crate::kit::responses::Guarded))]
pub async fn sanction(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntitySanctionInput>,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    let org = actor.org_id();
    let by = Authority::User(actor);
    state.store.entity_firewall(&by).await?;
    let s = body
        .raw()
        .validate(state.store.clock().today())
        .map_err(StoreError::Invalid)?;
    let sid = state.store.confirm_sanction(&by, org, id, &s).await?;
    Ok((StatusCode::CREATED, Json(EntityCreated { id: sid })))
}

#[utoipa::path(post, path = "/api/v1/entities/{id}/workplaces", tag = "entities",
    summary = "Add a workplace address (sealed at rest)",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityWorkplaceInput,
    responses(
        (status = 204, description = "Added"),
        crate::kit::responses::Guarded))]
pub async fn workplace(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityWorkplaceInput>,
) -> Result<StatusCode, WebError> {
    state.store.add_workplace(&actor, id, &body.address).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/entities/{id}/merge", tag = "entities",
    summary = "Merge this entity into another (a supervisor): both stay, this one points to the survivor and what named it counts there",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityMergeInput,
    responses(
        (status = 204, description = "Merged"),
        crate::kit::responses::Guarded))]
pub async fn merge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityMergeInput>,
) -> Result<StatusCode, WebError> {
    state
        .store
        .entity_firewall(&Authority::User(actor.clone()))
        .await?;
    let into = body.parse()?;
    state.store.merge_entities(&actor, id, into).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/entities/{id}/unmerge", tag = "entities",
    summary = "Undo a merge (a supervisor): the entity stands on its own again",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Unmerged"),
        crate::kit::responses::Guarded))]
pub async fn unmerge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<StatusCode, WebError> {
    state.store.unmerge_entity(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn link(
    state: &AppState,
    actor: passage_store::Actor,
    record: LinkedRecord,
    id: uuid::Uuid,
    body: &EntityLinkInput,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    state
        .store
        .entity_firewall(&Authority::User(actor.clone()))
        .await?;
    let (entity, role) = body.parse()?;
    let lid = state
        .store
        .link_entity(&actor, record, id, entity, role)
        .await?;
    Ok((StatusCode::CREATED, Json(EntityCreated { id: lid })))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/entities", tag = "entities",
    summary = "Name an entity from a case with its role; the case's gate decides (a case you cannot change is 404)",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityLinkInput,
    responses(
        (status = 201, description = "Named", body = EntityCreated),
        crate::kit::responses::Guarded))]
pub async fn link_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityLinkInput>,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    link(&state, actor, LinkedRecord::Case, id, &body).await
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/entities", tag = "entities",
    summary = "Name an entity from a report of your organisation's queue; a case opened from the report keeps it",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityLinkInput,
    responses(
        (status = 201, description = "Named", body = EntityCreated),
        crate::kit::responses::Guarded))]
pub async fn link_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityLinkInput>,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    link(&state, actor, LinkedRecord::Report, id, &body).await
}

#[utoipa::path(post, path = "/api/v1/documents/{id}/entities", tag = "entities",
    summary = "Name the entity that holds a person's identity document (role `document_holder`)",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityLinkInput,
    responses(
        (status = 201, description = "Named", body = EntityCreated),
        crate::kit::responses::Guarded))]
pub async fn link_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityLinkInput>,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    link(&state, actor, LinkedRecord::Document, id, &body).await
}

#[utoipa::path(post, path = "/api/v1/screenings/{id}/entities", tag = "entities",
    summary = "Name an entity from a screening",
    params(("id" = uuid::Uuid, Path)),
    request_body = EntityLinkInput,
    responses(
        (status = 201, description = "Named", body = EntityCreated),
        crate::kit::responses::Guarded))]
pub async fn link_screening(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(body): ApiJson<EntityLinkInput>,
) -> Result<(StatusCode, Json<EntityCreated>), WebError> {
    link(&state, actor, LinkedRecord::Screening, id, &body).await
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/entities", tag = "entities",
    summary = "The entities a case names (your organisation's links)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Links", body = Vec<EntityLinkItem>),
        crate::kit::responses::Guarded))]
pub async fn case_links(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<EntityLinkItem>>, WebError> {
    let links = state
        .store
        .record_entities(&actor, LinkedRecord::Case, id)
        .await?;
    Ok(Json(links.into_iter().map(EntityLinkItem::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/reports/{id}/entities", tag = "entities",
    summary = "The entities a report names (your organisation's links)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Links", body = Vec<EntityLinkItem>),
        crate::kit::responses::Guarded))]
pub async fn report_links(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<EntityLinkItem>>, WebError> {
    let links = state
        .store
        .record_entities(&actor, LinkedRecord::Report, id)
        .await?;
    Ok(Json(links.into_iter().map(EntityLinkItem::from).collect()))
}

async fn unlink(
    state: &AppState,
    actor: passage_store::Actor,
    record: LinkedRecord,
    (id, link_id): (uuid::Uuid, uuid::Uuid),
) -> Result<StatusCode, WebError> {
    state
        .store
        .entity_firewall(&Authority::User(actor.clone()))
        .await?;
    state
        .store
        .unlink_entity(&actor, record, id, link_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/cases/{id}/entities/{link_id}", tag = "entities",
    summary = "Remove a link made by mistake (the organisation that made it only; any other link is 404); the network's counts drop",
    params(("id" = uuid::Uuid, Path), ("link_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        crate::kit::responses::Guarded))]
pub async fn unlink_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids(ids): Ids<(uuid::Uuid, uuid::Uuid)>,
) -> Result<StatusCode, WebError> {
    unlink(&state, actor, LinkedRecord::Case, ids).await
}

#[utoipa::path(delete, path = "/api/v1/reports/{id}/entities/{link_id}", tag = "entities",
    summary = "Remove a link of a report made by mistake (the organisation that made it only)",
    params(("id" = uuid::Uuid, Path), ("link_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        crate::kit::responses::Guarded))]
pub async fn unlink_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids(ids): Ids<(uuid::Uuid, uuid::Uuid)>,
) -> Result<StatusCode, WebError> {
    unlink(&state, actor, LinkedRecord::Report, ids).await
}

#[utoipa::path(delete, path = "/api/v1/documents/{id}/entities/{link_id}", tag = "entities",
    summary = "Remove a link of a held document made by mistake (the organisation that made it only)",
    params(("id" = uuid::Uuid, Path), ("link_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        crate::kit::responses::Guarded))]
pub async fn unlink_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids(ids): Ids<(uuid::Uuid, uuid::Uuid)>,
) -> Result<StatusCode, WebError> {
    unlink(&state, actor, LinkedRecord::Document, ids).await
}

#[utoipa::path(delete, path = "/api/v1/screenings/{id}/entities/{link_id}", tag = "entities",
    summary = "Remove a link of a screening made by mistake (the organisation that made it only)",
    params(("id" = uuid::Uuid, Path), ("link_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        crate::kit::responses::Guarded))]
pub async fn unlink_screening(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids(ids): Ids<(uuid::Uuid, uuid::Uuid)>,
) -> Result<StatusCode, WebError> {
    unlink(&state, actor, LinkedRecord::Screening, ids).await
}
