//! The person's own copy, the disclosure register and corrections on every backend (issue 19
//! item 2): the copy holds what its reader may see and nothing they may not; another
//! organisation and immigration enforcement find nothing; a referral is in the register with
//! its fields and consent; a correction goes from request to decision once.

use crate::common::*;
use passage_core::casework::corrections::{CorrectionOutcome, RawCorrection, RawDecision};
use passage_core::casework::{ConsentPurpose, LegalBasis};
use passage_core::referrals::ShareField;
use passage_core::{Country, ErrorCode, OrgKind, Role};
use passage_store::casework::disclosures::DisclosureKind;
use passage_store::casework::needs::NeedInput;
use passage_store::casework::referrals::NewReferral;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

/// A directory entry of `org`, written directly (who may offer entries is the directory's own
/// suite).
pub async fn service(s: &Store, org: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Legal clinic', 'legal_aid', 'GB', 'any', 'adults', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

/// A service provider in GB with a caseworker.
pub async fn partner(s: &Store, name: &str) -> (Uuid, Actor) {
    let id = s
        .create_organisation(
            s.operator("test").authority(),
            name,
            OrgKind::ServiceProvider,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let email = format!("staff@{}.test", name.to_ascii_lowercase());
    (id, user(s, id, &email, &[Role::Caseworker]).await)
}

/// Sends a referral of `case` to a service of `org` sharing `fields`, on a recorded consent.
pub async fn refer(s: &Store, actor: &Actor, case: Uuid, org: Uuid, fields: &[ShareField]) -> Uuid {
    consent_to_referral(s, actor, case, org).await;
    let place = service(s, org).await;
    s.create_referral(
        actor,
        case,
        NewReferral {
            service_id: place,
            purpose: ConsentPurpose::Referral,
            shared_fields: fields.to_vec(),
            note: Some("Needs advice on unpaid wages.".into()),
            protection_need_id: None,
        },
    )
    .await
    .expect("referral")
}

fn nf<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound))
}

async fn the_copy_holds_what_its_reader_may_see(s: Store) {
    let w = world(&s).await;
    let intake = user(&s, w.shelter, "intake@s.test", &[Role::Intake]).await;
    // Opened by an intake worker, who reads the case but not the migration status.
    let case = open_case(&s, &intake, "Maria", "Santos", Some("irregular")).await;
    s.add_note(
        &intake,
        case,
        note("normal", "Asked for a copy of her file."),
    )
    .await
    .expect("note");
    s.add_note(
        &w.supervisor,
        case,
        note("sensitive", "Disclosed abuse by the employer."),
    )
    .await
    .expect("sensitive note");
    s.upsert_need(
        &intake,
        case,
        NeedInput {
            domain: "legal".into(),
            urgency: "high".into(),
            description: Some("Wages owed".into()),
            met: false,
            version: None,
        },
    )
    .await
    .expect("need");

    let mine = s.person_copy(&intake, case).await.expect("intake's copy");
    assert_eq!(mine.case.id, case);
    assert_eq!(mine.person.given_name, "Maria");
    assert_eq!(
        mine.person.migration_status, None,
        "firewalled field not shown"
    );
    assert_eq!(mine.case.person.migration_status, None);
    let bodies: Vec<_> = mine.notes.iter().map(|n| n.body.as_str()).collect();
    assert_eq!(
        bodies,
        vec!["Asked for a copy of her file."],
        "no sensitive note"
    );
    assert_eq!(mine.needs.len(), 1);
    let json = serde_json::to_string(&mine).expect("json");
    assert!(
        !json.contains("irregular"),
        "the migration status leaks nowhere"
    );
    assert!(
        !json.contains("Disclosed abuse"),
        "the sensitive note leaks nowhere"
    );

    let supervisors = s
        .person_copy(&w.supervisor, case)
        .await
        .expect("supervisor's copy");
    assert_eq!(
        supervisors.person.migration_status.as_deref(),
        Some("irregular")
    );
    assert_eq!(supervisors.notes.len(), 2);

    // Producing the copy is audited with the case's id.
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'case.copy' AND object_id = $1 AND outcome = 'ok'",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("count");
    assert_eq!(n, 2);
}

async fn another_organisation_and_enforcement_find_nothing(s: Store) {
    let w = world(&s).await;
    let (house, house_staff) = partner(&s, "House").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    // Even the organisation the case was referred to reads only its referral, not the case.
    refer(&s, &w.worker, case, house, &[ShareField::Name]).await;
    for reader in [&house_staff, &w.officer, &w.consul] {
        assert!(nf(s.person_copy(reader, case).await), "copy");
        assert!(nf(s.case_disclosures(reader, case).await), "disclosures");
        assert!(nf(s.list_corrections(reader, case).await), "corrections");
    }
    // A missing case answers the same.
    assert!(nf(s.person_copy(&w.worker, Uuid::now_v7()).await));
}

