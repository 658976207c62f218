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

use super::protection::firewall;
use super::{CaseAccess, gate, gate_write, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::deadlines::{Deadline, DeadlineKind};
use passage_core::casework::proceedings::{
    AgeBand, CooperationStance, HEARING_TASK_DAYS_BEFORE, HearingChange, HearingKind, MeasureKind,
    MeasureStatus, NewHearing, NewOutcome, NewPerpetrator, NewProceeding, PerpetratorRelation,
    PerpetratorRole, ProceedingKind, ProceedingOutcome, ProceedingStage, RawPayment, VictimRole,
    stage_change,
};
use passage_core::labour::money::{Currency, Money};
use passage_core::policy::Action;
use passage_core::vocab::Sex;
use passage_core::{Country, ErrorCode};
use serde::{Deserialize, Serialize};
use sqlx::Row;
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

/// A perpetrator's HTCDS facts as sealed: one JSON value.
#[derive(Serialize, Deserialize, Default)]
struct SealedFacts {
    roles: Vec<String>,
    sex: Option<String>,
    age_band: Option<String>,
    citizenship: Option<String>,
    relation: Option<String>,
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

/// Makes the preparation task of a hearing: due seven days before it, assigned to the case's
/// caseworker (or else the actor). Its title names the kind of hearing only.
async fn hearing_task(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    kind: HearingKind,
    date: Day,
) -> Result<String, StoreError> {
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
    let title = format!(
        "Prepare the person for the {} hearing on {date}",
        kind.as_str()
    );
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
    .bind(date.plus_days(-HEARING_TASK_DAYS_BEFORE).to_string())
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .execute(&mut *tx.tx)
    .await?;
    tx.audit(actor.event("task.create", "task", Some(id.clone()), "ok"))
        .await?;
    Ok(id)
}

/// The hearing days of a case's open proceedings, as deadlines: for the case's own
/// organisation only (anyone else gets none). `met` once the day has passed.
pub(crate) async fn hearing_deadlines(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
) -> Result<Vec<Deadline>, StoreError> {
    if case.org_id() != actor.org_id() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT h.held_on FROM hearings h JOIN proceedings p ON p.id = h.proceeding_id \
         WHERE p.case_id = $1 AND p.stage <> 'closed' AND h.cancelled_at IS NULL \
         ORDER BY h.held_on, h.id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let today = Day::from_unix_ms(tx.now);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let on = day(&r.try_get::<String, _>("held_on")?)?;
        out.push(Deadline {
            kind: DeadlineKind::Hearing,
            due: on.to_string(),
            met: on < today,
        });
    }
    Ok(out)
}

async fn read_perpetrators(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<Vec<PerpetratorRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, facts, details, created_at FROM perpetrators WHERE case_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let json = tx.keys.open_str(
            Field::PerpetratorFacts,
            &id,
            &r.try_get::<Vec<u8>, _>("facts")?,
        )?;
        let f: SealedFacts =
            serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("perpetrator facts"))?;
        let roles = f
            .roles
            .iter()
            .map(|r| PerpetratorRole::parse(r).ok_or(StoreError::Corrupt("perpetrator role")))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(PerpetratorRecord {
            roles,
            sex: f.sex.as_deref().and_then(Sex::parse),
            age_band: f.age_band.as_deref().and_then(AgeBand::parse),
            citizenship: f.citizenship.as_deref().and_then(Country::parse),
            relation: f.relation.as_deref().and_then(PerpetratorRelation::parse),
            details: open_opt(tx, Field::PerpetratorDetails, &id, r.try_get("details")?)?,
            recorded_at: r.try_get("created_at")?,
            id: parse_uuid(&id)?,
        });
    }
    Ok(out)
}

