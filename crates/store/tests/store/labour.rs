//! What happened to the worker, and their claims, on every backend (issue 15 items 3 and 4).
//! The case's own organisation records fees, debts, both contracts, wages owed and claims;
//! a reader of the case reads them back with the substitution the contracts show and the
//! screening indicators they support; whom a fee was paid to and the contracts are sealed at
//! rest. Another organisation finds nothing (consent to a referral or not), immigration
//! enforcement is refused. A claim moves forward only, at the version it was read.

use crate::common::*;
use passage_core::casework::calendar::Day;
use passage_core::labour::Amount;
use passage_core::labour::remedies::{ClaimStage, RawClaim, RawClaimChange};
use passage_core::labour::worker::{Basis, RawContract, RawDebt, RawFee, RawWages, Term};
use passage_core::{Country, ErrorCode, OrgKind, Role};
use passage_store::{Store, StoreError};
use uuid::Uuid;

const PAID_TO: &str = "Quillfeather Manpower";
const EMPLOYER_PROMISED: &str = "Seaview Hotel";
const EMPLOYER_FOUND: &str = "Brackenmoor Farms";

fn today() -> Day {
    Day::parse("2026-06-15").expect("day")
}

fn fee() -> passage_core::labour::worker::NewFee {
    RawFee {
        kind: "placement_fee".into(),
        amount: Amount::Minor(150_000),
        currency: "USD".into(),
        paid_to: PAID_TO.into(),
        paid_on: "2025-11".into(),
        evidence: "Receipt, photographed".into(),
    }
    .validate(today())
    .expect("valid fee")
}

fn contract(
    version: &str,
    employer: &str,
    wage: &str,
    job: &str,
) -> passage_core::labour::worker::NewContract {
    RawContract {
        version: version.into(),
        wage_amount: Amount::typed(wage),
        wage_currency: "QAR".into(),
        wage_period: "month".into(),
        hours_per_week: "48".into(),
        job_title: job.into(),
        employer: employer.into(),
        place: "Doha".into(),
        days_off: "1".into(),
    }
    .validate()
    .expect("valid contract")
}

fn claim() -> passage_core::labour::remedies::NewClaim {
    RawClaim {
        kind: "labour_court".into(),
        subject: "wages".into(),
        amount: Amount::Minor(420_000),
        currency: "QAR".into(),
        deadline: "2026-09-30".into(),
        note: "Labour Dispute Settlement Committee".into(),
    }
    .validate()
    .expect("valid claim")
}

async fn org(s: &Store, name: &str, kind: OrgKind) -> Uuid {
    s.create_organisation(
        s.operator("test").authority(),
        name,
        kind,
        Country::parse("GB").expect("GB"),
    )
    .await
    .expect("org")
    .id
}

