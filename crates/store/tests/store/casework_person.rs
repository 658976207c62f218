//! Persons, identity documents, consent, attachments and children, on every backend: version
//! checks, the name index after a change, the firewall on migration status and on immigration
//! enforcement, consent in force and withdrawn, file checks and metadata removal, sealing at
//! rest, and the four-eyes sign-off of best-interests decisions.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{
    Change, RawContact, RawDocument, RawDocumentChanges, RawPersonChanges,
};
use passage_core::records::RawPerson;
use passage_store::cases::Page;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn set(v: &str) -> Option<Option<String>> {
    Some(Some(v.to_string()))
}

fn l(v: &[&str]) -> Option<Option<Vec<String>>> {
    Some(Some(v.iter().map(|x| x.to_string()).collect()))
}

async fn person_of(store: &Store, actor: &Actor, case: Uuid) -> Uuid {
    store.get_case(actor, case).await.expect("case").person.id
}

async fn search(store: &Store, actor: &Actor, q: &str) -> Vec<Uuid> {
    store
        .list_cases(actor, Some(q), Page::default())
        .await
        .expect("search")
        .into_iter()
        .map(|c| c.id)
        .collect()
}

async fn audit_count(store: &Store, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(store.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn identity_updates(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Yusuf", None).await;
    let pid = person_of(&s, &w.worker, case).await;
    let before = s.person_details(&w.worker, pid).await.expect("details");
    assert_eq!(before.version, 1);
    assert_eq!(search(&s, &w.worker, "amina").await, vec![case]);

    // The name in its own script, with its Latin form; and the rest of the identity.
    let changes = RawPersonChanges {
        version: Some(1),
        given_name: set("أمينة"),
        family_name: set("يوسف"),
        given_name_latin: set("Amina"),
        family_name_latin: set("Yusuf"),
        aliases: l(&["Mina"]),
        date_of_birth: set("1994"),
        citizenships: l(&["SD", "EG"]),
        languages: l(&["ar", "EN"]),
        contacts: Some(Some(vec![RawContact {
            kind: "phone".into(),
            value: "+44 7700 900123".into(),
        }])),
        vulnerabilities: l(&["gbv_survivor", "pregnancy"]),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    assert_eq!(
        s.update_person(&w.worker, pid, changes)
            .await
            .expect("update"),
        2
    );
    let after = s.person_details(&w.worker, pid).await.expect("details");
    assert_eq!(after.version, 2);
    assert_eq!(
        (after.given_name.as_str(), after.family_name.as_str()),
        ("أمينة", "يوسف")
    );
    assert_eq!(after.given_name_latin.as_deref(), Some("Amina"));
    assert_eq!(after.aliases, vec!["Mina".to_string()]);
    assert_eq!(after.date_of_birth.as_deref(), Some("1994"));
    assert_eq!(after.citizenships, vec!["SD".to_string(), "EG".to_string()]);
    assert_eq!(after.languages, vec!["ar".to_string(), "en".to_string()]);
    assert_eq!(after.contacts.len(), 1);
    assert_eq!(after.vulnerabilities.len(), 2);
    assert!(!after.is_child);
    // Search finds the person by the Latin form and by the alias-free Arabic name's Latin form.
    assert_eq!(search(&s, &w.worker, "amina yus").await, vec![case]);
    assert_eq!(search(&s, &w.worker, "أمينة").await, vec![case]);

    // A stale version is refused and changes nothing.
    let stale = RawPersonChanges {
        version: Some(1),
        given_name: set("Someone else"),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    assert!(matches!(
        s.update_person(&w.worker, pid, stale).await,
        Err(StoreError::VersionConflict { current: 2 })
    ));
    assert_eq!(
        s.person_details(&w.worker, pid)
            .await
            .expect("details")
            .given_name,
        "أمينة"
    );

    // The index is rebuilt: the old Latin family name's prefix no longer finds the person (the
    // whole name still does, through the name in its own script, يوسف, a spelling of Yusuf).
    let rename = RawPersonChanges {
        version: Some(2),
        family_name_latin: set("Joseph"),
        sex: set(""),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    assert_eq!(
        s.update_person(&w.worker, pid, rename)
            .await
            .expect("update"),
        3
    );
    assert_eq!(search(&s, &w.worker, "joseph").await, vec![case]);
    assert!(search(&s, &w.worker, "yus").await.is_empty());
    assert_eq!(search(&s, &w.worker, "yusuf").await, vec![case]);
    assert_eq!(
        s.person_details(&w.worker, pid).await.expect("details").sex,
        None
    );

    // Changes are in the case's history, sealed.
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM case_history WHERE case_id = $1 AND field LIKE 'person.%'",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("history");
    assert!(n >= 9, "{n} history rows");
    assert_eq!(audit_count(&s, "person.update").await, 2);

    // A colleague who may not read the case gets nothing, and neither does immigration.
    for outsider in [&w.colleague, &w.officer, &w.consul] {
        assert!(matches!(
            s.person_details(outsider, pid).await,
            Err(StoreError::NotFound)
        ));
        let c = RawPersonChanges {
            version: Some(3),
            given_name: set("X"),
            ..Default::default()
        }
        .validate(2026)
        .expect("valid");
        assert!(matches!(
            s.update_person(outsider, pid, c).await,
            Err(StoreError::NotFound)
        ));
    }
    // A missing person looks exactly like a forbidden one.
    assert!(matches!(
        s.person_details(&w.worker, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn identity_changes_are_versioned_and_searchable_in_both_scripts() {
    on_every_backend!(identity_updates);
}

async fn migration_status_firewall(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Olena", "Kovalenko", Some("overstayer")).await;
    let pid = person_of(&s, &w.worker, case).await;
    assert_eq!(
        s.person_details(&w.worker, pid)
            .await
            .expect("own")
            .migration_status
            .as_deref(),
        Some("overstayer")
    );
    assert_eq!(
        s.person_details(&w.supervisor, pid)
            .await
            .expect("supervisor")
            .migration_status
            .as_deref(),
        Some("overstayer")
    );
    // The person consented to a referral to the consulate: the consul still reads nothing of
    // the person…
    consent_to_referral(&s, &w.worker, case, w.consulate).await;
    assert!(matches!(
        s.person_details(&w.consul, pid).await,
        Err(StoreError::NotFound)
    ));
    // …cannot change the status…
    let c = RawPersonChanges {
        version: Some(1),
        migration_status: set("regular"),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    assert!(matches!(
        s.update_person(&w.consul, pid, c).await,
        Err(StoreError::NotFound)
    ));
    // …nor anything else of the person…
    let c = RawPersonChanges {
        version: Some(1),
        languages: l(&["uk"]),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    assert!(matches!(
        s.update_person(&w.consul, pid, c.clone()).await,
        Err(StoreError::NotFound)
    ));
    s.update_person(&w.worker, pid, c).await.expect("update");
    let mine = s.person_details(&w.worker, pid).await.expect("own");
    assert_eq!(mine.migration_status.as_deref(), Some("overstayer"));
    assert_eq!(mine.languages, vec!["uk".to_string()]);
    // The owner may clear it; its history row carries no value.
    let c = RawPersonChanges {
        version: Some(2),
        migration_status: Some(None),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, pid, c).await.expect("clear");
    assert_eq!(
        s.person_details(&w.worker, pid)
            .await
            .expect("own")
            .migration_status,
        None
    );
    let (old, new): (Option<Vec<u8>>, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT old_value, new_value FROM case_history WHERE case_id = $1 AND field = 'person.migration_status'",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("history");
    assert_eq!((old, new), (None, None));

    // A person without a case yet: the creator and the organisation's supervisor only.
    let lone = s
        .create_person(
            &w.worker,
            RawPerson {
                given_name: "Lone".into(),
                migration_status: Some("pending".into()),
                ..Default::default()
            }
            .validate(2026)
            .expect("valid"),
        )
        .await
        .expect("person");
    assert!(s.person_details(&w.worker, lone).await.is_ok());
    assert_eq!(
        s.person_details(&w.supervisor, lone)
            .await
            .expect("supervisor")
            .migration_status
            .as_deref(),
        Some("pending")
    );
    for outsider in [&w.colleague, &w.consul, &w.officer] {
        assert!(matches!(
            s.person_details(outsider, lone).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn migration_status_is_seen_and_changed_only_by_those_allowed() {
    on_every_backend!(migration_status_firewall);
}

async fn documents(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maria", "Santos", None).await;
    let pid = person_of(&s, &w.worker, case).await;
    let doc = RawDocument {
        kind: "passport".into(),
        number: Some("P7788123".into()),
        country: Some("PH".into()),
        held_by: "employer".into(),
    }
    .validate()
    .expect("valid");
    let id = s
        .add_person_document(&w.worker, pid, doc)
        .await
        .expect("add");
    let p = s.person_details(&w.worker, pid).await.expect("details");
    assert_eq!(p.documents.len(), 1);
    assert!(p.documents[0].key_indicator);
    assert_eq!(p.documents[0].number.as_deref(), Some("P7788123"));
    assert_eq!(p.key_indicators, vec!["identity_document_held_by_other"]);

    let back = |v: i64| {
        RawDocumentChanges {
            version: Some(v),
            held_by: Some("person".into()),
            ..Default::default()
        }
        .validate()
        .expect("valid")
    };
    assert!(matches!(
        s.update_person_document(&w.worker, pid, id, back(7)).await,
        Err(StoreError::VersionConflict { current: 1 })
    ));
    assert_eq!(
        s.update_person_document(&w.worker, pid, id, back(1))
            .await
            .expect("update"),
        2
    );
    let p = s.person_details(&w.worker, pid).await.expect("details");
    assert!(!p.documents[0].key_indicator);
    assert!(p.key_indicators.is_empty());
    assert_eq!(p.documents[0].number.as_deref(), Some("P7788123"));

    // The document belongs to this person only.
    let other = open_case(&s, &w.worker, "Other", "Person", None).await;
    let other_pid = person_of(&s, &w.worker, other).await;
    assert!(matches!(
        s.remove_person_document(&w.worker, other_pid, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.remove_person_document(&w.officer, pid, id).await,
        Err(StoreError::NotFound)
    ));
    s.remove_person_document(&w.worker, pid, id)
        .await
        .expect("remove");
    assert!(
        s.person_details(&w.worker, pid)
            .await
            .expect("details")
            .documents
            .is_empty()
    );
    // The number was sealed: no row of the database holds it in clear.
    let rows: Vec<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT number FROM person_documents")
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("rows");
    assert!(rows.is_empty(), "removed");
}

#[tokio::test]
async fn identity_documents_show_who_holds_them() {
    on_every_backend!(documents);
}

async fn consent(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Thi", "Nguyen", None).await;
    let pid = person_of(&s, &w.worker, case).await;
    let raw = |purpose: &str, org: Option<Uuid>| RawConsent {
        purpose: purpose.into(),
        organisation_id: org.map(|o| o.to_string()),
        method: Some("verbal".into()),
        language: Some("vi".into()),
        ..Default::default()
    };
    let services = s
        .record_consent(
            &w.worker,
            pid,
            raw("services", None).validate().expect("ok"),
        )
        .await
        .expect("record");
    let referral = s
        .record_consent(
            &w.worker,
            pid,
            raw("referral", Some(w.consulate)).validate().expect("ok"),
        )
        .await
        .expect("record");
    let yes = |purpose, org| s.consent_in_force(&w.worker, pid, purpose, org);
    assert!(yes(ConsentPurpose::Services, None).await.expect("check"));
    assert!(
        yes(ConsentPurpose::Referral, Some(w.consulate))
            .await
            .expect("check")
    );
    assert!(
        !yes(ConsentPurpose::Referral, Some(w.shelter))
            .await
            .expect("check"),
        "consent to one organisation is not consent to another"
    );
    assert!(!yes(ConsentPurpose::Statistics, None).await.expect("check"));

    // Withdrawn: at once, and for good.
    s.withdraw_consent(&w.worker, pid, referral, None)
        .await
        .expect("withdraw");
    assert!(
        !yes(ConsentPurpose::Referral, Some(w.consulate))
            .await
            .expect("check")
    );
    s.withdraw_consent(&w.worker, pid, referral, None)
        .await
        .expect("again is harmless");
    let list = s.list_consents(&w.supervisor, pid).await.expect("list");
    assert_eq!(list.len(), 2);
    let r = list.iter().find(|c| c.id == referral).expect("referral");
    assert!(!r.in_force);
    assert_eq!(r.withdrawn_by, Some(w.worker.user_id()));
    assert_eq!(r.organisation_name.as_deref(), Some("Consulate"));
    assert_eq!(r.language.as_deref(), Some("vi"));
    let sv = list.iter().find(|c| c.id == services).expect("services");
    assert!(sv.in_force && sv.withdrawn_at.is_none());
    assert_eq!(sv.recorded_by_name, "worker@s.test");

    // Never to immigration enforcement.
    match s
        .record_consent(
            &w.worker,
            pid,
            raw("referral", Some(w.immigration)).validate().expect("ok"),
        )
        .await
    {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, "immigration_firewall"),
        other => panic!("expected the firewall, got {other:?}"),
    }
    assert!(matches!(
        s.record_consent(
            &w.worker,
            pid,
            raw("referral", Some(Uuid::now_v7()))
                .validate()
                .expect("ok")
        )
        .await,
        Err(StoreError::Invalid(_))
    ));

    // Another basis needs its reason, which is sealed and audited apart.
    assert!(
        RawConsent {
            basis: Some("vital_interest".into()),
            ..raw("services", None)
        }
        .validate()
        .is_err()
    );
    let vital = RawConsent {
        basis: Some("vital_interest".into()),
        reason: Some("Unconscious after the raid; hospital needs her history".into()),
        ..raw("services", None)
    }
    .validate()
    .expect("valid");
    let before = audit_count(&s, "consent.legal_basis").await;
    s.record_consent(&w.worker, pid, vital)
        .await
        .expect("record");
    assert_eq!(audit_count(&s, "consent.legal_basis").await, before + 1);
    // Two recorded, and the refused attempt to name immigration enforcement.
    assert_eq!(audit_count(&s, "consent.record").await, 3);
    let (refused,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'consent.record' AND outcome = 'refused'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("count");
    assert_eq!(refused, 1);
    let reasons: Vec<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT reason FROM consents WHERE basis = 'vital_interest'")
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("rows");
    let sealed = reasons[0].0.as_ref().expect("reason");
    assert!(!sealed.windows(11).any(|w| w == b"Unconscious"));

    // Outsiders and immigration enforcement: nothing.
    for outsider in [&w.colleague, &w.officer] {
        assert!(matches!(
            s.list_consents(outsider, pid).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.withdraw_consent(outsider, pid, services, None).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.consent_in_force(outsider, pid, ConsentPurpose::Services, None)
                .await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(
        yes(ConsentPurpose::Services, None).await.expect("check"),
        "an outsider's attempt withdrew nothing"
    );
}

#[tokio::test]
async fn consent_is_recorded_withdrawn_and_never_reaches_immigration() {
    on_every_backend!(consent);
}

/// A JPEG from a phone: EXIF with a GPS position, a comment, one tiny scan.
fn phone_photo() -> Vec<u8> {
    let seg = |m: u8, d: &[u8]| {
        let mut v = vec![0xFF, m];
        v.extend_from_slice(&((d.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(d);
        v
    };
    let mut j = vec![0xFF, 0xD8];
    j.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(seg(
        0xE1,
        b"Exif\0\0MM\0*GPS-MARKER-51.5072N-0.1276W shelter roof",
    ));
    j.extend(seg(0xFE, b"COMMENT-MARKER"));
    j.extend(seg(0xDB, &[0u8; 65]));
    j.extend(seg(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(seg(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    j
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn attachments(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let photo = s
        .add_attachment(&w.worker, case, "IMG_0001.JPG", &phone_photo(), 1 << 20)
        .await
        .expect("upload");
    assert_eq!(photo.content_type, "image/jpeg");
    assert_eq!(photo.created_by_name, "worker@s.test");
    assert!((photo.size as usize) < phone_photo().len());
    let got = s
        .get_attachment(&w.worker, photo.id)
        .await
        .expect("download");
    assert!(!contains(&got.content, b"GPS-MARKER"));
    assert!(!contains(&got.content, b"COMMENT-MARKER"));
    assert!(got.content.starts_with(&[0xFF, 0xD8]) && got.content.ends_with(&[0xFF, 0xD9]));
    assert_eq!(got.meta.filename, "IMG_0001.JPG");
    // Stored bytes are the stripped ones, and sealed.
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT content FROM attachments WHERE id = $1")
        .bind(photo.id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("row");
    assert!(!contains(&raw, b"JFIF"), "sealed");

    let letter = s
        .add_attachment(
            &w.worker,
            case,
            "../letter.txt",
            "Contract: 12 hours a day".as_bytes(),
            1 << 20,
        )
        .await
        .expect("text");
    assert_eq!(letter.content_type, "text/plain; charset=utf-8");
    assert_eq!(letter.filename, "letter.txt");

    // The type comes from the bytes; the name and the claim do not matter.
    for (bytes, code) in [
        (&b"MZ\x90\0\x03\0\0\0"[..], "unsupported_file_type"),
        (b"PK\x03\x04\x14\0\x06\0", "unsupported_file_type"),
        (b"", "empty_file"),
        (&[0xFF, 0xD8, 0xFF, 0xE1, 0x00], "malformed_file"),
    ] {
        match s
            .add_attachment(&w.worker, case, "scan.pdf", bytes, 1 << 20)
            .await
        {
            Err(StoreError::Rule { code: c, .. }) => assert_eq!(c, code),
            other => panic!("expected {code}, got {other:?}"),
        }
    }
    match s
        .add_attachment(&w.worker, case, "big.txt", &[b'a'; 2048], 1024)
        .await
    {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, "file_too_large"),
        other => panic!("expected the size cap, got {other:?}"),
    }

    let list = s.list_attachments(&w.supervisor, case).await.expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, letter.id, "newest first");
    assert_eq!(list[1].created_by_name, "worker@s.test");

    for outsider in [&w.colleague, &w.officer, &w.consul] {
        assert!(matches!(
            s.get_attachment(outsider, photo.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.list_attachments(outsider, case).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.add_attachment(outsider, case, "x.txt", b"hello", 1 << 20)
                .await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.get_attachment(&w.worker, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
    assert!(audit_count(&s, "attachment.read").await >= 5);
}

#[tokio::test]
async fn attachments_are_type_checked_capped_stripped_and_sealed() {
    on_every_backend!(attachments);
}

#[tokio::test]
async fn the_sqlite_file_holds_no_attachment_or_identity_in_clear() {
    let (s, dir) = sqlite().await;
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Plainname", "Searchable", None).await;
    let pid = person_of(&s, &w.worker, case).await;
    s.add_attachment(
        &w.worker,
        case,
        "FILENAME-MARKER.txt",
        b"CONTENT-MARKER: she was locked in at night",
        1 << 20,
    )
    .await
    .expect("upload");
    s.add_attachment(&w.worker, case, "photo.jpg", &phone_photo(), 1 << 20)
        .await
        .expect("photo");
    let c = RawPersonChanges {
        version: Some(1),
        given_name_latin: set("Latinmarker"),
        aliases: l(&["Aliasmarker"]),
        contacts: Some(Some(vec![RawContact {
            kind: "email".into(),
            value: "contactmarker@example.org".into(),
        }])),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    assert!(matches!(c.aliases, Change::Set(_)));
    s.update_person(&w.worker, pid, c).await.expect("update");
    let doc = RawDocument {
        kind: "passport".into(),
        number: Some("NUMBERMARKER1".into()),
        held_by: "recruiter".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.add_person_document(&w.worker, pid, doc)
        .await
        .expect("doc");
    let bi = RawBestInterests {
        assessment: "ASSESSMENTMARKER".into(),
        decision: "DECISIONMARKER".into(),
        guardian_name: Some("GUARDIANMARKER".into()),
        guardian_contact: None,
    }
    .validate()
    .expect("valid");
    s.record_best_interests(&w.worker, case, bi)
        .await
        .expect("bi");
    drop(s);
    let mut bytes = Vec::new();
    for name in ["passage.db", "passage.db-wal"] {
        if let Ok(b) = std::fs::read(dir.join(name)) {
            bytes.extend(b);
        }
    }
    assert!(bytes.len() > 10_000, "read the database");
    for marker in [
        &b"CONTENT-MARKER"[..],
        b"FILENAME-MARKER",
        b"JFIF",
        b"Latinmarker",
        b"Aliasmarker",
        b"contactmarker",
        b"NUMBERMARKER1",
        b"ASSESSMENTMARKER",
        b"DECISIONMARKER",
        b"GUARDIANMARKER",
        b"Plainname",
    ] {
        assert!(
            !contains(&bytes, marker),
            "{} is in the database file in clear",
            String::from_utf8_lossy(marker)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

async fn children(s: Store) {
    let w = world(&s).await;
    let other_super = user(
        &s,
        w.shelter,
        "super2@s.test",
        &[passage_core::Role::Supervisor],
    )
    .await;
    let case = open_case(&s, &w.worker, "Sami", "Haddad", None).await;
    let pid = person_of(&s, &w.worker, case).await;
    let c = RawPersonChanges {
        version: Some(1),
        vulnerabilities: l(&["unaccompanied_or_separated_child"]),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, pid, c).await.expect("update");
    assert!(
        s.person_details(&w.worker, pid)
            .await
            .expect("details")
            .is_child
    );
    let bi = |decision: &str| {
        RawBestInterests {
            assessment: "Alone since the crossing; an uncle lives in Leeds.".into(),
            decision: decision.into(),
            guardian_name: Some("Nadia Haddad".into()),
            guardian_contact: Some("+44 113 496 0000".into()),
        }
        .validate()
        .expect("valid")
    };
    let by_worker = s
        .record_best_interests(&w.worker, case, bi("Place with the uncle after checks"))
        .await
        .expect("record");
    let by_super = s
        .record_best_interests(&w.supervisor, case, bi("Appoint a guardian"))
        .await
        .expect("record");
    let list = s.list_best_interests(&w.worker, case).await.expect("list");
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|b| !b.is_final), "nothing final unsigned");
    assert_eq!(list[1].guardian_name.as_deref(), Some("Nadia Haddad"));

    let code = |r: Result<Uuid, StoreError>| match r {
        Err(StoreError::Rule { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        code(s.sign_off_best_interests(&w.worker, by_worker).await),
        "supervisor_required"
    );
    assert_eq!(
        code(s.sign_off_best_interests(&w.supervisor, by_super).await),
        "own_decision"
    );
    assert_eq!(
        s.sign_off_best_interests(&w.supervisor, by_worker)
            .await
            .expect("sign"),
        case
    );
    assert_eq!(
        code(s.sign_off_best_interests(&other_super, by_worker).await),
        "already_signed_off"
    );
    s.sign_off_best_interests(&other_super, by_super)
        .await
        .expect("another supervisor signs");
    let list = s.list_best_interests(&w.worker, case).await.expect("list");
    let signed = list.iter().find(|b| b.id == by_worker).expect("row");
    assert!(signed.is_final);
    assert_eq!(signed.signed_off_by, Some(w.supervisor.user_id()));
    assert_eq!(signed.signed_off_by_name.as_deref(), Some("super@s.test"));

    // A supervisor of another organisation the person consented to a referral to is no signer.
    consent_to_referral(&s, &w.worker, case, w.consulate).await;
    let consular_super = user(
        &s,
        w.consulate,
        "super@c.test",
        &[passage_core::Role::Supervisor],
    )
    .await;
    let third = s
        .record_best_interests(&w.worker, case, bi("Review in three months"))
        .await
        .expect("record");
    assert!(matches!(
        s.sign_off_best_interests(&consular_super, third).await,
        Err(StoreError::NotFound)
    ));
    for outsider in [&w.colleague, &w.officer] {
        assert!(matches!(
            s.list_best_interests(outsider, case).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.sign_off_best_interests(outsider, third).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.record_best_interests(outsider, case, bi("x")).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.sign_off_best_interests(&w.supervisor, Uuid::now_v7())
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn best_interests_decisions_are_final_only_after_another_supervisor_signs() {
    on_every_backend!(children);
}
