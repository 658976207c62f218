//! Reports: intake from every channel, the triage queue and its actions. Staff functions take
//! an [`Actor`] and ask the policy (reports routed to the actor's organisation only); public
//! functions (in [`public`]) take a receipt; gateway functions (in [`channels`]) a sender.

pub mod attachments;
pub mod channels;
pub mod handover;
pub mod origin;
pub mod outbound;
pub mod public;
pub mod receipts;
pub mod retention;
pub mod routing;
pub mod triage;

use crate::auth::parse_uuid;
use crate::cases::{insert_case, insert_person};
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::intake::{Sla, case_types_for};
use passage_core::validate::Text;

/// The longest reason a report is closed with.
pub const CLOSE_REASON_MAX: usize = 500;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::records::{NewCase, NewPerson};
use passage_core::reports::NewReport;
use passage_core::{Category, Channel, ReportStatus, ReporterType, Stage, Urgency};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A message between the reporter and the handling organisation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MessageView {
    pub from: String,
    pub body: String,
    pub at: String,
    /// For a staff reply sent through a gateway: where it stands. None for every other
    /// message (and for a reply whose delivery record was purged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<outbound::DeliveryView>,
}

/// One line of the triage queue: no narrative, no contact.
#[derive(Debug, Clone, Serialize)]
pub struct ReportListItem {
    pub id: Uuid,
    pub urgency: Urgency,
    pub status: ReportStatus,
    pub channel: Channel,
    pub categories: Vec<Category>,
    pub country: Option<String>,
    pub language: String,
    pub received_at: i64,
    pub due_at: i64,
    pub overdue: bool,
}

/// A report as its handlers see it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    #[serde(flatten)]
    pub item: ReportListItem,
    pub reporter_type: ReporterType,
    pub narrative: String,
    pub place: Option<String>,
    pub employer: Option<String>,
    pub contact: Option<String>,
    pub callback_consent: bool,
    pub callback_time: Option<String>,
    pub case_id: Option<Uuid>,
    pub close_reason: Option<String>,
    pub messages: Vec<MessageView>,
    /// The photos and documents sent with the report (their content is downloaded apart).
    pub attachments: Vec<attachments::ReportAttachmentMeta>,
}

pub(crate) const REPORT_COLUMNS: &str = "id, org_id, channel, reporter_type, language, urgency, status, country, \
    received_at, due_at, acknowledged_at, place, employer, narrative, contact, callback_consent, callback_time, case_id, close_reason_sealed";

fn parse<T>(v: Option<T>, what: &'static str) -> Result<T, StoreError> {
    v.ok_or(StoreError::Corrupt(what))
}

pub(crate) fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

impl Store {
    fn list_item(
        &self,
        row: &sqlx::any::AnyRow,
        categories: Vec<Category>,
        now: i64,
    ) -> Result<ReportListItem, StoreError> {
        let status = parse(
            ReportStatus::parse(&row.try_get::<String, _>("status")?),
            "report status",
        )?;
        let due_at: i64 = row.try_get("due_at")?;
        let acknowledged: Option<i64> = row.try_get("acknowledged_at")?;
        Ok(ReportListItem {
            id: parse_uuid(&row.try_get::<String, _>("id")?)?,
            channel: parse(
                Channel::parse(&row.try_get::<String, _>("channel")?),
                "channel",
            )?,
            language: row.try_get("language")?,
            urgency: parse(
                Urgency::parse(&row.try_get::<String, _>("urgency")?),
                "urgency",
            )?,
            status,
            country: row.try_get("country")?,
            received_at: row.try_get("received_at")?,
            due_at,
            overdue: acknowledged.is_none() && status == ReportStatus::New && now > due_at,
            categories,
        })
    }

