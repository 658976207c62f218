//! Handing a report in triage over to another organisation (issue 14), on every backend, with
//! the attacks written as tests: what the sender, a third organisation and immigration
//! enforcement learn; two staff racing; the reporter's follow-up across the move.

use crate::common::*;
use passage_core::reports::RawPublicReport;
use passage_core::{Channel, Country, ErrorCode, OrgKind, ReportStatus, Role};
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

struct Net {
    hotline: Uuid,
    inspectorate: Uuid,
    intake: Actor,
    hotline_super: Actor,
    inspector: Actor,
    w: World,
}

async fn net(s: &Store) -> Net {
    let w = world(s).await;
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let hotline = s
        .create_organisation(op.authority(), "Hotline", OrgKind::Hotline, gb)
        .await
        .expect("org")
        .id;
    let inspectorate = s
        .create_organisation(
            op.authority(),
            "Inspectorate",
            OrgKind::LabourInspectorate,
            gb,
        )
        .await
        .expect("org")
        .id;
    Net {
        hotline,
        inspectorate,
        intake: user(s, hotline, "intake@h.test", &[Role::Intake]).await,
        hotline_super: user(s, hotline, "super@h.test", &[Role::Supervisor]).await,
        inspector: user(
            s,
            inspectorate,
            "inspector@l.test",
            &[Role::Inspector, Role::Intake],
        )
        .await,
        w,
    }
}

