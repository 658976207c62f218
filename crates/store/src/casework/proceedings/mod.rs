//! Proceedings, perpetrators and the victim's rights in them (issue 17 item 3).
//!
//! Who: the case's own access rules ([`gate`]), narrowed to the case's own organisation. A
//! partner the case was referred to reads the case as the referral allows, but never a
//! perpetrator, a proceeding or the person's stance on cooperation: for it, as for any other
//! organisation, they answer as for a case that does not exist. Immigration enforcement is
//! refused by the firewall before any case is looked at.
//!
//! Perpetrators are not persons in care: they live in their own table, with no row in
//! `persons`, no blind index, and so no place in name search, linkage, duplicates or exports.
//! Every value of theirs is sealed (the HTCDS facts as one sealed JSON value, the details
//! apart). Authority, reference, hearing places and sentences are sealed too.
//!
//! A hearing keeps a task on the case's work list, due [`HEARING_TASK_DAYS_BEFORE`] days before
//! it (moved with the hearing, closed when it is cancelled or the proceeding closes), and its
//! day is among the case's deadlines for the case's organisation ([`hearing_deadlines`]).
//! Compensation ordered and paid joins the case's remedies ([`Store::remedies`]) beside the
//! labour claims.
//!
//! The stance on cooperation with law enforcement is recorded here and read nowhere else:
//! needs, plan, services and referrals never depend on it.
//!
//! [`HEARING_TASK_DAYS_BEFORE`]: passage_core::casework::proceedings::HEARING_TASK_DAYS_BEFORE

mod cooperation;
mod hearings;
mod outcome;
mod perpetrators;
mod register;

pub(crate) use hearings::hearing_deadlines;

use super::protection::firewall;
use super::{CaseAccess, gate, gate_write, record_history};
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::proceedings::{
    AgeBand, CooperationStance, HearingKind, MeasureKind, MeasureStatus, PerpetratorRelation,
    PerpetratorRole, ProceedingKind, ProceedingOutcome, ProceedingStage, VictimRole,
};
use passage_core::labour::money::{Currency, Money};
use passage_core::policy::Action;
use passage_core::vocab::Sex;
use passage_core::{Country, ErrorCode};
use uuid::Uuid;

/// A perpetrator as the case's organisation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerpetratorRecord {
    pub id: Uuid,
    pub roles: Vec<PerpetratorRole>,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<Country>,
    pub relation: Option<PerpetratorRelation>,
    pub details: Option<String>,
    pub recorded_at: i64,
}

/// One move of a proceeding's stage: from (none when it was recorded), to, who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageMove {
    pub from: Option<ProceedingStage>,
    pub to: ProceedingStage,
    pub by: String,
    pub at: i64,
}

/// A protection measure asked for the victim, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRecord {
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    pub updated_at: i64,
}

/// A hearing of a proceeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingRecord {
    pub id: Uuid,
    pub date: Day,
    pub time: Option<String>,
    pub kind: HearingKind,
    pub place: Option<String>,
    pub cancelled: bool,
    /// The preparation task on the case's work list.
    pub task_id: Option<Uuid>,
}

/// A payment of ordered compensation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: Uuid,
    pub money: Money,
    pub paid_on: Day,
}

/// Compensation ordered in a proceeding, with what was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationRecord {
    pub ordered: Money,
    pub paid: Money,
    pub payments: Vec<PaymentRecord>,
}

/// A proceeding with everything recorded of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProceedingRecord {
    pub id: Uuid,
    pub kind: ProceedingKind,
    pub stage: ProceedingStage,
    pub authority: Option<String>,
    pub reference: Option<String>,
    pub victim_role: VictimRole,
    pub outcome: Option<ProceedingOutcome>,
    pub sentence: Option<String>,
    pub decided_on: Option<Day>,
    pub stages: Vec<StageMove>,
    pub perpetrators: Vec<Uuid>,
    pub measures: Vec<MeasureRecord>,
    pub hearings: Vec<HearingRecord>,
    pub compensation: Option<CompensationRecord>,
    pub recorded_at: i64,
}

/// The person's stance on cooperating with law enforcement, as last recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CooperationRecord {
    pub stance: CooperationStance,
    pub stated_on: Day,
    pub recorded_at: i64,
}

/// Where a remedy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemedySource {
    /// A labour claim of the case.
    Claim,
    /// Compensation ordered in a proceeding of the case.
    Proceeding,
}

/// One remedy: what was asked, awarded and actually recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemedyLine {
    pub source: RemedySource,
    /// The claim's or the proceeding's id.
    pub id: Uuid,
    /// The claim kind or the proceeding kind, as its vocabulary spells it.
    pub kind: &'static str,
    pub claimed: Option<Money>,
    pub awarded: Option<Money>,
    pub recovered: Money,
}

