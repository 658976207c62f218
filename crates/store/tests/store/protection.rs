//! International protection needs, on every backend (issue 14 item 5). A person who seeks
//! asylum, is a refugee or fears return is never shown to a consulate or other authority of a
//! country they fled: recording the need ends such a share at once, a share against the rule
//! reads as not found at the gate whatever wrote it, and sharing anew is refused with
//! `international_protection`. A consulate of another country, and an NGO of the country fled,
//! are untouched. Only the owner's organisation records a need; only it reads the reason.

use crate::common::*;
use passage_core::casework::protection::{NewProtectionNeed, ProtectionKind};
use passage_core::{Country, ErrorCode, OrgKind, Role};
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

const REASON: &str = "Deserted from indefinite national service; family detained after.";

fn c(code: &str) -> Country {
    Country::parse(code).expect("country")
}

fn need(kind: ProtectionKind, countries: &[&str]) -> NewProtectionNeed {
    NewProtectionNeed {
        kind,
        countries: countries.iter().map(|x| c(x)).collect(),
        reason: REASON.into(),
    }
}

async fn org(s: &Store, name: &str, kind: OrgKind, country: &str) -> Uuid {
    s.create_organisation(s.operator("test").authority(), name, kind, c(country))
        .await
        .expect("org")
        .id
}

/// A consulate of `country` with a consular officer.
async fn consulate(s: &Store, country: &str) -> (Uuid, Actor) {
    let id = org(
        s,
        &format!("Consulate {country}"),
        OrgKind::Consulate,
        country,
    )
    .await;
    let email = format!("consul@{}.test", country.to_ascii_lowercase());
    (id, user(s, id, &email, &[Role::Consular]).await)
}

fn is_protection_refusal<T: std::fmt::Debug>(r: &Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Rule { code, .. }) if *code == ErrorCode::InternationalProtection)
}

async fn audit_count(s: &Store, action: &str, outcome: &str, case: Uuid) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = $1 AND outcome = $2 AND object_id = $3",
    )
    .bind(action)
    .bind(outcome)
    .bind(case.to_string())
    .fetch_one(s.operator("test").raw_pool())
    .await
    .expect("audit");
    n
}

