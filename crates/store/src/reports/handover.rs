//! Handing a report in triage over to the competent organisation (issue 14).
//!
//! What moves: the report row itself (`org_id`), with its messages, categories, red-flag
//! screening and any open emergency alert. The receiver gets it as `new` with a fresh
//! acknowledgement deadline: the same window the report had (due − received), counted from the
//! hand-over. The reporter's receipt keeps working: messages follow the report.
//!
//! What the sender keeps: a stub per hand-over (the report's id, when it was received, to which
//! organisation and when it was handed over) — never the narrative, the contact, the messages
//! or the reason it wrote. Every read of the report by the sender answers `NotFound` at once.
//!
//! What the receiver sees: the report, and each hand-over of it (from which organisation, to
//! which, when, and the reason).
//!
//! The rule of who may receive is [`passage_core::handover`]; the store gathers the facts.

use super::parse;
use crate::audit::Event;
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::handover::{may_hand_over, may_leave};
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::validate::Text;
use passage_core::{OrgKind, ReportStatus};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// The report after a hand-over, as the sender may know it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HandedOver {
    pub report_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    /// Milliseconds since the epoch.
    pub at: i64,
}

/// What the sending organisation keeps of a report it handed over.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HandoverStub {
    pub report_id: Uuid,
    pub received_at: i64,
    pub to_organisation: String,
    pub at: i64,
}

/// A hand-over as the report's current holder reads it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HandoverRecord {
    pub from_organisation: String,
    pub to_organisation: String,
    pub at: i64,
    pub reason: String,
}

/// An organisation a report may be handed over to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HandoverTarget {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
}

fn refuse(r: passage_core::handover::Refusal) -> StoreError {
    StoreError::invalid(r.field(), r.code(), r.to_string())
}

