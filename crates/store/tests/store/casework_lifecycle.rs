//! The case lifecycle on every backend: editing with the version read (a stale write changes
//! nothing), transitions under the lifecycle rule, the supervisor's approval a high-risk or
//! child case needs to close, identification decisions and the deadlines of the default and a
//! UK-like profile, the history and who sees it, and the immigration firewall over all of it.

use crate::common::*;
use passage_core::casework::calendar::Day;
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_core::casework::deadlines::{DeadlineKind, Profile, Profiles};
use passage_core::casework::person::RawPersonChanges;
use passage_core::casework::{IdentificationStatus, Outcome, RiskLevel};
use passage_core::{CaseStatus, DenyReason};
use passage_store::cases::CaseView;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn changes(version: i64) -> RawCaseChanges {
    RawCaseChanges {
        version: Some(version),
        ..Default::default()
    }
}

fn to(status: &str, reason: Option<&str>, outcome: Option<&str>) -> RawTransition {
    RawTransition {
        to: status.into(),
        reason: reason.map(str::to_string),
        outcome: outcome.map(str::to_string),
        version: None,
    }
}

async fn move_case(
    s: &Store,
    actor: &Actor,
    case: Uuid,
    t: RawTransition,
) -> Result<CaseStatus, StoreError> {
    let t = t.validate().expect("valid transition");
    s.transition(actor, case, t).await.map(|d| d.status)
}

fn rule_code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Rule { code, .. }) => code.as_str(),
        other => panic!("expected a refused rule, got {other:?}"),
    }
}

async fn identify(s: &Store, actor: &Actor, case: Uuid, status: &str, on: &str) {
    let ident = RawIdentification {
        status: status.into(),
        decided_by: "National referral authority".into(),
        decided_on: on.into(),
        version: None,
    }
    .validate(Day::from_unix_ms(passage_store::now_ms()))
    .expect("valid identification");
    s.set_identification(actor, case, ident)
        .await
        .expect("identification recorded");
}

fn due(c: &CaseView, kind: DeadlineKind) -> Vec<String> {
    c.lifecycle
        .deadlines
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| d.due.clone())
        .collect()
}

async fn person_of(s: &Store, actor: &Actor, case: Uuid) -> Uuid {
    s.get_case(actor, case).await.expect("case").person.id
}

async fn count(s: &Store, sql: &str, case: Uuid) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(case.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn a_stale_version_is_refused_and_changes_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let before = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(before.version, 1);
    assert_eq!(before.lifecycle.risk, RiskLevel::Medium);
    assert_eq!(before.lifecycle.country, None);

    let first = RawCaseChanges {
        risk: Some("high".into()),
        country: Some(Some("gb".into())),
        stage: Some("transit".into()),
        types: Some(vec!["trafficking".into()]),
        ..changes(1)
    }
    .validate()
    .expect("valid");
    assert_eq!(
        s.update_case(&w.worker, case, first).await.expect("saved"),
        2
    );

    // A colleague's form still says version 1: refused, and none of it is written.
    let stale = RawCaseChanges {
        summary: Some("Overwritten by a stale form".into()),
        risk: Some("low".into()),
        country: Some(None),
        ..changes(1)
    }
    .validate()
    .expect("valid");
    match s.update_case(&w.worker, case, stale).await {
        Err(StoreError::VersionConflict { current }) => assert_eq!(current, 2),
        other => panic!("expected a version conflict, got {other:?}"),
    }
    let after = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(after.version, 2);
    assert_eq!(after.summary, before.summary);
    assert_eq!(after.lifecycle.risk, RiskLevel::High);
    assert_eq!(after.lifecycle.country.as_deref(), Some("GB"));
    assert_eq!(after.stage.as_str(), "transit");
    assert_eq!(
        after.types.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["trafficking"]
    );

    // The history has exactly the four changes that were saved, by the worker.
    let h = s.case_history(&w.worker, case).await.expect("history");
    let mut fields: Vec<&str> = h.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["country", "risk", "stage", "types"]);
    let risk = h.iter().find(|e| e.field == "risk").expect("risk change");
    assert_eq!(
        (risk.old.as_deref(), risk.new.as_deref()),
        (Some("medium"), Some("high"))
    );
    assert_eq!(risk.by, "worker@s.test");

    // Saving what is already stored changes nothing and keeps the version.
    let same = RawCaseChanges {
        risk: Some("high".into()),
        ..changes(2)
    }
    .validate()
    .expect("valid");
    assert_eq!(
        s.update_case(&w.worker, case, same).await.expect("saved"),
        2
    );
    // The summary is sealed in the history too.
    let summary = RawCaseChanges {
        summary: Some("Moved to a safe house in Leeds".into()),
        ..changes(2)
    }
    .validate()
    .expect("valid");
    assert_eq!(
        s.update_case(&w.worker, case, summary)
            .await
            .expect("saved"),
        3
    );
    let rows: Vec<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT new_value FROM case_history")
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(
        !rows
            .iter()
            .flat_map(|r| r.0.clone())
            .any(|b| b.windows(5).any(|w| w == b"Leeds"))
    );
}

