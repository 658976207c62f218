//! `passage keys reseal-persons` at the store's level, on every backend: values of a person's
//! records sealed under the field key (as before person keys) move under the person's own
//! data key in batches, still open to the same text, a second run changes nothing, a person
//! without a key gets one, an erased person is left alone, and the audit keeps counts only.

use crate::common::*;
use passage_store::erasure::reseal::ResealCursor;
use passage_store::keys::{Encoding, hex};
use passage_store::{Keys, Store};
use std::collections::BTreeMap;

/// Rewrites every value of `person`'s records under the field key, as a database from
/// before person keys holds them; returns how many.
async fn as_before_person_keys(s: &Store, person: &str) -> usize {
    let values = personal_values(s, Some(person)).await;
    let keys = s
        .operator("test")
        .unsafe_raw_keys(Some(&[person.to_string()]))
        .await
        .expect("keys");
    for v in &values {
        let plain = keys.open(v.field, &v.id, &v.sealed).expect("opens");
        let old = s.keys().seal(v.field, &v.id, &plain).expect("seal");
        assert!(Keys::person_key_of(&old).is_none());
        let q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {} SET {} = $1 WHERE id = $2",
            v.field.table(),
            v.column
        )));
        let q = match v.field.encoding() {
            Encoding::Bytes => q.bind(old),
            Encoding::Hex => q.bind(hex(&old)),
        };
        q.bind(&v.id)
            .execute(s.operator("test").unsafe_raw_pool())
            .await
            .expect("downgrade");
    }
    values.len()
}

/// Each value's plaintext, by table, column and row.
async fn plaintexts(s: &Store) -> BTreeMap<(String, String), Vec<u8>> {
    let keys = s
        .operator("test")
        .unsafe_raw_keys(None)
        .await
        .expect("keys");
    personal_values(s, None)
        .await
        .into_iter()
        .filter(|v| matches!(v.sealed.first(), Some(1..=3)))
        .map(|v| {
            let plain = keys.open(v.field, &v.id, &v.sealed).expect("opens");
            ((format!("{}.{}", v.field.table(), v.column), v.id), plain)
        })
        .collect()
}

async fn reseal_all(s: &Store, batch: usize) -> (usize, usize, usize) {
    let op = s.operator("test");
    let (mut values, mut made, mut batches) = (0, 0, 0);
    let mut cursor = ResealCursor::default();
    loop {
        let done = s
            .reseal_persons_batch(op.authority(), batch, &mut cursor)
            .await
            .expect("batch");
        assert!(done.values <= batch);
        if done.values == 0 {
            return (values, made, batches);
        }
        values += done.values;
        made += done.keys_made;
        batches += 1;
        assert!(batches < 100, "the re-sealing does not end");
    }
}

async fn audited(s: &Store) -> Vec<(Option<String>, String)> {
    sqlx::query_as(
        "SELECT object_id, outcome FROM audit_events WHERE action = 'keys.reseal_persons' ORDER BY seq",
    )
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("events")
}

async fn reseal(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", Some("irregular")).await;
    let erased = open_case(&s, &w.worker, "Thi", "Nguyen", None).await;
    s.add_note(&w.worker, case, note("normal", "She fears her employer."))
        .await
        .expect("note");
    s.create_task(
        &w.worker,
        case,
        passage_store::casework::tasks::NewTask {
            title: "Call Amina back".into(),
            assignee: None,
            due_on: "2030-01-01".into(),
        },
    )
    .await
    .expect("task");
    let pid = s.get_case(&w.worker, case).await.expect("case").person.id;
    let p = pid.to_string();
    s.erase_person(&w.supervisor, erased, "asked")
        .await
        .expect("erase");
    let before = plaintexts(&s).await;
    let downgraded = as_before_person_keys(&s, &p).await;
    assert!(downgraded >= 6, "names, summary, history, note, task…");
    assert_eq!(plaintexts(&s).await, before);

    let (values, made, batches) = reseal_all(&s, 4).await;
    assert_eq!(values, downgraded, "every old value of the person moved");
    assert_eq!(made, 0, "the person had a key");
    assert!(batches >= 2, "in batches");
    assert_personal_values_under_person_keys(&s).await;
    assert_eq!(
        plaintexts(&s).await,
        before,
        "every value opens to the same text"
    );
    let view = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(view.person.given_name, "Amina");
    let notes = s.list_notes(&w.worker, case).await.expect("notes");
    assert_eq!(notes[0].body, "She fears her employer.");
    // The erased person got no key back.
    let (keys,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM person_keys")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    assert_eq!(keys, 1);

    // A second run changes nothing and audits nothing.
    let events = audited(&s).await;
    assert_eq!(events.len(), batches);
    assert_eq!(reseal_all(&s, 4).await, (0, 0, 0));
    assert_eq!(audited(&s).await, events);
    // Counts only: no name, no value.
    for (detail, outcome) in &events {
        let text = format!("{detail:?} {outcome}");
        assert!(text.contains("values resealed"), "{text}");
        assert!(!text.contains("Amina") && !text.contains(&p), "{text}");
    }
    assert!(s.verify_audit().await.expect("verify").is_ok());
}
#[tokio::test]
async fn values_from_before_person_keys_move_under_the_persons_key_once() {
    on_every_backend_as_written!(reseal);
}

/// A person registered before person keys has no key: the re-sealing makes one, and a new
/// process (which loads each key when a reader reaches its person) reads them.
#[tokio::test]
async fn a_person_without_a_key_gets_one() {
    let (s, dir) = sqlite().await;
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    s.add_note(&w.worker, case, note("normal", "She fears her employer."))
        .await
        .expect("note");
    let pid = s.get_case(&w.worker, case).await.expect("case").person.id;
    as_before_person_keys(&s, &pid.to_string()).await;
    sqlx::query("DELETE FROM person_keys")
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("no keys");
    drop(s);
    let url = format!("sqlite://{}", dir.join("passage.db").display());
    let s = Store::connect(&url, Keys::from_bytes([3; 32]))
        .await
        .expect("connect");
    s.migrate().await.expect("migrate");
    let (values, made, _) = reseal_all(&s, 500).await;
    assert!(values >= 4);
    assert_eq!(made, 1);
    assert_personal_values_under_person_keys(&s).await;
    let s = Store::connect(&url, Keys::from_bytes([3; 32]))
        .await
        .expect("a new process");
    let view = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(view.person.given_name, "Amina");
}
