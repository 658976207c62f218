//! A photo or document with a public report, on every backend: stored without its metadata,
//! sealed, read only by the report's organisation (anyone else: not found, immigration
//! enforcement included), every read audited; a file that cannot be cleaned stores nothing.

use crate::common::*;
use passage_core::reports::RawPublicReport;
use passage_core::{Channel, Country, ErrorCode, OrgKind, Role};
use passage_store::reports::public::PublicFile;
use passage_store::{Store, StoreError};
use uuid::Uuid;

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(data);
    s
}

/// A phone photo: JFIF, EXIF with a GPS position and the camera, tables, one scan.
pub fn photo_with_gps() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(
        0xE1,
        b"Exif\0\0MM\0*GPSLatitude 36.8065 N GPSLongitude 10.1815 E Model WitnessPhone",
    ));
    j.extend(segment(0xDB, &[0u8; 65]));
    j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0xD9]);
    j
}

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn witness() -> passage_core::reports::NewReport {
    RawPublicReport {
        language: "ar".into(),
        categories: vec!["threats_violence".into(), "discrimination".into()],
        witness: true,
        narrative: "هاجموا رجلاً في الشارع".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid")
}

async fn files_are_clean_sealed_and_kept_in_the_organisation(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let hotline = s
        .create_organisation(op.authority(), "Hotline", OrgKind::Hotline, gb)
        .await
        .expect("org")
        .id;
    let intake = user(&s, hotline, "intake@h.test", &[Role::Intake]).await;
    let done = s
        .submit_public_report_with(
            witness(),
            Channel::WebForm,
            Some(PublicFile {
                name: "../../IMG_2041.jpg".into(),
                bytes: photo_with_gps(),
            }),
            1 << 20,
        )
        .await
        .expect("submit");
    assert_eq!(done.receipt.len(), 16);
    let report = s.list_reports(&intake, None, 10).await.expect("queue")[0].id;
    let view = s.get_report(&intake, report).await.expect("report");
    assert_eq!(view.reporter_type, passage_core::ReporterType::Witness);
    assert_eq!(view.item.categories.len(), 2);
    assert_eq!(view.attachments.len(), 1);
    let meta = &view.attachments[0];
    assert_eq!(
        (meta.filename.as_str(), meta.content_type.as_str()),
        ("IMG_2041.jpg", "image/jpeg")
    );
    let file = s
        .get_report_attachment(&intake, report, meta.id)
        .await
        .expect("download");
    assert!(file.content.starts_with(&[0xFF, 0xD8]));
    for secret in [&b"GPSLatitude"[..], b"36.8065", b"WitnessPhone", b"Exif"] {
        assert!(!has(&file.content, secret));
    }
    assert_eq!(file.content.len() as i64, meta.size);

    // At rest: neither the name nor the bytes.
    let pool = s.operator("test").unsafe_raw_pool();
    let (name, content): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT filename, content FROM report_attachments WHERE id = $1")
            .bind(meta.id.to_string())
            .fetch_one(pool)
            .await
            .expect("row");
    assert!(!has(&name, b"IMG_2041") && !has(&content, b"JFIF"));

    // Another organisation, immigration enforcement, a file of another report: not found.
    for outsider in [&w.supervisor, &w.officer, &w.consul] {
        assert!(matches!(
            s.get_report_attachment(outsider, report, meta.id).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.get_report_attachment(&intake, Uuid::now_v7(), meta.id)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.get_report_attachment(&intake, report, Uuid::now_v7())
            .await,
        Err(StoreError::NotFound)
    ));
    let reads: Vec<(String,)> = sqlx::query_as(
        "SELECT outcome FROM audit_events WHERE action = 'report_attachment.read' ORDER BY seq",
    )
    .fetch_all(pool)
    .await
    .expect("audit");
    let outcomes: Vec<&str> = reads.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        outcomes,
        ["ok", "denied", "denied", "denied", "denied", "not_found"]
    );
}

#[tokio::test]
async fn files_with_reports_are_clean_sealed_and_kept_in_the_organisation() {
    on_every_backend!(files_are_clean_sealed_and_kept_in_the_organisation);
}

async fn a_file_that_cannot_be_cleaned_stores_nothing(s: Store) {
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let hotline = s
        .create_organisation(op.authority(), "Hotline", OrgKind::Hotline, gb)
        .await
        .expect("org")
        .id;
    let intake = user(&s, hotline, "intake@h.test", &[Role::Intake]).await;
    let locked = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< /Author (Amina) >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 2 0 R /Encrypt 3 0 R >>\n%%EOF\n";
    for (bytes, code) in [
        (&locked[..], ErrorCode::MetadataNotRemovable),
        (b"MZ\x90\0\x03\0", ErrorCode::UnsupportedFileType),
        (
            &[0xFF, 0xD8, 0xFF, 0xE1, 0x00][..],
            ErrorCode::MalformedFile,
        ),
    ] {
        let refused = s
            .submit_public_report_with(
                witness(),
                Channel::WebForm,
                Some(PublicFile {
                    name: "x".into(),
                    bytes: bytes.to_vec(),
                }),
                1 << 20,
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Rule { code: c, .. }) if c == code),
            "{refused:?}"
        );
    }
    assert!(
        s.list_reports(&intake, None, 10)
            .await
            .expect("queue")
            .is_empty(),
        "nothing stored"
    );
    // A PDF that can be cleaned is kept, cleaned.
    let pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< /Author (Amina Haddad) /Producer (Phone) >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 2 0 R >>\n%%EOF\n";
    s.submit_public_report_with(
        witness(),
        Channel::WebForm,
        Some(PublicFile {
            name: "letter.pdf".into(),
            bytes: pdf.to_vec(),
        }),
        1 << 20,
    )
    .await
    .expect("submit");
    let report = s.list_reports(&intake, None, 10).await.expect("queue")[0].id;
    let view = s.get_report(&intake, report).await.expect("report");
    let file = s
        .get_report_attachment(&intake, report, view.attachments[0].id)
        .await
        .expect("download");
    assert!(file.content.starts_with(b"%PDF") && file.content.ends_with(b"%%EOF\n"));
    assert!(!has(&file.content, b"Amina") && !has(&file.content, b"Phone"));
}

#[tokio::test]
async fn a_file_that_cannot_be_cleaned_stores_nothing_at_all() {
    on_every_backend!(a_file_that_cannot_be_cleaned_stores_nothing);
}
