//! A return that is safe, on every backend (issue 17 item 5). The case's own organisation
//! prepares it; a plan goes ahead only on the person's voluntary choice to return and never to
//! a country they fled; travel documents and the hand-over are referrals of the referral
//! network; the partner in the country of origin records the reintegration visits on its
//! accepted hand-over referral, and they flow back to the case. Everyone else finds nothing.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::person::RawPersonChanges;
use passage_core::casework::protection::{NewProtectionNeed, ProtectionKind, RaisedBy};
use passage_core::casework::returns::{
    DocumentStatus, FamilyWilling, ITEMS, RawChoice, RawFamily, RawJourney, RawRisk, RawVisit,
    ReturnChoice, VisitMonth,
};
use passage_core::referrals::ReferralStatus;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::referrals::NewReferral;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn c(code: &str) -> Country {
    Country::parse(code).expect("country")
}

async fn org(s: &Store, name: &str, kind: OrgKind, country: &str) -> Uuid {
    s.create_organisation(s.operator("test").authority(), name, kind, c(country))
        .await
        .expect("org")
        .id
}

async fn service(s: &Store, org: Uuid, country: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Return support', 'return_reintegration', $3, 'any', 'any', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(country)
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

async fn person_of(s: &Store, actor: &Actor, case: Uuid) -> Uuid {
    s.get_case(actor, case).await.expect("case").person.id
}

/// A case whose person speaks Tagalog and English.
async fn returnee(s: &Store, w: &World) -> Uuid {
    let case = open_case(s, &w.worker, "Maria", "Santos", None).await;
    let pid = person_of(s, &w.worker, case).await;
    let changes = RawPersonChanges {
        version: Some(1),
        languages: Some(Some(vec!["tl".into(), "en".into()])),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    s.update_person(&w.worker, pid, changes)
        .await
        .expect("languages");
    case
}

/// Refers the case to `org` through the referral network, on the person's consents (to the
/// referral, and to sharing across borders). Returns the referral's id.
async fn refer(s: &Store, actor: &Actor, case: Uuid, org: Uuid, country: &str) -> Uuid {
    use passage_core::casework::consent::NewConsent;
    use passage_core::casework::{ConsentMethod, LegalBasis};
    consent_to_referral(s, actor, case, org).await;
    let person = person_of(s, actor, case).await;
    s.record_consent(
        actor,
        person,
        NewConsent {
            purpose: ConsentPurpose::CrossBorderSharing,
            organisation_id: None,
            basis: LegalBasis::Consent,
            method: Some(ConsentMethod::Written),
            language: None,
            reason: None,
        },
    )
    .await
    .expect("cross-border consent");
    let service = service(s, org, country).await;
    s.create_referral(
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
    .expect("referred")
}

fn choice(choice: &str, voluntary: bool, language: &str) -> RawChoice {
    RawChoice {
        language: language.into(),
        informed_on: "2026-10-01".into(),
        interpreter: true,
        choice: choice.into(),
        voluntary,
        own_words: "Gusto ko nang umuwi sa aking ina.".into(),
    }
}

fn journey(country: &str) -> RawJourney {
    RawJourney {
        country: country.into(),
        departure_on: "2026-11-10".into(),
        legs: "London to Doha, Doha to Manila".into(),
        escort: true,
        reception: "Met at the airport by the partner's social worker".into(),
        arrival_on: "2026-11-11".into(),
    }
}

fn visit(month: &str) -> RawVisit {
    RawVisit {
        month: month.into(),
        visited_on: "2027-02-12".into(),
        answers: ITEMS
            .iter()
            .map(|i| {
                (
                    i.key.to_string(),
                    i.answers[i.answers.len() / 2].to_string(),
                )
            })
            .collect(),
        note: "Runs a small sari-sari store with her sister".into(),
    }
}

async fn count(s: &Store, table: &str) -> i64 {
    let sql = match table {
        "reintegration_visits" => "SELECT COUNT(*) FROM reintegration_visits",
        "return_choices" => "SELECT COUNT(*) FROM return_choices",
        _ => "SELECT COUNT(*) FROM returns WHERE country IS NOT NULL",
    };
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

fn is_rule(r: &Result<(), StoreError>, want: ErrorCode) -> bool {
    matches!(r, Err(StoreError::Rule { code, .. }) if *code == want)
}

async fn a_plan_goes_ahead_only_on_a_voluntary_choice_to_return(s: Store) {
    let w = world(&s).await;
    let case = returnee(&s, &w).await;
    s.add_return_risk(
        &w.worker,
        case,
        RawRisk {
            risk: "debt_bondage".into(),
            note: "The recruiter's agent lives in her village".into(),
        }
        .validate()
        .expect("valid"),
    )
    .await
    .expect("risk");
    s.set_return_family(
        &w.worker,
        case,
        RawFamily {
            willing: "yes".into(),
            note: "Her mother will take her in".into(),
        }
        .validate()
        .expect("valid"),
    )
    .await
    .expect("family");
    // Informed in a language the person does not speak: refused on the field.
    let r = s
        .record_return_choice(
            &w.worker,
            case,
            choice("return", true, "fr").validate().expect("valid"),
        )
        .await;
    assert!(matches!(r, Err(StoreError::Invalid(ref p)) if p.0[0].field == "language"));
    // No choice yet, a choice to stay, a choice not voluntary: the plan is refused.
    let plan = journey("PH").validate().expect("valid");
    assert!(is_rule(
        &s.set_return_journey(&w.worker, case, plan.clone()).await,
        ErrorCode::ReturnNotChosen
    ));
    for (ch, vol) in [("stay", true), ("undecided", true), ("return", false)] {
        s.record_return_choice(
            &w.worker,
            case,
            choice(ch, vol, "tl").validate().expect("valid"),
        )
        .await
        .expect("choice");
        assert!(is_rule(
            &s.set_return_journey(&w.worker, case, plan.clone()).await,
            ErrorCode::ReturnNotChosen
        ));
    }
    assert_eq!(count(&s, "returns").await, 0, "nothing written");
    s.record_return_choice(
        &w.worker,
        case,
        choice("return", true, "tl").validate().expect("valid"),
    )
    .await
    .expect("choice");
    s.set_return_journey(&w.worker, case, plan)
        .await
        .expect("plan");
    // A later change of mind stops the plan from changing again.
    let view = s.return_view(&w.supervisor, case).await.expect("view");
    assert_eq!(view.risks.len(), 1);
    assert_eq!(view.family_willing, Some(FamilyWilling::Yes));
    assert_eq!(
        view.family_note.as_deref(),
        Some("Her mother will take her in")
    );
    assert_eq!(view.choices.len(), 4);
    assert_eq!(view.choices[0].choice, ReturnChoice::Return);
    assert_eq!(view.choices[0].language, "tl");
    let j = view.journey.expect("journey");
    assert_eq!(j.country, c("PH"));
    assert!(j.escort);
    assert_eq!(j.legs.as_deref(), Some("London to Doha, Doha to Manila"));
    s.record_return_choice(
        &w.worker,
        case,
        choice("stay", true, "en").validate().expect("valid"),
    )
    .await
    .expect("changed her mind");
    assert!(is_rule(
        &s.set_return_journey(&w.worker, case, journey("PH").validate().expect("valid"))
            .await,
        ErrorCode::ReturnNotChosen
    ));
    // The person's own words and the route are sealed at rest.
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT own_words FROM return_choices LIMIT 1")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(!String::from_utf8_lossy(&raw).contains("umuwi"));
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT legs FROM returns LIMIT 1")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(!String::from_utf8_lossy(&raw).contains("Doha"));
}

async fn no_return_is_planned_to_a_country_the_person_fled(s: Store) {
    let w = world(&s).await;
    let case = returnee(&s, &w).await;
    s.record_protection_need(
        &w.worker,
        case,
        NewProtectionNeed {
            kind: ProtectionKind::FearOfReturn,
            countries: vec![c("ER")],
            reason: "Deserted from national service".into(),
            raised_by: RaisedBy::ThePerson,
            next_review_on: None,
        },
    )
    .await
    .expect("need");
    s.record_return_choice(
        &w.worker,
        case,
        choice("return", true, "tl").validate().expect("valid"),
    )
    .await
    .expect("choice");
    assert!(is_rule(
        &s.set_return_journey(&w.worker, case, journey("ER").validate().expect("valid"))
            .await,
        ErrorCode::NonRefoulement
    ));
    assert_eq!(count(&s, "returns").await, 0, "nothing written");
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'return.journey' AND outcome = 'non_refoulement'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(n, 1, "the refusal is audited");
    s.set_return_journey(&w.worker, case, journey("PH").validate().expect("valid"))
        .await
        .expect("another country");
    assert_eq!(count(&s, "returns").await, 1);
    assert!(
        !s.return_view(&w.worker, case)
            .await
            .expect("view")
            .journey_refused
    );
    // A need recorded after the plan that lists its country: the plan is shown as refused.
    s.record_protection_need(
        &w.worker,
        case,
        NewProtectionNeed {
            kind: ProtectionKind::AsylumSeeker,
            countries: vec![c("PH")],
            reason: "Threatened by the network's protectors in the police".into(),
            raised_by: RaisedBy::ThePerson,
            next_review_on: None,
        },
    )
    .await
    .expect("need");
    assert!(
        s.return_view(&w.worker, case)
            .await
            .expect("view")
            .journey_refused
    );
}

/// The whole return: documents asked of the consulate, the hand-over to a partner abroad,
/// and its visits flowing back.
async fn documents_and_hand_over_go_through_referrals_and_visits_flow_back(s: Store) {
    let w = world(&s).await;
    let case = returnee(&s, &w).await;
    s.record_return_choice(
        &w.worker,
        case,
        choice("return", true, "tl").validate().expect("valid"),
    )
    .await
    .expect("choice");
    // Travel documents: a referral of the case to a consulate, not to anyone else.
    let consulate = org(&s, "Consulate PH", OrgKind::Consulate, "PH").await;
    let docs = refer(&s, &w.worker, case, consulate, "PH").await;
    let partner = org(&s, "Reintegration partner", OrgKind::Ngo, "PH").await;
    let staff = user(&s, partner, "staff@r.test", &[Role::Caseworker]).await;
    let handover = refer(&s, &w.worker, case, partner, "PH").await;
    assert!(matches!(
        s.link_travel_documents(&w.worker, case, handover).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.set_document_status(&w.worker, case, DocumentStatus::Issued)
            .await,
        Err(StoreError::Invalid(_))
    ));
    s.link_travel_documents(&w.worker, case, docs)
        .await
        .expect("documents asked");
    s.set_document_status(&w.worker, case, DocumentStatus::Issued)
        .await
        .expect("issued");
    // The hand-over needs the journey plan, and a partner in the country of return.
    assert!(matches!(
        s.link_reintegration_handover(&w.worker, case, handover)
            .await,
        Err(StoreError::Invalid(_))
    ));
    s.set_return_journey(&w.worker, case, journey("PH").validate().expect("valid"))
        .await
        .expect("plan");
    s.link_reintegration_handover(&w.worker, case, handover)
        .await
        .expect("handed over");
    // Until the partner accepts, it records nothing.
    assert!(matches!(
        s.record_reintegration_visit(
            &staff,
            handover,
            visit("three_months").validate().expect("valid")
        )
        .await,
        Err(StoreError::NotFound)
    ));
    s.answer_referral(&staff, handover, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    let follow = s
        .reintegration_follow_up(&staff, handover)
        .await
        .expect("partner reads");
    assert_eq!(
        follow.arrival_on.map(|d| d.to_string()).as_deref(),
        Some("2026-11-11")
    );
    s.record_reintegration_visit(
        &staff,
        handover,
        visit("three_months").validate().expect("valid"),
    )
    .await
    .expect("visit");
    assert!(matches!(
        s.record_reintegration_visit(
            &staff,
            handover,
            visit("three_months").validate().expect("valid")
        )
        .await,
        Err(StoreError::Rule {
            code: ErrorCode::AlreadyDone,
            ..
        })
    ));
    // The visit flows back to the case.
    let view = s.return_view(&w.worker, case).await.expect("view");
    assert_eq!(view.document_status, Some(DocumentStatus::Issued));
    let d = view.documents.expect("documents referral");
    assert_eq!(d.referral_id, docs);
    assert_eq!(d.organisation_name, "Consulate PH");
    let h = view.handover.expect("hand-over");
    assert_eq!(h.status, ReferralStatus::Accepted);
    assert_eq!(view.visits.len(), 1);
    assert_eq!(view.visits[0].month, VisitMonth::ThreeMonths);
    assert_eq!(view.visits[0].answers.len(), ITEMS.len());
    assert_eq!(
        view.visits[0].note.as_deref(),
        Some("Runs a small sari-sari store with her sister")
    );
    // The answers and the note are sealed at rest.
    let (answers, note): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT answers, note FROM reintegration_visits LIMIT 1")
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("raw");
    assert!(!String::from_utf8_lossy(&answers).contains("economic_satisfaction"));
    assert!(!String::from_utf8_lossy(&note).contains("sari-sari"));
    assert!(
        s.records_reintegration_on(&staff, handover)
            .await
            .expect("check")
    );
    assert!(
        !s.records_reintegration_on(&staff, docs)
            .await
            .expect("check")
    );
    assert!(
        !s.records_reintegration_on(&w.officer, handover)
            .await
            .expect("check")
    );
    // The partner never reads the case's return.
    assert!(matches!(
        s.return_view(&staff, case).await,
        Err(StoreError::NotFound)
    ));
}

/// Every path into the partner's write that is not the accepting partner's is `NotFound`.
async fn only_the_accepting_partner_records_visits(s: Store) {
    let w = world(&s).await;
    let case = returnee(&s, &w).await;
    s.record_return_choice(
        &w.worker,
        case,
        choice("return", true, "tl").validate().expect("valid"),
    )
    .await
    .expect("choice");
    s.set_return_journey(&w.worker, case, journey("PH").validate().expect("valid"))
        .await
        .expect("plan");
    let partner = org(&s, "Reintegration partner", OrgKind::Ngo, "PH").await;
    let staff = user(&s, partner, "staff@r.test", &[Role::Caseworker]).await;
    let handover = refer(&s, &w.worker, case, partner, "PH").await;
    s.link_reintegration_handover(&w.worker, case, handover)
        .await
        .expect("handed over");
    s.answer_referral(&staff, handover, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    // Another referral, accepted by its own receiver, that is no hand-over.
    let other_org = org(&s, "Other partner", OrgKind::Ngo, "PH").await;
    let other_staff = user(&s, other_org, "staff@o.test", &[Role::Caseworker]).await;
    let other = refer(&s, &w.worker, case, other_org, "PH").await;
    s.answer_referral(&other_staff, other, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    let outsider_org = org(&s, "Outsider", OrgKind::Ngo, "PH").await;
    let outsider = user(
        &s,
        outsider_org,
        "x@o.test",
        &[Role::Caseworker, Role::Supervisor],
    )
    .await;
    let missing = Uuid::now_v7();
    let v = || visit("three_months").validate().expect("valid");
    for (who, rid) in [
        (&outsider, handover),
        (&other_staff, handover),
        (&other_staff, other),
        (&staff, other),
        (&staff, missing),
        (&w.worker, handover),
        (&w.consul, handover),
    ] {
        assert!(matches!(
            s.record_reintegration_visit(who, rid, v()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.reintegration_follow_up(who, rid).await,
            Err(StoreError::NotFound)
        ));
    }
    for who in [&outsider, &other_staff, &w.consul] {
        assert!(matches!(
            s.return_view(who, case).await,
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
        s.record_reintegration_visit(&w.officer, handover, v())
            .await
            .map(|_| ())
    ));
    assert!(firewall(
        s.reintegration_follow_up(&w.officer, handover)
            .await
            .map(|_| ())
    ));
    assert!(firewall(s.return_view(&w.officer, case).await.map(|_| ())));
    assert_eq!(count(&s, "reintegration_visits").await, 0);
    // The partner records; then the consent is withdrawn, and it finds nothing more.
    s.record_reintegration_visit(&staff, handover, v())
        .await
        .expect("visit");
    let person = person_of(&s, &w.worker, case).await;
    let (basis,): (String,) = sqlx::query_as("SELECT consent_id FROM referrals WHERE id = $1")
        .bind(handover.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("basis");
    s.withdraw_consent(&w.worker, person, basis.parse().expect("uuid"), None)
        .await
        .expect("withdrawn");
    assert!(matches!(
        s.record_reintegration_visit(
            &staff,
            handover,
            visit("six_months").validate().expect("valid")
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.reintegration_follow_up(&staff, handover).await,
        Err(StoreError::NotFound)
    ));
    // What it recorded before stays with the case.
    assert_eq!(
        s.return_view(&w.worker, case)
            .await
            .expect("view")
            .visits
            .len(),
        1
    );
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'reintegration.visit' AND outcome = 'not_found'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert!(n >= 8, "refusals are audited");
}

async fn a_closed_hand_over_takes_no_more_visits(s: Store) {
    let w = world(&s).await;
    let case = returnee(&s, &w).await;
    s.record_return_choice(
        &w.worker,
        case,
        choice("return", true, "tl").validate().expect("valid"),
    )
    .await
    .expect("choice");
    s.set_return_journey(&w.worker, case, journey("PH").validate().expect("valid"))
        .await
        .expect("plan");
    let partner = org(&s, "Reintegration partner", OrgKind::Ngo, "PH").await;
    let staff = user(&s, partner, "staff@r.test", &[Role::Caseworker]).await;
    let handover = refer(&s, &w.worker, case, partner, "PH").await;
    s.link_reintegration_handover(&w.worker, case, handover)
        .await
        .expect("handed over");
    s.answer_referral(&staff, handover, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    s.close_referral(&staff, handover, "Follow-up ended")
        .await
        .expect("closed");
    assert!(matches!(
        s.record_reintegration_visit(
            &staff,
            handover,
            visit("three_months").validate().expect("valid")
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_plan_goes_ahead_only_on_a_voluntary_choice_to_return_on_every_backend() {
    on_every_backend!(a_plan_goes_ahead_only_on_a_voluntary_choice_to_return);
}

#[tokio::test]
async fn no_return_is_planned_to_a_country_the_person_fled_on_every_backend() {
    on_every_backend!(no_return_is_planned_to_a_country_the_person_fled);
}

#[tokio::test]
async fn documents_and_hand_over_go_through_referrals_and_visits_flow_back_on_every_backend() {
    on_every_backend!(documents_and_hand_over_go_through_referrals_and_visits_flow_back);
}

#[tokio::test]
async fn only_the_accepting_partner_records_visits_on_every_backend() {
    on_every_backend!(only_the_accepting_partner_records_visits);
}

#[tokio::test]
async fn a_closed_hand_over_takes_no_more_visits_on_every_backend() {
    on_every_backend!(a_closed_hand_over_takes_no_more_visits);
}