async fn the_assignee_must_work_in_the_case_organisation(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    for who in [w.consul.user_id(), Uuid::now_v7()] {
        let c = RawCaseChanges {
            assigned_to: Some(Some(who.to_string())),
            ..changes(1)
        }
        .validate()
        .expect("valid");
        match s.update_case(&w.worker, case, c).await {
            Err(StoreError::Invalid(p)) => {
                assert_eq!(
                    (p.0[0].field.as_str(), p.0[0].code.as_str()),
                    ("assigned_to", "unknown_user")
                )
            }
            other => panic!("expected unknown_user, got {other:?}"),
        }
    }
    let c = RawCaseChanges {
        assigned_to: Some(Some(w.colleague.user_id().to_string())),
        ..changes(1)
    }
    .validate()
    .expect("valid");
    assert_eq!(s.update_case(&w.worker, case, c).await.expect("saved"), 2);
    // The colleague now works on it and sees who handed it over.
    let h = s.case_history(&w.colleague, case).await.expect("history");
    let a = h
        .iter()
        .find(|e| e.field == "assigned_to")
        .expect("assignment");
    assert_eq!(
        (a.old.as_deref(), a.new.as_deref()),
        (Some("worker@s.test"), Some("colleague@s.test"))
    );
}

async fn transitions_follow_the_lifecycle_rule(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maria", "Lopez", None).await;
    assert_eq!(
        s.get_case(&w.worker, case)
            .await
            .expect("case")
            .lifecycle
            .next_statuses,
        [
            CaseStatus::Assessment,
            CaseStatus::CasePlan,
            CaseStatus::Services,
            CaseStatus::FollowUp,
            CaseStatus::Closed
        ]
    );
    assert_eq!(
        move_case(&s, &w.worker, case, to("assessment", None, None))
            .await
            .expect("moved"),
        CaseStatus::Assessment
    );
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, to("open", None, None)).await),
        "reason_required"
    );
    move_case(
        &s,
        &w.worker,
        case,
        to("open", Some("Assessment started too early"), None),
    )
    .await
    .expect("back one step with a reason");
    move_case(&s, &w.worker, case, to("services", None, None))
        .await
        .expect("skip ahead");
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, to("open", Some("why"), None)).await),
        "transition_not_allowed"
    );
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, to("closed", Some("Done"), None)).await),
        "outcome_required"
    );
    assert_eq!(
        rule_code(
            move_case(
                &s,
                &w.worker,
                case,
                to("closed", None, Some("local_integration"))
            )
            .await
        ),
        "reason_required"
    );
    // A stale version is refused even for a transition.
    let mut stale = to("follow_up", None, None).validate().expect("valid");
    stale.version = Some(1);
    assert!(matches!(
        s.transition(&w.worker, case, stale).await,
        Err(StoreError::VersionConflict { .. })
    ));

    // Medium risk, an adult: the caseworker closes it alone.
    move_case(
        &s,
        &w.worker,
        case,
        to(
            "closed",
            Some("Settled with a work permit"),
            Some("local_integration"),
        ),
    )
    .await
    .expect("closed");
    let closed = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.lifecycle.outcome, Some(Outcome::LocalIntegration));
    assert!(closed.lifecycle.closed_at.is_some());
    assert_eq!(closed.lifecycle.next_statuses, [CaseStatus::Open]);
    // Follow-ups at 3, 6 and 12 months after closure (the default profile).
    let today = Day::from_unix_ms(passage_store::now_ms());
    let mut follow_ups: Vec<(String,)> =
        sqlx::query_as("SELECT due_on FROM follow_ups WHERE case_id = $1 ORDER BY due_on")
            .bind(case.to_string())
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("follow-ups");
    follow_ups.sort();
    assert_eq!(
        follow_ups.into_iter().map(|r| r.0).collect::<Vec<_>>(),
        [3, 6, 12].map(|m| today.plus_months(m).to_string())
    );
    assert_eq!(
        due(&closed, DeadlineKind::FollowUpVisit),
        [3, 6, 12].map(|m| today.plus_months(m).to_string())
    );
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, to("assessment", Some("x"), None)).await),
        "transition_not_allowed"
    );
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, to("open", None, None)).await),
        "reason_required"
    );
    move_case(
        &s,
        &w.worker,
        case,
        to("open", Some("She came back: new threats"), None),
    )
    .await
    .expect("reopened");
    let reopened = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(reopened.status, CaseStatus::Open);
    assert_eq!(reopened.lifecycle.outcome, None);
    assert_eq!(reopened.lifecycle.closed_at, None);
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM follow_ups WHERE case_id = $1",
            case
        )
        .await,
        0
    );
    // Every transition is on record, with its reason sealed.
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM case_transitions WHERE case_id = $1",
            case
        )
        .await,
        5
    );
    let reasons: Vec<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT reason FROM case_transitions")
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(
        !reasons
            .iter()
            .flat_map(|r| r.0.clone())
            .any(|b| b.windows(7).any(|w| w == b"threats"))
    );
    let history = s.case_history(&w.worker, case).await.expect("history");
    assert!(
        history
            .iter()
            .any(|e| e.field == "status" && e.new.as_deref() == Some("closed"))
    );
}

