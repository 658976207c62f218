//! Transfers on every backend (issue 14 item 3): the case itself moves to another
//! organisation, on a basis covering it. Before accepting the receiver reads only a minimal view
//! (never the live case); acceptance moves the case and its person, and the sender keeps only
//! its stub; a third organisation finds nothing; a withdrawn consent ends a pending transfer;
//! immigration enforcement and a consulate of a country the person fled are refused; of two
//! acceptances at once one wins.

use crate::common::*;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::protection::{NewProtectionNeed, ProtectionKind};
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::transfers::TransferStatus;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::transfers::{Direction, NewTransfer};
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

/// An NGO in `country` with a caseworker: the receiving end.
async fn receiver(s: &Store, name: &str, country: &str) -> (Uuid, Actor) {
    let id = org(s, name, OrgKind::Ngo, country).await;
    let email = format!("staff@{}.test", name.to_ascii_lowercase());
    (id, user(s, id, &email, &[Role::Caseworker]).await)
}

async fn transfer_rows(s: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_transfers")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn person_of(s: &Store, actor: &Actor, case: Uuid) -> Uuid {
    s.get_case(actor, case).await.expect("case").person.id
}

async fn record(
    s: &Store,
    actor: &Actor,
    person: Uuid,
    purpose: ConsentPurpose,
    org: Option<Uuid>,
) -> Uuid {
    s.record_consent(
        actor,
        person,
        NewConsent {
            purpose,
            organisation_id: org,
            basis: LegalBasis::Consent,
            method: Some(ConsentMethod::Written),
            language: None,
            reason: None,
        },
    )
    .await
    .expect("consent")
}

/// Records the person's consent to a referral (and so a transfer) to `org`.
async fn consent(s: &Store, actor: &Actor, case: Uuid, org: Uuid) -> Uuid {
    let person = person_of(s, actor, case).await;
    record(s, actor, person, ConsentPurpose::Referral, Some(org)).await
}

fn to(org: Uuid) -> NewTransfer {
    NewTransfer {
        to_organisation_id: org,
        reason: "She needs a bed tonight; the shelter takes the case on.".into(),
        note: Some("Call before ten.".into()),
    }
}

fn code_of<T: std::fmt::Debug>(r: Result<T, StoreError>) -> ErrorCode {
    match r {
        Err(StoreError::Rule { code, .. }) => code,
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::NotFound)),
        "expected not found, got {r:?}"
    );
}

