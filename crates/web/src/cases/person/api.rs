//! A person's identity, documents and consent; a case's attachments and best-interests
//! decisions, over JSON (and multipart for uploads). Each handler's `#[utoipa::path]` is its
//! part of the OpenAPI document.

use super::shared::{attachment_response, read_upload, too_large, upload_error, withdrawal_method};
use super::types::{
    Attachment, AttachmentUpload, BestInterests, BestInterestsRecorded, BestInterestsSignedOff,
    Consent, FileBytes, IdentityDocumentChanges, NewBestInterests, NewConsent, NewIdentityDocument,
    Person, PersonChanges, Versioned, WithdrawQuery,
};
use crate::AppState;
use crate::cases::types::Created;
use crate::kit::{ApiActor, ApiJson, ErrorBody, WebError};
use crate::kit::{Id, Ids};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{RawDocument, RawDocumentChanges, RawPersonChanges};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "person",
    summary = "A person's full identity and identity documents (audited)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Person),
        crate::kit::responses::Reads))]
pub async fn get_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(person): Id,
) -> Result<Json<Person>, WebError> {
    let details = state.store.person_details(&actor, person).await?;
    Ok(Json(details.into()))
}

#[utoipa::path(patch, path = "/api/v1/persons/{id}", tag = "person",
    summary = "Change a person's identity (partial, with the version read)",
    params(("id" = uuid::Uuid, Path)),
    request_body = PersonChanges,
    responses(
        (status = 200, description = "Success", body = Versioned),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 409, description = "Structured error", body = ErrorBody),
        (status = 415, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn patch_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(person): Id,
    ApiJson(body): ApiJson<PersonChanges>,
) -> Result<Json<Versioned>, WebError> {
    let changes = RawPersonChanges::from(body).validate(crate::kit::this_year())?;
    let version = state.store.update_person(&actor, person, changes).await?;
    Ok(Json(Versioned {
        id: person,
        version,
    }))
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/documents", tag = "person",
    summary = "Record an identity document and who holds it",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewIdentityDocument,
    responses(
        (status = 201, description = "Success", body = Created),
        crate::kit::responses::Changes))]
pub async fn add_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(person): Id,
    ApiJson(body): ApiJson<NewIdentityDocument>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let doc = RawDocument::from(body).validate()?;
    let doc_id = state.store.add_person_document(&actor, person, doc).await?;
    Ok((StatusCode::CREATED, Json(Created { id: doc_id })))
}

#[utoipa::path(patch, path = "/api/v1/persons/{id}/documents/{document_id}", tag = "person",
    summary = "Change who holds a document, its number or country (with the version read)",
    params(("id" = uuid::Uuid, Path), ("document_id" = uuid::Uuid, Path)),
    request_body = IdentityDocumentChanges,
    responses(
        (status = 200, description = "Success", body = Versioned),
        crate::kit::responses::Writes))]
pub async fn update_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((person, doc)): Ids<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<IdentityDocumentChanges>,
) -> Result<Json<Versioned>, WebError> {
    let changes = RawDocumentChanges::from(body).validate()?;
    let version = state
        .store
        .update_person_document(&actor, person, doc, changes)
        .await?;
    Ok(Json(Versioned { id: doc, version }))
}

#[utoipa::path(delete, path = "/api/v1/persons/{id}/documents/{document_id}", tag = "person",
    summary = "Remove a document recorded by mistake",
    params(("id" = uuid::Uuid, Path), ("document_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        crate::kit::responses::Reads))]
pub async fn remove_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((person, doc)): Ids<(Uuid, Uuid)>,
) -> Result<StatusCode, WebError> {
    state
        .store
        .remove_person_document(&actor, person, doc)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "person",
    summary = "Record a consent or another legal basis",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewConsent,
    responses(
        (status = 201, description = "Success", body = Created),
        crate::kit::responses::Changes))]
pub async fn record_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(person): Id,
    ApiJson(body): ApiJson<NewConsent>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let consent = RawConsent::from(body).validate()?;
    let consent_id = state.store.record_consent(&actor, person, consent).await?;
    Ok((StatusCode::CREATED, Json(Created { id: consent_id })))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/consents", tag = "person",
    summary = "Every consent of the person, in force and withdrawn, newest first",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<Consent>),
        crate::kit::responses::Reads))]
pub async fn list_consents(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(person): Id,
) -> Result<Json<Vec<Consent>>, WebError> {
    let consents = state.store.list_consents(&actor, person).await?;
    Ok(Json(consents.into_iter().map(Consent::from).collect()))
}

