//! The attachments page: the list, the upload (multipart, its own CSRF check) and the download.

use super::*;
use crate::kit::{Id, Ids};
use passage_core::casework::AttachmentKind;
use passage_store::casework::attachments::RawAttachmentDetails;

pub struct AttachmentRow {
    id: Uuid,
    filename: String,
    content_type: String,
    size: String,
    by: String,
    at: String,
    description: String,
    kind: String,
}

/// What was typed about a file, kept when the upload comes back.
#[derive(Default)]
struct Typed {
    description: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "attachments.html")]
struct AttachmentsPage {
    nav: Nav,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<AttachmentRow>,
    max: String,
    description: String,
    /// (value, label, selected) document types.
    kinds: Vec<(&'static str, String, bool)>,
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

async fn attachments_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    status: StatusCode,
    typed: Typed,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let rows = state
        .store
        .list_attachments(actor, case_id)
        .await?
        .into_iter()
        .map(|a| AttachmentRow {
            id: a.id,
            filename: a.filename,
            content_type: match a.content_type.as_str() {
                "application/pdf" => "PDF".into(),
                "image/jpeg" => "JPEG image".into(),
                "image/png" => "PNG image".into(),
                _ => "text".into(),
            },
            size: size(a.size),
            by: a.created_by_name,
            at: when(a.created_at),
            description: a.description.unwrap_or_default(),
            kind: a
                .kind
                .map(|k| nav.label("attachment_kind", k.as_str()))
                .unwrap_or_default(),
        })
        .collect();
    let kinds = AttachmentKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str(),
                nav.label("attachment_kind", k.as_str()),
                typed.kind == k.as_str(),
            )
        })
        .collect();
    Ok(with_status(
        page(&AttachmentsPage {
            csrf: nav.csrf.clone(),
            nav,
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            rows,
            max: size(state.config.attachment_limit as i64),
            description: typed.description,
            kinds,
        }),
        status,
    ))
}

pub async fn attachments(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    attachments_page(&state, &s, id, Vec::new(), StatusCode::OK, Typed::default()).await
}

/// The upload form as read: the CSRF token, the file's name and bytes, and what was said of it.
struct Upload {
    csrf: String,
    name: String,
    bytes: Vec<u8>,
    typed: Typed,
}

/// Reads the upload form: the CSRF token, the file part, its description and document type.
async fn read_form(req: Request, limit: usize) -> Result<Upload, WebError> {
    let req = read_body(req, limit).await?;
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|_| malformed_multipart())?;
    let (mut csrf, mut file) = (String::new(), None);
    let mut typed = Typed::default();
    while let Some(field) = form.next_field().await.map_err(|_| malformed_multipart())? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|_| malformed_multipart())?,
            Some("description") => {
                typed.description = field.text().await.map_err(|_| malformed_multipart())?;
            }
            Some("kind") => typed.kind = field.text().await.map_err(|_| malformed_multipart())?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| malformed_multipart())?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    Ok(Upload {
        csrf,
        name,
        bytes,
        typed,
    })
}

pub async fn upload(
    State(state): State<AppState>,
    s: UiSession,
    Id(case_id): Id,
    req: Request,
) -> Result<Response, WebError> {
    let limit = state.config.attachment_limit;
    let Upload {
        csrf,
        name,
        bytes,
        typed,
    } = match read_form(req, limit).await {
        Ok(v) => v,
        Err(e) if e.status == StatusCode::PAYLOAD_TOO_LARGE => {
            // Show the page again with the reason, instead of a bare error.
            let errors = vec![UiError {
                code: None,
                anchor: "file".into(),
                message: e.body.message,
            }];
            return attachments_page(&state, &s, case_id, errors, e.status, Typed::default()).await;
        }
        Err(e) => return Err(e),
    };
    check_csrf(&s.session.csrf, &csrf)?;
    let result = if name.is_empty() && bytes.is_empty() {
        Err(missing_file())
    } else if bytes.len() > limit {
        Err(too_large(limit))
    } else {
        let details = RawAttachmentDetails {
            description: typed.description.clone(),
            kind: typed.kind.clone(),
        }
        .check()
        .map_err(|p| upload_error(StoreError::Invalid(p)));
        match details {
            Ok(details) => state
                .store
                .add_described_attachment(&s.session.actor, case_id, &name, &bytes, limit, details)
                .await
                .map(|_| ())
                .map_err(upload_error),
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(()) => Ok(done(
            &format!("/cases/{case_id}/attachments"),
            "feedback-file-attached",
        )),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            let errors = if e.body.fields.is_empty() {
                vec![UiError {
                    code: None,
                    anchor: "file".into(),
                    message: e.body.message,
                }]
            } else {
                e.body
                    .fields
                    .into_iter()
                    .map(|f| UiError {
                        code: None,
                        anchor: match f.field.as_str() {
                            "description" => "attachment-description".into(),
                            "kind" => "attachment-kind".into(),
                            _ => "file".into(),
                        },
                        message: f.message,
                    })
                    .collect()
            };
            attachments_page(&state, &s, case_id, errors, e.status, typed).await
        }
        Err(e) => Err(e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    s: UiSession,
    Ids((case_id, attachment)): Ids<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    let file = state
        .store
        .get_attachment(&s.session.actor, attachment)
        .await?;
    if file.meta.case_id != case_id {
        return Err(WebError::not_found());
    }
    Ok(attachment_response(file))
}

// ---------------------------------------------------------------------------------------------
