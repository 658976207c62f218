//! Family tracing and age assessment on a case, on every backend (issue 17 item 4). The
//! case's own organisation records and reads them; a partner the case was referred to, and
//! any other organisation, finds nothing (as for a case that does not exist); immigration
//! enforcement is refused by the firewall. A tracing step to a partner is a referral of the
//! same case, and the request shows its status.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::tracing::{
    MemberStatus, RawAgeAssessment, RawClose, RawMember, RawTracingRequest, TracingStatus,
};
use passage_core::referrals::ReferralStatus;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::referrals::NewReferral;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

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

async fn tracing_service(s: &Store, org: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Family tracing', 'family_tracing', 'GB', 'any', 'any', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

/// A partner NGO with a tracing service and a caseworker; the case referred to it with the
/// person's consent, through the referral network.
async fn refer_to_partner(s: &Store, actor: &Actor, case: Uuid) -> (Uuid, Actor) {
    let partner = org(s, "Tracing partner", OrgKind::Ngo).await;
    let them = user(s, partner, "tracer@p.test", &[Role::Caseworker]).await;
    consent_to_referral(s, actor, case, partner).await;
    let service = tracing_service(s, partner).await;
    let referral = s
        .create_referral(
            actor,
            case,
            NewReferral {
                service_id: service,
                purpose: ConsentPurpose::Referral,
                shared_fields: Vec::new(),
                note: None,
                protection_need_id: None,
            },
        )
        .await
        .expect("referred");
    (referral, them)
}

fn assessment(lower: i64, upper: i64, method: &str) -> RawAgeAssessment {
    RawAgeAssessment {
        assessed_on: "2026-11-02".into(),
        method: method.into(),
        assessed_by: "Ana Duarte, city social services".into(),
        age_lower: Some(lower),
        age_upper: Some(upper),
        disputed: false,
    }
}

fn mother() -> RawMember {
    RawMember {
        relation: "mother".into(),
        name: "Hawa Kamara".into(),
        last_known_place: "Transit camp near Agadez".into(),
        known: "Travelled with a younger brother".into(),
    }
}

async fn count(s: &Store, table: &str) -> i64 {
    let sql = match table {
        "age_assessments" => "SELECT COUNT(*) FROM age_assessments",
        "tracing_members" => "SELECT COUNT(*) FROM tracing_members",
        _ => "SELECT COUNT(*) FROM tracing_contacts",
    };
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn age_assessments_give_the_benefit_of_the_doubt(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Mariama", "Kamara", None).await;
    let a = assessment(16, 19, "medical_xray")
        .validate()
        .expect("valid");
    s.record_age_assessment(&w.worker, case, a)
        .await
        .expect("recorded");
    let adult = assessment(19, 22, "documents").validate().expect("valid");
    s.record_age_assessment(&w.supervisor, case, adult)
        .await
        .expect("recorded");
    let list = s.age_assessments(&w.supervisor, case).await.expect("list");
    assert_eq!(list.len(), 2);
    let child = list
        .iter()
        .find(|a| a.age_lower == 16)
        .expect("the 16-19 assessment");
    assert!(child.treated_as_child, "16-19 includes ages under 18");
    assert_eq!(child.assessed_by, "Ana Duarte, city social services");
    let grown = list.iter().find(|a| a.age_lower == 19).expect("19-22");
    assert!(!grown.treated_as_child);
    // Who assessed is sealed at rest.
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT assessed_by FROM age_assessments LIMIT 1")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(!String::from_utf8_lossy(&raw).contains("Duarte"));
}

async fn a_tracing_request_searches_members_and_closes_with_an_outcome(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Mariama", "Kamara", None).await;
    let req = RawTracingRequest {
        opened_on: "2026-10-20".into(),
        reason: "migration_journey".into(),
    }
    .validate()
    .expect("valid");
    let tid = s.open_tracing(&w.worker, case, req).await.expect("opened");
    let mid = s
        .add_tracing_member(&w.worker, case, tid, mother().validate().expect("valid"))
        .await
        .expect("member");
    s.set_tracing_member_status(&w.supervisor, case, tid, mid, MemberStatus::Found)
        .await
        .expect("status");
    let list = s.tracing_requests(&w.worker, case).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, TracingStatus::Open);
    assert_eq!(list[0].members[0].name, "Hawa Kamara");
    assert_eq!(list[0].members[0].status, MemberStatus::Found);
    // A member of another request of another case is not found through this one.
    let other = open_case(&s, &w.worker, "Issa", "Bah", None).await;
    assert!(matches!(
        s.set_tracing_member_status(&w.worker, other, tid, mid, MemberStatus::Deceased)
            .await,
        Err(StoreError::NotFound)
    ));
    let close = RawClose {
        status: "reunited".into(),
        outcome: "Reunited with her mother in Leeds".into(),
    }
    .validate()
    .expect("valid");
    s.close_tracing(&w.worker, case, tid, close.clone())
        .await
        .expect("closed");
    let list = s.tracing_requests(&w.worker, case).await.expect("list");
    assert_eq!(list[0].status, TracingStatus::Reunited);
    assert_eq!(
        list[0].outcome.as_deref(),
        Some("Reunited with her mother in Leeds")
    );
    // A closed request takes no more changes.
    let refused = |r: &Result<_, StoreError>| matches!(r, Err(StoreError::Rule { code, .. }) if *code == ErrorCode::TransitionNotAllowed);
    assert!(refused(
        &s.close_tracing(&w.worker, case, tid, close)
            .await
            .map(|_| ())
    ));
    assert!(refused(
        &s.add_tracing_member(&w.worker, case, tid, mother().validate().expect("valid"))
            .await
            .map(|_| ())
    ));
    assert_eq!(count(&s, "tracing_members").await, 1);
}

async fn a_contact_is_a_referral_of_the_case_and_the_partner_never_sees_the_request(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Mariama", "Kamara", None).await;
    let tid = s
        .open_tracing(
            &w.worker,
            case,
            RawTracingRequest {
                opened_on: "2026-10-20".into(),
                reason: "conflict".into(),
            }
            .validate()
            .expect("valid"),
        )
        .await
        .expect("opened");
    let (referral, partner) = refer_to_partner(&s, &w.worker, case).await;
    s.add_tracing_contact(&w.worker, case, tid, referral)
        .await
        .expect("contact");
    let list = s.tracing_requests(&w.worker, case).await.expect("list");
    assert_eq!(list[0].contacts.len(), 1);
    assert_eq!(list[0].contacts[0].referral_id, referral);
    assert_eq!(list[0].contacts[0].referral_status, ReferralStatus::Sent);
    assert_eq!(list[0].contacts[0].organisation_name, "Tracing partner");
    // The same referral twice is refused.
    assert!(matches!(
        s.add_tracing_contact(&w.worker, case, tid, referral).await,
        Err(StoreError::Rule {
            code: ErrorCode::AlreadyLinked,
            ..
        })
    ));
    // A referral of another case is not a step of this request.
    let other = open_case(&s, &w.worker, "Issa", "Bah", None).await;
    let (of_other, _) = {
        let partner2 = org(&s, "Second partner", OrgKind::Ngo).await;
        consent_to_referral(&s, &w.worker, other, partner2).await;
        let service = tracing_service(&s, partner2).await;
        let r = s
            .create_referral(
                &w.worker,
                other,
                NewReferral {
                    service_id: service,
                    purpose: ConsentPurpose::Referral,
                    shared_fields: Vec::new(),
                    note: None,
                    protection_need_id: None,
                },
            )
            .await
            .expect("referred");
        (r, ())
    };
    assert!(matches!(
        s.add_tracing_contact(&w.worker, case, tid, of_other).await,
        Err(StoreError::Invalid(_))
    ));
    // The partner reads its referral, never the tracing request or an age assessment.
    s.referral(&partner, referral)
        .await
        .expect("partner reads the referral");
    assert!(matches!(
        s.tracing_requests(&partner, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.age_assessments(&partner, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.add_tracing_contact(&partner, case, tid, referral).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(count(&s, "tracing_contacts").await, 1);
}

async fn an_outsider_finds_nothing_and_enforcement_is_refused(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Mariama", "Kamara", None).await;
    let tid = s
        .open_tracing(
            &w.worker,
            case,
            RawTracingRequest {
                opened_on: "2026-10-20".into(),
                reason: "conflict".into(),
            }
            .validate()
            .expect("valid"),
        )
        .await
        .expect("opened");
    let other = org(&s, "Other NGO", OrgKind::Ngo).await;
    let stranger = user(
        &s,
        other,
        "worker@o.test",
        &[Role::Caseworker, Role::Supervisor],
    )
    .await;
    let missing = Uuid::now_v7();
    for who in [&stranger, &w.consul] {
        for c in [case, missing] {
            assert!(matches!(
                s.tracing_requests(who, c).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.age_assessments(who, c).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.record_age_assessment(
                    who,
                    c,
                    assessment(15, 17, "interview").validate().expect("valid")
                )
                .await,
                Err(StoreError::NotFound)
            ));
        }
        assert!(matches!(
            s.add_tracing_member(who, case, tid, mother().validate().expect("valid"))
                .await,
            Err(StoreError::NotFound)
        ));
    }
    let firewall = |r: Result<(), StoreError>| {
        matches!(
            r,
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        )
    };
    assert!(firewall(
        s.tracing_requests(&w.officer, case).await.map(|_| ())
    ));
    assert!(firewall(
        s.age_assessments(&w.officer, case).await.map(|_| ())
    ));
    assert!(firewall(
        s.open_tracing(
            &w.officer,
            case,
            RawTracingRequest {
                opened_on: "2026-10-20".into(),
                reason: "conflict".into(),
            }
            .validate()
            .expect("valid"),
        )
        .await
        .map(|_| ())
    ));
    assert!(firewall(
        s.record_age_assessment(
            &w.officer,
            case,
            assessment(15, 17, "interview").validate().expect("valid")
        )
        .await
        .map(|_| ())
    ));
    assert_eq!(count(&s, "age_assessments").await, 0);
    assert_eq!(count(&s, "tracing_members").await, 0);
}

#[tokio::test]
async fn age_assessments_give_the_benefit_of_the_doubt_on_every_backend() {
    on_every_backend!(age_assessments_give_the_benefit_of_the_doubt);
}

#[tokio::test]
async fn a_tracing_request_searches_members_and_closes_with_an_outcome_on_every_backend() {
    on_every_backend!(a_tracing_request_searches_members_and_closes_with_an_outcome);
}

#[tokio::test]
async fn a_contact_is_a_referral_of_the_case_and_the_partner_never_sees_the_request_on_every_backend()
 {
    on_every_backend!(a_contact_is_a_referral_of_the_case_and_the_partner_never_sees_the_request);
}

#[tokio::test]
async fn an_outsider_finds_nothing_and_enforcement_is_refused_on_every_backend() {
    on_every_backend!(an_outsider_finds_nothing_and_enforcement_is_refused);
}
