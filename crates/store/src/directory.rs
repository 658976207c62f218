//! The service directory: every organisation's services, searched by need, place and language,
//! with the capacity the provider keeps current. An entry is an organisation's offer, not a
//! person, so every signed-in user but immigration enforcement reads the whole directory
//! (`core::services::directory_access` decides). The address is sealed at rest and opened only
//! for the owning organisation, or for everyone once the provider marks it public; the public
//! finder reads entries marked public and never a confidential address.
//!
//! Writes go through the owning organisation (administrators and supervisors manage entries;
//! the staff who admit people keep capacity current) and are audited in their transaction.
//! Entries and capacity are versioned (`UPDATE … WHERE version = $expected`), and one place
//! taken or freed is a single conditional statement, so concurrent updates lose nothing.

use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Authority, Store, StoreError};
use passage_core::services::{
    AgeGroup, Capacity, DirectoryAction, Eligibility, RawService, ServedSex, ServiceEntry,
    ServiceKind, address_visible, directory_access,
};
use passage_core::{Country, ErrorCode, OrgKind};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// Most entries one search returns.
pub const SEARCH_LIMIT: i64 = 500;

/// The capacity of a service as last kept, with who and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CapacityNow {
    pub free: i64,
    pub total: i64,
    pub full: bool,
    /// Milliseconds since the Unix epoch: how fresh the figure is.
    pub updated_at: i64,
    /// What the next versioned change must name.
    pub version: i64,
}

/// One directory entry as its reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryService {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub name: String,
    pub kind: ServiceKind,
    pub description: Option<String>,
    pub country: Country,
    pub other_countries: Vec<Country>,
    pub regions: Vec<String>,
    pub languages: Vec<String>,
    pub eligibility_sex: ServedSex,
    pub eligibility_ages: AgeGroup,
    pub status_blind: bool,
    pub hours: Option<String>,
    pub contact: Option<String>,
    /// Only when the reader may see it (their own organisation's, or made public).
    pub address: Option<String>,
    pub address_public: bool,
    pub public: bool,
    pub capacity: Option<CapacityNow>,
    /// Within how many hours the service answers a referral (its overdue reminder's clock).
    pub answer_hours: i64,
    pub version: i64,
    pub updated_at: i64,
}

/// What a directory search asks for; every filter optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    pub kind: Option<ServiceKind>,
    /// Served there: the service's country or one it covers.
    pub country: Option<Country>,
    pub language: Option<String>,
    pub organisation: Option<Uuid>,
}

const COLUMNS: &str = "s.id, s.org_id, o.name AS org_name, s.name, s.kind, s.description, s.country, \
     s.sex, s.ages, s.status_blind, s.hours, s.contact, s.address, s.address_public, s.public, \
     s.answer_hours, s.version, s.updated_at, c.free AS cap_free, c.total AS cap_total, \
     c.updated_at AS cap_updated_at, c.version AS cap_version";

const FROM: &str = "FROM directory_services s JOIN organisations o ON o.id = s.org_id \
     LEFT JOIN directory_capacity c ON c.service_id = s.id";

fn bool_of(row: &sqlx::any::AnyRow, col: &str) -> Result<bool, StoreError> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

