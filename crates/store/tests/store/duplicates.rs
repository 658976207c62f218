//! Duplicate persons on every backend: a person registered again in another spelling or script
//! lands in the organisation's review queue with the explanation of its score; only those who
//! read every case of the organisation review it; a merge moves the cases and is undone
//! exactly; "different people" leaves the queue; a consulate's registration tells neither side
//! anything; immigration enforcement's persons are never compared.

use crate::common::*;
use passage_core::records::RawPerson;
use passage_store::{Store, StoreError};

async fn duplicates_are_found_reviewed_merged_and_undone(s: Store) {
    let w = world(&s).await;
    let (first, first_case) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "1990-05-04").await;
    let (stranger, _) = register(&s, &w.worker, "Tsegereda", "Bekele", "1972-11-30").await;
    // The same man, registered by a colleague in Arabic script.
    let (again, again_case) = register(&s, &w.colleague, "محمد", "الحسن", "1990-05-04").await;

    // Caseworkers may not read the queue: it shows persons of cases that are not theirs.
    assert!(matches!(
        s.duplicate_queue(&w.worker).await,
        Err(StoreError::Forbidden(_))
    ));
    let queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert_eq!(queue.len(), 1, "{queue:?}");
    let pair = &queue[0];
    assert_eq!((pair.person_id, pair.other_id), (again, first));
    assert!(pair.probability > 0.9, "{}", pair.probability);
    assert!(
        pair.explanation
            .iter()
            .any(|e| e.field == "date_of_birth" && e.level == "exact")
    );
    // The explanation names the fields that agreed and how: the names in another script
    // agree only as variants or sounds, the date and citizenship exactly; each counts for
    // the pair, and fields neither person has (sex, phone, document) are left out.
    let mut named: Vec<(&str, &str)> = pair
        .explanation
        .iter()
        .map(|e| (e.field.as_str(), e.level.as_str()))
        .collect();
    named.sort();
    assert_eq!(
        named.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        vec!["citizenship", "date_of_birth", "family_name", "given_name"],
        "{:?}",
        pair.explanation
    );
    assert!(named.contains(&("date_of_birth", "exact")), "{named:?}");
    assert!(named.contains(&("citizenship", "exact")), "{named:?}");
    assert!(
        named
            .iter()
            .filter(|(f, _)| f.ends_with("_name"))
            .all(|(_, l)| *l != "exact" && *l != "missing"),
        "names in two scripts are not equal: {named:?}"
    );
    assert!(
        pair.explanation.iter().all(|e| e.bits > 0.0),
        "every field named agreed: {:?}",
        pair.explanation
    );
    // What the store keeps of the explanation holds no value of either person.
    let (stored,): (String,) =
        sqlx::query_as("SELECT explanation FROM duplicate_candidates WHERE id = $1")
            .bind(pair.id.to_string())
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("stored explanation");
    assert!(stored.contains("date_of_birth"), "{stored}");
    for value in ["1990", "05-04", "Mohammed", "Hassan", "محمد", "الحسن", "SY"] {
        assert!(!stored.contains(value), "{value} in {stored}");
    }
    assert!(
        !queue
            .iter()
            .any(|c| c.person_id == stranger || c.other_id == stranger)
    );
    // Both readers learn that a review is pending, not with whom.
    assert!(
        s.person_link_status(&w.colleague, again)
            .await
            .unwrap()
            .pending_review
    );

    // Merge: the person registered first is kept; the later one's case moves to it.
    assert!(matches!(
        s.merge_duplicate(&w.worker, pair.id).await,
        Err(StoreError::Forbidden(_))
    ));
    let merge = s
        .merge_duplicate(&w.supervisor, pair.id)
        .await
        .expect("merge");
    let moved = s.get_case(&w.supervisor, again_case).await.expect("case");
    assert_eq!(moved.person.id, first);
    assert_eq!(
        s.person_link_status(&w.supervisor, again)
            .await
            .unwrap()
            .merged_into,
        Some(first)
    );
    assert!(s.duplicate_queue(&w.supervisor).await.unwrap().is_empty());
    assert!(matches!(
        s.merge_duplicate(&w.supervisor, pair.id).await,
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::AlreadyDecided,
            ..
        })
    ));
    let merges = s.merges(&w.supervisor).await.expect("merges");
    assert_eq!(
        (merges[0].id, merges[0].moved_cases.clone()),
        (merge, vec![again_case])
    );

    // Undo: exactly that case goes back; the pair is recorded as different people.
    s.undo_merge(&w.supervisor, merge).await.expect("undo");
    assert_eq!(
        s.get_case(&w.supervisor, again_case)
            .await
            .unwrap()
            .person
            .id,
        again
    );
    assert_eq!(
        s.get_case(&w.supervisor, first_case)
            .await
            .unwrap()
            .person
            .id,
        first
    );
    assert_eq!(
        s.person_link_status(&w.supervisor, again)
            .await
            .unwrap()
            .merged_into,
        None
    );
    assert!(matches!(
        s.undo_merge(&w.supervisor, merge).await,
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::AlreadyUndone,
            ..
        })
    ));

    // Another spelling with the names the other way round: a new candidate, then dismissed.
    let (third, _) = register(&s, &w.worker, "Hassan", "Muhammad", "1990-05-04").await;
    let queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
    let pair = queue
        .iter()
        .find(|c| c.person_id == third)
        .expect("found with names swapped");
    assert!(pair.names_swapped);
    s.dismiss_duplicate(&w.supervisor, pair.id)
        .await
        .expect("dismiss");
    assert!(
        !s.duplicate_queue(&w.supervisor)
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == pair.id)
    );

    // Across organisations: a consulate's registration raises no signal, so neither side is
    // told anything (the partner signals suite covers the signals other registrations raise).
    let (at_consulate, _) = register(&s, &w.consul, "Muhammad", "Alhassan", "1990-05-04").await;
    let theirs = s
        .person_link_status(&w.consul, at_consulate)
        .await
        .expect("status");
    assert!(!theirs.partner_may_hold && !theirs.pending_review);
    assert!(
        !s.person_link_status(&w.supervisor, first)
            .await
            .unwrap()
            .partner_may_hold
    );
    assert!(
        s.duplicate_queue(&w.consul)
            .await
            .unwrap_or_default()
            .iter()
            .all(|c| c.other_id != first)
    );

    // Immigration enforcement cannot register persons at all, so it is never compared and
    // never told; nor can it read the queue.
    let person = RawPerson {
        given_name: "Mohammed".into(),
        family_name: "Al-Hassan".into(),
        date_of_birth: Some("1990-05-04".into()),
        sex: None,
        citizenships: None,
        migration_status: None,
    }
    .validate(2026)
    .expect("valid");
    assert!(matches!(
        s.create_person(&w.officer, person).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.duplicate_queue(&w.officer).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.person_link_status(&w.officer, first).await,
        Err(StoreError::NotFound)
    ));
    // The linkage keys hold no name or date in clear.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM person_link_keys WHERE person_id = $1")
        .bind(first.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("keys");
    assert!(n >= 3, "names, date and year keys ({n})");
    let (merges_audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action IN ('person.merge', 'person.unmerge', 'duplicate.dismiss')",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert!(merges_audited >= 3);
}

/// Persons written in bulk (or before duplicate detection) have no keys until the start-up
/// pass builds them; then a new registration finds them.
async fn persons_from_before_are_keyed_and_then_found(s: Store) {
    let w = world(&s).await;
    let person = RawPerson {
        given_name: "Aisha".into(),
        family_name: "Abdullahi".into(),
        date_of_birth: Some("1995-08-17".into()),
        sex: None,
        citizenships: None,
        migration_status: None,
    }
    .validate(2026)
    .expect("valid");
    s.operator("test")
        .seed_cases(
            &w.worker,
            vec![passage_store::casework::seed::SeedCase {
                person,
                types: vec![passage_core::CaseType::Trafficking],
                stage: passage_core::Stage::Destination,
                status: passage_core::CaseStatus::Open,
                risk: passage_core::casework::RiskLevel::Medium,
                summary: "Bulk".into(),
                overdue_task: false,
                opened_days_ago: 0,
                statistics_consent: false,
            }],
        )
        .await
        .expect("seed");
    let before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM person_link_keys")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    assert_eq!(before.0, 0, "bulk-written persons have no keys yet");
    assert_eq!(
        s.operator("test").index_link_keys().await.expect("index"),
        1
    );
    assert_eq!(
        s.operator("test").index_link_keys().await.expect("again"),
        0,
        "each person once"
    );
    register(&s, &w.worker, "Ayesha", "Abdullahi", "1995-08-17").await;
    let queue = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert_eq!(
        queue.len(),
        1,
        "the bulk-written person is found: {queue:?}"
    );
}

#[tokio::test]
async fn persons_from_before_are_keyed_and_then_found_on_every_backend() {
    on_every_backend!(persons_from_before_are_keyed_and_then_found);
}

#[tokio::test]
async fn duplicates_are_found_reviewed_merged_and_undone_on_every_backend() {
    on_every_backend!(duplicates_are_found_reviewed_merged_and_undone);
}
