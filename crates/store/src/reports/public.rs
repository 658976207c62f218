//! The public door: anonymous submissions, follow-up by receipt, reporter messages.
//!
//! Submissions are acknowledged only after commit, and they commit in groups: one writer task
//! takes every submission waiting in its queue, inserts them in one transaction (one fsync for
//! all) and answers each caller when that transaction is durable. A failed batch answers every
//! caller with an error, so nothing is acknowledged that is not stored.

use super::receipts::{new_receipt, pending_hash};
use super::{MessageView, insert_message, insert_report, messages};
use crate::keys::Field;
use crate::{Store, StoreError};
use passage_core::casework::files::{prepare, safe_filename};
use passage_core::intake::{DEFAULT_RETENTION_DAYS, Sla, expires_on, route};
use passage_core::reports::NewReport;
use passage_core::validate::Text;
use passage_core::{Channel, ReportStatus};
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Intake settings (configuration).
#[derive(Debug, Clone, Copy)]
pub struct IntakeOptions {
    /// Largest group of submissions committed together.
    pub max_batch: usize,
    pub sla: Sla,
    /// Days a public report and its receipt are kept before the purge erases them (a report
    /// still unread is kept until it is handled).
    pub retention_days: u32,
}

impl Default for IntakeOptions {
    fn default() -> Self {
        IntakeOptions {
            max_batch: 512,
            sla: Sla::default(),
            retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// A photo or document sent with a public report, as uploaded.
#[derive(Debug, Clone, Default)]
pub struct PublicFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the reporter is given: the receipt, and the day the report and its receipt will be
/// erased (`YYYY-MM-DD`), or later if nobody has handled the report by then.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Submitted {
    pub receipt: String,
    pub expires_on: String,
}

/// A file checked and stripped of its metadata, ready to seal.
struct CleanFile {
    name: String,
    content_type: &'static str,
    bytes: Vec<u8>,
}

struct Job {
    report: NewReport,
    channel: Channel,
    receipt_hash: String,
    file: Option<CleanFile>,
    /// The report's id and the time it was received.
    reply: oneshot::Sender<Result<(Uuid, i64), StoreError>>,
}

/// The running intake machinery of one store.
pub(crate) struct Intake {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Intake(..)")
    }
}

/// What a reporter sees at follow-up.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    pub status: &'static str,
    pub messages: Vec<MessageView>,
    /// The day the report and its receipt will be erased (`YYYY-MM-DD`), or later if it is
    /// still waiting to be read then.
    pub expires_on: String,
}

/// The words a reporter sees for each status.
pub fn public_status(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::New => "received",
        ReportStatus::Acknowledged | ReportStatus::CaseOpened | ReportStatus::Linked => {
            "in_progress"
        }
        ReportStatus::Closed => "closed",
    }
}

impl Store {
    fn intake(&self) -> &Intake {
        self.intake.get_or_init(|| {
            let (tx, rx) = mpsc::channel(self.intake_options.max_batch * 4);
            // The writer's own handle has no intake of its own, so the two do not keep each
            // other alive.
            let mut writer = self.clone();
            writer.intake = Arc::new(std::sync::OnceLock::new());
            tokio::spawn(write_batches(writer, rx));
            self.start_hardener();
            Intake { jobs: tx }
        })
    }

    /// Starts the writer and the receipt hardener now rather than at the first submission.
    pub fn start_intake(&self) {
        self.intake();
    }

