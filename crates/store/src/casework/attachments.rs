//! Attachments of a case: scans and photos of documents, letters, payslips.
//!
//! What is stored is decided by the bytes, never by the name or the type a browser claims:
//! only PDF, JPEG, PNG and plain text are accepted, up to a configured size, and images lose
//! their metadata (EXIF GPS position, camera, IPTC, XMP, comments; see
//! `passage_core::casework::files`) before anything is written; a PDF loses its document
//! information and XMP, and one that cannot be cleaned soundly (encrypted, or its information
//! in a compressed object stream, as many generators write) is kept as it came rather than
//! refused, since it is evidence about a person the case already names. The content and the file name
//! are sealed like every other personal field (XChaCha20-Poly1305, bound to the attachment's
//! id), so the database file holds neither. Every upload, list and download is audited.

use super::gate;
use super::person::missing;
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::AttachmentKind;
use passage_core::casework::files::{
    FileError, UncleanablePdf, prepare_with, safe_filename, sniff,
};
use passage_core::policy::Action;
use passage_core::validate::{Problems, Text};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// An attachment without its content.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub case_id: Uuid,
    pub filename: String,
    pub content_type: String,
    /// Bytes stored (after metadata was removed).
    pub size: i64,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: i64,
    /// What the uploader said the file is (sealed at rest).
    pub description: Option<String>,
    /// The document type chosen from the vocabulary.
    pub kind: Option<AttachmentKind>,
}

/// Longest attachment description.
pub const DESCRIPTION_MAX: usize = 1_000;

/// What is said about a file as typed: a description and a document type, both optional.
#[derive(Debug, Clone, Default)]
pub struct RawAttachmentDetails {
    pub description: String,
    pub kind: String,
}

/// What is said about a file, checked: a description within [`DESCRIPTION_MAX`] and a value
/// of [`AttachmentKind`], both optional.
#[derive(Debug, Clone, Default)]
pub struct AttachmentDetails {
    pub description: Option<Text>,
    pub kind: Option<AttachmentKind>,
}

impl RawAttachmentDetails {
    /// Every problem at once: a description too long or with control characters, a document
    /// type that is not in the vocabulary.
    pub fn check(&self) -> Result<AttachmentDetails, Problems> {
        let mut p = Problems::default();
        let description = if self.description.trim().is_empty() {
            None
        } else {
            match Text::parse("description", &self.description, DESCRIPTION_MAX) {
                Ok(t) => Some(t),
                Err(found) => {
                    p.0.extend(found.0);
                    None
                }
            }
        };
        let kind = match self.kind.trim() {
            "" => None,
            k => {
                let parsed = AttachmentKind::parse(k);
                if parsed.is_none() {
                    p.add(
                        "kind",
                        passage_core::ErrorCode::InvalidValue,
                        format!("kind must be one of: {}", AttachmentKind::allowed()),
                    );
                }
                parsed
            }
        };
        p.finish(AttachmentDetails { description, kind })
    }
}

/// An attachment with its content, for download.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub meta: AttachmentMeta,
    pub content: Vec<u8>,
}

fn file_error(e: FileError) -> StoreError {
    StoreError::Rule {
        code: e.code(),
        message: e.message(),
    }
}

const META_COLUMNS: &str = "a.id, a.case_id, a.filename, a.content_type, a.size, a.created_by, u.display_name, a.created_at, a.description, a.kind";

fn meta_from_row(keys: &crate::Keys, r: &sqlx::any::AnyRow) -> Result<AttachmentMeta, StoreError> {
    let id: String = r.try_get("id")?;
    Ok(AttachmentMeta {
        id: parse_uuid(&id)?,
        case_id: parse_uuid(&r.try_get::<String, _>("case_id")?)?,
        filename: keys.open_str(
            Field::AttachmentFilename,
            &id,
            &r.try_get::<Vec<u8>, _>("filename")?,
        )?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        created_by: parse_uuid(&r.try_get::<String, _>("created_by")?)?,
        created_by_name: r
            .try_get::<Option<String>, _>("display_name")?
            .unwrap_or_default(),
        created_at: r.try_get("created_at")?,
        description: r
            .try_get::<Option<Vec<u8>>, _>("description")?
            .map(|b| keys.open_str(Field::AttachmentDescription, &id, &b))
            .transpose()?,
        kind: r
            .try_get::<Option<String>, _>("kind")?
            .map(|k| AttachmentKind::parse(&k).ok_or(StoreError::Corrupt("attachment kind")))
            .transpose()?,
    })
}

