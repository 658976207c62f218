//! Erasing a person (crypto-erasure) and the legal hold that stops it.
//!
//! A supervisor of the case's organisation erases the person of a case, with a reason. In one
//! transaction: the person's data key row is deleted (so every value sealed under it, in this
//! database and in every data backup, stays unreadable), the person's identity columns are
//! emptied, their identity documents, name search terms, linkage keys and duplicate candidates
//! are deleted, the attachments of their cases are deleted, and the free text of their cases
//! (summary, origin, notes, tasks, follow-ups, needs, plan, services, history values, reasons)
//! is overwritten with empty text. The case shell stays for statistics: its types, stage,
//! status, risk, country, organisation and dates, none of which names the person. The person
//! row stays with `erased_at` set, so the case and the person page say "erased".
//!
//! Refused while any case of the person is under a legal hold (audited as refused). The audit
//! events carry ids and kinds only: the reason is kept nowhere but the actor's own record.
//!
//! [`Store::apply_erasures`] is the restore's reconciliation: a person whose values are sealed
//! under a key the restored keyring does not hold was erased after the backup; the same wipe
//! is applied to them.

pub mod backup;
pub mod keyring;
pub mod reseal;

use crate::casework::{gate, gate_write, is_supervisor_of};
use crate::db::Tx;
use crate::keys::{Encoding, Field, Keys, hex};
use crate::{Actor, Store, StoreError};
use passage_core::ErrorCode;
use passage_core::policy::Action;
use sqlx::Row;
use uuid::Uuid;

/// What an erasure did (counts only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    /// Whether the person was erased before this call (nothing more was done).
    pub already: bool,
    pub documents: u64,
    pub attachments: u64,
    pub name_terms: u64,
    pub link_keys: u64,
    /// Sealed free-text values of the person's cases overwritten with empty text.
    pub texts: u64,
}

/// The free text of a person's cases that an erasure empties, with how a row is found from
/// the case id (`$1`). Structured values (screening answers, snapshots) are kept: they hold
/// vocabulary codes, and the pages that read them expect their shape.
const CASE_TEXTS: &[(Field, &str)] = &[
    (Field::CaseSummary, "id = $1"),
    (Field::CaseOriginEmployer, "id = $1"),
    (Field::CaseOriginPlace, "id = $1"),
    (Field::CaseClosureReason, "id = $1"),
    (Field::CaseHistoryValue, "case_id = $1"),
    (Field::CaseTransitionReason, "case_id = $1"),
    (Field::NoteBody, "case_id = $1"),
    (Field::TaskTitle, "case_id = $1"),
    (Field::FollowUpNote, "case_id = $1"),
    (Field::NeedDescription, "case_id = $1"),
    (Field::PlanItemGoal, "case_id = $1"),
    (Field::PlanItemAction, "case_id = $1"),
    (Field::PlanItemResponsibleText, "case_id = $1"),
    (Field::ServiceNote, "case_id = $1"),
    (Field::ApprovalDecisionReason, "case_id = $1"),
    (
        Field::ConsentReason,
        "person_id = (SELECT person_id FROM cases WHERE id = $1)",
    ),
];

/// The person's identity columns emptied by an erasure (the names, which may not be NULL,
/// become empty text sealed under the field key).
const IDENTITY: &[&str] = &[
    "given_name_latin",
    "family_name_latin",
    "aliases",
    "date_of_birth",
    "sex",
    "citizenships",
    "languages",
    "contacts",
    "vulnerabilities",
    "migration_status",
];

async fn count(tx: &mut Tx, sql: &'static str, id: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query(sql)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected())
}

/// Overwrites one sealed column of the rows `filter` finds with empty text.
async fn empty_texts(
    tx: &mut Tx,
    keys: &Keys,
    field: Field,
    filter: &str,
    case_id: &str,
) -> Result<u64, StoreError> {
    let mut done = 0;
    let table = field.table();
    for column in field.columns() {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {table} WHERE {filter} AND {column} IS NOT NULL"
        )))
        .bind(case_id)
        .fetch_all(&mut *tx.tx)
        .await?;
        for row in rows {
            let id: String = row.try_get("id")?;
            let sealed = keys.seal(field, &id, b"")?;
            let q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET {column} = $1 WHERE id = $2"
            )));
            let q = match field.encoding() {
                Encoding::Bytes => q.bind(sealed),
                Encoding::Hex => q.bind(hex(&sealed)),
            };
            q.bind(&id).execute(&mut *tx.tx).await?;
            done += 1;
        }
    }
    Ok(done)
}

