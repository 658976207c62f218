//! Intake on every backend: public submissions and follow-up, routing and the firewall, the
//! triage queue and its actions, gateway threading and idempotency.

use crate::common::*;
use passage_core::reports::{RawHotlineReport, RawPublicReport};
use passage_core::{Category, Channel, Country, OrgKind, ReportStatus, Role, Urgency};
use passage_store::reports::channels::Inbound;
use passage_store::{Store, StoreError};

struct Desk {
    intake: passage_store::Actor,
    supervisor: passage_store::Actor,
    w: World,
}

async fn desk(s: &Store) -> Desk {
    let w = world(s).await;
    let op = s.operator("test");
    let hotline = s
        .create_organisation(
            op.authority(),
            "Hotline",
            OrgKind::Hotline,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    Desk {
        intake: user(s, hotline, "intake@h.test", &[Role::Intake]).await,
        supervisor: user(s, hotline, "super@h.test", &[Role::Supervisor]).await,
        w,
    }
}

fn public(category: &str, narrative: &str) -> passage_core::reports::NewReport {
    RawPublicReport {
        language: "fr".into(),
        category: category.into(),
        narrative: narrative.into(),
        ..Default::default()
    }
    .validate()
    .expect("valid")
}

async fn public_door(s: Store) {
    let d = desk(&s).await;
    let receipt = s
        .submit_public_report(
            public("unpaid_wages", "Pas payé depuis trois mois"),
            Channel::WebForm,
        )
        .await
        .expect("submit");
    assert_eq!(receipt.len(), 16);
    assert!(receipt.bytes().all(|b| b.is_ascii_digit()));
    let f = s.follow_up(&receipt).await.expect("follow up");
    assert_eq!((f.status, f.messages.len()), ("received", 0));
    assert!(matches!(
        s.follow_up("0000000000000000").await,
        Err(StoreError::NotFound)
    ));

    // Routed to the hotline (the fallback): its intake staff see it, nobody else does.
    let queue = s
        .list_reports(&d.intake, Some(ReportStatus::New), 50)
        .await
        .expect("queue");
    assert_eq!(queue.len(), 1);
    let id = queue[0].id;
    assert!(
        s.list_reports(&d.w.supervisor, None, 50)
            .await
            .expect("other org")
            .is_empty()
    );
    assert!(matches!(
        s.get_report(&d.w.supervisor, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_reports(&d.w.officer, None, 50).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.get_report(&d.w.officer, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_reports(&d.w.worker, None, 50).await,
        Err(StoreError::Forbidden(_))
    ));

    // A conversation through the receipt.
    s.staff_message(&d.intake, id, said("Merci. Êtes-vous en sécurité ?"))
        .await
        .expect("staff message");
    s.reporter_message(&receipt, said("Oui, pour l'instant."))
        .await
        .expect("reporter message");
    let f = s.follow_up(&receipt).await.expect("follow up");
    assert_eq!(f.status, "in_progress");
    let from: Vec<&str> = f.messages.iter().map(|m| m.from.as_str()).collect();
    assert_eq!(from, vec!["staff", "reporter"]);
    let view = s
        .get_report(&d.supervisor, id)
        .await
        .expect("supervisor reads");
    assert_eq!(view.narrative, "Pas payé depuis trois mois");
    assert_eq!(view.messages.len(), 2);

    // Opening a case creates person and case in one step and links them.
    let case_id = s
        .open_case_from_report(&d.intake, id)
        .await
        .expect("open case");
    let case = s
        .get_case(&d.intake, case_id)
        .await
        .expect("case visible to the operator");
    assert_eq!(case.summary, "Pas payé depuis trois mois");
    assert_eq!(case.types, vec![passage_core::CaseType::LabourExploitation]);
    assert!(matches!(
        s.open_case_from_report(&d.intake, id).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        s.get_report(&d.intake, id)
            .await
            .expect("report")
            .item
            .status,
        ReportStatus::CaseOpened
    );
    s.close_report(&d.supervisor, id, said("case opened"))
        .await
        .expect("close");
    assert_eq!(
        s.follow_up(&receipt).await.expect("follow").status,
        "closed"
    );
}
#[tokio::test]
async fn the_public_door_and_the_triage_actions() {
    on_every_backend!(public_door);
}

async fn routing(s: Store) {
    let d = desk(&s).await;
    let op = s.operator("test");
    assert!(matches!(
        s.add_routing_rule(
            op.authority(),
            Some(Category::DetentionBorderAbuse),
            None,
            d.w.immigration
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    s.add_routing_rule(
        op.authority(),
        Some(Category::ChildInDanger),
        None,
        d.w.shelter,
    )
    .await
    .expect("rule");
    s.submit_public_report(
        public("child_in_danger", "Un enfant seul à la gare"),
        Channel::WebForm,
    )
    .await
    .expect("submit");
    s.submit_public_report(
        public("detention_border_abuse", "Frappé à la frontière"),
        Channel::WebForm,
    )
    .await
    .expect("submit");
    let shelter = s
        .list_reports(&d.w.supervisor, None, 50)
        .await
        .expect("shelter queue");
    assert_eq!(shelter.len(), 1);
    assert_eq!(
        shelter[0].urgency,
        Urgency::High,
        "a child in danger starts high"
    );
    assert_eq!(
        s.list_reports(&d.intake, None, 50)
            .await
            .expect("hotline")
            .len(),
        1
    );
}
#[tokio::test]
async fn routing_follows_rules_and_never_reaches_immigration() {
    on_every_backend!(routing);
}

async fn hotline(s: Store) {
    let d = desk(&s).await;
    let sla = s.intake_options().sla;
    let call = |danger: bool| RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        urgency: Some("low".into()),
        categories: vec!["threats_violence".into()],
        narrative: "Workers locked in a warehouse".into(),
        contact: Some("+44 7700 900123".into()),
        callback_consent: true,
        immediate_danger: danger,
        ..Default::default()
    };
    let low = s
        .create_hotline_report(&d.intake, call(false).validate().expect("valid"), &sla)
        .await
        .expect("call");
    let urgent = s
        .create_hotline_report(&d.intake, call(true).validate().expect("valid"), &sla)
        .await
        .expect("call");
    let queue = s
        .list_reports(&d.supervisor, None, 50)
        .await
        .expect("queue");
    assert_eq!(
        queue.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![urgent, low],
        "the emergency jumps the queue"
    );
    assert_eq!(queue[0].due_at - queue[0].received_at, 15 * 60_000);
    let alerts = s.open_alerts(&d.supervisor).await.expect("alerts");
    assert_eq!(alerts.iter().map(|a| a.1).collect::<Vec<_>>(), vec![urgent]);
    assert!(
        s.open_alerts(&d.w.supervisor)
            .await
            .expect("other org")
            .is_empty()
    );
    s.acknowledge_report(&d.supervisor, urgent)
        .await
        .expect("ack");
    assert!(
        s.open_alerts(&d.supervisor)
            .await
            .expect("alerts")
            .is_empty()
    );
    assert!(matches!(
        s.create_hotline_report(&d.w.officer, call(true).validate().expect("v"), &sla)
            .await,
        Err(StoreError::Forbidden(_))
    ));
}
#[tokio::test]
async fn hotline_calls_and_emergencies() {
    on_every_backend!(hotline);
}

async fn gateway(s: Store) {
    let d = desk(&s).await;
    let first = s
        .inbound_message(
            "twilio",
            "SM1",
            Channel::Sms,
            "+447700900123",
            "help, boss took passport",
        )
        .await
        .expect("in");
    let Inbound::NewReport(id) = first else {
        panic!("expected a new report, got {first:?}")
    };
    assert_eq!(
        s.inbound_message(
            "twilio",
            "SM1",
            Channel::Sms,
            "+447700900123",
            "help, boss took passport"
        )
        .await
        .expect("retry"),
        Inbound::Duplicate(id)
    );
    assert_eq!(
        s.inbound_message(
            "twilio",
            "SM2",
            Channel::Sms,
            "+447700900123",
            "I am in Leeds"
        )
        .await
        .expect("in"),
        Inbound::Threaded(id)
    );
    assert!(
        matches!(s.inbound_message("twilio", "SM3", Channel::Sms, "+447700900999", "hello").await.expect("in"), Inbound::NewReport(other) if other != id)
    );
    let view = s.get_report(&d.intake, id).await.expect("read");
    assert_eq!(view.messages.len(), 1);
    s.staff_message(&d.intake, id, said("We can help. Are you safe?"))
        .await
        .expect("reply");
    let queued = s
        .queued_replies(s.operator("test").authority())
        .await
        .expect("queue");
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (queued[0].2.as_str(), queued[0].3.as_str()),
        ("+447700900123", "We can help. Are you safe?")
    );
    // The phone number is not in the database in plaintext.
    let rows: Vec<(Option<Vec<u8>>, Option<String>)> =
        sqlx::query_as("SELECT sender, sender_tag FROM reports")
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("raw");
    assert!(
        !rows.is_empty(),
        "the gateway's reports are there to be read raw"
    );
    for (sender, tag) in rows {
        let sender = sender.expect("sealed sender");
        assert!(
            !sender.windows(6).any(|w| w == b"900123")
                && !tag.unwrap_or_default().contains("900123")
        );
    }
}
#[tokio::test]
async fn gateway_messages_thread_once_per_sender() {
    on_every_backend!(gateway);
}

async fn surge(s: Store) {
    let d = desk(&s).await;
    let before = s.intake_batches_committed();
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.submit_public_report(public("debt", &format!("report {i}")), Channel::WebForm)
                    .await
            })
        })
        .collect();
    let mut receipts = Vec::new();
    for t in tasks {
        receipts.push(t.await.expect("join").expect("acknowledged"));
    }
    receipts.sort();
    receipts.dedup();
    assert_eq!(receipts.len(), 40, "every receipt is distinct");
    // Committed together: forty submissions at once take fewer transactions than forty.
    let batches = s.intake_batches_committed() - before;
    assert!(
        (1..40).contains(&batches),
        "40 submissions in {batches} transactions"
    );
    for r in &receipts {
        assert_eq!(
            s.follow_up(r)
                .await
                .expect("every acknowledged receipt opens its report")
                .status,
            "received"
        );
    }
    assert_eq!(
        s.list_reports(&d.intake, None, 500)
            .await
            .expect("queue")
            .len(),
        40
    );
    assert!(s.verify_audit().await.expect("verify").is_ok());
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_commit_together_and_all_open() {
    on_every_backend!(surge);
}
