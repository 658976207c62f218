//! Proceedings, perpetrators and the victim's rights in them, on every backend (issue 17
//! item 3). The case's own organisation records and reads them; a partner the case was
//! referred to, and any other organisation, finds nothing (as for a case that does not
//! exist); immigration enforcement is refused by the firewall. A hearing keeps a task on the
//! work list and its day among the case's deadlines; compensation joins the remedies; and
//! assistance never depends on the person's cooperation with law enforcement.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::calendar::Day;
use passage_core::casework::deadlines::DeadlineKind;
use passage_core::casework::proceedings::{
    CooperationStance, HearingChange, MeasureKind, MeasureStatus, PerpetratorRole, ProceedingStage,
    RawHearing, RawOutcome, RawPayment, RawPerpetrator, RawProceeding, VictimRole, compensation,
};
use passage_core::labour::money::Amount;
use passage_core::labour::remedies::RawClaim;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::proceedings::RemedySource;
use passage_store::casework::referrals::NewReferral;
use passage_store::casework::services::NewService;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn today() -> Day {
    Day::from_unix_ms(passage_store::now_ms())
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

async fn count(s: &Store, table: &str) -> i64 {
    let sql = match table {
        "persons" => "SELECT COUNT(*) FROM persons",
        "perpetrators" => "SELECT COUNT(*) FROM perpetrators",
        "hearings" => "SELECT COUNT(*) FROM hearings",
        "proceeding_stages" => "SELECT COUNT(*) FROM proceeding_stages",
        _ => "SELECT COUNT(*) FROM proceedings",
    };
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

/// Whether any stored byte string in `table.column` contains `plain`.
async fn stored_in_clear(s: &Store, sql: &str, plain: &str) -> bool {
    let rows: Vec<(Option<Vec<u8>>,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw read");
    rows.iter().any(|(b,)| {
        b.as_ref()
            .is_some_and(|b| b.windows(plain.len()).any(|w| w == plain.as_bytes()))
    })
}

fn criminal(stage: &str) -> RawProceeding {
    RawProceeding {
        kind: "criminal".into(),
        stage: stage.into(),
        authority: "Crown Prosecution Service".into(),
        reference: "CPS/2026/0415".into(),
        victim_role: "witness".into(),
    }
}

fn exploiter() -> RawPerpetrator {
    RawPerpetrator {
        roles: vec!["exploiter".into(), "recruiter_or_intermediary".into()],
        sex: "masculine".into(),
        age_band: "36_50".into(),
        citizenship: "GB".into(),
        relation: "acquainted".into(),
        details: "Owner of the car wash on Dock Road".into(),
    }
}

async fn open(s: &Store, who: &Actor, case: Uuid, stage: &str) -> Uuid {
    s.open_proceeding(who, case, criminal(stage).validate().expect("valid"))
        .await
        .expect("opened")
}

async fn a_proceeding_moves_forward_with_its_history(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rosa", "Lima", None).await;
    let pid = open(&s, &w.worker, case, "investigation").await;
    s.move_proceeding(&w.worker, case, pid, "trial")
        .await
        .expect("forward, skipping the charge");
    // Backwards is refused, naming the field, and nothing is written.
    match s.move_proceeding(&w.worker, case, pid, "complaint").await {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "stage");
            assert_eq!(p.0[0].code, ErrorCode::TransitionNotAllowed);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(count(&s, "proceeding_stages").await, 2);
    let list = s.proceedings(&w.worker, case).await.expect("list");
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!(p.stage, ProceedingStage::Trial);
    assert_eq!(p.victim_role, VictimRole::Witness);
    assert_eq!(p.authority.as_deref(), Some("Crown Prosecution Service"));
    assert_eq!(p.reference.as_deref(), Some("CPS/2026/0415"));
    let moves: Vec<(Option<ProceedingStage>, ProceedingStage)> =
        p.stages.iter().map(|m| (m.from, m.to)).collect();
    assert_eq!(
        moves,
        vec![
            (None, ProceedingStage::Investigation),
            (Some(ProceedingStage::Investigation), ProceedingStage::Trial)
        ]
    );
    assert!(p.stages.iter().all(|m| !m.by.is_empty()));
    assert!(
        !stored_in_clear(&s, "SELECT reference FROM proceedings", "CPS/2026").await,
        "the reference is sealed"
    );
    // Measures: asked, then granted; the outcome and sentence; closing is final.
    s.set_measure(
        &w.worker,
        case,
        pid,
        MeasureKind::ScreenInCourt,
        MeasureStatus::Asked,
    )
    .await
    .expect("asked");
    s.set_measure(
        &w.worker,
        case,
        pid,
        MeasureKind::ScreenInCourt,
        MeasureStatus::Granted,
    )
    .await
    .expect("granted");
    s.record_outcome(
        &w.worker,
        case,
        pid,
        RawOutcome {
            outcome: "conviction".into(),
            sentence: "Six years' imprisonment".into(),
            decided_on: "2026-11-30".into(),
        }
        .validate()
        .expect("valid"),
    )
    .await
    .expect("outcome");
    s.move_proceeding(&w.worker, case, pid, "closed")
        .await
        .expect("closed");
    assert!(matches!(
        s.move_proceeding(&w.worker, case, pid, "appeal").await,
        Err(StoreError::Invalid(_))
    ));
    let p = &s.proceedings(&w.worker, case).await.expect("list")[0];
    assert_eq!(p.measures.len(), 1);
    assert_eq!(
        (p.measures[0].kind, p.measures[0].status),
        (MeasureKind::ScreenInCourt, MeasureStatus::Granted)
    );
    assert_eq!(p.sentence.as_deref(), Some("Six years' imprisonment"));
    assert!(!stored_in_clear(&s, "SELECT sentence FROM proceedings", "imprisonment").await);
    // A closed proceeding takes no hearing.
    let h = RawHearing {
        date: today().plus_days(10).to_string(),
        kind: "appeal".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    match s.add_hearing(&w.worker, case, pid, h).await {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, ErrorCode::TransitionNotAllowed),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn perpetrators_are_sealed_and_never_persons(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rosa", "Lima", None).await;
    let persons = count(&s, "persons").await;
    let perp = s
        .record_perpetrator(&w.worker, case, exploiter().validate().expect("valid"))
        .await
        .expect("recorded");
    assert_eq!(count(&s, "persons").await, persons, "not a person in care");
    let list = s.perpetrators(&w.worker, case).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].roles,
        vec![
            PerpetratorRole::RecruiterOrIntermediary,
            PerpetratorRole::Exploiter
        ]
    );
    assert_eq!(
        list[0].citizenship.map(|c| c.to_string()).as_deref(),
        Some("GB")
    );
    assert_eq!(
        list[0].details.as_deref(),
        Some("Owner of the car wash on Dock Road")
    );
    assert!(!stored_in_clear(&s, "SELECT facts FROM perpetrators", "exploiter").await);
    assert!(!stored_in_clear(&s, "SELECT details FROM perpetrators", "Dock Road").await);
    // Linked to a proceeding of the same case, once.
    let pid = open(&s, &w.worker, case, "charge").await;
    s.link_perpetrator(&w.worker, case, pid, perp)
        .await
        .expect("linked");
    match s.link_perpetrator(&w.worker, case, pid, perp).await {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, ErrorCode::AlreadyLinked),
        other => panic!("expected already_linked, got {other:?}"),
    }
    let other = open_case(&s, &w.worker, "Ana", "Cruz", None).await;
    let theirs = s
        .record_perpetrator(&w.worker, other, exploiter().validate().expect("valid"))
        .await
        .expect("recorded");
    match s.link_perpetrator(&w.worker, case, pid, theirs).await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "perpetrator_id"),
        other => panic!("expected invalid perpetrator_id, got {other:?}"),
    }
    let p = &s.proceedings(&w.worker, case).await.expect("list")[0];
    assert_eq!(p.perpetrators, vec![perp]);
}