async fn count(s: &Store, sql: &'static str, case: Uuid) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(case.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn the_worker_account_reads_back_with_its_substitution_and_support(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Dizon", None).await;
    let empty = s.worker_account(&w.worker, case).await.expect("read");
    assert!(empty.fees.is_empty() && empty.supports().is_empty());

    s.record_labour_fee(&w.worker, case, fee())
        .await
        .expect("fee");
    s.record_labour_debt(
        &w.worker,
        case,
        RawDebt {
            owed_to: PAID_TO.into(),
            amount: Amount::Minor(90_000),
            currency: "USD".into(),
            terms: "10% a month".into(),
        }
        .validate()
        .expect("valid debt"),
    )
    .await
    .expect("debt");
    s.record_labour_contract(
        &w.worker,
        case,
        contract("promised", EMPLOYER_PROMISED, "2500", "Cook"),
    )
    .await
    .expect("promised");
    // Only one contract: nothing to compare yet.
    let one = s.worker_account(&w.worker, case).await.expect("read");
    assert!(one.substitution.is_empty());
    assert!(
        !one.supports()
            .iter()
            .any(|x| x.basis == Basis::ContractSubstituted)
    );
    s.record_labour_contract(
        &w.worker,
        case,
        contract("found", EMPLOYER_FOUND, "1200", "cook"),
    )
    .await
    .expect("found");
    s.record_labour_wages(
        &w.worker,
        case,
        RawWages {
            period_from: "2026-01".into(),
            period_to: "2026-04".into(),
            amount: Amount::typed("4800"),
            currency: "QAR".into(),
        }
        .validate(today())
        .expect("valid wages"),
    )
    .await
    .expect("wages");
    let claim_id = s
        .record_labour_claim(&w.worker, case, claim())
        .await
        .expect("claim");

    let a = s.worker_account(&w.worker, case).await.expect("read");
    assert_eq!(a.fees.len(), 1);
    assert_eq!(a.fees[0].paid_to, PAID_TO);
    assert_eq!(a.fees[0].money.minor, 150_000);
    assert_eq!(a.fees[0].money.currency.as_str(), "USD");
    assert_eq!(
        a.fees[0].paid_on.map(|d| d.to_string()).as_deref(),
        Some("2025-11")
    );
    assert_eq!(a.debts[0].terms.as_deref(), Some("10% a month"));
    assert_eq!(
        a.promised
            .as_ref()
            .and_then(|c| c.terms.employer.as_deref()),
        Some(EMPLOYER_PROMISED)
    );
    assert_eq!(
        a.found
            .as_ref()
            .and_then(|c| c.terms.wage)
            .map(|w| w.money.minor),
        Some(120_000)
    );
    // The job title differs only in case: not a difference.
    assert_eq!(a.substitution, vec![Term::Wage, Term::Employer]);
    assert_eq!(a.wages[0].money.minor, 480_000);
    assert_eq!(a.claims.len(), 1);
    assert_eq!(a.claims[0].id, claim_id);
    assert_eq!(a.claims[0].stage, ClaimStage::Preparing);
    assert_eq!(a.claims[0].recovered.minor, 0);
    assert_eq!(a.claims[0].version, 1);
    assert_eq!(
        a.claims[0].deadline.map(|d| d.to_string()).as_deref(),
        Some("2026-09-30")
    );

    let supported: Vec<(&str, Basis)> = a
        .supports()
        .iter()
        .map(|x| (x.indicator, x.basis))
        .collect();
    for (id, basis) in [
        ("dr_travel_recruitment", Basis::FeePaid),
        ("cd_debt_bondage", Basis::DebtOwed),
        ("dr_contract", Basis::ContractSubstituted),
        ("dr_wages", Basis::ContractSubstituted),
        ("dr_nature_of_job", Basis::ContractSubstituted),
        ("cd_withholding_wages", Basis::WagesOwed),
    ] {
        assert!(
            supported.contains(&(id, basis)),
            "{id} by {basis:?}: {supported:?}"
        );
    }
    // Hours and days off did not change: working conditions are not claimed.
    assert!(
        !supported
            .iter()
            .any(|(id, _)| *id == "dr_working_conditions")
    );

    // Sealed at rest: neither the recipient nor an employer is in the database as text.
    for (table, column) in [
        ("labour_fees", "paid_to"),
        ("labour_debts", "owed_to"),
        ("labour_contracts", "terms"),
    ] {
        let rows: Vec<(Vec<u8>,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {column} FROM {table} WHERE case_id = $1"
        )))
        .bind(case.to_string())
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
        assert!(!rows.is_empty());
        for (bytes,) in rows {
            let text = String::from_utf8_lossy(&bytes);
            for word in [PAID_TO, EMPLOYER_PROMISED, EMPLOYER_FOUND, "Quillfeather"] {
                assert!(
                    !text.contains(word),
                    "{table}.{column} holds {word} in clear"
                );
            }
        }
    }
    // Each write left an audit row and a history line naming only the kind of record.
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'labour.%' AND outcome = 'ok' AND object_id = $1",
            case
        )
        .await,
        6 + 3
    );
}

async fn only_the_owner_reads_and_writes_and_others_find_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Dizon", None).await;
    s.record_labour_fee(&w.worker, case, fee())
        .await
        .expect("fee");
    // A union the person consented to a referral to reads and writes nothing of the case.
    let ngo = org(&s, "Union", OrgKind::Ngo).await;
    let unionist = user(&s, ngo, "rep@union.test", &[Role::Caseworker]).await;
    consent_to_referral(&s, &w.worker, case, ngo).await;
    assert!(matches!(
        s.worker_account(&unionist, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.record_labour_fee(&unionist, case, fee()).await,
        Err(StoreError::NotFound)
    ));
    // Another organisation: as if the case did not exist, for reads and writes.
    let other = org(&s, "Other NGO", OrgKind::Ngo).await;
    let stranger = user(&s, other, "worker@o.test", &[Role::Caseworker]).await;
    assert!(matches!(
        s.worker_account(&stranger, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.worker_account(&stranger, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.record_labour_claim(&stranger, case, claim()).await,
        Err(StoreError::NotFound)
    ));
    // Immigration enforcement: refused before any case is looked at.
    assert!(matches!(
        s.worker_account(&w.officer, case).await,
        Err(StoreError::Forbidden(
            passage_core::DenyReason::ImmigrationFirewall
        ))
    ));
    assert!(matches!(
        s.record_labour_fee(&w.officer, case, fee()).await,
        Err(StoreError::Forbidden(
            passage_core::DenyReason::ImmigrationFirewall
        ))
    ));
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM labour_fees WHERE case_id = $1",
            case
        )
        .await,
        1,
        "nothing written by anyone but the owner"
    );
}