async fn a_referral_is_in_the_register_with_its_fields_and_consent(s: Store) {
    let w = world(&s).await;
    let (house, _) = partner(&s, "House").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let empty = s.case_disclosures(&w.worker, case).await.expect("register");
    assert!(empty.disclosures.is_empty());
    assert!(!empty.statistics_consent_in_force);
    let rid = refer(
        &s,
        &w.worker,
        case,
        house,
        &[ShareField::Name, ShareField::Languages],
    )
    .await;
    let register = s.case_disclosures(&w.worker, case).await.expect("register");
    assert_eq!(register.disclosures.len(), 1);
    let d = &register.disclosures[0];
    assert_eq!(d.kind, DisclosureKind::Referral);
    assert_eq!(d.id, rid);
    assert_eq!(d.to_organisation_id, house);
    assert_eq!(d.to_organisation_name, "House");
    assert_eq!(d.from_organisation_name, "Shelter");
    assert_eq!(d.fields, vec!["name", "languages"]);
    assert_eq!(d.basis, Some(LegalBasis::Consent));
    assert_eq!(d.purpose, Some(ConsentPurpose::Referral));
    assert!(d.basis_given_at.is_some() && d.basis_withdrawn_at.is_none());
    assert_eq!(d.status, "sent");
    // The copy carries the same register.
    let copy = s.person_copy(&w.worker, case).await.expect("copy");
    assert_eq!(copy.disclosures, register);
    assert_eq!(copy.referrals.len(), 1);
}

async fn a_correction_is_requested_and_decided_once(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let asked = RawCorrection {
        what: "My date of birth is 1994-03-02, not March 1994.",
        asked_on: "2026-05-04",
    }
    .validate()
    .expect("valid");
    let id = s
        .request_correction(&w.worker, case, asked)
        .await
        .expect("requested");
    let listed = s.list_corrections(&w.worker, case).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].asked_on, "2026-05-04");
    assert_eq!(listed[0].outcome, None);
    let partly = RawDecision {
        outcome: "partly",
        reason: "The month is on the passport; the day is not recorded anywhere.",
    }
    .validate()
    .expect("valid");
    // Someone outside the case cannot decide it, nor find it.
    assert!(nf(s
        .decide_correction(&w.officer, case, id, partly.clone())
        .await));
    assert!(nf(s
        .decide_correction(&w.consul, case, id, partly.clone())
        .await));
    // A correction of another case is not found through this one.
    let other = open_case(&s, &w.worker, "Ana", "Lima", None).await;
    assert!(nf(s
        .decide_correction(&w.worker, other, id, partly.clone())
        .await));
    s.decide_correction(&w.worker, case, id, partly.clone())
        .await
        .expect("decided");
    let again = s.decide_correction(&w.worker, case, id, partly).await;
    assert!(
        matches!(
            again,
            Err(StoreError::Rule {
                code: ErrorCode::TransitionNotAllowed,
                ..
            })
        ),
        "{again:?}"
    );
    let copy = s.person_copy(&w.worker, case).await.expect("copy");
    let c = &copy.corrections[0];
    assert_eq!(c.outcome, Some(CorrectionOutcome::Partly));
    assert_eq!(
        c.reason.as_deref(),
        Some("The month is on the passport; the day is not recorded anywhere.")
    );
    assert_eq!(c.decided_by_name.as_deref(), Some("worker@s.test"));
    assert!(c.decided_at.is_some());
    // The request is sealed at rest.
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT what FROM case_corrections WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("row");
    assert!(!String::from_utf8_lossy(&raw).contains("date of birth"));
}

#[tokio::test]
async fn the_copy_holds_what_its_reader_may_see_on_every_backend() {
    on_every_backend!(the_copy_holds_what_its_reader_may_see);
}

#[tokio::test]
async fn another_organisation_and_enforcement_find_nothing_on_every_backend() {
    on_every_backend!(another_organisation_and_enforcement_find_nothing);
}

#[tokio::test]
async fn a_referral_is_in_the_register_with_its_fields_and_consent_on_every_backend() {
    on_every_backend!(a_referral_is_in_the_register_with_its_fields_and_consent);
}

#[tokio::test]
async fn a_correction_is_requested_and_decided_once_on_every_backend() {
    on_every_backend!(a_correction_is_requested_and_decided_once);
}