async fn recording_the_need_ends_the_consulate_of_the_country_fled_at_once(s: Store) {
    let w = world(&s).await;
    let (er, er_consul) = consulate(&s, "ER").await;
    let (ph, ph_consul) = consulate(&s, "PH").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    share_on_consent(&s, &w.worker, case, er).await;
    share_on_consent(&s, &w.worker, case, ph).await;
    // Before: both consulates read the case through their shares.
    s.get_case(&er_consul, case).await.expect("ER reads before");
    s.get_case(&ph_consul, case).await.expect("PH reads before");

    s.record_protection_need(&w.worker, case, need(ProtectionKind::Refugee, &["ER"]))
        .await
        .expect("recorded");

    // After: the consulate of the country fled finds nothing, anywhere.
    assert!(matches!(
        s.get_case(&er_consul, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.protection_needs(&er_consul, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.case_history(&er_consul, case).await,
        Err(StoreError::NotFound)
    ));
    let listed = s
        .list_cases(&er_consul, None, Default::default())
        .await
        .expect("list");
    assert!(listed.iter().all(|c| c.id != case), "not in its list");
    assert_eq!(
        audit_count(&s, "case.share_end", "international_protection", case).await,
        1,
        "the end of that one share is audited"
    );
    // Another country's consulate is unaffected.
    s.get_case(&ph_consul, case).await.expect("PH still reads");
    assert!(
        s.list_cases(&ph_consul, None, Default::default())
            .await
            .expect("list")
            .iter()
            .any(|c| c.id == case)
    );
}

async fn a_share_against_the_rule_reads_as_not_found_at_the_gate(s: Store) {
    let w = world(&s).await;
    let (er, er_consul) = consulate(&s, "ER").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    s.record_protection_need(&w.worker, case, need(ProtectionKind::AsylumSeeker, &["ER"]))
        .await
        .expect("recorded");
    // A share written around every check (an old row, a bulk import, a later bug)…
    sqlx::query(
        "INSERT INTO case_shares (case_id, org_id, legal_basis, created_by, created_at) VALUES ($1, $2, 'vital_interest', $3, 0)",
    )
    .bind(case.to_string())
    .bind(er.to_string())
    .bind(w.worker.user_id().to_string())
    .execute(s.operator("test").raw_pool())
    .await
    .expect("raw share");
    // …is still refused at the gate, as not found, and the attempt is audited.
    assert!(matches!(
        s.get_case(&er_consul, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.protection_needs(&er_consul, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(audit_count(&s, "protection_need.list", "denied", case).await >= 1);
    let listed = s
        .list_cases(&er_consul, None, Default::default())
        .await
        .expect("list");
    assert!(
        listed.iter().all(|c| c.id != case),
        "not in its list either"
    );
}

async fn sharing_with_an_authority_of_the_country_fled_is_refused(s: Store) {
    let w = world(&s).await;
    let (er, _) = consulate(&s, "ER").await;
    let ministry = org(&s, "Ministry ER", OrgKind::Ministry, "ER").await;
    let police = org(&s, "Police ER", OrgKind::LawEnforcement, "ER").await;
    let ngo = org(&s, "Return NGO ER", OrgKind::Ngo, "ER").await;
    let inspectorate = org(&s, "Inspectorate GB", OrgKind::LabourInspectorate, "GB").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    s.record_protection_need(
        &w.worker,
        case,
        need(ProtectionKind::FearOfReturn, &["SD", "ER"]),
    )
    .await
    .expect("recorded");
    for to in [er, ministry, police] {
        // Whatever the basis, and whether the caller asks first or shares directly.
        assert!(is_protection_refusal(
            &s.check_reach(&w.worker, case, to).await
        ));
        assert!(is_protection_refusal(
            &s.share_case(&w.worker, case, to, "vital_interest").await
        ));
    }
    assert!(audit_count(&s, "case.share", "international_protection", case).await >= 3);
    let (shares,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_shares WHERE case_id = $1")
        .bind(case.to_string())
        .fetch_one(s.operator("test").raw_pool())
        .await
        .expect("count");
    assert_eq!(shares, 0, "nothing was shared");
    // An NGO of the country fled (return and reintegration) and the host country's
    // inspectorate are not authorities of the country fled.
    for to in [ngo, inspectorate] {
        s.check_reach(&w.worker, case, to).await.expect("may reach");
        s.share_case(&w.worker, case, to, "vital_interest")
            .await
            .expect("shared");
    }
}

async fn only_the_owner_records_a_need_and_reads_its_reason(s: Store) {
    let w = world(&s).await;
    let (ph, ph_consul) = consulate(&s, "PH").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    share_on_consent(&s, &w.worker, case, ph).await;
    // A partner reading the shared case may not record a need on it.
    assert!(matches!(
        s.record_protection_need(&ph_consul, case, need(ProtectionKind::Refugee, &["ER"]))
            .await,
        Err(StoreError::OwnerOnly(_))
    ));
    // Another organisation's user does not even see the case.
    let other = org(&s, "Other NGO", OrgKind::Ngo, "GB").await;
    let stranger = user(&s, other, "worker@o.test", &[Role::Caseworker]).await;
    assert!(matches!(
        s.record_protection_need(&stranger, case, need(ProtectionKind::Refugee, &["ER"]))
            .await,
        Err(StoreError::NotFound)
    ));
    let id = s
        .record_protection_need(
            &w.worker,
            case,
            need(ProtectionKind::Refugee, &["ER", "SD"]),
        )
        .await
        .expect("recorded");

    let mine = s
        .protection_needs(&w.supervisor, case)
        .await
        .expect("owner");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, id);
    assert_eq!(mine[0].countries, vec![c("ER"), c("SD")]);
    assert_eq!(mine[0].reason.as_deref(), Some(REASON));
    let theirs = s.protection_needs(&ph_consul, case).await.expect("partner");
    assert_eq!(theirs[0].kind, ProtectionKind::Refugee);
    assert_eq!(
        theirs[0].countries,
        vec![c("ER"), c("SD")],
        "whom not to tell"
    );
    assert_eq!(theirs[0].reason, None, "the reason stays with the owner");

    // The history says a need was recorded, never why.
    let history = s.case_history(&w.worker, case).await.expect("history");
    let entry = history
        .iter()
        .find(|h| h.field == "protection_need")
        .expect("history entry");
    assert_eq!(entry.new.as_deref(), Some("refugee"));
    assert!(history.iter().all(|h| {
        h.new.as_deref().is_none_or(|v| !v.contains("Deserted"))
            && h.old.as_deref().is_none_or(|v| !v.contains("Deserted"))
    }));
    // Sealed at rest: neither the reason nor the countries are in the row as text.
    let (countries, reason): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT countries, reason FROM protection_needs WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(s.operator("test").raw_pool())
            .await
            .expect("row");
    let plain = |b: &[u8], t: &str| b.windows(t.len()).any(|w| w == t.as_bytes());
    assert!(!plain(&reason, "Deserted"));
    assert!(!plain(&countries, "ER,SD"));
    assert!(audit_count(&s, "protection_need.record", "owner_only", case).await >= 1);
}

async fn immigration_enforcement_never_reads_or_records_a_need(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    s.record_protection_need(&w.worker, case, need(ProtectionKind::Refugee, &["ER"]))
        .await
        .expect("recorded");
    // Refused by the firewall before any case is looked at: the same answer for every case.
    let firewall = |r: &Result<_, StoreError>| {
        matches!(
            r,
            Err(StoreError::Forbidden(
                passage_core::DenyReason::ImmigrationFirewall
            ))
        )
    };
    assert!(firewall(
        &s.protection_needs(&w.officer, case).await.map(|_| ())
    ));
    assert!(firewall(
        &s.record_protection_need(&w.officer, case, need(ProtectionKind::Refugee, &["ER"]))
            .await
            .map(|_| ())
    ));
    assert!(firewall(
        &s.protection_needs(&w.officer, Uuid::now_v7())
            .await
            .map(|_| ())
    ));
    assert!(matches!(
        s.check_reach(&w.officer, case, w.consulate).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_consulate_of_the_country_fled_is_never_part_of_a_signal(s: Store) {
    let w = world(&s).await;
    let (_, er_consul) = consulate(&s, "ER").await;
    let (pid, case) = register(&s, &w.worker, "Senait", "Tesfay", "1991-02-14").await;
    s.record_protection_need(
        &w.worker,
        case,
        need(ProtectionKind::Refugee, &["ER", "SY"]),
    )
    .await
    .expect("recorded");
    // The consulate registers the same person: neither side is told of the other.
    let (probe, _) = register(&s, &er_consul, "Senait", "Tesfay", "1991-02-14").await;
    assert!(
        s.partner_signals(&er_consul, probe)
            .await
            .expect("consulate")
            .is_empty()
    );
    assert!(
        !s.person_link_status(&er_consul, probe)
            .await
            .expect("status")
            .partner_may_hold
    );
    assert!(
        s.partner_signals(&w.supervisor, pid)
            .await
            .expect("holder")
            .is_empty()
    );
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM partner_signals")
        .fetch_one(s.operator("test").raw_pool())
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

async fn a_need_is_the_persons_and_covers_their_other_cases(s: Store) {
    let w = world(&s).await;
    let (er, er_consul) = consulate(&s, "ER").await;
    let first = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let person = s.get_case(&w.worker, first).await.expect("case").person.id;
    let second = s
        .create_case(
            &w.worker,
            passage_core::records::RawCase {
                person_id: person.to_string(),
                types: vec!["labour_exploitation".into()],
                stage: "destination".into(),
                summary: "A second employer.".into(),
            }
            .validate()
            .expect("valid case"),
        )
        .await
        .expect("second case");
    share_on_consent(&s, &w.worker, second, er).await;
    s.get_case(&er_consul, second).await.expect("reads before");
    // The need is recorded on the first case; the consulate loses the second too.
    s.record_protection_need(&w.worker, first, need(ProtectionKind::Refugee, &["ER"]))
        .await
        .expect("recorded");
    assert!(matches!(
        s.get_case(&er_consul, second).await,
        Err(StoreError::NotFound)
    ));
    assert!(is_protection_refusal(
        &s.share_case(&w.worker, second, er, "vital_interest").await
    ));
    assert_eq!(
        audit_count(&s, "case.share_end", "international_protection", second).await,
        1
    );
}

#[tokio::test]
async fn recording_the_need_ends_the_consulate_of_the_country_fled_at_once_on_every_backend() {
    on_every_backend!(recording_the_need_ends_the_consulate_of_the_country_fled_at_once);
}

#[tokio::test]
async fn a_share_against_the_rule_reads_as_not_found_at_the_gate_on_every_backend() {
    on_every_backend!(a_share_against_the_rule_reads_as_not_found_at_the_gate);
}

#[tokio::test]
async fn sharing_with_an_authority_of_the_country_fled_is_refused_on_every_backend() {
    on_every_backend!(sharing_with_an_authority_of_the_country_fled_is_refused);
}

#[tokio::test]
async fn only_the_owner_records_a_need_and_reads_its_reason_on_every_backend() {
    on_every_backend!(only_the_owner_records_a_need_and_reads_its_reason);
}

#[tokio::test]
async fn immigration_enforcement_never_reads_or_records_a_need_on_every_backend() {
    on_every_backend!(immigration_enforcement_never_reads_or_records_a_need);
}

#[tokio::test]
async fn a_consulate_of_the_country_fled_is_never_part_of_a_signal_on_every_backend() {
    on_every_backend!(a_consulate_of_the_country_fled_is_never_part_of_a_signal);
}

#[tokio::test]
async fn a_need_is_the_persons_and_covers_their_other_cases_on_every_backend() {
    on_every_backend!(a_need_is_the_persons_and_covers_their_other_cases);
}
