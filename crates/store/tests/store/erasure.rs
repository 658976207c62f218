//! Crypto-erasure on every backend: a person's fields are sealed under their own data key;
//! erasing them (a supervisor, with a reason, audited by ids only, refused under a legal hold)
//! destroys the key and their indexes, and a restored older backup keeps them unreadable.

use crate::common::*;
use passage_core::ErrorCode;
use passage_core::casework::calendar::Day;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::RawDocument;
use passage_core::labour::Amount;
use passage_core::labour::worker::RawFee;
use passage_core::referrals::ShareField;
use passage_store::cases::Page;
use passage_store::casework::needs::NeedInput;
use passage_store::casework::tasks::NewTask;
use passage_store::erasure::backup::{Kind, Manifest, open_stream, seal_stream};
use passage_store::keys::Field;
use passage_store::{Keys, Store, StoreError};
use uuid::Uuid;

async fn raw_one<T>(s: &Store, sql: &'static str, id: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_as(sql)
        .bind(id)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw")
}

async fn count(s: &Store, sql: &'static str, id: &str) -> i64 {
    raw_one::<(i64,)>(s, sql, id).await.0
}

async fn person_of(s: &Store, actor: &passage_store::Actor, case: Uuid) -> Uuid {
    s.get_case(actor, case).await.expect("case").person.id
}

fn passport() -> passage_core::casework::person::NewDocument {
    RawDocument {
        kind: "passport".into(),
        number: Some("P7788123".into()),
        country: Some("PH".into()),
        held_by: "employer".into(),
    }
    .validate()
    .expect("valid")
}

async fn sealed_under_own_key(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", Some("irregular")).await;
    let pid = person_of(&s, &w.worker, case).await;
    let doc = s
        .add_person_document(&w.worker, pid, passport())
        .await
        .expect("doc");
    let (given, status): (Vec<u8>, Vec<u8>) = raw_one(
        &s,
        "SELECT given_name, migration_status FROM persons WHERE id = $1",
        &pid.to_string(),
    )
    .await;
    let (key_id,): (String,) = raw_one(
        &s,
        "SELECT key_id FROM person_keys WHERE id = $1",
        &pid.to_string(),
    )
    .await;
    for sealed in [&given, &status] {
        let named = Keys::person_key_of(sealed).expect("a person-key envelope");
        assert_eq!(named.to_string(), key_id);
    }
    let (number,): (Vec<u8>,) = raw_one(
        &s,
        "SELECT number FROM person_documents WHERE id = $1",
        &doc.to_string(),
    )
    .await;
    assert_eq!(
        Keys::person_key_of(&number).map(|k| k.to_string()),
        Some(key_id.clone())
    );
    // The case's summary and notes are under the person's key too.
    let note = s
        .add_note(&w.worker, case, note("normal", "She fears her employer."))
        .await
        .expect("note");
    let (body,): (Vec<u8>,) = raw_one(
        &s,
        "SELECT body FROM notes WHERE id = $1",
        &note.id.to_string(),
    )
    .await;
    let (summary,): (Vec<u8>,) = raw_one(
        &s,
        "SELECT summary FROM cases WHERE id = $1",
        &case.to_string(),
    )
    .await;
    for sealed in [&body, &summary] {
        assert_eq!(
            Keys::person_key_of(sealed).map(|k| k.to_string()),
            Some(key_id.clone())
        );
    }
    assert!(!given.windows(5).any(|x| x == b"Amina"));
    let view = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(view.person.given_name, "Amina");
    // Every read loads the person's key (the suite keeps none between transactions).
    let details = s.person_details(&w.worker, pid).await.expect("details");
    assert_eq!(details.documents[0].number.as_deref(), Some("P7788123"));
    // Values sealed under the field key before person keys existed still open.
    let old = s
        .keys()
        .seal_str(Field::PersonGivenName, &pid.to_string(), "Old")
        .expect("seal");
    assert_eq!(
        s.keys()
            .open_str(Field::PersonGivenName, &pid.to_string(), &old)
            .expect("open"),
        "Old"
    );
}
#[tokio::test]
async fn a_persons_fields_are_sealed_under_their_own_data_key() {
    on_every_backend!(sealed_under_own_key);
}

