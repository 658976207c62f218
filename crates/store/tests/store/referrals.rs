//! Referrals on every backend (issue 14 item 2): a case's organisation asks a service of another
//! organisation to work with the person. Nothing goes without a basis covering the receiving
//! organisation; the receiver reads only the fields chosen (never the migration status unless
//! allowed); a third organisation finds nothing; a withdrawn consent ends the receiver's reads
//! at once; immigration enforcement is never a target; the last place goes to one acceptance
//! only; and a consulate of a country the person fled is refused.

use crate::common::*;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::protection::{NewProtectionNeed, ProtectionKind};
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::referrals::{ReferralStatus, ShareField};
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::referrals::{Direction, NewReferral};
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

/// A directory entry of `org`, written directly (who may offer entries is the directory's own
/// suite); with `places` free out of `places` when given.
async fn service(s: &Store, org: Uuid, places: Option<i64>) -> Uuid {
    let id = Uuid::now_v7();
    let pool = s.operator("test").unsafe_raw_pool();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Night shelter', 'shelter', 'GB', 'any', 'adults', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(pool)
    .await
    .expect("service");
    if let Some(n) = places {
        sqlx::query(
            "INSERT INTO directory_capacity (service_id, free, total, version, updated_at) \
             VALUES ($1, $2, $2, 1, 1)",
        )
        .bind(id.to_string())
        .bind(n)
        .execute(pool)
        .await
        .expect("capacity");
    }
    id
}

async fn free_places(s: &Store, service: Uuid) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT free FROM directory_capacity WHERE service_id = $1")
        .bind(service.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("free");
    n
}

async fn referral_rows(s: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM referrals")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn person_of(s: &Store, actor: &Actor, case: Uuid) -> Uuid {
    s.get_case(actor, case).await.expect("case").person.id
}

