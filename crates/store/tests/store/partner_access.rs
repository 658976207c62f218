//! What a partner (an organisation a case is shared with) may do, on every backend. It adds its
//! own notes, services, attachments and follow-up; it never changes the owner's case — details
//! and summary, assignment, status and outcome, risk, identification, the person, consents,
//! plan, needs, tasks, child safeguarding, screenings — and each such write is refused as
//! `OwnerOnly` with the case left as it was. A share that rests on consent ends when the person
//! withdraws that consent: the partner's next read or write answers as for a case that does
//! not exist.

use crate::common::*;
use passage_core::casework::ConsentMethod;
use passage_core::casework::calendar::Day;
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{RawDocument, RawPersonChanges};
use passage_store::casework::follow_up::Visit;
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::services::NewService;
use passage_store::casework::tasks::NewTask;
use passage_store::{Store, StoreError};
use uuid::Uuid;

fn today() -> Day {
    Day::from_unix_ms(passage_store::now_ms())
}

fn owner_only<T: std::fmt::Debug>(what: &str, r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::OwnerOnly(_))),
        "{what}: expected owner_only, got {r:?}"
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

async fn a_partner_never_changes_the_owners_case(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Ana", "Reyes", Some("overstayer")).await;
    share_on_consent(&s, &w.worker, case, w.consulate).await;
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
        owner_only(what, s.update_case(&w.consul, case, c).await);
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
        owner_only(to, s.transition(&w.consul, case, t).await);
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
    owner_only(
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
    owner_only("person", s.update_person(&w.consul, pid, c).await);
    let doc = RawDocument {
        kind: "passport".into(),
        number: Some("P1234567".into()),
        country: Some("PH".into()),
        held_by: "person".into(),
    }
    .validate()
    .expect("valid");
    owner_only("document", s.add_person_document(&w.consul, pid, doc).await);
    let consent = RawConsent {
        purpose: "services".into(),
        method: Some("verbal".into()),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    owner_only("consent", s.record_consent(&w.consul, pid, consent).await);
    // The plan, needs, tasks and child safeguarding.
    let need = NeedInput {
        domain: "safety".into(),
        urgency: "high".into(),
        description: Some("x".into()),
        met: false,
        version: None,
    };
    owner_only("need", s.upsert_need(&w.consul, case, need).await);
    let item = PlanInput {
        goal: "Return".into(),
        ..Default::default()
    };
    owner_only("plan", s.add_plan_item(&w.consul, case, item).await);
    let task = NewTask {
        title: "Book a flight".into(),
        assignee: None,
        due_on: today().plus_days(3).to_string(),
    };
    owner_only("task", s.create_task(&w.consul, case, task).await);
    let bi = RawBestInterests {
        assessment: "Assessed.".into(),
        decision: "Return".into(),
        guardian_name: None,
        guardian_contact: None,
    }
    .validate()
    .expect("valid");
    owner_only(
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
        "SELECT COUNT(*) FROM audit_events WHERE outcome = 'owner_only' AND actor_user = $1",
    )
    .bind(w.consul.user_id().to_string())
    .fetch_one(s.operator("test").raw_pool())
    .await
    .expect("audit");
    assert!(refused >= 14, "every refusal audited: {refused}");

    // The partner's own work still goes through.
    s.add_note(
        &w.consul,
        case,
        crate::common::note("normal", "Met at the consulate; passport renewed."),
    )
    .await
    .expect("note");
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
    .await
    .expect("service");
    s.add_attachment(&w.consul, case, "letter.txt", b"renewal letter", 1 << 20)
        .await
        .expect("attachment");
    let visit = Uuid::now_v7();
    sqlx::query("INSERT INTO follow_ups (id, case_id, due_on) VALUES ($1, $2, $3)")
        .bind(visit.to_string())
        .bind(case.to_string())
        .bind(today().to_string())
        .execute(s.operator("test").raw_pool())
        .await
        .expect("plan a visit");
    s.record_follow_up(
        &w.consul,
        visit,
        Visit {
            done_on: today().to_string(),
            economic: "2".into(),
            social: "2".into(),
            psychosocial: "2".into(),
            note: None,
            version: 1,
        },
    )
    .await
    .expect("follow-up");
    // And the owner still changes its case.
    let c = edit(v, |c| c.summary = Some("Passport renewed.".into()))
        .validate()
        .expect("valid");
    s.update_case(&w.worker, case, c)
        .await
        .expect("owner edits");
}

async fn withdrawing_the_consent_ends_the_share(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    let other = open_case(&s, &w.worker, "Lina", "Park", None).await;
    let consent = share_on_consent(&s, &w.worker, case, w.consulate).await;
    s.share_case(&w.worker, other, w.consulate, "vital_interest")
        .await
        .expect("share on another basis");
    s.get_case(&w.consul, case).await.expect("partner reads");
    s.add_note(
        &w.consul,
        case,
        crate::common::note("normal", "Seen today."),
    )
    .await
    .expect("partner writes");
    let pid = s.get_case(&w.worker, case).await.expect("owner").person.id;

    s.withdraw_consent(&w.worker, pid, consent, Some(ConsentMethod::Verbal))
        .await
        .expect("withdraw");
    // The partner's reads and writes now answer as for a case that does not exist.
    let missing = Uuid::now_v7();
    for id in [case, missing] {
        assert!(matches!(
            s.get_case(&w.consul, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.list_notes(&w.consul, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.add_note(&w.consul, id, crate::common::note("normal", "Still here?"))
                .await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.person_details(&w.consul, pid).await,
        Err(StoreError::NotFound)
    ));
    // A share on another basis is not ended by this consent.
    s.get_case(&w.consul, other)
        .await
        .expect("the other share stands");
    let (ended,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'case.share_end' AND object_id = $1",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").raw_pool())
    .await
    .expect("audit");
    assert_eq!(ended, 1, "the end of the share is audited");

    // Sharing again on consent needs a consent in force.
    assert!(matches!(
        s.share_case(&w.worker, case, w.consulate, "consent").await,
        Err(StoreError::Invalid(p)) if p.0[0].code == passage_core::ErrorCode::ConsentRequired
    ));
}

#[tokio::test]
async fn a_partner_never_changes_the_owners_case_on_every_backend() {
    on_every_backend!(a_partner_never_changes_the_owners_case);
}

#[tokio::test]
async fn withdrawing_the_consent_ends_the_share_on_every_backend() {
    on_every_backend!(withdrawing_the_consent_ends_the_share);
}