async fn erasure(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", Some("irregular")).await;
    let other = open_case(&s, &w.worker, "Thi", "Nguyen", None).await;
    let pid = person_of(&s, &w.worker, case).await;
    let p = pid.to_string();
    s.add_person_document(&w.worker, pid, passport())
        .await
        .expect("doc");
    s.add_note(&w.worker, case, note("normal", "Amina fears her employer."))
        .await
        .expect("note");
    s.add_attachment(
        &w.worker,
        case,
        "statement.txt",
        b"I was not paid.",
        1 << 20,
    )
    .await
    .expect("file");
    // The rest of the case's records, each in its own table.
    s.create_task(
        &w.worker,
        case,
        NewTask {
            title: "Call Amina back".into(),
            assignee: None,
            due_on: "2030-01-01".into(),
        },
    )
    .await
    .expect("task");
    s.upsert_need(
        &w.worker,
        case,
        NeedInput {
            domain: "legal".into(),
            urgency: "high".into(),
            description: Some("Wages owed by the hotel".into()),
            met: false,
            version: None,
        },
    )
    .await
    .expect("need");
    let fee = RawFee {
        kind: "placement_fee".into(),
        amount: Amount::Minor(150_000),
        currency: "USD".into(),
        paid_to: "Quillfeather Manpower".into(),
        paid_on: "2025-11".into(),
        evidence: "Receipt, photographed".into(),
    }
    .validate(Day::parse("2026-06-15").expect("day"))
    .expect("fee");
    s.record_labour_fee(&w.worker, case, fee)
        .await
        .expect("fee");
    let vital = RawConsent {
        purpose: "services".into(),
        basis: Some("vital_interest".into()),
        reason: Some("Unconscious after the raid".into()),
        ..Default::default()
    };
    s.record_consent(&w.worker, pid, vital.validate().expect("valid"))
        .await
        .expect("consent");
    let (legal, _) = crate::copy::partner(&s, "Clinic").await;
    crate::copy::refer(&s, &w.worker, case, legal, &[ShareField::Name]).await;
    s.operator("test")
        .index_link_keys()
        .await
        .expect("link keys");
    // Every sealed value of the person's records, as a backup taken now holds it.
    let before: Vec<PersonalValue> = personal_values(&s, Some(&p)).await;
    let tables: std::collections::BTreeSet<&str> = before.iter().map(|v| v.field.table()).collect();
    for table in [
        "persons",
        "person_documents",
        "cases",
        "case_history",
        "notes",
        "attachments",
        "tasks",
        "needs",
        "labour_fees",
        "consents",
        "referrals",
    ] {
        assert!(tables.contains(table), "the fixture writes to {table}");
    }
    // The keys a process loads from the database now: they open every value.
    let loaded = s
        .operator("test")
        .unsafe_raw_keys(Some(std::slice::from_ref(&p)))
        .await
        .expect("keys");
    for v in &before {
        assert!(
            loaded.open(v.field, &v.id, &v.sealed).is_ok(),
            "{}.{} opens before the erasure",
            v.field.table(),
            v.column
        );
    }
    let (old_given,): (Vec<u8>,) =
        raw_one(&s, "SELECT given_name FROM persons WHERE id = $1", &p).await;
    let (old_note_id, old_note): (String, Vec<u8>) = raw_one(
        &s,
        "SELECT id, body FROM notes WHERE case_id = $1",
        &case.to_string(),
    )
    .await;
    assert!(
        count(
            &s,
            "SELECT COUNT(*) FROM person_name_terms WHERE person_id = $1",
            &p
        )
        .await
            > 0
    );

    // Only a supervisor, and only with a reason.
    match s.erase_person(&w.worker, case, "asked by the person").await {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, ErrorCode::SupervisorRequired),
        other => panic!("a caseworker erased: {other:?}"),
    }
    assert!(matches!(
        s.erase_person(&w.supervisor, case, "  ").await,
        Err(StoreError::Invalid(_))
    ));
    assert!(
        loaded
            .open_str(Field::PersonGivenName, &p, &old_given)
            .is_ok()
    );

    let done = s
        .erase_person(&w.supervisor, case, "the person asked for erasure")
        .await
        .expect("erase");
    assert!(!done.already);
    assert_eq!((done.documents, done.attachments), (1, 1));
    assert!(done.name_terms > 0 && done.link_keys > 0);
    // The key is gone: what was sealed under it (as any backup holds it) no longer opens.
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM person_keys WHERE id = $1", &p).await,
        0
    );
    // A process loading the person's keys from the database now (a new server, or one
    // opening a backup taken before the erasure) finds none.
    let loaded_after = s
        .operator("test")
        .unsafe_raw_keys(Some(std::slice::from_ref(&p)))
        .await
        .expect("keys");
    assert!(
        loaded_after
            .open_str(Field::PersonGivenName, &p, &old_given)
            .is_err()
    );
    assert!(
        loaded_after
            .open_str(Field::NoteBody, &old_note_id, &old_note)
            .is_err(),
        "the note as a backup holds it no longer opens"
    );
    // Nor does any other value of the person's records, table by table.
    for v in &before {
        assert!(
            loaded_after.open(v.field, &v.id, &v.sealed).is_err(),
            "{}.{} of the erased person still opens from a copy taken before the erasure",
            v.field.table(),
            v.column
        );
    }
    for sql in [
        "SELECT COUNT(*) FROM person_name_terms WHERE person_id = $1",
        "SELECT COUNT(*) FROM person_link_keys WHERE person_id = $1",
        "SELECT COUNT(*) FROM person_documents WHERE person_id = $1",
        "SELECT COUNT(*) FROM attachments WHERE case_id IN (SELECT id FROM cases WHERE person_id = $1)",
    ] {
        assert_eq!(count(&s, sql, &p).await, 0, "{sql}");
    }
    // The case shell stays, readable, without the person's identity or free text.
    let view = s.get_case(&w.supervisor, case).await.expect("shell");
    assert_eq!(view.person.given_name, "");
    assert_eq!(view.person.date_of_birth, None);
    assert_eq!(view.person.migration_status, None);
    assert_eq!(view.summary, "");
    assert!(!view.types.is_empty(), "the statistics' facts stay");
    let notes = s.list_notes(&w.supervisor, case).await.expect("notes");
    assert!(notes.iter().all(|n| n.body.is_empty()));
    let details = s.person_details(&w.supervisor, pid).await.expect("person");
    assert!(details.documents.is_empty() && details.contacts.is_empty());
    let state = s.erasure_state(&w.supervisor, case).await.expect("state");
    assert!(state.erased_at.is_some());
    let found = s
        .list_cases(&w.worker, Some("Amina"), Page::default())
        .await
        .expect("search");
    assert!(found.is_empty(), "the name is no longer found");
    // The other person is untouched.
    let kept = s.get_case(&w.worker, other).await.expect("other");
    assert_eq!(kept.person.given_name, "Thi");
    // Erasing again does nothing more.
    assert!(
        s.erase_person(&w.supervisor, case, "again")
            .await
            .expect("again")
            .already
    );
    // Audited by ids and kinds only: no name, no reason.
    let events = s.operator("test").unsafe_raw_pool().clone();
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT action, object_type, object_id, outcome FROM audit_events ORDER BY seq",
    )
    .fetch_all(&events)
    .await
    .expect("events");
    let erase: Vec<_> = rows.iter().filter(|r| r.0 == "person.erase").collect();
    assert!(erase.iter().any(|r| r.3 == "denied"));
    assert!(
        erase
            .iter()
            .any(|r| r.2.as_deref() == Some(p.as_str()) && r.3.starts_with("ok "))
    );
    for r in &rows {
        let text = format!("{r:?}");
        assert!(!text.contains("Amina") && !text.contains("asked"), "{text}");
    }
    assert!(s.verify_audit().await.expect("verify").is_ok());
}
#[tokio::test]
async fn erasing_a_person_destroys_their_key_indexes_and_files_and_keeps_a_shell() {
    on_every_backend!(erasure);
}

