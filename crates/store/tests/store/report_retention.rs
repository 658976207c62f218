//! Retention of public reports on every backend: the reporter is told the day, the purge
//! erases a report whose handling is finished with its messages, files and receipt on that day
//! and not before, a report nobody has read or still in handling waits until it is finished, a
//! case opened from a report keeps what it copied, an incident recorded from one keeps its own
//! account, and every erasure is audited with counts, never content.

use crate::common::*;
use passage_core::monitoring::incidents::{RawAffected, RawIncident};
use passage_core::reports::RawPublicReport;
use passage_core::{Channel, Country, OrgKind, Role};
use passage_store::monitoring::incidents::IncidentOrigin;
use passage_store::reports::public::{IntakeOptions, PublicFile};
use passage_store::{Authority, Clock, Store, StoreError};

const DAY: i64 = 86_400_000;
/// 2026-03-01 10:00 UTC.
const START: i64 = 20_513 * DAY + 10 * 3_600_000;

fn witness(narrative: &str) -> passage_core::reports::NewReport {
    RawPublicReport {
        language: "ar".into(),
        categories: vec!["abuse_by_officials".into(), "housing".into()],
        witness: true,
        narrative: narrative.into(),
        ..Default::default()
    }
    .validate()
    .expect("valid")
}

async fn reports_erased_on_the_day_they_were_promised(s: Store) {
    let clock = Clock::fixed(START);
    let s = s
        .with_clock(clock.clone())
        .with_intake_options(IntakeOptions {
            retention_days: 30,
            ..IntakeOptions::default()
        });
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let hotline = s
        .create_organisation(op.authority(), "Hotline", OrgKind::Hotline, gb)
        .await
        .expect("org")
        .id;
    let intake = user(&s, hotline, "intake@h.test", &[Role::Intake]).await;

    let handled = s
        .submit_public_report_with(
            witness("رأيت الشرطة تضرب رجلاً عند المحطة"),
            Channel::WebForm,
            Some(PublicFile {
                name: "photo.txt".into(),
                bytes: b"a note about the station".to_vec(),
            }),
            1 << 20,
        )
        .await
        .expect("submit");
    assert_eq!(
        handled.expires_on, "2026-03-31",
        "the reporter is told the day"
    );
    let unread = s
        .submit_public_report_with(witness("لم يقرأه أحد"), Channel::WebForm, None, 0)
        .await
        .expect("submit");
    let to_case = s
        .submit_public_report_with(witness("فُتحت له قضية"), Channel::WebForm, None, 0)
        .await
        .expect("submit");
    assert_eq!(
        s.follow_up(&handled.receipt)
            .await
            .expect("follow up")
            .expires_on,
        "2026-03-31"
    );
    s.reporter_message(&handled.receipt, said("More: it was at night"))
        .await
        .expect("message");

    let queue = s.list_reports(&intake, None, 10).await.expect("queue");
    assert_eq!(queue.len(), 3);
    let mut by_story = std::collections::HashMap::new();
    for line in &queue {
        let r = s.get_report(&intake, line.id).await.expect("report");
        by_story.insert(r.narrative.clone(), line.id);
    }
    let first = by_story["رأيت الشرطة تضرب رجلاً عند المحطة"];
    let third = by_story["فُتحت له قضية"];
    s.close_report(&intake, first, said("Recorded as an incident"))
        .await
        .expect("closed");
    let incident = s
        .record_incident(
            &Authority::User(intake.clone()),
            hotline,
            &RawIncident {
                occurred_on: "2026-02-27".into(),
                country: "GB".into(),
                place_type: "transport".into(),
                kinds: vec!["violence".into()],
                perpetrator_type: "police_official".into(),
                affected: RawAffected {
                    men: "1".into(),
                    ..Default::default()
                },
                source: "witness".into(),
                narrative: "A man beaten by police at the station".into(),
                ..Default::default()
            },
            IncidentOrigin {
                report_id: Some(first),
                visit_id: None,
            },
        )
        .await
        .expect("incident from the report");
    let case = s
        .open_case_from_report(&intake, third)
        .await
        .expect("case from report");

    // The day before: nothing goes.
    clock.advance(29 * DAY);
    let p = s.purge_expired_reports().await.expect("purge");
    assert_eq!((p.reports, p.kept_open), (0, 0));
    assert!(s.follow_up(&handled.receipt).await.is_ok());

    // On the day: the finished reports go with their messages and file; the unread one stays.
    clock.advance(DAY);
    let p = s.purge_expired_reports().await.expect("purge");
    assert_eq!(
        (p.reports, p.messages, p.attachments, p.kept_open),
        (2, 1, 1, 1)
    );
    for receipt in [&handled.receipt, &to_case.receipt] {
        assert!(
            matches!(s.follow_up(receipt).await, Err(StoreError::NotFound)),
            "a receipt afterwards is answered as a wrong one"
        );
    }
    assert!(matches!(
        s.follow_up("0000000000000000").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.get_report(&intake, first).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        s.follow_up(&unread.receipt).await.is_ok(),
        "never erased unread"
    );
    // The incident keeps its own account, without the link to the erased report.
    let kept = s.incident(&intake, incident).await.expect("incident stays");
    assert_eq!(kept.report_id, None);
    assert!(kept.narrative.contains("beaten by police"));
    // The case keeps what it copied.
    let kept = s.get_case(&intake, case).await.expect("case stays");
    assert!(kept.summary.contains("فُتحت له قضية"));
    let pool = s.operator("test").unsafe_raw_pool();
    for table in ["report_messages", "report_attachments", "report_categories"] {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE report_id = $1 OR report_id = $2"
        )))
        .bind(first.to_string())
        .bind(third.to_string())
        .fetch_one(pool)
        .await
        .expect("count");
        assert_eq!(n, 0, "{table}");
    }

    // Read and answered, but not finished: still kept. Closed: gone at the next purge.
    let left = s.list_reports(&intake, None, 10).await.expect("queue");
    assert_eq!(left.len(), 1);
    s.acknowledge_report(&intake, left[0].id)
        .await
        .expect("ack");
    let p = s.purge_expired_reports().await.expect("purge");
    assert_eq!(
        (p.reports, p.kept_open),
        (0, 1),
        "never erased mid-handling"
    );
    assert!(s.follow_up(&unread.receipt).await.is_ok());
    s.close_report(&intake, left[0].id, said("Answered"))
        .await
        .expect("closed");
    let p = s.purge_expired_reports().await.expect("purge");
    assert_eq!((p.reports, p.kept_open), (1, 0));
    assert!(matches!(
        s.follow_up(&unread.receipt).await,
        Err(StoreError::NotFound)
    ));

    // Audited with ids and counts, never content.
    let events: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT action, object_id, outcome FROM audit_events WHERE action IN ('report.erase', 'report.purge') ORDER BY seq",
    )
    .fetch_all(pool)
    .await
    .expect("audit");
    let erased: Vec<_> = events.iter().filter(|e| e.0 == "report.erase").collect();
    assert_eq!(erased.len(), 3, "{events:?}");
    assert!(
        erased
            .iter()
            .any(|e| e.1.as_deref() == Some(first.to_string().as_str())
                && e.2 == "erased messages=1 attachments=1")
    );
    assert!(
        events.iter().any(|e| e.0 == "report.purge"
            && e.2 == "erased reports=2 messages=1 attachments=1 kept_open=1")
    );
    let all: Vec<(String,)> = sqlx::query_as("SELECT outcome FROM audit_events")
        .fetch_all(pool)
        .await
        .expect("audit");
    assert!(
        !all.iter()
            .any(|(o,)| o.contains("الشرطة") || o.contains("night"))
    );
}

