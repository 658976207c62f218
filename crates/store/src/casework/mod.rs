//! Case management on top of persons and cases. Every operation on a case's parts goes through
//! [`gate`] ([`access`]): it loads the case, computes the actor's relation to it, asks the access
//! policy, and on refusal audits the attempt and answers `NotFound` (missing and forbidden look
//! the same); on success it hands back a [`CaseAccess`] capability, which the operation and
//! the helpers below take.
//! Changes check the case's version ([`bump_version`]) and record field history
//! ([`record_history`]), so a stale write is refused and loses nothing.

pub mod access;
pub mod attachments;
pub mod child;
pub mod consent;
pub mod copy;
pub mod corrections;
pub mod dashboard;
pub mod disclosures;
pub mod duplicates;
pub mod filters;
pub mod follow_up;
pub(crate) mod history;
pub mod labour;
pub mod lifecycle;
pub mod needs;
pub mod notes;
pub mod permits;
pub mod person;
pub mod plan;
pub mod proceedings;
pub mod protection;
pub mod referrals;
pub mod retention;
pub mod returns;
pub mod screening;
pub mod seed;
pub mod services;
pub mod tasks;
pub mod tracing;
pub mod transfers;

use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, StoreError};
use uuid::Uuid;

pub use access::{CaseAccess, PersonAccess, is_supervisor_of};
pub(crate) use access::{gate, gate_write, person_gate, person_gate_write, relation};

/// Moves the case to the next version if it is still at `expected`; otherwise refuses with
/// the current version. Call before writing the change, in the same transaction.
pub(crate) async fn bump_version(
    tx: &mut Tx,
    case: &CaseAccess,
    expected: i64,
) -> Result<i64, StoreError> {
    if expected != case.version() {
        return Err(StoreError::VersionConflict {
            current: case.version(),
        });
    }
    let done = sqlx::query(
        "UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
    )
    .bind(tx.now)
    .bind(case.key())
    .bind(expected)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::VersionConflict {
            current: case.version(),
        });
    }
    Ok(expected + 1)
}

/// Records that `field` of a case changed, with old and new values sealed (they may be
/// personal data). Readers of the case's history see who changed what and when.
pub(crate) async fn record_history(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), StoreError> {
    let id = Uuid::now_v7().to_string();
    let seal = |v: Option<&str>| {
        v.map(|v| tx.keys.seal_str(Field::CaseHistoryValue, &id, v))
            .transpose()
    };
    let (old, new) = (seal(old)?, seal(new)?);
    sqlx::query(
        "INSERT INTO case_history (id, case_id, field, old_value, new_value, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(case.key())
    .bind(field)
    .bind(old)
    .bind(new)
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}