async fn an_accepted_transfer_moves_the_case_and_leaves_a_stub(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House", "GB").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", Some("irregular")).await;
    let person = person_of(&s, &w.worker, case).await;
    consent(&s, &w.worker, case, house).await;
    // An open task assigned to a sender user.
    sqlx::query(
        "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $5, 1)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(case.to_string())
    .bind(w.shelter.to_string())
    .bind(vec![0u8; 4])
    .bind(w.worker.user_id().to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("task");
    let id = s
        .propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");

    // Before accepting: the minimal view, never the case.
    not_found(s.get_case(&staff, case).await);
    not_found(s.person_details(&staff, person).await);
    let seen = s.transfer(&staff, id).await.expect("receiver reads");
    assert_eq!(
        seen.case_id, None,
        "the receiver does not learn the case before accepting"
    );
    assert_eq!(seen.status, TransferStatus::Pending);
    let view = seen.person.expect("the minimal view");
    let mut keys: Vec<&str> = view
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["languages", "name", "needs"]);
    assert_eq!(view["name"], "Joy Reyes");
    for secret in ["irregular", "1994", "passport", "PH"] {
        assert!(
            !view.to_string().contains(secret),
            "{secret} is not in the minimal view"
        );
    }
    assert!(seen.reason.contains("bed tonight"));
    let incoming = s
        .list_transfers(&staff, Direction::Incoming)
        .await
        .expect("list");
    assert_eq!(incoming.iter().map(|t| t.id).collect::<Vec<_>>(), vec![id]);

    s.accept_transfer(&staff, id).await.expect("accepted");

    // The receiver owns the case and the person now.
    let moved = s.get_case(&staff, case).await.expect("the receiver's case");
    assert_eq!(moved.organisation_id, house);
    assert_eq!(
        moved.assigned_to,
        Some(staff.user_id()),
        "the case is the accepter's, no sender user's"
    );
    s.person_details(&staff, person)
        .await
        .expect("the receiver's person");
    let (open_assigned,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM tasks WHERE case_id = $1 AND assigned_to IS NOT NULL AND done_at IS NULL",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("tasks");
    assert_eq!(
        open_assigned, 0,
        "open tasks are no longer assigned to the sender's staff"
    );
    let accepted = s.transfer(&staff, id).await.expect("read");
    assert_eq!(accepted.case_id, Some(case));
    assert!(
        accepted.person.is_none(),
        "the snapshot is no longer needed"
    );

    // The sender: not found on the case and its person, the stub remains.
    for actor in [&w.worker, &w.supervisor] {
        not_found(s.get_case(actor, case).await);
        not_found(s.person_details(actor, person).await);
    }
    let stub = s.transfer(&w.worker, id).await.expect("the stub");
    assert_eq!(stub.status, TransferStatus::Accepted);
    assert_eq!(stub.to_organisation_id, house);
    assert!(stub.person.is_none());
    assert!(stub.answered_at.is_some());

    // The receiver closes it with its outcome; the sender reads the outcome.
    assert!(matches!(
        s.close_transfer(&staff, id, " ").await,
        Err(StoreError::Invalid(_))
    ));
    s.close_transfer(&staff, id, "Housed and in a recovery programme.")
        .await
        .expect("closed");
    let stub = s.transfer(&w.worker, id).await.expect("the stub");
    assert_eq!(stub.status, TransferStatus::Closed);
    assert_eq!(
        stub.outcome.as_deref(),
        Some("Housed and in a recovery programme.")
    );
    let outgoing = s
        .list_transfers(&w.worker, Direction::Outgoing)
        .await
        .expect("list");
    assert_eq!(outgoing.len(), 1);
}

async fn a_proposal_is_refused_with_nothing_written(s: Store) {
    let w = world(&s).await;
    let (house, _) = receiver(&s, "House", "GB").await;
    let (abroad, _) = receiver(&s, "Abroad", "FR").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let person = person_of(&s, &w.worker, case).await;
    // No basis.
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(house)).await),
        ErrorCode::ConsentRequired
    );
    // A basis for another organisation does not cover this one.
    consent(&s, &w.worker, case, abroad).await;
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(house)).await),
        ErrorCode::ConsentRequired
    );
    // Across a border the cross-border purpose is needed too.
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(abroad)).await),
        ErrorCode::ConsentRequired
    );
    // Its own organisation, one that does not exist, and no reason.
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(w.shelter)).await),
        ErrorCode::OwnOrganisation
    );
    not_found(
        s.propose_transfer(&w.worker, case, to(Uuid::now_v7()))
            .await,
    );
    consent(&s, &w.worker, case, house).await;
    let mut blank = to(house);
    blank.reason = "  ".into();
    assert!(matches!(
        s.propose_transfer(&w.worker, case, blank).await,
        Err(StoreError::Invalid(_))
    ));
    // Someone who does not handle cases.
    assert!(matches!(
        s.propose_transfer(&w.org_admin, case, to(house)).await,
        Err(StoreError::NotFound | StoreError::Forbidden(_))
    ));
    // The person has another case here.
    let second = passage_core::records::RawCase {
        person_id: person.to_string(),
        types: vec!["labour_exploitation".into()],
        stage: "destination".into(),
        summary: "Another employer.".into(),
    }
    .validate()
    .expect("valid case");
    let other = s.create_case(&w.worker, second).await.expect("second case");
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(house)).await),
        ErrorCode::PersonHasOtherCases
    );
    assert_eq!(transfer_rows(&s).await, 0, "nothing written on a refusal");
    // A closed case.
    sqlx::query("UPDATE cases SET status = 'closed' WHERE id = $1")
        .bind(other.to_string())
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("close");
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, other, to(house)).await),
        ErrorCode::CaseClosed
    );
    sqlx::query("DELETE FROM case_types WHERE case_id = $1")
        .bind(other.to_string())
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("types");
    sqlx::query("DELETE FROM cases WHERE id = $1")
        .bind(other.to_string())
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("only one case left");
    // Covered now; a second proposal while the first waits is refused.
    s.propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(house)).await),
        ErrorCode::TransferPending
    );
    assert_eq!(transfer_rows(&s).await, 1);
    // With the cross-border basis, abroad is covered (refused here only for the pending one).
    record(
        &s,
        &w.worker,
        person,
        ConsentPurpose::CrossBorderSharing,
        None,
    )
    .await;
    assert_eq!(
        code_of(s.propose_transfer(&w.worker, case, to(abroad)).await),
        ErrorCode::TransferPending
    );
}

