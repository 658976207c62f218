//! Persons and cases: create, read, list and search, each through the access policy, each
//! audited in its own transaction, identity and narrative sealed field by field.

mod list;
mod named;
mod register;

pub use named::{NAMED_MAX, NameSearch};

use register::{Linkage, PreparedPerson};

use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::search;
use crate::{Actor, Keys, Store, StoreError};
use passage_core::policy::{Action, Decision, Relation, case_list_scope, decide};
use passage_core::records::{NewCase, NewPerson};
use passage_core::{CaseStatus, CaseType, Stage};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A person as an allowed reader sees them. `migration_status` is present only for those the
/// policy lets read it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonView {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub citizenships: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration_status: Option<String>,
    /// When the person was erased (their identity is gone; the case shell stays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erased_at: Option<i64>,
}

/// A case with its person.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseView {
    pub id: Uuid,
    pub types: Vec<CaseType>,
    pub stage: Stage,
    pub status: CaseStatus,
    pub summary: String,
    pub organisation_id: Uuid,
    pub assigned_to: Option<Uuid>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub person: PersonView,
    /// Risk, country, identification, outcome, deadlines and the next statuses.
    #[serde(flatten)]
    pub lifecycle: crate::casework::lifecycle::LifecycleView,
}

/// One line of a case list: no narrative.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseListItem {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub types: Vec<CaseType>,
    pub stage: Stage,
    pub status: CaseStatus,
    pub organisation_id: Uuid,
    pub created_at: i64,
}

/// Paging of lists.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: 50,
            offset: 0,
        }
    }
}

/// Up to this many people matching a name word, the list is driven from the name index.
const NAME_DRIVE_MAX: i64 = 1_000;

const CASE_COLUMNS: &str = "c.id, c.person_id, c.org_id, c.created_by, c.assigned_to, c.stage, c.status, c.summary, \
    c.created_at, c.updated_at, c.version, p.given_name, p.family_name, p.date_of_birth, p.sex, p.citizenships, \
    p.migration_status, p.given_name_latin, p.family_name_latin, p.erased_at";

fn relation_of(actor: &Actor, org: Uuid, created_by: &str, assigned_to: Option<&str>) -> Relation {
    crate::casework::relation(actor, org, created_by, assigned_to)
}

/// The actor's relation to a case row selected with `CASE_COLUMNS`.
fn row_relation(actor: &Actor, row: &sqlx::any::AnyRow) -> Result<Relation, StoreError> {
    Ok(relation_of(
        actor,
        parse_uuid(&row.try_get::<String, _>("org_id")?)?,
        &row.try_get::<String, _>("created_by")?,
        row.try_get::<Option<String>, _>("assigned_to")?.as_deref(),
    ))
}

impl Store {
    /// Registers a person in the actor's organisation. The person, their linkage keys and the
    /// mark that their duplicate check is due commit together; the check itself runs after the
    /// commit, outside the write lock (see `casework::duplicates::checks`).
    ///
    /// Everything computed (sealing, tags, keys, the audit event) is computed before the
    /// transaction takes the write lock; inside it the registration only writes
    /// (`register::PreparedPerson`).
    pub async fn create_person(&self, actor: &Actor, new: NewPerson) -> Result<Uuid, StoreError> {
        let person = PreparedPerson::new(&self.keys, actor, new, Linkage::Now)?;
        let id = person.id();
        let mut tx = self.begin().await?;
        let due = person.write(&mut tx).await?;
        tx.commit().await?;
        if due {
            self.registered(id).await;
        }
        Ok(id)
    }

