//! What happened to the worker on a case — fees and costs paid, debts owed, the contract
//! promised and the one found, wages owed — and the claims brought for them
//! (`passage_core::labour`).
//!
//! All of it is case data behind the case gate: a reader of the case reads it, only the case's
//! own organisation records it, and immigration enforcement is refused before any case is
//! looked at.
//! Whom a fee was paid to, whom a debt is owed, evidence, terms, both contracts and a claim's
//! note are sealed; amounts, currencies, kinds, stages and dates are plain. Every read and
//! write appends an audit event in its transaction; the case history says only that a record
//! of a kind was added, never its content.

use super::protection::firewall;
use super::{CaseAccess, gate, gate_write, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::PartialDate;
use passage_core::casework::calendar::Day;
use passage_core::labour::money::{Currency, Money, WagePeriod};
use passage_core::labour::remedies::{
    ClaimKind, ClaimStage, ClaimSubject, NewClaim, RawClaimChange,
};
use passage_core::labour::worker::{
    Basis, ContractTerms, ContractVersion, FeeKind, NewContract, NewDebt, NewFee, NewWages, Term,
    Wage, indicators_supported, substitution,
};
use passage_core::policy::Action;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

/// A fee or cost paid, as a reader of the case sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRecord {
    pub id: Uuid,
    pub kind: FeeKind,
    pub money: Money,
    pub paid_to: String,
    pub paid_on: Option<PartialDate>,
    pub evidence: Option<String>,
    pub recorded_at: i64,
}

/// A debt owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtRecord {
    pub id: Uuid,
    pub money: Money,
    pub owed_to: String,
    pub terms: Option<String>,
    pub recorded_at: i64,
}

/// A contract as recorded: the latest of its version counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRecord {
    pub id: Uuid,
    pub version: ContractVersion,
    pub terms: ContractTerms,
    pub recorded_at: i64,
}

/// Wages owed for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WagesRecord {
    pub id: Uuid,
    pub period_from: PartialDate,
    pub period_to: Option<PartialDate>,
    pub money: Money,
    pub recorded_at: i64,
}

/// A claim with its stage, amounts and deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: Uuid,
    pub kind: ClaimKind,
    pub subject: ClaimSubject,
    pub stage: ClaimStage,
    pub claimed: Money,
    pub recovered: Money,
    pub deadline: Option<Day>,
    pub note: Option<String>,
    pub version: i64,
    pub recorded_at: i64,
    pub updated_at: i64,
}

/// Everything recorded of what happened to the worker on a case, with the substitution the
/// two contracts show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerAccount {
    pub fees: Vec<FeeRecord>,
    pub debts: Vec<DebtRecord>,
    pub promised: Option<ContractRecord>,
    pub found: Option<ContractRecord>,
    /// The terms on which the contract found differs from the one promised.
    pub substitution: Vec<Term>,
    pub wages: Vec<WagesRecord>,
    pub claims: Vec<ClaimRecord>,
}

/// One screening indicator a record supports: which record, and when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    pub indicator: &'static str,
    pub basis: Basis,
    pub recorded_at: i64,
}

impl WorkerAccount {
    /// The screening indicators the records support, each with the earliest record that does
    /// (a fee paid, a debt, the substituted contract, wages owed), by indicator id.
    pub fn supports(&self) -> Vec<Support> {
        let mut facts: Vec<(Basis, i64, Vec<Term>)> = Vec::new();
        if let Some(f) = self.fees.iter().map(|f| f.recorded_at).min() {
            facts.push((Basis::FeePaid, f, Vec::new()));
        }
        if let Some(d) = self.debts.iter().map(|d| d.recorded_at).min() {
            facts.push((Basis::DebtOwed, d, Vec::new()));
        }
        if let (Some(p), Some(f)) = (&self.promised, &self.found)
            && !self.substitution.is_empty()
        {
            facts.push((
                Basis::ContractSubstituted,
                p.recorded_at.max(f.recorded_at),
                self.substitution.clone(),
            ));
        }
        if let Some(w) = self.wages.iter().map(|w| w.recorded_at).min() {
            facts.push((Basis::WagesOwed, w, Vec::new()));
        }
        let mut out: Vec<Support> = Vec::new();
        for (basis, at, terms) in facts {
            for indicator in indicators_supported(basis, &terms) {
                out.push(Support {
                    indicator,
                    basis,
                    recorded_at: at,
                });
            }
        }
        out
    }
}

