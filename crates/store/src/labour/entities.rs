//! The register: entities added, found by name or licence number, their licence kept current,
//! confirmed sanctions recorded, workplaces added, duplicates merged and unmerged, and the
//! public recruiter check.
//!
//! A merge keeps both rows: the absorbed one points to the survivor (`merged_into`) and drops
//! out of searches; what named it counts for the survivor. Undoing the merge clears the
//! pointer, and each row counts its own links again. Both are a supervisor's, audited.

use super::links::complaint_count;
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Authority, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::labour::entities::{
    EntityAction, EntityKind, Licence, LicenceStatus, RawEntity, Sanction, Sector, entity_access,
    public_entry, safe_count, workplace,
};
use passage_core::stats::DEFAULT_MIN_CELL;
use passage_core::validate::Problems;
use passage_core::{Country, ErrorCode};
use passage_linkage::business::{OFFER, business_name, similarity};
use sqlx::Row;
use uuid::Uuid;

/// Most entities one search returns.
pub const SEARCH_LIMIT: usize = 50;
/// Most rows a search compares (the register of one deployment stays well under it).
const SCAN_LIMIT: i64 = 20_000;

/// An entity as a search lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySummary {
    pub id: Uuid,
    pub name: String,
    pub kind: EntityKind,
    pub country: Country,
    pub licence_number: Option<String>,
    pub licence_status: LicenceStatus,
    /// Reports and cases naming it across the network; `None` under k.
    pub complaints: Option<u64>,
    /// How alike its name is to what was searched (1 for a licence number).
    pub score: f64,
}

/// A confirmed sanction as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionView {
    pub id: Uuid,
    pub description: String,
    pub authority: String,
    pub decided_on: String,
}

/// One entity, as a member of staff reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityDetail {
    pub id: Uuid,
    pub name: String,
    pub kind: EntityKind,
    pub country: Country,
    pub licence_number: Option<String>,
    pub licence_status: LicenceStatus,
    pub licence_authority: Option<String>,
    pub licence_date: Option<String>,
    pub sector: Option<Sector>,
    /// The survivor, when this row was merged into it.
    pub merged_into: Option<Uuid>,
    /// Rows merged into this one: (id, name).
    pub absorbed: Vec<(Uuid, String)>,
    pub workplaces: Vec<String>,
    pub sanctions: Vec<SanctionView>,
    pub complaints: Option<u64>,
    pub version: i64,
}

/// What the public recruiter check shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRecruiter {
    pub id: Uuid,
    pub name: String,
    pub kind: EntityKind,
    pub country: Country,
    pub licence_number: Option<String>,
    pub licence_status: LicenceStatus,
    pub licence_authority: Option<String>,
    pub licence_date: Option<String>,
    pub sanctions: Vec<SanctionView>,
}

/// A row of `entities` as read.
pub(crate) struct EntityRow {
    pub(crate) id: Uuid,
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) kind: EntityKind,
    pub(crate) country: Country,
    licence_number: Option<String>,
    pub(crate) licence_status: LicenceStatus,
    licence_authority: Option<String>,
    licence_date: Option<String>,
    pub(crate) sector: Option<Sector>,
    merged_into: Option<Uuid>,
    version: i64,
}

const COLUMNS: &str = "id, kind, name, name_sealed, country, licence_number, licence_status, \
     licence_authority, licence_date, sector, merged_into, version";

fn entity_row(keys: &crate::Keys, r: &sqlx::any::AnyRow) -> Result<EntityRow, StoreError> {
    let key: String = r.try_get("id")?;
    let kind = EntityKind::parse(&r.try_get::<String, _>("kind")?)
        .ok_or(StoreError::Corrupt("entity kind"))?;
    let name = match r.try_get::<Option<Vec<u8>>, _>("name_sealed")? {
        Some(sealed) => keys.open_str(Field::EntityHouseholdName, &key, &sealed)?,
        None => r.try_get("name")?,
    };
    Ok(EntityRow {
        id: parse_uuid(&key)?,
        name,
        kind,
        country: Country::parse(&r.try_get::<String, _>("country")?)
            .ok_or(StoreError::Corrupt("country"))?,
        licence_number: r.try_get("licence_number")?,
        licence_status: LicenceStatus::parse(&r.try_get::<String, _>("licence_status")?)
            .ok_or(StoreError::Corrupt("licence status"))?,
        licence_authority: r.try_get("licence_authority")?,
        licence_date: r.try_get("licence_date")?,
        sector: r
            .try_get::<Option<String>, _>("sector")?
            .map(|s| Sector::parse(&s).ok_or(StoreError::Corrupt("sector")))
            .transpose()?,
        merged_into: r
            .try_get::<Option<String>, _>("merged_into")?
            .map(|m| parse_uuid(&m))
            .transpose()?,
        version: r.try_get("version")?,
        key,
    })
}

