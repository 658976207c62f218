//! Attacks from the security review that the store must make fail: plain values at rest, a
//! database file others can read (statistics that move with one case: `stats.rs`).

use crate::common::*;
use passage_core::reports::RawPublicReport;
use passage_core::{Channel, Country, OrgKind, Role};
use passage_store::{Backend, Store};

/// Values that were once kept plain (a report's close reason, a document's issuing country, a
/// consent's language) are sealed; and the engine zeroes what it deletes.
async fn once_plain_values_are_sealed(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amaru", "Quispe", None).await;
    let person = s.get_case(&w.worker, case).await.expect("case").person.id;
    let doc = passage_core::casework::person::RawDocument {
        kind: "passport".into(),
        number: None,
        country: Some("BO".into()),
        held_by: "employer".into(),
    }
    .validate()
    .expect("document");
    s.add_person_document(&w.worker, person, doc)
        .await
        .expect("document");
    let consent = passage_core::casework::consent::RawConsent {
        purpose: "services".into(),
        organisation_id: None,
        basis: Some("consent".into()),
        method: Some("verbal".into()),
        language: Some("qu".into()),
        reason: None,
    }
    .validate()
    .expect("consent");
    s.record_consent(&w.worker, person, consent)
        .await
        .expect("consent");
    let hotline = s
        .create_organisation(
            s.operator("test").authority(),
            "Hotline",
            OrgKind::Hotline,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let intake = user(&s, hotline, "intake@h.test", &[Role::Intake]).await;
    let report = RawPublicReport {
        language: "es".into(),
        category: "unpaid_wages".into(),
        narrative: "No nos pagan".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.submit_public_report(report, Channel::WebForm)
        .await
        .expect("submit");
    let report = s.list_reports(&intake, None, 10).await.expect("queue")[0].id;
    s.close_report(&intake, report, said("Duplicate of the Quillacollo call"))
        .await
        .expect("close");
    // Read back through the store: the values are there.
    let view = s.get_report(&intake, report).await.expect("report");
    assert_eq!(
        view.close_reason.as_deref(),
        Some("Duplicate of the Quillacollo call")
    );
    let p = s.person_details(&w.worker, person).await.expect("person");
    assert_eq!(
        p.documents[0]
            .country
            .as_ref()
            .map(|c| c.to_string())
            .as_deref(),
        Some("BO")
    );
    let consents = s.list_consents(&w.worker, person).await.expect("consents");
    assert_eq!(consents[0].language.as_deref(), Some("qu"));
    // Raw: the plain columns are empty and the sealed ones hold no plain bytes.
    let pool = s.operator("test").unsafe_raw_pool();
    for (sql, plain) in [
        (
            "SELECT close_reason, close_reason_sealed FROM reports WHERE close_reason_sealed IS NOT NULL",
            "Quillacollo",
        ),
        (
            "SELECT country, country_sealed FROM person_documents WHERE country_sealed IS NOT NULL",
            "BO",
        ),
        (
            "SELECT language, language_sealed FROM consents WHERE language_sealed IS NOT NULL",
            "qu",
        ),
    ] {
        let rows: Vec<(Option<String>, Vec<u8>)> =
            sqlx::query_as(sql).fetch_all(pool).await.expect("raw");
        assert_eq!(
            rows.len(),
            1,
            "{sql}: the value written is there to inspect"
        );
        for (old, sealed) in rows {
            assert_eq!(old, None, "{sql}: the plain column stays empty");
            assert!(
                !sealed.windows(plain.len()).any(|x| x == plain.as_bytes()),
                "{sql}: {plain} in plaintext"
            );
        }
    }
    // A value an earlier version left plain is sealed when the store opens (migrates).
    sqlx::query(
        "UPDATE reports SET close_reason = 'Left plain by Tiquipaya', close_reason_sealed = NULL",
    )
    .execute(pool)
    .await
    .expect("raw");
    s.migrate().await.expect("migrate");
    let view = s.get_report(&intake, report).await.expect("report");
    assert_eq!(
        view.close_reason.as_deref(),
        Some("Left plain by Tiquipaya")
    );
    let (old, sealed): (Option<String>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT close_reason, close_reason_sealed FROM reports")
            .fetch_one(pool)
            .await
            .expect("raw");
    assert_eq!(old, None, "the plain column is emptied");
    assert!(sealed.is_some_and(|b| !b.windows(9).any(|x| x == b"Tiquipaya")));
    if s.backend() == Backend::Sqlite {
        assert_eq!(s.sqlite_pragma("secure_delete").await.expect("pragma"), "1");
    }
}
#[tokio::test]
async fn once_plain_values_are_sealed_at_rest() {
    on_every_backend!(once_plain_values_are_sealed);
}

/// An uploader names a text file `page.html` (or `run.exe`): whoever downloads it would open it
/// as a page or a program. The stored name ends with the extension of the sniffed type.
async fn attachment_names_follow_the_bytes(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amaru", "Quispe", None).await;
    for (name, kept) in [
        ("page.html", "page.html.txt"),
        ("run.exe", "run.exe.txt"),
        ("notes.TXT", "notes.TXT"),
    ] {
        let a = s
            .add_attachment(&w.worker, case, name, b"<script>alert(1)</script>", 1 << 20)
            .await
            .expect("text is accepted");
        assert_eq!(a.content_type, "text/plain; charset=utf-8");
        assert_eq!(a.filename, kept);
    }
}
#[tokio::test]
async fn an_attachment_keeps_the_extension_of_its_bytes() {
    on_every_backend!(attachment_names_follow_the_bytes);
}