/// The terms of a contract as sealed: one JSON value.
#[derive(Serialize, Deserialize, Default)]
struct SealedTerms {
    wage_minor: Option<i64>,
    wage_currency: Option<String>,
    wage_period: Option<String>,
    hours_per_week: Option<u8>,
    job_title: Option<String>,
    employer: Option<String>,
    place: Option<String>,
    days_off: Option<u8>,
}

impl From<&ContractTerms> for SealedTerms {
    fn from(t: &ContractTerms) -> SealedTerms {
        SealedTerms {
            wage_minor: t.wage.map(|w| w.money.minor),
            wage_currency: t.wage.map(|w| w.money.currency.as_str().to_string()),
            wage_period: t.wage.map(|w| w.period.as_str().to_string()),
            hours_per_week: t.hours_per_week,
            job_title: t.job_title.clone(),
            employer: t.employer.clone(),
            place: t.place.clone(),
            days_off: t.days_off,
        }
    }
}

impl SealedTerms {
    fn terms(self) -> Result<ContractTerms, StoreError> {
        let wage = match (self.wage_minor, self.wage_currency, self.wage_period) {
            (Some(minor), Some(c), Some(p)) => Some(Wage {
                money: Money {
                    minor,
                    currency: currency(&c)?,
                },
                period: WagePeriod::parse(&p).ok_or(StoreError::Corrupt("wage period"))?,
            }),
            _ => None,
        };
        Ok(ContractTerms {
            wage,
            hours_per_week: self.hours_per_week,
            job_title: self.job_title,
            employer: self.employer,
            place: self.place,
            days_off: self.days_off,
        })
    }
}

fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::parse(code).ok_or(StoreError::Corrupt("currency"))
}

fn money(row: &sqlx::any::AnyRow, amount: &str) -> Result<Money, StoreError> {
    Ok(Money {
        minor: row.try_get(amount)?,
        currency: currency(&row.try_get::<String, _>("currency")?)?,
    })
}

fn partial(text: Option<String>) -> Result<Option<PartialDate>, StoreError> {
    text.map(|t| PartialDate::parse(&t, 9999).map_err(|_| StoreError::Corrupt("labour date")))
        .transpose()
}

fn seal_opt(
    tx: &Tx,
    field: Field,
    id: &str,
    value: Option<&str>,
) -> Result<Option<Vec<u8>>, StoreError> {
    value.map(|v| tx.keys.seal_str(field, id, v)).transpose()
}

fn open_opt(
    tx: &Tx,
    field: Field,
    id: &str,
    sealed: Option<Vec<u8>>,
) -> Result<Option<String>, StoreError> {
    sealed.map(|b| tx.keys.open_str(field, id, &b)).transpose()
}

/// Opens a write on the case's labour records: the firewall first, then the gate (anyone the
/// case's organisation does not let write it finds nothing, audited there).
async fn begin_write(
    store: &Store,
    actor: &Actor,
    case_id: Uuid,
    action: &str,
) -> Result<(Tx, CaseAccess), StoreError> {
    firewall(actor)?;
    let tx = store.begin().await?;
    gate_write(tx, actor, case_id, action).await
}

