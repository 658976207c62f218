//! What the tired caseworker asked for (issue 13), on every backend: a needs assessment saved
//! as one (each domain its own version, only changed ones written, nothing kept when any is
//! refused), a rejection that needs a reason and shows it on the case (sealed at rest), a
//! task's due date that moves with the version read, attachments that carry a sealed
//! description and a document type, and a note's default confidentiality on a case about
//! violence.

use crate::common::*;
use passage_core::CaseStatus;
use passage_core::casework::changes::RawTransition;
use passage_core::casework::person::RawPersonChanges;
use passage_core::casework::{AttachmentKind, Confidentiality};
use passage_core::records::{RawCase, RawPerson};
use passage_store::casework::attachments::RawAttachmentDetails;
use passage_store::casework::needs::{AssessmentError, NeedInput};
use passage_store::casework::tasks::NewTask;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn need(domain: &str, urgency: &str, description: &str, version: Option<i64>) -> NeedInput {
    NeedInput {
        domain: domain.into(),
        urgency: urgency.into(),
        description: (!description.is_empty()).then(|| description.to_string()),
        met: false,
        version,
    }
}

async fn audit_count(s: &Store, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("audit count");
    n
}

/// The raw bytes of one column of one row, as the database holds them.
async fn raw(s: &Store, sql: &str, id: Uuid) -> Vec<u8> {
    let (b,): (Vec<u8>,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw column");
    b
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn an_assessment_saves_changed_domains_each_versioned_or_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let saved = s
        .save_assessment(
            &w.worker,
            case,
            vec![
                need("shelter", "high", "Sleeping outside", None),
                need("legal", "normal", "Unpaid wages", None),
            ],
        )
        .await
        .expect("saved");
    assert_eq!(saved.len(), 2);
    let versions = |needs: &[passage_store::casework::needs::Need]| {
        needs
            .iter()
            .map(|n| (n.domain.as_str().to_string(), n.version))
            .collect::<Vec<_>>()
    };
    let listed = s.list_needs(&w.worker, case).await.expect("needs");
    assert_eq!(
        versions(&listed),
        [("shelter".to_string(), 1), ("legal".to_string(), 1)]
    );

    // The same values again write nothing: no new version.
    let again = s
        .save_assessment(
            &w.worker,
            case,
            vec![
                need("shelter", "high", "Sleeping outside", Some(1)),
                need("legal", "high", "Unpaid wages", Some(1)),
            ],
        )
        .await
        .expect("saved");
    assert_eq!(versions(&again), [("legal".to_string(), 2)]);

    // A stale version on one domain refuses the whole assessment, naming that domain.
    let refused = s
        .save_assessment(
            &w.worker,
            case,
            vec![
                need("health", "low", "Asthma", None),
                need("legal", "low", "Changed", Some(1)),
            ],
        )
        .await;
    match refused {
        Err(AssessmentError::Domains(d)) => {
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].0, "legal");
            assert!(matches!(d[0].1, StoreError::VersionConflict { current: 2 }));
        }
        other => panic!("expected a refused domain, got {other:?}"),
    }
    let listed = s.list_needs(&w.worker, case).await.expect("needs");
    assert!(
        !listed.iter().any(|n| n.domain.as_str() == "health"),
        "nothing of a refused assessment is kept"
    );

    // Invalid input is refused per domain before anything is written.
    let invalid = s
        .save_assessment(
            &w.worker,
            case,
            vec![
                need("family", "", "Sister in Lyon", None),
                need("education", "low", "", None),
            ],
        )
        .await;
    match invalid {
        Err(AssessmentError::Domains(d)) => {
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].0, "family");
        }
        other => panic!("expected a refused domain, got {other:?}"),
    }
    assert_eq!(s.list_needs(&w.worker, case).await.expect("needs").len(), 2);
    // Out of reach, nothing at all.
    assert!(matches!(
        s.save_assessment(&w.officer, case, vec![need("health", "low", "", None)])
            .await,
        Err(AssessmentError::Store(StoreError::NotFound))
    ));
}

