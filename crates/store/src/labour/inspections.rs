//! Labour inspection: visits recorded by a labour inspectorate's inspectors and supervisors,
//! what they found and ordered, the sanction they confirmed (an `entity_sanctions` row, so the
//! public recruiter check shows it), the follow-up they planned; the inspectorate's work list;
//! and the ranking of entities for inspection.
//!
//! `core::labour::inspection::inspection_access` decides who may; a refusal is audited. A visit
//! is its inspectorate's (and the organisations it was joint with): any other reader gets
//! `NotFound`. Nothing here reads or returns who complained: complaints reach an inspector as
//! counts, and the ranking weighs a count only from k on.

use super::entities::{active_rows, family, load, survivor};
use super::links::complaint_count;
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::{Actor, Authority, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::labour::entities::{EntityKind, Sector};
use passage_core::labour::inspection::{
    FORCED_LABOUR_INDICATORS, LawCategory, RawInspection, RiskFactors, RiskScore, VisitStatus,
    inspection_access, joint_agency_allowed, order_overdue, score,
};
use passage_core::screening::Answer;
use passage_core::stats::{Cell, DEFAULT_MIN_CELL, suppress};
use passage_core::{Country, ErrorCode};
use sqlx::Row;
use uuid::Uuid;

/// An order as an inspection shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    pub id: Uuid,
    pub category: LawCategory,
    pub deadline: String,
    pub complied_on: Option<String>,
    pub overdue: bool,
}

/// A visit as its inspectorate reads it. It names the entity, the organisations it was joint
/// with, codes found and orders issued; never a complaint, a case, a report or a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionView {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    pub status: VisitStatus,
    pub planned_on: String,
    pub done_on: Option<String>,
    /// The organisations the visit was joint with: (id, name).
    pub joint_with: Vec<(Uuid, String)>,
    pub indicators: Vec<String>,
    pub law_categories: Vec<LawCategory>,
    pub orders: Vec<OrderView>,
    /// Sanctions the visit confirmed: (description, authority, decided on).
    pub sanctions: Vec<(String, String, String)>,
    pub follow_up_of: Option<Uuid>,
    /// Follow-up visits planned from this one: (id, planned on, status).
    pub follow_ups: Vec<(Uuid, String, VisitStatus)>,
    /// What screenings of the complaints naming the entity answered: per forced-labour
    /// indicator, how many complaints answered yes, each withheld under k.
    pub reported_indicators: Vec<Cell>,
}

/// A visit on the work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitItem {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    pub planned_on: String,
    pub follow_up: bool,
}

/// An order past its deadline on the work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueOrder {
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    pub category: LawCategory,
    pub deadline: String,
}

/// An inspectorate's work list: visits planned (by date), follow-ups overdue (planned before
/// today and not yet done) and orders past their deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkList {
    pub planned: Vec<VisitItem>,
    pub overdue_follow_ups: Vec<VisitItem>,
    pub overdue_orders: Vec<OverdueOrder>,
}

/// An entity as the ranking shows it: the score and its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub entity_id: Uuid,
    pub name: String,
    pub kind: EntityKind,
    pub country: Country,
    pub sector: Option<Sector>,
    pub risk: RiskScore,
}

