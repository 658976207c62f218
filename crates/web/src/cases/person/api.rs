//! A person's identity, documents and consent; a case's attachments and best-interests
//! decisions, over JSON (and multipart for uploads).

use super::shared::{attachment_response, read_upload, too_large, upload_error, withdrawal_method};
use crate::AppState;
use crate::kit::WebError;
use crate::kit::error::path_id as id;
use crate::kit::{ApiActor, ApiJson};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{RawDocument, RawDocumentChanges, RawPersonChanges};
use passage_store::casework::attachments::AttachmentMeta;
use passage_store::casework::child::BestInterestsView;
use passage_store::casework::consent::ConsentView;
use passage_store::casework::person::PersonDetails;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn get_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(person): Path<String>,
) -> Result<Json<PersonDetails>, WebError> {
    Ok(Json(
        state.store.person_details(&actor, id(&person)?).await?,
    ))
}

pub async fn patch_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(person): Path<String>,
    ApiJson(raw): ApiJson<RawPersonChanges>,
) -> Result<Json<Value>, WebError> {
    let person = id(&person)?;
    let changes = raw.validate(crate::kit::this_year())?;
    let version = state.store.update_person(&actor, person, changes).await?;
    Ok(Json(json!({ "id": person, "version": version })))
}

pub async fn add_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(person): Path<String>,
    ApiJson(raw): ApiJson<RawDocument>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let person = id(&person)?;
    let doc = raw.validate()?;
    let doc_id = state.store.add_person_document(&actor, person, doc).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": doc_id }))))
}

pub async fn update_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((person, doc)): Path<(String, String)>,
    ApiJson(raw): ApiJson<RawDocumentChanges>,
) -> Result<Json<Value>, WebError> {
    let (person, doc) = (id(&person)?, id(&doc)?);
    let changes = raw.validate()?;
    let version = state
        .store
        .update_person_document(&actor, person, doc, changes)
        .await?;
    Ok(Json(json!({ "id": doc, "version": version })))
}

pub async fn remove_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((person, doc)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    state
        .store
        .remove_person_document(&actor, id(&person)?, id(&doc)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn record_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(person): Path<String>,
    ApiJson(raw): ApiJson<RawConsent>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let person = id(&person)?;
    let consent = raw.validate()?;
    let consent_id = state.store.record_consent(&actor, person, consent).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": consent_id }))))
}

pub async fn list_consents(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(person): Path<String>,
) -> Result<Json<Vec<ConsentView>>, WebError> {
    Ok(Json(state.store.list_consents(&actor, id(&person)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawQuery {
    method: Option<String>,
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((person, consent)): Path<(String, String)>,
    query: Result<Query<WithdrawQuery>, QueryRejection>,
) -> Result<StatusCode, WebError> {
    let Query(q) = query.map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::InvalidQuery,
            "The only parameter is method (verbal, written or digital).",
        )
    })?;
    let method = withdrawal_method(q.method.as_deref())?;
    state
        .store
        .withdraw_consent(&actor, id(&person)?, id(&consent)?, method)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn upload_attachment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    req: Request,
) -> Result<(StatusCode, Json<AttachmentMeta>), WebError> {
    let case = id(&case)?;
    let limit = state.config.attachment_limit;
    let (name, bytes) = read_upload(req, limit).await?;
    if bytes.len() > limit {
        return Err(too_large(limit));
    }
    let meta = state
        .store
        .add_attachment(&actor, case, &name, &bytes, limit)
        .await
        .map_err(upload_error)?;
    Ok((StatusCode::CREATED, Json(meta)))
}

pub async fn list_attachments(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<AttachmentMeta>>, WebError> {
    Ok(Json(
        state.store.list_attachments(&actor, id(&case)?).await?,
    ))
}

pub async fn download_attachment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(attachment): Path<String>,
) -> Result<Response, WebError> {
    let file = state.store.get_attachment(&actor, id(&attachment)?).await?;
    Ok(attachment_response(file))
}

pub async fn record_best_interests(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
    ApiJson(raw): ApiJson<RawBestInterests>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let case = id(&case)?;
    let new = raw.validate()?;
    let bi = state.store.record_best_interests(&actor, case, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": bi, "final": false })),
    ))
}

pub async fn list_best_interests(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(case): Path<String>,
) -> Result<Json<Vec<BestInterestsView>>, WebError> {
    Ok(Json(
        state.store.list_best_interests(&actor, id(&case)?).await?,
    ))
}

pub async fn sign_off(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(bi): Path<String>,
) -> Result<Json<Value>, WebError> {
    let bi = id(&bi)?;
    let case = state.store.sign_off_best_interests(&actor, bi).await?;
    Ok(Json(json!({ "id": bi, "case_id": case, "final": true })))
}