async fn read_proceedings(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<Vec<ProceedingRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, kind, stage, authority, reference, victim_role, outcome, sentence, decided_on, \
         compensation_minor, currency, created_at FROM proceedings WHERE case_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let mut stages = Vec::new();
        for s in sqlx::query(
            "SELECT s.from_stage, s.to_stage, s.changed_at, u.display_name FROM proceeding_stages s \
             LEFT JOIN users u ON u.id = s.changed_by WHERE s.proceeding_id = $1 \
             ORDER BY s.changed_at, s.id",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            stages.push(StageMove {
                from: s
                    .try_get::<Option<String>, _>("from_stage")?
                    .as_deref()
                    .and_then(ProceedingStage::parse),
                to: ProceedingStage::parse(&s.try_get::<String, _>("to_stage")?)
                    .ok_or(StoreError::Corrupt("proceeding stage"))?,
                by: s
                    .try_get::<Option<String>, _>("display_name")?
                    .unwrap_or_default(),
                at: s.try_get("changed_at")?,
            });
        }
        let mut perpetrators = Vec::new();
        for p in sqlx::query(
            "SELECT perpetrator_id FROM proceeding_perpetrators WHERE proceeding_id = $1 \
             ORDER BY created_at, perpetrator_id",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            perpetrators.push(parse_uuid(&p.try_get::<String, _>("perpetrator_id")?)?);
        }
        let mut measures = Vec::new();
        for m in sqlx::query(
            "SELECT kind, status, updated_at FROM proceeding_measures WHERE proceeding_id = $1 \
             ORDER BY kind",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            measures.push(MeasureRecord {
                kind: MeasureKind::parse(&m.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("measure kind"))?,
                status: MeasureStatus::parse(&m.try_get::<String, _>("status")?)
                    .ok_or(StoreError::Corrupt("measure status"))?,
                updated_at: m.try_get("updated_at")?,
            });
        }
        let mut hearings = Vec::new();
        for h in sqlx::query(
            "SELECT id, held_on, at_time, kind, place, cancelled_at, task_id FROM hearings \
             WHERE proceeding_id = $1 ORDER BY held_on, at_time, id",
        )
        .bind(&id)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            let hid: String = h.try_get("id")?;
            hearings.push(HearingRecord {
                date: day(&h.try_get::<String, _>("held_on")?)?,
                time: h.try_get("at_time")?,
                kind: HearingKind::parse(&h.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("hearing kind"))?,
                place: open_opt(tx, Field::HearingPlace, &hid, h.try_get("place")?)?,
                cancelled: h.try_get::<Option<i64>, _>("cancelled_at")?.is_some(),
                task_id: h
                    .try_get::<Option<String>, _>("task_id")?
                    .map(|t| parse_uuid(&t))
                    .transpose()?,
                id: parse_uuid(&hid)?,
            });
        }
        let ordered = match (
            r.try_get::<Option<i64>, _>("compensation_minor")?,
            r.try_get::<Option<String>, _>("currency")?,
        ) {
            (Some(minor), Some(c)) => Some(Money {
                minor,
                currency: currency(&c)?,
            }),
            _ => None,
        };
        let compensation = match ordered {
            None => None,
            Some(ordered) => {
                let mut payments = Vec::new();
                for p in sqlx::query(
                    "SELECT id, amount_minor, paid_on FROM compensation_payments \
                     WHERE proceeding_id = $1 ORDER BY paid_on, id",
                )
                .bind(&id)
                .fetch_all(&mut *tx.tx)
                .await?
                {
                    payments.push(PaymentRecord {
                        id: parse_uuid(&p.try_get::<String, _>("id")?)?,
                        money: Money {
                            minor: p.try_get("amount_minor")?,
                            currency: ordered.currency,
                        },
                        paid_on: day(&p.try_get::<String, _>("paid_on")?)?,
                    });
                }
                let paid = payments.iter().map(|p| p.money.minor).sum();
                Some(CompensationRecord {
                    ordered,
                    paid: Money {
                        minor: paid,
                        currency: ordered.currency,
                    },
                    payments,
                })
            }
        };
        out.push(ProceedingRecord {
            kind: ProceedingKind::parse(&r.try_get::<String, _>("kind")?)
                .ok_or(StoreError::Corrupt("proceeding kind"))?,
            stage: ProceedingStage::parse(&r.try_get::<String, _>("stage")?)
                .ok_or(StoreError::Corrupt("proceeding stage"))?,
            authority: open_opt(tx, Field::ProceedingAuthority, &id, r.try_get("authority")?)?,
            reference: open_opt(tx, Field::ProceedingReference, &id, r.try_get("reference")?)?,
            victim_role: VictimRole::parse(&r.try_get::<String, _>("victim_role")?)
                .ok_or(StoreError::Corrupt("victim role"))?,
            outcome: r
                .try_get::<Option<String>, _>("outcome")?
                .map(|o| ProceedingOutcome::parse(&o).ok_or(StoreError::Corrupt("outcome")))
                .transpose()?,
            sentence: open_opt(tx, Field::ProceedingSentence, &id, r.try_get("sentence")?)?,
            decided_on: r
                .try_get::<Option<String>, _>("decided_on")?
                .map(|d| day(&d))
                .transpose()?,
            stages,
            perpetrators,
            measures,
            hearings,
            compensation,
            recorded_at: r.try_get("created_at")?,
            id: parse_uuid(&id)?,
        });
    }
    Ok(out)
}

