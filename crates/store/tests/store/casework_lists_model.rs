//! The case list checked against a model, on every backend. A small world of cases with varied
//! statuses, types, stages, risks, tasks, assignees and referral consents is seeded; for every actor the
//! cases they may read are found one by one with `get_case` (the policy's answer, not the
//! list's), and for many filters and name searches the list, read page by page, must give
//! exactly the readable cases the filter describes, each once, newest first. So a filter never
//! widens what the policy allows, pages are complete and stable, and name search works across
//! pages.

use crate::common::*;
use passage_core::casework::RiskLevel;
use passage_core::records::NewPerson;
use passage_core::{CaseStatus, CaseType, Stage};
use passage_store::cases::Page;
use passage_store::casework::filters::CaseFilter;
use passage_store::casework::seed::SeedCase;
use passage_store::{Actor, Store, StoreError, search};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

const GIVEN: &[&str] = &["Maria", "Mariam", "Marek", "Amina", "Amin", "Olena", "José"];
const FAMILY: &[&str] = &["Haddad", "Hadid", "Santos", "Santana", "Nguyen", "Núñez"];

/// What the model knows of a seeded case.
#[derive(Debug, Clone)]
struct Known {
    given: String,
    family: String,
    status: CaseStatus,
    types: Vec<CaseType>,
    stage: Stage,
    risk: RiskLevel,
    overdue: bool,
    assigned_to: Option<Uuid>,
}

fn synthetic(i: usize, salt: usize) -> SeedCase {
    let n = i * 7 + salt * 13;
    let mut types = vec![CaseType::ALL[n % CaseType::ALL.len()]];
    if i.is_multiple_of(3) {
        let more = CaseType::ALL[(n / 3 + 1) % CaseType::ALL.len()];
        if more != types[0] {
            types.push(more);
        }
    }
    SeedCase {
        person: NewPerson {
            given_name: GIVEN[n % GIVEN.len()].to_string(),
            family_name: FAMILY[(n / GIVEN.len()) % FAMILY.len()].to_string(),
            date_of_birth: None,
            sex: None,
            citizenships: vec![],
            migration_status: None,
        },
        types,
        stage: Stage::ALL[(n / 2) % Stage::ALL.len()],
        status: CaseStatus::ALL[(n / 5) % CaseStatus::ALL.len()],
        risk: RiskLevel::ALL[(n / 3) % RiskLevel::ALL.len()],
        summary: "synthetic".into(),
        overdue_task: i.is_multiple_of(5),
        opened_days_ago: 0,
        statistics_consent: false,
    }
}

/// Seeds `n` cases for `actor` and returns what the model needs to know about them.
async fn seed(
    s: &Store,
    actor: &Actor,
    n: usize,
    salt: usize,
    known: &mut HashMap<Uuid, Known>,
) -> Vec<Uuid> {
    let batch: Vec<SeedCase> = (0..n).map(|i| synthetic(i, salt)).collect();
    s.operator("test")
        .seed_cases(actor, batch.clone())
        .await
        .expect("seed");
    // The seeded cases are the newest of this actor's; find them by their creator.
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.id, c.person_id FROM cases c WHERE c.created_by = $1 ORDER BY c.id",
    )
    .bind(actor.user_id().to_string())
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("ids");
    let fresh: Vec<Uuid> = rows
        .iter()
        .map(|(id, _)| Uuid::parse_str(id).expect("uuid"))
        .filter(|id| !known.contains_key(id))
        .collect();
    assert_eq!(fresh.len(), n, "every seeded case is stored");
    // uuid v7 ids follow the order of insertion, so the nth new id is the nth seeded case.
    for (id, c) in fresh.iter().zip(batch) {
        known.insert(
            *id,
            Known {
                given: c.person.given_name,
                family: c.person.family_name,
                status: c.status,
                types: c.types,
                stage: c.stage,
                risk: c.risk,
                overdue: c.overdue_task,
                assigned_to: Some(actor.user_id()),
            },
        );
    }
    fresh
}

async fn exec(s: &Store, sql: &str, binds: &[String]) {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = q.bind(b.clone());
    }
    q.execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw sql");
}