/// A public report at the hotline (the fallback of routing): its id and receipt.
async fn reported(s: &Store, n: &Net) -> (Uuid, String) {
    let report = RawPublicReport {
        language: "es".into(),
        category: "unpaid_wages".into(),
        narrative: "No me pagan desde marzo".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    let receipt = s
        .submit_public_report(report, Channel::WebForm)
        .await
        .expect("submit");
    let queue = s.list_reports(&n.intake, None, 50).await.expect("queue");
    let id = queue.last().expect("a report at the hotline").id;
    (id, receipt)
}

fn field_code(e: StoreError) -> Option<ErrorCode> {
    match e {
        StoreError::Invalid(p) => p.0.first().map(|f| f.code),
        _ => None,
    }
}

async fn sender_loses_the_report_at_once(s: Store) {
    let n = net(&s).await;
    let (id, _) = reported(&s, &n).await;
    s.acknowledge_report(&n.intake, id).await.expect("ack");
    let moved = s
        .hand_over_report(
            &n.intake,
            id,
            n.inspectorate,
            said("Wage theft: the inspectorate's remit"),
        )
        .await
        .expect("hand over");
    assert_eq!(moved.organisation_id, n.inspectorate);
    assert_eq!(moved.organisation_name, "Inspectorate");

    // The sender: not found for every read and every action, and a stub only.
    for who in [&n.intake, &n.hotline_super] {
        assert!(matches!(
            s.get_report(who, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.report_handovers(who, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.staff_message(who, id, said("hello")).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            s.list_reports(who, None, 50)
                .await
                .expect("queue")
                .is_empty()
        );
        assert!(
            s.triage_queue(who, None, 50)
                .await
                .expect("triage")
                .is_empty()
        );
    }
    let stubs = s.handed_over_reports(&n.intake, 50).await.expect("stubs");
    assert_eq!(stubs.len(), 1);
    assert_eq!(stubs[0].report_id, id);
    assert_eq!(stubs[0].to_organisation, "Inspectorate");
    let json = serde_json::to_string(&stubs).expect("json");
    assert!(!json.contains("marzo") && !json.contains("remit"), "{json}");

    // The receiver: the report as new, with a fresh deadline, and who handed it over and why.
    let view = s
        .get_report(&n.inspector, id)
        .await
        .expect("receiver reads");
    assert_eq!(view.item.status, ReportStatus::New);
    assert!(view.item.due_at >= moved.at);
    assert_eq!(view.narrative, "No me pagan desde marzo");
    let records = s.report_handovers(&n.inspector, id).await.expect("records");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].from_organisation, "Hotline");
    assert_eq!(records[0].reason, "Wage theft: the inspectorate's remit");
    let triage = s
        .triage_queue(&n.inspector, None, 50)
        .await
        .expect("triage");
    assert_eq!(triage.len(), 1);
    assert_eq!(triage[0].handed_over_by.as_deref(), Some("Hotline"));
    // The receiver may hand it on, but not back to where it is.
    assert_eq!(
        field_code(
            s.hand_over_report(&n.inspector, id, n.inspectorate, said("again"))
                .await
                .expect_err("same")
        ),
        Some(ErrorCode::HandoverNotAllowed)
    );
}

#[tokio::test]
async fn the_sender_loses_read_access_at_once_and_keeps_only_a_stub() {
    on_every_backend!(sender_loses_the_report_at_once);
}

async fn third_party_learns_nothing(s: Store) {
    let n = net(&s).await;
    let (id, _) = reported(&s, &n).await;
    s.hand_over_report(&n.intake, id, n.inspectorate, said("remit"))
        .await
        .expect("hand over");
    // The shelter's supervisor reads reports of the shelter only.
    let third = &n.w.supervisor;
    assert!(matches!(
        s.get_report(third, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.report_handovers(third, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        s.handed_over_reports(third, 50)
            .await
            .expect("stubs")
            .is_empty()
    );
    assert!(
        s.list_reports(third, None, 50)
            .await
            .expect("queue")
            .is_empty()
    );
    // Trying to move it answers exactly as for a report that does not exist.
    let missing = Uuid::now_v7();
    for target in [n.hotline, n.w.shelter, n.w.immigration] {
        assert!(matches!(
            s.hand_over_report(third, id, target, said("mine now"))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.hand_over_report(third, missing, target, said("mine now"))
                .await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(s.get_report(&n.inspector, id).await.is_ok());
}

#[tokio::test]
async fn a_third_organisation_learns_nothing_of_a_hand_over() {
    on_every_backend!(third_party_learns_nothing);
}

async fn firewall(s: Store) {
    let n = net(&s).await;
    let (id, _) = reported(&s, &n).await;
    // The holder is refused by the firewall's own code; nothing moves.
    let e = s
        .hand_over_report(&n.intake, id, n.w.immigration, said("enforcement"))
        .await
        .expect_err("firewall");
    assert_eq!(field_code(e), Some(ErrorCode::ImmigrationFirewall));
    let e = s
        .hand_over_report(&n.intake, id, n.w.consulate, said("national"))
        .await
        .expect_err("consulate");
    assert_eq!(field_code(e), Some(ErrorCode::HandoverNotAllowed));
    assert!(s.get_report(&n.intake, id).await.is_ok());
    assert!(
        s.handed_over_reports(&n.intake, 50)
            .await
            .expect("stubs")
            .is_empty()
    );
    let targets = s.handover_targets(&n.intake, id).await.expect("targets");
    let names: Vec<_> = targets.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"Inspectorate") && names.contains(&"Shelter"),
        "{names:?}"
    );
    assert!(
        !targets
            .iter()
            .any(|t| [n.w.immigration, n.w.consulate, n.hotline].contains(&t.id)),
        "{names:?}"
    );
    // Immigration enforcement itself (every role) can neither move nor learn of the report,
    // and its answer is the same for a report that does not exist.
    for target in [n.inspectorate, n.w.immigration] {
        for report in [id, Uuid::now_v7()] {
            assert!(matches!(
                s.hand_over_report(&n.w.officer, report, target, said("ours"))
                    .await,
                Err(StoreError::NotFound)
            ));
        }
    }
    assert!(matches!(
        s.handover_targets(&n.w.officer, id).await,
        Err(StoreError::NotFound)
    ));
    // An unknown organisation and a missing reason write nothing either.
    let e = s
        .hand_over_report(&n.intake, id, Uuid::now_v7(), said("somewhere"))
        .await
        .expect_err("unknown");
    assert_eq!(field_code(e), Some(ErrorCode::UnknownOrganisation));
    assert!(s.get_report(&n.intake, id).await.is_ok());
}

#[tokio::test]
async fn immigration_enforcement_is_never_a_target_and_learns_nothing() {
    on_every_backend!(firewall);
}

async fn case_and_closed(s: Store) {
    let n = net(&s).await;
    let (with_case, _) = reported(&s, &n).await;
    s.open_case_from_report(&n.hotline_super, with_case)
        .await
        .expect("case");
    let e = s
        .hand_over_report(&n.intake, with_case, n.inspectorate, said("remit"))
        .await
        .expect_err("case");
    assert_eq!(field_code(e), Some(ErrorCode::AlreadyLinked));
    let (closed, _) = reported(&s, &n).await;
    s.close_report(&n.intake, closed, said("duplicate"))
        .await
        .expect("close");
    let e = s
        .hand_over_report(&n.intake, closed, n.inspectorate, said("remit"))
        .await
        .expect_err("closed");
    assert_eq!(field_code(e), Some(ErrorCode::HandoverNotAllowed));
    assert!(s.get_report(&n.inspector, with_case).await.is_err());
}

#[tokio::test]
async fn a_report_with_a_case_or_closed_stays_where_it_is() {
    on_every_backend!(case_and_closed);
}

async fn race(s: Store) {
    let n = net(&s).await;
    let (id, _) = reported(&s, &n).await;
    let (a, b) = tokio::join!(
        s.hand_over_report(&n.intake, id, n.inspectorate, said("inspectorate")),
        s.hand_over_report(&n.hotline_super, id, n.w.shelter, said("shelter")),
    );
    let wins = [a.is_ok(), b.is_ok()].iter().filter(|w| **w).count();
    assert_eq!(wins, 1, "{a:?} {b:?}");
    // The other learns only that the report is no longer its organisation's.
    assert!(
        matches!(a, Err(StoreError::NotFound)) || matches!(b, Err(StoreError::NotFound)),
        "{a:?} {b:?}"
    );
    let holder = if a.is_ok() {
        &n.inspector
    } else {
        &n.w.supervisor
    };
    assert!(s.get_report(holder, id).await.is_ok());
    assert_eq!(
        s.handed_over_reports(&n.intake, 50)
            .await
            .expect("stubs")
            .len(),
        1
    );
}

#[tokio::test]
async fn two_staff_handing_over_the_same_report_at_once_one_wins() {
    on_every_backend!(race);
}

async fn follow_up_across(s: Store) {
    let n = net(&s).await;
    let (id, receipt) = reported(&s, &n).await;
    s.staff_message(
        &n.intake,
        id,
        said("Gracias, lo pasamos a quien puede ayudar"),
    )
    .await
    .expect("message");
    s.hand_over_report(&n.intake, id, n.inspectorate, said("remit"))
        .await
        .expect("hand over");
    let f = s.follow_up(&receipt).await.expect("follow up");
    assert_eq!(f.messages.len(), 1);
    let json = serde_json::to_string(&f.messages).expect("json");
    assert!(
        !json.contains("Hotline") && !json.contains("Inspectorate"),
        "{json}"
    );
    s.reporter_message(&receipt, said("¿Quién me va a llamar?"))
        .await
        .expect("reporter");
    let view = s.get_report(&n.inspector, id).await.expect("receiver");
    assert_eq!(
        view.messages
            .last()
            .map(|m| (m.from.as_str(), m.body.as_str())),
        Some(("reporter", "¿Quién me va a llamar?"))
    );
    s.staff_message(&n.inspector, id, said("Un inspector le llamará"))
        .await
        .expect("reply");
    let f = s.follow_up(&receipt).await.expect("follow up");
    assert_eq!(
        f.messages.last().map(|m| m.body.as_str()),
        Some("Un inspector le llamará")
    );
    assert!(
        s.triage_queue(&n.intake, None, 50)
            .await
            .expect("q")
            .is_empty()
    );
}

#[tokio::test]
async fn the_reporters_follow_up_works_after_a_hand_over_and_reaches_the_receiver() {
    on_every_backend!(follow_up_across);
}

async fn emergency(s: Store) {
    let n = net(&s).await;
    let sla = passage_core::intake::Sla::default();
    let call = passage_core::reports::RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        categories: vec!["threats_violence".into()],
        narrative: "Workers locked in the packing plant".into(),
        immediate_danger: true,
        ..Default::default()
    }
    .validate()
    .expect("valid");
    let id = s
        .create_hotline_report(&n.intake, call, &sla)
        .await
        .expect("call");
    assert_eq!(
        s.open_alerts(&n.hotline_super).await.expect("alerts").len(),
        1
    );
    s.hand_over_report(
        &n.intake,
        id,
        n.inspectorate,
        said("Inspectorate on site tonight"),
    )
    .await
    .expect("hand over");
    // The alert nobody acknowledged goes with the report: the receiver is alerted, the
    // sender's banner no longer points at a report it cannot open.
    assert!(
        s.open_alerts(&n.hotline_super)
            .await
            .expect("alerts")
            .is_empty()
    );
    let theirs = s.open_alerts(&n.inspector).await.expect("alerts");
    assert_eq!(theirs.iter().map(|a| a.1).collect::<Vec<_>>(), vec![id]);
    let view = s.get_report(&n.inspector, id).await.expect("read");
    assert_eq!(view.item.status, ReportStatus::New);
}

#[tokio::test]
async fn an_unacknowledged_emergency_alerts_the_receiver_after_a_hand_over() {
    on_every_backend!(emergency);
}
