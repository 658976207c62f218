//! Incidents: recorded by staff of an organisation that records them (or by the operator for
//! the demo world), read, verified and linked by that organisation only. A link to a case or a
//! person of the same organisation passes the case gate (`casework::gate`) and is kept sealed;
//! another organisation's case or person answers `NotFound` exactly like a missing one. An
//! incident recorded from a public report keeps the report's id, after the report gate
//! (`Action::HandleReport`) let the actor handle that report.

use super::not_found;
use crate::auth::parse_uuid;
use crate::casework::{gate, person_gate};
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Authority, Store, StoreError};
use passage_core::Action;
use passage_core::casework::calendar::Day;
use passage_core::monitoring::IncidentAction;
use passage_core::monitoring::incidents::{
    Affected, BiasMotive, IncidentKind, IncidentSource, PerpetratorType, PlaceType, RawIncident,
    Verification, source_of_report,
};
use passage_core::monitoring::views::Filter;
use passage_core::{Country, ReporterType};
use sqlx::Row;
use uuid::Uuid;

/// Where an incident came from besides the person recording it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentOrigin {
    /// The public report it was recorded from (the actor must handle it).
    pub report_id: Option<Uuid>,
    /// The monitoring visit it was seen on (of the same organisation).
    pub visit_id: Option<Uuid>,
}

/// What an incident may be linked to: a case or a person of the same organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    Case(Uuid),
    Person(Uuid),
}

/// An incident as its organisation's list shows it: codes and counts, no narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSummary {
    pub id: Uuid,
    pub occurred_on: String,
    pub country: Country,
    pub region: Option<String>,
    pub place_type: PlaceType,
    pub kinds: Vec<IncidentKind>,
    pub bias_motives: Vec<BiasMotive>,
    pub perpetrator_type: Option<PerpetratorType>,
    pub affected: Affected,
    pub source: IncidentSource,
    pub verification: Verification,
}

/// One incident as its organisation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentView {
    pub summary: IncidentSummary,
    pub narrative: String,
    pub link: Option<LinkTarget>,
    pub report_id: Option<Uuid>,
    pub visit_id: Option<Uuid>,
    pub created_at: i64,
}

/// What the incident form opens with when an incident is recorded from a public report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentDraft {
    pub report_id: Uuid,
    pub country: Option<String>,
    pub narrative: String,
    pub source: IncidentSource,
}

const COLUMNS: &str = "id, occurred_on, country, region, place_type, perpetrator_type, women, men, \
    girls, boys, unknown_sex, source, verification";

fn corrupt<T>(v: Option<T>, what: &'static str) -> Result<T, StoreError> {
    v.ok_or(StoreError::Corrupt(what))
}

fn count(row: &sqlx::any::AnyRow, col: &str) -> Result<u32, StoreError> {
    u32::try_from(row.try_get::<i64, _>(col)?).map_err(|_| StoreError::Corrupt("affected count"))
}

fn summary(
    row: &sqlx::any::AnyRow,
    kinds: Vec<IncidentKind>,
    bias_motives: Vec<BiasMotive>,
) -> Result<IncidentSummary, StoreError> {
    Ok(IncidentSummary {
        id: parse_uuid(&row.try_get::<String, _>("id")?)?,
        occurred_on: row.try_get("occurred_on")?,
        country: corrupt(
            Country::parse(&row.try_get::<String, _>("country")?),
            "incident country",
        )?,
        region: row.try_get("region")?,
        place_type: corrupt(
            PlaceType::parse(&row.try_get::<String, _>("place_type")?),
            "place type",
        )?,
        kinds,
        bias_motives,
        perpetrator_type: row
            .try_get::<Option<String>, _>("perpetrator_type")?
            .map(|p| corrupt(PerpetratorType::parse(&p), "perpetrator type"))
            .transpose()?,
        affected: Affected {
            women: count(row, "women")?,
            men: count(row, "men")?,
            girls: count(row, "girls")?,
            boys: count(row, "boys")?,
            unknown: count(row, "unknown_sex")?,
        },
        source: corrupt(
            IncidentSource::parse(&row.try_get::<String, _>("source")?),
            "incident source",
        )?,
        verification: corrupt(
            Verification::parse(&row.try_get::<String, _>("verification")?),
            "verification",
        )?,
    })
}