#[utoipa::path(delete, path = "/api/v1/persons/{id}/consents/{consent_id}", tag = "person",
    summary = "Withdraw a consent, effective at once; withdrawing again changes nothing",
    params(("id" = uuid::Uuid, Path), ("consent_id" = uuid::Uuid, Path), WithdrawQuery),
    responses(
        (status = 204, description = "Withdrawn"),
        crate::kit::responses::Changes))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Ids((person, consent)): Ids<(Uuid, Uuid)>,
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
        .withdraw_consent(&actor, person, consent, method)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "person",
    summary = "Attach a file: PDF, JPEG, PNG or plain text, checked by its bytes; images lose their metadata (EXIF, GPS, IPTC, XMP, comments) before it is sealed and stored",
    params(("id" = uuid::Uuid, Path), ("X-Filename" = Option<String>, Header, description = "The file name, when the body is the raw file")),
    request_body(content(
        (AttachmentUpload = "multipart/form-data"),
        (inline(FileBytes) = "application/octet-stream"),
    )),
    responses(
        (status = 201, description = "Success", body = Attachment),
        (status = 400, description = "Structured error", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 413, description = "Structured error", body = ErrorBody),
        (status = 415, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    req: Request,
) -> Result<(StatusCode, Json<Attachment>), WebError> {
    let limit = state.config.attachment_limit;
    let upload = read_upload(req, limit).await?;
    if upload.bytes.len() > limit {
        return Err(too_large(limit));
    }
    let details = upload
        .details
        .check()
        .map_err(passage_store::StoreError::Invalid)?;
    let meta = state
        .store
        .add_described_attachment(&actor, case, &upload.name, &upload.bytes, limit, details)
        .await
        .map_err(upload_error)?;
    Ok((StatusCode::CREATED, Json(meta.into())))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", tag = "person",
    summary = "A case's attachments, newest first (no content)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<Attachment>),
        crate::kit::responses::Reads))]
pub async fn list_attachments(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<Attachment>>, WebError> {
    let all = state.store.list_attachments(&actor, case).await?;
    Ok(Json(all.into_iter().map(Attachment::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "person",
    summary = "Download an attachment (audited): Content-Disposition attachment, nosniff, no-store",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "The file", content(
            (inline(FileBytes) = "application/pdf"),
            (inline(FileBytes) = "image/jpeg"),
            (inline(FileBytes) = "image/png"),
            (inline(FileBytes) = "text/plain"),
        )),
        crate::kit::responses::Reads))]
pub async fn download_attachment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(attachment): Id,
) -> Result<Response, WebError> {
    let file = state.store.get_attachment(&actor, attachment).await?;
    Ok(attachment_response(file))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/best-interests", tag = "person",
    summary = "Record a best-interests assessment and decision; it waits for a supervisor's sign-off",
    params(("id" = uuid::Uuid, Path)),
    request_body = NewBestInterests,
    responses(
        (status = 201, description = "Success", body = BestInterestsRecorded),
        crate::kit::responses::Changes))]
pub async fn record_best_interests(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
    ApiJson(body): ApiJson<NewBestInterests>,
) -> Result<(StatusCode, Json<BestInterestsRecorded>), WebError> {
    let new = RawBestInterests::from(body).validate()?;
    let bi = state.store.record_best_interests(&actor, case, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(BestInterestsRecorded {
            id: bi,
            is_final: false,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/best-interests", tag = "person",
    summary = "Best-interests assessments and decisions of a child's case; final only once signed off",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<BestInterests>),
        crate::kit::responses::Reads))]
pub async fn list_best_interests(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(case): Id,
) -> Result<Json<Vec<BestInterests>>, WebError> {
    let all = state.store.list_best_interests(&actor, case).await?;
    Ok(Json(all.into_iter().map(BestInterests::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/best-interests/{id}/sign-off", tag = "person",
    summary = "Sign off a decision: a supervisor of the case's organisation who did not write it (422 supervisor_required, own_decision, already_signed_off)",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = BestInterestsSignedOff),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 404, description = "Structured error", body = ErrorBody),
        (status = 422, description = "Structured error", body = ErrorBody)))]
pub async fn sign_off(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(bi): Id,
) -> Result<Json<BestInterestsSignedOff>, WebError> {
    let case = state.store.sign_off_best_interests(&actor, bi).await?;
    Ok(Json(BestInterestsSignedOff {
        id: bi,
        case_id: case,
        is_final: true,
    }))
}