    /// Opens a case for a person of the actor's organisation, assigned to the actor.
    pub async fn create_case(&self, actor: &Actor, new: NewCase) -> Result<Uuid, StoreError> {
        let mut tx = self.begin().await?;
        let id = insert_case(&mut tx, actor, new).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Whether the policy lets the actor change a case (its records and forms), as the write
    /// gate would decide: pages show their forms only then. Reads no personal data; a case
    /// that is missing is `false`.
    pub async fn may_change_case(&self, actor: &Actor, id: Uuid) -> Result<bool, StoreError> {
        let row: Option<(String, String, Option<String>)> =
            sqlx::query_as("SELECT org_id, created_by, assigned_to FROM cases WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        let Some((org, created_by, assigned_to)) = row else {
            return Ok(false);
        };
        let rel = crate::casework::relation(
            actor,
            parse_uuid(&org)?,
            &created_by,
            assigned_to.as_deref(),
        );
        Ok(decide(actor.principal(), Action::UpdateCase, rel).is_allowed())
    }

    /// Reads one case with its person. Missing and forbidden are the same `NotFound`, and both
    /// leave an audit event, so neither the answer nor its timing tells them apart.
    pub async fn get_case(&self, actor: &Actor, id: Uuid) -> Result<CaseView, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) =
            crate::casework::gate(tx, actor, id, Action::ReadCase, "case.read").await?;
        let rel = case.relation();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.id = $1"
        )))
        .bind(case.key())
        .fetch_one(&mut *tx.tx)
        .await?;
        let types = case_types(&mut tx, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let status = CaseStatus::parse(&row.try_get::<String, _>("status")?)
            .ok_or(StoreError::Corrupt("status"))?;
        let lifecycle = crate::casework::lifecycle::lifecycle_view(
            &mut tx,
            &self.profiles,
            &id.to_string(),
            status,
            row.try_get("created_at")?,
        )
        .await?;
        let mut lifecycle = lifecycle;
        lifecycle
            .deadlines
            .extend(crate::casework::proceedings::hearing_deadlines(&mut tx, actor, &case).await?);
        lifecycle.deadlines.sort_by(|a, b| a.due.cmp(&b.due));
        let view = self.case_view(actor, &tx.keys, &row, rel, types, lifecycle)?;
        tx.audit(actor.event("case.read", "case", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    fn case_view(
        &self,
        actor: &Actor,
        k: &Keys,
        row: &sqlx::any::AnyRow,
        rel: Relation,
        types: Vec<CaseType>,
        lifecycle: crate::casework::lifecycle::LifecycleView,
    ) -> Result<CaseView, StoreError> {
        let id: String = row.try_get("id")?;
        let pid: String = row.try_get("person_id")?;
        let open_opt = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
            row.try_get::<Option<Vec<u8>>, _>(col)?
                .map(|b| k.open_str(field, &pid, &b))
                .transpose()
        };
        let status_allowed =
            decide(actor.principal(), Action::ReadMigrationStatus, rel).is_allowed();
        Ok(CaseView {
            id: parse_uuid(&id)?,
            types,
            stage: Stage::parse(&row.try_get::<String, _>("stage")?)
                .ok_or(StoreError::Corrupt("stage"))?,
            status: CaseStatus::parse(&row.try_get::<String, _>("status")?)
                .ok_or(StoreError::Corrupt("status"))?,
            summary: k.open_str(
                Field::CaseSummary,
                &id,
                &row.try_get::<Vec<u8>, _>("summary")?,
            )?,
            organisation_id: parse_uuid(&row.try_get::<String, _>("org_id")?)?,
            assigned_to: row
                .try_get::<Option<String>, _>("assigned_to")?
                .map(|u| parse_uuid(&u))
                .transpose()?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            version: row.try_get("version")?,
            person: PersonView {
                id: parse_uuid(&pid)?,
                given_name: k.open_str(
                    Field::PersonGivenName,
                    &pid,
                    &row.try_get::<Vec<u8>, _>("given_name")?,
                )?,
                family_name: k.open_str(
                    Field::PersonFamilyName,
                    &pid,
                    &row.try_get::<Vec<u8>, _>("family_name")?,
                )?,
                date_of_birth: open_opt(Field::PersonDateOfBirth, "date_of_birth")?,
                sex: open_opt(Field::PersonSex, "sex")?,
                citizenships: open_opt(Field::PersonCitizenships, "citizenships")?
                    .map(|c| c.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                migration_status: if status_allowed {
                    open_opt(Field::PersonMigrationStatus, "migration_status")?
                } else {
                    None
                },
                erased_at: row.try_get("erased_at")?,
            },
            lifecycle,
        })
    }
}

async fn case_types(
    tx: &mut crate::db::Tx,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<CaseType>>, StoreError> {
    let mut out: std::collections::HashMap<Uuid, Vec<CaseType>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT case_id, case_type FROM case_types WHERE case_id IN ({}) ORDER BY case_type",
        list.join(", ")
    )))
    .fetch_all(&mut *tx.tx)
    .await?;
    for (id, t) in rows {
        if let (Ok(id), Some(t)) = (parse_uuid(&id), CaseType::parse(&t)) {
            out.entry(id).or_default().push(t);
        }
    }
    Ok(out)
}

/// Writes a new person in an open transaction, without their linkage keys (the caller keys
/// them later, or a bulk load has them built afterwards).
pub(crate) async fn insert_person(
    tx: &mut Tx,
    actor: &Actor,
    new: NewPerson,
) -> Result<Uuid, StoreError> {
    let keys = tx.keys.clone();
    let person = PreparedPerson::new(&keys, actor, new, Linkage::Later)?;
    let id = person.id();
    person.write(tx).await?;
    Ok(id)
}

pub(crate) async fn insert_case(
    tx: &mut Tx,
    actor: &Actor,
    new: NewCase,
) -> Result<Uuid, StoreError> {
    if let Decision::Deny(reason) = decide(actor.principal(), Action::CreateCase, Relation::Own) {
        return Err(StoreError::Forbidden(reason));
    }
    let person: Option<(String, String)> =
        sqlx::query_as("SELECT org_id, created_by FROM persons WHERE id = $1")
            .bind(new.person_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let visible = person.is_some_and(|(org, by)| {
        let rel = relation_of(actor, parse_uuid(&org).unwrap_or_default(), &by, None);
        decide(actor.principal(), Action::ReadCase, rel).is_allowed()
    });
    if !visible {
        return Err(StoreError::invalid(
            "person_id",
            passage_core::ErrorCode::UnknownPerson,
            "no person with this id is registered in your organisation",
        ));
    }
    let id = Uuid::now_v7();
    let rid = id.to_string();
    // The rest of this transaction (history, identification, tasks) seals the new case's
    // values under its person's key.
    tx.seal_as_person(&new.person_id.to_string(), true).await?;
    let pk = tx.person_key_for_write(&new.person_id.to_string()).await?;
    let summary = tx
        .keys
        .seal_str_for(&pk, Field::CaseSummary, &rid, &new.summary)?;
    let me = actor.user_id().to_string();
    sqlx::query(
            "INSERT INTO cases (id, person_id, org_id, created_by, assigned_to, stage, status, summary, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&rid)
        .bind(new.person_id.to_string())
        .bind(actor.org_id().to_string())
        .bind(&me)
        .bind(new.stage.as_str())
        .bind(CaseStatus::Open.as_str())
        .bind(summary)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
    for t in &new.types {
        sqlx::query("INSERT INTO case_types (case_id, case_type) VALUES ($1, $2)")
            .bind(&rid)
            .bind(t.as_str())
            .execute(&mut *tx.tx)
            .await?;
    }
    tx.audit(actor.event("case.create", "case", Some(rid), "ok"))
        .await?;
    Ok(id)
}
