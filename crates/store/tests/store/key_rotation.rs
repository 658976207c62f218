//! Field-key rotation on every backend: every sealed value reads back the same, no value stays
//! under the old key (a person's values stay under their data key, whose wrapping moves), an
//! interrupted rotation resumes, and a second rotation works.

use crate::common::*;
use passage_core::casework::consent::RawConsent;
use passage_store::casework::tasks::NewTask;
use passage_store::keys::rotate::Rotation;
use passage_store::keys::{Encoding, Field, KeyId, unhex};
use passage_store::{Keys, Store};
use sqlx::{Executor, Row};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Every sealed value in the database: (label, column, row id) → (key id, plaintext, whether
/// the key is a person's data key).
type Snapshot = BTreeMap<(&'static str, &'static str, String), (KeyId, Vec<u8>, bool)>;

async fn snapshot(s: &Store) -> Snapshot {
    let mut out = Snapshot::new();
    let keys = s
        .operator("test")
        .unsafe_raw_keys(None)
        .await
        .expect("keys");
    for &field in Field::ALL {
        for column in field.columns() {
            let sql = format!(
                "SELECT id, {column} FROM {} WHERE {column} IS NOT NULL",
                field.table()
            );
            let rows = s
                .operator("test")
                .unsafe_raw_pool()
                .fetch_all(sqlx::AssertSqlSafe(sql))
                .await
                .expect("raw rows");
            for row in rows {
                let id: String = row.get(0);
                let sealed = match field.encoding() {
                    Encoding::Bytes => row.get::<Vec<u8>, _>(1),
                    Encoding::Hex => unhex(&row.get::<String, _>(1)).expect("hex"),
                };
                let plain = keys.open(field, &id, &sealed).expect("opens");
                // A person's values are under their data key, which stays; the key itself is
                // wrapped by the field key (`person_keys.wrapped`) and moves with it.
                let (by, person) = match Keys::person_key_of(&sealed) {
                    Some(person_key) => (person_key, true),
                    None => (s.keys().sealed_by(&sealed).expect("an envelope"), false),
                };
                out.insert((field.label(), *column, id), (by, plain, person));
            }
        }
    }
    out
}

/// The values sealed under a field key (not under a person's data key).
fn field_keyed(snap: &Snapshot) -> impl Iterator<Item = (&KeyId, &Vec<u8>)> {
    snap.values()
        .filter(|(_, _, person)| !person)
        .map(|(by, plain, _)| (by, plain))
}

fn plaintexts(snap: &Snapshot) -> BTreeMap<&(&'static str, &'static str, String), &Vec<u8>> {
    snap.iter().map(|(k, (_, v, _))| (k, v)).collect()
}

/// A database on `backend` with a fresh key file, and how to reconnect to it.
struct Place {
    url: String,
    key_file: PathBuf,
}

async fn place(postgres: bool) -> Option<Place> {
    let dir = std::env::temp_dir().join(format!("passage-rotation-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let key_file = dir.join("master.key");
    let url = if postgres {
        let base_url = std::env::var("PASSAGE_TEST_POSTGRES_URL").ok()?;
        let name = format!("passage_rotation_{}", Uuid::new_v4().simple());
        let admin = Store::connect(&base_url, Keys::from_bytes([3; 32]))
            .await
            .expect("connect postgres");
        admin
            .operator("test")
            .unsafe_raw_pool()
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create database");
        let (base, _) = base_url.rsplit_once('/').expect("url has a database");
        format!("{base}/{name}")
    } else {
        format!("sqlite://{}", dir.join("passage.db").display())
    };
    Some(Place { url, key_file })
}

async fn connect(p: &Place, keys: Keys) -> Store {
    let s = Store::connect(&p.url, keys).await.expect("connect");
    s.migrate().await.expect("migrate");
    s
}

/// What the seeded world reads back through the store API.
async fn read_back(s: &Store, w: &World, cases: &[Uuid], attachment: Uuid) -> String {
    let mut out = String::new();
    for &case in cases {
        let view = s.get_case(&w.worker, case).await.expect("case");
        let notes = s.list_notes(&w.worker, case).await.expect("notes");
        let tasks = s.list_case_tasks(&w.worker, case).await.expect("tasks");
        let consents = s
            .list_consents(&w.worker, view.person.id)
            .await
            .expect("consents");
        out += &format!("{view:?}\n{notes:?}\n{tasks:?}\n{consents:?}\n");
    }
    let file = s.get_attachment(&w.worker, attachment).await.expect("file");
    out + &format!("{:?} {:?}", file.meta, file.content)
}

/// Cases, persons, consents (one on a legal basis, with its sealed reason), notes, tasks and
/// an attachment, through the store API.
async fn seed(s: &Store) -> (World, Vec<Uuid>, Uuid) {
    let w = world(s).await;
    let mut cases = Vec::new();
    for (given, family) in [("Amina", "Diallo"), ("Thi", "Nguyen"), ("Pavel", "Ionescu")] {
        let case = open_case(s, &w.worker, given, family, Some("irregular")).await;
        let pid = s.get_case(&w.worker, case).await.expect("case").person.id;
        for body in ["Passport held by the employer.", "Asked for a lawyer."] {
            s.add_note(&w.worker, case, crate::common::note("normal", body))
                .await
                .expect("note");
        }
        let task = NewTask {
            title: format!("Call {given} back"),
            assignee: None,
            due_on: "2030-01-01".into(),
        };
        s.create_task(&w.worker, case, task).await.expect("task");
        let consent = RawConsent {
            purpose: "services".into(),
            basis: Some("vital_interest".into()),
            reason: Some("Unconscious after the raid".into()),
            ..Default::default()
        };
        s.record_consent(&w.worker, pid, consent.validate().expect("valid"))
            .await
            .expect("consent");
        cases.push(case);
    }
    let file = s
        .add_attachment(
            &w.worker,
            cases[0],
            "statement.txt",
            b"I was not paid.",
            1 << 20,
        )
        .await
        .expect("attachment");
    (w, cases, file.id)
}

/// Rotates to the end, batch by batch, as `passage keys rotate` does.
async fn rotate(p: &Place, batch: usize) -> (KeyId, KeyId) {
    let rotation = Rotation::prepare(&p.key_file).expect("prepare");
    let (from, to) = (rotation.from(), rotation.to());
    let s = connect(p, rotation.keys()).await;
    let op = s.operator("test");
    let mut total = 0;
    loop {
        let n = s.reseal_batch(op.authority(), batch).await.expect("batch");
        assert!(n <= batch);
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    s.record_rotation(op.authority(), from, to, total)
        .await
        .expect("audit");
    rotation.finish().expect("finish");
    (from, to)
}

async fn rotation_on(postgres: bool) {
    let Some(p) = place(postgres).await else {
        eprintln!("PASSAGE_TEST_POSTGRES_URL not set: PostgreSQL rotation skipped");
        return;
    };
    let (keys, _) = Keys::load_or_create(&p.key_file).expect("key file");
    let original = keys.current_id();
    let s = connect(&p, keys).await;
    let (w, cases, attachment) = seed(&s).await;
    let before = snapshot(&s).await;
    let api_before = read_back(&s, &w, &cases, attachment).await;
    let fields: std::collections::BTreeSet<_> = before.keys().map(|k| k.0).collect();
    assert!(fields.len() >= 8, "the seed covers many fields: {fields:?}");
    assert!(field_keyed(&before).all(|(by, _)| *by == original));
    drop(s);

    // Interrupted after one batch: values under both keys, all still readable.
    let rotation = Rotation::prepare(&p.key_file).expect("prepare");
    let first_to = rotation.to();
    let s = connect(&p, rotation.keys()).await;
    let op = s.operator("test");
    // Everything of a case is under its person's key; what the field key seals here is the
    // three persons' wrapped keys.
    assert_eq!(field_keyed(&before).count(), 3);
    assert_eq!(
        s.reseal_batch(op.authority(), 2).await.expect("one batch"),
        2
    );
    let mid = snapshot(&s).await;
    assert_eq!(plaintexts(&mid), plaintexts(&before));
    assert_eq!(
        field_keyed(&mid).filter(|(by, _)| **by == first_to).count(),
        2
    );
    assert!(field_keyed(&mid).any(|(by, _)| *by == original));
    drop(s);
    drop(rotation);
    // A server started now loads the pending key and reads everything.
    let s = connect(&p, Keys::load(&p.key_file).expect("load")).await;
    assert_eq!(read_back(&s, &w, &cases, attachment).await, api_before);
    drop(s);

    // Running again resumes the same rotation and finishes it.
    let (from, to) = rotate(&p, 7).await;
    assert_eq!((from, to), (original, first_to), "resumed, not restarted");
    assert!(!Path::new(&format!("{}.next", p.key_file.display())).exists());
    let retired = format!("{}.retired-{original}", p.key_file.display());
    assert!(Path::new(&retired).exists());
    let keys = Keys::load(&p.key_file).expect("load");
    assert_eq!(keys.current_id(), to);
    let s = connect(&p, keys).await;
    let after = snapshot(&s).await;
    assert_eq!(plaintexts(&after), plaintexts(&before));
    assert!(
        field_keyed(&after).all(|(by, _)| *by == to),
        "no value stays under the old key"
    );
    assert_eq!(read_back(&s, &w, &cases, attachment).await, api_before);
    assert!(s.verify_audit().await.expect("verify").is_ok());
    let audited: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'keys.rotate'")
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("count");
    assert_eq!(audited.0, 1);
    // New values are sealed under the new key.
    s.add_note(
        &w.worker,
        cases[1],
        crate::common::note("normal", "After the rotation."),
    )
    .await
    .expect("note");
    let with_new = snapshot(&s).await;
    assert!(field_keyed(&with_new).all(|(by, _)| *by == to));
    drop(s);

    // A second rotation moves everything again; both old keys stay retired.
    let (from2, to2) = rotate(&p, 500).await;
    assert_eq!(from2, to);
    assert_ne!(to2, to);
    let s = connect(&p, Keys::load(&p.key_file).expect("load")).await;
    let again = snapshot(&s).await;
    assert_eq!(plaintexts(&again), plaintexts(&with_new));
    assert!(field_keyed(&again).all(|(by, _)| *by == to2));
    assert_eq!(s.keys().older_ids().len(), 2, "two retired keys are loaded");
    assert!(s.verify_audit().await.expect("verify").is_ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for path in [p.key_file.display().to_string(), retired] {
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{path}");
        }
    }
}

#[tokio::test]
async fn rotation_reseals_everything_resumes_and_repeats_on_sqlite() {
    rotation_on(false).await;
}

#[tokio::test]
async fn rotation_reseals_everything_resumes_and_repeats_on_postgres() {
    if std::env::var("PASSAGE_TEST_POSTGRES_URL").is_err() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the store suite on PostgreSQL: set PASSAGE_TEST_POSTGRES_URL"
        );
    }
    rotation_on(true).await;
}

/// Every BLOB column of the schema is a registered sealed field, so rotation misses none.
#[tokio::test]
async fn every_sealed_column_is_registered() {
    let (s, _dir) = sqlite().await;
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("tables");
    let mut unregistered = Vec::new();
    for (table,) in tables.into_iter().filter(|(t,)| !t.starts_with("_sqlx")) {
        let columns: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT name, type FROM pragma_table_info('{table}')"
        )))
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("columns");
        for (column, kind) in columns {
            let registered = Field::ALL
                .iter()
                .any(|f| f.table() == table && f.columns().contains(&column.as_str()));
            if kind.eq_ignore_ascii_case("BLOB") && !registered {
                unregistered.push(format!("{table}.{column}"));
            }
        }
    }
    assert!(
        unregistered.is_empty(),
        "sealed but unregistered: {unregistered:?}"
    );
}
