//! Notifications of a referral's events on every backend (issue 14 items 2 and 8): each event
//! writes the inbox rows of the users told and of nobody else, a user marks only their own
//! notifications read, the overdue reminder comes once and only after the service's answer
//! time, and neither a notification nor a webhook notice carries the person's name or the note.

use crate::common::*;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::notifications::NotificationKind as Kind;
use passage_core::referrals::ReferralStatus;
use passage_core::{Country, OrgKind, Role};
use passage_store::casework::referrals::NewReferral;
use passage_store::{Actor, Clock, Store, StoreError};
use uuid::Uuid;

const HOUR: i64 = 3_600_000;

async fn org(s: &Store, name: &str, kind: OrgKind) -> Uuid {
    s.create_organisation(
        s.operator("test").authority(),
        name,
        kind,
        Country::parse("GB").expect("GB"),
    )
    .await
    .expect("org")
    .id
}

/// A directory entry of `org` (who may offer entries is the directory's own suite).
async fn service(s: &Store, org: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Night shelter', 'shelter', 'GB', 'any', 'adults', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

async fn consent(s: &Store, actor: &Actor, case: Uuid, org: Uuid) -> Uuid {
    let person = s.get_case(actor, case).await.expect("case").person.id;
    s.record_consent(
        actor,
        person,
        NewConsent {
            purpose: ConsentPurpose::Referral,
            organisation_id: Some(org),
            basis: LegalBasis::Consent,
            method: Some(ConsentMethod::Written),
            language: None,
            reason: None,
        },
    )
    .await
    .expect("consent")
}

const NOTE: &str = "Arrives tonight with two children.";

fn referral(service: Uuid) -> NewReferral {
    NewReferral {
        service_id: service,
        purpose: ConsentPurpose::Referral,
        shared_fields: Vec::new(),
        note: Some(NOTE.into()),
        protection_need_id: None,
    }
}

/// The kinds in a user's inbox, newest first, with the referral and other organisation.
async fn kinds(s: &Store, who: &Actor) -> Vec<(Kind, Uuid, Uuid)> {
    s.inbox(who)
        .await
        .expect("inbox")
        .notifications
        .into_iter()
        .map(|n| (n.kind, n.referral_id, n.organisation_id))
        .collect()
}

struct Net {
    w: World,
    house: Uuid,
    /// A caseworker of the receiving organisation: told of what arrives.
    staff: Actor,
    /// Its administrator without a case role: not told.
    house_admin: Actor,
    /// A third organisation's caseworker: never told.
    outsider: Actor,
    place: Uuid,
    case: Uuid,
    basis: Uuid,
}

async fn net(s: &Store, hours: i64) -> Net {
    let w = world(s).await;
    let house = org(s, "House", OrgKind::ServiceProvider).await;
    let third = org(s, "Third", OrgKind::Ngo).await;
    let staff = user(s, house, "staff@house.test", &[Role::Caseworker]).await;
    let house_admin = user(s, house, "admin@house.test", &[Role::OrgAdmin]).await;
    let outsider = user(s, third, "staff@third.test", &[Role::Caseworker]).await;
    let place = service(s, house).await;
    if hours != 72 {
        s.set_answer_hours(&house_admin, place, hours)
            .await
            .expect("answer time");
    }
    let case = open_case(s, &w.worker, "Joy", "Reyes", Some("irregular")).await;
    let basis = consent(s, &w.worker, case, house).await;
    Net {
        w,
        house,
        staff,
        house_admin,
        outsider,
        place,
        case,
        basis,
    }
}

async fn each_event_tells_the_right_users_and_nobody_else(s: Store) {
    let n = net(&s, 72).await;
    let w = &n.w;
    let id = s
        .create_referral(&w.worker, n.case, referral(n.place))
        .await
        .expect("sent");
    let sent = s.referral(&w.worker, id).await.expect("read");
    assert_eq!(
        sent.answer_due,
        sent.sent_at + 72 * HOUR,
        "72 hours unless set"
    );
    assert_eq!(
        kinds(&s, &n.staff).await,
        vec![(Kind::ReferralReceived, id, w.shelter)]
    );
    assert_eq!(s.inbox(&n.staff).await.expect("inbox").unread, 1);
    for nobody in [
        &n.house_admin,
        &n.outsider,
        &w.worker,
        &w.supervisor,
        &w.officer,
        &w.consul,
    ] {
        assert!(kinds(&s, nobody).await.is_empty(), "{:?}", nobody.user_id());
    }

    s.answer_referral(&n.staff, id, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    let answered = vec![(Kind::ReferralAnswered, id, n.house)];
    assert_eq!(kinds(&s, &w.worker).await, answered, "the sender is told");
    assert_eq!(
        kinds(&s, &w.supervisor).await,
        answered,
        "and their supervisor"
    );
    assert!(
        kinds(&s, &w.colleague).await.is_empty(),
        "not every colleague"
    );
    assert_eq!(
        kinds(&s, &n.staff).await.len(),
        1,
        "nothing new for the receiver"
    );

    let person = s.get_case(&w.worker, n.case).await.expect("case").person.id;
    s.withdraw_consent(&w.worker, person, n.basis, None)
        .await
        .expect("withdrawn");
    let staff = kinds(&s, &n.staff).await;
    assert_eq!(
        staff[0],
        (Kind::ReferralWithdrawn, id, w.shelter),
        "newest first"
    );
    assert_eq!(staff.len(), 2);
    for nobody in [&n.outsider, &w.officer, &n.house_admin] {
        assert!(kinds(&s, nobody).await.is_empty());
    }
}

async fn only_my_own_notification_is_marked_read(s: Store) {
    let n = net(&s, 72).await;
    s.create_referral(&n.w.worker, n.case, referral(n.place))
        .await
        .expect("sent");
    let mine = s.inbox(&n.staff).await.expect("inbox").notifications[0].id;
    for other in [&n.house_admin, &n.outsider, &n.w.officer] {
        assert!(matches!(
            s.mark_notification_read(other, mine).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.mark_notification_read(&n.staff, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.unread_notifications(&n.staff).await.expect("count"), 1);
    s.mark_notification_read(&n.staff, mine)
        .await
        .expect("read");
    let inbox = s.inbox(&n.staff).await.expect("inbox");
    assert_eq!(inbox.unread, 0);
    assert!(inbox.notifications[0].read_at.is_some());
}

async fn the_overdue_reminder_comes_once_after_the_answer_time(s: Store) {
    let clock = Clock::fixed(passage_store::now_ms());
    let s = s.with_clock(clock.clone());
    let n = net(&s, 24).await;
    let id = s
        .create_referral(&n.w.worker, n.case, referral(n.place))
        .await
        .expect("sent");
    let sent = s.referral(&n.w.worker, id).await.expect("read");
    assert_eq!(
        sent.answer_due,
        sent.sent_at + 24 * HOUR,
        "the service's answer time"
    );

    s.register_webhook(&n.house_admin, "https://hooks.house.example/p")
        .await
        .expect("endpoint");
    s.register_webhook(&n.w.org_admin, "https://hooks.shelter.example/p")
        .await
        .expect("endpoint");
    clock.advance(24 * HOUR - 60_000);
    assert_eq!(
        s.remind_overdue_referrals().await.expect("sweep"),
        0,
        "not yet due"
    );
    clock.advance(60_000);
    assert_eq!(s.remind_overdue_referrals().await.expect("sweep"), 1);
    assert_eq!(
        s.remind_overdue_referrals().await.expect("sweep"),
        0,
        "once only"
    );
    clock.advance(48 * HOUR);
    assert_eq!(
        s.remind_overdue_referrals().await.expect("sweep"),
        0,
        "still once"
    );

    let overdue: Vec<(String,)> = sqlx::query_as(
        "SELECT org_id FROM webhook_outbox WHERE kind = 'referral_overdue' ORDER BY org_id",
    )
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("outbox");
    let mut both = vec![(n.house.to_string(),), (n.w.shelter.to_string(),)];
    both.sort();
    assert_eq!(overdue, both, "one notice to each side, once");
    assert_eq!(
        kinds(&s, &n.staff).await[0],
        (Kind::ReferralOverdue, id, n.w.shelter)
    );
    assert_eq!(
        kinds(&s, &n.w.worker).await,
        vec![(Kind::ReferralOverdue, id, n.house)]
    );
    assert!(kinds(&s, &n.outsider).await.is_empty());
    assert!(kinds(&s, &n.w.officer).await.is_empty());

    // An answered referral is never overdue.
    let case = open_case(&s, &n.w.worker, "Ana", "Cruz", None).await;
    consent(&s, &n.w.worker, case, n.house).await;
    let answered = s
        .create_referral(&n.w.worker, case, referral(n.place))
        .await
        .expect("sent");
    s.answer_referral(
        &n.staff,
        answered,
        ReferralStatus::Declined,
        Some("full".into()),
    )
    .await
    .expect("declined");
    clock.advance(25 * HOUR);
    assert_eq!(s.remind_overdue_referrals().await.expect("sweep"), 0);
}

async fn no_notice_carries_the_persons_name_or_the_note(s: Store) {
    let n = net(&s, 72).await;
    let house_hook = s
        .register_webhook(&n.house_admin, "https://hooks.house.example/passage")
        .await
        .expect("registered");
    assert_eq!(house_hook.secret.len(), 64);
    let shelter_hook = s
        .register_webhook(&n.w.org_admin, "http://127.0.0.1:9/hook")
        .await
        .expect("registered");
    let id = s
        .create_referral(&n.w.worker, n.case, referral(n.place))
        .await
        .expect("sent");
    s.answer_referral(
        &n.staff,
        id,
        ReferralStatus::Declined,
        Some("No beds for Joy Reyes".into()),
    )
    .await
    .expect("declined");
    let pool = s.operator("test").unsafe_raw_pool();
    let outbox: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT kind, payload, org_id FROM webhook_outbox ORDER BY created_at, id")
            .fetch_all(pool)
            .await
            .expect("outbox");
    assert_eq!(
        outbox
            .iter()
            .map(|(k, _, o)| (k.as_str(), o.clone()))
            .collect::<Vec<_>>(),
        vec![
            ("referral_received", Some(n.house.to_string())),
            ("referral_answered", Some(n.w.shelter.to_string())),
        ]
    );
    let body: serde_json::Value = serde_json::from_str(&outbox[0].1).expect("json");
    assert_eq!(body["event"], "referral_received");
    assert_eq!(body["referral_id"], id.to_string());
    assert_eq!(body["organisation_id"], n.w.shelter.to_string());
    assert_eq!(body.as_object().map(|o| o.len()), Some(4), "{body}");
    let notes: Vec<(String, String, String)> =
        sqlx::query_as("SELECT kind, referral_id, other_org FROM notifications")
            .fetch_all(pool)
            .await
            .expect("notifications");
    assert!(!notes.is_empty());
    let mut text: String = outbox
        .iter()
        .map(|(k, p, _)| format!("{k} {p}\n"))
        .collect();
    text += &notes
        .iter()
        .map(|(a, b, c)| format!("{a} {b} {c}\n"))
        .collect::<String>();
    for secret in [
        "Joy",
        "Reyes",
        "Arrives tonight",
        "children",
        "irregular",
        "No beds",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // The delivery task finds each organisation's own endpoint and secret.
    let target = s
        .webhook_target(&n.house.to_string())
        .await
        .expect("target")
        .expect("registered");
    assert_eq!(target.url, "https://hooks.house.example/passage");
    assert_eq!(target.secret, house_hook.secret);
    assert_ne!(target.secret, shelter_hook.secret);
}

async fn an_endpoint_is_its_organisations_admins_alone(s: Store) {
    let n = net(&s, 72).await;
    let w = &n.w;
    for (who, url) in [
        (&n.staff, "https://hooks.example.org/x"),
        (&w.officer, "https://hooks.example.org/x"),
    ] {
        assert!(matches!(
            s.register_webhook(who, url).await,
            Err(StoreError::Forbidden(_))
        ));
    }
    for bad in ["http://hooks.example.org/x", "ftp://x", "https://"] {
        assert!(matches!(
            s.register_webhook(&n.house_admin, bad).await,
            Err(StoreError::Invalid(_))
        ));
    }
    let hook = s
        .register_webhook(&n.house_admin, "https://hooks.house.example/p")
        .await
        .expect("registered");
    assert!(
        s.webhook_endpoint(&w.org_admin)
            .await
            .expect("own")
            .is_none(),
        "another organisation's admin sees only its own"
    );
    assert!(matches!(
        s.delete_webhook(&w.org_admin, hook.endpoint.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.webhook_endpoint(&n.house_admin).await.expect("own"),
        Some(hook.endpoint.clone())
    );
    s.create_referral(&w.worker, n.case, referral(n.place))
        .await
        .expect("sent");
    let log = s.webhook_log(&n.house_admin).await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].event, "referral_received");
    assert_eq!(log[0].status, "pending");
    assert!(s.webhook_log(&w.org_admin).await.expect("log").is_empty());
    // Given up after the last attempt, the notice shows as dead to the admins.
    let claimed = s
        .claim_due_org_webhooks(i64::MAX / 4, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].org_id, Some(n.house.to_string()));
    for i in 0..passage_store::outbox::MAX_ATTEMPTS {
        s.mark_webhook_failed_as(&claimed[0].id, i, "status 503")
            .await
            .expect("failed");
    }
    let log = s.webhook_log(&n.house_admin).await.expect("log");
    assert_eq!(log[0].status, "dead");
    assert_eq!(log[0].last_result.as_deref(), Some("status 503"));
    assert_eq!(s.dead_webhooks(&n.house_admin).await.expect("dead"), 1);
    // Another organisation's administrator requeues nothing of it; a caseworker may not.
    assert_eq!(s.retry_dead_webhooks(&w.org_admin).await.expect("retry"), 0);
    assert!(matches!(
        s.retry_dead_webhooks(&n.staff).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(s.dead_webhooks(&n.house_admin).await.expect("dead"), 1);
    assert_eq!(
        s.retry_dead_webhooks(&n.house_admin).await.expect("retry"),
        1
    );
    assert_eq!(s.dead_webhooks(&n.house_admin).await.expect("dead"), 0);
    let log = s.webhook_log(&n.house_admin).await.expect("log");
    assert_eq!((log[0].status.as_str(), log[0].attempts), ("pending", 0));
    s.delete_webhook(&n.house_admin, hook.endpoint.id)
        .await
        .expect("deleted");
    assert!(
        s.webhook_endpoint(&n.house_admin)
            .await
            .expect("own")
            .is_none()
    );
}

#[tokio::test]
async fn each_event_tells_the_right_users_and_nobody_else_on_every_backend() {
    on_every_backend!(each_event_tells_the_right_users_and_nobody_else);
}

#[tokio::test]
async fn only_my_own_notification_is_marked_read_on_every_backend() {
    on_every_backend!(only_my_own_notification_is_marked_read);
}

#[tokio::test]
async fn the_overdue_reminder_comes_once_after_the_answer_time_on_every_backend() {
    on_every_backend!(the_overdue_reminder_comes_once_after_the_answer_time);
}

#[tokio::test]
async fn no_notice_carries_the_persons_name_or_the_note_on_every_backend() {
    on_every_backend!(no_notice_carries_the_persons_name_or_the_note);
}

#[tokio::test]
async fn an_endpoint_is_its_organisations_admins_alone_on_every_backend() {
    on_every_backend!(an_endpoint_is_its_organisations_admins_alone);
}
