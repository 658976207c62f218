//! Case work on every backend: needs and the plan they feed, tasks and the lists built from
//! them, notes and who reads them, services delivered, the supervisor's dashboard, and the
//! immigration firewall over all of it.

use crate::common::*;
use passage_core::casework::calendar::Day;
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::services::NewService;
use passage_store::casework::tasks::NewTask;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn day(offset: i64) -> String {
    Day::from_unix_ms(passage_store::now_ms())
        .plus_days(offset)
        .to_string()
}

/// The (field, code) of every problem of a validation error; panics on anything else.
fn problems<T: std::fmt::Debug>(r: Result<T, StoreError>) -> Vec<(String, &'static str)> {
    match r {
        Err(StoreError::Invalid(p)) => {
            p.0.into_iter()
                .map(|e| (e.field, e.code.as_str()))
                .collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn need(domain: &str, urgency: &str, description: &str, version: Option<i64>) -> NeedInput {
    NeedInput {
        domain: domain.into(),
        urgency: urgency.into(),
        description: Some(description.into()),
        met: false,
        version,
    }
}

/// Makes `who` the assignee of a case (the lifecycle part of the issue assigns through the UI;
/// here the database is set directly so these tests do not depend on it).
async fn assign(s: &Store, case: Uuid, who: &Actor) {
    sqlx::query("UPDATE cases SET assigned_to = $1 WHERE id = $2")
        .bind(who.user_id().to_string())
        .bind(case.to_string())
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("assign");
}

/// Whether any stored byte string in `table.column` contains `plain`.
async fn stored_in_clear(s: &Store, table: &str, column: &str, plain: &str) -> bool {
    let rows: Vec<(Option<Vec<u8>>,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {column} FROM {table}")))
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("raw read");
    rows.iter().any(|(b,)| {
        b.as_ref()
            .is_some_and(|b| b.windows(plain.len()).any(|w| w == plain.as_bytes()))
    })
}

async fn audit_count(s: &Store, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("audit count");
    n
}

async fn needs_and_plan(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;

    let first = s
        .upsert_need(
            &w.worker,
            case,
            need("safety", "emergency", "Employer threatens her family", None),
        )
        .await
        .expect("first record");
    assert_eq!((first.version, first.met), (1, false));
    assert!(!stored_in_clear(&s, "needs", "description", "threatens").await);

    // A second writer who did not see the first record is refused, nothing is lost.
    assert!(matches!(
        s.upsert_need(&w.supervisor, case, need("safety", "high", "x", None))
            .await,
        Err(StoreError::VersionConflict { current: 1 })
    ));
    let mut change = need(
        "safety",
        "high",
        "Moved to the shelter; still afraid",
        Some(1),
    );
    change.met = true;
    let second = s
        .upsert_need(&w.worker, case, change.clone())
        .await
        .expect("change");
    assert_eq!((second.version, second.met), (2, true));
    assert_eq!(second.urgency, passage_core::Urgency::High);
    assert!(matches!(
        s.upsert_need(&w.supervisor, case, change).await,
        Err(StoreError::VersionConflict { current: 2 })
    ));
    s.upsert_need(&w.worker, case, need("legal", "normal", "", None))
        .await
        .expect("a need without description");
    let needs = s.list_needs(&w.supervisor, case).await.expect("needs");
    let seen: Vec<(&str, Option<&str>)> = needs
        .iter()
        .map(|n| (n.domain.as_str(), n.description.as_deref()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("safety", Some("Moved to the shelter; still afraid")),
            ("legal", None)
        ]
    );
    assert_eq!(
        problems(
            s.upsert_need(&w.worker, case, need("housing", "urgent", "", None))
                .await
        ),
        vec![
            ("domain".to_string(), "unknown_value"),
            ("urgency".to_string(), "unknown_value")
        ]
    );

    // The plan: an item from a recorded need, with a colleague of the organisation responsible.
    let item = s
        .add_plan_item(
            &w.worker,
            case,
            PlanInput {
                domain: Some("safety".into()),
                goal: "A safe place to stay".into(),
                action: Some("Keep the shelter bed; safety plan with her".into()),
                responsible: Some(w.supervisor.user_id().to_string()),
                due_on: Some(day(7)),
            },
        )
        .await
        .expect("plan item");
    assert_eq!(item.responsible.as_deref(), Some("super@s.test"));
    assert_eq!(item.responsible_user_id, Some(w.supervisor.user_id()));
    assert!(!stored_in_clear(&s, "plan_items", "goal", "safe place").await);
    // A need that is not recorded cannot be planned for yet.
    let not_recorded = PlanInput {
        domain: Some("shelter".into()),
        goal: "Housing".into(),
        ..Default::default()
    };
    assert_eq!(
        problems(s.add_plan_item(&w.worker, case, not_recorded).await),
        vec![("domain".to_string(), "need_not_recorded")]
    );
    // A user who cannot open the case (a colleague not assigned to it) is not responsible.
    let colleague = PlanInput {
        goal: "Legal advice".into(),
        responsible: Some(w.colleague.user_id().to_string()),
        ..Default::default()
    };
    assert_eq!(
        problems(s.add_plan_item(&w.worker, case, colleague).await),
        vec![("responsible".to_string(), "not_assignable")]
    );
    // Someone outside the organisation is named in free text, sealed.
    let lawyer = PlanInput {
        domain: Some("legal".into()),
        goal: "Legal advice on the wage claim".into(),
        responsible: Some("Ms Okafor, Law Centre".into()),
        due_on: Some("2026-02-30".into()),
        ..Default::default()
    };
    assert_eq!(
        problems(s.add_plan_item(&w.worker, case, lawyer.clone()).await),
        vec![("due_on".to_string(), "invalid_date")]
    );
    let lawyer = PlanInput {
        due_on: None,
        ..lawyer
    };
    let legal = s
        .add_plan_item(&w.worker, case, lawyer.clone())
        .await
        .expect("free text");
    assert_eq!(legal.responsible.as_deref(), Some("Ms Okafor, Law Centre"));
    assert!(
        !stored_in_clear(&s, "plan_items", "responsible_text", "Okafor").await,
        "free-text responsible is sealed"
    );
    let done = s
        .update_plan_item(&w.worker, legal.id, lawyer.clone(), true, legal.version)
        .await
        .expect("done");
    assert_eq!((done.done, done.version), (true, 2));
    assert!(matches!(
        s.update_plan_item(&w.worker, legal.id, lawyer, false, 1)
            .await,
        Err(StoreError::VersionConflict { current: 2 })
    ));
    let plan = s.list_plan(&w.worker, case).await.expect("plan");
    assert_eq!(
        plan.iter().map(|p| p.done).collect::<Vec<_>>(),
        vec![false, true],
        "open items first"
    );
    // Reading or changing someone else's case is the same NotFound as a missing one.
    assert!(matches!(
        s.list_plan(&w.colleague, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.update_plan_item(
            &w.colleague,
            item.id,
            PlanInput {
                goal: "x".into(),
                ..Default::default()
            },
            false,
            1
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.update_plan_item(
            &w.worker,
            Uuid::now_v7(),
            PlanInput {
                goal: "x".into(),
                ..Default::default()
            },
            false,
            1
        )
        .await,
        Err(StoreError::NotFound)
    ));

    // Someone responsible who has since left stays on the item when it is marked done, but
    // cannot be given new work.
    s.set_user_disabled(s.operator("test").authority(), w.supervisor.user_id(), true)
        .await
        .expect("disable");
    let keep = PlanInput {
        domain: Some("safety".into()),
        goal: "A safe place to stay".into(),
        responsible: Some(w.supervisor.user_id().to_string()),
        ..Default::default()
    };
    let kept = s
        .update_plan_item(&w.worker, item.id, keep.clone(), true, item.version)
        .await
        .expect("done with the same responsible");
    assert_eq!(kept.responsible_user_id, Some(w.supervisor.user_id()));
    assert_eq!(
        problems(s.add_plan_item(&w.worker, case, keep).await),
        vec![("responsible".to_string(), "not_assignable")]
    );
}

#[tokio::test]
async fn needs_upsert_with_versions_and_feed_the_plan() {
    on_every_backend!(needs_and_plan);
}

fn task(title: &str, assignee: Option<&Actor>, due: String) -> NewTask {
    NewTask {
        title: title.into(),
        assignee: assignee.map(|a| a.user_id().to_string()),
        due_on: due,
    }
}

async fn tasks(s: Store) {
    let w = world(&s).await;
    let mine = open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    let theirs = open_case(&s, &w.colleague, "Pavel", "Ionescu", None).await;

    let late = s
        .create_task(&w.worker, mine, task("Call the lawyer back", None, day(-2)))
        .await
        .expect("task");
    assert_eq!(late.assigned_to, Some(w.worker.user_id()));
    assert!(late.overdue);
    assert!(!stored_in_clear(&s, "tasks", "title", "lawyer").await);
    let soon = s
        .create_task(&w.worker, mine, task("Book an interpreter", None, day(3)))
        .await
        .expect("task");
    assert!(!soon.overdue);
    let today = s
        .create_task(&w.worker, mine, task("Due today", None, day(0)))
        .await
        .expect("task");
    assert!(!today.overdue, "due today is not overdue yet");

    // A task given to the worker on a case they can read at the time…
    assign(&s, theirs, &w.worker).await;
    let hidden = s
        .create_task(
            &w.colleague,
            theirs,
            task("Visit", Some(&w.worker), day(-1)),
        )
        .await
        .expect("task for the worker");
    // …disappears from their lists once the case is no longer theirs.
    assign(&s, theirs, &w.colleague).await;
    let my = s.list_my_tasks(&w.worker, false).await.expect("my tasks");
    assert_eq!(
        my.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![late.id, today.id, soon.id],
        "overdue first, then by due date; never a task of a case they cannot read"
    );
    let overdue = s.list_my_tasks(&w.worker, true).await.expect("overdue");
    assert_eq!(
        overdue.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![late.id]
    );
    assert_eq!(overdue[0].title, "Call the lawyer back");
    assert!(
        s.list_my_tasks(&w.colleague, false)
            .await
            .expect("colleague")
            .is_empty()
    );

    // Supervisors see the organisation's overdue tasks, whoever holds them.
    let org = s.list_org_overdue_tasks(&w.supervisor).await.expect("org");
    let mut ids: Vec<Uuid> = org.iter().map(|t| t.id).collect();
    ids.sort();
    let mut expected = vec![late.id, hidden.id];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(matches!(
        s.list_org_overdue_tasks(&w.worker).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(
        audit_count(&s, "task.list").await >= 5,
        "list reads are audited"
    );

    // Assignees must be users of the case's organisation who can open it.
    assert_eq!(
        problems(
            s.create_task(&w.worker, mine, task("x", Some(&w.consul), day(1)))
                .await
        ),
        vec![("assignee".to_string(), "not_assignable")]
    );
    assert_eq!(
        problems(
            s.create_task(&w.worker, mine, task("x", Some(&w.colleague), day(1)))
                .await
        ),
        vec![("assignee".to_string(), "not_assignable")]
    );
    assert_eq!(
        problems(
            s.create_task(&w.worker, mine, task(" ", None, "tomorrow".into()))
                .await
        ),
        vec![
            ("title".to_string(), "required"),
            ("due_on".to_string(), "invalid_date")
        ]
    );

    // Reassign and complete, each checking the version.
    let moved = s
        .reassign_task(&w.worker, soon.id, w.supervisor.user_id(), soon.version)
        .await
        .expect("reassign");
    assert_eq!(
        (moved.assigned_to, moved.version),
        (Some(w.supervisor.user_id()), 2)
    );
    assert!(matches!(
        s.reassign_task(&w.worker, soon.id, w.worker.user_id(), 1)
            .await,
        Err(StoreError::VersionConflict { current: 2 })
    ));
    assert!(matches!(
        s.complete_task(&w.worker, late.id, 7).await,
        Err(StoreError::VersionConflict { current: 1 })
    ));
    let finished = s
        .complete_task(&w.worker, late.id, 1)
        .await
        .expect("complete");
    assert!(finished.done && !finished.overdue && finished.done_at.is_some());
    assert!(matches!(
        s.complete_task(&w.worker, late.id, 2).await,
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::AlreadyDone,
            ..
        })
    ));
    assert!(
        s.list_my_tasks(&w.worker, true)
            .await
            .expect("none overdue")
            .is_empty()
    );
    let on_case = s
        .list_case_tasks(&w.worker, mine)
        .await
        .expect("case tasks");
    assert_eq!(on_case.len(), 3);
    assert!(on_case.last().expect("last").done, "done tasks last");
    // A task of a case one cannot read cannot be touched, and looks missing.
    assert!(matches!(
        s.complete_task(&w.worker, hidden.id, 1).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.complete_task(&w.worker, Uuid::now_v7(), 1).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn task_lists_are_mine_overdue_and_scoped_by_the_policy() {
    on_every_backend!(tasks);
}

async fn notes(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "María José", "Núñez", None).await;
    consent_to_referral(&s, &w.worker, case, w.consulate).await;
    // The colleague is assigned the case, so the author and the colleague both read it.
    assign(&s, case, &w.colleague).await;
    for (level, body) in [
        ("normal", "Attended the appointment"),
        ("restricted", "Internal: consider a transfer"),
        ("sensitive", "Disclosed sexual violence"),
    ] {
        s.add_note(&w.worker, case, crate::common::note(level, body))
            .await
            .expect("note");
    }
    assert!(!stored_in_clear(&s, "notes", "body", "violence").await);
    let sees = |notes: Vec<passage_store::casework::notes::Note>| {
        let mut v: Vec<String> = notes
            .iter()
            .map(|n| n.confidentiality.to_string())
            .collect();
        v.sort();
        v
    };
    let all = vec!["normal", "restricted", "sensitive"];
    assert_eq!(
        sees(s.list_notes(&w.worker, case).await.expect("author")),
        all
    );
    assert_eq!(
        sees(s.list_notes(&w.colleague, case).await.expect("colleague")),
        vec!["normal", "restricted"]
    );
    assert_eq!(
        sees(s.list_notes(&w.supervisor, case).await.expect("supervisor")),
        all
    );
    // Another organisation reads none, even with the person's consent to a referral to it.
    for level in ["normal", "sensitive"] {
        assert!(matches!(
            s.add_note(&w.consul, case, crate::common::note(level, "x"))
                .await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.list_notes(&w.consul, case).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        problems(
            passage_core::casework::notes::RawNote {
                confidentiality: "secret",
                body: "",
            }
            .validate()
            .map_err(StoreError::Invalid)
        ),
        vec![
            ("confidentiality".to_string(), "unknown_value"),
            ("body".to_string(), "required")
        ]
    );
    // Outsiders read nothing, not even that notes exist.
    assert!(matches!(
        s.list_notes(&w.org_admin, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        audit_count(&s, "note.read").await >= 5,
        "note reads are audited"
    );
}

#[tokio::test]
async fn note_confidentiality_for_author_colleague_supervisor_and_outsiders() {
    on_every_backend!(notes);
}

async fn services(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Олена", "Коваленко", None).await;
    let good = NewService {
        service_type: "medical".into(),
        provider: "St Mary's walk-in clinic".into(),
        delivered_on: day(0),
        note: Some("Follow-up in two weeks".into()),
    };
    assert_eq!(
        problems(
            s.record_service(
                &w.worker,
                case,
                NewService {
                    delivered_on: day(1),
                    ..good.clone()
                }
            )
            .await
        ),
        vec![("delivered_on".to_string(), "in_the_future")]
    );
    assert_eq!(
        problems(
            s.record_service(
                &w.worker,
                case,
                NewService {
                    service_type: "massage".into(),
                    provider: "x".repeat(201),
                    delivered_on: String::new(),
                    note: None,
                }
            )
            .await
        ),
        vec![
            ("service_type".to_string(), "unknown_value"),
            ("provider".to_string(), "too_long"),
            ("delivered_on".to_string(), "required")
        ]
    );
    s.record_service(&w.worker, case, good)
        .await
        .expect("service");
    s.record_service(
        &w.worker,
        case,
        NewService {
            service_type: "legal".into(),
            provider: "Law Centre".into(),
            delivered_on: day(-30),
            note: None,
        },
    )
    .await
    .expect("older service");
    let list = s.list_services(&w.supervisor, case).await.expect("list");
    assert_eq!(
        list.iter()
            .map(|s| (s.service_type.as_str(), s.provider.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("medical", "St Mary's walk-in clinic"),
            ("legal", "Law Centre")
        ]
    );
    assert!(!stored_in_clear(&s, "services", "provider_sealed", "Mary").await);
    assert!(!stored_in_clear(&s, "services", "note", "two weeks").await);
    let (plain,): (String,) = sqlx::query_as("SELECT provider FROM services LIMIT 1")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert_eq!(plain, "");
    assert!(matches!(
        s.list_services(&w.colleague, case).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn services_are_validated_and_sealed() {
    on_every_backend!(services);
}

async fn dashboard(s: Store) {
    let w = world(&s).await;
    let a = open_case(&s, &w.worker, "A", "One", None).await;
    open_case(&s, &w.worker, "B", "Two", None).await;
    open_case(&s, &w.colleague, "C", "Three", None).await;
    s.create_task(&w.worker, a, task("Late", None, day(-1)))
        .await
        .expect("task");
    sqlx::query(
        "INSERT INTO approvals (id, case_id, org_id, kind, payload, requested_by, requested_at) VALUES ($1, $2, $3, 'closure', $4, $5, 0)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(a.to_string())
    .bind(w.shelter.to_string())
    .bind(vec![0u8])
    .bind(w.worker.user_id().to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("approval");

    let d = s.dashboard(&w.supervisor).await.expect("dashboard");
    let load = |actor: &Actor| {
        d.caseload
            .iter()
            .find(|c| c.user_id == actor.user_id())
            .map(|c| c.total)
    };
    assert_eq!(load(&w.worker), Some(2));
    assert_eq!(load(&w.colleague), Some(1));
    assert_eq!(load(&w.supervisor), Some(0));
    assert_eq!(load(&w.org_admin), None, "an org admin holds no cases");
    let worker = d
        .caseload
        .iter()
        .find(|c| c.user_id == w.worker.user_id())
        .expect("worker");
    assert_eq!(
        worker.by_status.first().map(|s| (s.status, s.count)),
        Some((passage_core::CaseStatus::Open, 2))
    );
    assert_eq!(
        d.caseload[0].user_id,
        w.worker.user_id(),
        "most loaded first"
    );
    assert_eq!(
        (d.overdue_task_count, d.overdue_tasks[0].title.as_str()),
        (1, "Late")
    );
    assert_eq!(d.pending_approvals, 1);
    assert_eq!(d.unassigned_open, 0);
    assert!(d.open_alerts.is_empty());

    for who in [&w.worker, &w.colleague, &w.org_admin, &w.consul] {
        assert!(matches!(
            s.dashboard(who).await,
            Err(StoreError::Forbidden(_))
        ));
    }
    assert!(matches!(
        s.dashboard(&w.officer).await,
        Err(StoreError::Forbidden(
            passage_core::DenyReason::ImmigrationFirewall
        ))
    ));
}

#[tokio::test]
async fn the_dashboard_is_for_supervisors_only() {
    on_every_backend!(dashboard);
}

async fn firewall(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Rahim", "Uddin", None).await;
    s.upsert_need(&w.worker, case, need("safety", "high", "x", None))
        .await
        .expect("need");
    s.add_note(&w.worker, case, crate::common::note("normal", "Seen today"))
        .await
        .expect("note");
    let t = s
        .create_task(&w.worker, case, task("Call", None, day(-1)))
        .await
        .expect("task");
    let o = &w.officer;
    let nf = |r: Result<(), StoreError>| matches!(r, Err(StoreError::NotFound));
    assert!(nf(s.list_needs(o, case).await.map(drop)));
    assert!(nf(s
        .upsert_need(o, case, need("legal", "low", "", None))
        .await
        .map(drop)));
    assert!(nf(s.list_plan(o, case).await.map(drop)));
    assert!(nf(s
        .add_plan_item(
            o,
            case,
            PlanInput {
                goal: "x".into(),
                ..Default::default()
            }
        )
        .await
        .map(drop)));
    assert!(nf(s.list_case_tasks(o, case).await.map(drop)));
    assert!(nf(s
        .create_task(o, case, task("x", None, day(1)))
        .await
        .map(drop)));
    assert!(nf(s.complete_task(o, t.id, 1).await.map(drop)));
    assert!(nf(s.reassign_task(o, t.id, o.user_id(), 1).await.map(drop)));
    assert!(nf(s.list_notes(o, case).await.map(drop)));
    assert!(nf(s
        .add_note(o, case, crate::common::note("normal", "x"))
        .await
        .map(drop)));
    assert!(nf(s.list_services(o, case).await.map(drop)));
    assert!(nf(s.case_staff(o, case).await.map(drop)));
    let fw = |r: Result<(), StoreError>| {
        matches!(
            r,
            Err(StoreError::Forbidden(
                passage_core::DenyReason::ImmigrationFirewall
            ))
        )
    };
    assert!(fw(s.list_my_tasks(o, false).await.map(drop)));
    assert!(fw(s.list_my_tasks(o, true).await.map(drop)));
    assert!(fw(s.list_org_overdue_tasks(o).await.map(drop)));
    assert!(fw(s.dashboard(o).await.map(drop)));
}

#[tokio::test]
async fn immigration_enforcement_gets_nothing_of_case_work() {
    on_every_backend!(firewall);
}
