//! A registration's duplicate check runs after its commit, on every backend: a check a crash
//! left undone (the person committed, the comparison never run) is run by the sweep; two
//! registrations of one person committed before either is compared record the pair once,
//! even when two sweeps run at the same time; the background checker finds pairs by itself.

use crate::common::*;
use passage_store::Store;
use passage_store::casework::duplicates::LinkCheckMode;
use uuid::Uuid;

async fn due(s: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM person_link_checks")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("due checks");
    n
}

async fn a_check_left_undone_is_run_by_the_sweep(s: Store) {
    // Registrations commit and nobody compares: what a crash right after the commit leaves.
    let s = s.with_link_check_mode(LinkCheckMode::Deferred);
    let w = world(&s).await;
    let (first, _) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "1990-05-04").await;
    let (again, _) = register(&s, &w.colleague, "Muhammad", "Alhassan", "1990-05-04").await;
    assert_eq!(due(&s).await, 2);
    assert!(
        s.duplicate_queue(&w.supervisor)
            .await
            .expect("queue")
            .is_empty()
    );
    let status = s
        .person_link_status(&w.colleague, again)
        .await
        .expect("status");
    assert!(
        status.duplicate_check_running && !status.pending_review,
        "{status:?}"
    );

    assert_eq!(s.run_link_checks().await.expect("sweep"), 2);
    assert_eq!(due(&s).await, 0);
    let queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!((queue[0].person_id, queue[0].other_id), (again, first));
    let status = s
        .person_link_status(&w.colleague, again)
        .await
        .expect("status");
    assert!(
        !status.duplicate_check_running && status.pending_review,
        "{status:?}"
    );

    // The mark written again by hand (the findings lost with it): the sweep finds the pair
    // again, once.
    let pool = s.operator("test").unsafe_raw_pool();
    sqlx::query("DELETE FROM duplicate_candidates")
        .execute(pool)
        .await
        .expect("forget");
    sqlx::query("INSERT INTO person_link_checks (person_id, queued_at) VALUES ($1, $2)")
        .bind(again.to_string())
        .bind(0_i64)
        .execute(pool)
        .await
        .expect("mark");
    assert_eq!(s.run_link_checks().await.expect("sweep"), 1);
    let queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert_eq!(queue.len(), 1, "{queue:?}");
    // Nothing due: the sweep does nothing.
    assert_eq!(s.run_link_checks().await.expect("sweep"), 0);
}

async fn two_registrations_at_once_record_the_pair_once(s: Store) {
    let s = s.with_link_check_mode(LinkCheckMode::Deferred);
    let w = world(&s).await;
    // Both committed before either is compared: each check sees the other person.
    let ((a, _), (b, _)) = tokio::join!(
        register(&s, &w.worker, "Mohammed", "Al-Hassan", "1990-05-04"),
        register(&s, &w.colleague, "Muhammad", "Alhassan", "1990-05-04"),
    );
    assert_eq!(due(&s).await, 2);
    // Two sweeps at once: each check is done by exactly one of them.
    let (x, y) = tokio::join!(s.run_link_checks(), s.run_link_checks());
    assert!(x.is_ok() && y.is_ok(), "{x:?} {y:?}");
    assert_eq!(due(&s).await, 0);
    let queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert_eq!(queue.len(), 1, "one pair, not one per person: {queue:?}");
    let pair = (queue[0].person_id, queue[0].other_id);
    assert!(pair == (a, b) || pair == (b, a), "{pair:?}");
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM duplicate_candidates")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    assert_eq!(rows, 1);
}

async fn the_background_checker_finds_the_pair(s: Store) {
    let s = s.with_link_check_mode(LinkCheckMode::Background);
    let w = world(&s).await;
    let (first, _) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "1990-05-04").await;
    let (again, _) = register(&s, &w.colleague, "Muhammad", "Alhassan", "1990-05-04").await;
    let mut queue = Vec::new();
    for _ in 0..200 {
        queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
        if !queue.is_empty() && due(&s).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!((queue[0].person_id, queue[0].other_id), (again, first));
    assert_eq!(due(&s).await, 0);
}

async fn link_keys_of(s: &Store, person: Uuid) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT link_key FROM person_link_keys WHERE person_id = $1 ORDER BY link_key",
    )
    .bind(person.to_string())
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("keys");
    rows.into_iter().map(|(k,)| k).collect()
}

async fn registration_keys_are_those_built_from_the_stored_person(s: Store) {
    // A registration computes the person's linkage keys from the values it was given, before
    // its transaction, instead of reading the person back: they must be the keys the stored
    // person yields when rebuilt (names in two scripts, a date of birth).
    let s = s.with_link_check_mode(LinkCheckMode::Deferred);
    let w = world(&s).await;
    let (person, _) = register(&s, &w.worker, "Мухаммад Али", "Аль-Хасан", "1990-05-04").await;
    let at_registration = link_keys_of(&s, person).await;
    assert!(at_registration.len() >= 4, "{at_registration:?}");
    let pool = s.operator("test").unsafe_raw_pool().clone();
    let (keyed,): (Option<i64>,) =
        sqlx::query_as("SELECT link_keyed_at FROM persons WHERE id = $1")
            .bind(person.to_string())
            .fetch_one(&pool)
            .await
            .expect("keyed");
    assert!(keyed.is_some(), "a registered person counts as keyed");
    assert_eq!(due(&s).await, 1);

    sqlx::query("DELETE FROM person_link_keys WHERE person_id = $1")
        .bind(person.to_string())
        .execute(&pool)
        .await
        .expect("drop keys");
    sqlx::query("UPDATE persons SET link_keyed_at = NULL WHERE id = $1")
        .bind(person.to_string())
        .execute(&pool)
        .await
        .expect("unkey");
    assert_eq!(
        s.operator("test").index_link_keys().await.expect("index"),
        1
    );
    assert_eq!(link_keys_of(&s, person).await, at_registration);
    let chain = s.verify_audit().await.expect("verify");
    assert!(chain.is_ok(), "{chain:?}");
}

#[tokio::test]
async fn registration_keys_are_those_built_from_the_stored_person_on_every_backend() {
    on_every_backend!(registration_keys_are_those_built_from_the_stored_person);
}

#[tokio::test]
async fn a_check_left_undone_is_run_by_the_sweep_on_every_backend() {
    on_every_backend!(a_check_left_undone_is_run_by_the_sweep);
}

#[tokio::test]
async fn two_registrations_at_once_record_the_pair_once_on_every_backend() {
    on_every_backend!(two_registrations_at_once_record_the_pair_once);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_checker_finds_the_pair_on_every_backend() {
    on_every_backend!(the_background_checker_finds_the_pair);
}