impl Store {
    /// Records a perpetrator of the case (HTCDS `per_*` facts, all sealed). Returns its id.
    pub async fn record_perpetrator(
        &self,
        actor: &Actor,
        case_id: Uuid,
        p: NewPerpetrator,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, true, "perpetrator.record").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let facts = SealedFacts {
            roles: p.roles.iter().map(|r| r.as_str().to_string()).collect(),
            sex: p.sex.map(|s| s.as_str().to_string()),
            age_band: p.age_band.map(|a| a.as_str().to_string()),
            citizenship: p.citizenship.map(|c| c.as_str().to_string()),
            relation: p.relation.map(|r| r.as_str().to_string()),
        };
        let json =
            serde_json::to_string(&facts).map_err(|_| StoreError::Corrupt("perpetrator facts"))?;
        let sealed = tx.keys.seal_str(Field::PerpetratorFacts, &key, &json)?;
        let details = seal_opt(&tx, Field::PerpetratorDetails, &key, p.details.as_deref())?;
        sqlx::query(
            "INSERT INTO perpetrators (id, case_id, facts, details, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(sealed)
        .bind(details)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            "perpetrator.record",
            "perpetrator",
            key,
            ("perpetrator", None, Some("recorded")),
        )
        .await?;
        Ok(id)
    }

    /// The perpetrators of a case, oldest first.
    pub async fn perpetrators(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<PerpetratorRecord>, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, false, "perpetrator.list").await?;
        let out = read_perpetrators(&mut tx, &case).await?;
        tx.audit(actor.event("perpetrator.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Records a proceeding of the case at its stage, with the first line of its stage
    /// history. Returns its id.
    pub async fn open_proceeding(
        &self,
        actor: &Actor,
        case_id: Uuid,
        p: NewProceeding,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, true, "proceeding.open").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let authority = seal_opt(
            &tx,
            Field::ProceedingAuthority,
            &key,
            p.authority.as_deref(),
        )?;
        let reference = seal_opt(
            &tx,
            Field::ProceedingReference,
            &key,
            p.reference.as_deref(),
        )?;
        sqlx::query(
            "INSERT INTO proceedings (id, case_id, kind, stage, authority, reference, victim_role, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(p.kind.as_str())
        .bind(p.stage.as_str())
        .bind(authority)
        .bind(reference)
        .bind(p.victim_role.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        add_stage_move(&mut tx, actor, &key, None, p.stage).await?;
        finish(
            tx,
            actor,
            &case,
            "proceeding.open",
            "proceeding",
            key,
            ("proceeding", None, Some(p.stage.as_str())),
        )
        .await?;
        Ok(id)
    }

    /// Moves a proceeding to a later stage or closes it (checked by
    /// `passage_core::casework::proceedings::may_move` against the stage as stored; a refusal
    /// names `stage`, is audited and writes nothing). Closing closes the open tasks of its
    /// hearings.
    pub async fn move_proceeding(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        stage: &str,
    ) -> Result<ProceedingStage, StoreError> {
        let action = "proceeding.stage";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        let at = match stage_of(&mut tx, &case, pid).await {
            Ok(s) => s,
            Err(e) => return refuse(tx, actor, action, "proceeding", key, e).await,
        };
        let to = match stage_change(at, stage) {
            Ok(to) => to,
            Err(p) => {
                let e = StoreError::Invalid(p);
                return refuse(tx, actor, action, "proceeding", key, e).await;
            }
        };
        sqlx::query("UPDATE proceedings SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(to.as_str())
            .bind(tx.now)
            .bind(&key)
            .execute(&mut *tx.tx)
            .await?;
        add_stage_move(&mut tx, actor, &key, Some(at), to).await?;
        if to == ProceedingStage::Closed {
            let tasks: Vec<(String,)> = sqlx::query_as(
                "SELECT task_id FROM hearings WHERE proceeding_id = $1 AND task_id IS NOT NULL",
            )
            .bind(&key)
            .fetch_all(&mut *tx.tx)
            .await?;
            for (t,) in tasks {
                close_task(&mut tx, actor, &t).await?;
            }
        }
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("proceeding", Some(at.as_str()), Some(to.as_str())),
        )
        .await?;
        Ok(to)
    }

    /// Links a perpetrator of the same case to a proceeding. A perpetrator of another case is
    /// `invalid_value` on `perpetrator_id`; linking twice is `already_linked`.
    pub async fn link_perpetrator(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        perpetrator: Uuid,
    ) -> Result<(), StoreError> {
        let action = "proceeding.perpetrator";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let of_case: Option<(String,)> =
            sqlx::query_as("SELECT id FROM perpetrators WHERE id = $1 AND case_id = $2")
                .bind(perpetrator.to_string())
                .bind(case.key())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if of_case.is_none() {
            let e = StoreError::invalid(
                "perpetrator_id",
                ErrorCode::InvalidValue,
                "perpetrator_id must be a perpetrator of this case",
            );
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let linked: Option<(String,)> = sqlx::query_as(
            "SELECT proceeding_id FROM proceeding_perpetrators WHERE proceeding_id = $1 AND perpetrator_id = $2",
        )
        .bind(&key)
        .bind(perpetrator.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if linked.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::AlreadyLinked,
                message: "This perpetrator is already linked to the proceeding.".into(),
            };
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        sqlx::query(
            "INSERT INTO proceeding_perpetrators (proceeding_id, perpetrator_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&key)
        .bind(perpetrator.to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "proceeding", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a protection measure asked for the victim, or where it now stands (granted,
    /// refused): one line per measure and proceeding.
    pub async fn set_measure(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        kind: MeasureKind,
        status: MeasureStatus,
    ) -> Result<(), StoreError> {
        let action = "proceeding.measure";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let done = sqlx::query(
            "UPDATE proceeding_measures SET status = $1, updated_by = $2, updated_at = $3 \
             WHERE proceeding_id = $4 AND kind = $5",
        )
        .bind(status.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .bind(kind.as_str())
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO proceeding_measures (id, proceeding_id, kind, status, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(&key)
            .bind(kind.as_str())
            .bind(status.as_str())
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
        }
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            (
                "protection_measure",
                Some(kind.as_str()),
                Some(status.as_str()),
            ),
        )
        .await
    }

    /// Records a hearing of an open proceeding, with its preparation task on the case's work
    /// list due seven days before. Returns its id.
    pub async fn add_hearing(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        h: NewHearing,
    ) -> Result<Uuid, StoreError> {
        let action = "proceeding.hearing";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let pkey = pid.to_string();
        if let Err(e) = open_proceeding_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", pkey, e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let place = seal_opt(&tx, Field::HearingPlace, &key, h.place.as_deref())?;
        let task = hearing_task(&mut tx, actor, &case, h.kind, h.date).await?;
        sqlx::query(
            "INSERT INTO hearings (id, proceeding_id, held_on, at_time, kind, place, task_id, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&key)
        .bind(&pkey)
        .bind(h.date.to_string())
        .bind(h.time.as_deref())
        .bind(h.kind.as_str())
        .bind(place)
        .bind(task)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "hearing",
            key,
            ("hearing", None, Some(h.kind.as_str())),
        )
        .await?;
        Ok(id)
    }

    /// Moves a hearing (its task moves with it) or cancels it (its task is closed). A
    /// cancelled hearing, or one of a closed proceeding, takes no more changes
    /// (`transition_not_allowed`).
    pub async fn change_hearing(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        hid: Uuid,
        change: HearingChange,
    ) -> Result<(), StoreError> {
        let action = "proceeding.hearing_change";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = hid.to_string();
        if let Err(e) = open_proceeding_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "hearing", key, e).await;
        }
        let row: Option<(Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT cancelled_at, task_id FROM hearings WHERE id = $1 AND proceeding_id = $2",
        )
        .bind(&key)
        .bind(pid.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((cancelled, task)) = row else {
            return refuse(tx, actor, action, "hearing", key, StoreError::NotFound).await;
        };
        if cancelled.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::TransitionNotAllowed,
                message: "This hearing was cancelled.".into(),
            };
            return refuse(tx, actor, action, "hearing", key, e).await;
        }
        let what = match change {
            HearingChange::Cancelled => {
                sqlx::query("UPDATE hearings SET cancelled_at = $1, updated_at = $1 WHERE id = $2")
                    .bind(tx.now)
                    .bind(&key)
                    .execute(&mut *tx.tx)
                    .await?;
                if let Some(t) = &task {
                    close_task(&mut tx, actor, t).await?;
                }
                "cancelled"
            }
            HearingChange::Moved { date, time } => {
                sqlx::query(
                    "UPDATE hearings SET held_on = $1, at_time = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(date.to_string())
                .bind(time.as_deref())
                .bind(tx.now)
                .bind(&key)
                .execute(&mut *tx.tx)
                .await?;
                if let Some(t) = &task {
                    let moved = sqlx::query(
                        "UPDATE tasks SET due_on = $1, version = version + 1 WHERE id = $2 AND done_at IS NULL",
                    )
                    .bind(date.plus_days(-HEARING_TASK_DAYS_BEFORE).to_string())
                    .bind(t)
                    .execute(&mut *tx.tx)
                    .await?;
                    if moved.rows_affected() == 1 {
                        tx.audit(actor.event("task.reschedule", "task", Some(t.clone()), "ok"))
                            .await?;
                    }
                }
                "moved"
            }
        };
        finish(
            tx,
            actor,
            &case,
            action,
            "hearing",
            key,
            ("hearing", None, Some(what)),
        )
        .await
    }

    /// Records how a proceeding ended and the sentence (sealed).
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        o: NewOutcome,
    ) -> Result<(), StoreError> {
        let action = "proceeding.outcome";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let sentence = seal_opt(&tx, Field::ProceedingSentence, &key, o.sentence.as_deref())?;
        sqlx::query(
            "UPDATE proceedings SET outcome = $1, sentence = $2, decided_on = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(o.outcome.as_str())
        .bind(sentence)
        .bind(o.decided_on.map(|d| d.to_string()))
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("proceeding_outcome", None, Some(o.outcome.as_str())),
        )
        .await
    }

    /// Records the compensation ordered in a proceeding. Once payments are recorded the
    /// currency cannot change (`invalid_value` on `currency`).
    pub async fn order_compensation(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        ordered: Money,
    ) -> Result<(), StoreError> {
        let action = "proceeding.compensation";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let current: Option<(Option<String>,)> =
            sqlx::query_as("SELECT currency FROM proceedings WHERE id = $1")
                .bind(&key)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let paid: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM compensation_payments WHERE proceeding_id = $1")
                .bind(&key)
                .fetch_one(&mut *tx.tx)
                .await?;
        if let Some((Some(c),)) = current
            && paid.0 > 0
            && c != ordered.currency.as_str()
        {
            let e = StoreError::invalid(
                "currency",
                ErrorCode::InvalidValue,
                format!("currency must stay {c}: payments were recorded in it"),
            );
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        sqlx::query(
            "UPDATE proceedings SET compensation_minor = $1, currency = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(ordered.minor)
        .bind(ordered.currency.as_str())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("compensation", None, Some("ordered")),
        )
        .await
    }

    /// Records a payment of ordered compensation, in the order's currency. Without an order
    /// it is `invalid_value` on `amount`. Returns its id.
    pub async fn record_payment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        raw: RawPayment,
    ) -> Result<Uuid, StoreError> {
        let action = "proceeding.payment";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let cur: (Option<String>,) =
            sqlx::query_as("SELECT currency FROM proceedings WHERE id = $1")
                .bind(&key)
                .fetch_one(&mut *tx.tx)
                .await?;
        let Some(code) = cur.0 else {
            let e = StoreError::invalid(
                "amount",
                ErrorCode::InvalidValue,
                "record the compensation ordered before a payment",
            );
            return refuse(tx, actor, action, "proceeding", key, e).await;
        };
        let payment = match raw.validate(currency(&code)?) {
            Ok(p) => p,
            Err(p) => {
                return refuse(tx, actor, action, "proceeding", key, StoreError::Invalid(p)).await;
            }
        };
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO compensation_payments (id, proceeding_id, amount_minor, paid_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(&key)
        .bind(payment.minor)
        .bind(payment.paid_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            action,
            "proceeding",
            key,
            ("compensation", None, Some("paid")),
        )
        .await?;
        Ok(id)
    }

    /// The proceedings of a case, newest first, with their stage history, perpetrators,
    /// measures, hearings and compensation.
    pub async fn proceedings(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<ProceedingRecord>, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, false, "proceeding.list").await?;
        let out = read_proceedings(&mut tx, &case).await?;
        tx.audit(actor.event("proceeding.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Records the person's stance on cooperating with law enforcement. Nothing else reads
    /// it: assistance never depends on cooperation.
    pub async fn record_cooperation(
        &self,
        actor: &Actor,
        case_id: Uuid,
        stance: CooperationStance,
        stated_on: Day,
    ) -> Result<(), StoreError> {
        let action = "cooperation.record";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        sqlx::query(
            "INSERT INTO cooperation_stances (id, case_id, stance, stated_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(case.key())
        .bind(stance.as_str())
        .bind(stated_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        let key = case.key();
        finish(
            tx,
            actor,
            &case,
            action,
            "case",
            key,
            ("cooperation", None, Some(stance.as_str())),
        )
        .await
    }

    /// The person's stance on cooperation as last recorded, if any.
    pub async fn cooperation(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Option<CooperationRecord>, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, false, "cooperation.read").await?;
        let row = sqlx::query(
            "SELECT stance, stated_on, recorded_at FROM cooperation_stances WHERE case_id = $1 \
             ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(case.key())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let out = match row {
            None => None,
            Some(r) => Some(CooperationRecord {
                stance: CooperationStance::parse(&r.try_get::<String, _>("stance")?)
                    .ok_or(StoreError::Corrupt("cooperation stance"))?,
                stated_on: day(&r.try_get::<String, _>("stated_on")?)?,
                recorded_at: r.try_get("recorded_at")?,
            }),
        };
        tx.audit(actor.event("cooperation.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The remedies of a case in one place: its labour claims (claimed and recovered) and,
    /// for the case's own organisation, compensation ordered in its proceedings (awarded and
    /// paid), with totals per currency. A reader of the case from another organisation (a
    /// referral's receiver) sees the claims only.
    pub async fn remedies(&self, actor: &Actor, case_id: Uuid) -> Result<Remedies, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "remedies.read").await?;
        let mut lines = Vec::new();
        for r in sqlx::query(
            "SELECT id, kind, amount_claimed, amount_recovered, currency FROM labour_claims \
             WHERE case_id = $1 ORDER BY recorded_at, id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?
        {
            let cur = currency(&r.try_get::<String, _>("currency")?)?;
            let kind =
                passage_core::labour::remedies::ClaimKind::parse(&r.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("claim kind"))?;
            lines.push(RemedyLine {
                source: RemedySource::Claim,
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                kind: kind.as_str(),
                claimed: Some(Money {
                    minor: r.try_get("amount_claimed")?,
                    currency: cur,
                }),
                awarded: None,
                recovered: Money {
                    minor: r.try_get("amount_recovered")?,
                    currency: cur,
                },
            });
        }
        if case.org_id() == actor.org_id() {
            for p in read_proceedings(&mut tx, &case).await? {
                if let Some(c) = p.compensation {
                    lines.push(RemedyLine {
                        source: RemedySource::Proceeding,
                        id: p.id,
                        kind: p.kind.as_str(),
                        claimed: None,
                        awarded: Some(c.ordered),
                        recovered: c.paid,
                    });
                }
            }
        }
        let mut totals: Vec<RemedyTotal> = Vec::new();
        for l in &lines {
            let cur = l.recovered.currency;
            let i = match totals.iter().position(|t| t.currency == cur) {
                Some(i) => i,
                None => {
                    totals.push(RemedyTotal {
                        currency: cur,
                        claimed: 0,
                        awarded: 0,
                        recovered: 0,
                    });
                    totals.len() - 1
                }
            };
            let t = &mut totals[i];
            t.claimed += l.claimed.map_or(0, |m| m.minor);
            t.awarded += l.awarded.map_or(0, |m| m.minor);
            t.recovered += l.recovered.minor;
        }
        totals.sort_by(|a, b| a.currency.as_str().cmp(b.currency.as_str()));
        tx.audit(actor.event("remedies.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(Remedies { lines, totals })
    }
}