/// The kinds and motives of the incidents of `org` (or of one incident), by incident id.
async fn codes(
    tx: &mut Tx,
    table: &str,
    column: &str,
    org: Uuid,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT t.incident_id, t.{column} FROM {table} t JOIN incidents i ON i.id = t.incident_id \
         WHERE i.org_id = $1 ORDER BY t.incident_id, t.{column}"
    )))
    .bind(org.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    Ok(rows)
}

fn of<T: Ord>(all: &[(String, String)], id: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    let mut out: Vec<T> = all
        .iter()
        .filter(|(i, _)| i == id)
        .filter_map(|(_, c)| parse(c))
        .collect();
    out.sort();
    out
}

/// Loads an incident of the actor's organisation, or audits the attempt as `what` (committed)
/// and answers `NotFound` (missing and another organisation's look the same).
async fn own(
    mut tx: Tx,
    actor: &Actor,
    id: Uuid,
    what: &str,
) -> Result<(Tx, sqlx::any::AnyRow), StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, org_id, narrative, link, report_id, visit_id, created_at \
         FROM incidents WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        Some(r) if r.try_get::<String, _>("org_id")? == actor.org_id().to_string() => Ok((tx, r)),
        Some(_) => Err(not_found(tx, actor, what, "incident", id, "denied").await),
        None => Err(not_found(tx, actor, what, "incident", id, "not_found").await),
    }
}