/// A licence number as compared: letters and digits, upper case.
fn licence_key(s: &str) -> String {
    passage_linkage::normalize::alnum_upper(s)
}

pub(crate) async fn load(tx: &mut Tx, id: Uuid) -> Result<EntityRow, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM entities WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    entity_row(&tx.keys, &row)
}

/// The entity and every row merged into it, directly or through another.
pub(crate) async fn family(tx: &mut Tx, id: &str) -> Result<Vec<String>, StoreError> {
    let mut all = vec![id.to_string()];
    let mut next = vec![id.to_string()];
    while !next.is_empty() && all.len() < 1_000 {
        let marks: Vec<String> = (1..=next.len()).map(|i| format!("${i}")).collect();
        let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM entities WHERE merged_into IN ({}) ORDER BY id",
            marks.join(", ")
        )));
        for n in &next {
            q = q.bind(n.clone());
        }
        let found: Vec<String> = q
            .fetch_all(&mut *tx.tx)
            .await?
            .into_iter()
            .map(|(i,)| i)
            .filter(|i| !all.contains(i))
            .collect();
        all.extend(found.iter().cloned());
        next = found;
    }
    Ok(all)
}

/// The survivor a row now counts for: itself, or the end of its `merged_into` chain.
pub(crate) async fn survivor(tx: &mut Tx, id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let mut at = id.to_string();
    for _ in 0..100 {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT merged_into FROM entities WHERE id = $1")
                .bind(&at)
                .fetch_optional(&mut *tx.tx)
                .await?;
        match row {
            None => return Ok(None),
            Some((None,)) => return Ok(Some(parse_uuid(&at)?)),
            Some((Some(next),)) => at = next,
        }
    }
    Err(StoreError::Corrupt("entity merge chain"))
}

async fn sanctions(tx: &mut Tx, ids: &[String]) -> Result<Vec<SanctionView>, StoreError> {
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, description, authority, decided_on FROM entity_sanctions \
         WHERE entity_id IN ({}) ORDER BY decided_on DESC, id",
        marks.join(", ")
    )));
    for i in ids {
        q = q.bind(i.clone());
    }
    q.fetch_all(&mut *tx.tx)
        .await?
        .iter()
        .map(|r| {
            Ok(SanctionView {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                description: r.try_get("description")?,
                authority: r.try_get("authority")?,
                decided_on: r.try_get("decided_on")?,
            })
        })
        .collect()
}

/// Compares the typed text with each row: a licence number that matches exactly, or a name
/// alike enough to offer. Best first, at most [`SEARCH_LIMIT`].
fn matching(rows: Vec<EntityRow>, q: &str) -> Vec<(EntityRow, f64)> {
    let typed = business_name(q);
    let licence = licence_key(q);
    let mut out: Vec<(EntityRow, f64)> = rows
        .into_iter()
        .filter_map(|r| {
            if q.trim().is_empty() {
                return Some((r, 0.0));
            }
            let by_licence = !licence.is_empty()
                && r.licence_number.as_deref().map(licence_key) == Some(licence.clone());
            let score = if by_licence {
                1.0
            } else {
                similarity(&typed, &business_name(&r.name))
            };
            (score >= OFFER).then_some((r, score))
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.name.cmp(&b.0.name))
    });
    out.truncate(SEARCH_LIMIT);
    out
}

pub(crate) async fn active_rows(tx: &mut Tx, public: bool) -> Result<Vec<EntityRow>, StoreError> {
    let filter = if public {
        " AND kind <> 'household'"
    } else {
        ""
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM entities WHERE merged_into IS NULL{filter} \
         ORDER BY created_at DESC, id LIMIT {SCAN_LIMIT}"
    )))
    .fetch_all(&mut *tx.tx)
    .await?;
    rows.iter().map(|r| entity_row(&tx.keys, r)).collect()
}

