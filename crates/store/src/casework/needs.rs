//! The needs assessment: one row per (case, need domain) with an urgency, a sealed description
//! and whether the need is met. Written by upsert with a version check; read with the case.

use super::{gate, gate_write};
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::Urgency;
use passage_core::casework::NeedDomain;
use passage_core::policy::Action;
use passage_core::validate::{Problems, text};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// Longest need description.
pub const DESCRIPTION_MAX: usize = 5_000;

/// One assessed need.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Need {
    pub id: Uuid,
    pub case_id: Uuid,
    pub domain: NeedDomain,
    pub urgency: Urgency,
    pub description: Option<String>,
    pub met: bool,
    pub updated_at: i64,
    pub version: i64,
}

/// A need as typed. `version` is the version read: absent to record a domain for the first
/// time, required to change one already recorded.
#[derive(Debug, Clone, Default)]
pub struct NeedInput {
    pub domain: String,
    pub urgency: String,
    pub description: Option<String>,
    pub met: bool,
    pub version: Option<i64>,
}

fn need_from_row(keys: &crate::Keys, row: &sqlx::any::AnyRow) -> Result<Need, StoreError> {
    let id: String = row.try_get("id")?;
    Ok(Need {
        id: parse_uuid(&id)?,
        case_id: parse_uuid(&row.try_get::<String, _>("case_id")?)?,
        domain: NeedDomain::parse(&row.try_get::<String, _>("domain")?)
            .ok_or(StoreError::Corrupt("need domain"))?,
        urgency: Urgency::parse(&row.try_get::<String, _>("urgency")?)
            .ok_or(StoreError::Corrupt("urgency"))?,
        description: row
            .try_get::<Option<Vec<u8>>, _>("description")?
            .map(|b| keys.open_str(Field::NeedDescription, &id, &b))
            .transpose()?,
        met: row.try_get::<i64, _>("met")? != 0,
        updated_at: row.try_get("updated_at")?,
        version: row.try_get("version")?,
    })
}

const NEED_COLUMNS: &str = "id, case_id, domain, urgency, description, met, updated_at, version";

impl Store {
    /// The recorded needs of a case, in the order of the domain vocabulary.
    pub async fn list_needs(&self, actor: &Actor, case_id: Uuid) -> Result<Vec<Need>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "need.list").await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NEED_COLUMNS} FROM needs WHERE case_id = $1"
        )))
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut needs = rows
            .iter()
            .map(|r| need_from_row(&tx.keys, r))
            .collect::<Result<Vec<_>, _>>()?;
        needs.sort_by_key(|n| n.domain);
        tx.audit(actor.event("need.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(needs)
    }

    /// Records or changes the need of one domain. A first record takes no version; a change
    /// must send the version it read, or nothing is written and the current one comes back.
    pub async fn upsert_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        input: NeedInput,
    ) -> Result<Need, StoreError> {
        let checked = check_need(&input).map_err(StoreError::Invalid)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "need.update").await?;
        let id = write_need(&mut tx, actor, &case, &checked, input.version).await?;
        let need = read_need(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(need)
    }

    /// Saves a whole assessment typed on one form: every domain given is checked, then all are
    /// written in one transaction, each as its own versioned record, or none is. A domain whose
    /// typed values equal what is stored is left alone (no new version). Refused domains come
    /// back each with its reason, so the form can name them all.
    pub async fn save_assessment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        inputs: Vec<NeedInput>,
    ) -> Result<Vec<Need>, AssessmentError> {
        let mut refused = Vec::new();
        let mut checked = Vec::new();
        for input in &inputs {
            match check_need(input) {
                Ok(c) => checked.push((c, input.version)),
                Err(p) => refused.push((input.domain.trim().to_string(), StoreError::Invalid(p))),
            }
        }
        if !refused.is_empty() {
            return Err(AssessmentError::Domains(refused));
        }
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "need.update").await?;
        let mut ids = Vec::new();
        for (c, version) in &checked {
            let current = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {NEED_COLUMNS} FROM needs WHERE case_id = $1 AND domain = $2"
            )))
            .bind(case.key())
            .bind(c.domain.as_str())
            .fetch_optional(&mut *tx.tx)
            .await
            .map_err(StoreError::from)?
            .map(|r| need_from_row(&tx.keys, &r))
            .transpose()?;
            if let Some(n) = &current
                && n.urgency == c.urgency
                && n.met == c.met
                && n.description == c.description
            {
                // Nothing to change: the stored need already says what was typed.
                continue;
            }
            match write_need(&mut tx, actor, &case, c, *version).await {
                Ok(id) => ids.push(id),
                Err(e @ StoreError::VersionConflict { .. }) => {
                    refused.push((c.domain.as_str().to_string(), e));
                }
                Err(e) => return Err(e.into()),
            }
        }
        if !refused.is_empty() {
            // Dropping the transaction keeps nothing of this assessment.
            return Err(AssessmentError::Domains(refused));
        }
        let mut saved = Vec::new();
        for id in &ids {
            saved.push(read_need(&mut tx, id).await?);
        }
        tx.commit().await?;
        Ok(saved)
    }
}

