//! Name search under variant spellings, on every backend: a person registered as "Mohammed"
//! is found by Muhammad and Mohamed, "Al-Rashidi" by alrashidi and "al rashidi", "Олена" by
//! Olena; an unrelated name is not; another organisation finds nothing; persons indexed
//! before variants existed are re-indexed when the store migrates, once.

use crate::common::*;
use passage_store::Store;
use uuid::Uuid;

async fn found(s: &Store, actor: &passage_store::Actor, q: &str) -> Vec<Uuid> {
    s.list_cases(actor, Some(q), Default::default())
        .await
        .expect("search")
        .into_iter()
        .map(|c| c.id)
        .collect()
}

async fn variant_spellings(s: Store) {
    let w = world(&s).await;
    let mohammed = open_case(&s, &w.worker, "Mohammed", "Haddad", None).await;
    let rashidi = open_case(&s, &w.worker, "Karim", "Al-Rashidi", None).await;
    let olena = open_case(&s, &w.worker, "Олена", "Шевченко", None).await;
    let mahmoud = open_case(&s, &w.worker, "Mahmoud", "Nasser", None).await;
    let olga = open_case(&s, &w.worker, "Olga", "Petrenko", None).await;

    assert_eq!(found(&s, &w.worker, "Muhammad").await, vec![mohammed]);
    assert_eq!(found(&s, &w.worker, "Mohamed").await, vec![mohammed]);
    assert_eq!(found(&s, &w.worker, "muhamad haddad").await, vec![mohammed]);
    assert_eq!(found(&s, &w.worker, "alrashidi").await, vec![rashidi]);
    assert_eq!(found(&s, &w.worker, "al rashidi").await, vec![rashidi]);
    assert_eq!(found(&s, &w.worker, "Olena").await, vec![olena]);
    assert_eq!(found(&s, &w.worker, "Elena").await, vec![olena]);
    // Precision: a different name that looks alike is not a variant.
    assert_eq!(found(&s, &w.worker, "Mahmoud").await, vec![mahmoud]);
    assert_eq!(found(&s, &w.worker, "Olga").await, vec![olga]);
    assert!(found(&s, &w.worker, "Mohammed Nasser").await.is_empty());
    assert!(found(&s, &w.worker, "Ahmed").await.is_empty());
    // Prefixes still work, variants or not.
    assert_eq!(found(&s, &w.worker, "mah").await, vec![mahmoud]);

    // Another organisation's search never reaches these tags, consent or not; a colleague
    // without the organisation's list scope sees only their own.
    consent_to_referral(&s, &w.worker, mohammed, w.consulate).await;
    assert!(found(&s, &w.consul, "Muhammad").await.is_empty());
    assert!(found(&s, &w.colleague, "Muhammad").await.is_empty());
    assert_eq!(found(&s, &w.supervisor, "Muhammad").await, vec![mohammed]);
}
#[tokio::test]
async fn variant_spellings_find_the_person_and_only_them() {
    on_every_backend!(variant_spellings);
}

async fn reindex_on_migrate(s: Store) {
    let w = world(&s).await;
    let mohammed = open_case(&s, &w.worker, "Mohammed", "Haddad", None).await;
    let op = s.operator("test");
    let pool = op.unsafe_raw_pool();
    let reindexed = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'search.reindex_names'",
        )
        .fetch_one(pool)
        .await
        .expect("audit");
        n
    };
    // A person as an earlier version left them: no tags of this derivation at all.
    sqlx::query("DELETE FROM person_name_terms")
        .execute(pool)
        .await
        .expect("delete");
    sqlx::query("UPDATE persons SET name_terms_version = 0")
        .execute(pool)
        .await
        .expect("age");
    assert!(found(&s, &w.worker, "Muhammad").await.is_empty());
    assert_eq!(reindexed().await, 0);

    s.migrate().await.expect("migrate");
    assert_eq!(found(&s, &w.worker, "Muhammad").await, vec![mohammed]);
    assert_eq!(found(&s, &w.worker, "hadd").await, vec![mohammed]);
    assert_eq!(reindexed().await, 1);
    let (left,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM persons WHERE name_terms_version = 0")
            .fetch_one(pool)
            .await
            .expect("count");
    assert_eq!(left, 0);

    // Idempotent: nothing to do on the next start.
    s.migrate().await.expect("migrate again");
    assert_eq!(reindexed().await, 1);
    assert_eq!(found(&s, &w.worker, "Mohamed").await, vec![mohammed]);
}
#[tokio::test]
async fn persons_indexed_before_variants_are_reindexed_once_on_migrate() {
    on_every_backend!(reindex_on_migrate);
}