/// The wipe itself (see the module): no checks, no audit.
async fn wipe(tx: &mut Tx, person: &str) -> Result<Erased, StoreError> {
    // The empty values go under the field key: the person's key is destroyed below.
    let keys = tx.keys.unbound();
    let mut out = Erased::default();
    count(tx, "DELETE FROM person_keys WHERE id = $1", person).await?;
    out.documents = count(
        tx,
        "DELETE FROM person_documents WHERE person_id = $1",
        person,
    )
    .await?;
    out.name_terms = count(
        tx,
        "DELETE FROM person_name_terms WHERE person_id = $1",
        person,
    )
    .await?;
    out.link_keys = count(
        tx,
        "DELETE FROM person_link_keys WHERE person_id = $1",
        person,
    )
    .await?;
    count(
        tx,
        "DELETE FROM duplicate_candidates WHERE person_id = $1 OR other_id = $1",
        person,
    )
    .await?;
    let cases: Vec<(String,)> = sqlx::query_as("SELECT id FROM cases WHERE person_id = $1")
        .bind(person)
        .fetch_all(&mut *tx.tx)
        .await?;
    for (case_id,) in &cases {
        out.attachments += count(tx, "DELETE FROM attachments WHERE case_id = $1", case_id).await?;
        for (field, filter) in CASE_TEXTS {
            out.texts += empty_texts(tx, &keys, *field, filter, case_id).await?;
        }
    }
    let empty_given = keys.seal(Field::PersonGivenName, person, b"")?;
    let empty_family = keys.seal(Field::PersonFamilyName, person, b"")?;
    let nulls: Vec<String> = IDENTITY.iter().map(|c| format!("{c} = NULL")).collect();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE persons SET given_name = $1, family_name = $2, {}, erased_at = $3, \
         updated_at = $3, link_keyed_at = $3, version = version + 1 WHERE id = $4",
        nulls.join(", ")
    )))
    .bind(empty_given)
    .bind(empty_family)
    .bind(tx.now)
    .bind(person)
    .execute(&mut *tx.tx)
    .await?;
    tx.keys.forget_person_key(person);
    Ok(out)
}

/// Whether any case of the person is under a legal hold.
async fn held(tx: &mut Tx, person: &str) -> Result<bool, StoreError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM cases WHERE person_id = $1 AND legal_hold <> 0")
            .bind(person)
            .fetch_one(&mut *tx.tx)
            .await?;
    Ok(n > 0)
}

async fn refuse<T>(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    object: &str,
    id: String,
    outcome: &str,
    error: StoreError,
) -> Result<T, StoreError> {
    tx.audit(actor.event(action, object, Some(id), outcome))
        .await?;
    tx.commit().await?;
    Err(error)
}

fn supervisor_required() -> StoreError {
    StoreError::Rule {
        code: ErrorCode::SupervisorRequired,
        message: "only a supervisor of the case's organisation may do this".into(),
    }
}

/// The state of a case's erasure controls, for the case page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ErasureState {
    pub legal_hold: bool,
    /// When the person of the case was erased.
    pub erased_at: Option<i64>,
}