/// A task row written directly: `due` days from today, open or done.
async fn task(s: &Store, case: Uuid, org: Uuid, by: Uuid, due_in_days: i64, done: bool) {
    let id = Uuid::now_v7().to_string();
    let due = passage_core::casework::calendar::Day::from_unix_ms(
        passage_store::now_ms() + due_in_days * 86_400_000,
    )
    .to_string();
    let mut q = sqlx::query(
        "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, created_by, created_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $5, $8, 1)",
    )
    .bind(id)
    .bind(case.to_string())
    .bind(org.to_string())
    .bind(vec![0u8; 4])
    .bind(by.to_string())
    .bind(due);
    q = if done {
        q.bind(Some(passage_store::now_ms()))
    } else {
        q.bind(None::<i64>)
    };
    q.bind(passage_store::now_ms())
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("task");
}

/// Every page of the list, concatenated; checks each page's size, the order, and that a page
/// says a next one has cases exactly when it does.
async fn all_pages(s: &Store, actor: &Actor, f: &CaseFilter, limit: i64) -> Vec<Uuid> {
    let mut out: Vec<(i64, Uuid)> = Vec::new();
    let mut more_promised = None;
    for page_no in 0..200 {
        let page = s
            .search_cases_page(
                actor,
                f,
                Page {
                    limit,
                    offset: page_no * limit,
                },
            )
            .await
            .expect("page");
        assert!(
            page.items.len() as i64 <= limit,
            "a page holds at most its limit"
        );
        if let Some(promised) = more_promised {
            assert_eq!(
                promised,
                !page.items.is_empty(),
                "{f:?} page {page_no}: has_more tells whether this page has cases"
            );
        }
        if page.items.is_empty() {
            break;
        }
        more_promised = Some(page.has_more);
        out.extend(page.items.iter().map(|c| (c.created_at, c.id)));
    }
    for w in out.windows(2) {
        assert!(w[0] > w[1], "newest first, each once: {f:?} {w:?}");
    }
    out.into_iter().map(|(_, id)| id).collect()
}

fn wanted(k: &Known, f: &CaseFilter, me: Uuid) -> bool {
    f.status.is_none_or(|s| s == k.status)
        && f.case_type.is_none_or(|t| k.types.contains(&t))
        && f.stage.is_none_or(|s| s == k.stage)
        && f.risk.is_none_or(|r| r == k.risk)
        && (!f.overdue || k.overdue)
        && (!f.assigned_to_me || k.assigned_to == Some(me))
        && f.q
            .as_deref()
            .is_none_or(|q| search::matches(q, &[&k.given, &k.family]))
}

fn filters() -> Vec<CaseFilter> {
    let mut out = vec![CaseFilter::default()];
    out.extend(CaseStatus::ALL.iter().map(|s| CaseFilter {
        status: Some(*s),
        ..Default::default()
    }));
    out.extend(CaseType::ALL.iter().map(|t| CaseFilter {
        case_type: Some(*t),
        ..Default::default()
    }));
    out.extend(Stage::ALL.iter().map(|s| CaseFilter {
        stage: Some(*s),
        ..Default::default()
    }));
    out.extend(RiskLevel::ALL.iter().map(|r| CaseFilter {
        risk: Some(*r),
        ..Default::default()
    }));
    for q in [
        "mar",
        "MARI hadd",
        "san",
        "nguy amin",
        "ma",
        "jose nunez",
        "zz",
        "olena",
    ] {
        out.push(CaseFilter {
            q: Some(q.into()),
            ..Default::default()
        });
    }
    out.push(CaseFilter {
        overdue: true,
        ..Default::default()
    });
    out.push(CaseFilter {
        assigned_to_me: true,
        ..Default::default()
    });
    out.push(CaseFilter {
        q: Some("ami".into()),
        risk: Some(RiskLevel::ALL[0]),
        overdue: true,
        ..Default::default()
    });
    out.push(CaseFilter {
        status: Some(CaseStatus::ALL[1]),
        stage: Some(Stage::ALL[2]),
        assigned_to_me: true,
        ..Default::default()
    });
    out.push(CaseFilter {
        q: Some("ha".into()),
        case_type: Some(CaseType::ALL[0]),
        ..Default::default()
    });
    out
}