impl Store {
    /// Records an incident for the actor's organisation (or, for the operator, `org_id`'s):
    /// validated with every problem named, nothing written when any field is wrong; the
    /// narrative sealed; audited in the same transaction.
    pub async fn record_incident(
        &self,
        by: &Authority,
        org_id: Uuid,
        raw: &RawIncident,
        origin: IncidentOrigin,
    ) -> Result<Uuid, StoreError> {
        let mut tx = match by {
            Authority::User(actor) => {
                self.incident_gate(actor, IncidentAction::Record, "incident.record", None)
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
        if let (Some(report), Authority::User(actor)) = (origin.report_id, by) {
            let found = self
                .report_for(&mut tx, actor, report, Action::HandleReport)
                .await;
            if let Err(e) = found {
                tx.commit().await?;
                return Err(e);
            }
        }
        if let Some(visit) = origin.visit_id {
            let owner: Option<(String,)> =
                sqlx::query_as("SELECT org_id FROM monitoring_visits WHERE id = $1")
                    .bind(visit.to_string())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            if owner.is_none_or(|(o,)| o != org.to_string()) {
                if let Authority::User(actor) = by {
                    return Err(
                        not_found(tx, actor, "incident.record", "visit", visit, "denied").await,
                    );
                }
                return Err(StoreError::NotFound);
            }
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let narrative = tx
            .keys
            .seal_str(Field::IncidentNarrative, &key, &v.narrative)?;
        let a = v.affected;
        sqlx::query(
            "INSERT INTO incidents (id, org_id, occurred_on, country, region, place_type, \
             perpetrator_type, women, men, girls, boys, unknown_sex, source, verification, \
             narrative, report_id, visit_id, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)",
        )
        .bind(&key)
        .bind(org.to_string())
        .bind(v.occurred_on.to_string())
        .bind(v.country.as_str().to_string())
        .bind(v.region.map(str::to_string))
        .bind(v.place_type.as_str())
        .bind(v.perpetrator_type.map(|p| p.as_str()))
        .bind(i64::from(a.women))
        .bind(i64::from(a.men))
        .bind(i64::from(a.girls))
        .bind(i64::from(a.boys))
        .bind(i64::from(a.unknown))
        .bind(v.source.as_str())
        .bind(Verification::Unverified.as_str())
        .bind(narrative)
        .bind(origin.report_id.map(|r| r.to_string()))
        .bind(origin.visit_id.map(|r| r.to_string()))
        .bind(user)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        for k in &v.kinds {
            sqlx::query("INSERT INTO incident_kinds (incident_id, kind) VALUES ($1, $2)")
                .bind(&key)
                .bind(k.as_str())
                .execute(&mut *tx.tx)
                .await?;
        }
        for m in &v.bias_motives {
            sqlx::query("INSERT INTO incident_motives (incident_id, motive) VALUES ($1, $2)")
                .bind(&key)
                .bind(m.as_str())
                .execute(&mut *tx.tx)
                .await?;
        }
        tx.audit(by.event("incident.record", "incident", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The actor's organisation's incidents, newest first, filtered by country and by the days
    /// they happened on (inclusive). Never another organisation's; no narrative.
    pub async fn incidents(
        &self,
        actor: &Actor,
        filter: &Filter,
    ) -> Result<Vec<IncidentSummary>, StoreError> {
        let mut tx = self
            .incident_gate(actor, IncidentAction::Read, "incident.list", None)
            .await?;
        let org = actor.org_id();
        let mut sql = format!("SELECT {COLUMNS} FROM incidents WHERE org_id = $1");
        let mut args: Vec<String> = vec![org.to_string()];
        if let Some(c) = filter.country {
            args.push(c.as_str().to_string());
            sql.push_str(&format!(" AND country = ${}", args.len()));
        }
        if let Some(f) = filter.from {
            args.push(f.to_string());
            sql.push_str(&format!(" AND occurred_on >= ${}", args.len()));
        }
        if let Some(t) = filter.to {
            args.push(t.to_string());
            sql.push_str(&format!(" AND occurred_on <= ${}", args.len()));
        }
        sql.push_str(" ORDER BY occurred_on DESC, id DESC LIMIT 1000");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in &args {
            q = q.bind(a.clone());
        }
        let rows = q.fetch_all(&mut *tx.tx).await?;
        let kinds = codes(&mut tx, "incident_kinds", "kind", org).await?;
        let motives = codes(&mut tx, "incident_motives", "motive", org).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            out.push(summary(
                r,
                of(&kinds, &id, IncidentKind::parse),
                of(&motives, &id, BiasMotive::parse),
            )?);
        }
        tx.audit(actor.event("incident.list", "incident", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One incident of the actor's organisation with its narrative and link; `NotFound` for
    /// any other (audited).
    pub async fn incident(&self, actor: &Actor, id: Uuid) -> Result<IncidentView, StoreError> {
        let tx = self
            .incident_gate(
                actor,
                IncidentAction::Read,
                "incident.read",
                Some(id.to_string()),
            )
            .await?;
        let (mut tx, row) = own(tx, actor, id, "incident.read").await?;
        let key = id.to_string();
        let kinds = codes(&mut tx, "incident_kinds", "kind", actor.org_id()).await?;
        let motives = codes(&mut tx, "incident_motives", "motive", actor.org_id()).await?;
        let narrative = tx.keys.open_str(
            Field::IncidentNarrative,
            &key,
            &row.try_get::<Vec<u8>, _>("narrative")?,
        )?;
        let link = row
            .try_get::<Option<Vec<u8>>, _>("link")?
            .map(|b| tx.keys.open_str(Field::IncidentLink, &key, &b))
            .transpose()?
            .map(|l| read_link(&l))
            .transpose()?;
        let uuid = |col: &str| -> Result<Option<Uuid>, StoreError> {
            row.try_get::<Option<String>, _>(col)?
                .map(|s| parse_uuid(&s))
                .transpose()
        };
        let view = IncidentView {
            summary: summary(
                &row,
                of(&kinds, &key, IncidentKind::parse),
                of(&motives, &key, BiasMotive::parse),
            )?,
            narrative,
            link,
            report_id: uuid("report_id")?,
            visit_id: uuid("visit_id")?,
            created_at: row.try_get("created_at")?,
        };
        tx.audit(actor.event("incident.read", "incident", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Sets an incident's verification status: a supervisor of its organisation; audited.
    pub async fn verify_incident(
        &self,
        actor: &Actor,
        id: Uuid,
        status: Verification,
    ) -> Result<(), StoreError> {
        let tx = self
            .incident_gate(
                actor,
                IncidentAction::Verify,
                "incident.verify",
                Some(id.to_string()),
            )
            .await?;
        let (mut tx, _) = own(tx, actor, id, "incident.verify").await?;
        sqlx::query("UPDATE incidents SET verification = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(tx.now)
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("incident.verify", "incident", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await
    }

    /// Links an incident to a case or a person of the same organisation (replacing a former
    /// link), sealed. The case or person passes the case gate; another organisation's answers
    /// `NotFound` exactly like a missing one, and nothing is written.
    pub async fn link_incident(
        &self,
        actor: &Actor,
        id: Uuid,
        target: LinkTarget,
    ) -> Result<(), StoreError> {
        let what = "incident.link";
        let tx = self
            .incident_gate(actor, IncidentAction::Record, what, Some(id.to_string()))
            .await?;
        let (tx, _) = own(tx, actor, id, what).await?;
        let (mut tx, json) = match target {
            LinkTarget::Case(case_id) => {
                let (tx, case) = gate(tx, actor, case_id, Action::ReadCase, what).await?;
                if case.org_id() != actor.org_id() {
                    return Err(not_found(tx, actor, what, "case", case_id, "denied").await);
                }
                (tx, serde_json::json!({ "case_id": case_id }))
            }
            LinkTarget::Person(person_id) => {
                let (tx, person) =
                    person_gate(tx, actor, person_id, Action::ReadCase, what).await?;
                if person.org_id() != actor.org_id() {
                    return Err(not_found(tx, actor, what, "person", person_id, "denied").await);
                }
                (tx, serde_json::json!({ "person_id": person_id }))
            }
        };
        let key = id.to_string();
        let sealed = tx
            .keys
            .seal_str(Field::IncidentLink, &key, &json.to_string())?;
        sqlx::query("UPDATE incidents SET link = $1, updated_at = $2 WHERE id = $3")
            .bind(sealed)
            .bind(tx.now)
            .bind(&key)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event(what, "incident", Some(key), "ok"))
            .await?;
        tx.commit().await
    }

    /// Removes an incident's link to a case or person.
    pub async fn unlink_incident(&self, actor: &Actor, id: Uuid) -> Result<(), StoreError> {
        let what = "incident.unlink";
        let tx = self
            .incident_gate(actor, IncidentAction::Record, what, Some(id.to_string()))
            .await?;
        let (mut tx, _) = own(tx, actor, id, what).await?;
        sqlx::query("UPDATE incidents SET link = NULL, updated_at = $1 WHERE id = $2")
            .bind(tx.now)
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event(what, "incident", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await
    }

    /// What the incident form opens with for a public report the actor handles: the report's
    /// country and narrative, and `witness` as the source when the reporter was a witness
    /// (else `victim`). A report that does not exist or that the actor may not handle (another
    /// organisation's) answers `NotFound`.
    pub async fn incident_draft(
        &self,
        actor: &Actor,
        report_id: Uuid,
    ) -> Result<IncidentDraft, StoreError> {
        let mut tx = self
            .incident_gate(
                actor,
                IncidentAction::Record,
                "incident.draft",
                Some(report_id.to_string()),
            )
            .await?;
        let row = match self
            .report_for(&mut tx, actor, report_id, Action::HandleReport)
            .await
        {
            Ok(row) => row,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        let key = report_id.to_string();
        let narrative = row
            .try_get::<Option<Vec<u8>>, _>("narrative")?
            .map(|b| tx.keys.open_str(Field::ReportNarrative, &key, &b))
            .transpose()?
            .unwrap_or_default();
        let reporter = corrupt(
            ReporterType::parse(&row.try_get::<String, _>("reporter_type")?),
            "reporter type",
        )?;
        let draft = IncidentDraft {
            report_id,
            country: row.try_get("country")?,
            narrative,
            source: source_of_report(reporter),
        };
        tx.audit(actor.event("incident.draft", "report", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(draft)
    }
}

fn read_link(json: &str) -> Result<LinkTarget, StoreError> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|_| StoreError::Corrupt("incident link"))?;
    let id = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .and_then(|s| Uuid::parse_str(s).ok())
    };
    match (id("case_id"), id("person_id")) {
        (Some(c), _) => Ok(LinkTarget::Case(c)),
        (None, Some(p)) => Ok(LinkTarget::Person(p)),
        _ => Err(StoreError::Corrupt("incident link")),
    }
}