fn marks(n: usize, from: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn entity_name(tx: &mut Tx, id: &str) -> Result<String, StoreError> {
    Ok(load(tx, parse_uuid(id)?).await?.name)
}

impl Store {
    /// Opens a transaction for inspection work, or audits the refusal (committed) and answers
    /// `Forbidden` with the reason (the firewall's own for immigration enforcement).
    pub(crate) async fn inspection_gate(
        &self,
        actor: &Actor,
        what: &str,
        object: Option<String>,
    ) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        match inspection_access(actor.principal()) {
            Ok(()) => Ok(tx),
            Err(reason) => {
                let outcome = match reason {
                    passage_core::DenyReason::ImmigrationFirewall => "immigration_firewall",
                    _ => "denied",
                };
                tx.audit(actor.event(what, "inspection", object, outcome))
                    .await?;
                tx.commit().await?;
                Err(StoreError::Forbidden(reason))
            }
        }
    }

    /// Refuses (audited) whoever may not do inspection work, before a request's body is looked
    /// at: immigration enforcement meets the firewall whatever it sent.
    pub async fn inspection_firewall(&self, actor: &Actor) -> Result<(), StoreError> {
        self.inspection_gate(actor, "inspection.access", None)
            .await?
            .commit()
            .await
    }

    /// Whether the actor may do inspection work (for pages deciding what to show).
    pub fn may_inspect(actor: &Actor) -> bool {
        inspection_access(actor.principal()).is_ok()
    }

    /// Records a visit for the actor's inspectorate (or, for the operator, `org_id`'s): the
    /// organisations it was joint with, its findings, orders, the sanction it confirmed and the
    /// follow-up it planned, in one transaction. Nothing is written when any field is wrong.
    pub async fn record_inspection(
        &self,
        by: &Authority,
        org_id: Uuid,
        raw: &RawInspection,
    ) -> Result<Uuid, StoreError> {
        let mut tx = match by {
            Authority::User(actor) => {
                self.inspection_gate(actor, "inspection.record", None)
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
        let Some(entity) = survivor(&mut tx, v.entity_id).await? else {
            return Err(StoreError::invalid(
                "entity_id",
                ErrorCode::Unknown,
                "no entity in the register has this id",
            ));
        };
        if let Err(e) = check_joint(&mut tx, &v.joint_with, org, &entity.to_string()).await {
            tx.audit(by.event("inspection.record", "inspection", None, "refused"))
                .await?;
            tx.commit().await?;
            return Err(e);
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let entity_key = entity.to_string();
        insert_visit(
            &mut tx,
            &key,
            &entity_key,
            org,
            v.status,
            v.planned_on,
            v.done_on,
            None,
            user.clone(),
        )
        .await?;
        details(&mut tx, &key, &entity_key, org, user, &v).await?;
        tx.audit(by.event("inspection.record", "inspection", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records what became of a planned visit of the actor's inspectorate: done, with what it
    /// found, ordered, confirmed and planned next, or cancelled. Another inspectorate's visit
    /// is `NotFound`; a visit no longer planned is refused (`already_done`).
    pub async fn conclude_inspection(
        &self,
        actor: &Actor,
        id: Uuid,
        raw: &RawInspection,
    ) -> Result<(), StoreError> {
        let key = id.to_string();
        let mut tx = self
            .inspection_gate(actor, "inspection.conclude", Some(key.clone()))
            .await?;
        let org = actor.org_id();
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT entity_id, status, planned_on FROM inspections WHERE id = $1 AND org_id = $2",
        )
        .bind(&key)
        .bind(org.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((entity_key, status, planned_on)) = row else {
            tx.audit(actor.event("inspection.conclude", "inspection", Some(key), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        if raw.status.trim() == VisitStatus::Planned.as_str() {
            return Err(StoreError::invalid(
                "status",
                ErrorCode::InvalidValue,
                "a visit planned is concluded as done or cancelled",
            ));
        }
        let v = RawInspection {
            entity_id: entity_key.clone(),
            planned_on,
            ..raw.clone()
        }
        .validate(Day::from_unix_ms(tx.now))
        .map_err(StoreError::Invalid)?;
        if status != VisitStatus::Planned.as_str() {
            return Err(StoreError::Rule {
                code: ErrorCode::AlreadyDone,
                message: "this visit is done or cancelled already: record a new one".into(),
            });
        }
        if let Err(e) = check_joint(&mut tx, &v.joint_with, org, &entity_key).await {
            tx.audit(actor.event("inspection.conclude", "inspection", Some(key), "refused"))
                .await?;
            tx.commit().await?;
            return Err(e);
        }
        sqlx::query(
            "UPDATE inspections SET status = $1, done_on = $2, updated_at = $3, \
             version = version + 1 WHERE id = $4",
        )
        .bind(v.status.as_str())
        .bind(v.done_on.map(|d| d.to_string()))
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        details(
            &mut tx,
            &key,
            &entity_key,
            org,
            Some(actor.user_id().to_string()),
            &v,
        )
        .await?;
        tx.audit(actor.event("inspection.conclude", "inspection", Some(key), "ok"))
            .await?;
        tx.commit().await
    }

    /// Records the day an order of the actor's inspectorate was complied with; it leaves the
    /// work list. Another inspectorate's order is `NotFound`.
    pub async fn order_complied(
        &self,
        actor: &Actor,
        order: Uuid,
        complied_on: &str,
    ) -> Result<(), StoreError> {
        let key = order.to_string();
        let mut tx = self
            .inspection_gate(actor, "inspection.order", Some(key.clone()))
            .await?;
        let mut p = passage_core::validate::Problems::default();
        let day =
            passage_core::casework::calendar::date_field(&mut p, "complied_on", complied_on, true)
                .flatten();
        let found: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT o.inspection_id, o.complied_on FROM inspection_orders o \
             JOIN inspections i ON i.id = o.inspection_id WHERE o.id = $1 AND i.org_id = $2",
        )
        .bind(&key)
        .bind(actor.org_id().to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((inspection, complied)) = found else {
            tx.audit(actor.event("inspection.order", "inspection", Some(key), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let today = Day::from_unix_ms(tx.now);
        if day.is_some_and(|d| d > today) {
            p.add(
                "complied_on",
                ErrorCode::InTheFuture,
                "complied_on is after today: record compliance once it is seen",
            );
        }
        let Some(day) = day.filter(|_| p.0.is_empty()) else {
            return Err(StoreError::Invalid(p));
        };
        if complied.is_some() {
            return Err(StoreError::Rule {
                code: ErrorCode::AlreadyDone,
                message: "this order was complied with already".into(),
            });
        }
        sqlx::query("UPDATE inspection_orders SET complied_on = $1 WHERE id = $2")
            .bind(day.to_string())
            .bind(&key)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("inspection.order", "inspection", Some(inspection), "ok"))
            .await?;
        tx.commit().await
    }

    /// One visit, for its inspectorate and the organisations it was joint with; `NotFound`
    /// (audited) for anyone else.
    pub async fn inspection(&self, actor: &Actor, id: Uuid) -> Result<InspectionView, StoreError> {
        let key = id.to_string();
        let mut tx = self
            .inspection_gate(actor, "inspection.read", Some(key.clone()))
            .await?;
        let org = actor.org_id().to_string();
        let row = sqlx::query(
            "SELECT entity_id, status, planned_on, done_on, follow_up_of FROM inspections i \
             WHERE id = $1 AND (org_id = $2 OR EXISTS (SELECT 1 FROM inspection_agencies a \
             WHERE a.inspection_id = i.id AND a.org_id = $2))",
        )
        .bind(&key)
        .bind(&org)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some(row) = row else {
            tx.audit(actor.event("inspection.read", "inspection", Some(key), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let entity: String = row.try_get("entity_id")?;
        let name = entity_name(&mut tx, &entity).await?;
        let joint: Vec<(String, String)> = sqlx::query_as(
            "SELECT o.id, o.name FROM inspection_agencies a JOIN organisations o ON o.id = a.org_id \
             WHERE a.inspection_id = $1 ORDER BY o.name",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?;
        let findings: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, code FROM inspection_findings WHERE inspection_id = $1 ORDER BY kind, code",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?;
        let today = Day::from_unix_ms(tx.now);
        let orders = sqlx::query(
            "SELECT id, category, deadline, complied_on FROM inspection_orders \
             WHERE inspection_id = $1 ORDER BY deadline, id",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?
        .iter()
        .map(|r| order_view(r, today))
        .collect::<Result<Vec<_>, StoreError>>()?;
        let sanctions: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT description, authority, decided_on FROM entity_sanctions \
             WHERE inspection_id = $1 ORDER BY decided_on, id",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?;
        let follow_ups: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, planned_on, status FROM inspections WHERE follow_up_of = $1 \
             ORDER BY planned_on, id",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?;
        let ids = family(&mut tx, &entity).await?;
        let reported_indicators = reported_indicators(&mut tx, &ids).await?;
        tx.audit(actor.event("inspection.read", "inspection", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(InspectionView {
            id,
            entity_id: parse_uuid(&entity)?,
            entity_name: name,
            status: VisitStatus::parse(&row.try_get::<String, _>("status")?)
                .ok_or(StoreError::Corrupt("visit status"))?,
            planned_on: row.try_get("planned_on")?,
            done_on: row.try_get("done_on")?,
            joint_with: joint
                .into_iter()
                .map(|(i, n)| Ok((parse_uuid(&i)?, n)))
                .collect::<Result<_, StoreError>>()?,
            indicators: findings
                .iter()
                .filter(|(k, _)| k == "indicator")
                .map(|(_, c)| c.clone())
                .collect(),
            law_categories: findings
                .iter()
                .filter(|(k, _)| k == "law")
                .filter_map(|(_, c)| LawCategory::parse(c))
                .collect(),
            orders,
            sanctions,
            follow_up_of: row
                .try_get::<Option<String>, _>("follow_up_of")?
                .map(|f| parse_uuid(&f))
                .transpose()?,
            follow_ups: follow_ups
                .into_iter()
                .map(|(i, d, s)| {
                    Ok((
                        parse_uuid(&i)?,
                        d,
                        VisitStatus::parse(&s).ok_or(StoreError::Corrupt("visit status"))?,
                    ))
                })
                .collect::<Result<_, StoreError>>()?,
            reported_indicators,
        })
    }

    /// The work list of the actor's inspectorate: visits planned from today on (by date),
    /// follow-ups planned before today and not done, and orders past their deadline.
    pub async fn inspection_work_list(&self, actor: &Actor) -> Result<WorkList, StoreError> {
        let mut tx = self
            .inspection_gate(actor, "inspection.work_list", None)
            .await?;
        let today = Day::from_unix_ms(tx.now);
        let org = actor.org_id().to_string();
        let visits = sqlx::query(
            "SELECT id, entity_id, planned_on, follow_up_of FROM inspections \
             WHERE org_id = $1 AND status = 'planned' ORDER BY planned_on, id",
        )
        .bind(&org)
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut list = WorkList::default();
        for r in visits {
            let entity: String = r.try_get("entity_id")?;
            let planned_on: String = r.try_get("planned_on")?;
            let follow_up = r.try_get::<Option<String>, _>("follow_up_of")?.is_some();
            let item = VisitItem {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                entity_id: parse_uuid(&entity)?,
                entity_name: entity_name(&mut tx, &entity).await?,
                planned_on: planned_on.clone(),
                follow_up,
            };
            let late = Day::parse(&planned_on).is_some_and(|d| d < today);
            if follow_up && late {
                list.overdue_follow_ups.push(item);
            } else {
                list.planned.push(item);
            }
        }
        let orders = sqlx::query(
            "SELECT o.id, o.inspection_id, o.category, o.deadline, o.complied_on, i.entity_id \
             FROM inspection_orders o JOIN inspections i ON i.id = o.inspection_id \
             WHERE i.org_id = $1 AND o.complied_on IS NULL ORDER BY o.deadline, o.id",
        )
        .bind(&org)
        .fetch_all(&mut *tx.tx)
        .await?;
        for r in orders {
            let v = order_view(&r, today)?;
            if !v.overdue {
                continue;
            }
            let entity: String = r.try_get("entity_id")?;
            list.overdue_orders.push(OverdueOrder {
                id: v.id,
                inspection_id: parse_uuid(&r.try_get::<String, _>("inspection_id")?)?,
                entity_id: parse_uuid(&entity)?,
                entity_name: entity_name(&mut tx, &entity).await?,
                category: v.category,
                deadline: v.deadline,
            });
        }
        tx.audit(actor.event("inspection.work_list", "inspection", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The entities of the register ranked for inspection, highest score first, in a country
    /// and a sector when given. Each score is explained by its parts; complaints count only
    /// from k on.
    pub async fn inspection_targets(
        &self,
        actor: &Actor,
        country: Option<Country>,
        sector: Option<Sector>,
    ) -> Result<Vec<Target>, StoreError> {
        let mut tx = self
            .inspection_gate(actor, "inspection.targets", None)
            .await?;
        let today = Day::from_unix_ms(tx.now);
        let rows = active_rows(&mut tx, false).await?;
        let mut out = Vec::new();
        for r in rows {
            if country.is_some_and(|c| c != r.country)
                || sector.is_some_and(|s| Some(s) != r.sector)
            {
                continue;
            }
            let ids = family(&mut tx, &r.key).await?;
            let complaints = complaint_count(&mut tx, &ids).await?;
            let m = marks(ids.len(), 1);
            let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(format!(
                "SELECT DISTINCT f.code FROM inspection_findings f \
                 JOIN inspections i ON i.id = f.inspection_id \
                 WHERE f.kind = 'indicator' AND i.status = 'done' AND i.entity_id IN ({m})"
            )));
            for i in &ids {
                q = q.bind(i.clone());
            }
            let found = q
                .fetch_all(&mut *tx.tx)
                .await?
                .into_iter()
                .filter(|(c,)| FORCED_LABOUR_INDICATORS.contains(&c.as_str()))
                .count() as u64;
            let mut q = sqlx::query_as::<_, (Option<String>,)>(sqlx::AssertSqlSafe(format!(
                "SELECT MAX(done_on) FROM inspections WHERE status = 'done' AND entity_id IN ({m})"
            )));
            for i in &ids {
                q = q.bind(i.clone());
            }
            let last = q
                .fetch_one(&mut *tx.tx)
                .await?
                .0
                .as_deref()
                .and_then(Day::parse);
            let risk = score(
                &RiskFactors {
                    complaints,
                    indicators_found: found,
                    licence_status: r.licence_status,
                    days_since_visit: last.map(|d| (today.0 - d.0).max(0) as u64),
                },
                DEFAULT_MIN_CELL,
            );
            out.push(Target {
                entity_id: r.id,
                name: r.name,
                kind: r.kind,
                country: r.country,
                sector: r.sector,
                risk,
            });
        }
        out.sort_by(|a, b| {
            b.risk
                .score
                .cmp(&a.risk.score)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.entity_id.cmp(&b.entity_id))
        });
        tx.audit(actor.event("inspection.targets", "inspection", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// Per forced-labour indicator, the complaints naming any of `ids` whose screening with the
/// built-in forced-labour instrument answered yes (a complaint counted once per indicator),
/// each withheld under k. Only the counts leave this function.
async fn reported_indicators(tx: &mut Tx, ids: &[String]) -> Result<Vec<Cell>, StoreError> {
    let m = marks(ids.len(), 1);
    let sql = format!(
        "SELECT s.id, s.answers, COALESCE(s.case_id, r.case_id, s.report_id) AS k \
         FROM screenings s LEFT JOIN reports r ON r.id = s.report_id \
         WHERE s.instrument_id = 'ilo_forced_labour' AND ( \
           s.case_id IN (SELECT record_id FROM entity_links WHERE record = 'case' AND entity_id IN ({m})) \
           OR s.report_id IN (SELECT record_id FROM entity_links WHERE record = 'report' AND entity_id IN ({m})) \
           OR s.id IN (SELECT record_id FROM entity_links WHERE record = 'screening' AND entity_id IN ({m})))"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for i in ids {
        q = q.bind(i.clone());
    }
    let rows = q.fetch_all(&mut *tx.tx).await?;
    // Screenings of cases are sealed under their persons' keys.
    tx.load_keys_in_rows(&rows, &["answers"]).await?;
    let mut seen: std::collections::BTreeMap<&'static str, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for r in rows {
        let id: String = r.try_get("id")?;
        let complaint: String = r.try_get("k")?;
        let answers = crate::casework::screening::read_answers(
            tx,
            &id,
            &r.try_get::<Vec<u8>, _>("answers")?,
        )?;
        for indicator in FORCED_LABOUR_INDICATORS {
            if answers.get(*indicator) == Some(&Answer::Yes) {
                seen.entry(indicator).or_default().insert(complaint.clone());
            }
        }
    }
    let counts: Vec<(String, u64)> = FORCED_LABOUR_INDICATORS
        .iter()
        .filter_map(|i| seen.get(i).map(|s| (i.to_string(), s.len() as u64)))
        .collect();
    Ok(suppress(&counts, DEFAULT_MIN_CELL))
}

/// Refuses a joint organisation that does not exist or is the inspectorate itself, and
/// immigration enforcement at a visit to an entity that complaints name
/// (`passage_core::labour::inspection::joint_agency_allowed`). Nothing is written then.
async fn check_joint(
    tx: &mut Tx,
    joint: &[Uuid],
    org: Uuid,
    entity_key: &str,
) -> Result<(), StoreError> {
    let mut complained: Option<bool> = None;
    for j in joint {
        let found: Option<(String,)> =
            sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
                .bind(j.to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        let Some((kind,)) = found.filter(|_| *j != org) else {
            return Err(StoreError::invalid(
                "joint_with",
                ErrorCode::Unknown,
                "joint_with lists other organisations of the network by id",
            ));
        };
        let kind =
            passage_core::OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?;
        let named = match complained {
            Some(n) => n,
            None => {
                let ids = family(tx, entity_key).await?;
                let n = complaint_count(tx, &ids).await? > 0;
                complained = Some(n);
                n
            }
        };
        if let Err(code) = joint_agency_allowed(kind, named) {
            return Err(StoreError::invalid(
                "joint_with",
                code,
                "workers' complaints name this entity: immigration enforcement never joins the visit, which would turn a complaint into a raid",
            ));
        }
    }
    Ok(())
}

/// Writes what a visit was joint with, found, ordered, confirmed and planned next.
async fn details(
    tx: &mut Tx,
    key: &str,
    entity_key: &str,
    org: Uuid,
    user: Option<String>,
    v: &passage_core::labour::inspection::NewInspection,
) -> Result<(), StoreError> {
    for j in &v.joint_with {
        sqlx::query("INSERT INTO inspection_agencies (inspection_id, org_id) VALUES ($1, $2)")
            .bind(key)
            .bind(j.to_string())
            .execute(&mut *tx.tx)
            .await?;
    }
    let findings = v
        .indicators
        .iter()
        .map(|i| ("indicator", (*i).to_string()))
        .chain(
            v.law_categories
                .iter()
                .map(|c| ("law", c.as_str().to_string())),
        );
    for (kind, code) in findings {
        sqlx::query(
            "INSERT INTO inspection_findings (inspection_id, kind, code) VALUES ($1, $2, $3)",
        )
        .bind(key)
        .bind(kind)
        .bind(code)
        .execute(&mut *tx.tx)
        .await?;
    }
    for o in &v.orders {
        sqlx::query(
            "INSERT INTO inspection_orders (id, inspection_id, category, deadline, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(key)
        .bind(o.category.as_str())
        .bind(o.deadline.to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
    }
    if let Some(s) = &v.sanction {
        sqlx::query(
            "INSERT INTO entity_sanctions (id, entity_id, description, authority, decided_on, \
                 org_id, created_by, created_at, inspection_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(entity_key)
        .bind(&s.description)
        .bind(&s.authority)
        .bind(s.decided_on.to_string())
        .bind(org.to_string())
        .bind(user.clone())
        .bind(tx.now)
        .bind(key)
        .execute(&mut *tx.tx)
        .await?;
    }
    if let Some(day) = v.follow_up_on {
        insert_visit(
            tx,
            &Uuid::now_v7().to_string(),
            entity_key,
            org,
            VisitStatus::Planned,
            day,
            None,
            Some(key),
            user,
        )
        .await?;
    }
    Ok(())
}

fn order_view(r: &sqlx::any::AnyRow, today: Day) -> Result<OrderView, StoreError> {
    let deadline: String = r.try_get("deadline")?;
    let complied_on: Option<String> = r.try_get("complied_on")?;
    let day = Day::parse(&deadline).ok_or(StoreError::Corrupt("order deadline"))?;
    Ok(OrderView {
        id: parse_uuid(&r.try_get::<String, _>("id")?)?,
        category: LawCategory::parse(&r.try_get::<String, _>("category")?)
            .ok_or(StoreError::Corrupt("order category"))?,
        overdue: order_overdue(day, complied_on.is_some(), today),
        deadline,
        complied_on,
    })
}

#[allow(clippy::too_many_arguments)]
async fn insert_visit(
    tx: &mut Tx,
    key: &str,
    entity: &str,
    org: Uuid,
    status: VisitStatus,
    planned_on: Day,
    done_on: Option<Day>,
    follow_up_of: Option<&str>,
    user: Option<String>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO inspections (id, entity_id, org_id, status, planned_on, done_on, \
         follow_up_of, created_by, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)",
    )
    .bind(key)
    .bind(entity)
    .bind(org.to_string())
    .bind(status.as_str())
    .bind(planned_on.to_string())
    .bind(done_on.map(|d| d.to_string()))
    .bind(follow_up_of.map(str::to_string))
    .bind(user)
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}