    /// Groups of public submissions committed since the store opened, one transaction each:
    /// under load, far fewer than the submissions.
    pub fn intake_batches_committed(&self) -> u64 {
        self.intake_batches
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Submits a public report; returns the receipt once the report is committed.
    pub async fn submit_public_report(
        &self,
        report: NewReport,
        channel: Channel,
    ) -> Result<String, StoreError> {
        Ok(self
            .submit_public_report_with(report, channel, None, 0)
            .await?
            .receipt)
    }

    /// Submits a public report with an optional photo or document, and answers once both are
    /// committed: the receipt and the day they will be erased. The file is checked by its
    /// bytes and stripped of its metadata (`passage_core::casework::files::prepare`) before
    /// anything is queued; a refused file (`unsupported_file_type`, `file_too_large`,
    /// `empty_file`, `malformed_file`, `metadata_not_removable`) stores nothing.
    pub async fn submit_public_report_with(
        &self,
        report: NewReport,
        channel: Channel,
        file: Option<PublicFile>,
        max_bytes: usize,
    ) -> Result<Submitted, StoreError> {
        let file = match file {
            Some(f) => {
                let (kind, bytes) = prepare(&f.bytes, max_bytes).map_err(|e| StoreError::Rule {
                    code: e.code(),
                    message: e.message(),
                })?;
                Some(CleanFile {
                    name: safe_filename(&f.name, kind),
                    content_type: kind.content_type(),
                    bytes,
                })
            }
            None => None,
        };
        let intake = self.intake();
        let receipt = new_receipt()?;
        let hash = pending_hash(&self.keys, &receipt);
        let (reply, answer) = oneshot::channel();
        intake
            .jobs
            .send(Job {
                report,
                channel,
                receipt_hash: hash,
                file,
                reply,
            })
            .await
            .map_err(|_| StoreError::Unavailable)?;
        let (_, received_at) = answer.await.map_err(|_| StoreError::Unavailable)??;
        self.hardening.submitted();
        Ok(Submitted {
            receipt,
            expires_on: expires_on(received_at, self.intake_options.retention_days).to_string(),
        })
    }

    /// The status and messages of the report behind a receipt.
    pub async fn follow_up(&self, receipt: &str) -> Result<FollowUp, StoreError> {
        let (id, status, received_at) = self
            .report_by_receipt(receipt)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status = ReportStatus::parse(&status).ok_or(StoreError::Corrupt("report status"))?;
        let mut tx = self.begin().await?;
        let messages = messages(&mut tx, &id).await?;
        tx.audit(public_event("report.follow_up", &id)).await?;
        tx.commit().await?;
        Ok(FollowUp {
            status: public_status(status),
            messages,
            expires_on: expires_on(received_at, self.intake_options.retention_days).to_string(),
        })
    }

    /// A message (more information, an answer) from the reporter.
    pub async fn reporter_message(&self, receipt: &str, body: Text) -> Result<(), StoreError> {
        let body = body.into_string();
        let (id, _, _) = self
            .report_by_receipt(receipt)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        let report = crate::auth::parse_uuid(&id)?;
        insert_message(&mut tx, report, "reporter", None, &body).await?;
        sqlx::query("UPDATE reports SET updated_at = $1 WHERE id = $2")
            .bind(tx.now)
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(public_event("report.reporter_message", &id))
            .await?;
        tx.commit().await
    }
}

pub(crate) fn public_event<'a>(action: &'a str, id: &str) -> crate::audit::Event<'a> {
    crate::audit::Event {
        actor_user: None,
        actor_org: None,
        action,
        object_type: "report",
        object_id: Some(id.to_string()),
        outcome: "ok",
        purpose: Some("public"),
    }
}

/// The group-commit loop.
async fn write_batches(store: Store, mut rx: mpsc::Receiver<Job>) {
    let max = store.intake_options.max_batch.max(1);
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < max {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match commit_batch(&store, &batch).await {
            Ok((ids, at)) => {
                store
                    .intake_batches
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                for (job, id) in batch.into_iter().zip(ids) {
                    let _ = job.reply.send(Ok((id, at)));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, submissions = batch.len(), "a batch of public submissions failed; none was acknowledged");
                for job in batch {
                    let _ = job.reply.send(Err(e.for_each_waiter()));
                }
            }
        }
    }
}

