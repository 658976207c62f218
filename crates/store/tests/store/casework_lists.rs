//! Case lists with filters and pages, on every backend: each filter narrows, none widens what
//! the policy lets an actor see, pages are complete and stable, and synthetic seeding is
//! searchable like registration.

use crate::common::*;
use passage_core::casework::RiskLevel;
use passage_core::records::NewPerson;
use passage_core::{CaseStatus, CaseType, Stage};
use passage_store::cases::Page;
use passage_store::casework::filters::CaseFilter;
use passage_store::casework::seed::SeedCase;
use passage_store::{Actor, Store, StoreError};
use std::collections::HashSet;
use uuid::Uuid;

fn seed(i: usize, family: &str) -> SeedCase {
    SeedCase {
        person: NewPerson {
            given_name: format!("Person{i}"),
            family_name: family.to_string(),
            date_of_birth: None,
            sex: None,
            citizenships: vec![],
            migration_status: None,
        },
        types: vec![CaseType::ALL[i % CaseType::ALL.len()]],
        stage: Stage::ALL[i % Stage::ALL.len()],
        status: CaseStatus::ALL[i % CaseStatus::ALL.len()],
        risk: RiskLevel::ALL[i % RiskLevel::ALL.len()],
        summary: "synthetic".into(),
        overdue_task: i.is_multiple_of(4),
        opened_days_ago: 0,
        statistics_consent: false,
    }
}

async fn ids(s: &Store, a: &Actor, f: &CaseFilter) -> HashSet<Uuid> {
    let page = Page {
        limit: 200,
        offset: 0,
    };
    s.search_cases(a, f, page)
        .await
        .expect("list")
        .into_iter()
        .map(|c| c.id)
        .collect()
}

async fn filters_narrow_and_never_widen(s: Store) {
    let w = world(&s).await;
    s.operator("test")
        .seed_cases(&w.worker, (0..36).map(|i| seed(i, "Haddad")).collect())
        .await
        .expect("seed");
    s.operator("test")
        .seed_cases(&w.colleague, (0..12).map(|i| seed(i, "Mensah")).collect())
        .await
        .expect("seed");
    let all = CaseFilter::default();
    let mine = ids(&s, &w.worker, &all).await;
    assert_eq!(mine.len(), 36, "a caseworker sees their own cases");
    assert_eq!(ids(&s, &w.supervisor, &all).await.len(), 48);

    let services = CaseFilter {
        status: Some(CaseStatus::Services),
        ..Default::default()
    };
    let got = s
        .search_cases(
            &w.worker,
            &services,
            Page {
                limit: 200,
                offset: 0,
            },
        )
        .await
        .expect("list");
    assert_eq!(got.len(), 6);
    assert!(got.iter().all(|c| c.status == CaseStatus::Services));
    // The colleague's filters never reach the worker's cases.
    let theirs = ids(&s, &w.colleague, &services).await;
    assert_eq!(theirs.len(), 2);
    assert!(theirs.is_disjoint(&mine));

    let high = CaseFilter {
        risk: Some(RiskLevel::High),
        ..Default::default()
    };
    assert_eq!(ids(&s, &w.worker, &high).await.len(), 12);
    let overdue = CaseFilter {
        overdue: true,
        ..Default::default()
    };
    assert_eq!(ids(&s, &w.worker, &overdue).await.len(), 9);
    assert_eq!(ids(&s, &w.supervisor, &overdue).await.len(), 12);
    let typed = CaseFilter {
        case_type: Some(CaseType::ALL[1]),
        stage: Some(Stage::ALL[1]),
        ..Default::default()
    };
    let expected = (0..36)
        .filter(|i| i % CaseType::ALL.len() == 1 && i % Stage::ALL.len() == 1)
        .count();
    assert_eq!(ids(&s, &w.worker, &typed).await.len(), expected);
    let assigned = CaseFilter {
        assigned_to_me: true,
        ..Default::default()
    };
    assert_eq!(
        ids(&s, &w.supervisor, &assigned).await.len(),
        0,
        "the supervisor holds none"
    );
    assert_eq!(ids(&s, &w.worker, &assigned).await, mine);

    // Name search on seeded cases, combined with a filter.
    let named = CaseFilter {
        q: Some("hadd".into()),
        status: Some(CaseStatus::Open),
        ..Default::default()
    };
    assert_eq!(ids(&s, &w.supervisor, &named).await.len(), 6);

    // Immigration enforcement gets nothing, whatever the filter.
    for f in [all, services, overdue] {
        assert!(matches!(
            s.search_cases(&w.officer, &f, Page::default()).await,
            Err(StoreError::Forbidden(_))
        ));
    }
}

async fn pages_are_complete_and_stable(s: Store) {
    let w = world(&s).await;
    s.operator("test")
        .seed_cases(&w.worker, (0..23).map(|i| seed(i, "Okafor")).collect())
        .await
        .expect("seed");
    let mut seen = Vec::new();
    for offset in (0..30).step_by(7) {
        let page = s
            .search_cases(&w.worker, &CaseFilter::default(), Page { limit: 7, offset })
            .await
            .expect("page");
        assert!(page.len() <= 7);
        seen.extend(page.into_iter().map(|c| c.id));
    }
    let unique: HashSet<Uuid> = seen.iter().copied().collect();
    assert_eq!((seen.len(), unique.len()), (23, 23), "every case once");
}

#[tokio::test]
async fn filters_narrow_and_never_widen_on_every_backend() {
    on_every_backend!(filters_narrow_and_never_widen);
}

#[tokio::test]
async fn pages_are_complete_and_stable_on_every_backend() {
    on_every_backend!(pages_are_complete_and_stable);
}
