//! Photos and documents sent with public reports: stripped of their metadata before they were
//! stored (see [`super::public`]), sealed, and read only by the organisation the report is
//! routed to. Every list and download is audited; another organisation is answered as if the
//! report did not exist.

use super::rfc3339;
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::policy::Action;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A file of a report, without its content.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReportAttachmentMeta {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    /// Bytes stored, after the metadata was removed.
    pub size: i64,
    /// RFC 3339
    pub received_at: String,
}

/// A file of a report with its content, for download.
#[derive(Debug, Clone)]
pub struct ReportAttachmentFile {
    pub meta: ReportAttachmentMeta,
    pub content: Vec<u8>,
}

fn meta(tx: &Tx, r: &sqlx::any::AnyRow) -> Result<ReportAttachmentMeta, StoreError> {
    let id: String = r.try_get("id")?;
    Ok(ReportAttachmentMeta {
        id: parse_uuid(&id)?,
        filename: tx.keys.open_str(
            Field::ReportAttachmentFilename,
            &id,
            &r.try_get::<Vec<u8>, _>("filename")?,
        )?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        received_at: rfc3339(r.try_get("created_at")?),
    })
}

/// The files of a report, oldest first (the caller has passed the report's gate).
pub(crate) async fn list(
    tx: &mut Tx,
    report: &str,
) -> Result<Vec<ReportAttachmentMeta>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, filename, content_type, size, created_at FROM report_attachments \
         WHERE report_id = $1 ORDER BY created_at, id",
    )
    .bind(report)
    .fetch_all(&mut *tx.tx)
    .await?;
    rows.iter().map(|r| meta(tx, r)).collect()
}

impl Store {
    /// One file of a report with its content, for the report's organisation. Audited as
    /// `report_attachment.read` whether it was found, refused or missing; a report of another
    /// organisation, or a file of another report, is `NotFound`.
    pub async fn get_report_attachment(
        &self,
        actor: &Actor,
        report_id: Uuid,
        attachment_id: Uuid,
    ) -> Result<ReportAttachmentFile, StoreError> {
        let mut tx = self.begin().await?;
        if let Err(e) = self
            .report_for(&mut tx, actor, report_id, Action::ReadReport)
            .await
        {
            tx.audit(actor.event(
                "report_attachment.read",
                "report_attachment",
                Some(attachment_id.to_string()),
                "denied",
            ))
            .await?;
            tx.commit().await?;
            return Err(e);
        }
        let row = sqlx::query(
            "SELECT id, filename, content_type, size, created_at, content FROM report_attachments \
             WHERE id = $1 AND report_id = $2",
        )
        .bind(attachment_id.to_string())
        .bind(report_id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some(row) = row else {
            tx.audit(actor.event(
                "report_attachment.read",
                "report_attachment",
                Some(attachment_id.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let meta = meta(&tx, &row)?;
        let id = attachment_id.to_string();
        let content = tx.keys.open(
            Field::ReportAttachmentContent,
            &id,
            &row.try_get::<Vec<u8>, _>("content")?,
        )?;
        tx.audit(actor.event(
            "report_attachment.read",
            "report_attachment",
            Some(id),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(ReportAttachmentFile { meta, content })
    }
}