/// Ends a write: the case history says a record of `what` was added, the audit says who.
async fn finish_write(
    mut tx: Tx,
    actor: &Actor,
    case: &CaseAccess,
    action: &str,
    what: &str,
) -> Result<(), StoreError> {
    record_history(&mut tx, actor, case, "labour", None, Some(what)).await?;
    tx.audit(actor.event(action, "case", Some(case.key()), "ok"))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps a claim's deadline on the case's work list: while the claim is open and has a
/// deadline, an open task is due that day (created the first time, assigned to the case's
/// caseworker or else to the actor, and moved when the deadline moves); when the claim is
/// closed the task is done. The task's title names the kind of claim only.
async fn deadline_task(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    claim_key: &str,
    kind: ClaimKind,
    stage: ClaimStage,
    deadline: Option<Day>,
) -> Result<(), StoreError> {
    let task: Option<(Option<String>,)> =
        sqlx::query_as("SELECT task_id FROM labour_claims WHERE id = $1")
            .bind(claim_key)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let task = task.and_then(|(t,)| t);
    let open: Option<(String, Option<String>)> = match &task {
        Some(t) => {
            sqlx::query_as("SELECT id, due_on FROM tasks WHERE id = $1 AND done_at IS NULL")
                .bind(t)
                .fetch_optional(&mut *tx.tx)
                .await?
        }
        None => None,
    };
    match (stage == ClaimStage::Closed, deadline, open) {
        (true, _, Some((id, _))) => {
            sqlx::query("UPDATE tasks SET done_at = $1, version = version + 1 WHERE id = $2")
                .bind(tx.now)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
            tx.audit(actor.event("task.complete", "task", Some(id), "ok"))
                .await?;
        }
        (false, Some(day), Some((id, due))) if due.as_deref() != Some(day.to_string().as_str()) => {
            sqlx::query("UPDATE tasks SET due_on = $1, version = version + 1 WHERE id = $2")
                .bind(day.to_string())
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
            tx.audit(actor.event("task.reschedule", "task", Some(id), "ok"))
                .await?;
        }
        (false, Some(day), None) if task.is_none() => {
            let assigned: Option<(Option<String>,)> =
                sqlx::query_as("SELECT assigned_to FROM cases WHERE id = $1")
                    .bind(case.key())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            let staff = super::tasks::case_staff(tx, case).await?;
            let assignee = assigned
                .and_then(|(a,)| a)
                .and_then(|a| Uuid::parse_str(&a).ok())
                .filter(|a| staff.iter().any(|m| m.id == *a))
                .unwrap_or(actor.user_id());
            let id = Uuid::now_v7().to_string();
            let title = format!("Claim deadline: {} claim", kind.as_str().replace('_', " "));
            let sealed = tx.keys.seal_str(Field::TaskTitle, &id, &title)?;
            sqlx::query(
                "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, \
                 created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, 1)",
            )
            .bind(&id)
            .bind(case.key())
            .bind(case.org_id().to_string())
            .bind(sealed)
            .bind(assignee.to_string())
            .bind(day.to_string())
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
            sqlx::query("UPDATE labour_claims SET task_id = $1 WHERE id = $2")
                .bind(&id)
                .bind(claim_key)
                .execute(&mut *tx.tx)
                .await?;
            tx.audit(actor.event("task.create", "task", Some(id), "ok"))
                .await?;
        }
        // A task done by hand stays done, one already due that day stays; a claim without a
        // deadline has no task.
        _ => {}
    }
    Ok(())
}

async fn read_account(tx: &mut Tx, case: &CaseAccess) -> Result<WorkerAccount, StoreError> {
    let key = case.key();
    let mut account = WorkerAccount::default();
    let rows = sqlx::query(
        "SELECT id, kind, amount_minor, currency, paid_to, paid_on, evidence, recorded_at \
         FROM labour_fees WHERE case_id = $1 ORDER BY recorded_at, id",
    )
    .bind(&key)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        account.fees.push(FeeRecord {
            id: parse_uuid(&id)?,
            kind: FeeKind::parse(&row.try_get::<String, _>("kind")?)
                .ok_or(StoreError::Corrupt("fee kind"))?,
            money: money(&row, "amount_minor")?,
            paid_to: tx.keys.open_str(
                Field::LabourFeePaidTo,
                &id,
                &row.try_get::<Vec<u8>, _>("paid_to")?,
            )?,
            paid_on: partial(row.try_get("paid_on")?)?,
            evidence: open_opt(tx, Field::LabourFeeEvidence, &id, row.try_get("evidence")?)?,
            recorded_at: row.try_get("recorded_at")?,
        });
    }
    let rows = sqlx::query(
        "SELECT id, amount_minor, currency, owed_to, terms, recorded_at \
         FROM labour_debts WHERE case_id = $1 ORDER BY recorded_at, id",
    )
    .bind(&key)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        account.debts.push(DebtRecord {
            id: parse_uuid(&id)?,
            money: money(&row, "amount_minor")?,
            owed_to: tx.keys.open_str(
                Field::LabourDebtOwedTo,
                &id,
                &row.try_get::<Vec<u8>, _>("owed_to")?,
            )?,
            terms: open_opt(tx, Field::LabourDebtTerms, &id, row.try_get("terms")?)?,
            recorded_at: row.try_get("recorded_at")?,
        });
    }
    let rows = sqlx::query(
        "SELECT id, version, terms, recorded_at FROM labour_contracts \
         WHERE case_id = $1 ORDER BY recorded_at, id",
    )
    .bind(&key)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let version = ContractVersion::parse(&row.try_get::<String, _>("version")?)
            .ok_or(StoreError::Corrupt("contract version"))?;
        let text = tx.keys.open_str(
            Field::LabourContractTerms,
            &id,
            &row.try_get::<Vec<u8>, _>("terms")?,
        )?;
        let sealed: SealedTerms =
            serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("contract terms"))?;
        let record = ContractRecord {
            id: parse_uuid(&id)?,
            version,
            terms: sealed.terms()?,
            recorded_at: row.try_get("recorded_at")?,
        };
        // Oldest first: the latest of each version stays.
        match version {
            ContractVersion::Promised => account.promised = Some(record),
            ContractVersion::Found => account.found = Some(record),
        }
    }
    if let (Some(p), Some(f)) = (&account.promised, &account.found) {
        account.substitution = substitution(&p.terms, &f.terms);
    }
    let rows = sqlx::query(
        "SELECT id, period_from, period_to, amount_minor, currency, recorded_at \
         FROM labour_wages WHERE case_id = $1 ORDER BY recorded_at, id",
    )
    .bind(&key)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        account.wages.push(WagesRecord {
            id: parse_uuid(&id)?,
            period_from: partial(Some(row.try_get("period_from")?))?
                .ok_or(StoreError::Corrupt("wages period"))?,
            period_to: partial(row.try_get("period_to")?)?,
            money: money(&row, "amount_minor")?,
            recorded_at: row.try_get("recorded_at")?,
        });
    }
    let rows = sqlx::query(
        "SELECT id, kind, subject, stage, amount_claimed, amount_recovered, currency, deadline, \
         note, version, recorded_at, updated_at FROM labour_claims \
         WHERE case_id = $1 ORDER BY recorded_at, id",
    )
    .bind(&key)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        account.claims.push(claim_of(tx, &id, &row)?);
    }
    Ok(account)
}