/// Why an assessment was not saved: the domains refused, each with its reason (a field a
/// person can fix, or a version conflict), or a failure of the whole.
#[derive(Debug)]
pub enum AssessmentError {
    Domains(Vec<(String, StoreError)>),
    Store(StoreError),
}

impl From<StoreError> for AssessmentError {
    fn from(e: StoreError) -> Self {
        AssessmentError::Store(e)
    }
}

/// A need as checked: known domain and urgency, a description within bounds.
struct CheckedNeed {
    domain: NeedDomain,
    urgency: Urgency,
    description: Option<String>,
    met: bool,
}

fn check_need(input: &NeedInput) -> Result<CheckedNeed, Problems> {
    let mut p = Problems::default();
    let domain = NeedDomain::parse(input.domain.trim());
    if domain.is_none() {
        p.add(
            "domain",
            passage_core::ErrorCode::UnknownValue,
            format!("domain must be one of: {}", NeedDomain::allowed()),
        );
    }
    let urgency = Urgency::parse(input.urgency.trim());
    if urgency.is_none() {
        p.add(
            "urgency",
            passage_core::ErrorCode::UnknownValue,
            format!("urgency must be one of: {}", Urgency::allowed()),
        );
    }
    let description = text(
        &mut p,
        "description",
        input.description.as_deref().unwrap_or(""),
        false,
        DESCRIPTION_MAX,
    );
    match (domain, urgency, p.0.is_empty()) {
        (Some(domain), Some(urgency), true) => Ok(CheckedNeed {
            domain,
            urgency,
            description,
            met: input.met,
        }),
        _ => Err(p),
    }
}

async fn read_need(tx: &mut crate::db::Tx, id: &str) -> Result<Need, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {NEED_COLUMNS} FROM needs WHERE id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *tx.tx)
    .await?;
    need_from_row(&tx.keys, &row)
}

/// Writes one checked need in `tx` after the version check; returns its id.
async fn write_need(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    case: &super::access::CaseAccess,
    c: &CheckedNeed,
    version: Option<i64>,
) -> Result<String, StoreError> {
    let existing: Option<(String, i64)> =
        sqlx::query_as("SELECT id, version FROM needs WHERE case_id = $1 AND domain = $2")
            .bind(case.key())
            .bind(c.domain.as_str())
            .fetch_optional(&mut *tx.tx)
            .await?;
    match existing {
        Some((id, current)) => {
            if version != Some(current) {
                return Err(StoreError::VersionConflict { current });
            }
            let sealed = c
                .description
                .as_deref()
                .map(|d| tx.keys.seal_str(Field::NeedDescription, &id, d))
                .transpose()?;
            let done = sqlx::query(
                "UPDATE needs SET urgency = $1, description = $2, met = $3, updated_at = $4, version = version + 1 \
                 WHERE id = $5 AND version = $6",
            )
            .bind(c.urgency.as_str())
            .bind(sealed)
            .bind(i64::from(c.met))
            .bind(tx.now)
            .bind(&id)
            .bind(current)
            .execute(&mut *tx.tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::VersionConflict { current });
            }
            tx.audit(actor.event("need.update", "need", Some(id.clone()), "ok"))
                .await?;
            Ok(id)
        }
        None => {
            if version.is_some_and(|v| v != 0) {
                // The caller saw a record that is not there.
                return Err(StoreError::VersionConflict { current: 0 });
            }
            let id = Uuid::now_v7().to_string();
            let sealed = c
                .description
                .as_deref()
                .map(|d| tx.keys.seal_str(Field::NeedDescription, &id, d))
                .transpose()?;
            sqlx::query(
                "INSERT INTO needs (id, case_id, domain, urgency, description, met, created_by, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
            )
            .bind(&id)
            .bind(case.key())
            .bind(c.domain.as_str())
            .bind(c.urgency.as_str())
            .bind(sealed)
            .bind(i64::from(c.met))
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await
            .map_err(|e| match StoreError::unique(e, "need") {
                // Someone recorded this domain at the same moment.
                StoreError::Conflict(_) => StoreError::VersionConflict { current: 1 },
                other => other,
            })?;
            tx.audit(actor.event("need.create", "need", Some(id.clone()), "ok"))
                .await?;
            Ok(id)
        }
    }
}