async fn the_list_is_the_readable_cases_the_filter_describes(s: Store) {
    let w = world(&s).await;
    let mut known = HashMap::new();
    let by_worker = seed(&s, &w.worker, 45, 0, &mut known).await;
    let by_colleague = seed(&s, &w.colleague, 25, 1, &mut known).await;

    // Some of the worker's cases go to the colleague (both now "own" them), some of the
    // colleague's to nobody and to the supervisor.
    for id in by_worker.iter().step_by(7) {
        exec(
            &s,
            "UPDATE cases SET assigned_to = $1 WHERE id = $2",
            &[w.colleague.user_id().to_string(), id.to_string()],
        )
        .await;
        known.get_mut(id).expect("known").assigned_to = Some(w.colleague.user_id());
    }
    for (i, id) in by_colleague.iter().enumerate().filter(|(i, _)| i % 6 == 1) {
        let to = (i % 12 == 1).then(|| w.supervisor.user_id());
        match to {
            Some(u) => {
                exec(
                    &s,
                    "UPDATE cases SET assigned_to = $1 WHERE id = $2",
                    &[u.to_string(), id.to_string()],
                )
                .await
            }
            None => {
                exec(
                    &s,
                    "UPDATE cases SET assigned_to = NULL WHERE id = $1",
                    &[id.to_string()],
                )
                .await
            }
        }
        known.get_mut(id).expect("known").assigned_to = to;
    }
    // Tasks that must not count as overdue: done ones past due, open ones due later.
    for id in by_worker.iter().skip(1).step_by(4) {
        task(&s, *id, w.shelter, w.worker.user_id(), -3, true).await;
        task(&s, *id, w.shelter, w.worker.user_id(), 5, false).await;
    }
    // The person of a few cases consented to a referral to the consulate: that opens nothing.
    for id in by_worker.iter().skip(2).step_by(5) {
        consent_to_referral(&s, &w.worker, *id, w.consulate).await;
    }

    let actors = [
        ("worker", &w.worker),
        ("colleague", &w.colleague),
        ("supervisor", &w.supervisor),
        ("consul", &w.consul),
    ];
    for (name, actor) in actors {
        // The policy's answer, case by case.
        let mut readable = BTreeSet::new();
        for id in known.keys() {
            match s.get_case(actor, *id).await {
                Ok(_) => {
                    readable.insert(*id);
                }
                Err(StoreError::NotFound) => {}
                Err(e) => panic!("get_case: {e:?}"),
            }
        }
        if name == "consul" {
            assert!(
                readable.is_empty(),
                "another organisation reads none of the cases, consent or not"
            );
        } else {
            assert!(!readable.is_empty(), "{name} reads some cases");
        }
        let mut non_trivial = 0;
        for f in filters() {
            let expected: BTreeSet<Uuid> = readable
                .iter()
                .filter(|id| wanted(&known[id], &f, actor.user_id()))
                .copied()
                .collect();
            if !expected.is_empty() && expected.len() < readable.len() {
                non_trivial += 1;
            }
            for limit in [7, 200] {
                let got = all_pages(&s, actor, &f, limit).await;
                let set: BTreeSet<Uuid> = got.iter().copied().collect();
                assert_eq!(set.len(), got.len(), "{name} {f:?}: each case once");
                assert_eq!(
                    set, expected,
                    "{name} {f:?} limit {limit}: exactly the readable cases the filter describes"
                );
            }
        }
        if name != "consul" {
            assert!(
                non_trivial >= 15,
                "{name}: the world makes most filters pick some cases but not all ({non_trivial})"
            );
        }
    }

    // No filter and no page lets immigration enforcement list anything.
    for f in filters() {
        assert!(matches!(
            s.search_cases(&w.officer, &f, Page::default()).await,
            Err(StoreError::Forbidden(_))
        ));
    }
}

async fn a_query_of_one_letter_is_refused_not_everything(s: Store) {
    let w = world(&s).await;
    s.operator("test")
        .seed_cases(&w.worker, vec![synthetic(0, 0)])
        .await
        .expect("seed");
    for q in ["a", " - ", "é"] {
        let f = CaseFilter {
            q: Some(q.into()),
            ..Default::default()
        };
        match s.search_cases(&w.worker, &f, Page::default()).await {
            Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "q"),
            other => panic!("{q:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_list_is_the_readable_cases_the_filter_describes_on_every_backend() {
    on_every_backend!(the_list_is_the_readable_cases_the_filter_describes);
}

#[tokio::test]
async fn a_query_of_one_letter_is_refused_not_everything_on_every_backend() {
    on_every_backend!(a_query_of_one_letter_is_refused_not_everything);
}