async fn a_hearing_keeps_its_task_and_is_among_the_deadlines(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rosa", "Lima", None).await;
    let pid = open(&s, &w.worker, case, "trial").await;
    let on = today().plus_days(9);
    let hid = s
        .add_hearing(
            &w.worker,
            case,
            pid,
            RawHearing {
                date: on.to_string(),
                time: "10:00".into(),
                kind: "trial".into(),
                place: "Crown Court, courtroom 3".into(),
            }
            .validate()
            .expect("valid"),
        )
        .await
        .expect("hearing");
    let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].due_on, Some(on.plus_days(-7).to_string()));
    assert!(!tasks[0].done);
    let deadlines = s
        .get_case(&w.worker, case)
        .await
        .expect("case")
        .lifecycle
        .deadlines;
    assert!(
        deadlines
            .iter()
            .any(|d| d.kind == DeadlineKind::Hearing && d.due == on.to_string()),
        "the hearing day is a deadline: {deadlines:?}"
    );
    assert!(!stored_in_clear(&s, "SELECT place FROM hearings", "Crown Court").await);
    // Moved: the task moves with it.
    let later = on.plus_days(14);
    s.change_hearing(
        &w.worker,
        case,
        pid,
        hid,
        HearingChange::Moved {
            date: later,
            time: None,
        },
    )
    .await
    .expect("moved");
    let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
    assert_eq!(tasks[0].due_on, Some(later.plus_days(-7).to_string()));
    // Cancelled: the task is done and the day is no longer a deadline.
    s.change_hearing(&w.worker, case, pid, hid, HearingChange::Cancelled)
        .await
        .expect("cancelled");
    let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
    assert!(tasks[0].done);
    let deadlines = s
        .get_case(&w.worker, case)
        .await
        .expect("case")
        .lifecycle
        .deadlines;
    assert!(!deadlines.iter().any(|d| d.kind == DeadlineKind::Hearing));
    match s
        .change_hearing(&w.worker, case, pid, hid, HearingChange::Cancelled)
        .await
    {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, ErrorCode::TransitionNotAllowed),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Closing a proceeding closes its hearings' tasks and takes their days off the deadlines.
    let next = s
        .add_hearing(
            &w.worker,
            case,
            pid,
            RawHearing {
                date: on.to_string(),
                kind: "judgment".into(),
                ..Default::default()
            }
            .validate()
            .expect("valid"),
        )
        .await
        .expect("hearing");
    s.move_proceeding(&w.worker, case, pid, "closed")
        .await
        .expect("closed");
    let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
    assert!(tasks.iter().all(|t| t.done), "{tasks:?}");
    let deadlines = s
        .get_case(&w.worker, case)
        .await
        .expect("case")
        .lifecycle
        .deadlines;
    assert!(!deadlines.iter().any(|d| d.kind == DeadlineKind::Hearing));
    assert!(matches!(
        s.change_hearing(&w.worker, case, pid, next, HearingChange::Cancelled)
            .await,
        Err(StoreError::Rule { .. })
    ));
}

