//! An ombudsperson's investigations on every backend (issue 16 item 3): an office takes up a
//! report, a case or an accepted referral of its own, sends questions with reply deadlines
//! (one overdue comes first on the work list), records answers, findings, recommendations and
//! their follow-up, and a supervisor closes once nothing is pending or with a reason. Every
//! text is sealed. Another office's subject or investigation is `NotFound` exactly as a missing
//! id, for each subject kind; other organisations' staff are out of scope; immigration
//! enforcement meets the firewall; the office's analyst reads counts only.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::monitoring::incidents::{RawAffected, RawIncident};
use passage_core::oversight::investigations::{
    FollowUpState, InvestigationStatus, RawAnswer, RawFindings, RawFollowUp, RawInvestigation,
    RawQuestion,
};
use passage_core::referrals::ReferralStatus;
use passage_core::reports::RawHotlineReport;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::referrals::NewReferral;
use passage_store::monitoring::incidents::IncidentOrigin;
use passage_store::{Actor, Authority, Store, StoreError};
use uuid::Uuid;

/// An incident recorded by `by` for its organisation `org`.
async fn incident(s: &Store, by: &Actor, org: Uuid) -> Uuid {
    let raw = RawIncident {
        occurred_on: s.clock().today().plus_days(-2).to_string(),
        country: "GB".into(),
        region: "london".into(),
        place_type: "detention_centre".into(),
        kinds: vec!["abuse_in_detention".into()],
        bias_motives: vec![],
        perpetrator_type: "detention_official".into(),
        affected: RawAffected {
            men: "1".into(),
            ..Default::default()
        },
        source: "witness".into(),
        narrative: "Kicked during the night count.".into(),
    };
    s.record_incident(
        &Authority::User(by.clone()),
        org,
        &raw,
        IncidentOrigin::default(),
    )
    .await
    .expect("incident recorded")
}

struct Office {
    id: Uuid,
    ombuds: Actor,
    chief: Actor,
    analyst: Actor,
}

async fn office(s: &Store, name: &str) -> Office {
    let id = s
        .create_organisation(
            s.operator("test").authority(),
            name,
            OrgKind::Ombudsperson,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let slug = name.to_ascii_lowercase().replace(' ', "");
    Office {
        id,
        ombuds: user(s, id, &format!("o@{slug}.test"), &[Role::Ombudsperson]).await,
        chief: user(s, id, &format!("s@{slug}.test"), &[Role::Supervisor]).await,
        analyst: user(s, id, &format!("a@{slug}.test"), &[Role::Analyst]).await,
    }
}

async fn report(s: &Store, by: &Actor) -> Uuid {
    let sla = s.intake_options().sla;
    let raw = RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        urgency: Some("normal".into()),
        categories: vec!["detention_border_abuse".into()],
        narrative: "Guards beat a man at the removal centre.".into(),
        ..Default::default()
    };
    s.create_hotline_report(by, raw.validate().expect("valid"), &sla)
        .await
        .expect("report")
}