/// Records the person's consent to a referral to `org`; returns the consent.
async fn consent(s: &Store, actor: &Actor, case: Uuid, org: Uuid) -> Uuid {
    let person = person_of(s, actor, case).await;
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

fn referral(service: Uuid, fields: &[ShareField]) -> NewReferral {
    NewReferral {
        service_id: service,
        purpose: ConsentPurpose::Referral,
        shared_fields: fields.to_vec(),
        note: Some("Arrives tonight with two children.".into()),
        protection_need_id: None,
    }
}

/// A service provider in GB with a caseworker: the receiving end.
async fn receiver(s: &Store, name: &str) -> (Uuid, Actor) {
    let id = org(s, name, OrgKind::ServiceProvider, "GB").await;
    let email = format!("staff@{}.test", name.to_ascii_lowercase());
    (id, user(s, id, &email, &[Role::Caseworker]).await)
}

fn code_of<T: std::fmt::Debug>(r: Result<T, StoreError>) -> ErrorCode {
    match r {
        Err(StoreError::Rule { code, .. }) => code,
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

async fn a_referral_needs_a_basis_covering_the_receiving_organisation(s: Store) {
    let w = world(&s).await;
    let (other, _) = receiver(&s, "Other").await;
    let (house, _) = receiver(&s, "House").await;
    let place = service(&s, house, None).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let refused = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await;
    assert_eq!(code_of(refused), ErrorCode::ConsentRequired);
    // Consent to another organisation does not cover this one.
    consent(&s, &w.worker, case, other).await;
    let refused = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await;
    assert_eq!(code_of(refused), ErrorCode::ConsentRequired);
    assert_eq!(referral_rows(&s).await, 0, "nothing written on a refusal");
    consent(&s, &w.worker, case, house).await;
    s.create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("covered");
    assert_eq!(referral_rows(&s).await, 1);
}

async fn the_receiver_sees_only_the_shared_fields(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, None).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", Some("irregular")).await;
    consent(&s, &w.worker, case, house).await;
    let id = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("sent");
    let seen = s.referral(&staff, id).await.expect("receiver reads");
    assert_eq!(seen.case_id, None, "the receiver never learns the case");
    assert_eq!(
        seen.shared_fields,
        vec![ShareField::Name, ShareField::Languages, ShareField::Needs]
    );
    let shared = seen.shared.expect("the shared values");
    let mut keys: Vec<&str> = shared
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["languages", "name", "needs"]);
    assert_eq!(shared["name"], "Joy Reyes");
    let text = serde_json::to_string(&seen.shared_fields).expect("json") + &shared.to_string();
    for secret in ["1994", "feminine", "PH", "passport", "irregular"] {
        assert!(!text.contains(secret), "{secret} was not chosen");
    }
    assert_eq!(seen.status, ReferralStatus::Sent);
    assert_eq!(
        seen.note.as_deref(),
        Some("Arrives tonight with two children.")
    );
    // The referrer sees its referral with the case, not a copy of the values.
    let mine = s.referral(&w.worker, id).await.expect("referrer reads");
    assert_eq!(mine.case_id, Some(case));
    assert!(mine.shared.is_none());
    let incoming = s
        .list_referrals(&staff, Direction::Incoming)
        .await
        .expect("list");
    assert_eq!(incoming.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    let outgoing = s
        .list_referrals(&w.worker, Direction::Outgoing)
        .await
        .expect("list");
    assert_eq!(outgoing.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    assert!(
        s.list_referrals(&staff, Direction::Outgoing)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn the_migration_status_never_leaks_unless_allowed(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, None).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", Some("irregular")).await;
    consent(&s, &w.worker, case, house).await;
    let plain = s
        .create_referral(&w.worker, case, referral(place, &[ShareField::Name]))
        .await
        .expect("sent");
    let seen = s.referral(&staff, plain).await.expect("read");
    assert!(!seen.shared_fields.contains(&ShareField::MigrationStatus));
    assert!(
        !seen
            .shared
            .expect("values")
            .to_string()
            .contains("irregular")
    );
    // Chosen with the person's agreement, for a receiver that may read it: it goes.
    let agreed = s
        .create_referral(
            &w.worker,
            case,
            referral(place, &[ShareField::Name, ShareField::MigrationStatus]),
        )
        .await
        .expect("sent");
    let seen = s.referral(&staff, agreed).await.expect("read");
    assert!(seen.shared_fields.contains(&ShareField::MigrationStatus));
    assert_eq!(
        seen.shared.expect("values")["migration_status"],
        "irregular"
    );
    // Never to a state authority, whatever was chosen.
    let consul_place = service(&s, w.consulate, None).await;
    consent(&s, &w.worker, case, w.consulate).await;
    let to_consulate = s
        .create_referral(
            &w.worker,
            case,
            referral(
                consul_place,
                &[ShareField::Name, ShareField::MigrationStatus],
            ),
        )
        .await
        .expect("sent");
    let seen = s.referral(&w.consul, to_consulate).await.expect("read");
    assert!(!seen.shared_fields.contains(&ShareField::MigrationStatus));
    assert!(
        !seen
            .shared
            .expect("values")
            .to_string()
            .contains("irregular")
    );
}

async fn a_third_organisation_finds_nothing(s: Store) {
    let w = world(&s).await;
    let (house, _) = receiver(&s, "House").await;
    let (_, stranger) = receiver(&s, "Stranger").await;
    let place = service(&s, house, Some(2)).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    consent(&s, &w.worker, case, house).await;
    let id = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("sent");
    assert!(matches!(
        s.referral(&stranger, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.answer_referral(&stranger, id, ReferralStatus::Accepted, None)
            .await,
        Err(StoreError::NotFound)
    ));
    // The referrer does not answer its own referral either.
    assert!(matches!(
        s.answer_referral(&w.worker, id, ReferralStatus::Accepted, None)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.referral(&w.officer, id).await,
        Err(StoreError::NotFound)
    ));
    for d in [Direction::Incoming, Direction::Outgoing] {
        assert!(
            s.list_referrals(&stranger, d)
                .await
                .expect("list")
                .is_empty()
        );
    }
    assert_eq!(free_places(&s, place).await, 2, "nothing taken");
}

async fn a_withdrawn_consent_ends_the_receivers_reads_at_once(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, Some(1)).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let basis = consent(&s, &w.worker, case, house).await;
    let id = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("sent");
    s.answer_referral(&staff, id, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    assert_eq!(free_places(&s, place).await, 0);
    s.referral(&staff, id).await.expect("reads before");

    let person = person_of(&s, &w.worker, case).await;
    s.withdraw_consent(&w.worker, person, basis, None)
        .await
        .expect("withdrawn");

    assert!(matches!(
        s.referral(&staff, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        s.list_referrals(&staff, Direction::Incoming)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(matches!(
        s.answer_referral(&staff, id, ReferralStatus::Declined, Some("x".into()))
            .await,
        Err(StoreError::NotFound)
    ));
    let mine = s.referral(&w.worker, id).await.expect("referrer reads");
    assert_eq!(mine.status, ReferralStatus::Withdrawn);
    assert_eq!(
        mine.access_ended_reason.as_deref(),
        Some("consent_withdrawn"),
        "the referrer sees why"
    );
    assert_eq!(free_places(&s, place).await, 1, "the place is given back");
}

/// A referral already answered (declined, or accepted and closed) still carries the shared
/// snapshot: withdrawing the consent ends the receiver's reads of it too, while the referrer
/// keeps the answer it was given.
async fn a_withdrawn_consent_ends_the_reads_of_an_answered_referral_too(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, Some(2)).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let basis = consent(&s, &w.worker, case, house).await;
    let declined = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("sent");
    s.answer_referral(
        &staff,
        declined,
        ReferralStatus::Declined,
        Some("No bed for children.".into()),
    )
    .await
    .expect("declined");
    let closed = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("sent");
    s.answer_referral(&staff, closed, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    s.close_referral(&staff, closed, "Stayed a week.")
        .await
        .expect("closed");
    for id in [declined, closed] {
        s.referral(&staff, id).await.expect("reads before");
    }

    let person = person_of(&s, &w.worker, case).await;
    s.withdraw_consent(&w.worker, person, basis, None)
        .await
        .expect("withdrawn");

    for (id, status) in [
        (declined, ReferralStatus::Declined),
        (closed, ReferralStatus::Closed),
    ] {
        assert!(matches!(
            s.referral(&staff, id).await,
            Err(StoreError::NotFound)
        ));
        let mine = s.referral(&w.worker, id).await.expect("referrer reads");
        assert_eq!(mine.status, status, "the answer given stays");
        assert_eq!(
            mine.access_ended_reason.as_deref(),
            Some("consent_withdrawn")
        );
    }
    assert!(
        s.list_referrals(&staff, Direction::Incoming)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(free_places(&s, place).await, 2, "no place given twice");
}

#[tokio::test]
async fn a_withdrawn_consent_ends_the_reads_of_an_answered_referral_too_on_every_backend() {
    on_every_backend!(a_withdrawn_consent_ends_the_reads_of_an_answered_referral_too);
}

async fn immigration_enforcement_is_never_a_target(s: Store) {
    let w = world(&s).await;
    let place = service(&s, w.immigration, None).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    // Even with a consent naming it on record (the consent register refuses one; written
    // here directly, as any other path might).
    let person = person_of(&s, &w.worker, case).await;
    sqlx::query(
        "INSERT INTO consents (id, person_id, purpose, organisation_id, basis, recorded_by, given_at) \
         VALUES ($1, $2, 'referral', $3, 'consent', $4, 1)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(person.to_string())
    .bind(w.immigration.to_string())
    .bind(w.worker.user_id().to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("consent row");
    let refused = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
    ));
    assert_eq!(referral_rows(&s).await, 0);
}

async fn the_last_place_accepted_twice_at_once_goes_to_one(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let other_staff = user(&s, house, "second@house.test", &[Role::Caseworker]).await;
    let place = service(&s, house, Some(1)).await;
    let a = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let b = open_case(&s, &w.worker, "Ana", "Cruz", None).await;
    consent(&s, &w.worker, a, house).await;
    consent(&s, &w.worker, b, house).await;
    let ra = s
        .create_referral(&w.worker, a, referral(place, &[]))
        .await
        .expect("sent");
    let rb = s
        .create_referral(&w.worker, b, referral(place, &[]))
        .await
        .expect("sent");
    let (x, y) = tokio::join!(
        s.answer_referral(&staff, ra, ReferralStatus::Accepted, None),
        s.answer_referral(&other_staff, rb, ReferralStatus::Accepted, None),
    );
    let wins = [&x, &y].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "one wins: {x:?} {y:?}");
    let loser = if x.is_ok() { y } else { x };
    assert_eq!(code_of(loser), ErrorCode::ServiceFull);
    assert_eq!(free_places(&s, place).await, 0);
    // A full service takes no new referral either.
    let c3 = open_case(&s, &w.worker, "Lea", "Santos", None).await;
    consent(&s, &w.worker, c3, house).await;
    let full = s.create_referral(&w.worker, c3, referral(place, &[])).await;
    assert_eq!(code_of(full), ErrorCode::ServiceFull);
}

async fn protection_needs_refuse_a_consulate_of_the_country_fled(s: Store) {
    let w = world(&s).await;
    let er = org(&s, "Consulate ER", OrgKind::Consulate, "ER").await;
    let place = service(&s, er, None).await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    consent(&s, &w.worker, case, er).await;
    s.record_protection_need(
        &w.worker,
        case,
        NewProtectionNeed {
            kind: ProtectionKind::Refugee,
            countries: vec![c("ER")],
            reason: "Fled conscription.".into(),
            raised_by: passage_core::casework::protection::RaisedBy::ThePerson,
            next_review_on: None,
        },
    )
    .await
    .expect("need");
    let refused = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await;
    assert_eq!(code_of(refused), ErrorCode::InternationalProtection);
    assert_eq!(referral_rows(&s).await, 0);
}

async fn a_decline_needs_a_reason_and_flows_back(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, Some(3)).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    consent(&s, &w.worker, case, house).await;
    let id = s
        .create_referral(&w.worker, case, referral(place, &[]))
        .await
        .expect("sent");
    assert!(matches!(
        s.answer_referral(&staff, id, ReferralStatus::Declined, Some("  ".into()))
            .await,
        Err(StoreError::Invalid(_))
    ));
    s.answer_referral(
        &staff,
        id,
        ReferralStatus::Declined,
        Some("No place for children.".into()),
    )
    .await
    .expect("declined");
    let mine = s.referral(&w.worker, id).await.expect("read");
    assert_eq!(mine.status, ReferralStatus::Declined);
    assert_eq!(mine.outcome.as_deref(), Some("No place for children."));
    assert_eq!(
        code_of(
            s.answer_referral(&staff, id, ReferralStatus::Accepted, None)
                .await
        ),
        ErrorCode::TransitionNotAllowed
    );
    assert_eq!(free_places(&s, place).await, 3, "a decline takes no place");
}

/// Sends a referral of a new case of the world's worker to `place`, on a recorded consent;
/// returns (case, consent, referral).
async fn sent(
    s: &Store,
    w: &World,
    house: Uuid,
    place: Uuid,
    fields: &[ShareField],
) -> (Uuid, Uuid, Uuid) {
    let case = open_case(s, &w.worker, "Joy", "Reyes", Some("irregular")).await;
    let basis = consent(s, &w.worker, case, house).await;
    let id = s
        .create_referral(&w.worker, case, referral(place, fields))
        .await
        .expect("sent");
    (case, basis, id)
}

async fn the_snapshot_carries_the_summary_and_case_types_when_chosen(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, None).await;
    let (_, _, id) = sent(
        &s,
        &w,
        house,
        place,
        &[ShareField::Summary, ShareField::CaseTypes],
    )
    .await;
    let shared = s
        .referral(&staff, id)
        .await
        .expect("read")
        .shared
        .expect("values");
    assert_eq!(
        shared["summary"],
        "Recruited with a false job offer; passport held by the employer."
    );
    let mut types: Vec<&str> = shared["case_types"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    types.sort_unstable();
    assert_eq!(types, vec!["labour_exploitation", "trafficking"]);
}

async fn an_accepted_referral_opens_one_linked_case_from_the_snapshot_only(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let (_, stranger) = receiver(&s, "Stranger").await;
    let place = service(&s, house, Some(2)).await;
    let fields = [
        ShareField::Name,
        ShareField::Citizenships,
        ShareField::Summary,
        ShareField::CaseTypes,
    ];
    let (case, _, id) = sent(&s, &w, house, place, &fields).await;
    assert_eq!(
        code_of(s.open_case_from_referral(&staff, id).await),
        ErrorCode::TransitionNotAllowed,
        "only after accepting"
    );
    s.answer_referral(&staff, id, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    for outsider in [&stranger, &w.officer, &w.worker] {
        assert!(
            matches!(
                s.open_case_from_referral(outsider, id).await,
                Err(StoreError::NotFound)
            ),
            "only the receiver opens a case from it"
        );
    }
    let reader = user(&s, house, "reader@house.test", &[Role::ServiceProvider]).await;
    assert!(
        matches!(
            s.open_case_from_referral(&reader, id).await,
            Err(StoreError::Forbidden(_))
        ),
        "a role that opens no case"
    );
    let linked = s.open_case_from_referral(&staff, id).await.expect("opened");
    let theirs = s
        .get_case(&staff, linked)
        .await
        .expect("the receiver's own case");
    assert_eq!(theirs.organisation_id, house);
    assert_eq!(theirs.person.given_name, "Joy Reyes");
    assert_eq!(theirs.person.citizenships, vec!["PH".to_string()]);
    assert_eq!(theirs.person.date_of_birth, None, "not shared, not copied");
    assert_eq!(
        theirs.person.migration_status, None,
        "not shared, not copied"
    );
    assert_eq!(
        theirs.summary,
        "Recruited with a false job offer; passport held by the employer."
    );
    assert_eq!(theirs.types.len(), 2);
    assert_ne!(
        theirs.person.id,
        s.get_case(&w.worker, case).await.expect("own").person.id
    );
    assert_eq!(
        code_of(s.open_case_from_referral(&staff, id).await),
        ErrorCode::AlreadyLinked
    );
    assert_eq!(
        s.referral(&staff, id).await.expect("read").linked_case_id,
        Some(linked)
    );
    assert_eq!(
        s.referral(&w.worker, id)
            .await
            .expect("read")
            .linked_case_id,
        None,
        "the referrer never learns the receiver's case"
    );
    assert!(
        matches!(
            s.get_case(&w.worker, linked).await,
            Err(StoreError::NotFound)
        ),
        "nor reads it"
    );
}

async fn closing_needs_an_outcome_frees_the_place_and_flows_back(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let (_, stranger) = receiver(&s, "Stranger").await;
    let place = service(&s, house, Some(1)).await;
    let (_, _, id) = sent(&s, &w, house, place, &[]).await;
    assert_eq!(
        code_of(s.close_referral(&staff, id, "Stayed a week.").await),
        ErrorCode::TransitionNotAllowed,
        "a referral not accepted is not closed"
    );
    s.answer_referral(&staff, id, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    assert_eq!(free_places(&s, place).await, 0, "the bed is taken");
    for outsider in [&w.worker, &stranger, &w.officer] {
        assert!(
            matches!(
                s.close_referral(outsider, id, "x").await,
                Err(StoreError::NotFound)
            ),
            "only the receiver closes"
        );
    }
    assert!(matches!(
        s.close_referral(&staff, id, "   ").await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(free_places(&s, place).await, 0);
    s.close_referral(&staff, id, "Stayed a week; moved to her sister's.")
        .await
        .expect("closed");
    assert_eq!(free_places(&s, place).await, 1, "the bed is free again");
    let mine = s.referral(&w.worker, id).await.expect("referrer reads");
    assert_eq!(mine.status, ReferralStatus::Closed);
    assert_eq!(
        mine.outcome.as_deref(),
        Some("Stayed a week; moved to her sister's.")
    );
    assert!(mine.closed_at.is_some());
    let outgoing = s
        .list_referrals(&w.worker, Direction::Outgoing)
        .await
        .expect("list");
    assert_eq!(outgoing[0].status, ReferralStatus::Closed);
    assert_eq!(outgoing[0].to_organisation_name, "House");
    assert_eq!(
        code_of(s.close_referral(&staff, id, "again").await),
        ErrorCode::TransitionNotAllowed
    );
    assert_eq!(free_places(&s, place).await, 1, "freed once");
}

async fn a_withdrawal_after_acceptance_keeps_only_the_receivers_own_case(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House").await;
    let place = service(&s, house, Some(1)).await;
    let (case, basis, id) = sent(&s, &w, house, place, &[]).await;
    s.answer_referral(&staff, id, ReferralStatus::Accepted, None)
        .await
        .expect("accepted");
    let linked = s.open_case_from_referral(&staff, id).await.expect("opened");
    let person = person_of(&s, &w.worker, case).await;
    s.withdraw_consent(&w.worker, person, basis, None)
        .await
        .expect("withdrawn");
    assert!(matches!(
        s.referral(&staff, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.close_referral(&staff, id, "done").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        free_places(&s, place).await,
        1,
        "the place is given back once"
    );
    let mine = s.referral(&w.worker, id).await.expect("referrer reads");
    assert_eq!(mine.status, ReferralStatus::Withdrawn);
    let kept = s
        .get_case(&staff, linked)
        .await
        .expect("what it copied it keeps");
    assert_eq!(kept.person.given_name, "Joy Reyes");
}

async fn a_consent_withdrawn_while_sending_leaves_no_referral_resting_on_it(s: Store) {
    let w = world(&s).await;
    let (house, _) = receiver(&s, "House").await;
    let place = service(&s, house, None).await;
    for _ in 0..6 {
        let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
        let basis = consent(&s, &w.worker, case, house).await;
        let person = person_of(&s, &w.worker, case).await;
        let (sent, withdrawn) = tokio::join!(
            s.create_referral(&w.worker, case, referral(place, &[])),
            async {
                tokio::task::yield_now().await;
                s.withdraw_consent(&w.worker, person, basis, None).await
            }
        );
        withdrawn.expect("withdrawn");
        match sent {
            Ok(_) => {}
            Err(e) => assert_eq!(code_of::<()>(Err(e)), ErrorCode::ConsentRequired),
        }
    }
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM referrals r JOIN consents c ON c.id = r.consent_id \
         WHERE c.withdrawn_at IS NOT NULL AND r.status IN ('sent', 'accepted')",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("count");
    assert_eq!(n, 0, "a referral rests on a withdrawn consent");
}

async fn only_staff_who_work_with_cases_read_or_answer_a_referral(s: Store) {
    let w = world(&s).await;
    let (house, _) = receiver(&s, "House").await;
    let analyst = user(&s, house, "analyst@house.test", &[Role::Analyst]).await;
    let place = service(&s, house, None).await;
    let (_, _, id) = sent(&s, &w, house, place, &[]).await;
    assert!(matches!(
        s.referral(&analyst, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_referrals(&analyst, Direction::Incoming).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.answer_referral(&analyst, id, ReferralStatus::Accepted, None)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_referrals(&w.officer, Direction::Incoming).await,
        Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
    ));
}

#[tokio::test]
async fn only_staff_who_work_with_cases_read_or_answer_a_referral_on_every_backend() {
    on_every_backend!(only_staff_who_work_with_cases_read_or_answer_a_referral);
}

#[tokio::test]
async fn the_snapshot_carries_the_summary_and_case_types_when_chosen_on_every_backend() {
    on_every_backend!(the_snapshot_carries_the_summary_and_case_types_when_chosen);
}

#[tokio::test]
async fn an_accepted_referral_opens_one_linked_case_from_the_snapshot_only_on_every_backend() {
    on_every_backend!(an_accepted_referral_opens_one_linked_case_from_the_snapshot_only);
}

#[tokio::test]
async fn closing_needs_an_outcome_frees_the_place_and_flows_back_on_every_backend() {
    on_every_backend!(closing_needs_an_outcome_frees_the_place_and_flows_back);
}

#[tokio::test]
async fn a_withdrawal_after_acceptance_keeps_only_the_receivers_own_case_on_every_backend() {
    on_every_backend!(a_withdrawal_after_acceptance_keeps_only_the_receivers_own_case);
}

#[tokio::test]
async fn a_consent_withdrawn_while_sending_leaves_no_referral_resting_on_it_on_every_backend() {
    on_every_backend!(a_consent_withdrawn_while_sending_leaves_no_referral_resting_on_it);
}

#[tokio::test]
async fn a_referral_needs_a_basis_covering_the_receiving_organisation_on_every_backend() {
    on_every_backend!(a_referral_needs_a_basis_covering_the_receiving_organisation);
}

#[tokio::test]
async fn the_receiver_sees_only_the_shared_fields_on_every_backend() {
    on_every_backend!(the_receiver_sees_only_the_shared_fields);
}

#[tokio::test]
async fn the_migration_status_never_leaks_unless_allowed_on_every_backend() {
    on_every_backend!(the_migration_status_never_leaks_unless_allowed);
}

#[tokio::test]
async fn a_third_organisation_finds_nothing_on_every_backend() {
    on_every_backend!(a_third_organisation_finds_nothing);
}

#[tokio::test]
async fn a_withdrawn_consent_ends_the_receivers_reads_at_once_on_every_backend() {
    on_every_backend!(a_withdrawn_consent_ends_the_receivers_reads_at_once);
}

#[tokio::test]
async fn immigration_enforcement_is_never_a_target_on_every_backend() {
    on_every_backend!(immigration_enforcement_is_never_a_target);
}

#[tokio::test]
async fn the_last_place_accepted_twice_at_once_goes_to_one_on_every_backend() {
    on_every_backend!(the_last_place_accepted_twice_at_once_goes_to_one);
}

#[tokio::test]
async fn protection_needs_refuse_a_consulate_of_the_country_fled_on_every_backend() {
    on_every_backend!(protection_needs_refuse_a_consulate_of_the_country_fled);
}

#[tokio::test]
async fn a_decline_needs_a_reason_and_flows_back_on_every_backend() {
    on_every_backend!(a_decline_needs_a_reason_and_flows_back);
}