async fn a_third_organisation_finds_nothing(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House", "GB").await;
    let (_, stranger) = receiver(&s, "Stranger", "GB").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    consent(&s, &w.worker, case, house).await;
    let id = s
        .propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");
    for outsider in [&stranger, &w.officer, &w.consul] {
        not_found(s.transfer(outsider, id).await);
        not_found(s.accept_transfer(outsider, id).await);
        not_found(s.decline_transfer(outsider, id, "no").await);
        not_found(s.close_transfer(outsider, id, "no").await);
        for d in [Direction::Incoming, Direction::Outgoing] {
            assert!(
                s.list_transfers(outsider, d)
                    .await
                    .expect("list")
                    .is_empty()
            );
        }
    }
    // A transfer that does not exist answers the same.
    not_found(s.transfer(&stranger, Uuid::now_v7()).await);
    // The sender does not answer its own transfer.
    not_found(s.accept_transfer(&w.worker, id).await);
    s.accept_transfer(&staff, id).await.expect("accepted");
    not_found(s.get_case(&stranger, case).await);
    not_found(s.transfer(&stranger, id).await);
}

async fn a_withdrawn_consent_ends_a_pending_transfer(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House", "GB").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let basis = consent(&s, &w.worker, case, house).await;
    let id = s
        .propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");
    s.transfer(&staff, id).await.expect("reads before");
    let person = person_of(&s, &w.worker, case).await;
    s.withdraw_consent(&w.worker, person, basis, None)
        .await
        .expect("withdrawn");
    not_found(s.transfer(&staff, id).await);
    not_found(s.accept_transfer(&staff, id).await);
    assert!(
        s.list_transfers(&staff, Direction::Incoming)
            .await
            .expect("list")
            .is_empty()
    );
    let stub = s.transfer(&w.worker, id).await.expect("the sender reads");
    assert_eq!(stub.status, TransferStatus::Withdrawn);
    // The case never moved.
    assert_eq!(
        s.get_case(&w.worker, case)
            .await
            .expect("still here")
            .organisation_id,
        w.shelter
    );
    // And a new proposal may be made once a basis is recorded again.
    consent(&s, &w.worker, case, house).await;
    s.propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed again");
}

async fn immigration_enforcement_is_never_a_receiver(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let person = person_of(&s, &w.worker, case).await;
    // Even with a consent naming it on record (written directly, as any other path might).
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
    let refused = s.propose_transfer(&w.worker, case, to(w.immigration)).await;
    assert!(matches!(
        refused,
        Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
    ));
    assert_eq!(transfer_rows(&s).await, 0);
    let targets = s.transfer_targets(&w.worker).await.expect("targets");
    assert!(
        targets
            .iter()
            .all(|t| t.kind != OrgKind::ImmigrationEnforcement && t.id != w.shelter)
    );
    assert!(targets.iter().any(|t| t.id == w.consulate));
}