/// A directory entry of `org`, written directly.
async fn service(s: &Store, org: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Complaints desk', 'legal_aid', 'GB', 'any', 'adults', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

/// A referral from the world's shelter to `org`'s desk; accepted by `by` when given.
async fn referral(s: &Store, w: &World, org: Uuid, by: Option<&Actor>) -> Uuid {
    let case = open_case(s, &w.worker, "Joy", "Reyes", None).await;
    consent_to_referral(s, &w.worker, case, org).await;
    let desk = service(s, org).await;
    let id = s
        .create_referral(
            &w.worker,
            case,
            NewReferral {
                service_id: desk,
                purpose: ConsentPurpose::Referral,
                shared_fields: Vec::new(),
                note: None,
                protection_need_id: None,
            },
        )
        .await
        .expect("referral");
    if let Some(by) = by {
        s.answer_referral(by, id, ReferralStatus::Accepted, None)
            .await
            .expect("accepted");
    }
    id
}

fn taken_up(kind: &str, id: Uuid) -> RawInvestigation {
    RawInvestigation {
        subject_kind: kind.into(),
        subject_id: id.to_string(),
        authority_name: "Home Office Removal Centre".into(),
        authority_kind: "detention_authority".into(),
        summary: "Force used on a detained man during a removal.".into(),
    }
}

async fn rows(s: &Store, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

fn day(s: &Store, offset: i64) -> String {
    s.clock().today().plus_days(offset).to_string()
}

fn rule(e: StoreError) -> Option<ErrorCode> {
    match e {
        StoreError::Rule { code, .. } => Some(code),
        _ => None,
    }
}

async fn taken_up_worked_and_closed(s: Store) {
    let o = office(&s, "Equality Office").await;
    let r = report(&s, &o.ombuds).await;
    let id = s
        .open_investigation(&o.ombuds, &taken_up("report", r))
        .await
        .expect("opened");

    // A question answered, and one past its deadline without an answer.
    let q1 = s
        .send_investigation_question(
            &o.ombuds,
            id,
            &RawQuestion {
                text: "Who authorised the use of force?".into(),
                sent_on: day(&s, -30),
                reply_by: day(&s, -10),
            },
        )
        .await
        .expect("question");
    s.answer_investigation_question(
        &o.ombuds,
        id,
        q1,
        &RawAnswer {
            received_on: day(&s, -12),
            text: "The duty manager, under the restraint policy.".into(),
        },
    )
    .await
    .expect("answer");
    let again = s
        .answer_investigation_question(
            &o.ombuds,
            id,
            q1,
            &RawAnswer {
                received_on: day(&s, -11),
                text: "A second answer".into(),
            },
        )
        .await
        .expect_err("answered already");
    assert_eq!(rule(again), Some(ErrorCode::AlreadyDone));
    s.send_investigation_question(
        &o.ombuds,
        id,
        &RawQuestion {
            text: "Send the body-camera footage.".into(),
            sent_on: day(&s, -20),
            reply_by: day(&s, -3),
        },
    )
    .await
    .expect("question");

    // A second investigation with nothing overdue: the overdue one comes first.
    let calm = s
        .open_investigation(&o.ombuds, &taken_up("report", report(&s, &o.ombuds).await))
        .await
        .expect("opened");
    let list = s.investigation_work_list(&o.ombuds).await.expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0].id, id,
        "the investigation with an overdue question first"
    );
    assert_eq!(list[0].overdue_questions, 1);
    assert_eq!(list[0].authority_name, "Home Office Removal Centre");
    assert_eq!(list[1].id, calm);

    s.record_investigation_findings(
        &o.ombuds,
        id,
        &RawFindings {
            outcome: "violation_found".into(),
            text: "Force beyond what the policy allows.".into(),
        },
    )
    .await
    .expect("findings");
    let rec = s
        .add_investigation_recommendation(&o.ombuds, id, "Review the restraint policy.")
        .await
        .expect("recommendation");

    // Only a supervisor closes, and not while a recommendation is pending without a reason.
    assert!(matches!(
        s.close_investigation(&o.ombuds, id, "").await,
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    ));
    let pending = s
        .close_investigation(&o.chief, id, "")
        .await
        .expect_err("pending");
    assert_eq!(rule(pending), Some(ErrorCode::RecommendationsPending));

    s.follow_up_recommendation(
        &o.ombuds,
        id,
        rec,
        &RawFollowUp {
            state: "accepted".into(),
            on: day(&s, -1),
            note: "The centre agreed to a review by March.".into(),
        },
    )
    .await
    .expect("follow-up");
    let v = s.investigation(&o.ombuds, id).await.expect("read");
    assert_eq!(v.status, InvestigationStatus::FollowUp);
    assert_eq!(v.summary, "Force used on a detained man during a removal.");
    assert_eq!(v.questions.len(), 2);
    assert!(v.questions.iter().any(|q| q.overdue && q.answer.is_none()));
    assert_eq!(
        v.questions[0].answer.as_deref(),
        Some("The duty manager, under the restraint policy.")
    );
    assert_eq!(v.recommendations[0].state, FollowUpState::Accepted);
    assert_eq!(v.recommendations[0].history.len(), 1);
    assert_eq!(
        v.recommendations[0].history[0].note.as_deref(),
        Some("The centre agreed to a review by March.")
    );
    assert!(v.findings.is_some());

    s.close_investigation(&o.chief, id, "")
        .await
        .expect("closed");
    let v = s.investigation(&o.chief, id).await.expect("read");
    assert_eq!(v.status, InvestigationStatus::Closed);
    assert!(v.closed_on.is_some());
    let after = s
        .add_investigation_recommendation(&o.ombuds, id, "One more")
        .await
        .expect_err("closed");
    assert_eq!(rule(after), Some(ErrorCode::InvestigationClosed));

    // A reason closes one with a recommendation still pending.
    s.add_investigation_recommendation(&o.ombuds, calm, "Train the staff.")
        .await
        .expect("recommendation");
    s.close_investigation(&o.chief, calm, "The centre was closed down.")
        .await
        .expect("closed with a reason");

    // Every text is sealed: none is in the database as typed.
    let pool = s.operator("test").unsafe_raw_pool();
    for (table, column) in [
        ("investigations", "summary"),
        ("investigations", "authority_name"),
        ("investigation_questions", "text"),
        ("investigation_recommendations", "text"),
    ] {
        let raw: Vec<(Vec<u8>,)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {column} FROM {table}")))
                .fetch_all(pool)
                .await
                .expect("raw");
        for (bytes,) in raw {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("Force")
                    && !text.contains("Home Office")
                    && !text.contains("restraint"),
                "{table}.{column} holds plain text"
            );
        }
    }

    // The analyst counts, never reads.
    let counts = s.investigation_counts(&o.analyst).await.expect("counts");
    assert!(counts.by_status.contains(&(InvestigationStatus::Closed, 2)));
    assert!(matches!(
        s.investigation(&o.analyst, id).await,
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    ));
    assert!(matches!(
        s.investigation_work_list(&o.analyst).await,
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    ));
}

