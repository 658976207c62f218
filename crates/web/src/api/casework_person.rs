//! A person's identity, documents and consent; a case's attachments and best-interests
//! decisions, over JSON (and multipart for uploads).

use crate::error::path_id as id;
use crate::extract::{ApiActor, ApiJson};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::casework::ConsentMethod;
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{RawDocument, RawDocumentChanges, RawPersonChanges};
use passage_store::StoreError;
use passage_store::casework::attachments::{AttachmentFile, AttachmentMeta};
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
    let changes = raw.validate(super::this_year())?;
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

/// Parses how a withdrawal was expressed (optional).
pub(crate) fn withdrawal_method(method: Option<&str>) -> Result<Option<ConsentMethod>, WebError> {
    match method.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(m) => ConsentMethod::parse(m).map(Some).ok_or_else(|| {
            let mut p = passage_core::validate::Problems::default();
            p.add(
                "method",
                "invalid_value",
                format!("method must be one of: {}", ConsentMethod::allowed()),
            );
            WebError::from(p)
        }),
    }
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
            "invalid_query",
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

/// Maps the store's refusal of a file to the HTTP status that names it best.
pub(crate) fn upload_error(e: StoreError) -> WebError {
    match e {
        StoreError::Rule { code, message } => {
            let status = match code {
                "unsupported_file_type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "file_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            WebError::new(status, code, message)
        }
        other => other.into(),
    }
}

pub(crate) fn too_large(limit: usize) -> WebError {
    WebError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        passage_core::casework::files::FileError::TooLarge { max: limit }.message(),
    )
}

/// The body limit of upload routes: the file cap plus room for the multipart envelope.
pub fn upload_body_limit(attachment_limit: usize) -> usize {
    attachment_limit.saturating_add(64 * 1024)
}

/// Reads a whole upload body, at most the file cap plus the multipart envelope. Upload routes
/// lift the global body limit (`DefaultBodyLimit::disable`) and are bounded here instead, so
/// the cap follows configuration.
pub(crate) async fn read_body(req: Request, limit: usize) -> Result<Request, WebError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, upload_body_limit(limit))
        .await
        .map_err(|_| too_large(limit))?;
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// Reads the uploaded file: `multipart/form-data` with a part named `file` (its file name is
/// kept), or the raw bytes of any other body with the name in `X-Filename`.
async fn read_upload(req: Request, limit: usize) -> Result<(String, Vec<u8>), WebError> {
    let req = read_body(req, limit).await?;
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        let name = req
            .headers()
            .get("x-filename")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|_| too_large(limit))?;
        return Ok((name, bytes.to_vec()));
    }
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|_| malformed_multipart())?;
    while let Some(field) = form.next_field().await.map_err(|_| malformed_multipart())? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| malformed_multipart())?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(missing_file())
}

pub(crate) fn malformed_multipart() -> WebError {
    WebError::new(
        StatusCode::BAD_REQUEST,
        "malformed_multipart",
        "The form data could not be read.",
    )
}

pub(crate) fn missing_file() -> WebError {
    let mut p = passage_core::validate::Problems::default();
    p.add("file", "required", "choose a file to attach");
    WebError::from(p)
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

/// The bytes as a download: never rendered by the browser, never cached.
pub(crate) fn attachment_response(file: AttachmentFile) -> Response {
    let disposition = content_disposition(&file.meta.filename);
    let content_type = HeaderValue::from_str(&file.meta.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut res = file.content.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
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

#[cfg(test)]
mod tests {
    #[test]
    fn download_names_are_quoted_safely() {
        assert_eq!(
            super::content_disposition("pay slip.pdf"),
            "attachment; filename=\"pay slip.pdf\"; filename*=UTF-8''pay%20slip.pdf"
        );
        assert_eq!(
            super::content_disposition("عقد.txt"),
            "attachment; filename=\"___.txt\"; filename*=UTF-8''%D8%B9%D9%82%D8%AF.txt"
        );
    }
}
