//! What the person API and pages share: how a consent withdrawal was expressed, and reading an
//! upload and answering a download.

use crate::kit::WebError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::casework::ConsentMethod;
use passage_store::StoreError;
use passage_store::casework::attachments::AttachmentFile;

/// Parses how a withdrawal was expressed (optional).
pub(crate) fn withdrawal_method(method: Option<&str>) -> Result<Option<ConsentMethod>, WebError> {
    match method.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(m) => ConsentMethod::parse(m).map(Some).ok_or_else(|| {
            let mut p = passage_core::validate::Problems::default();
            p.add(
                "method",
                passage_core::ErrorCode::InvalidValue,
                format!("method must be one of: {}", ConsentMethod::allowed()),
            );
            WebError::from(p)
        }),
    }
}

/// Maps the store's refusal of a file to the HTTP status that names it best.
pub(crate) fn upload_error(e: StoreError) -> WebError {
    match e {
        StoreError::Rule { code, message } => {
            let status = match code {
                passage_core::ErrorCode::UnsupportedFileType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                passage_core::ErrorCode::FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
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
        passage_core::ErrorCode::FileTooLarge,
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

/// An uploaded file: its name, its bytes, and what the uploader said it is.
pub(crate) struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub details: passage_store::casework::attachments::RawAttachmentDetails,
}

/// Reads the uploaded file: `multipart/form-data` with a part named `file` (its file name is
/// kept) and optional text parts `description` and `kind`, or the raw bytes of any other body
/// with the name in `X-Filename`.
pub(crate) async fn read_upload(req: Request, limit: usize) -> Result<Upload, WebError> {
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
        return Ok(Upload {
            name,
            bytes: bytes.to_vec(),
            details: Default::default(),
        });
    }
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|_| malformed_multipart())?;
    let mut file = None;
    let mut details = passage_store::casework::attachments::RawAttachmentDetails::default();
    while let Some(field) = form.next_field().await.map_err(|_| malformed_multipart())? {
        match field.name() {
            Some("file") if file.is_none() => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| malformed_multipart())?;
                file = Some((name, bytes.to_vec()));
            }
            Some("description") => {
                details.description = field.text().await.map_err(|_| malformed_multipart())?;
            }
            Some("kind") => {
                details.kind = field.text().await.map_err(|_| malformed_multipart())?;
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(missing_file)?;
    Ok(Upload {
        name,
        bytes,
        details,
    })
}

pub(crate) fn malformed_multipart() -> WebError {
    WebError::new(
        StatusCode::BAD_REQUEST,
        passage_core::ErrorCode::MalformedMultipart,
        "The form data could not be read.",
    )
}

pub(crate) fn missing_file() -> WebError {
    let mut p = passage_core::validate::Problems::default();
    p.add(
        "file",
        passage_core::ErrorCode::Required,
        "choose a file to attach",
    );
    WebError::from(p)
}

/// The bytes as a download: never rendered by the browser, never cached.
pub(crate) fn attachment_response(file: AttachmentFile) -> Response {
    file_response(&file.meta.filename, &file.meta.content_type, file.content)
}

/// Any stored file as a download: never rendered by the browser, never cached.
pub(crate) fn file_response(filename: &str, content_type: &str, content: Vec<u8>) -> Response {
    let disposition = content_disposition(filename);
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut res = content.into_response();
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