#[tokio::test]
async fn taken_up_worked_and_closed_on_every_backend() {
    on_every_backend!(taken_up_worked_and_closed);
}

async fn bad_input_names_the_field_and_writes_nothing(s: Store) {
    let o = office(&s, "Equality Office").await;
    let r = report(&s, &o.ombuds).await;
    let before = rows(&s, "investigations").await;
    let e = s
        .open_investigation(
            &o.ombuds,
            &RawInvestigation {
                subject_kind: "petition".into(),
                authority_kind: "army".into(),
                summary: String::new(),
                ..taken_up("report", r)
            },
        )
        .await
        .expect_err("bad");
    let StoreError::Invalid(p) = e else {
        panic!("not a field problem: {e:?}");
    };
    let fields: Vec<&str> = p.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["subject.kind", "authority.kind", "summary"]);
    assert_eq!(rows(&s, "investigations").await, before);

    let id = s
        .open_investigation(&o.ombuds, &taken_up("report", r))
        .await
        .expect("opened");
    let e = s
        .send_investigation_question(
            &o.ombuds,
            id,
            &RawQuestion {
                text: "Why?".into(),
                sent_on: day(&s, 3),
                reply_by: "soon".into(),
            },
        )
        .await
        .expect_err("bad");
    let StoreError::Invalid(p) = e else {
        panic!("not a field problem");
    };
    let fields: Vec<(&str, ErrorCode)> = p.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
    assert_eq!(
        fields,
        [
            ("sent_on", ErrorCode::InTheFuture),
            ("reply_by", ErrorCode::InvalidDate)
        ]
    );
    assert_eq!(rows(&s, "investigation_questions").await, 0);
    let rec = s
        .add_investigation_recommendation(&o.ombuds, id, "Apologise in writing.")
        .await
        .expect("recommendation");
    let e = s
        .follow_up_recommendation(
            &o.ombuds,
            id,
            rec,
            &RawFollowUp {
                state: "forgotten".into(),
                on: day(&s, 0),
                note: String::new(),
            },
        )
        .await
        .expect_err("bad");
    assert!(matches!(e, StoreError::Invalid(p) if p.0[0].field == "state"));
    assert_eq!(rows(&s, "investigation_follow_ups").await, 0);
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing_on_every_backend() {
    on_every_backend!(bad_input_names_the_field_and_writes_nothing);
}