async fn protection_needs_refuse_a_consulate_of_the_country_fled(s: Store) {
    let w = world(&s).await;
    let er = org(&s, "Consulate ER", OrgKind::Consulate, "ER").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let person = person_of(&s, &w.worker, case).await;
    consent(&s, &w.worker, case, er).await;
    record(
        &s,
        &w.worker,
        person,
        ConsentPurpose::CrossBorderSharing,
        None,
    )
    .await;
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
    let refused = s.propose_transfer(&w.worker, case, to(er)).await;
    assert_eq!(code_of(refused), ErrorCode::InternationalProtection);
    assert_eq!(transfer_rows(&s).await, 0);
}

async fn two_acceptances_at_once_one_wins(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House", "GB").await;
    let boss = user(&s, house, "boss@house.test", &[Role::Supervisor]).await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    consent(&s, &w.worker, case, house).await;
    let id = s
        .propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");
    let (x, y) = tokio::join!(s.accept_transfer(&staff, id), s.accept_transfer(&boss, id));
    let wins = [&x, &y].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "one wins: {x:?} {y:?}");
    let loser = if x.is_ok() { y } else { x };
    assert_eq!(code_of(loser), ErrorCode::TransitionNotAllowed);
    assert_eq!(
        s.get_case(&boss, case)
            .await
            .expect("moved")
            .organisation_id,
        house
    );
    // Nor is an accepted transfer declined afterwards.
    assert_eq!(
        code_of(s.decline_transfer(&staff, id, "changed my mind").await),
        ErrorCode::TransitionNotAllowed
    );
}

async fn a_decline_needs_a_reason_and_the_case_stays(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House", "GB").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    consent(&s, &w.worker, case, house).await;
    let id = s
        .propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");
    assert!(matches!(
        s.decline_transfer(&staff, id, " ").await,
        Err(StoreError::Invalid(_))
    ));
    s.decline_transfer(&staff, id, "No bed for a family.")
        .await
        .expect("declined");
    let stub = s.transfer(&w.worker, id).await.expect("read");
    assert_eq!(stub.status, TransferStatus::Declined);
    assert_eq!(stub.answer.as_deref(), Some("No bed for a family."));
    assert_eq!(
        s.get_case(&w.worker, case)
            .await
            .expect("still here")
            .organisation_id,
        w.shelter
    );
    not_found(s.get_case(&staff, case).await);
    assert_eq!(
        code_of(s.accept_transfer(&staff, id).await),
        ErrorCode::TransitionNotAllowed
    );
}

#[tokio::test]
async fn an_accepted_transfer_moves_the_case_and_leaves_a_stub_on_every_backend() {
    on_every_backend!(an_accepted_transfer_moves_the_case_and_leaves_a_stub);
}

#[tokio::test]
async fn a_proposal_is_refused_with_nothing_written_on_every_backend() {
    on_every_backend!(a_proposal_is_refused_with_nothing_written);
}

#[tokio::test]
async fn a_third_organisation_finds_nothing_on_every_backend() {
    on_every_backend!(a_third_organisation_finds_nothing);
}

#[tokio::test]
async fn a_withdrawn_consent_ends_a_pending_transfer_on_every_backend() {
    on_every_backend!(a_withdrawn_consent_ends_a_pending_transfer);
}

#[tokio::test]
async fn immigration_enforcement_is_never_a_receiver_on_every_backend() {
    on_every_backend!(immigration_enforcement_is_never_a_receiver);
}

#[tokio::test]
async fn protection_needs_refuse_a_consulate_of_the_country_fled_on_every_backend() {
    on_every_backend!(protection_needs_refuse_a_consulate_of_the_country_fled);
}