/// A child's case whose closing waits for the supervisor; answers (case, approval).
async fn child_closing(s: &Store, w: &World) -> (Uuid, Uuid) {
    let case = open_case(s, &w.worker, "Aisha", "Bello", None).await;
    let person = s.get_case(&w.worker, case).await.expect("case").person.id;
    let vulns = RawPersonChanges {
        version: Some(1),
        vulnerabilities: Some(Some(vec!["child".into()])),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, person, vulns)
        .await
        .expect("vulnerability");
    let close = RawTransition {
        to: "closed".into(),
        reason: Some("Placed with her aunt".into()),
        outcome: Some("other".into()),
        version: None,
    }
    .validate()
    .expect("valid");
    assert!(s.transition(&w.worker, case, close).await.is_err());
    let pending = s.list_approvals(&w.supervisor).await.expect("approvals");
    assert_eq!(pending.len(), 1);
    assert!(
        pending[0].child,
        "the request says it closes a child's case"
    );
    (case, pending[0].id)
}

async fn a_rejection_needs_a_reason_that_is_sealed_and_shown_on_the_case(s: Store) {
    let w = world(&s).await;
    let (case, approval) = child_closing(&s, &w).await;
    for blank in ["", "   "] {
        match s.reject(&w.supervisor, approval, rejected(blank)).await {
            Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "reason"),
            other => panic!("expected a missing reason, got {other:?}"),
        }
    }
    assert_eq!(
        s.list_approvals(&w.supervisor)
            .await
            .expect("approvals")
            .len(),
        1,
        "nothing rejected without a reason"
    );
    let reason = "Wait for the guardian's assessment";
    assert_eq!(
        s.reject(&w.supervisor, approval, rejected(reason))
            .await
            .expect("rejected"),
        case
    );
    let c = s.get_case(&w.worker, case).await.expect("case");
    assert_eq!(c.status, CaseStatus::Open);
    let shown = c
        .lifecycle
        .close_rejected
        .expect("the rejection is on the case");
    assert_eq!(shown.reason, reason);
    assert_eq!(shown.by, "super@s.test");
    let sealed = raw(
        &s,
        "SELECT decision_reason FROM approvals WHERE id = $1",
        approval,
    )
    .await;
    assert!(
        !sealed.is_empty() && !contains(&sealed, "guardian"),
        "sealed at rest"
    );

    // A new request hides the old rejection while it waits.
    let close = RawTransition {
        to: "closed".into(),
        reason: Some("Aunt's home visited".into()),
        outcome: Some("other".into()),
        version: None,
    }
    .validate()
    .expect("valid");
    assert!(s.transition(&w.worker, case, close).await.is_err());
    let c = s.get_case(&w.worker, case).await.expect("case");
    assert!(c.lifecycle.close_pending_approval);
    assert_eq!(c.lifecycle.close_rejected, None);
}

async fn a_due_date_moves_with_the_version_read(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let task = s
        .create_task(
            &w.worker,
            case,
            NewTask {
                title: "Call the inspector".into(),
                assignee: None,
                due_on: "2099-01-10".into(),
            },
        )
        .await
        .expect("task");
    let moved = s
        .reschedule_task(&w.worker, task.id, valid_day("2001-02-03"), task.version)
        .await
        .expect("moved");
    assert_eq!(moved.due_on.as_deref(), Some("2001-02-03"));
    assert_eq!(moved.version, task.version + 1);
    assert!(moved.overdue);
    assert_eq!(audit_count(&s, "task.reschedule").await, 1);
    assert!(matches!(
        s.reschedule_task(&w.worker, task.id, valid_day("2099-05-05"), task.version)
            .await,
        Err(StoreError::VersionConflict { .. })
    ));
    // A date that is not one never reaches the store: the edge's validation refuses it.
    assert!(passage_core::casework::calendar::required_date("due_on", "next week").is_err());
    assert!(matches!(
        s.reschedule_task(&w.officer, task.id, valid_day("2099-05-05"), moved.version)
            .await,
        Err(StoreError::NotFound)
    ));
    let done = s
        .complete_task(&w.worker, task.id, moved.version)
        .await
        .expect("done");
    assert!(matches!(
        s.reschedule_task(&w.worker, task.id, valid_day("2099-05-05"), done.version)
            .await,
        Err(StoreError::Rule { .. })
    ));
}