async fn a_high_risk_case_closes_only_with_a_supervisors_approval(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Nadia", "Rahman", None).await;
    let high = RawCaseChanges {
        risk: Some("high".into()),
        ..changes(1)
    }
    .validate()
    .expect("valid");
    s.update_case(&w.worker, case, high)
        .await
        .expect("high risk");

    let close = || {
        to(
            "closed",
            Some("Returned home with support"),
            Some("return_with_reintegration"),
        )
    };
    match move_case(&s, &w.worker, case, close()).await {
        Err(StoreError::Rule { code, message }) => {
            assert_eq!(code, "supervisor_approval_required");
            assert!(
                message.contains("supervisor") && message.contains("asked"),
                "{message}"
            );
        }
        other => panic!("expected supervisor_approval_required, got {other:?}"),
    }
    let waiting = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(waiting.status, CaseStatus::Open);
    assert!(waiting.lifecycle.close_pending_approval);
    // Asking again does not make a second request.
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, close()).await),
        "supervisor_approval_required"
    );

    assert!(matches!(
        s.list_approvals(&w.worker).await,
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    ));
    let pending = s.list_approvals(&w.supervisor).await.expect("approvals");
    assert_eq!(pending.len(), 1);
    let a = &pending[0];
    assert_eq!((a.case_id, a.kind.as_str()), (case, "close"));
    assert_eq!(a.person_name, "Nadia Rahman");
    assert_eq!(a.outcome, Some(Outcome::ReturnWithReintegration));
    assert_eq!(a.reason, "Returned home with support");
    assert_eq!(a.requested_by, w.worker.user_id());
    // The caseworker cannot approve their own request.
    assert!(matches!(
        s.approve(&w.worker, a.id).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(
        s.approve(&w.supervisor, a.id).await.expect("approved"),
        case
    );
    let closed = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(
        closed.lifecycle.outcome,
        Some(Outcome::ReturnWithReintegration)
    );
    assert!(!closed.lifecycle.close_pending_approval);
    let (by, approved_by): (String, Option<String>) = sqlx::query_as(
        "SELECT by_user, approved_by FROM case_transitions WHERE case_id = $1 AND to_status = 'closed'",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("transition");
    assert_eq!(by, w.worker.user_id().to_string());
    assert_eq!(approved_by, Some(w.supervisor.user_id().to_string()));
    assert!(
        s.list_approvals(&w.supervisor)
            .await
            .expect("approvals")
            .is_empty()
    );
    assert_eq!(
        rule_code(s.approve(&w.supervisor, a.id).await),
        "already_decided"
    );

    // A supervisor closes a high-risk case directly.
    move_case(
        &s,
        &w.supervisor,
        case,
        to("open", Some("Reopened for a new claim"), None),
    )
    .await
    .expect("reopened");
    move_case(&s, &w.supervisor, case, close())
        .await
        .expect("closed by a supervisor");
}

async fn a_child_case_needs_approval_and_a_rejection_keeps_it_open(s: Store) {
    let w = world(&s).await;
    // A child by a recorded vulnerability.
    let case = open_case(&s, &w.worker, "Aisha", "Bello", None).await;
    let person = person_of(&s, &w.worker, case).await;
    let vulns = RawPersonChanges {
        version: Some(1),
        vulnerabilities: Some(Some(vec!["unaccompanied_or_separated_child".into()])),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, person, vulns)
        .await
        .expect("vulnerability");
    let close = to("closed", Some("Placed with her aunt"), Some("other"));
    assert_eq!(
        rule_code(move_case(&s, &w.worker, case, close.clone()).await),
        "supervisor_approval_required"
    );
    let pending = s.list_approvals(&w.supervisor).await.expect("approvals");
    assert_eq!(pending.len(), 1);
    assert_eq!(
        s.reject(
            &w.supervisor,
            pending[0].id,
            rejected("Not before the guardian is appointed")
        )
        .await
        .expect("rejected"),
        case
    );
    let still = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(still.status, CaseStatus::Open);
    assert!(!still.lifecycle.close_pending_approval);
    assert!(
        s.list_approvals(&w.supervisor)
            .await
            .expect("approvals")
            .is_empty()
    );
    assert_eq!(
        rule_code(s.approve(&w.supervisor, pending[0].id).await),
        "already_decided"
    );

    // A child by date of birth (under 18 today), with no vulnerability recorded.
    let young = open_case(&s, &w.worker, "Yusuf", "Ali", None).await;
    let person = person_of(&s, &w.worker, young).await;
    let year = Day::from_unix_ms(passage_store::now_ms()).ymd().0 - 12;
    let dob = RawPersonChanges {
        version: Some(1),
        date_of_birth: Some(Some(format!("{year}-01-01"))),
        ..Default::default()
    }
    .validate(2100)
    .expect("valid");
    s.update_person(&w.worker, person, dob)
        .await
        .expect("date of birth");
    assert_eq!(
        rule_code(move_case(&s, &w.worker, young, close.clone()).await),
        "supervisor_approval_required"
    );
    // The adult of open_case (born 1994) closes without approval.
    let adult = open_case(&s, &w.worker, "Grace", "Okafor", None).await;
    move_case(&s, &w.worker, adult, close.clone())
        .await
        .expect("adult case closes");
    // A supervisor closes a child's case directly.
    move_case(&s, &w.supervisor, young, close)
        .await
        .expect("supervisor closes");
}

fn uk() -> Profile {
    Profile {
        name: "uk".into(),
        countries: vec!["GB".into()],
        recovery_reflection_days: 30,
        reasonable_grounds_working_days: 5,
        move_on_support_days: 45,
        follow_up_months: vec![3, 6, 12],
        holidays: vec!["2026-12-25".into()],
        permit_reminder_days: 60,
        permit_appeal_days: 14,
        permit_types: vec![],
    }
}

async fn identification_starts_the_deadlines_of_the_case_jurisdiction(s: Store) {
    let w = world(&s).await;
    let profiles =
        Profiles::new(Profiles::default().for_country(None).clone(), vec![uk()]).expect("profiles");
    let s = s.with_profiles(profiles);
    let case = open_case(&s, &w.worker, "Lina", "Haddad", None).await;
    let fresh = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(fresh.lifecycle.identification, None);
    assert_eq!(fresh.lifecycle.jurisdiction, "default");
    let opened = Day::from_unix_ms(fresh.created_at);
    let rg = &fresh.lifecycle.deadlines[0];
    assert_eq!(rg.kind, DeadlineKind::ReasonableGroundsDecision);
    assert_eq!(rg.due, opened.plus_working_days(5, &[]).to_string());
    assert!(!rg.met);

    identify(&s, &w.worker, case, "possible_victim", "2026-01-10").await;
    let c = s.get_case(&w.worker, case).await.expect("case");
    let ident = c.lifecycle.identification.clone().expect("identification");
    assert_eq!(ident.status, IdentificationStatus::PossibleVictim);
    assert_eq!(ident.decided_by, "National referral authority");
    assert_eq!(ident.decided_on, "2026-01-10");
    assert_eq!(
        due(&c, DeadlineKind::RecoveryReflectionPeriod),
        ["2026-02-09"]
    );
    assert!(due(&c, DeadlineKind::MoveOnSupport).is_empty());
    assert!(
        c.lifecycle
            .deadlines
            .iter()
            .find(|d| d.kind == DeadlineKind::ReasonableGroundsDecision)
            .expect("reasonable grounds")
            .met
    );
    assert_eq!(c.version, 2);

    // The case is in the UK: the UK profile applies, with move-on support after a conclusive
    // decision; the recovery period keeps its start.
    let gb = RawCaseChanges {
        country: Some(Some("GB".into())),
        ..changes(2)
    }
    .validate()
    .expect("valid");
    s.update_case(&w.worker, case, gb).await.expect("country");
    identify(&s, &w.worker, case, "actual_victim", "2026-03-01").await;
    let c = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(c.lifecycle.jurisdiction, "uk");
    let ident = c.lifecycle.identification.clone().expect("identification");
    assert_eq!(
        (ident.status, ident.decided_on.as_str()),
        (IdentificationStatus::ActualVictim, "2026-03-01")
    );
    assert_eq!(
        due(&c, DeadlineKind::RecoveryReflectionPeriod),
        ["2026-02-09"]
    );
    assert_eq!(due(&c, DeadlineKind::MoveOnSupport), ["2026-04-15"]);

    // Not a victim: no recovery period, no move-on support.
    identify(&s, &w.worker, case, "not_a_victim", "2026-03-05").await;
    let c = s.get_case(&w.worker, case).await.expect("case");
    assert!(due(&c, DeadlineKind::RecoveryReflectionPeriod).is_empty());
    assert!(due(&c, DeadlineKind::MoveOnSupport).is_empty());

    // Who decided is sealed at rest.
    let rows: Vec<(Option<String>,)> = sqlx::query_as("SELECT identification_by FROM cases")
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(
        rows.iter()
            .flat_map(|r| r.0.clone())
            .all(|v| !v.contains("referral"))
    );
    let h = s.case_history(&w.worker, case).await.expect("history");
    let statuses: Vec<Option<&str>> = h
        .iter()
        .filter(|e| e.field == "identification_status")
        .map(|e| e.new.as_deref())
        .collect();
    assert_eq!(
        statuses,
        [
            Some("possible_victim"),
            Some("actual_victim"),
            Some("not_a_victim")
        ]
    );
    // A decision in the future is refused before it reaches the store.
    let tomorrow = Day::from_unix_ms(passage_store::now_ms()).plus_days(1);
    let future = RawIdentification {
        status: "possible_victim".into(),
        decided_by: "Authority".into(),
        decided_on: tomorrow.to_string(),
        version: None,
    }
    .validate(Day::from_unix_ms(passage_store::now_ms()));
    assert_eq!(future.expect_err("future").0[0].code, "in_future");
}

async fn history_is_for_readers_and_migration_status_for_those_allowed(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", Some("irregular")).await;
    let person = person_of(&s, &w.worker, case).await;
    let status = RawPersonChanges {
        version: Some(1),
        migration_status: Some(Some("asylum seeker".into())),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, person, status)
        .await
        .expect("status");
    let risk = RawCaseChanges {
        risk: Some("low".into()),
        ..changes(1)
    }
    .validate()
    .expect("valid");
    s.update_case(&w.worker, case, risk).await.expect("risk");

    let mine = s.case_history(&w.worker, case).await.expect("history");
    assert!(mine.iter().any(|e| e.field.contains("migration_status")));
    assert!(mine.iter().any(|e| e.field == "risk"));
    // The history never shows a migration status value, even to those allowed.
    assert!(
        mine.iter()
            .filter(|e| e.field.contains("migration_status"))
            .all(|e| e.old.is_none() && e.new.is_none())
    );

    // A caseworker not on the case, and the consulate: nothing, consent to a referral or not.
    assert!(matches!(
        s.case_history(&w.colleague, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.case_history(&w.consul, case).await,
        Err(StoreError::NotFound)
    ));
    consent_to_referral(&s, &w.worker, case, w.consulate).await;
    assert!(matches!(
        s.case_history(&w.consul, case).await,
        Err(StoreError::NotFound)
    ));
    // The supervisor of the organisation sees all of it.
    let sup = s.case_history(&w.supervisor, case).await.expect("history");
    assert_eq!(sup.len(), mine.len());
}

async fn immigration_enforcement_gets_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rosa", "Cruz", None).await;
    let c = RawCaseChanges {
        risk: Some("high".into()),
        ..changes(1)
    }
    .validate()
    .expect("valid");
    s.update_case(&w.worker, case, c.clone())
        .await
        .expect("high risk");
    assert_eq!(
        rule_code(
            move_case(
                &s,
                &w.worker,
                case,
                to("closed", Some("Done"), Some("other"))
            )
            .await
        ),
        "supervisor_approval_required"
    );
    let approval = s.list_approvals(&w.supervisor).await.expect("approvals")[0].id;

    let officer = &w.officer;
    assert!(matches!(
        s.update_case(
            officer,
            case,
            RawCaseChanges { ..changes(2) }.validate().expect("valid")
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        move_case(&s, officer, case, to("assessment", None, None)).await,
        Err(StoreError::NotFound)
    ));
    let ident = RawIdentification {
        status: "not_a_victim".into(),
        decided_by: "Border force".into(),
        decided_on: "2026-01-01".into(),
        version: None,
    }
    .validate(Day::from_unix_ms(passage_store::now_ms()))
    .expect("valid");
    assert!(matches!(
        s.set_identification(officer, case, ident).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.case_history(officer, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_approvals(officer).await,
        Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
    ));
    assert!(matches!(
        s.approve(officer, approval).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.reject(officer, approval, rejected("no")).await,
        Err(StoreError::NotFound)
    ));
    // Without a reason the answer is the same: the missing reason is told only to someone
    // who may decide.
    assert!(matches!(
        s.reject(officer, approval, rejected(" ")).await,
        Err(StoreError::NotFound)
    ));
    // Nothing changed: still high risk, open, version 2, the request still pending.
    let after = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!((after.version, after.status), (2, CaseStatus::Open));
    assert_eq!(after.lifecycle.identification, None);
    assert_eq!(
        s.list_approvals(&w.supervisor)
            .await
            .expect("approvals")
            .len(),
        1
    );
    // Each refusal is audited as denied.
    let (denied,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE actor_user = $1 AND outcome IN ('denied', 'not_found')",
    )
    .bind(officer.user_id().to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert!(denied >= 6, "{denied} refusals audited");
}

#[tokio::test]
async fn stale_versions() {
    on_every_backend!(a_stale_version_is_refused_and_changes_nothing);
}

#[tokio::test]
async fn assignees() {
    on_every_backend!(the_assignee_must_work_in_the_case_organisation);
}

#[tokio::test]
async fn transitions() {
    on_every_backend!(transitions_follow_the_lifecycle_rule);
}

#[tokio::test]
async fn high_risk_approval() {
    on_every_backend!(a_high_risk_case_closes_only_with_a_supervisors_approval);
}

#[tokio::test]
async fn child_approval() {
    on_every_backend!(a_child_case_needs_approval_and_a_rejection_keeps_it_open);
}

#[tokio::test]
async fn identification_deadlines() {
    on_every_backend!(identification_starts_the_deadlines_of_the_case_jurisdiction);
}

#[tokio::test]
async fn history_readers() {
    on_every_backend!(history_is_for_readers_and_migration_status_for_those_allowed);
}

#[tokio::test]
async fn immigration_firewall() {
    on_every_backend!(immigration_enforcement_gets_nothing);
}
