//! Staff replies through the gateways on every backend: a reply is claimed once with its
//! number and text, leased, sent, retried with backoff and given up, failed with a reason the
//! thread shows, moved on by status callbacks (never back), and purged with the webhook
//! outbox once finished.

use crate::common::*;
use passage_core::messages::{
    DeliveryStatus, FailureReason, Gateway, MAX_ATTEMPTS, Retry, rapidpro_status, twilio_status,
};
use passage_core::{Channel, Country, OrgKind, Role};
use passage_store::reports::channels::Inbound;
use passage_store::reports::outbound::LEASE_MS;
use passage_store::{Actor, Clock, Store, StoreError};
use uuid::Uuid;

const NUMBER: &str = "+447700900123";

async fn desk(s: &Store) -> Actor {
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
    user(s, hotline, "intake@h.test", &[Role::Intake]).await
}

/// A report that came in through `provider`, a second message of the reporter, and one staff
/// reply.
async fn replied(s: &Store, intake: &Actor, provider: &str, sender: &str, text: &str) -> Uuid {
    let channel = if provider == "twilio" {
        Channel::Sms
    } else {
        Channel::Chat
    };
    let id = match s
        .inbound_message(
            provider,
            &Uuid::new_v4().to_string(),
            channel,
            sender,
            "help",
        )
        .await
        .expect("inbound")
    {
        Inbound::NewReport(id) => id,
        other => panic!("expected a new report, got {other:?}"),
    };
    // A second message from the reporter joins the thread before the reply.
    s.inbound_message(
        provider,
        &Uuid::new_v4().to_string(),
        channel,
        sender,
        "still here",
    )
    .await
    .expect("threaded");
    s.staff_message(intake, id, said(text))
        .await
        .expect("reply");
    id
}

fn delivery(view: &passage_store::reports::ReportView) -> Vec<Option<DeliveryStatus>> {
    view.messages
        .iter()
        .map(|m| m.delivery.map(|d| d.status))
        .collect()
}