async fn legal_hold(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    assert!(matches!(
        s.set_legal_hold(&w.worker, case, true).await,
        Err(StoreError::Rule { .. })
    ));
    s.set_legal_hold(&w.supervisor, case, true)
        .await
        .expect("hold");
    assert!(
        s.erasure_state(&w.worker, case)
            .await
            .expect("state")
            .legal_hold
    );
    match s.erase_person(&w.supervisor, case, "asked").await {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, ErrorCode::LegalHold),
        other => panic!("erased under a hold: {other:?}"),
    }
    let view = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(view.person.given_name, "Amina", "nothing was erased");
    let (refused,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'person.erase' AND outcome = 'refused_legal_hold'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("count");
    assert_eq!(refused, 1);
    let (holds,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'case.legal_hold' AND outcome = 'set'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("count");
    assert_eq!(holds, 1);
    s.set_legal_hold(&w.supervisor, case, false)
        .await
        .expect("lift");
    s.erase_person(&w.supervisor, case, "asked")
        .await
        .expect("erased once the hold is lifted");
}
#[tokio::test]
async fn a_legal_hold_refuses_erasure_until_lifted() {
    on_every_backend!(legal_hold);
}

/// The restore drill at the store's level: an old data backup restored with the newest
/// keyring leaves a person erased since then unreadable, and the others readable.
#[tokio::test]
async fn an_old_backup_restored_with_the_newest_keyring_keeps_the_erased_person_unreadable() {
    let (s, dir) = sqlite().await;
    let w = world(&s).await;
    let erased_case = open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    let kept_case = open_case(&s, &w.worker, "Thi", "Nguyen", None).await;
    let op = s.operator("test");
    let copy = dir.join("copy.db");
    let manifest = s
        .snapshot_sqlite(op.authority(), &copy, "b.keyring")
        .await
        .expect("snapshot");
    assert_eq!(manifest.row_counts.get("person_keys"), Some(&0));
    assert_eq!(manifest.row_counts.get("persons"), Some(&2));
    // The data file, sealed in chunks.
    let sealed_path = dir.join("b.passage-backup");
    let head = serde_json::to_vec(&manifest).expect("json");
    let mut out = std::fs::File::create(&sealed_path).expect("create");
    seal_stream(
        s.keys(),
        Kind::Data,
        &head,
        &mut std::fs::File::open(&copy).expect("copy"),
        &mut out,
    )
    .expect("seal");
    s.erase_person(&w.supervisor, erased_case, "asked")
        .await
        .expect("erase");
    let keyring = s.export_person_keys(op.authority()).await.expect("keyring");
    assert_eq!(keyring.len(), 1);

    // Restore into a new place, as a new process with the same master key.
    let restored = dir.join("restored.db");
    let keys = Keys::from_bytes([3; 32]);
    let head = open_stream(
        &keys,
        Kind::Data,
        &mut std::fs::File::open(&sealed_path).expect("open"),
        &mut std::fs::File::create(&restored).expect("create"),
    )
    .expect("open backup");
    let read: Manifest = serde_json::from_slice(&head).expect("manifest");
    assert_eq!(read, manifest);
    let r = Store::connect(&format!("sqlite://{}", restored.display()), keys)
        .await
        .expect("connect");
    r.migrate().await.expect("migrate");
    let now = r.describe_for_backup().await.expect("describe");
    assert_eq!(
        (now.audit_seq, &now.audit_hash),
        (manifest.audit_seq, &manifest.audit_hash)
    );
    assert!(r.verify_audit().await.expect("verify").is_ok());
    let rop = r.operator("test");
    assert_eq!(
        r.import_person_keys(rop.authority(), &keyring)
            .await
            .expect("import"),
        1
    );
    assert_eq!(r.apply_erasures(rop.authority()).await.expect("apply"), 1);
    let shell = r.get_case(&w.worker, erased_case).await.expect("shell");
    assert_eq!(shell.person.given_name, "");
    let kept = r.get_case(&w.worker, kept_case).await.expect("kept");
    assert_eq!(kept.person.given_name, "Thi");
    assert!(r.verify_audit().await.expect("verify").is_ok());
}