async fn commit_batch(store: &Store, batch: &[Job]) -> Result<(Vec<Uuid>, i64), StoreError> {
    let (rules, fallback) = store.routing_rules().await?;
    let sla = store.intake_options.sla;
    let mut tx = store.begin().await?;
    let mut ids = Vec::with_capacity(batch.len());
    // Emergencies raise alerts row by row; everything else is written with one statement per
    // table for the whole group.
    let mut plain = Vec::with_capacity(batch.len());
    for job in batch {
        let org = route(&rules, &job.report.categories, job.report.country, fallback);
        if job.report.urgency == passage_core::Urgency::Emergency {
            ids.push(
                insert_report(
                    &mut tx,
                    &job.report,
                    job.channel,
                    org,
                    Some(&job.receipt_hash),
                    None,
                    &sla,
                )
                .await?,
            );
        } else {
            let id = Uuid::now_v7();
            plain.push((id, org, job));
            ids.push(id);
        }
    }
    insert_plain_reports(&mut tx, &plain, &sla).await?;
    let id_texts: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let mut events: Vec<_> = id_texts
        .iter()
        .map(|id| public_event("report.submit", id))
        .collect();
    let mut file_ids = Vec::new();
    for (job, report) in batch.iter().zip(&ids) {
        if let Some(file) = &job.file {
            file_ids.push(insert_file(&mut tx, *report, file).await?);
        }
    }
    events.extend(file_ids.into_iter().map(|id| crate::audit::Event {
        object_type: "report_attachment",
        object_id: Some(id),
        ..public_event("report_attachment.add", "")
    }));
    tx.audit_many(&events).await?;
    let at = tx.now;
    tx.commit().await?;
    Ok((ids, at))
}

/// Seals and stores a report's file; answers the attachment's id.
async fn insert_file(
    tx: &mut crate::db::Tx,
    report: Uuid,
    file: &CleanFile,
) -> Result<String, StoreError> {
    let id = Uuid::now_v7().to_string();
    let name = tx
        .keys
        .seal_str(Field::ReportAttachmentFilename, &id, &file.name)?;
    let content = tx
        .keys
        .seal(Field::ReportAttachmentContent, &id, &file.bytes)?;
    sqlx::query(
        "INSERT INTO report_attachments (id, report_id, filename, content_type, size, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(report.to_string())
    .bind(name)
    .bind(file.content_type)
    .bind(file.bytes.len() as i64)
    .bind(content)
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(id)
}

type Plain<'a> = (Uuid, Option<Uuid>, &'a Job);

async fn insert_plain_reports(
    tx: &mut crate::db::Tx,
    rows: &[Plain<'_>],
    sla: &Sla,
) -> Result<(), StoreError> {
    const COLS: usize = 14;
    for chunk in rows.chunks(1000) {
        let mut sql = String::from(
            "INSERT INTO reports (id, org_id, channel, reporter_type, language, urgency, country, place, employer, narrative, \
             contact, receipt_hash, received_at, due_at, status, callback_consent, updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * COLS;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 1..=COLS {
                sql.push_str(&format!("${}, ", b + c));
            }
            sql.push_str(&format!("'new', 0, ${})", b + 13));
        }
        let k = tx.keys.clone();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, org, job) in chunk {
            let r = &job.report;
            let rid = id.to_string();
            let seal = |field: Field, v: Option<&String>| {
                v.map(|v| k.seal_str(field, &rid, v)).transpose()
            };
            q = q
                .bind(rid.clone())
                .bind(org.map(|o| o.to_string()))
                .bind(job.channel.as_str())
                .bind(r.reporter_type.as_str())
                .bind(r.language.clone())
                .bind(r.urgency.as_str())
                .bind(r.country.map(|c| c.as_str().to_string()))
                .bind(seal(Field::ReportPlace, r.place.as_ref())?)
                .bind(seal(Field::ReportEmployer, r.employer.as_ref())?)
                .bind(k.seal_str(Field::ReportNarrative, &rid, &r.narrative)?)
                .bind(seal(Field::ReportContact, r.contact.as_ref())?)
                .bind(job.receipt_hash.clone())
                .bind(tx.now)
                .bind(sla.due(r.urgency, tx.now));
        }
        q.execute(&mut *tx.tx).await?;
        let cats: Vec<(String, &'static str)> = chunk
            .iter()
            .flat_map(|(id, _, job)| {
                job.report
                    .categories
                    .iter()
                    .map(move |c| (id.to_string(), c.as_str()))
            })
            .collect();
        if cats.is_empty() {
            continue;
        }
        let mut sql = String::from("INSERT INTO report_categories (report_id, category) VALUES ");
        for i in 0..cats.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, c) in cats {
            q = q.bind(id).bind(c);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}