fn blank(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// Reads a row for a reader of organisation `reader` (`None`: the public).
fn from_row(
    keys: &crate::Keys,
    row: &sqlx::any::AnyRow,
    reader: Option<Uuid>,
) -> Result<DirectoryService, StoreError> {
    let id: String = row.try_get("id")?;
    let owner = parse_uuid(&row.try_get::<String, _>("org_id")?)?;
    let address_public = bool_of(row, "address_public")?;
    let address = if address_visible(reader, owner, address_public) {
        row.try_get::<Option<Vec<u8>>, _>("address")?
            .map(|b| keys.open_str(Field::DirectoryServiceAddress, &id, &b))
            .transpose()?
    } else {
        None
    };
    let capacity = match (
        row.try_get::<Option<i64>, _>("cap_free")?,
        row.try_get::<Option<i64>, _>("cap_total")?,
        row.try_get::<Option<i64>, _>("cap_updated_at")?,
        row.try_get::<Option<i64>, _>("cap_version")?,
    ) {
        (Some(free), Some(total), Some(updated_at), Some(version)) => Some(CapacityNow {
            free,
            total,
            full: Capacity { free, total }.full(),
            updated_at,
            version,
        }),
        _ => None,
    };
    Ok(DirectoryService {
        id: parse_uuid(&id)?,
        organisation_id: owner,
        organisation_name: row.try_get("org_name")?,
        name: row.try_get("name")?,
        kind: ServiceKind::parse(&row.try_get::<String, _>("kind")?)
            .ok_or(StoreError::Corrupt("service kind"))?,
        description: blank(row.try_get("description")?),
        country: Country::parse(&row.try_get::<String, _>("country")?)
            .ok_or(StoreError::Corrupt("country"))?,
        other_countries: Vec::new(),
        regions: Vec::new(),
        languages: Vec::new(),
        eligibility_sex: ServedSex::parse(&row.try_get::<String, _>("sex")?)
            .ok_or(StoreError::Corrupt("served sex"))?,
        eligibility_ages: AgeGroup::parse(&row.try_get::<String, _>("ages")?)
            .ok_or(StoreError::Corrupt("age group"))?,
        status_blind: bool_of(row, "status_blind")?,
        hours: blank(row.try_get("hours")?),
        contact: blank(row.try_get("contact")?),
        address,
        address_public,
        public: bool_of(row, "public")?,
        capacity,
        answer_hours: row.try_get("answer_hours")?,
        version: row.try_get("version")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Asks the directory rule; a refusal is audited (and committed) before it is answered.
async fn gate(
    mut tx: Tx,
    actor: &Actor,
    action: DirectoryAction,
    owner: Uuid,
    what: &str,
    object: Option<String>,
) -> Result<Tx, StoreError> {
    match directory_access(actor.principal(), action, owner) {
        Ok(()) => Ok(tx),
        Err(reason) => {
            tx.audit(actor.event(what, "directory_service", object, "denied"))
                .await?;
            tx.commit().await?;
            Err(StoreError::Forbidden(reason))
        }
    }
}

impl Store {
    /// Reads rows and fills in their languages and coverage.
    async fn directory_rows(
        &self,
        conn: &mut sqlx::AnyConnection,
        filter: &str,
        binds: Vec<String>,
        reader: Option<Uuid>,
    ) -> Result<Vec<DirectoryService>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE o.kind <> 'immigration_enforcement' {filter} \
             ORDER BY s.name, s.id LIMIT {SEARCH_LIMIT}"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            q = q.bind(b.clone());
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let mut services = rows
            .iter()
            .map(|r| from_row(&self.keys, r, reader))
            .collect::<Result<Vec<_>, _>>()?;
        if services.is_empty() {
            return Ok(services);
        }
        let marks: Vec<String> = (1..=services.len()).map(|i| format!("${i}")).collect();
        let ids: Vec<String> = services.iter().map(|s| s.id.to_string()).collect();
        let in_list = marks.join(", ");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT service_id, language FROM directory_service_languages \
             WHERE service_id IN ({in_list}) ORDER BY language"
        )));
        for id in &ids {
            q = q.bind(id.clone());
        }
        let languages = q.fetch_all(&mut *conn).await?;
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT service_id, country, region FROM directory_service_coverage \
             WHERE service_id IN ({in_list}) ORDER BY country, region"
        )));
        for id in &ids {
            q = q.bind(id.clone());
        }
        let coverage = q.fetch_all(&mut *conn).await?;
        for s in &mut services {
            let id = s.id.to_string();
            for r in &languages {
                if r.try_get::<String, _>("service_id")? == id {
                    s.languages.push(r.try_get("language")?);
                }
            }
            for r in &coverage {
                if r.try_get::<String, _>("service_id")? != id {
                    continue;
                }
                let region: String = r.try_get("region")?;
                if region.is_empty() {
                    let c = Country::parse(&r.try_get::<String, _>("country")?)
                        .ok_or(StoreError::Corrupt("country"))?;
                    s.other_countries.push(c);
                } else {
                    s.regions.push(region);
                }
            }
        }
        Ok(services)
    }

    fn query_filter(q: &DirectoryQuery, public_only: bool) -> (String, Vec<String>) {
        let mut filter = String::new();
        let mut binds = Vec::new();
        fn next(binds: &mut Vec<String>, v: String) -> String {
            binds.push(v);
            format!("${}", binds.len())
        }
        if let Some(k) = q.kind {
            let m = next(&mut binds, k.as_str().to_string());
            filter.push_str(&format!(" AND s.kind = {m}"));
        }
        if let Some(c) = q.country {
            let m = next(&mut binds, c.as_str().to_string());
            filter.push_str(&format!(
                " AND (s.country = {m} OR EXISTS (SELECT 1 FROM directory_service_coverage v \
                 WHERE v.service_id = s.id AND v.country = {m} AND v.region = ''))"
            ));
        }
        if let Some(l) = &q.language {
            let m = next(&mut binds, l.clone());
            filter.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM directory_service_languages l \
                 WHERE l.service_id = s.id AND l.language = {m})"
            ));
        }
        if let Some(o) = q.organisation {
            let m = next(&mut binds, o.to_string());
            filter.push_str(&format!(" AND s.org_id = {m}"));
        }
        if public_only {
            filter.push_str(" AND s.public = 1");
        }
        (filter, binds)
    }

    /// Searches the directory by need, place and language. Immigration enforcement is refused
    /// (and the attempt audited): the directory tells where migrants find help.
    pub async fn service_directory(
        &self,
        actor: &Actor,
        query: &DirectoryQuery,
    ) -> Result<Vec<DirectoryService>, StoreError> {
        self.check_read(actor).await?;
        let (filter, binds) = Store::query_filter(query, false);
        let mut conn = self.pool.acquire().await?;
        self.directory_rows(&mut conn, &filter, binds, Some(actor.org_id()))
            .await
    }

    /// One entry, as [`Store::service_directory`] shows it.
    pub async fn service_entry(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<DirectoryService, StoreError> {
        self.check_read(actor).await?;
        let mut conn = self.pool.acquire().await?;
        self.directory_rows(
            &mut conn,
            " AND s.id = $1",
            vec![id.to_string()],
            Some(actor.org_id()),
        )
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
    }

    async fn check_read(&self, actor: &Actor) -> Result<(), StoreError> {
        if let Err(reason) =
            directory_access(actor.principal(), DirectoryAction::Read, actor.org_id())
        {
            let mut tx = self.begin().await?;
            tx.audit(actor.event("directory.read", "directory", None, "denied"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::Forbidden(reason));
        }
        Ok(())
    }

    /// The entries a provider marked public, for the public service finder: no sign-in, never
    /// a confidential address.
    pub async fn public_service_directory(
        &self,
        query: &DirectoryQuery,
    ) -> Result<Vec<DirectoryService>, StoreError> {
        let (filter, binds) = Store::query_filter(query, true);
        let mut conn = self.pool.acquire().await?;
        self.directory_rows(&mut conn, &filter, binds, None).await
    }

    /// Adds a service of organisation `org_id`: its administrators and supervisors, or the
    /// operator (the demo world). The organisation's kind decides what it may offer:
    /// immigration enforcement nothing.
    pub async fn create_service_entry(
        &self,
        by: &Authority,
        org_id: Uuid,
        raw: &RawService,
    ) -> Result<DirectoryService, StoreError> {
        let mut tx = self.begin().await?;
        if let Authority::User(actor) = by {
            tx = gate(
                tx,
                actor,
                DirectoryAction::Manage,
                org_id,
                "directory.create",
                None,
            )
            .await?;
        }
        let kind = org_kind(&mut tx, org_id).await?;
        if kind == OrgKind::ImmigrationEnforcement {
            return Err(StoreError::Forbidden(
                passage_core::DenyReason::ImmigrationFirewall,
            ));
        }
        let entry = raw.validate(kind).map_err(StoreError::Invalid)?;
        let id = Uuid::now_v7().to_string();
        let address = seal_address(&tx.keys, &id, &entry)?;
        let user = match by {
            Authority::User(a) => Some(a.user_id().to_string()),
            Authority::Operator(_) => None,
        };
        sqlx::query(
            "INSERT INTO directory_services (id, org_id, name, kind, description, country, sex, ages, \
             status_blind, hours, contact, address, address_public, public, version, created_by, \
             created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16, $15, $16)",
        )
        .bind(&id)
        .bind(org_id.to_string())
        .bind(&entry.name)
        .bind(entry.kind.as_str())
        .bind(entry.description.clone().unwrap_or_default())
        .bind(entry.country.as_str().to_string())
        .bind(entry.eligibility.sex.as_str())
        .bind(entry.eligibility.ages.as_str())
        .bind(i64::from(entry.eligibility.status_blind))
        .bind(entry.hours.clone().unwrap_or_default())
        .bind(entry.contact.clone().unwrap_or_default())
        .bind(address)
        .bind(i64::from(entry.address_public))
        .bind(i64::from(entry.public))
        .bind(user)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        write_lists(&mut tx, &id, &entry).await?;
        tx.audit(by.event(
            "directory.create",
            "directory_service",
            Some(id.clone()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        self.entry_for(org_id, &id).await
    }

    /// Changes a service of the actor's organisation, at the version they read.
    pub async fn update_service_entry(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: i64,
        raw: &RawService,
    ) -> Result<DirectoryService, StoreError> {
        let mut tx = self.begin().await?;
        let (owner, version) = owner_of(&mut tx, id).await?;
        let mut tx = gate(
            tx,
            actor,
            DirectoryAction::Manage,
            owner,
            "directory.update",
            Some(id.to_string()),
        )
        .await?;
        let kind = org_kind(&mut tx, owner).await?;
        let entry = raw.validate(kind).map_err(StoreError::Invalid)?;
        let key = id.to_string();
        let address = seal_address(&tx.keys, &key, &entry)?;
        let changed = sqlx::query(
            "UPDATE directory_services SET name = $1, kind = $2, description = $3, country = $4, \
             sex = $5, ages = $6, status_blind = $7, hours = $8, contact = $9, address = $10, \
             address_public = $11, public = $12, version = version + 1, updated_by = $13, \
             updated_at = $14 WHERE id = $15 AND version = $16",
        )
        .bind(&entry.name)
        .bind(entry.kind.as_str())
        .bind(entry.description.clone().unwrap_or_default())
        .bind(entry.country.as_str().to_string())
        .bind(entry.eligibility.sex.as_str())
        .bind(entry.eligibility.ages.as_str())
        .bind(i64::from(entry.eligibility.status_blind))
        .bind(entry.hours.clone().unwrap_or_default())
        .bind(entry.contact.clone().unwrap_or_default())
        .bind(address)
        .bind(i64::from(entry.address_public))
        .bind(i64::from(entry.public))
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .bind(expected_version)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::VersionConflict { current: version });
        }
        for table in ["directory_service_languages", "directory_service_coverage"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE service_id = $1"
            )))
            .bind(&key)
            .execute(&mut *tx.tx)
            .await?;
        }
        write_lists(&mut tx, &key, &entry).await?;
        tx.audit(actor.event(
            "directory.update",
            "directory_service",
            Some(key.clone()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        self.entry_for(actor.org_id(), &key).await
    }

    /// Sets the free places and the total of a service (checked at the edge,
    /// `Capacity::check`). With `expected_version` (what the
    /// form or client read; 0 when there was no figure yet) the change applies only if nobody
    /// changed the figure since, else `VersionConflict`.
    pub async fn set_service_capacity(
        &self,
        actor: &Actor,
        id: Uuid,
        capacity: Capacity,
        expected_version: Option<i64>,
    ) -> Result<CapacityNow, StoreError> {
        let mut tx = self.begin().await?;
        let (owner, _) = owner_of(&mut tx, id).await?;
        let mut tx = gate(
            tx,
            actor,
            DirectoryAction::UpdateCapacity,
            owner,
            "directory.capacity",
            Some(id.to_string()),
        )
        .await?;
        let key = id.to_string();
        let current = capacity_version(&mut tx, &key).await?;
        let user = actor.user_id().to_string();
        match (current, expected_version) {
            (Some(v), Some(e)) if v != e => return Err(StoreError::VersionConflict { current: v }),
            (None, Some(e)) if e != 0 => return Err(StoreError::VersionConflict { current: 0 }),
            (Some(v), _) => {
                let changed = sqlx::query(
                    "UPDATE directory_capacity SET free = $1, total = $2, version = version + 1, \
                     updated_at = $3, updated_by = $4 WHERE service_id = $5 AND version = $6",
                )
                .bind(capacity.free)
                .bind(capacity.total)
                .bind(tx.now)
                .bind(&user)
                .bind(&key)
                .bind(v)
                .execute(&mut *tx.tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::VersionConflict { current: v });
                }
            }
            (None, _) => {
                sqlx::query(
                    "INSERT INTO directory_capacity (service_id, free, total, version, updated_at, updated_by) \
                     VALUES ($1, $2, $3, 1, $4, $5)",
                )
                .bind(&key)
                .bind(capacity.free)
                .bind(capacity.total)
                .bind(tx.now)
                .bind(&user)
                .execute(&mut *tx.tx)
                .await
                .map_err(|e| match StoreError::unique(e, "capacity") {
                    StoreError::Conflict(_) => StoreError::VersionConflict { current: 1 },
                    other => other,
                })?;
            }
        }
        let now = read_capacity(&mut tx, &key).await?;
        tx.audit(actor.event("directory.capacity", "directory_service", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        now.ok_or(StoreError::NotFound)
    }

    /// One place taken (`delta` −1) or freed (+1), in one conditional statement: two people
    /// admitting at once both count. Refused when it would go below none or above the total.
    pub async fn adjust_service_capacity(
        &self,
        actor: &Actor,
        id: Uuid,
        delta: i64,
    ) -> Result<CapacityNow, StoreError> {
        if delta != 1 && delta != -1 {
            return Err(StoreError::invalid(
                "delta",
                ErrorCode::InvalidValue,
                "one place at a time: +1 or -1",
            ));
        }
        let mut tx = self.begin().await?;
        let (owner, _) = owner_of(&mut tx, id).await?;
        let mut tx = gate(
            tx,
            actor,
            DirectoryAction::UpdateCapacity,
            owner,
            "directory.capacity",
            Some(id.to_string()),
        )
        .await?;
        let key = id.to_string();
        let changed = sqlx::query(
            "UPDATE directory_capacity SET free = free + $1, version = version + 1, \
             updated_at = $2, updated_by = $3 \
             WHERE service_id = $4 AND free + $1 >= 0 AND free + $1 <= total",
        )
        .bind(delta)
        .bind(tx.now)
        .bind(actor.user_id().to_string())
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let message = match read_capacity(&mut tx, &key).await? {
                None => "set the number of places first",
                Some(_) if delta < 0 => "no place is free: the service is full",
                Some(_) => "every place is free already",
            };
            return Err(StoreError::invalid(
                "free",
                ErrorCode::InvalidValue,
                message,
            ));
        }
        let now = read_capacity(&mut tx, &key).await?;
        tx.audit(actor.event("directory.capacity", "directory_service", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        now.ok_or(StoreError::NotFound)
    }

    async fn entry_for(&self, reader: Uuid, id: &str) -> Result<DirectoryService, StoreError> {
        let mut conn = self.pool.acquire().await?;
        self.directory_rows(
            &mut conn,
            " AND s.id = $1",
            vec![id.to_string()],
            Some(reader),
        )
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
    }
}

fn seal_address(
    keys: &crate::Keys,
    id: &str,
    entry: &ServiceEntry,
) -> Result<Option<Vec<u8>>, StoreError> {
    entry
        .address
        .as_deref()
        .map(|a| keys.seal_str(Field::DirectoryServiceAddress, id, a))
        .transpose()
}

async fn org_kind(tx: &mut Tx, org: Uuid) -> Result<OrgKind, StoreError> {
    let row = sqlx::query("SELECT kind FROM organisations WHERE id = $1")
        .bind(org.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    OrgKind::parse(&row.try_get::<String, _>("kind")?)
        .ok_or(StoreError::Corrupt("organisation kind"))
}

async fn owner_of(tx: &mut Tx, id: Uuid) -> Result<(Uuid, i64), StoreError> {
    let row = sqlx::query("SELECT org_id, version FROM directory_services WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((
        parse_uuid(&row.try_get::<String, _>("org_id")?)?,
        row.try_get("version")?,
    ))
}

async fn capacity_version(tx: &mut Tx, key: &str) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT version FROM directory_capacity WHERE service_id = $1")
        .bind(key)
        .fetch_optional(&mut *tx.tx)
        .await?;
    row.map(|r| r.try_get("version"))
        .transpose()
        .map_err(Into::into)
}

async fn read_capacity(tx: &mut Tx, key: &str) -> Result<Option<CapacityNow>, StoreError> {
    let row = sqlx::query(
        "SELECT free, total, updated_at, version FROM directory_capacity WHERE service_id = $1",
    )
    .bind(key)
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|r| {
        let free: i64 = r.try_get("free")?;
        let total: i64 = r.try_get("total")?;
        Ok(CapacityNow {
            free,
            total,
            full: Capacity { free, total }.full(),
            updated_at: r.try_get("updated_at")?,
            version: r.try_get("version")?,
        })
    })
    .transpose()
}

async fn write_lists(tx: &mut Tx, id: &str, entry: &ServiceEntry) -> Result<(), StoreError> {
    for l in &entry.languages {
        sqlx::query(
            "INSERT INTO directory_service_languages (service_id, language) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(l)
        .execute(&mut *tx.tx)
        .await?;
    }
    let places = entry
        .other_countries
        .iter()
        .map(|c| (c.as_str().to_string(), String::new()))
        .chain(
            entry
                .regions
                .iter()
                .map(|r| (entry.country.as_str().to_string(), r.clone())),
        );
    for (country, region) in places {
        sqlx::query(
            "INSERT INTO directory_service_coverage (service_id, country, region) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(country)
        .bind(region)
        .execute(&mut *tx.tx)
        .await?;
    }
    Ok(())
}

/// The eligibility of an entry, in one value.
impl DirectoryService {
    pub fn eligibility(&self) -> Eligibility {
        Eligibility {
            sex: self.eligibility_sex,
            ages: self.eligibility_ages,
            status_blind: self.status_blind,
        }
    }
}
