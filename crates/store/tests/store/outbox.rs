//! The webhook outbox on every backend: an emergency call leaves a due notice without personal
//! data; a claim leases it; a failure backs off; a delivered notice is never claimed again.

use crate::common::*;
use passage_core::reports::RawHotlineReport;
use passage_core::{Country, OrgKind, Role};
use passage_store::outbox::{
    Failed, LEASE_MS, MAX_ATTEMPTS, MAX_BACKOFF_MS, OutboxItem, webhook_backoff_ms,
};
use passage_store::{Store, StoreError, now_ms};

const NARRATIVE: &str = "Workers locked in a warehouse near the docks";
const CONTACT: &str = "+44 7700 900123";

async fn call(s: &Store, intake: &passage_store::Actor, danger: bool) -> uuid::Uuid {
    let report = RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        urgency: Some("low".into()),
        categories: vec!["threats_violence".into()],
        narrative: NARRATIVE.into(),
        contact: Some(CONTACT.into()),
        callback_consent: true,
        immediate_danger: danger,
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.create_hotline_report(intake, report, &s.intake_options().sla)
        .await
        .expect("call")
}

async fn outbox(s: Store) {
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
    assert_eq!(s.webhook_backlog().await.expect("backlog"), 0);

    // An ordinary call writes nothing; an emergency writes one due notice.
    call(&s, &intake, false).await;
    assert_eq!(s.webhook_backlog().await.expect("backlog"), 0);
    let report = call(&s, &intake, true).await;
    assert_eq!(s.webhook_backlog().await.expect("backlog"), 1);

    let t0 = now_ms();
    let claimed = s.claim_due_webhooks(t0, 10).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    let item: OutboxItem = claimed[0].clone();
    assert_eq!(item.event(), "emergency_report");
    let payload: serde_json::Value = serde_json::from_str(&item.payload).expect("json");
    assert_eq!(payload["event"], "emergency_report");
    assert_eq!(payload["report_id"], report.to_string());
    assert_eq!(payload["organisation_id"], hotline.to_string());
    assert!(payload["at"].is_string());
    assert_eq!(
        payload.as_object().map(|o| o.len()),
        Some(4),
        "nothing else: {payload}"
    );
    assert!(!item.payload.contains("warehouse") && !item.payload.contains("7700"));

    // Leased: not claimable again until the lease runs out, still counted as backlog.
    assert!(
        s.claim_due_webhooks(t0, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    assert_eq!(s.webhook_backlog().await.expect("backlog"), 1);
    assert_eq!(
        s.claim_due_webhooks(t0 + LEASE_MS, 10)
            .await
            .expect("claim after lease")
            .len(),
        1,
        "a lost worker's item comes back"
    );

    // A failure backs off: not due before next_at, due at it.
    let t1 = t0 + LEASE_MS;
    assert_eq!(
        s.mark_webhook_failed(&item.id, t1).await.expect("failed"),
        Failed::RetryAt(t1 + 5_000)
    );
    assert!(
        s.claim_due_webhooks(t1 + 4_999, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let again = s.claim_due_webhooks(t1 + 5_000, 10).await.expect("claim");
    assert_eq!(
        again.iter().map(|i| &i.id).collect::<Vec<_>>(),
        vec![&item.id]
    );
    let t2 = t1 + 5_000;
    assert_eq!(
        s.mark_webhook_failed(&item.id, t2).await.expect("failed"),
        Failed::RetryAt(t2 + 10_000),
        "the delay doubles"
    );
    assert!(
        s.claim_due_webhooks(t2 + 9_999, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    assert_eq!(
        s.claim_due_webhooks(t2 + 10_000, 10)
            .await
            .expect("claim")
            .len(),
        1
    );

    // Delivered: gone from the backlog and never claimed again.
    s.mark_webhook_delivered(&item.id).await.expect("delivered");
    assert_eq!(s.webhook_backlog().await.expect("backlog"), 0);
    let far = t2 + 365 * 24 * 3_600_000;
    assert!(
        s.claim_due_webhooks(far, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    assert!(matches!(
        s.mark_webhook_delivered(&item.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.mark_webhook_failed(&item.id, far).await,
        Err(StoreError::NotFound)
    ));

    // A receiver that never answers: the item dies after MAX_ATTEMPTS and stays dead.
    call(&s, &intake, true).await;
    let mut now = far;
    let mut last = None;
    for _ in 0..MAX_ATTEMPTS {
        let due = s.claim_due_webhooks(now, 10).await.expect("claim");
        assert_eq!(due.len(), 1);
        last = Some(
            s.mark_webhook_failed(&due[0].id, now)
                .await
                .expect("failed"),
        );
        if let Some(Failed::RetryAt(at)) = last {
            assert!(at - now <= MAX_BACKOFF_MS);
            now = at;
        }
    }
    assert_eq!(last, Some(Failed::Dead));
    assert_eq!(s.webhook_backlog().await.expect("backlog"), 0);
    assert!(
        s.claim_due_webhooks(now + 365 * 24 * 3_600_000, 10)
            .await
            .expect("claim")
            .is_empty()
    );
}

#[tokio::test]
async fn emergency_notices_are_claimed_retried_and_delivered_once() {
    on_every_backend!(outbox);
}

#[test]
fn backoff_doubles_from_five_seconds_to_ten_minutes() {
    let delays: Vec<i64> = (1..=9).map(webhook_backoff_ms).collect();
    assert_eq!(
        delays,
        vec![
            5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000
        ]
    );
    assert_eq!(webhook_backoff_ms(MAX_ATTEMPTS), MAX_BACKOFF_MS);
    assert_eq!(webhook_backoff_ms(i64::MAX), MAX_BACKOFF_MS);
}
