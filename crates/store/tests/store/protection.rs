//! International protection needs, on every backend (issue 14 item 5). A person who seeks
//! asylum, is a refugee or fears return is never shown to a consulate or other authority of a
//! country they fled: recording the need ends such a referral for its receiver at once (for
//! every case of the person), and referring anew is refused with `international_protection`. A
//! consulate of another country, and an NGO of the country fled, are untouched. Only the case's
//! own organisation records a need and reads it.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::protection::{NewProtectionNeed, ProtectionKind, RaisedBy};
use passage_core::referrals::ReferralStatus;
use passage_core::{Country, ErrorCode, OrgKind, Role};
use passage_store::casework::referrals::{Direction, NewReferral};
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
        raised_by: RaisedBy::ThePerson,
        next_review_on: None,
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

/// A consular service of `org`, written directly (the directory has its own suite).
async fn consular_service(s: &Store, org: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Assistance to nationals', 'consular_assistance', 'GB', 'any', 'any', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

/// Refers `case` to the consular service of `org`, on the person's consents recorded first
/// (to the referral, and to sharing across borders: every organisation here is abroad).
async fn refer(s: &Store, actor: &Actor, case: Uuid, org: Uuid) -> Result<Uuid, StoreError> {
    use passage_core::casework::consent::NewConsent;
    use passage_core::casework::{ConsentMethod, LegalBasis};
    consent_to_referral(s, actor, case, org).await;
    let person = s.get_case(actor, case).await.expect("case").person.id;
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
    let service = consular_service(s, org).await;
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
}

async fn incoming(s: &Store, actor: &Actor) -> Vec<Uuid> {
    s.list_referrals(actor, Direction::Incoming)
        .await
        .expect("incoming")
        .into_iter()
        .map(|r| r.id)
        .collect()
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
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    n
}

async fn recording_the_need_ends_the_consulate_of_the_country_fled_at_once(s: Store) {
    let w = world(&s).await;
    let (er, er_consul) = consulate(&s, "ER").await;
    let (ph, ph_consul) = consulate(&s, "PH").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let to_er = refer(&s, &w.worker, case, er).await.expect("to ER");
    let to_ph = refer(&s, &w.worker, case, ph).await.expect("to PH");
    // Before: both consulates read what was referred to them.
    s.referral(&er_consul, to_er)
        .await
        .expect("ER reads before");
    s.referral(&ph_consul, to_ph)
        .await
        .expect("PH reads before");

    s.record_protection_need(&w.worker, case, need(ProtectionKind::Refugee, &["ER"]))
        .await
        .expect("recorded");

    // After: the consulate of the country fled finds nothing, anywhere: not the referral,
    // not in its list, and it can no longer answer it.
    assert!(matches!(
        s.referral(&er_consul, to_er).await,
        Err(StoreError::NotFound)
    ));
    assert!(incoming(&s, &er_consul).await.is_empty(), "not in its list");
    assert!(matches!(
        s.answer_referral(&er_consul, to_er, ReferralStatus::Accepted, None)
            .await,
        Err(StoreError::NotFound)
    ));
    for who in [&er_consul, &ph_consul] {
        assert!(matches!(
            s.get_case(who, case).await,
            Err(StoreError::NotFound)
        ));
    }
    // The referrer sees that it happened, and why.
    let mine = s.referral(&w.worker, to_er).await.expect("referrer");
    assert_eq!(mine.status, ReferralStatus::Withdrawn);
    assert!(mine.access_ended_at.is_some());
    assert_eq!(
        mine.access_ended_reason.as_deref(),
        Some("international_protection")
    );
    let (ended,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'referral.withdrawn' \
         AND outcome = 'international_protection' AND object_id = $1",
    )
    .bind(to_er.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(ended, 1, "the end of that one referral is audited");
    // Another country's consulate is unaffected.
    s.referral(&ph_consul, to_ph).await.expect("PH still reads");
    assert_eq!(incoming(&s, &ph_consul).await, vec![to_ph]);
    assert_eq!(
        s.referral(&w.worker, to_ph)
            .await
            .expect("referrer")
            .access_ended_reason,
        None
    );
}

async fn referring_to_an_authority_of_the_country_fled_is_refused(s: Store) {
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
        // Whether the caller asks first or refers directly, with the person's consent.
        assert!(is_protection_refusal(
            &s.check_reach(&w.worker, case, to).await
        ));
        assert!(is_protection_refusal(&refer(&s, &w.worker, case, to).await));
    }
    assert!(audit_count(&s, "referral.create", "international_protection", case).await >= 3);
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM referrals WHERE case_id = $1")
        .bind(case.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    assert_eq!(rows, 0, "nothing was referred");
    // An NGO of the country fled (return and reintegration) and the host country's
    // inspectorate are not authorities of the country fled.
    for to in [ngo, inspectorate] {
        s.check_reach(&w.worker, case, to).await.expect("may reach");
        refer(&s, &w.worker, case, to).await.expect("referred");
    }
}

async fn only_the_owner_records_a_need_and_reads_its_reason(s: Store) {
    let w = world(&s).await;
    let (ph, ph_consul) = consulate(&s, "PH").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    // A consulate the case was referred to neither records nor reads a need on it.
    refer(&s, &w.worker, case, ph).await.expect("referred");
    assert!(matches!(
        s.record_protection_need(&ph_consul, case, need(ProtectionKind::Refugee, &["ER"]))
            .await,
        Err(StoreError::NotFound)
    ));
    // Nor does another organisation's user.
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
    assert!(matches!(
        s.protection_needs(&ph_consul, case).await,
        Err(StoreError::NotFound)
    ));

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
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("row");
    let plain = |b: &[u8], t: &str| b.windows(t.len()).any(|w| w == t.as_bytes());
    assert!(!plain(&reason, "Deserted"));
    assert!(!plain(&countries, "ER,SD"));
    assert!(audit_count(&s, "protection_need.record", "denied", case).await >= 1);
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
        .fetch_one(s.operator("test").unsafe_raw_pool())
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
    let to_er = refer(&s, &w.worker, second, er).await.expect("referred");
    s.referral(&er_consul, to_er).await.expect("reads before");
    // The need is recorded on the first case; the consulate loses the second's referral too.
    s.record_protection_need(&w.worker, first, need(ProtectionKind::Refugee, &["ER"]))
        .await
        .expect("recorded");
    assert!(matches!(
        s.referral(&er_consul, to_er).await,
        Err(StoreError::NotFound)
    ));
    assert!(is_protection_refusal(
        &refer(&s, &w.worker, second, er).await
    ));
}

#[tokio::test]
async fn recording_the_need_ends_the_consulate_of_the_country_fled_at_once_on_every_backend() {
    on_every_backend!(recording_the_need_ends_the_consulate_of_the_country_fled_at_once);
}

#[tokio::test]
async fn referring_to_an_authority_of_the_country_fled_is_refused_on_every_backend() {
    on_every_backend!(referring_to_an_authority_of_the_country_fled_is_refused);
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

// ------------------------------------------------------------ who raised it, reviews, the end

use passage_core::casework::calendar::Day;
use passage_core::casework::protection::{NeedStatus, NewReview, ReviewOutcome};

fn day(d: &str) -> Day {
    Day::parse(d).expect("day")
}

/// A service of `kind` of `org`, written directly.
async fn service_of(s: &Store, org: Uuid, kind: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Asylum procedure', $3, 'GB', 'any', 'any', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(kind)
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

/// Refers `case` to an asylum service of `org` for the need `need`, on the person's consent.
async fn refer_for(
    s: &Store,
    actor: &Actor,
    case: Uuid,
    org: Uuid,
    need: Option<Uuid>,
) -> Result<Uuid, StoreError> {
    consent_to_referral(s, actor, case, org).await;
    let service = service_of(s, org, "asylum_support").await;
    s.create_referral(
        actor,
        case,
        NewReferral {
            service_id: service,
            purpose: ConsentPurpose::Referral,
            shared_fields: Vec::new(),
            note: None,
            protection_need_id: need,
        },
    )
    .await
}

/// The open task of a need: its due day, or `None` when there is none open.
async fn open_task(s: &Store, need: Uuid) -> Option<String> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT t.due_on FROM tasks t JOIN protection_needs n ON n.task_id = t.id \
         WHERE n.id = $1 AND t.done_at IS NULL",
    )
    .bind(need.to_string())
    .fetch_optional(s.operator("test").unsafe_raw_pool())
    .await
    .expect("task");
    row.and_then(|(d,)| d)
}

fn review(on: &str, outcome: ReviewOutcome, next: Option<&str>) -> NewReview {
    NewReview {
        reviewed_on: day(on),
        outcome,
        note: "Met with the person and the legal aid lawyer.".into(),
        next_review_on: next.map(day),
        countries: None,
    }
}

async fn a_need_keeps_who_raised_it_its_reviews_and_its_next_review_as_a_task(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let mut n = need(ProtectionKind::FearOfReturn, &["ER"]);
    n.next_review_on = Some(day("2026-09-01"));
    let id = s
        .record_protection_need(&w.worker, case, n)
        .await
        .expect("recorded");
    assert_eq!(open_task(&s, id).await.as_deref(), Some("2026-09-01"));
    let got = &s.protection_needs(&w.worker, case).await.expect("needs")[0];
    assert_eq!(got.raised_by, RaisedBy::ThePerson);
    assert_eq!(got.status, NeedStatus::InForce);
    assert_eq!(got.next_review_on, Some(day("2026-09-01")));

    // A review moves the task to the next review day; the countries change with `changed`.
    let mut changed = review("2026-01-10", ReviewOutcome::Changed, Some("2026-12-01"));
    changed.countries = Some(vec![c("ER"), c("SD")]);
    s.review_protection_need(&w.supervisor, case, id, changed)
        .await
        .expect("reviewed");
    assert_eq!(open_task(&s, id).await.as_deref(), Some("2026-12-01"));
    let got = &s.protection_needs(&w.worker, case).await.expect("needs")[0];
    assert_eq!(got.countries, vec![c("ER"), c("SD")]);
    assert_eq!(got.reviews.len(), 1);
    assert_eq!(got.reviews[0].outcome, ReviewOutcome::Changed);
    assert_eq!(
        got.reviews[0].note.as_deref(),
        Some("Met with the person and the legal aid lawyer.")
    );
    let what: Vec<&str> = got.history.iter().map(|e| e.what).collect();
    assert_eq!(what, vec!["raised", "reviewed", "changed"]);
    assert_eq!(got.history[1].by.as_deref(), Some("super@s.test"));
    // The new country counts for the rule at once.
    let (sd, _) = consulate(&s, "SD").await;
    assert!(is_protection_refusal(
        &s.check_reach(&w.worker, case, sd).await
    ));

    // A review with no next review leaves no open task; the note is sealed at rest.
    s.review_protection_need(
        &w.worker,
        case,
        id,
        review("2026-01-11", ReviewOutcome::Confirmed, None),
    )
    .await
    .expect("reviewed");
    assert_eq!(open_task(&s, id).await, None);
    let notes: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT note FROM protection_reviews WHERE need_id = $1")
            .bind(id.to_string())
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("rows");
    assert!(
        notes
            .iter()
            .all(|(b,)| !b.windows(6).any(|w| w == b"lawyer"))
    );

    // Another organisation finds neither the need nor the case to review.
    let other = org(&s, "Other NGO", OrgKind::Ngo, "GB").await;
    let stranger = user(&s, other, "worker@o.test", &[Role::Caseworker]).await;
    assert!(matches!(
        s.review_protection_need(
            &stranger,
            case,
            id,
            review("2026-01-11", ReviewOutcome::Confirmed, None)
        )
        .await,
        Err(StoreError::NotFound)
    ));
    // A need of another case is not found through this one.
    let elsewhere = open_case(&s, &w.worker, "Other", "Person", None).await;
    assert!(matches!(
        s.review_protection_need(
            &w.worker,
            elsewhere,
            id,
            review("2026-01-11", ReviewOutcome::Confirmed, None)
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

async fn only_a_supervisor_ends_a_need_and_the_rule_stops_only_from_then_on(s: Store) {
    let w = world(&s).await;
    let (er, er_consul) = consulate(&s, "ER").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let before = refer(&s, &w.worker, case, er)
        .await
        .expect("referred before");
    let mut n = need(ProtectionKind::Refugee, &["ER"]);
    n.next_review_on = Some(day("2026-09-01"));
    let id = s
        .record_protection_need(&w.worker, case, n)
        .await
        .expect("recorded");

    // A caseworker of the organisation may not end it (403), an outsider does not find it.
    assert!(matches!(
        s.end_protection_need(&w.worker, case, id, "Naturalised".into())
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(audit_count(&s, "protection_need.end", "forbidden", case).await >= 1);
    assert!(matches!(
        s.end_protection_need(&er_consul, case, id, "Naturalised".into())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(is_protection_refusal(&refer(&s, &w.worker, case, er).await));

    s.end_protection_need(
        &w.supervisor,
        case,
        id,
        "Naturalised in the host country".into(),
    )
    .await
    .expect("ended");
    let got = &s.protection_needs(&w.worker, case).await.expect("needs")[0];
    assert_eq!(got.status, NeedStatus::Ended);
    assert!(got.ended_at.is_some());
    assert_eq!(
        got.end_reason.as_deref(),
        Some("Naturalised in the host country")
    );
    assert_eq!(got.history.last().map(|e| e.what), Some("ended"));
    assert_eq!(open_task(&s, id).await, None, "the review task is done");
    assert!(audit_count(&s, "protection_need.end", "ok", case).await == 1);

    // From then on the rule no longer refuses; what it ended stays ended.
    s.check_reach(&w.worker, case, er)
        .await
        .expect("may reach now");
    assert!(matches!(
        s.referral(&er_consul, before).await,
        Err(StoreError::NotFound)
    ));
    let after = refer(&s, &w.worker, case, er)
        .await
        .expect("referred after");
    s.referral(&er_consul, after)
        .await
        .expect("reads the new one");

    // An ended need is neither reviewed nor ended again.
    let again = s
        .end_protection_need(&w.supervisor, case, id, "again".into())
        .await;
    assert!(
        matches!(again, Err(StoreError::Rule { code, .. }) if code == ErrorCode::ProtectionNeedEnded)
    );
    let review = s
        .review_protection_need(
            &w.worker,
            case,
            id,
            review("2026-01-11", ReviewOutcome::Confirmed, None),
        )
        .await;
    assert!(
        matches!(review, Err(StoreError::Rule { code, .. }) if code == ErrorCode::ProtectionNeedEnded)
    );
}

async fn a_referral_for_the_need_goes_to_the_host_asylum_authority_never_to_the_country_fled(
    s: Store,
) {
    let w = world(&s).await;
    let (er, _) = consulate(&s, "ER").await;
    let ministry = org(&s, "Asylum Office", OrgKind::Ministry, "GB").await;
    let er_ministry = org(&s, "Ministry ER", OrgKind::Ministry, "ER").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let id = s
        .record_protection_need(&w.worker, case, need(ProtectionKind::AsylumSeeker, &["ER"]))
        .await
        .expect("recorded");
    let referral = refer_for(&s, &w.worker, case, ministry, Some(id))
        .await
        .expect("the host country's asylum authority receives it");
    for to in [er, er_ministry] {
        assert!(is_protection_refusal(
            &refer_for(&s, &w.worker, case, to, Some(id)).await
        ));
    }
    let got = &s.protection_needs(&w.worker, case).await.expect("needs")[0];
    assert_eq!(got.referrals.len(), 1);
    assert_eq!(got.referrals[0].id, referral);
    assert_eq!(got.referrals[0].to_organisation_name, "Asylum Office");
    assert_eq!(got.referrals[0].status, ReferralStatus::Sent);
    // The refusals are listed for the case's own organisation, from the audit (ids only).
    let refused = s
        .protection_refusals(&w.worker, case)
        .await
        .expect("refusals");
    assert_eq!(refused.len(), 2);
    assert!(refused.iter().all(|r| r.action == "referral.create"));
    // A need of another case is not a need this referral is made for.
    let other = open_case(&s, &w.worker, "Other", "Person", None).await;
    assert!(matches!(
        refer_for(&s, &w.worker, other, ministry, Some(id)).await,
        Err(StoreError::Invalid(_))
    ));
    // The attack: another organisation names our need on a referral of its own case, to learn
    // whether the id is a need (and so that a person has fled somewhere). It gets the same
    // answer as for an id that was never a need, and its referral is not linked to ours.
    let ngo = org(&s, "Other NGO", OrgKind::Ngo, "GB").await;
    let outsider = user(&s, ngo, "w@other.test", &[Role::Caseworker]).await;
    let theirs = open_case(&s, &outsider, "Third", "Person", None).await;
    let answer = |r: Result<Uuid, StoreError>| match r {
        Err(StoreError::Invalid(p)) => format!("{p:?}"),
        other => panic!("refused as invalid: {other:?}"),
    };
    let ours = answer(refer_for(&s, &outsider, theirs, ministry, Some(id)).await);
    let never = answer(refer_for(&s, &outsider, theirs, ministry, Some(Uuid::now_v7())).await);
    assert_eq!(ours, never, "no existence oracle");
    assert_eq!(
        s.protection_needs(&w.worker, case).await.expect("needs")[0]
            .referrals
            .len(),
        1,
        "nothing of theirs hangs from our need"
    );
}

async fn the_consulate_of_the_country_fled_finds_the_case_as_missing_on_every_path(s: Store) {
    let w = world(&s).await;
    let (er, er_consul) = consulate(&s, "ER").await;
    let case = open_case(&s, &w.worker, "Senait", "Tesfay", None).await;
    let to_er = refer(&s, &w.worker, case, er).await.expect("referred");
    s.record_protection_need(&w.worker, case, need(ProtectionKind::Refugee, &["ER"]))
        .await
        .expect("recorded");
    let missing = Uuid::now_v7();
    // The case, its needs, its referrals, the referral itself: as for what does not exist.
    let same = |a: &Result<_, StoreError>, b: &Result<_, StoreError>| {
        matches!(a, Err(StoreError::NotFound)) && matches!(b, Err(StoreError::NotFound))
    };
    assert!(same(
        &s.get_case(&er_consul, case).await.map(|_| ()),
        &s.get_case(&er_consul, missing).await.map(|_| ())
    ));
    assert!(same(
        &s.protection_needs(&er_consul, case).await.map(|_| ()),
        &s.protection_needs(&er_consul, missing).await.map(|_| ())
    ));
    assert!(same(
        &s.case_referrals(&er_consul, case).await.map(|_| ()),
        &s.case_referrals(&er_consul, missing).await.map(|_| ())
    ));
    assert!(same(
        &s.referral(&er_consul, to_er).await.map(|_| ()),
        &s.referral(&er_consul, missing).await.map(|_| ())
    ));
    // A transfer to it is refused by the rule and audited with ids only.
    let proposed = s
        .propose_transfer(
            &w.supervisor,
            case,
            passage_store::casework::transfers::NewTransfer {
                to_organisation_id: er,
                reason: "Closer to the family".into(),
                note: None,
            },
        )
        .await;
    assert!(is_protection_refusal(&proposed));
    let (rows,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'transfer.create' \
         AND outcome = 'international_protection' AND object_id = $1 AND purpose IS NULL",
    )
    .bind(case.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn a_need_keeps_who_raised_it_its_reviews_and_its_next_review_as_a_task_on_every_backend() {
    on_every_backend!(a_need_keeps_who_raised_it_its_reviews_and_its_next_review_as_a_task);
}

#[tokio::test]
async fn only_a_supervisor_ends_a_need_and_the_rule_stops_only_from_then_on_on_every_backend() {
    on_every_backend!(only_a_supervisor_ends_a_need_and_the_rule_stops_only_from_then_on);
}

#[tokio::test]
async fn a_referral_for_the_need_goes_to_the_host_asylum_authority_on_every_backend() {
    on_every_backend!(
        a_referral_for_the_need_goes_to_the_host_asylum_authority_never_to_the_country_fled
    );
}

#[tokio::test]
async fn the_consulate_of_the_country_fled_finds_the_case_as_missing_on_every_path_on_every_backend()
 {
    on_every_backend!(the_consulate_of_the_country_fled_finds_the_case_as_missing_on_every_path);
}