/// Totals in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemedyTotal {
    pub currency: Currency,
    pub claimed: i64,
    pub awarded: i64,
    pub recovered: i64,
}

/// The remedies of a case: labour claims and compensation ordered in proceedings, in one
/// place, with totals per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remedies {
    pub lines: Vec<RemedyLine>,
    pub totals: Vec<RemedyTotal>,
}

/// The gate: firewall first, then the case's own access rules, then the case's own
/// organisation only. Anyone else is answered `NotFound`, audited as refused.
async fn own(
    store: &Store,
    actor: &Actor,
    case_id: Uuid,
    write: bool,
    action: &str,
) -> Result<(Tx, CaseAccess), StoreError> {
    firewall(actor)?;
    let tx = store.begin().await?;
    let (mut tx, case) = if write {
        gate_write(tx, actor, case_id, action).await?
    } else {
        gate(tx, actor, case_id, Action::ReadCase, action).await?
    };
    if case.org_id() != actor.org_id() {
        tx.audit(actor.event(action, "case", Some(case.key()), "refused"))
            .await?;
        tx.commit().await?;
        return Err(StoreError::NotFound);
    }
    Ok((tx, case))
}

/// Commits the audit of a refusal and hands the refusal back.
async fn refuse<T>(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    object: &str,
    id: String,
    e: StoreError,
) -> Result<T, StoreError> {
    let outcome = match &e {
        StoreError::NotFound => "not_found",
        _ => "refused",
    };
    tx.audit(actor.event(action, object, Some(id), outcome))
        .await?;
    tx.commit().await?;
    Err(e)
}

/// Ends a write: the case history names the kind of thing changed, the audit who did it.
async fn finish(
    mut tx: Tx,
    actor: &Actor,
    case: &CaseAccess,
    action: &str,
    object: &str,
    id: String,
    history: (&str, Option<&str>, Option<&str>),
) -> Result<(), StoreError> {
    record_history(&mut tx, actor, case, history.0, history.1, history.2).await?;
    tx.audit(actor.event(action, object, Some(id), "ok"))
        .await?;
    tx.commit().await?;
    Ok(())
}

fn day(text: &str) -> Result<Day, StoreError> {
    Day::parse(text).ok_or(StoreError::Corrupt("proceeding date"))
}

fn open_opt(tx: &Tx, f: Field, id: &str, b: Option<Vec<u8>>) -> Result<Option<String>, StoreError> {
    b.map(|b| tx.keys.open_str(f, id, &b)).transpose()
}

fn seal_opt(tx: &Tx, f: Field, id: &str, v: Option<&str>) -> Result<Option<Vec<u8>>, StoreError> {
    v.map(|v| tx.keys.seal_str(f, id, v)).transpose()
}

fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::parse(code).ok_or(StoreError::Corrupt("currency"))
}

/// The stage of proceeding `pid` if it belongs to the case; `NotFound` otherwise.
async fn stage_of(
    tx: &mut Tx,
    case: &CaseAccess,
    pid: Uuid,
) -> Result<ProceedingStage, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT stage FROM proceedings WHERE id = $1 AND case_id = $2")
            .bind(pid.to_string())
            .bind(case.key())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((stage,)) = row else {
        return Err(StoreError::NotFound);
    };
    ProceedingStage::parse(&stage).ok_or(StoreError::Corrupt("proceeding stage"))
}

/// Like [`stage_of`], refusing a closed proceeding (`transition_not_allowed`).
async fn open_proceeding_of(
    tx: &mut Tx,
    case: &CaseAccess,
    pid: Uuid,
) -> Result<ProceedingStage, StoreError> {
    let stage = stage_of(tx, case, pid).await?;
    if stage == ProceedingStage::Closed {
        return Err(StoreError::Rule {
            code: ErrorCode::TransitionNotAllowed,
            message: "This proceeding is closed.".into(),
        });
    }
    Ok(stage)
}

async fn add_stage_move(
    tx: &mut Tx,
    actor: &Actor,
    pid: &str,
    from: Option<ProceedingStage>,
    to: ProceedingStage,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO proceeding_stages (id, proceeding_id, from_stage, to_stage, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(pid)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

/// Closes an open task (a hearing cancelled, a proceeding closed).
async fn close_task(tx: &mut Tx, actor: &Actor, task: &str) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE tasks SET done_at = $1, version = version + 1 WHERE id = $2 AND done_at IS NULL",
    )
    .bind(tx.now)
    .bind(task)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 1 {
        tx.audit(actor.event("task.complete", "task", Some(task.to_string()), "ok"))
            .await?;
    }
    Ok(())
}