async fn compensation_joins_the_remedies(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rosa", "Lima", None).await;
    s.record_labour_claim(
        &w.worker,
        case,
        RawClaim {
            kind: "labour_court".into(),
            subject: "wages".into(),
            amount: Amount::Minor(300_000),
            currency: "GBP".into(),
            deadline: String::new(),
            note: String::new(),
        }
        .validate()
        .expect("claim"),
    )
    .await
    .expect("claim");
    let pid = open(&s, &w.worker, case, "judgment").await;
    // A payment before an order is refused, naming the amount.
    match s
        .record_payment(
            &w.worker,
            case,
            pid,
            RawPayment {
                amount: Amount::Minor(100),
                paid_on: "2026-11-01".into(),
            },
        )
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "amount"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    s.order_compensation(
        &w.worker,
        case,
        pid,
        compensation(&Amount::Minor(500_000), "GBP").expect("money"),
    )
    .await
    .expect("ordered");
    s.record_payment(
        &w.worker,
        case,
        pid,
        RawPayment {
            amount: Amount::Typed("1200.50".into()),
            paid_on: "2026-11-20".into(),
        },
    )
    .await
    .expect("paid");
    let r = s.remedies(&w.worker, case).await.expect("remedies");
    assert_eq!(r.lines.len(), 2);
    assert_eq!(r.lines[1].source, RemedySource::Proceeding);
    assert_eq!(r.totals.len(), 1);
    let t = &r.totals[0];
    assert_eq!(t.currency.as_str(), "GBP");
    assert_eq!(
        (t.claimed, t.awarded, t.recovered),
        (300_000, 500_000, 120_050)
    );
    // The currency stays once paid in it.
    match s
        .order_compensation(
            &w.worker,
            case,
            pid,
            compensation(&Amount::Minor(500_000), "EUR").expect("money"),
        )
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "currency"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The same needs, plan and services work on a case, returned as what a caseworker sees.
async fn assistance(s: &Store, who: &Actor, case: Uuid) -> Vec<String> {
    let mut seen = Vec::new();
    for (domain, urgency) in [
        ("safety", "emergency"),
        ("legal", "high"),
        ("health", "normal"),
    ] {
        let n = s
            .upsert_need(
                who,
                case,
                NeedInput {
                    domain: domain.into(),
                    urgency: urgency.into(),
                    description: Some("Needs help".into()),
                    met: false,
                    version: None,
                },
            )
            .await
            .expect("need");
        seen.push(format!(
            "need {} {} v{}",
            n.domain.as_str(),
            n.urgency.as_str(),
            n.version
        ));
    }
    let item = s
        .add_plan_item(
            who,
            case,
            PlanInput {
                domain: Some("legal".into()),
                goal: "Legal advice on her rights".into(),
                action: Some("Book the clinic".into()),
                responsible: None,
                due_on: Some(today().plus_days(5).to_string()),
            },
        )
        .await
        .expect("plan item");
    seen.push(format!("plan {} {}", item.goal, item.done));
    let svc = s
        .record_service(
            who,
            case,
            NewService {
                service_type: "shelter".into(),
                provider: "Safe House North".into(),
                delivered_on: today().to_string(),
                note: None,
            },
        )
        .await
        .expect("service");
    seen.push(format!("service {}", svc.service_type.as_str()));
    for n in s.list_needs(who, case).await.expect("needs") {
        seen.push(format!(
            "listed need {} {} {}",
            n.domain.as_str(),
            n.urgency.as_str(),
            n.met
        ));
    }
    for p in s.list_plan(who, case).await.expect("plan") {
        seen.push(format!("listed plan {} {:?} {}", p.goal, p.due_on, p.done));
    }
    for v in s.list_services(who, case).await.expect("services") {
        seen.push(format!(
            "listed service {} {}",
            v.service_type.as_str(),
            v.provider
        ));
    }
    seen
}

async fn assistance_never_depends_on_cooperation(s: Store) {
    let w = world(&s).await;
    let cooperating = open_case(&s, &w.worker, "Rosa", "Lima", None).await;
    let declining = open_case(&s, &w.worker, "Ana", "Cruz", None).await;
    s.record_cooperation(
        &w.worker,
        cooperating,
        CooperationStance::Cooperating,
        today(),
    )
    .await
    .expect("stance");
    s.record_cooperation(&w.worker, declining, CooperationStance::Declined, today())
        .await
        .expect("stance");
    assert_eq!(
        s.cooperation(&w.worker, declining)
            .await
            .expect("read")
            .map(|c| c.stance),
        Some(CooperationStance::Declined)
    );
    let a = assistance(&s, &w.worker, cooperating).await;
    let b = assistance(&s, &w.worker, declining).await;
    assert!(a.len() > 6);
    assert_eq!(
        a, b,
        "the same work gives the same outcome whatever the stance"
    );
}

async fn partners_outsiders_and_enforcement_find_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rosa", "Lima", None).await;
    let pid = open(&s, &w.worker, case, "trial").await;
    s.record_perpetrator(&w.worker, case, exploiter().validate().expect("valid"))
        .await
        .expect("perpetrator");
    s.order_compensation(
        &w.worker,
        case,
        pid,
        compensation(&Amount::Minor(500_000), "GBP").expect("money"),
    )
    .await
    .expect("ordered");
    // A partner the case was referred to reads the referral, never the proceedings.
    let partner_org = org(&s, "Legal clinic", OrgKind::Ngo).await;
    let partner = user(&s, partner_org, "lawyer@p.test", &[Role::Caseworker]).await;
    consent_to_referral(&s, &w.worker, case, partner_org).await;
    let service = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Legal advice', 'legal', 'GB', 'any', 'any', 1, 1)",
    )
    .bind(service.to_string())
    .bind(partner_org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    let referral = s
        .create_referral(
            &w.worker,
            case,
            NewReferral {
                service_id: service,
                purpose: ConsentPurpose::Referral,
                shared_fields: Vec::new(),
                note: None,
                protection_need_id: None,
            },
        )
        .await
        .expect("referred");
    s.referral(&partner, referral).await.expect("partner reads");
    let remedies = s.remedies(&partner, case).await;
    if let Ok(r) = remedies {
        assert!(r.lines.iter().all(|l| l.source != RemedySource::Proceeding));
    }
    let other = org(&s, "Other NGO", OrgKind::Ngo).await;
    let stranger = user(&s, other, "w@o.test", &[Role::Caseworker, Role::Supervisor]).await;
    let missing = Uuid::now_v7();
    for who in [&partner, &stranger, &w.consul] {
        for c in [case, missing] {
            assert!(matches!(
                s.proceedings(who, c).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.perpetrators(who, c).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.cooperation(who, c).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.open_proceeding(who, c, criminal("trial").validate().expect("valid"))
                    .await,
                Err(StoreError::NotFound)
            ));
        }
        assert!(matches!(
            s.move_proceeding(who, case, pid, "judgment").await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.record_perpetrator(who, case, exploiter().validate().expect("valid"))
                .await,
            Err(StoreError::NotFound)
        ));
        let deadlines = s.get_case(who, case).await.map(|c| c.lifecycle.deadlines);
        if let Ok(d) = deadlines {
            assert!(!d.iter().any(|d| d.kind == DeadlineKind::Hearing));
        }
    }
    let firewall = |r: Result<(), StoreError>| {
        matches!(
            r,
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        )
    };
    assert!(firewall(s.proceedings(&w.officer, case).await.map(|_| ())));
    assert!(firewall(s.perpetrators(&w.officer, case).await.map(|_| ())));
    assert!(firewall(s.cooperation(&w.officer, case).await.map(|_| ())));
    assert!(firewall(s.remedies(&w.officer, case).await.map(|_| ())));
    assert!(firewall(
        s.open_proceeding(
            &w.officer,
            case,
            criminal("trial").validate().expect("valid")
        )
        .await
        .map(|_| ())
    ));
    assert!(firewall(
        s.record_cooperation(&w.officer, case, CooperationStance::Declined, today())
            .await
    ));
    assert_eq!(count(&s, "proceedings").await, 1);
    assert_eq!(count(&s, "perpetrators").await, 1);
}

#[tokio::test]
async fn a_proceeding_moves_forward_with_its_history_on_every_backend() {
    on_every_backend!(a_proceeding_moves_forward_with_its_history);
}

#[tokio::test]
async fn perpetrators_are_sealed_and_never_persons_on_every_backend() {
    on_every_backend!(perpetrators_are_sealed_and_never_persons);
}

#[tokio::test]
async fn a_hearing_keeps_its_task_and_is_among_the_deadlines_on_every_backend() {
    on_every_backend!(a_hearing_keeps_its_task_and_is_among_the_deadlines);
}

#[tokio::test]
async fn compensation_joins_the_remedies_on_every_backend() {
    on_every_backend!(compensation_joins_the_remedies);
}

#[tokio::test]
async fn assistance_never_depends_on_cooperation_on_every_backend() {
    on_every_backend!(assistance_never_depends_on_cooperation);
}

#[tokio::test]
async fn partners_outsiders_and_enforcement_find_nothing_on_every_backend() {
    on_every_backend!(partners_outsiders_and_enforcement_find_nothing);
}