impl Store {
    /// The organisations the actor may hand report `id` over to, by name: `NotFound` unless the
    /// actor handles the report. The directory of organisations is not personal data; the list
    /// is the rule applied to it.
    pub async fn handover_targets(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<HandoverTarget>, StoreError> {
        let mut tx = self.begin().await?;
        let found = self
            .report_for(&mut tx, actor, id, Action::HandleReport)
            .await;
        tx.commit().await?;
        found?;
        Ok(self
            .organisations()
            .await?
            .into_iter()
            .filter(|o| may_hand_over(actor.org_id(), o.id, o.kind).is_ok())
            .map(|o| HandoverTarget {
                id: o.id,
                name: o.name,
                kind: o.kind,
            })
            .collect())
    }

    /// Hands a report of the actor's organisation over to `target` with a reason. Only staff
    /// who handle the organisation's reports; the report must be in triage (not closed, no case)
    /// and the target one the rule allows. Refusals write nothing; an actor who may not handle
    /// the report gets `NotFound` whatever the target (no oracle of the report's existence).
    pub async fn hand_over_report(
        &self,
        actor: &Actor,
        id: Uuid,
        target: Uuid,
        reason: Text,
    ) -> Result<HandedOver, StoreError> {
        let reason = reason.into_string();
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
        let found: Option<(String, String)> =
            sqlx::query_as("SELECT name, kind FROM organisations WHERE id = $1")
                .bind(target.to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        let Some((target_name, kind)) = found else {
            return Err(StoreError::invalid(
                "organisation_id",
                passage_core::ErrorCode::UnknownOrganisation,
                "no such organisation",
            ));
        };
        let kind = parse(OrgKind::parse(&kind), "organisation kind")?;
        may_hand_over(actor.org_id(), target, kind).map_err(refuse)?;
        let status = parse(
            ReportStatus::parse(&row.try_get::<String, _>("status")?),
            "report status",
        )?;
        let has_case = row.try_get::<Option<String>, _>("case_id")?.is_some();
        may_leave(status, has_case).map_err(refuse)?;

        let version: i64 = sqlx::query_as::<_, (i64,)>("SELECT version FROM reports WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *tx.tx)
            .await?
            .0;
        let received_at: i64 = row.try_get("received_at")?;
        let due_at: i64 = row.try_get("due_at")?;
        let window = (due_at - received_at).max(0);
        let from = actor.org_id().to_string();
        let moved = sqlx::query(
            "UPDATE reports SET org_id = $1, status = 'new', acknowledged_at = NULL, due_at = $2, \
             updated_at = $3, version = version + 1 \
             WHERE id = $4 AND org_id = $5 AND version = $6 AND case_id IS NULL",
        )
        .bind(target.to_string())
        .bind(tx.now + window)
        .bind(tx.now)
        .bind(id.to_string())
        .bind(&from)
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if moved.rows_affected() != 1 {
            // Someone else moved or changed it first: nothing is written.
            return Err(StoreError::NotFound);
        }
        let hid = Uuid::now_v7().to_string();
        let sealed = tx
            .keys
            .seal_str(Field::ReportHandoverReason, &hid, &reason)?;
        sqlx::query(
            "INSERT INTO report_handovers (id, report_id, from_org, to_org, by_user, reason, received_at, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&hid)
        .bind(id.to_string())
        .bind(&from)
        .bind(target.to_string())
        .bind(actor.user_id().to_string())
        .bind(sealed)
        .bind(received_at)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        // An emergency nobody acknowledged yet alerts the receiver's supervisors instead.
        sqlx::query(
            "UPDATE alerts SET org_id = $1 WHERE report_id = $2 AND acknowledged_at IS NULL",
        )
        .bind(target.to_string())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
        // The desk's red-flag screen goes with the report it belongs to.
        sqlx::query("UPDATE screenings SET org_id = $1 WHERE report_id = $2 AND case_id IS NULL")
            .bind(target.to_string())
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("report.hand_over", "report", Some(id.to_string()), "ok"))
            .await?;
        tx.audit(Event {
            actor_user: Some(actor.user_id().to_string()),
            actor_org: Some(target.to_string()),
            action: "report.handed_over_in",
            object_type: "report",
            object_id: Some(id.to_string()),
            outcome: "ok",
            purpose: Some("handover"),
        })
        .await?;
        let at = tx.now;
        tx.commit().await?;
        Ok(HandedOver {
            report_id: id,
            organisation_id: target,
            organisation_name: target_name,
            at,
        })
    }

    /// The stubs the actor's organisation keeps of reports it handed over, newest first.
    pub async fn handed_over_reports(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<HandoverStub>, StoreError> {
        if let Decision::Deny(r) = decide(
            actor.principal(),
            Action::ReadReport,
            Relation::Organisation,
        ) {
            return Err(StoreError::Forbidden(r));
        }
        let rows: Vec<(String, i64, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT h.report_id, h.received_at, o.name, h.at FROM report_handovers h \
             JOIN organisations o ON o.id = h.to_org WHERE h.from_org = $1 \
             ORDER BY h.at DESC, h.id DESC LIMIT {}",
            limit.clamp(1, 500)
        )))
        .bind(actor.org_id().to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(r, received_at, to, at)| {
                Ok(HandoverStub {
                    report_id: parse_uuid(&r)?,
                    received_at,
                    to_organisation: to,
                    at,
                })
            })
            .collect()
    }

    /// The hand-overs of a report, oldest first, for whoever may read the report now.
    pub async fn report_handovers(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<HandoverRecord>, StoreError> {
        let mut tx = self.begin().await?;
        if let Err(e) = self
            .report_for(&mut tx, actor, id, Action::ReadReport)
            .await
        {
            tx.commit().await?;
            return Err(e);
        }
        let rows: Vec<(String, String, String, i64, Vec<u8>)> = sqlx::query_as(
            "SELECT h.id, f.name, t.name, h.at, h.reason FROM report_handovers h \
             JOIN organisations f ON f.id = h.from_org JOIN organisations t ON t.id = h.to_org \
             WHERE h.report_id = $1 ORDER BY h.at, h.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let out = rows
            .into_iter()
            .map(|(hid, from, to, at, sealed)| {
                Ok(HandoverRecord {
                    from_organisation: from,
                    to_organisation: to,
                    at,
                    reason: tx
                        .keys
                        .open_str(Field::ReportHandoverReason, &hid, &sealed)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        tx.audit(actor.event("report.handovers", "report", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }
}