async fn an_attachment_keeps_a_sealed_description_and_a_document_type(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let details = RawAttachmentDetails {
        description: " March payslip, wages halved ".into(),
        kind: "payslip".into(),
    }
    .check()
    .expect("checked");
    let added = s
        .add_described_attachment(
            &w.worker,
            case,
            "march.txt",
            b"Wages: 400",
            1 << 20,
            details,
        )
        .await
        .expect("added");
    assert_eq!(
        added.description.as_deref(),
        Some("March payslip, wages halved")
    );
    assert_eq!(added.kind, Some(AttachmentKind::Payslip));
    let listed = s.list_attachments(&w.worker, case).await.expect("list");
    assert_eq!(listed[0].description, added.description);
    assert_eq!(listed[0].kind, Some(AttachmentKind::Payslip));
    let sealed = raw(
        &s,
        "SELECT description FROM attachments WHERE id = $1",
        added.id,
    )
    .await;
    assert!(!contains(&sealed, "payslip"), "sealed at rest");

    let plain = s
        .add_attachment(&w.worker, case, "note.txt", b"hello", 1 << 20)
        .await
        .expect("added without details");
    assert_eq!((plain.description, plain.kind), (None, None));

    let bad = RawAttachmentDetails {
        description: String::new(),
        kind: "diary".into(),
    };
    match bad.check() {
        Err(p) => assert_eq!(p.0[0].field, "kind"),
        other => panic!("expected an unknown kind, got {other:?}"),
    }
    assert_eq!(
        s.list_attachments(&w.worker, case)
            .await
            .expect("list")
            .len(),
        2
    );
}

async fn case_of_types(s: &Store, actor: &Actor, types: &[&str]) -> Uuid {
    let person = RawPerson {
        given_name: "Lena".into(),
        family_name: "Kova".into(),
        date_of_birth: None,
        sex: None,
        citizenships: None,
        migration_status: None,
    }
    .validate(2026)
    .expect("valid person");
    let pid = s.create_person(actor, person).await.expect("person");
    let case = RawCase {
        person_id: pid.to_string(),
        types: types.iter().map(|t| t.to_string()).collect(),
        stage: "destination".into(),
        summary: "x".into(),
    }
    .validate()
    .expect("valid case");
    s.create_case(actor, case).await.expect("case")
}

async fn a_note_on_a_case_about_violence_starts_protective(s: Store) {
    let w = world(&s).await;
    let gbv = case_of_types(&s, &w.worker, &["gender_based_violence"]).await;
    let work = case_of_types(&s, &w.worker, &["labour_exploitation"]).await;
    assert_eq!(
        s.note_default_confidentiality(&w.worker, gbv)
            .await
            .expect("default"),
        Confidentiality::Sensitive
    );
    assert_eq!(
        s.note_default_confidentiality(&w.worker, work)
            .await
            .expect("default"),
        Confidentiality::Normal
    );
    // A survivor of gender-based violence on any case.
    let person = s.get_case(&w.worker, work).await.expect("case").person.id;
    let vulns = RawPersonChanges {
        version: Some(1),
        vulnerabilities: Some(Some(vec!["gbv_survivor".into()])),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, person, vulns)
        .await
        .expect("vulnerability");
    assert_eq!(
        s.note_default_confidentiality(&w.worker, work)
            .await
            .expect("default"),
        Confidentiality::Sensitive
    );
    assert!(matches!(
        s.note_default_confidentiality(&w.officer, gbv).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn assessment_as_one() {
    on_every_backend!(an_assessment_saves_changed_domains_each_versioned_or_nothing);
}

#[tokio::test]
async fn rejection_reason() {
    on_every_backend!(a_rejection_needs_a_reason_that_is_sealed_and_shown_on_the_case);
}

#[tokio::test]
async fn due_date_change() {
    on_every_backend!(a_due_date_moves_with_the_version_read);
}

#[tokio::test]
async fn attachment_details() {
    on_every_backend!(an_attachment_keeps_a_sealed_description_and_a_document_type);
}

#[tokio::test]
async fn note_default() {
    on_every_backend!(a_note_on_a_case_about_violence_starts_protective);
}