async fn outsiders_find_nothing_for_every_subject_kind(s: Store) {
    let w = world(&s).await;
    let o = office(&s, "Equality Office").await;
    let other = office(&s, "Other Office").await;

    // The office's own subjects of each kind, and the same ids tried by another office.
    let r = report(&s, &o.ombuds).await;
    let c = open_case(&s, &o.ombuds, "Amina", "Diallo", None).await;
    let accepted = referral(&s, &w, o.id, Some(&o.ombuds)).await;
    let not_answered = referral(&s, &w, o.id, None).await;
    let shelter_case = open_case(&s, &w.worker, "Lin", "Wei", None).await;
    let shelter_report = report(&s, &w.supervisor).await;
    let own_incident = incident(&s, &o.ombuds, o.id).await;
    let shelter_incident = incident(&s, &w.worker, w.shelter).await;
    for (kind, id) in [
        ("report", r),
        ("case", c),
        ("referral", accepted),
        ("incident", own_incident),
    ] {
        s.open_investigation(&o.ombuds, &taken_up(kind, id))
            .await
            .unwrap_or_else(|e| panic!("{kind} of the office: {e:?}"));
        for who in [&other.ombuds, &other.chief] {
            assert!(
                matches!(
                    s.open_investigation(who, &taken_up(kind, id)).await,
                    Err(StoreError::NotFound)
                ),
                "another office takes up the {kind}"
            );
        }
        assert!(matches!(
            s.open_investigation(&o.ombuds, &taken_up(kind, Uuid::now_v7()))
                .await,
            Err(StoreError::NotFound)
        ));
    }
    // Not ours: another organisation's case and report, a referral not yet accepted, and a
    // case id given as a report.
    for (kind, id) in [
        ("case", shelter_case),
        ("report", shelter_report),
        ("referral", not_answered),
        ("report", c),
        ("incident", shelter_incident),
        ("incident", c),
    ] {
        assert!(
            matches!(
                s.open_investigation(&o.ombuds, &taken_up(kind, id)).await,
                Err(StoreError::NotFound)
            ),
            "{kind} {id}"
        );
    }

    // Another office never reaches the investigation: reading, questions, closing.
    let id = s.investigation_work_list(&o.ombuds).await.expect("list")[0].id;
    assert!(matches!(
        s.investigation(&other.ombuds, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.send_investigation_question(
            &other.ombuds,
            id,
            &RawQuestion {
                text: "x".into(),
                sent_on: day(&s, 0),
                reply_by: day(&s, 5)
            }
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.close_investigation(&other.chief, id, "no").await,
        Err(StoreError::NotFound)
    ));
    // Nor its questions and recommendations, by their own ids, from either investigation.
    let q = s
        .send_investigation_question(
            &o.ombuds,
            id,
            &RawQuestion {
                text: "Send the records.".into(),
                sent_on: day(&s, -2),
                reply_by: day(&s, 10),
            },
        )
        .await
        .expect("question");
    let rec = s
        .add_investigation_recommendation(&o.ombuds, id, "Apologise in writing.")
        .await
        .expect("recommendation");
    let answer = RawAnswer {
        received_on: day(&s, 0),
        text: "Enclosed.".into(),
    };
    let step = RawFollowUp {
        state: "implemented".into(),
        on: day(&s, 0),
        note: String::new(),
    };
    let theirs = s
        .open_investigation(
            &other.ombuds,
            &taken_up("report", report(&s, &other.ombuds).await),
        )
        .await
        .expect("the other office's own");
    assert!(matches!(
        s.answer_investigation_question(&other.ombuds, id, q, &answer)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.answer_investigation_question(&other.ombuds, theirs, q, &answer)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.follow_up_recommendation(&other.ombuds, id, rec, &step)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.follow_up_recommendation(&other.ombuds, theirs, rec, &step)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.record_investigation_findings(
            &other.ombuds,
            id,
            &RawFindings {
                outcome: "inconclusive".into(),
                text: "x".into()
            }
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.add_investigation_recommendation(&other.ombuds, id, "x")
            .await,
        Err(StoreError::NotFound)
    ));
    let mine = s.investigation(&o.ombuds, id).await.expect("read");
    assert!(mine.questions.iter().all(|q| q.answer.is_none()));
    assert!(
        mine.recommendations
            .iter()
            .all(|r| r.state == FollowUpState::Pending && r.history.is_empty())
    );
    assert!(mine.findings.is_none());
    let their_list: Vec<uuid::Uuid> = s
        .investigation_work_list(&other.ombuds)
        .await
        .expect("list")
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(their_list, [theirs], "another office lists only its own");
    // Staff of other kinds are out of scope; immigration enforcement meets the firewall.
    assert!(matches!(
        s.investigation(&w.supervisor, id).await,
        Err(StoreError::Forbidden(DenyReason::OutOfScope))
    ));
    assert!(matches!(
        s.open_investigation(&w.supervisor, &taken_up("case", shelter_case))
            .await,
        Err(StoreError::Forbidden(DenyReason::OutOfScope))
    ));
    for attempt in [
        s.investigation(&w.officer, id).await.map(|_| ()),
        s.investigation_work_list(&w.officer).await.map(|_| ()),
        s.investigation_counts(&w.officer).await.map(|_| ()),
        s.open_investigation(&w.officer, &taken_up("report", r))
            .await
            .map(|_| ()),
    ] {
        assert!(matches!(
            attempt,
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        ));
    }
}

#[tokio::test]
async fn outsiders_find_nothing_for_every_subject_kind_on_every_backend() {
    on_every_backend!(outsiders_find_nothing_for_every_subject_kind);
}