#[tokio::test]
async fn two_acceptances_at_once_one_wins_on_every_backend() {
    on_every_backend!(two_acceptances_at_once_one_wins);
}

#[tokio::test]
async fn a_decline_needs_a_reason_and_the_case_stays_on_every_backend() {
    on_every_backend!(a_decline_needs_a_reason_and_the_case_stays);
}

async fn withdrawing_the_cross_border_basis_ends_a_transfer_abroad(s: Store) {
    let w = world(&s).await;
    let (abroad, staff) = receiver(&s, "Abroad", "FR").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    let person = person_of(&s, &w.worker, case).await;
    consent(&s, &w.worker, case, abroad).await;
    let border = record(
        &s,
        &w.worker,
        person,
        ConsentPurpose::CrossBorderSharing,
        None,
    )
    .await;
    let id = s
        .propose_transfer(&w.worker, case, to(abroad))
        .await
        .expect("proposed");
    s.transfer(&staff, id).await.expect("reads before");
    s.withdraw_consent(&w.worker, person, border, None)
        .await
        .expect("withdrawn");
    not_found(s.transfer(&staff, id).await);
    not_found(s.accept_transfer(&staff, id).await);
    let stub = s.transfer(&w.worker, id).await.expect("the sender reads");
    assert_eq!(stub.status, TransferStatus::Withdrawn);
}

async fn a_need_recorded_while_pending_hides_the_transfer_from_that_consulate(s: Store) {
    let w = world(&s).await;
    let er = org(&s, "Consulate ER", OrgKind::Consulate, "ER").await;
    let consul = user(&s, er, "consul@er.test", &[Role::Caseworker]).await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let person = person_of(&s, &w.worker, case).await;
    consent(&s, &w.worker, case, er).await;
    record(
        &s,
        &w.worker,
        person,
        ConsentPurpose::CrossBorderSharing,
        None,
    )
    .await;
    let id = s
        .propose_transfer(&w.worker, case, to(er))
        .await
        .expect("proposed before the need was known");
    s.transfer(&consul, id).await.expect("reads before");
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
    not_found(s.transfer(&consul, id).await);
    not_found(s.accept_transfer(&consul, id).await);
    assert!(
        s.list_transfers(&consul, Direction::Incoming)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        s.get_case(&w.worker, case)
            .await
            .expect("still here")
            .organisation_id,
        w.shelter
    );
}

#[tokio::test]
async fn withdrawing_the_cross_border_basis_ends_a_transfer_abroad_on_every_backend() {
    on_every_backend!(withdrawing_the_cross_border_basis_ends_a_transfer_abroad);
}

#[tokio::test]
async fn a_need_recorded_while_pending_hides_the_transfer_from_that_consulate_on_every_backend() {
    on_every_backend!(a_need_recorded_while_pending_hides_the_transfer_from_that_consulate);
}

async fn the_senders_duplicate_queue_forgets_the_moved_person(s: Store) {
    let w = world(&s).await;
    let (house, staff) = receiver(&s, "House", "GB").await;
    let case = open_case(&s, &w.worker, "Joy", "Reyes", None).await;
    // Another record of (likely) the same person, registered by a colleague.
    open_case(&s, &w.colleague, "Joy", "Reyes", None).await;
    let before = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert_eq!(before.len(), 1, "the pair is in the queue");
    consent(&s, &w.worker, case, house).await;
    let id = s
        .propose_transfer(&w.worker, case, to(house))
        .await
        .expect("proposed");
    s.accept_transfer(&staff, id).await.expect("accepted");
    let after = s.duplicate_queue(&w.supervisor).await.expect("queue");
    assert!(
        after.is_empty(),
        "the moved person is named nowhere at the sender"
    );
}

#[tokio::test]
async fn the_senders_duplicate_queue_forgets_the_moved_person_on_every_backend() {
    on_every_backend!(the_senders_duplicate_queue_forgets_the_moved_person);
}
