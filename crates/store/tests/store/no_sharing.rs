//! No organisation reaches another's case, on every backend (issue 14 item 7): referrals and
//! transfers are the only ways data crosses organisations. Even once the person consented to a
//! referral to it, another organisation's staff (a consulate's, here) read nothing of the case
//! and change nothing of it — details and summary, assignment, status and outcome, risk,
//! identification, the person, consents, plan, needs, tasks, child safeguarding, notes,
//! services, attachments — each attempt answering as for a case that does not exist, audited,
//! with the case left as it was.

use crate::common::*;
use passage_core::casework::calendar::Day;
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{RawDocument, RawPersonChanges};
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::services::NewService;
use passage_store::casework::tasks::NewTask;
use passage_store::{Store, StoreError};

fn today() -> Day {
    Day::from_unix_ms(passage_store::now_ms())
}

fn missing<T: std::fmt::Debug>(what: &str, r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::NotFound)),
        "{what}: expected not found, got {r:?}"
    );
}

fn edit(version: i64, f: impl FnOnce(&mut RawCaseChanges)) -> RawCaseChanges {
    let mut c = RawCaseChanges {
        version: Some(version),
        ..Default::default()
    };
    f(&mut c);
    c
}

async fn another_organisation_never_reads_or_changes_a_case(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Ana", "Reyes", Some("overstayer")).await;
    consent_to_referral(&s, &w.worker, case, w.consulate).await;
    let before = s.get_case(&w.worker, case).await.expect("owner reads");
    let pid = before.person.id;
    let history = s
        .case_history(&w.worker, case)
        .await
        .expect("history")
        .len();
    let v = before.version;

    // The case's details, summary, assignment and risk.
    for (what, c) in [
        (
            "summary",
            edit(v, |c| c.summary = Some("Returned home.".into())),
        ),
        ("stage", edit(v, |c| c.stage = Some("return".into()))),
        ("assignment", edit(v, |c| c.assigned_to = Some(None))),
        ("risk", edit(v, |c| c.risk = Some("high".into()))),
        ("country", edit(v, |c| c.country = Some(Some("PH".into())))),
    ] {
        let c = c.validate().expect("valid");
        missing(what, s.update_case(&w.consul, case, c).await);
    }
    // Its status: a step, and closing with a return outcome.
    for (to, reason, outcome) in [
        ("assessment", None, None),
        (
            "closed",
            Some("Returned"),
            Some("return_with_reintegration"),
        ),
    ] {
        let t = RawTransition {
            to: to.into(),
            reason: reason.map(str::to_string),
            outcome: outcome.map(str::to_string),
            version: None,
        };
        let t = match t.validate() {
            Ok(t) => t,
            Err(p) => panic!("transition to {to}: {p:?}"),
        };
        missing(to, s.transition(&w.consul, case, t).await);
    }
    // Its identification.
    let ident = RawIdentification {
        status: "possible_victim".into(),
        decided_by: "Consulate".into(),
        decided_on: today().to_string(),
        version: None,
    }
    .validate(today())
    .expect("valid identification");
    missing(
        "identification",
        s.set_identification(&w.consul, case, ident).await,
    );
    // The person: identity, documents, consents.
    let c = RawPersonChanges {
        version: Some(1),
        given_name: Some(Some("Anna".into())),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    missing("person", s.update_person(&w.consul, pid, c).await);
    let doc = RawDocument {
        kind: "passport".into(),
        number: Some("P1234567".into()),
        country: Some("PH".into()),
        held_by: "person".into(),
    }
    .validate()
    .expect("valid");
    missing("document", s.add_person_document(&w.consul, pid, doc).await);
    let consent = RawConsent {
        purpose: "services".into(),
        method: Some("verbal".into()),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    missing("consent", s.record_consent(&w.consul, pid, consent).await);
    // The plan, needs, tasks and child safeguarding.
    let need = NeedInput {
        domain: "safety".into(),
        urgency: "high".into(),
        description: Some("x".into()),
        met: false,
        version: None,
    };
    missing("need", s.upsert_need(&w.consul, case, need).await);
    let item = PlanInput {
        goal: "Return".into(),
        ..Default::default()
    };
    missing("plan", s.add_plan_item(&w.consul, case, item).await);
    let task = NewTask {
        title: "Book a flight".into(),
        assignee: None,
        due_on: today().plus_days(3).to_string(),
    };
    missing("task", s.create_task(&w.consul, case, task).await);
    let bi = RawBestInterests {
        assessment: "Assessed.".into(),
        decision: "Return".into(),
        guardian_name: None,
        guardian_contact: None,
    }
    .validate()
    .expect("valid");
    missing(
        "best interests",
        s.record_best_interests(&w.consul, case, bi).await,
    );

    // Nothing of it was kept.
    let after = s.get_case(&w.worker, case).await.expect("owner reads");
    assert_eq!(after, before, "the case is unchanged");
    assert_eq!(
        s.case_history(&w.worker, case)
            .await
            .expect("history")
            .len(),
        history
    );
    assert!(
        s.list_consents(&w.worker, pid)
            .await
            .expect("consents")
            .iter()
            .all(|c| c.purpose != passage_core::casework::ConsentPurpose::Services)
    );
    let (refused,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE outcome IN ('denied', 'not_found') AND actor_user = $1",
    )
    .bind(w.consul.user_id().to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert!(refused >= 14, "every refusal audited: {refused}");

    // Nor its own work on the case, nor any read.
    missing(
        "note",
        s.add_note(
            &w.consul,
            case,
            crate::common::note("normal", "Seen today."),
        )
        .await,
    );
    missing(
        "service",
        s.record_service(
            &w.consul,
            case,
            NewService {
                service_type: "documentation".into(),
                provider: "Consulate".into(),
                delivered_on: today().to_string(),
                note: None,
            },
        )
        .await,
    );
    missing(
        "attachment",
        s.add_attachment(&w.consul, case, "letter.txt", b"renewal letter", 1 << 20)
            .await,
    );
    missing("read", s.get_case(&w.consul, case).await);
    missing("notes", s.list_notes(&w.consul, case).await);
    missing("history", s.case_history(&w.consul, case).await);
    missing("person", s.person_details(&w.consul, pid).await);
    assert!(
        s.list_cases(&w.consul, None, Default::default())
            .await
            .expect("list")
            .is_empty()
    );
    // And the owner still changes its case.
    let c = edit(v, |c| c.summary = Some("Passport renewed.".into()))
        .validate()
        .expect("valid");
    s.update_case(&w.worker, case, c)
        .await
        .expect("owner edits");
}

#[tokio::test]
async fn another_organisation_never_reads_or_changes_a_case_on_every_backend() {
    on_every_backend!(another_organisation_never_reads_or_changes_a_case);
}