    /// The report row if the actor may read it; otherwise `NotFound` (audited either way).
    pub(crate) async fn report_for(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: Uuid,
        action: Action,
    ) -> Result<sqlx::any::AnyRow, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let allowed = match &row {
            Some(r) => {
                let org: Option<String> = r.try_get("org_id")?;
                let rel = if org.as_deref() == Some(actor.org_id().to_string().as_str()) {
                    Relation::Organisation
                } else {
                    Relation::Unrelated
                };
                decide(actor.principal(), action, rel).is_allowed()
            }
            None => false,
        };
        match row {
            Some(r) if allowed => Ok(r),
            found => {
                let outcome = if found.is_some() {
                    "denied"
                } else {
                    "not_found"
                };
                tx.audit(actor.event("report.read", "report", Some(id.to_string()), outcome))
                    .await?;
                Err(StoreError::NotFound)
            }
        }
    }

    /// The rows of the actor's organisation's queue, most urgent first, then oldest first, in an
    /// open transaction: what the API's list and the triage page both read. Only those who read
    /// the organisation's reports get any.
    pub(crate) async fn queue_rows(
        &self,
        actor: &Actor,
        status: Option<ReportStatus>,
        limit: i64,
    ) -> Result<(crate::db::Tx, Vec<sqlx::any::AnyRow>), StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadReport,
            Relation::Organisation,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        let mut tx = self.begin().await?;
        let mut sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE org_id = $1");
        if status.is_some() {
            sql.push_str(" AND status = $2");
        }
        sql.push_str(
            " ORDER BY CASE urgency WHEN 'emergency' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, received_at, id",
        );
        sql.push_str(&format!(" LIMIT {}", limit.clamp(1, 500)));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(actor.org_id().to_string());
        if let Some(s) = status {
            q = q.bind(s.as_str());
        }
        let rows = q.fetch_all(&mut *tx.tx).await?;
        Ok((tx, rows))
    }

    /// The triage queue of the actor's organisation: most urgent first, then oldest first.
    pub async fn list_reports(
        &self,
        actor: &Actor,
        status: Option<ReportStatus>,
        limit: i64,
    ) -> Result<Vec<ReportListItem>, StoreError> {
        let (mut tx, rows) = self.queue_rows(actor, status, limit).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let cats = categories(&mut tx, &id).await?;
            out.push(self.list_item(row, cats, tx.now)?);
            tx.audit(actor.event("report.list", "report", Some(id), "ok"))
                .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// One report with its messages.
    pub async fn get_report(&self, actor: &Actor, id: Uuid) -> Result<ReportView, StoreError> {
        let mut tx = self.begin().await?;
        let found = self
            .report_for(&mut tx, actor, id, Action::ReadReport)
            .await;
        let row = match found {
            Ok(row) => row,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        let view = self.report_view(&mut tx, &row).await?;
        tx.audit(actor.event("report.read", "report", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    pub(crate) async fn report_view(
        &self,
        tx: &mut Tx,
        row: &sqlx::any::AnyRow,
    ) -> Result<ReportView, StoreError> {
        let id: String = row.try_get("id")?;
        let k = tx.keys.clone();
        let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
            row.try_get::<Option<Vec<u8>>, _>(col)?
                .map(|b| k.open_str(field, &id, &b))
                .transpose()
        };
        let cats = categories(tx, &id).await?;
        Ok(ReportView {
            item: self.list_item(row, cats, tx.now)?,
            reporter_type: parse(
                ReporterType::parse(&row.try_get::<String, _>("reporter_type")?),
                "reporter type",
            )?,
            place: open(Field::ReportPlace, "place")?,
            employer: open(Field::ReportEmployer, "employer")?,
            narrative: open(Field::ReportNarrative, "narrative")?.unwrap_or_default(),
            contact: open(Field::ReportContact, "contact")?,
            callback_consent: row.try_get::<i64, _>("callback_consent")? != 0,
            callback_time: open(Field::ReportCallbackTime, "callback_time")?,
            case_id: row
                .try_get::<Option<String>, _>("case_id")?
                .map(|c| parse_uuid(&c))
                .transpose()?,
            close_reason: open(Field::ReportCloseReason, "close_reason_sealed")?,
            messages: messages(tx, &id).await?,
            attachments: attachments::list(tx, &id).await?,
        })
    }

    /// A call taken at the hotline desk: the report belongs to the operator's organisation. An
    /// emergency raises an alert for the organisation's supervisors and a webhook.
    pub async fn create_hotline_report(
        &self,
        actor: &Actor,
        report: NewReport,
        sla: &Sla,
    ) -> Result<Uuid, StoreError> {
        self.create_screened_hotline_report(actor, report, sla, None)
            .await
    }

    /// [`Store::create_hotline_report`] with the desk's red-flag screen, stored with the report
    /// in the same transaction and joining the case opened from it.
    pub async fn create_screened_hotline_report(
        &self,
        actor: &Actor,
        report: NewReport,
        sla: &Sla,
        red_flags: Option<crate::casework::screening::NewScreening>,
    ) -> Result<Uuid, StoreError> {
        if let Decision::Deny(r) = decide(actor.principal(), Action::HandleReport, Relation::Own) {
            return Err(StoreError::Forbidden(r));
        }
        let screen = match red_flags {
            Some(new) => Some(self.hotline_screen(new)?),
            None => None,
        };
        let mut tx = self.begin().await?;
        let id = insert_report(
            &mut tx,
            &report,
            Channel::Hotline,
            Some(actor.org_id()),
            None,
            Some(actor.user_id()),
            sla,
        )
        .await?;
        if let Some((instrument, language, answers, result)) = screen {
            crate::casework::screening::insert(
                &mut tx,
                actor,
                Uuid::now_v7(),
                None,
                Some(id),
                &instrument,
                &language,
                &answers,
                Some(&result),
            )
            .await?;
        }
        tx.audit(actor.event("report.create", "report", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn handle<T>(
        &self,
        actor: &Actor,
        id: Uuid,
        action_name: &'static str,
        f: impl AsyncFnOnce(&mut Tx, &sqlx::any::AnyRow) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = self.begin().await?;
        let row = match self
            .report_for(&mut tx, actor, id, Action::HandleReport)
            .await
        {
            Ok(row) => row,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        let out = f(&mut tx, &row).await?;
        sqlx::query("UPDATE reports SET acknowledged_at = COALESCE(acknowledged_at, $1), updated_at = $1, version = version + 1 WHERE id = $2")
            .bind(tx.now)
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event(action_name, "report", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Marks a new report as seen (stops its SLA clock).
    pub async fn acknowledge_report(&self, actor: &Actor, id: Uuid) -> Result<(), StoreError> {
        self.handle(actor, id, "report.acknowledge", async |tx, _row| {
            set_status_if_new(tx, id, ReportStatus::Acknowledged).await
        })
        .await
    }

    /// A message from staff to the reporter: shown at follow-up, queued for the gateway when
    /// the report came by SMS or chat.
    pub async fn staff_message(
        &self,
        actor: &Actor,
        id: Uuid,
        body: Text,
    ) -> Result<(), StoreError> {
        let body = body.into_string();
        let user = actor.user_id();
        self.handle(actor, id, "report.message", async move |tx, row| {
            let message = insert_message(tx, id, "staff", Some(user), &body).await?;
            channels::queue_reply(tx, id, row, &body, &message).await?;
            set_status_if_new(tx, id, ReportStatus::Acknowledged).await
        })
        .await
    }

    /// Opens a case from a report, in one transaction: a person (named "Unknown" until the
    /// caseworker learns more), a case whose types follow the report's categories (never
    /// trafficking: see [`case_types_for`]) and whose summary is the narrative, which keeps the
    /// report's country, place, employer and categories, and the link back.
    pub async fn open_case_from_report(&self, actor: &Actor, id: Uuid) -> Result<Uuid, StoreError> {
        let actor2 = actor.clone();
        self.handle(actor, id, "report.open_case", async move |tx, row| {
            if row.try_get::<Option<String>, _>("case_id")?.is_some() {
                return Err(StoreError::invalid(
                    "report",
                    passage_core::ErrorCode::AlreadyLinked,
                    "this report already has a case",
                ));
            }
            let rid: String = row.try_get("id")?;
            let narrative = row
                .try_get::<Option<Vec<u8>>, _>("narrative")?
                .map(|b| tx.keys.open_str(Field::ReportNarrative, &rid, &b))
                .transpose()?
                .unwrap_or_default();
            let cats = categories(tx, &rid).await?;
            let person = NewPerson {
                given_name: "Unknown".into(),
                family_name: String::new(),
                date_of_birth: None,
                sex: None,
                citizenships: Vec::new(),
                migration_status: None,
            };
            let person_id = insert_person(tx, &actor2, person).await?;
            let case = NewCase {
                person_id,
                types: case_types_for(&cats),
                stage: Stage::Destination,
                summary: narrative,
            };
            let case_id = insert_case(tx, &actor2, case).await?;
            origin::keep(tx, row, &rid, case_id, &cats).await?;
            crate::labour::links::carry_links(tx, &actor2, &rid, case_id).await?;
            link(tx, id, case_id, ReportStatus::CaseOpened).await?;
            Ok(case_id)
        })
        .await
    }

    /// Links a report to a case the actor may read.
    pub async fn link_report(
        &self,
        actor: &Actor,
        id: Uuid,
        case_id: Uuid,
    ) -> Result<(), StoreError> {
        // Reading the case checks (and audits) that the actor may see it.
        self.get_case(actor, case_id).await.map_err(|_| {
            StoreError::invalid(
                "case_id",
                passage_core::ErrorCode::UnknownCase,
                "no case with this id is visible to you",
            )
        })?;
        self.handle(actor, id, "report.link", async move |tx, _row| {
            link(tx, id, case_id, ReportStatus::Linked).await
        })
        .await
    }

    /// Closes a report with a reason (checked at the edge with [`CLOSE_REASON_MAX`]).
    pub async fn close_report(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: Text,
    ) -> Result<(), StoreError> {
        let reason = reason.into_string();
        self.handle(actor, id, "report.close", async move |tx, _row| {
            let sealed = tx
                .keys
                .seal_str(Field::ReportCloseReason, &id.to_string(), &reason)?;
            sqlx::query("UPDATE reports SET status = $1, close_reason_sealed = $2 WHERE id = $3")
                .bind(ReportStatus::Closed.as_str())
                .bind(sealed)
                .bind(id.to_string())
                .execute(&mut *tx.tx)
                .await?;
            Ok(())
        })
        .await
    }

    /// Open emergency alerts of the actor's organisation, for its supervisors and intake staff.
    pub async fn open_alerts(&self, actor: &Actor) -> Result<Vec<(Uuid, Uuid, i64)>, StoreError> {
        if !decide(
            actor.principal(),
            Action::ReadReport,
            Relation::Organisation,
        )
        .is_allowed()
        {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT id, report_id, created_at FROM alerts WHERE org_id = $1 AND acknowledged_at IS NULL ORDER BY created_at",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(a, r, t)| Ok((parse_uuid(&a)?, parse_uuid(&r)?, t)))
            .collect()
    }
}

async fn set_status_if_new(tx: &mut Tx, id: Uuid, status: ReportStatus) -> Result<(), StoreError> {
    sqlx::query("UPDATE reports SET status = $1 WHERE id = $2 AND status = 'new'")
        .bind(status.as_str())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    sqlx::query(
        "UPDATE alerts SET acknowledged_at = $1 WHERE report_id = $2 AND acknowledged_at IS NULL",
    )
    .bind(tx.now)
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

async fn link(
    tx: &mut Tx,
    id: Uuid,
    case_id: Uuid,
    status: ReportStatus,
) -> Result<(), StoreError> {
    crate::casework::screening::adopt(tx, id, case_id).await?;
    sqlx::query("UPDATE reports SET status = $1, case_id = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(case_id.to_string())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    sqlx::query(
        "UPDATE alerts SET acknowledged_at = $1 WHERE report_id = $2 AND acknowledged_at IS NULL",
    )
    .bind(tx.now)
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

pub(crate) async fn categories(tx: &mut Tx, id: &str) -> Result<Vec<Category>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT category FROM report_categories WHERE report_id = $1 ORDER BY category",
    )
    .bind(id)
    .fetch_all(&mut *tx.tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(c,)| Category::parse(&c))
        .collect())
}

pub(crate) async fn messages(tx: &mut Tx, id: &str) -> Result<Vec<MessageView>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.id, m.author, m.body, m.at, o.status AS delivery_status, o.reason AS delivery_reason, \
         o.attempts AS delivery_attempts FROM report_messages m \
         LEFT JOIN outbound_messages o ON o.message_id = m.id \
         WHERE m.report_id = $1 ORDER BY m.at, m.id",
    )
    .bind(id)
    .fetch_all(&mut *tx.tx)
    .await?;
    rows.iter()
        .map(|r| {
            let mid: String = r.try_get("id")?;
            let body: Vec<u8> = r.try_get("body")?;
            Ok(MessageView {
                from: r.try_get("author")?,
                body: tx.keys.open_str(Field::ReportMessageBody, &mid, &body)?,
                at: rfc3339(r.try_get("at")?),
                delivery: outbound::DeliveryView::from_row(r)?,
            })
        })
        .collect()
}

pub(crate) async fn insert_message(
    tx: &mut Tx,
    report: Uuid,
    author: &str,
    user: Option<Uuid>,
    body: &str,
) -> Result<String, StoreError> {
    let id = Uuid::now_v7().to_string();
    let sealed = tx.keys.seal_str(Field::ReportMessageBody, &id, body)?;
    sqlx::query("INSERT INTO report_messages (id, report_id, author, author_user, body, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(report.to_string())
        .bind(author)
        .bind(user.map(|u| u.to_string()))
        .bind(sealed)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
    Ok(id)
}

/// Inserts a report (sealed fields, categories) and, for an emergency, an alert and a webhook
/// notice that carry no personal data.
pub(crate) async fn insert_report(
    tx: &mut Tx,
    r: &NewReport,
    channel: Channel,
    org: Option<Uuid>,
    receipt_hash: Option<&str>,
    created_by: Option<Uuid>,
    sla: &Sla,
) -> Result<Uuid, StoreError> {
    insert_report_with_sender(tx, r, channel, org, receipt_hash, None, created_by, sla).await
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_report_with_sender(
    tx: &mut Tx,
    r: &NewReport,
    channel: Channel,
    org: Option<Uuid>,
    receipt_hash: Option<&str>,
    sender: Option<(&str, &str)>,
    created_by: Option<Uuid>,
    sla: &Sla,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let rid = id.to_string();
    let k = tx.keys.clone();
    let seal = |field: Field, v: Option<&String>| v.map(|v| k.seal_str(field, &rid, v)).transpose();
    let sealed_sender = sender
        .map(|(_, s)| k.seal_str(Field::ReportSender, &rid, s))
        .transpose()?;
    sqlx::query(
        "INSERT INTO reports (id, org_id, channel, reporter_type, language, urgency, status, country, place, employer, narrative, \
         contact, callback_consent, callback_time, receipt_hash, sender_tag, sender, created_by, received_at, due_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'new', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $18)",
    )
    .bind(&rid)
    .bind(org.map(|o| o.to_string()))
    .bind(channel.as_str())
    .bind(r.reporter_type.as_str())
    .bind(&r.language)
    .bind(r.urgency.as_str())
    .bind(r.country.map(|c| c.as_str().to_string()))
    .bind(seal(Field::ReportPlace, r.place.as_ref())?)
    .bind(seal(Field::ReportEmployer, r.employer.as_ref())?)
    .bind(k.seal_str(Field::ReportNarrative, &rid, &r.narrative)?)
    .bind(seal(Field::ReportContact, r.contact.as_ref())?)
    .bind(i64::from(r.callback_consent))
    .bind(seal(Field::ReportCallbackTime, r.callback_time.as_ref())?)
    .bind(receipt_hash)
    .bind(sender.map(|(tag, _)| tag.to_string()))
    .bind(sealed_sender)
    .bind(created_by.map(|u| u.to_string()))
    .bind(tx.now)
    .bind(sla.due(r.urgency, tx.now))
    .execute(&mut *tx.tx)
    .await?;
    for c in &r.categories {
        sqlx::query("INSERT INTO report_categories (report_id, category) VALUES ($1, $2)")
            .bind(&rid)
            .bind(c.as_str())
            .execute(&mut *tx.tx)
            .await?;
    }
    if r.urgency == Urgency::Emergency
        && let Some(org) = org
    {
        sqlx::query("INSERT INTO alerts (id, org_id, report_id, kind, created_at) VALUES ($1, $2, $3, 'emergency', $4)")
            .bind(Uuid::now_v7().to_string())
            .bind(org.to_string())
            .bind(&rid)
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
        let payload = serde_json::json!({"event": "emergency_report", "report_id": rid, "organisation_id": org, "at": rfc3339(tx.now)});
        sqlx::query("INSERT INTO webhook_outbox (id, kind, payload, status, created_at, next_at) VALUES ($1, 'emergency', $2, 'pending', $3, $3)")
            .bind(Uuid::now_v7().to_string())
            .bind(payload.to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(id)
}