fn claim_of(tx: &Tx, id: &str, row: &sqlx::any::AnyRow) -> Result<ClaimRecord, StoreError> {
    Ok(ClaimRecord {
        id: parse_uuid(id)?,
        kind: ClaimKind::parse(&row.try_get::<String, _>("kind")?)
            .ok_or(StoreError::Corrupt("claim kind"))?,
        subject: ClaimSubject::parse(&row.try_get::<String, _>("subject")?)
            .ok_or(StoreError::Corrupt("claim subject"))?,
        stage: ClaimStage::parse(&row.try_get::<String, _>("stage")?)
            .ok_or(StoreError::Corrupt("claim stage"))?,
        claimed: money(row, "amount_claimed")?,
        recovered: money(row, "amount_recovered")?,
        deadline: row
            .try_get::<Option<String>, _>("deadline")?
            .map(|d| Day::parse(&d).ok_or(StoreError::Corrupt("claim deadline")))
            .transpose()?,
        note: open_opt(tx, Field::LabourClaimNote, id, row.try_get("note")?)?,
        version: row.try_get("version")?,
        recorded_at: row.try_get("recorded_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Store {
    /// What happened to the worker on a case, and their claims, for a reader of the case.
    pub async fn worker_account(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<WorkerAccount, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "labour.read").await?;
        let account = read_account(&mut tx, &case).await?;
        tx.audit(actor.event("labour.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Records a recruitment fee or cost the worker paid. Returns its id.
    pub async fn record_labour_fee(
        &self,
        actor: &Actor,
        case_id: Uuid,
        fee: NewFee,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = begin_write(self, actor, case_id, "labour.fee").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let paid_to = tx
            .keys
            .seal_str(Field::LabourFeePaidTo, &key, &fee.paid_to)?;
        let evidence = seal_opt(&tx, Field::LabourFeeEvidence, &key, fee.evidence.as_deref())?;
        sqlx::query(
            "INSERT INTO labour_fees (id, case_id, kind, amount_minor, currency, paid_to, paid_on, \
             evidence, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(fee.kind.as_str())
        .bind(fee.money.minor)
        .bind(fee.money.currency.as_str())
        .bind(paid_to)
        .bind(fee.paid_on.map(|d| d.to_string()))
        .bind(evidence)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish_write(tx, actor, &case, "labour.fee", "fee").await?;
        Ok(id)
    }

    /// Records a debt the worker owes. Returns its id.
    pub async fn record_labour_debt(
        &self,
        actor: &Actor,
        case_id: Uuid,
        debt: NewDebt,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = begin_write(self, actor, case_id, "labour.debt").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let owed_to = tx
            .keys
            .seal_str(Field::LabourDebtOwedTo, &key, &debt.owed_to)?;
        let terms = seal_opt(&tx, Field::LabourDebtTerms, &key, debt.terms.as_deref())?;
        sqlx::query(
            "INSERT INTO labour_debts (id, case_id, amount_minor, currency, owed_to, terms, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(debt.money.minor)
        .bind(debt.money.currency.as_str())
        .bind(owed_to)
        .bind(terms)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish_write(tx, actor, &case, "labour.debt", "debt").await?;
        Ok(id)
    }

    /// Records the contract promised or the contract found; the latest of each counts.
    /// Returns its id.
    pub async fn record_labour_contract(
        &self,
        actor: &Actor,
        case_id: Uuid,
        contract: NewContract,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = begin_write(self, actor, case_id, "labour.contract").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let json = serde_json::to_string(&SealedTerms::from(&contract.terms))
            .map_err(|_| StoreError::Corrupt("contract terms"))?;
        let terms = tx.keys.seal_str(Field::LabourContractTerms, &key, &json)?;
        sqlx::query(
            "INSERT INTO labour_contracts (id, case_id, version, terms, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(contract.version.as_str())
        .bind(terms)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        let what = match contract.version {
            ContractVersion::Promised => "contract promised",
            ContractVersion::Found => "contract found",
        };
        finish_write(tx, actor, &case, "labour.contract", what).await?;
        Ok(id)
    }

    /// Records wages owed to the worker. Returns the record's id.
    pub async fn record_labour_wages(
        &self,
        actor: &Actor,
        case_id: Uuid,
        wages: NewWages,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = begin_write(self, actor, case_id, "labour.wages").await?;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO labour_wages (id, case_id, period_from, period_to, amount_minor, currency, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.to_string())
        .bind(case.key())
        .bind(wages.period_from.to_string())
        .bind(wages.period_to.map(|d| d.to_string()))
        .bind(wages.money.minor)
        .bind(wages.money.currency.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish_write(tx, actor, &case, "labour.wages", "wages owed").await?;
        Ok(id)
    }

    /// Records a wage or compensation claim, at stage `preparing` with nothing recovered.
    /// Returns its id.
    pub async fn record_labour_claim(
        &self,
        actor: &Actor,
        case_id: Uuid,
        claim: NewClaim,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = begin_write(self, actor, case_id, "labour.claim").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let note = seal_opt(&tx, Field::LabourClaimNote, &key, claim.note.as_deref())?;
        sqlx::query(
            "INSERT INTO labour_claims (id, case_id, kind, subject, stage, amount_claimed, \
             amount_recovered, currency, deadline, note, version, recorded_by, recorded_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, 1, $10, $11, $11)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(claim.kind.as_str())
        .bind(claim.subject.as_str())
        .bind(ClaimStage::Preparing.as_str())
        .bind(claim.claimed.minor)
        .bind(claim.claimed.currency.as_str())
        .bind(claim.deadline.map(|d| d.to_string()))
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        deadline_task(
            &mut tx,
            actor,
            &case,
            &key,
            claim.kind,
            ClaimStage::Preparing,
            claim.deadline,
        )
        .await?;
        finish_write(tx, actor, &case, "labour.claim", "claim").await?;
        Ok(id)
    }

    /// Moves a claim on, records what was recovered or sets its deadline, if the claim is
    /// still at `version` (else `VersionConflict`, nothing written). The stage move is checked
    /// by `passage_core::labour::remedies::may_move` against the stage as stored; a refused
    /// change is audited and answered with the problems, naming the field. Returns the new
    /// version.
    pub async fn change_labour_claim(
        &self,
        actor: &Actor,
        case_id: Uuid,
        claim_id: Uuid,
        version: i64,
        change: RawClaimChange,
    ) -> Result<i64, StoreError> {
        let (mut tx, case) = begin_write(self, actor, case_id, "labour.claim_change").await?;
        let row = sqlx::query(
            "SELECT id, kind, subject, stage, amount_claimed, amount_recovered, currency, \
             deadline, note, version, recorded_at, updated_at FROM labour_claims \
             WHERE id = $1 AND case_id = $2",
        )
        .bind(claim_id.to_string())
        .bind(case.key())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some(row) = row else {
            tx.audit(actor.event("labour.claim_change", "case", Some(case.key()), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let claim = claim_of(&tx, &claim_id.to_string(), &row)?;
        let checked = if claim.version != version {
            Err((
                "version_conflict",
                StoreError::VersionConflict {
                    current: claim.version,
                },
            ))
        } else {
            change
                .validate(claim.stage, claim.claimed)
                .map_err(|p| ("invalid", StoreError::Invalid(p)))
        };
        let change = match checked {
            Ok(change) => change,
            Err((outcome, e)) => {
                tx.audit(actor.event("labour.claim_change", "case", Some(case.key()), outcome))
                    .await?;
                tx.commit().await?;
                return Err(e);
            }
        };
        let stage = change.stage.unwrap_or(claim.stage);
        let recovered = change.recovered.unwrap_or(claim.recovered.minor);
        let deadline = change.deadline.or(claim.deadline);
        let done = sqlx::query(
            "UPDATE labour_claims SET stage = $1, amount_recovered = $2, deadline = $3, \
             version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
        )
        .bind(stage.as_str())
        .bind(recovered)
        .bind(deadline.map(|d| d.to_string()))
        .bind(tx.now)
        .bind(claim_id.to_string())
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::VersionConflict {
                current: claim.version,
            });
        }
        deadline_task(
            &mut tx,
            actor,
            &case,
            &claim_id.to_string(),
            claim.kind,
            stage,
            deadline,
        )
        .await?;
        if stage != claim.stage {
            record_history(
                &mut tx,
                actor,
                &case,
                "claim_stage",
                Some(claim.stage.as_str()),
                Some(stage.as_str()),
            )
            .await?;
        }
        tx.audit(actor.event("labour.claim_change", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}