impl Store {
    /// Erases the person of a case (see the module). Supervisors of the case's organisation
    /// only, with a reason; refused under a legal hold. Audited as `person.erase` on the
    /// person with the counts.
    pub async fn erase_person(
        &self,
        actor: &Actor,
        case_id: Uuid,
        reason: &str,
    ) -> Result<Erased, StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::invalid(
                "reason",
                ErrorCode::ReasonRequired,
                "say why the person is erased",
            ));
        }
        let tx = self.begin().await?;
        let (tx, case) = gate_write(tx, actor, case_id, "person.erase").await?;
        let person = case.person_id().to_string();
        if !is_supervisor_of(actor, &case) {
            return refuse(
                tx,
                actor,
                "person.erase",
                "person",
                person,
                "denied",
                supervisor_required(),
            )
            .await;
        }
        let mut tx = tx;
        let (erased_at,): (Option<i64>,) =
            sqlx::query_as("SELECT erased_at FROM persons WHERE id = $1")
                .bind(&person)
                .fetch_one(&mut *tx.tx)
                .await?;
        if erased_at.is_some() {
            tx.commit().await?;
            return Ok(Erased {
                already: true,
                ..Erased::default()
            });
        }
        if held(&mut tx, &person).await? {
            let error = StoreError::Rule {
                code: ErrorCode::LegalHold,
                message: "a case of this person is under a legal hold: the hold must be lifted before the person is erased".into(),
            };
            return refuse(
                tx,
                actor,
                "person.erase",
                "person",
                person,
                "refused_legal_hold",
                error,
            )
            .await;
        }
        let out = wipe(&mut tx, &person).await?;
        let outcome = format!(
            "ok documents={} attachments={} name_terms={} link_keys={} texts={}",
            out.documents, out.attachments, out.name_terms, out.link_keys, out.texts
        );
        tx.audit(actor.event("person.erase", "person", Some(person), &outcome))
            .await?;
        tx.audit(actor.event("case.erase_person", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        self.keys.forget_person_key(&case.person_id().to_string());
        Ok(out)
    }

    /// Sets or lifts a case's legal hold. Supervisors of the case's organisation only;
    /// audited as `case.legal_hold` with `set` or `lifted`.
    pub async fn set_legal_hold(
        &self,
        actor: &Actor,
        case_id: Uuid,
        hold: bool,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "case.legal_hold").await?;
        if !is_supervisor_of(actor, &case) {
            return refuse(
                tx,
                actor,
                "case.legal_hold",
                "case",
                case.key(),
                "denied",
                supervisor_required(),
            )
            .await;
        }
        sqlx::query("UPDATE cases SET legal_hold = $1 WHERE id = $2")
            .bind(i64::from(hold))
            .bind(case.key())
            .execute(&mut *tx.tx)
            .await?;
        let outcome = if hold { "set" } else { "lifted" };
        tx.audit(actor.event("case.legal_hold", "case", Some(case.key()), outcome))
            .await?;
        tx.commit().await
    }

    /// Whether a case is under a legal hold and whether its person was erased.
    pub async fn erasure_state(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<ErasureState, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "case.read").await?;
        let row = sqlx::query(
            "SELECT c.legal_hold, p.erased_at FROM cases c JOIN persons p ON p.id = c.person_id \
             WHERE c.id = $1",
        )
        .bind(case.key())
        .fetch_one(&mut *tx.tx)
        .await?;
        let state = ErasureState {
            legal_hold: row.try_get::<i64, _>("legal_hold")? != 0,
            erased_at: row.try_get("erased_at")?,
        };
        tx.commit().await?;
        Ok(state)
    }

    /// After a restore: erases again every person whose identity is sealed under a person
    /// key the key table does not hold (they were erased after the data backup was taken).
    /// Returns how many. Operator only; each audited as `person.erase` with outcome
    /// `reapplied`.
    pub async fn apply_erasures(&self, by: &crate::Authority) -> Result<u64, StoreError> {
        by.require_system_admin()?;
        let rows = sqlx::query(
            "SELECT p.id, p.given_name FROM persons p LEFT JOIN person_keys k ON k.id = p.id \
             WHERE p.erased_at IS NULL AND k.id IS NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut done = 0;
        for row in rows {
            let id: String = row.try_get("id")?;
            let given: Vec<u8> = row.try_get("given_name")?;
            if Keys::person_key_of(&given).is_none() {
                // Sealed under the field key: a person from before person keys.
                continue;
            }
            let mut tx = self.begin().await?;
            wipe(&mut tx, &id).await?;
            tx.audit(by.event("person.erase", "person", Some(id), "reapplied"))
                .await?;
            tx.commit().await?;
            done += 1;
        }
        Ok(done)
    }

    /// Whether a person was erased (for pages that show a person).
    pub async fn person_erased_at(&self, person_id: Uuid) -> Result<Option<i64>, StoreError> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT erased_at FROM persons WHERE id = $1")
                .bind(person_id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|r| r.0))
    }
}
