//! Monitoring visits: a monitor's visit to a detention centre or a forced-return operation,
//! with its findings sealed, read by its organisation only; incidents seen there are recorded
//! as incidents that name the visit.

use super::not_found;
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Authority, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::monitoring::IncidentAction;
use passage_core::monitoring::visits::{RawVisit, VisitKind};
use sqlx::Row;
use uuid::Uuid;

/// A visit as its organisation's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitSummary {
    pub id: Uuid,
    pub kind: VisitKind,
    pub place_name: String,
    pub visited_on: String,
}

/// One visit with its findings and the incidents recorded from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitView {
    pub summary: VisitSummary,
    pub findings: String,
    /// (id, day it happened) of each incident recorded from the visit.
    pub incidents: Vec<(Uuid, String)>,
}

fn visit_summary(r: &sqlx::any::AnyRow) -> Result<VisitSummary, StoreError> {
    Ok(VisitSummary {
        id: parse_uuid(&r.try_get::<String, _>("id")?)?,
        kind: VisitKind::parse(&r.try_get::<String, _>("kind")?)
            .ok_or(StoreError::Corrupt("visit kind"))?,
        place_name: r.try_get("place_name")?,
        visited_on: r.try_get("visited_on")?,
    })
}

impl Store {
    /// Records a monitoring visit for the actor's organisation (or, for the operator,
    /// `org_id`'s): every problem named, nothing written when one is wrong; findings sealed.
    pub async fn record_visit(
        &self,
        by: &Authority,
        org_id: Uuid,
        raw: &RawVisit,
    ) -> Result<Uuid, StoreError> {
        let mut tx = match by {
            Authority::User(actor) => {
                self.incident_gate(actor, IncidentAction::Record, "visit.record", None)
                    .await?
            }
            Authority::Operator(_) => self.begin().await?,
        };
        let (org, user) = match by {
            Authority::User(a) => (a.org_id(), Some(a.user_id().to_string())),
            Authority::Operator(_) => (org_id, None),
        };
        let v = raw
            .validate(Day::from_unix_ms(tx.now))
            .map_err(StoreError::Invalid)?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let findings = tx
            .keys
            .seal_str(Field::MonitoringVisitFindings, &key, &v.findings)?;
        sqlx::query(
            "INSERT INTO monitoring_visits (id, org_id, kind, place_name, visited_on, findings, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&key)
        .bind(org.to_string())
        .bind(v.kind.as_str())
        .bind(&v.place_name)
        .bind(v.visited_on.to_string())
        .bind(findings)
        .bind(user)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(by.event("visit.record", "visit", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The actor's organisation's visits, latest first.
    pub async fn monitoring_visits(&self, actor: &Actor) -> Result<Vec<VisitSummary>, StoreError> {
        let mut tx = self
            .incident_gate(actor, IncidentAction::Read, "visit.list", None)
            .await?;
        let rows = sqlx::query(
            "SELECT id, kind, place_name, visited_on FROM monitoring_visits WHERE org_id = $1 \
             ORDER BY visited_on DESC, id DESC LIMIT 500",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let out = rows
            .iter()
            .map(visit_summary)
            .collect::<Result<Vec<_>, _>>()?;
        tx.audit(actor.event("visit.list", "visit", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One visit of the actor's organisation; `NotFound` for any other (audited).
    pub async fn monitoring_visit(&self, actor: &Actor, id: Uuid) -> Result<VisitView, StoreError> {
        let what = "visit.read";
        let mut tx = self
            .incident_gate(actor, IncidentAction::Read, what, Some(id.to_string()))
            .await?;
        let row = sqlx::query(
            "SELECT id, org_id, kind, place_name, visited_on, findings FROM monitoring_visits WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let row = match row {
            Some(r) if r.try_get::<String, _>("org_id")? == actor.org_id().to_string() => r,
            Some(_) => return Err(not_found(tx, actor, what, "visit", id, "denied").await),
            None => return Err(not_found(tx, actor, what, "visit", id, "not_found").await),
        };
        let key = id.to_string();
        let findings = tx.keys.open_str(
            Field::MonitoringVisitFindings,
            &key,
            &row.try_get::<Vec<u8>, _>("findings")?,
        )?;
        let incidents: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, occurred_on FROM incidents WHERE visit_id = $1 AND org_id = $2 ORDER BY occurred_on, id",
        )
        .bind(&key)
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let view = VisitView {
            summary: visit_summary(&row)?,
            findings,
            incidents: incidents
                .into_iter()
                .map(|(i, d)| Ok((parse_uuid(&i)?, d)))
                .collect::<Result<Vec<_>, StoreError>>()?,
        };
        tx.audit(actor.event(what, "visit", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(view)
    }
}