async fn a_claim_moves_forward_at_its_version_and_a_refused_move_writes_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Dizon", None).await;
    let id = s
        .record_labour_claim(&w.worker, case, claim())
        .await
        .expect("claim");
    let change = |stage: &str, recovered: Amount| RawClaimChange {
        stage: stage.into(),
        recovered,
        deadline: String::new(),
    };
    let v = s
        .change_labour_claim(&w.worker, case, id, 1, change("filed", Amount::Missing))
        .await
        .expect("filed");
    assert_eq!(v, 2);
    // Enforcement before a decision: refused, naming the stage.
    match s
        .change_labour_claim(&w.worker, case, id, 2, change("enforced", Amount::Missing))
        .await
    {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "stage");
            assert_eq!(p.0[0].code, ErrorCode::TransitionNotAllowed);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A stale version: refused, nothing written.
    assert!(matches!(
        s.change_labour_claim(&w.worker, case, id, 1, change("hearing", Amount::Missing))
            .await,
        Err(StoreError::VersionConflict { current: 2 })
    ));
    // A negative recovered amount names the field.
    match s
        .change_labour_claim(&w.worker, case, id, 2, change("", Amount::Minor(-1)))
        .await
    {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "recovered");
            assert_eq!(p.0[0].code, ErrorCode::NegativeAmount);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let v = s
        .change_labour_claim(&w.worker, case, id, 2, change("decided", Amount::Missing))
        .await
        .expect("decided");
    let v = s
        .change_labour_claim(
            &w.worker,
            case,
            id,
            v,
            change("enforced", Amount::typed("1500")),
        )
        .await
        .expect("enforced");
    let a = s.worker_account(&w.worker, case).await.expect("read");
    assert_eq!(a.claims[0].stage, ClaimStage::Enforced);
    assert_eq!(a.claims[0].recovered.minor, 150_000);
    assert_eq!(a.claims[0].version, v);
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'labour.claim_change' AND outcome IN ('invalid', 'version_conflict') AND object_id = $1",
            case
        )
        .await,
        3,
        "every refused change is audited"
    );
    // A claim of another case is not found through this one.
    let other_case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    assert!(matches!(
        s.change_labour_claim(
            &w.worker,
            other_case,
            id,
            v,
            change("closed", Amount::Missing)
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn the_worker_account_reads_back_with_its_substitution_and_support_on_every_backend() {
    on_every_backend!(the_worker_account_reads_back_with_its_substitution_and_support);
}

#[tokio::test]
async fn only_the_owner_reads_and_writes_and_others_find_nothing_on_every_backend() {
    on_every_backend!(only_the_owner_reads_and_writes_and_others_find_nothing);
}

#[tokio::test]
async fn a_claim_moves_forward_at_its_version_and_a_refused_move_writes_nothing_on_every_backend() {
    on_every_backend!(a_claim_moves_forward_at_its_version_and_a_refused_move_writes_nothing);
}

/// A claim's deadline is on the caseworker's work list before it passes: recording the claim
/// adds a task due that day, moving the deadline moves the task, closing the claim marks the
/// task done; a claim without a deadline adds none. The task's title names no one.
async fn a_claims_deadline_is_a_task_on_the_work_list(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Dizon", None).await;
    let id = s
        .record_labour_claim(&w.worker, case, claim())
        .await
        .expect("claim");
    let mine = s.list_my_tasks(&w.worker, false).await.expect("my tasks");
    let task = mine
        .iter()
        .find(|t| t.case_id == case)
        .expect("the deadline is on the work list");
    assert_eq!(task.due_on.as_deref(), Some("2026-09-30"));
    assert!(!task.done);
    assert!(
        !task.title.contains("Maricel") && !task.title.contains("Dizon"),
        "{}",
        task.title
    );
    let change = |stage: &str, deadline: &str| RawClaimChange {
        stage: stage.into(),
        recovered: Amount::Missing,
        deadline: deadline.into(),
    };
    let v = s
        .change_labour_claim(&w.worker, case, id, 1, change("filed", "2026-10-15"))
        .await
        .expect("moved");
    let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
    assert_eq!(tasks.len(), 1, "the deadline's task moves, no second one");
    assert_eq!(tasks[0].due_on.as_deref(), Some("2026-10-15"));
    s.change_labour_claim(&w.worker, case, id, v, change("closed", ""))
        .await
        .expect("closed");
    let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
    assert!(tasks[0].done, "a closed claim's deadline is no longer work");
    assert!(
        s.list_my_tasks(&w.worker, false)
            .await
            .expect("my tasks")
            .iter()
            .all(|t| t.case_id != case)
    );
    // Without a deadline: no task.
    let other = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    let mut undated = claim();
    undated.deadline = None;
    s.record_labour_claim(&w.worker, other, undated)
        .await
        .expect("claim");
    assert!(
        s.list_case_tasks(&w.worker, other)
            .await
            .expect("tasks")
            .is_empty()
    );
}

#[tokio::test]
async fn a_claims_deadline_is_a_task_on_the_work_list_on_every_backend() {
    on_every_backend!(a_claims_deadline_is_a_task_on_the_work_list);
}