#[tokio::test]
async fn reports_are_erased_on_the_day_they_were_promised() {
    on_every_backend!(reports_erased_on_the_day_they_were_promised);
}

async fn staff_reports_are_not_purged(s: Store) {
    let clock = Clock::fixed(START);
    let s = s
        .with_clock(clock.clone())
        .with_intake_options(IntakeOptions {
            retention_days: 1,
            ..IntakeOptions::default()
        });
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let hotline = s
        .create_organisation(op.authority(), "Hotline", OrgKind::Hotline, gb)
        .await
        .expect("org")
        .id;
    let intake = user(&s, hotline, "intake@h.test", &[Role::Intake]).await;
    let call = passage_core::reports::RawHotlineReport {
        caller_type: "victim".into(),
        language: "en".into(),
        categories: vec!["housing".into()],
        narrative: "Evicted with no notice".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    let id = s
        .create_hotline_report(&intake, call, &Default::default())
        .await
        .expect("call");
    s.acknowledge_report(&intake, id).await.expect("ack");
    clock.advance(400 * DAY);
    let p = s.purge_expired_reports().await.expect("purge");
    assert_eq!(
        p.reports, 0,
        "only reports with a receipt follow the public retention"
    );
    assert!(s.get_report(&intake, id).await.is_ok());
}

#[tokio::test]
async fn reports_taken_by_staff_are_not_purged() {
    on_every_backend!(staff_reports_are_not_purged);
}