impl Store {
    /// Adds an entity to the register; any member of staff but immigration enforcement, or the
    /// operator (the demo world). A household's name is sealed.
    pub async fn create_entity(&self, by: &Authority, raw: &RawEntity) -> Result<Uuid, StoreError> {
        let mut tx = match by {
            Authority::User(actor) => {
                self.entity_gate(actor, EntityAction::Write, "entity.create", None)
                    .await?
            }
            Authority::Operator(_) => self.begin().await?,
        };
        let e = raw.validate().map_err(StoreError::Invalid)?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let (name, sealed) = if e.kind == EntityKind::Household {
            (
                String::new(),
                Some(
                    tx.keys
                        .seal_str(Field::EntityHouseholdName, &key, &e.name)?,
                ),
            )
        } else {
            (e.name.clone(), None)
        };
        let user = match by {
            Authority::User(a) => Some(a.user_id().to_string()),
            Authority::Operator(_) => None,
        };
        sqlx::query(
            "INSERT INTO entities (id, kind, name, name_sealed, country, licence_number, \
             licence_status, sector, created_by, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, 'unknown', $7, $8, $9, $9, 1)",
        )
        .bind(&key)
        .bind(e.kind.as_str())
        .bind(name)
        .bind(sealed)
        .bind(e.country.as_str().to_string())
        .bind(e.licence_number.clone())
        .bind(e.sector.map(|s| s.as_str().to_string()))
        .bind(user)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(by.event("entity.create", "entity", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Finds entities by name (alike enough to offer, whatever the legal form, spacing, case or
    /// script) or by licence number; every active entity when `q` is empty. Each with the
    /// network's complaint count, withheld under k.
    pub async fn search_entities(
        &self,
        actor: &Actor,
        q: &str,
    ) -> Result<Vec<EntitySummary>, StoreError> {
        let mut tx = self
            .entity_gate(actor, EntityAction::Read, "entity.search", None)
            .await?;
        let rows = active_rows(&mut tx, false).await?;
        let found = matching(rows, q);
        let mut out = Vec::with_capacity(found.len());
        for (r, score) in found {
            let ids = family(&mut tx, &r.key).await?;
            let n = complaint_count(&mut tx, &ids).await?;
            out.push(EntitySummary {
                id: r.id,
                name: r.name,
                kind: r.kind,
                country: r.country,
                licence_number: r.licence_number,
                licence_status: r.licence_status,
                complaints: safe_count(n, DEFAULT_MIN_CELL),
                score,
            });
        }
        tx.audit(actor.event("entity.search", "entity", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One entity with its licence, sector, workplaces, confirmed sanctions and complaint
    /// count (withheld under k); merged rows name their survivor.
    pub async fn entity(&self, actor: &Actor, id: Uuid) -> Result<EntityDetail, StoreError> {
        let mut tx = self
            .entity_gate(
                actor,
                EntityAction::Read,
                "entity.read",
                Some(id.to_string()),
            )
            .await?;
        let r = match load(&mut tx, id).await {
            Ok(r) => r,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        let ids = family(&mut tx, &r.key).await?;
        let n = complaint_count(&mut tx, &ids).await?;
        let absorbed = {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM entities WHERE merged_into = $1 ORDER BY id"
            )))
            .bind(&r.key)
            .fetch_all(&mut *tx.tx)
            .await?;
            rows.iter()
                .map(|x| entity_row(&tx.keys, x).map(|e| (e.id, e.name)))
                .collect::<Result<Vec<_>, _>>()?
        };
        let places = {
            let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT id, address FROM entity_workplaces WHERE entity_id IN ({}) \
                 ORDER BY created_at, id",
                marks.join(", ")
            )));
            for i in &ids {
                q = q.bind(i.clone());
            }
            let rows = q.fetch_all(&mut *tx.tx).await?;
            rows.iter()
                .map(|w| {
                    let wid: String = w.try_get("id")?;
                    tx.keys.open_str(
                        Field::EntityWorkplaceAddress,
                        &wid,
                        &w.try_get::<Vec<u8>, _>("address")?,
                    )
                })
                .collect::<Result<Vec<_>, StoreError>>()?
        };
        let sanctions = sanctions(&mut tx, &ids).await?;
        tx.audit(actor.event("entity.read", "entity", Some(r.key.clone()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(EntityDetail {
            id: r.id,
            name: r.name,
            kind: r.kind,
            country: r.country,
            licence_number: r.licence_number,
            licence_status: r.licence_status,
            licence_authority: r.licence_authority,
            licence_date: r.licence_date,
            sector: r.sector,
            merged_into: r.merged_into,
            absorbed,
            workplaces: places,
            sanctions,
            complaints: safe_count(n, DEFAULT_MIN_CELL),
            version: r.version,
        })
    }

    /// Records a licence's number, status, authority and date (a supervisor or an inspector).
    /// `seen` is the entity's version the keeper read: when the entity changed since (another
    /// keeper recorded a newer status), nothing is written and the answer is
    /// `VersionConflict` with the version now stored (audited). The operator's demo and
    /// imports pass `None`.
    pub async fn update_licence(
        &self,
        by: &Authority,
        id: Uuid,
        seen: Option<i64>,
        licence: &Licence,
    ) -> Result<(), StoreError> {
        let mut tx = match by {
            Authority::User(actor) => {
                self.entity_gate(
                    actor,
                    EntityAction::UpdateLicence,
                    "entity.licence",
                    Some(id.to_string()),
                )
                .await?
            }
            Authority::Operator(_) => self.begin().await?,
        };
        let r = load(&mut tx, id).await?;
        if let Some(seen) = seen
            && seen != r.version
        {
            tx.audit(by.event("entity.licence", "entity", Some(r.key), "version_conflict"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::VersionConflict { current: r.version });
        }
        let number = licence.licence_number.clone().or(r.licence_number);
        let done = sqlx::query(
            "UPDATE entities SET licence_number = $1, licence_status = $2, licence_authority = $3, \
             licence_date = $4, updated_at = $5, version = version + 1 WHERE id = $6 \
             AND version = $7",
        )
        .bind(number)
        .bind(licence.status.as_str())
        .bind(licence.authority.clone())
        .bind(licence.decided_on.map(|d| d.to_string()))
        .bind(tx.now)
        .bind(&r.key)
        .bind(r.version)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::VersionConflict { current: r.version });
        }
        tx.audit(by.event("entity.licence", "entity", Some(r.key), "ok"))
            .await?;
        tx.commit().await
    }

    /// Records a sanction an inspectorate or a court confirmed: an inspector or a supervisor
    /// of a labour inspectorate (or the operator). It is shown on the public check.
    pub async fn confirm_sanction(
        &self,
        by: &Authority,
        org_id: Uuid,
        id: Uuid,
        sanction: &Sanction,
    ) -> Result<Uuid, StoreError> {
        let mut tx = match by {
            Authority::User(actor) => {
                self.entity_gate(
                    actor,
                    EntityAction::ConfirmSanction,
                    "entity.sanction",
                    Some(id.to_string()),
                )
                .await?
            }
            Authority::Operator(_) => self.begin().await?,
        };
        let org = match by {
            Authority::User(actor) => actor.org_id(),
            Authority::Operator(_) => org_id,
        };
        let r = load(&mut tx, id).await?;
        let sid = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO entity_sanctions (id, entity_id, description, authority, decided_on, \
             org_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(sid.to_string())
        .bind(&r.key)
        .bind(&sanction.description)
        .bind(&sanction.authority)
        .bind(sanction.decided_on.to_string())
        .bind(org.to_string())
        .bind(match by {
            Authority::User(a) => Some(a.user_id().to_string()),
            Authority::Operator(_) => None,
        })
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(by.event("entity.sanction", "entity", Some(r.key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(sid)
    }

    /// Adds a workplace address (sealed: a household's is a home).
    pub async fn add_workplace(
        &self,
        actor: &Actor,
        id: Uuid,
        address: &str,
    ) -> Result<(), StoreError> {
        let mut p = Problems::default();
        let address = workplace(&mut p, address);
        let mut tx = self
            .entity_gate(
                actor,
                EntityAction::Write,
                "entity.workplace",
                Some(id.to_string()),
            )
            .await?;
        let Some(address) = address else {
            return Err(StoreError::Invalid(p));
        };
        let r = load(&mut tx, id).await?;
        let wid = Uuid::now_v7().to_string();
        let sealed = tx
            .keys
            .seal_str(Field::EntityWorkplaceAddress, &wid, &address)?;
        sqlx::query(
            "INSERT INTO entity_workplaces (id, entity_id, address, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&wid)
        .bind(&r.key)
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("entity.workplace", "entity", Some(r.key), "ok"))
            .await?;
        tx.commit().await
    }

    /// Merges `absorbed` into `into` (a supervisor): both rows stay, the absorbed one points to
    /// the survivor and what named it counts for the survivor.
    pub async fn merge_entities(
        &self,
        actor: &Actor,
        absorbed: Uuid,
        into: Uuid,
    ) -> Result<(), StoreError> {
        let mut tx = self
            .entity_gate(
                actor,
                EntityAction::Merge,
                "entity.merge",
                Some(absorbed.to_string()),
            )
            .await?;
        let a = load(&mut tx, absorbed).await?;
        let Ok(s) = load(&mut tx, into).await else {
            return Err(StoreError::invalid(
                "into",
                ErrorCode::Unknown,
                "no entity has this id",
            ));
        };
        if a.merged_into.is_some() || s.merged_into.is_some() {
            return Err(StoreError::Rule {
                code: ErrorCode::AlreadyLinked,
                message: "one of the two is merged into another already: undo that first".into(),
            });
        }
        if family(&mut tx, &a.key).await?.contains(&s.key) {
            return Err(StoreError::invalid(
                "into",
                ErrorCode::InvalidValue,
                "an entity is not merged into itself",
            ));
        }
        sqlx::query(
            "UPDATE entities SET merged_into = $1, merged_at = $2, updated_at = $2, \
             version = version + 1 WHERE id = $3",
        )
        .bind(&s.key)
        .bind(tx.now)
        .bind(&a.key)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("entity.merge", "entity", Some(a.key), "ok"))
            .await?;
        tx.commit().await
    }

    /// Undoes a merge (a supervisor): the row stands on its own again.
    pub async fn unmerge_entity(&self, actor: &Actor, absorbed: Uuid) -> Result<(), StoreError> {
        let mut tx = self
            .entity_gate(
                actor,
                EntityAction::Merge,
                "entity.unmerge",
                Some(absorbed.to_string()),
            )
            .await?;
        let a = load(&mut tx, absorbed).await?;
        if a.merged_into.is_none() {
            return Err(StoreError::Rule {
                code: ErrorCode::AlreadyUndone,
                message: "this entity is not merged into another".into(),
            });
        }
        sqlx::query(
            "UPDATE entities SET merged_into = NULL, merged_at = NULL, updated_at = $1, \
             version = version + 1 WHERE id = $2",
        )
        .bind(tx.now)
        .bind(&a.key)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("entity.unmerge", "entity", Some(a.key), "ok"))
            .await?;
        tx.commit().await
    }

    /// The public recruiter check: no sign-in. By name or licence number; never a household,
    /// never a merged duplicate, never a complaint or who made it: the licence status from the
    /// register and the sanctions an inspectorate or court confirmed.
    pub async fn public_recruiters(&self, q: &str) -> Result<Vec<PublicRecruiter>, StoreError> {
        if q.trim().chars().count() < 2 {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let rows = active_rows(&mut tx, true).await?;
        let mut out = Vec::new();
        for (r, _) in matching(rows, q) {
            let ids = family(&mut tx, &r.key).await?;
            let confirmed = sanctions(&mut tx, &ids).await?;
            let as_core: Vec<Sanction> = confirmed
                .iter()
                .filter_map(|s| {
                    Some(Sanction {
                        description: s.description.clone(),
                        authority: s.authority.clone(),
                        decided_on: Day::parse(&s.decided_on)?,
                    })
                })
                .collect();
            if public_entry(
                &r.name,
                r.kind,
                r.merged_into.is_some(),
                r.licence_status,
                &as_core,
            )
            .is_none()
            {
                continue;
            }
            out.push(PublicRecruiter {
                id: r.id,
                name: r.name,
                kind: r.kind,
                country: r.country,
                licence_number: r.licence_number,
                licence_status: r.licence_status,
                licence_authority: r.licence_authority,
                licence_date: r.licence_date,
                sanctions: confirmed,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Whether the actor may do `action` on the register (for pages deciding which forms to
    /// show).
    pub fn may_on_entities(actor: &Actor, action: EntityAction) -> bool {
        entity_access(actor.principal(), action).is_ok()
    }
}