async fn send_and_follow(s: Store) {
    let clock = Clock::fixed(passage_store::now_ms());
    let s = s.with_clock(clock.clone());
    let op = s.operator("test");
    let intake = desk(&s).await;
    let report = replied(&s, &intake, "twilio", NUMBER, "We can help. Are you safe?").await;
    let view = s.get_report(&intake, report).await.expect("read");
    assert_eq!(
        delivery(&view),
        vec![None, Some(DeliveryStatus::Queued)],
        "the reporter's message has no delivery; the staff reply is queued"
    );

    // Claiming needs the operator, opens number and text, and leases the reply.
    assert!(matches!(
        s.claim_due_replies(&passage_store::Authority::User(intake.clone()), 10)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let due = s
        .claim_due_replies(op.authority(), 10)
        .await
        .expect("claim");
    assert_eq!(due.len(), 1);
    assert_eq!(
        (
            due[0].gateway,
            due[0].recipient.as_str(),
            due[0].body.as_str(),
            due[0].attempts,
            due[0].report_id
        ),
        (
            Gateway::Twilio,
            NUMBER,
            "We can help. Are you safe?",
            0,
            report
        )
    );
    assert!(
        !format!("{:?}", due[0]).contains("900123"),
        "Debug hides the number"
    );
    assert!(
        s.claim_due_replies(op.authority(), 10)
            .await
            .expect("claim")
            .is_empty(),
        "a leased reply is not claimed twice"
    );
    // A process that died with the lease: the reply comes back after it.
    clock.advance(LEASE_MS + 1);
    let due = s
        .claim_due_replies(op.authority(), 10)
        .await
        .expect("claim");
    assert_eq!(due.len(), 1);
    let id = due[0].id.clone();

    s.reply_sent(&id, "SM0001").await.expect("sent");
    assert!(matches!(
        s.reply_sent(&id, "SM0001").await,
        Err(StoreError::NotFound)
    ));
    let view = s.get_report(&intake, report).await.expect("read");
    assert_eq!(delivery(&view)[1], Some(DeliveryStatus::Sent));

    // Callbacks: an unknown id is not found; out-of-order news never moves a reply back.
    assert!(matches!(
        s.reply_status(
            Gateway::Twilio,
            "SM9999",
            twilio_status("delivered", None),
            "delivered",
            None
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        matches!(
            s.reply_status(
                Gateway::Rapidpro,
                "SM0001",
                rapidpro_status("delivered"),
                "delivered",
                None
            )
            .await,
            Err(StoreError::NotFound)
        ),
        "a gateway's id names a reply of that gateway only"
    );
    let after = s
        .reply_status(
            Gateway::Twilio,
            "SM0001",
            twilio_status("delivered", None),
            "delivered",
            None,
        )
        .await
        .expect("delivered");
    assert_eq!(after, DeliveryStatus::Delivered);
    let after = s
        .reply_status(
            Gateway::Twilio,
            "SM0001",
            twilio_status("sent", None),
            "sent",
            None,
        )
        .await
        .expect("late sent");
    assert_eq!(
        after,
        DeliveryStatus::Delivered,
        "a late 'sent' changes nothing"
    );
    let after = s
        .reply_status(
            Gateway::Twilio,
            "SM0001",
            twilio_status("failed", Some(30008)),
            "failed",
            Some("30008"),
        )
        .await
        .expect("late failed");
    assert_eq!(after, DeliveryStatus::Delivered, "a final state is final");
    let view = s.get_report(&intake, report).await.expect("read");
    assert_eq!(delivery(&view)[1], Some(DeliveryStatus::Delivered));

    // The history keeps every change, with codes and no personal data.
    let history = s.reply_history(op.authority(), &id).await.expect("history");
    let words: Vec<&str> = history.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(words, vec!["queued", "sent", "delivered", "sent", "failed"]);
    assert_eq!(history[4].error_code.as_deref(), Some("30008"));
    assert_eq!(history[4].source, "callback");
    let audit: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, outcome FROM audit_events WHERE action LIKE 'report.reply%' ORDER BY seq",
    )
    .fetch_all(op.unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(
        audit,
        vec![
            (
                "report.reply_sent".to_string(),
                "sent attempts=1".to_string()
            ),
            ("report.reply_status".to_string(), "delivered".to_string())
        ]
    );
}

#[tokio::test]
async fn a_reply_is_claimed_once_sent_and_followed_by_callbacks() {
    on_every_backend!(send_and_follow);
}

async fn retries(s: Store) {
    let clock = Clock::fixed(passage_store::now_ms());
    let s = s.with_clock(clock.clone());
    let op = s.operator("test");
    let intake = desk(&s).await;
    let report = replied(&s, &intake, "rapidpro", "whatsapp:250788000111", "Hello").await;
    let mut last_retry = 0;
    for attempt in 1..=MAX_ATTEMPTS {
        let due = s
            .claim_due_replies(op.authority(), 10)
            .await
            .expect("claim");
        assert_eq!(due.len(), 1, "attempt {attempt}");
        assert_eq!(due[0].attempts, attempt - 1);
        let now = clock.now_ms();
        match s
            .reply_not_sent(&due[0].id, "http_503")
            .await
            .expect("failed")
        {
            Retry::At(at) => {
                assert!(attempt < MAX_ATTEMPTS);
                assert!(at > now && at - now <= passage_core::messages::MAX_DELAY_MS);
                assert!(at - now >= last_retry / 2, "the delay grows: {attempt}");
                last_retry = at - now;
                // Not due before its time.
                clock.advance(at - now - 1);
                assert!(
                    s.claim_due_replies(op.authority(), 10)
                        .await
                        .expect("claim")
                        .is_empty()
                );
                clock.advance(1);
            }
            Retry::GiveUp => assert_eq!(attempt, MAX_ATTEMPTS),
        }
    }
    let replies = s.replies_of(op.authority(), report).await.expect("replies");
    assert_eq!(replies.len(), 1);
    assert_eq!(
        (
            replies[0].1.status,
            replies[0].1.reason,
            replies[0].1.attempts
        ),
        (
            DeliveryStatus::Failed,
            Some(FailureReason::GaveUp),
            MAX_ATTEMPTS
        )
    );
    let view = s.get_report(&intake, report).await.expect("read");
    let shown = view.messages[1].delivery.expect("delivery");
    assert_eq!(
        (shown.status, shown.reason, shown.attempts),
        (
            DeliveryStatus::Failed,
            Some(FailureReason::GaveUp),
            MAX_ATTEMPTS
        )
    );
    clock.advance(passage_core::messages::MAX_DELAY_MS * 2);
    assert!(
        s.claim_due_replies(op.authority(), 10)
            .await
            .expect("claim")
            .is_empty(),
        "a reply given up is never tried again"
    );
}

#[tokio::test]
async fn passing_failures_back_off_and_end_in_given_up() {
    on_every_backend!(retries);
}

async fn permanent(s: Store) {
    let op = s.operator("test");
    let intake = desk(&s).await;
    let report = replied(&s, &intake, "twilio", NUMBER, "Hello").await;
    let other = replied(&s, &intake, "twilio", "+447700900555", "Hi").await;
    let due = s
        .claim_due_replies(op.authority(), 10)
        .await
        .expect("claim");
    assert_eq!(due.len(), 2);
    let by_report = |r: Uuid| {
        due.iter()
            .find(|d| d.report_id == r)
            .map(|d| d.id.clone())
            .expect("claimed")
    };
    s.reply_failed(
        &by_report(report),
        FailureReason::NumberCannotReceive,
        "twilio_21211",
        true,
    )
    .await
    .expect("failed");
    s.reply_failed(
        &by_report(other),
        FailureReason::GatewayNotConfigured,
        "gateway_not_configured",
        false,
    )
    .await
    .expect("failed");
    let shown = s.get_report(&intake, report).await.expect("read").messages[1]
        .delivery
        .expect("delivery");
    assert_eq!(
        (shown.status, shown.reason, shown.attempts),
        (
            DeliveryStatus::Failed,
            Some(FailureReason::NumberCannotReceive),
            1
        )
    );
    let shown = s.get_report(&intake, other).await.expect("read").messages[1]
        .delivery
        .expect("delivery");
    assert_eq!(
        (shown.status, shown.reason, shown.attempts),
        (
            DeliveryStatus::Failed,
            Some(FailureReason::GatewayNotConfigured),
            0
        ),
        "nothing was sent"
    );
    assert!(matches!(
        s.reply_not_sent(&by_report(report), "http_503").await,
        Err(StoreError::NotFound)
    ));
    // The thread's JSON names the state and the reason.
    let json =
        serde_json::to_value(s.get_report(&intake, report).await.expect("read")).expect("json");
    assert_eq!(json["messages"][1]["delivery"]["status"], "failed");
    assert_eq!(
        json["messages"][1]["delivery"]["reason"],
        "number_cannot_receive"
    );
    assert!(json["messages"][0].get("delivery").is_none());
}

#[tokio::test]
async fn a_permanent_failure_is_kept_with_its_reason() {
    on_every_backend!(permanent);
}

async fn purge(s: Store) {
    let clock = Clock::fixed(passage_store::now_ms());
    let s = s.with_clock(clock.clone());
    let op = s.operator("test");
    let intake = desk(&s).await;
    let sent = replied(&s, &intake, "twilio", NUMBER, "One").await;
    let due = s
        .claim_due_replies(op.authority(), 10)
        .await
        .expect("claim");
    s.reply_sent(&due[0].id, "SM1").await.expect("sent");
    let waiting = replied(&s, &intake, "twilio", "+447700900777", "Two").await;
    // A webhook notice delivered, one still pending.
    for (id, status) in [("w-done", "delivered"), ("w-wait", "pending")] {
        sqlx::query(
            "INSERT INTO webhook_outbox (id, kind, payload, status, attempts, created_at, next_at, last_at) \
             VALUES ($1, 'emergency', '{}', $2, 1, $3, $3, $3)",
        )
        .bind(id)
        .bind(status)
        .bind(clock.now_ms())
        .execute(op.unsafe_raw_pool())
        .await
        .expect("outbox");
    }
    assert_eq!(
        s.purge_delivery_records(30).await.expect("purge"),
        passage_store::delivery_retention::DeliveryPurged::default(),
        "nothing is old enough yet"
    );
    clock.advance(31 * 86_400_000);
    let purged = s.purge_delivery_records(30).await.expect("purge");
    assert_eq!((purged.replies, purged.webhooks), (1, 1));
    assert!(
        s.replies_of(op.authority(), sent)
            .await
            .expect("r")
            .is_empty()
    );
    assert_eq!(
        s.replies_of(op.authority(), waiting)
            .await
            .expect("r")
            .len(),
        1,
        "a reply still on its way is kept"
    );
    let left: Vec<(String,)> = sqlx::query_as("SELECT id FROM webhook_outbox ORDER BY id")
        .fetch_all(op.unsafe_raw_pool())
        .await
        .expect("outbox");
    assert_eq!(left, vec![("w-wait".to_string(),)]);
    let events: Vec<(String,)> =
        sqlx::query_as("SELECT outbound_id FROM outbound_message_events WHERE outbound_id = $1")
            .bind(&due[0].id)
            .fetch_all(op.unsafe_raw_pool())
            .await
            .expect("events");
    assert!(events.is_empty(), "the history goes with the reply");
    // The staff message stays in the thread, without a delivery state.
    let view = s.get_report(&intake, sent).await.expect("read");
    assert_eq!(view.messages.len(), 2);
    assert!(view.messages[1].delivery.is_none());
    let audit: Vec<(String,)> =
        sqlx::query_as("SELECT outcome FROM audit_events WHERE action = 'delivery.purge'")
            .fetch_all(op.unsafe_raw_pool())
            .await
            .expect("audit");
    assert_eq!(audit, vec![("deleted replies=1 webhooks=1".to_string(),)]);
}

#[tokio::test]
async fn finished_delivery_records_are_purged_after_the_retention_time() {
    on_every_backend!(purge);
}
