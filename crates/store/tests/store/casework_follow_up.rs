//! Follow-up visits after closure, on every backend: listed by due date with overdue marked,
//! recorded with a sustainability check against the version read, the note sealed at rest,
//! every read and change audited without personal data, and nothing for those who may not read
//! the case (immigration enforcement included) — not even whether their input was valid.
//! The visits are planned here with SQL, as closing a case plans them.

use crate::common::*;
use passage_core::casework::calendar::Day;
use passage_store::casework::follow_up::Visit;
use passage_store::{Store, StoreError};
use uuid::Uuid;

fn day(offset_days: i64) -> String {
    Day::from_unix_ms(passage_store::now_ms() + offset_days * 86_400_000).to_string()
}

async fn plan(s: &Store, case: Uuid, due_on: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO follow_ups (id, case_id, due_on) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(case.to_string())
        .bind(due_on)
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("plan a visit");
    id
}

fn visit(done_on: &str, scores: [&str; 3], note: &str, version: i64) -> Visit {
    Visit {
        done_on: done_on.into(),
        economic: scores[0].into(),
        social: scores[1].into(),
        psychosocial: scores[2].into(),
        note: Some(note.into()),
        version,
    }
}

async fn visits_are_listed_and_recorded_with_a_sustainability_check(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Hawa", "Kamara", None).await;
    let other = open_case(&s, &w.worker, "Dawit", "Abebe", None).await;
    // Planned out of order: the list comes back by due date.
    let later = plan(&s, case, &day(60)).await;
    let past = plan(&s, case, &day(-10)).await;
    let elsewhere = plan(&s, other, &day(-1)).await;

    let listed = s.follow_ups(&w.worker, case).await.expect("list");
    assert_eq!(
        listed.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![past, later],
        "only this case's visits, by due date"
    );
    assert!(
        listed[0].overdue && !listed[1].overdue,
        "a visit past due and not done is overdue"
    );
    assert!(listed.iter().all(|v| v.done_on.is_none() && v.version == 1));

    // Bad input: each field named, nothing written.
    match s
        .record_follow_up(&w.worker, past, visit("", ["0", "4", "x"], "", 1))
        .await
    {
        Err(StoreError::Invalid(p)) => {
            let fields: Vec<&str> = p.0.iter().map(|f| f.field.as_str()).collect();
            for f in ["done_on", "economic", "social", "psychosocial"] {
                assert!(fields.contains(&f), "{f} named: {fields:?}");
            }
        }
        other => panic!("{other:?}"),
    }
    match s
        .record_follow_up(&w.worker, past, visit(&day(2), ["1", "2", "3"], "", 1))
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].code, "in_the_future"),
        other => panic!("{other:?}"),
    }

    // A visit recorded against the version read.
    let note = "Shop reopened; the landlord threatens eviction";
    let version = s
        .record_follow_up(&w.worker, past, visit(&day(-1), ["3", "2", "1"], note, 1))
        .await
        .expect("record");
    assert_eq!(version, 2);
    // The note is sealed at rest.
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT note FROM follow_ups WHERE id = $1")
        .bind(past.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(!String::from_utf8_lossy(&raw).contains("Shop"), "sealed");
    // The same version again is stale: refused, and nothing of it kept.
    match s
        .record_follow_up(&w.worker, past, visit(&day(0), ["1", "1", "1"], "other", 1))
        .await
    {
        Err(StoreError::VersionConflict { current }) => assert_eq!(current, 2),
        other => panic!("{other:?}"),
    }
    let listed = s
        .follow_ups(&w.supervisor, case)
        .await
        .expect("supervisor reads");
    let done = &listed[0];
    assert_eq!(done.id, past);
    assert_eq!(done.done_on.as_deref(), Some(day(-1).as_str()));
    assert_eq!(
        (done.economic, done.social, done.psychosocial),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(done.note.as_deref(), Some(note));
    assert!(!done.overdue, "a done visit is not overdue");
    assert_eq!(done.version, 2);
    // The next holder of the version may correct it: a visit is recorded whole, so a
    // correction without a note leaves none.
    assert_eq!(
        s.record_follow_up(&w.supervisor, past, visit(&day(-1), ["3", "3", "1"], "", 2))
            .await
            .expect("correct"),
        3
    );
    let corrected = &s.follow_ups(&w.worker, case).await.expect("list")[0];
    assert_eq!(
        (corrected.social, corrected.note.as_deref()),
        (Some(3), None)
    );

    // The audit names the case, never the note.
    let events: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT action, object_id, outcome FROM audit_events WHERE action LIKE 'follow_up.%' ORDER BY seq",
    )
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    let recorded: Vec<_> = events
        .iter()
        .filter(|(a, _, o)| a == "follow_up.record" && o == "ok")
        .collect();
    assert_eq!(recorded.len(), 2, "{events:?}");
    assert!(events.iter().any(
        |(a, id, _)| a == "follow_up.list" && id.as_deref() == Some(case.to_string().as_str())
    ));

    // Those who may not read the case learn nothing: not the visits, not whether their input
    // was valid, not whether the visit exists. Each attempt is audited.
    let before = events.len();
    for actor in [&w.colleague, &w.consul, &w.officer] {
        assert!(matches!(
            s.follow_ups(actor, case).await,
            Err(StoreError::NotFound)
        ));
        for v in [
            visit(&day(0), ["1", "1", "1"], "", 3),
            visit("soon", ["9", "", ""], "", 3),
        ] {
            assert!(matches!(
                s.record_follow_up(actor, later, v).await,
                Err(StoreError::NotFound)
            ));
        }
    }
    assert!(matches!(
        s.record_follow_up(
            &w.worker,
            Uuid::now_v7(),
            visit(&day(0), ["1", "1", "1"], "", 1)
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let (after,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'follow_up.%'")
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("audit");
    assert_eq!(
        after as usize,
        before + 10,
        "every refused attempt is audited"
    );
    let untouched = s.follow_ups(&w.worker, case).await.expect("list");
    assert_eq!(untouched[1].version, 1, "refused writes change nothing");
    assert!(untouched[1].done_on.is_none());
    // Another case's visit is untouched too.
    let theirs = s.follow_ups(&w.worker, other).await.expect("list");
    assert_eq!((theirs[0].id, theirs[0].overdue), (elsewhere, true));
}

#[tokio::test]
async fn visits_are_listed_and_recorded_with_a_sustainability_check_on_every_backend() {
    on_every_backend!(visits_are_listed_and_recorded_with_a_sustainability_check);
}