impl Store {
    /// Checks, cleans, seals and stores a file for a case. `max_bytes` is the configured cap.
    /// Refusals: `unsupported_file_type`, `file_too_large`, `empty_file`, `malformed_file`.
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        filename: &str,
        bytes: &[u8],
        max_bytes: usize,
    ) -> Result<AttachmentMeta, StoreError> {
        self.add_described_attachment(
            actor,
            case_id,
            filename,
            bytes,
            max_bytes,
            AttachmentDetails::default(),
        )
        .await
    }

    /// As [`Store::add_attachment`], with what the uploader says the file is. The description
    /// is sealed like the file name; the document type is checked against the vocabulary.
    pub async fn add_described_attachment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        filename: &str,
        bytes: &[u8],
        max_bytes: usize,
        details: AttachmentDetails,
    ) -> Result<AttachmentMeta, StoreError> {
        let description = details.description.map(Text::into_string);
        let doc_kind = details.kind;
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::UpdateCase, "attachment.add").await?;
        let (kind, clean) =
            prepare_with(bytes, max_bytes, UncleanablePdf::KeepAsIs).map_err(file_error)?;
        let id = Uuid::now_v7();
        let rid = id.to_string();
        let name = safe_filename(filename, kind);
        let sealed_name = tx.keys.seal_str(Field::AttachmentFilename, &rid, &name)?;
        let sealed = tx.keys.seal(Field::AttachmentContent, &rid, &clean)?;
        let sealed_description = description
            .as_deref()
            .map(|d| tx.keys.seal_str(Field::AttachmentDescription, &rid, d))
            .transpose()?;
        sqlx::query(
            "INSERT INTO attachments (id, case_id, filename, content_type, size, content, created_by, created_at, description, kind) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&rid)
        .bind(case.key())
        .bind(sealed_name)
        .bind(kind.content_type())
        .bind(clean.len() as i64)
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(sealed_description)
        .bind(doc_kind.map(|k| k.as_str()))
        .execute(&mut *tx.tx)
        .await?;
        let by: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
            .bind(actor.user_id().to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
        let created_at = tx.now;
        tx.audit(actor.event("attachment.add", "attachment", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(AttachmentMeta {
            id,
            case_id,
            filename: name,
            content_type: kind.content_type().to_string(),
            size: clean.len() as i64,
            created_by: actor.user_id(),
            created_by_name: by.map(|b| b.0).unwrap_or_default(),
            created_at,
            description,
            kind: doc_kind,
        })
    }

    /// The attachments of a case, newest first, without content.
    pub async fn list_attachments(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<AttachmentMeta>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "attachment.list").await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {META_COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.created_by \
             WHERE a.case_id = $1 ORDER BY a.created_at DESC, a.id DESC"
        )))
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let out = rows
            .iter()
            .map(|r| meta_from_row(&tx.keys, r))
            .collect::<Result<Vec<_>, _>>()?;
        tx.audit(actor.event("attachment.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One attachment with its content, for whoever may read its case. Audited as
    /// `attachment.read`, whether it was found, refused or missing.
    pub async fn get_attachment(
        &self,
        actor: &Actor,
        attachment_id: Uuid,
    ) -> Result<AttachmentFile, StoreError> {
        let mut tx = self.begin().await?;
        let rid = attachment_id.to_string();
        let case: Option<(String,)> =
            sqlx::query_as("SELECT case_id FROM attachments WHERE id = $1")
                .bind(&rid)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let Some((case_id,)) = case else {
            return missing(tx, actor, "attachment.read", "attachment", rid).await;
        };
        let (mut tx, _case) = gate(
            tx,
            actor,
            parse_uuid(&case_id)?,
            Action::ReadCase,
            "attachment.read",
        )
        .await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {META_COLUMNS}, a.content FROM attachments a LEFT JOIN users u ON u.id = a.created_by WHERE a.id = $1"
        )))
        .bind(&rid)
        .fetch_one(&mut *tx.tx)
        .await?;
        let meta = meta_from_row(&tx.keys, &row)?;
        let content = tx.keys.open(
            Field::AttachmentContent,
            &rid,
            &row.try_get::<Vec<u8>, _>("content")?,
        )?;
        // What is served must still be what was accepted.
        if sniff(&content).map(|k| k.content_type()) != Some(meta.content_type.as_str()) {
            return Err(StoreError::Corrupt("attachment content type"));
        }
        tx.audit(actor.event("attachment.read", "attachment", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(AttachmentFile { meta, content })
    }
}
