//! Links: a report, a case, a held identity document or a screening names an entity with a
//! role. The record's own gate decides (a case the actor cannot change is `NotFound`, as
//! everywhere); the link keeps the naming organisation, and only that organisation reads it
//! back. Every other reader gets counts: complaints (reports and cases, a report and the case
//! opened from it counted once) by category, each withheld under k.

use super::entities::{family, survivor};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::labour::entities::{EntityAction, LinkRole, LinkedRecord, link_visible};
use passage_core::policy::Action;
use passage_core::stats::{Cell, DEFAULT_MIN_CELL, suppress};
use passage_core::{Category, ErrorCode};
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A link as its own organisation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityLink {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    pub record: LinkedRecord,
    pub record_id: Uuid,
    pub role: LinkRole,
    pub created_at: i64,
    /// The organisation that named the entity: always the reader's own.
    pub org_id: Uuid,
}

fn marks(n: usize, from: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The complaints naming any of `ids`: distinct cases, and reports not (yet) opened as one of
/// those cases, across every organisation.
pub(crate) async fn complaint_count(tx: &mut Tx, ids: &[String]) -> Result<u64, StoreError> {
    Ok(complaint_keys(tx, ids).await?.len() as u64)
}

/// Each complaint naming any of `ids` (a case id, or a report's case or its own id) with the
/// categories it was reported under.
async fn complaint_keys(
    tx: &mut Tx,
    ids: &[String],
) -> Result<BTreeMap<String, Vec<Category>>, StoreError> {
    let m = marks(ids.len(), 1);
    let sql = format!(
        "SELECT l.record_id AS k, c.origin_categories AS cats, NULL AS cat FROM entity_links l \
         JOIN cases c ON c.id = l.record_id WHERE l.record = 'case' AND l.entity_id IN ({m}) \
         UNION ALL \
         SELECT COALESCE(r.case_id, r.id) AS k, NULL AS cats, rc.category AS cat FROM entity_links l \
         JOIN reports r ON r.id = l.record_id \
         LEFT JOIN report_categories rc ON rc.report_id = r.id \
         WHERE l.record = 'report' AND l.entity_id IN ({m})"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for i in ids {
        q = q.bind(i.clone());
    }
    let rows = q.fetch_all(&mut *tx.tx).await?;
    let mut out: BTreeMap<String, Vec<Category>> = BTreeMap::new();
    for r in rows {
        let k: String = r.try_get("k")?;
        let entry = out.entry(k).or_default();
        let mut cats: Vec<Category> = r
            .try_get::<Option<String>, _>("cats")?
            .unwrap_or_default()
            .split(',')
            .filter_map(Category::parse)
            .collect();
        if let Some(c) = r
            .try_get::<Option<String>, _>("cat")?
            .as_deref()
            .and_then(Category::parse)
        {
            cats.push(c);
        }
        for c in cats {
            if !entry.contains(&c) {
                entry.push(c);
            }
        }
    }
    Ok(out)
}

/// Passes the record's own gate, for a change (`write`) or a read: `NotFound` (audited) when it
/// is missing or out of reach. A document is reached through its person's cases, a screening
/// through its case or report.
async fn gate_record(
    store: &Store,
    tx: Tx,
    actor: &Actor,
    record: LinkedRecord,
    record_id: Uuid,
    write: bool,
) -> Result<Tx, StoreError> {
    let what = if write { "entity.link" } else { "entity.links" };
    let (case_action, report_action) = if write {
        (Action::UpdateCase, Action::HandleReport)
    } else {
        (Action::ReadCase, Action::ReadReport)
    };
    match record {
        LinkedRecord::Case => {
            let (tx, _) = crate::casework::gate(tx, actor, record_id, case_action, what).await?;
            Ok(tx)
        }
        LinkedRecord::Report => store.report_gate(tx, actor, record_id, report_action).await,
        LinkedRecord::Document => {
            let mut tx = tx;
            let person: Option<(String,)> =
                sqlx::query_as("SELECT person_id FROM person_documents WHERE id = $1")
                    .bind(record_id.to_string())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            let Some((person,)) = person else {
                tx.audit(actor.event(what, "document", Some(record_id.to_string()), "not_found"))
                    .await?;
                tx.commit().await?;
                return Err(StoreError::NotFound);
            };
            let (tx, _) =
                crate::casework::person_gate(tx, actor, parse_uuid(&person)?, case_action, what)
                    .await?;
            Ok(tx)
        }
        LinkedRecord::Screening => {
            let mut tx = tx;
            let row: Option<(Option<String>, Option<String>)> =
                sqlx::query_as("SELECT case_id, report_id FROM screenings WHERE id = $1")
                    .bind(record_id.to_string())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            match row {
                Some((Some(case), _)) => {
                    let (tx, _) =
                        crate::casework::gate(tx, actor, parse_uuid(&case)?, case_action, what)
                            .await?;
                    Ok(tx)
                }
                Some((None, Some(report))) => {
                    store
                        .report_gate(tx, actor, parse_uuid(&report)?, report_action)
                        .await
                }
                _ => {
                    tx.audit(actor.event(
                        what,
                        "screening",
                        Some(record_id.to_string()),
                        "not_found",
                    ))
                    .await?;
                    tx.commit().await?;
                    Err(StoreError::NotFound)
                }
            }
        }
    }
}

/// Reads a report through the triage gate for `action`: `NotFound` (audited, committed)
/// otherwise.
impl Store {
    pub(crate) async fn report_gate(
        &self,
        mut tx: Tx,
        actor: &Actor,
        id: Uuid,
        action: Action,
    ) -> Result<Tx, StoreError> {
        match self.report_for(&mut tx, actor, id, action).await {
            Ok(_) => Ok(tx),
            Err(e) => {
                tx.commit().await?;
                Err(e)
            }
        }
    }

    /// Names an entity from a record the actor may change, with its role. Naming an entity
    /// that was merged names its survivor; naming it twice in the same role changes nothing.
    pub async fn link_entity(
        &self,
        actor: &Actor,
        record: LinkedRecord,
        record_id: Uuid,
        entity_id: Uuid,
        role: LinkRole,
    ) -> Result<Uuid, StoreError> {
        let tx = self
            .entity_gate(
                actor,
                EntityAction::Write,
                "entity.link",
                Some(record_id.to_string()),
            )
            .await?;
        let mut tx = gate_record(self, tx, actor, record, record_id, true).await?;
        let Some(entity) = survivor(&mut tx, entity_id).await? else {
            return Err(StoreError::invalid(
                "entity_id",
                ErrorCode::Unknown,
                "no entity in the register has this id",
            ));
        };
        let existing: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM entity_links WHERE entity_id = $1 AND record = $2 AND record_id = $3 \
             AND role = $4",
        )
        .bind(entity.to_string())
        .bind(record.as_str())
        .bind(record_id.to_string())
        .bind(role.as_str())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let id = match existing {
            Some((id,)) => parse_uuid(&id)?,
            None => {
                let id = Uuid::now_v7();
                insert(&mut tx, actor, id, entity, record, record_id, role).await?;
                id
            }
        };
        tx.audit(actor.event("entity.link", "entity", Some(entity.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a link made by mistake: only the organisation that made it, through the
    /// record's own gate (a record out of reach, a link of another organisation or of another
    /// record is `NotFound`, audited). The audit names the link and the entity by id only; the
    /// network's counts drop with it.
    pub async fn unlink_entity(
        &self,
        actor: &Actor,
        record: LinkedRecord,
        record_id: Uuid,
        link_id: Uuid,
    ) -> Result<(), StoreError> {
        let what = "entity.unlink";
        let tx = self
            .entity_gate(actor, EntityAction::Write, what, Some(link_id.to_string()))
            .await?;
        let mut tx = gate_record(self, tx, actor, record, record_id, true).await?;
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT entity_id FROM entity_links WHERE id = $1 AND record = $2 \
             AND record_id = $3 AND org_id = $4",
        )
        .bind(link_id.to_string())
        .bind(record.as_str())
        .bind(record_id.to_string())
        .bind(actor.org_id().to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((entity,)) = found else {
            tx.audit(actor.event(what, "entity_link", Some(link_id.to_string()), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        sqlx::query("DELETE FROM entity_links WHERE id = $1")
            .bind(link_id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event(what, "entity", Some(entity), "ok"))
            .await?;
        tx.commit().await
    }

    /// The entities a record names, for its own organisation (through the record's gate).
    pub async fn record_entities(
        &self,
        actor: &Actor,
        record: LinkedRecord,
        record_id: Uuid,
    ) -> Result<Vec<EntityLink>, StoreError> {
        let tx = self
            .entity_gate(
                actor,
                EntityAction::Read,
                "entity.links",
                Some(record_id.to_string()),
            )
            .await?;
        let mut tx = gate_record(self, tx, actor, record, record_id, false).await?;
        let links = read_links(
            &mut tx,
            "l.record = $1 AND l.record_id = $2 AND l.org_id = $3",
            &[
                record.as_str().to_string(),
                record_id.to_string(),
                actor.org_id().to_string(),
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(links
            .into_iter()
            .filter(|l| link_visible(actor.org_id(), l.org_id))
            .collect())
    }

    /// What names an entity, as the actor may see it: the links of the actor's own
    /// organisation, and the network's complaints by category (each withheld under k).
    pub async fn entity_links(
        &self,
        actor: &Actor,
        entity_id: Uuid,
    ) -> Result<(Vec<EntityLink>, Vec<Cell>), StoreError> {
        let mut tx = self
            .entity_gate(
                actor,
                EntityAction::Read,
                "entity.links",
                Some(entity_id.to_string()),
            )
            .await?;
        let ids = family(&mut tx, &entity_id.to_string()).await?;
        let m = marks(ids.len(), 2);
        let mut binds = vec![actor.org_id().to_string()];
        binds.extend(ids.iter().cloned());
        let links = read_links(
            &mut tx,
            &format!("l.org_id = $1 AND l.entity_id IN ({m})"),
            &binds,
        )
        .await?;
        let links: Vec<EntityLink> = links
            .into_iter()
            .filter(|l| link_visible(actor.org_id(), l.org_id))
            .collect();
        let complaints = complaint_keys(&mut tx, &ids).await?;
        let mut by_category: BTreeMap<&'static str, u64> = BTreeMap::new();
        for cats in complaints.values() {
            for c in cats {
                *by_category.entry(c.as_str()).or_default() += 1;
            }
        }
        let counts: Vec<(String, u64)> = by_category
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        tx.audit(actor.event("entity.links", "entity", Some(entity_id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok((links, suppress(&counts, DEFAULT_MIN_CELL)))
    }
}

async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    entity: Uuid,
    record: LinkedRecord,
    record_id: Uuid,
    role: LinkRole,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO entity_links (id, entity_id, record, record_id, role, org_id, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(entity.to_string())
    .bind(record.as_str())
    .bind(record_id.to_string())
    .bind(role.as_str())
    .bind(actor.org_id().to_string())
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

async fn read_links(
    tx: &mut Tx,
    filter: &str,
    binds: &[String],
) -> Result<Vec<EntityLink>, StoreError> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT l.id, l.entity_id, l.record, l.record_id, l.role, l.created_at, l.org_id, e.kind, e.name, \
         e.name_sealed FROM entity_links l JOIN entities e ON e.id = l.entity_id \
         WHERE {filter} ORDER BY l.created_at, l.id"
    )));
    for b in binds {
        q = q.bind(b.clone());
    }
    let rows = q.fetch_all(&mut *tx.tx).await?;
    rows.iter()
        .map(|r| {
            let entity: String = r.try_get("entity_id")?;
            let entity_name = match r.try_get::<Option<Vec<u8>>, _>("name_sealed")? {
                Some(s) => {
                    tx.keys
                        .open_str(crate::keys::Field::EntityHouseholdName, &entity, &s)?
                }
                None => r.try_get("name")?,
            };
            Ok(EntityLink {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                entity_id: parse_uuid(&entity)?,
                entity_name,
                record: LinkedRecord::parse(&r.try_get::<String, _>("record")?)
                    .ok_or(StoreError::Corrupt("link record"))?,
                record_id: parse_uuid(&r.try_get::<String, _>("record_id")?)?,
                role: LinkRole::parse(&r.try_get::<String, _>("role")?)
                    .ok_or(StoreError::Corrupt("link role"))?,
                created_at: r.try_get("created_at")?,
                org_id: parse_uuid(&r.try_get::<String, _>("org_id")?)?,
            })
        })
        .collect()
}

/// In the transaction that opens a case from a report: the case names what the report named,
/// in the same roles (a report and its case count as one complaint).
pub(crate) async fn carry_links(
    tx: &mut Tx,
    actor: &Actor,
    report_id: &str,
    case_id: Uuid,
) -> Result<(), StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT entity_id, role FROM entity_links WHERE record = 'report' AND record_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(report_id)
    .fetch_all(&mut *tx.tx)
    .await?;
    for (entity, role) in rows {
        let role = LinkRole::parse(&role).ok_or(StoreError::Corrupt("link role"))?;
        insert(
            tx,
            actor,
            Uuid::now_v7(),
            parse_uuid(&entity)?,
            LinkedRecord::Case,
            case_id,
            role,
        )
        .await?;
    }
    Ok(())
}
