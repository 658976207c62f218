//! Incidents and monitoring on every backend (issue 16 items 1 and 5): an incident recorded
//! without a named person (every bad field named, nothing written), read and listed by its own
//! organisation only, verified by a supervisor, linked to a case of the same organisation only
//! (another organisation's case is `NotFound` like a missing one), recorded from a public report
//! the actor handles and from a monitoring visit; the monitoring figures count every
//! organisation's incidents with each cell under k suppressed; immigration enforcement gets
//! nothing anywhere.

use crate::common::*;
use passage_core::monitoring::IncidentAction;
use passage_core::monitoring::incidents::{
    IncidentKind, IncidentSource, RawAffected, RawIncident, Verification,
};
use passage_core::monitoring::views::{Filter, RawFilter};
use passage_core::monitoring::visits::RawVisit;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::monitoring::incidents::{IncidentOrigin, LinkTarget};
use passage_store::{Actor, Authority, Store, StoreError};
use uuid::Uuid;

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

fn attack(s: &Store, region: &str) -> RawIncident {
    RawIncident {
        occurred_on: day(s, -3),
        country: "GB".into(),
        region: region.into(),
        place_type: "street".into(),
        kinds: vec!["violence".into(), "hate_speech".into()],
        bias_motives: vec!["religion".into()],
        perpetrator_type: "private_person".into(),
        affected: RawAffected {
            women: "2".into(),
            ..Default::default()
        },
        source: "witness".into(),
        narrative: "Two women in headscarves were pushed off the bus at Victoria.".into(),
    }
}

fn all() -> Filter {
    RawFilter::default().validate().expect("no filter")
}

async fn ngo(s: &Store, name: &str, email: &str, roles: &[Role]) -> (Uuid, Actor) {
    let op = s.operator("test");
    let org = s
        .create_organisation(
            op.authority(),
            name,
            OrgKind::Ngo,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    (org, user(s, org, email, roles).await)
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, reason: DenyReason) {
    assert!(
        matches!(&r, Err(StoreError::Forbidden(got)) if *got == reason),
        "{r:?}"
    );
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(&r, Err(StoreError::NotFound)), "{r:?}");
}

async fn recorded_read_and_verified_by_its_organisation_only(s: Store) {
    let w = world(&s).await;
    let by = Authority::User(w.worker.clone());
    let id = s
        .record_incident(
            &by,
            w.shelter,
            &attack(&s, "london"),
            IncidentOrigin::default(),
        )
        .await
        .expect("recorded");

    // Bad input: every field named, nothing written.
    let before = (
        rows(&s, "incidents").await,
        rows(&s, "incident_kinds").await,
    );
    let bad = RawIncident {
        occurred_on: day(&s, 1),
        country: "XX".into(),
        place_type: "beach".into(),
        kinds: vec!["rudeness".into()],
        bias_motives: vec!["height".into()],
        affected: RawAffected {
            men: "-3".into(),
            ..Default::default()
        },
        ..attack(&s, "")
    };
    match s
        .record_incident(&by, w.shelter, &bad, IncidentOrigin::default())
        .await
    {
        Err(StoreError::Invalid(p)) => {
            let fields: Vec<(&str, ErrorCode)> =
                p.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
            assert_eq!(
                fields,
                [
                    ("occurred_on", ErrorCode::InTheFuture),
                    ("country", ErrorCode::InvalidCountry),
                    ("place_type", ErrorCode::UnknownValue),
                    ("kinds", ErrorCode::UnknownValue),
                    ("bias_motives", ErrorCode::UnknownValue),
                    ("affected.men", ErrorCode::NegativeAmount),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        (
            rows(&s, "incidents").await,
            rows(&s, "incident_kinds").await
        ),
        before
    );

    // Read back by its organisation, narrative opened; sealed at rest.
    let v = s.incident(&w.colleague, id).await.expect("read");
    assert_eq!(
        v.narrative,
        "Two women in headscarves were pushed off the bus at Victoria."
    );
    assert_eq!(v.summary.region.as_deref(), Some("london"));
    assert_eq!(
        v.summary.kinds,
        [IncidentKind::Violence, IncidentKind::HateSpeech]
    );
    assert_eq!(v.summary.affected.women, 2);
    assert_eq!(v.summary.verification, Verification::Unverified);
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT narrative FROM incidents WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(!String::from_utf8_lossy(&raw).contains("headscarves"));

    // The list filters by country and days.
    let list = s.incidents(&w.worker, &all()).await.expect("list");
    assert_eq!(list.iter().map(|i| i.id).collect::<Vec<_>>(), [id]);
    let later = RawFilter {
        country: "GB".into(),
        from: day(&s, -1),
        to: String::new(),
    }
    .validate()
    .expect("filter");
    assert!(
        s.incidents(&w.worker, &later)
            .await
            .expect("list")
            .is_empty()
    );
    let elsewhere = RawFilter {
        country: "PH".into(),
        ..Default::default()
    }
    .validate()
    .expect("filter");
    assert!(
        s.incidents(&w.worker, &elsewhere)
            .await
            .expect("list")
            .is_empty()
    );

    // Another organisation never reads it: not in its list, NotFound like a missing id.
    let (_, outsider) = ngo(&s, "Other NGO", "super@other.test", &[Role::Supervisor]).await;
    assert!(
        s.incidents(&outsider, &all())
            .await
            .expect("list")
            .is_empty()
    );
    not_found(s.incident(&outsider, id).await);
    not_found(s.incident(&outsider, Uuid::now_v7()).await);
    not_found(
        s.verify_incident(&outsider, id, Verification::FalseReport)
            .await,
    );

    // Verification: a supervisor of the organisation; a caseworker is refused.
    refused(
        s.verify_incident(&w.worker, id, Verification::Verified)
            .await,
        DenyReason::NoGrant,
    );
    s.verify_incident(&w.supervisor, id, Verification::Verified)
        .await
        .expect("verified");
    assert_eq!(
        s.incident(&w.worker, id)
            .await
            .expect("read")
            .summary
            .verification,
        Verification::Verified
    );

    // A consulate does not record incidents; immigration enforcement gets nothing.
    refused(s.incidents(&w.consul, &all()).await, DenyReason::NoGrant);
    let officer = Authority::User(w.officer.clone());
    refused(
        s.record_incident(
            &officer,
            w.immigration,
            &attack(&s, "london"),
            IncidentOrigin::default(),
        )
        .await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.incidents(&w.officer, &all()).await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.incident(&w.officer, id).await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.verify_incident(&w.officer, id, Verification::FalseReport)
            .await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.link_incident(&w.officer, id, LinkTarget::Case(Uuid::now_v7()))
            .await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.monitoring_figures(&w.officer, &all(), 10).await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.incident_firewall(&w.officer, IncidentAction::Read).await,
        DenyReason::ImmigrationFirewall,
    );
    refused(
        s.monitoring_visits(&w.officer).await,
        DenyReason::ImmigrationFirewall,
    );
}

#[tokio::test]
async fn recorded_read_and_verified_by_its_organisation_only_on_every_backend() {
    on_every_backend!(recorded_read_and_verified_by_its_organisation_only);
}

async fn linked_only_to_a_case_of_the_same_organisation(s: Store) {
    let w = world(&s).await;
    let by = Authority::User(w.worker.clone());
    let id = s
        .record_incident(&by, w.shelter, &attack(&s, ""), IncidentOrigin::default())
        .await
        .expect("recorded");
    let (person, case) = register(&s, &w.worker, "Amina", "Yusuf", "1990-02-03").await;
    s.link_incident(&w.worker, id, LinkTarget::Case(case))
        .await
        .expect("linked");
    assert_eq!(
        s.incident(&w.worker, id).await.expect("read").link,
        Some(LinkTarget::Case(case))
    );
    // Sealed: the database alone does not tie the incident to the case.
    let (raw,): (Vec<u8>,) = sqlx::query_as("SELECT link FROM incidents WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert!(!String::from_utf8_lossy(&raw).contains(&case.to_string()));
    s.link_incident(&w.worker, id, LinkTarget::Person(person))
        .await
        .expect("linked to the person");
    s.unlink_incident(&w.worker, id).await.expect("unlinked");
    assert_eq!(s.incident(&w.worker, id).await.expect("read").link, None);

    // Another organisation's case or person: NotFound exactly like a missing one, nothing
    // written.
    let (other_org, other) = ngo(&s, "Other NGO", "cw@other.test", &[Role::Caseworker]).await;
    let (other_person, other_case) = register(&s, &other, "Omar", "Haddad", "1985-07-01").await;
    let theirs = s
        .link_incident(&w.worker, id, LinkTarget::Case(other_case))
        .await;
    let missing = s
        .link_incident(&w.worker, id, LinkTarget::Case(Uuid::now_v7()))
        .await;
    not_found(theirs);
    not_found(missing);
    not_found(
        s.link_incident(&w.worker, id, LinkTarget::Person(other_person))
            .await,
    );
    assert_eq!(s.incident(&w.worker, id).await.expect("read").link, None);
    // And the other organisation cannot link our incident to its own case.
    not_found(
        s.link_incident(&other, id, LinkTarget::Case(other_case))
            .await,
    );
    // Nor record one from our visit.
    let visit = s
        .record_visit(
            &by,
            w.shelter,
            &RawVisit {
                kind: "detention_visit".into(),
                place_name: "Harbour Removal Centre".into(),
                visited_on: day(&s, -2),
                findings: "No interpreter at medical checks; detainees' phones taken.".into(),
            },
        )
        .await
        .expect("visit");
    not_found(
        s.record_incident(
            &Authority::User(other.clone()),
            other_org,
            &attack(&s, ""),
            IncidentOrigin {
                visit_id: Some(visit),
                report_id: None,
            },
        )
        .await,
    );
    not_found(s.monitoring_visit(&other, visit).await);
    let from_visit = s
        .record_incident(
            &by,
            w.shelter,
            &RawIncident {
                kinds: vec!["abuse_in_detention".into()],
                place_type: "detention_centre".into(),
                source: "monitor".into(),
                ..attack(&s, "")
            },
            IncidentOrigin {
                visit_id: Some(visit),
                report_id: None,
            },
        )
        .await
        .expect("from the visit");
    let v = s.monitoring_visit(&w.worker, visit).await.expect("visit");
    assert_eq!(
        v.findings,
        "No interpreter at medical checks; detainees' phones taken."
    );
    assert_eq!(
        v.incidents.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [from_visit]
    );
    assert_eq!(s.monitoring_visits(&w.worker).await.expect("list").len(), 1);
    assert!(s.monitoring_visits(&other).await.expect("list").is_empty());
}

#[tokio::test]
async fn linked_only_to_a_case_of_the_same_organisation_on_every_backend() {
    on_every_backend!(linked_only_to_a_case_of_the_same_organisation);
}

async fn recorded_from_a_report_the_actor_handles(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let hotline = s
        .create_organisation(op.authority(), "Hotline", OrgKind::Hotline, gb)
        .await
        .expect("org")
        .id;
    let intake = user(&s, hotline, "intake@h.test", &[Role::Intake]).await;
    let call = passage_core::reports::RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        categories: vec!["discrimination".into()],
        narrative: "A man was beaten outside the mosque on Friday".into(),
        country: Some("GB".into()),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    let report = s
        .create_hotline_report(&intake, call, &passage_core::intake::Sla::default())
        .await
        .expect("call");
    let draft = s.incident_draft(&intake, report).await.expect("draft");
    assert_eq!(draft.source, IncidentSource::Witness);
    assert_eq!(draft.country.as_deref(), Some("GB"));
    assert_eq!(
        draft.narrative,
        "A man was beaten outside the mosque on Friday"
    );
    let id = s
        .record_incident(
            &Authority::User(intake.clone()),
            hotline,
            &attack(&s, "london"),
            IncidentOrigin {
                report_id: Some(report),
                visit_id: None,
            },
        )
        .await
        .expect("recorded");
    assert_eq!(
        s.incident(&intake, id).await.expect("read").report_id,
        Some(report)
    );
    // Another organisation's report, or none: NotFound, nothing written.
    let before = rows(&s, "incidents").await;
    not_found(s.incident_draft(&w.worker, report).await);
    not_found(s.incident_draft(&intake, Uuid::now_v7()).await);
    not_found(
        s.record_incident(
            &Authority::User(w.worker.clone()),
            w.shelter,
            &attack(&s, "london"),
            IncidentOrigin {
                report_id: Some(report),
                visit_id: None,
            },
        )
        .await,
    );
    assert_eq!(rows(&s, "incidents").await, before);
    refused(
        s.incident_draft(&w.officer, report).await,
        DenyReason::ImmigrationFirewall,
    );
}

#[tokio::test]
async fn recorded_from_a_report_the_actor_handles_on_every_backend() {
    on_every_backend!(recorded_from_a_report_the_actor_handles);
}

async fn the_figures_count_every_organisation_and_suppress_under_k(s: Store) {
    let w = world(&s).await;
    let (ngo_org, ngo_staff) = ngo(&s, "Equality NGO", "cw@eq.test", &[Role::Caseworker]).await;
    let op = s.operator("test");
    // London 5 (3 here, 2 at the NGO), Scotland 4, Wales 1; k = 3.
    for (org, actor, region, n) in [
        (w.shelter, &w.worker, "london", 3),
        (ngo_org, &ngo_staff, "london", 2),
        (ngo_org, &ngo_staff, "scotland", 4),
        (w.shelter, &w.worker, "wales", 1),
    ] {
        for _ in 0..n {
            s.record_incident(
                &Authority::User(actor.clone()),
                org,
                &attack(&s, region),
                IncidentOrigin::default(),
            )
            .await
            .expect("recorded");
        }
    }
    // A false report is not counted.
    let false_one = s
        .record_incident(
            op.authority(),
            w.shelter,
            &attack(&s, "north_east"),
            IncidentOrigin::default(),
        )
        .await
        .expect("recorded");
    s.verify_incident(&w.supervisor, false_one, Verification::FalseReport)
        .await
        .expect("false report");
    let gb = RawFilter {
        country: "GB".into(),
        ..Default::default()
    }
    .validate()
    .expect("filter");
    let f = s
        .monitoring_figures(&w.supervisor, &gb, 3)
        .await
        .expect("figures");
    let cell = |key: &str| {
        f.regions
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.count)
            .expect("cell")
    };
    assert_eq!(f.regions.len(), 13, "twelve regions and the unplaced");
    assert_eq!(cell("london"), Some(5));
    assert_eq!(cell("wales"), None, "1 < k");
    assert_eq!(
        cell("scotland"),
        None,
        "4 ≥ k, hidden with Wales so no difference gives Wales back"
    );
    assert_eq!(cell("north_east"), Some(0), "a false report is not counted");
    let this_month = &s.clock().today().plus_days(-3).to_string()[..7];
    let month = f
        .months
        .iter()
        .find(|c| c.key == this_month)
        .expect("this month");
    assert_eq!(month.count, Some(10));
    let kind = |key: &str| f.kinds.iter().find(|c| c.key == key).map(|c| c.count);
    assert_eq!(kind("violence"), Some(Some(10)));
    assert_eq!(kind("push_back"), Some(Some(0)));
    // Who may read the figures: supervisors and analysts of recording organisations, a
    // ministry's analysts; not a caseworker; immigration enforcement never.
    refused(
        s.monitoring_figures(&w.worker, &gb, 3).await,
        DenyReason::NoGrant,
    );
    let ministry = s
        .create_organisation(
            op.authority(),
            "Ministry",
            OrgKind::Ministry,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let analyst = user(&s, ministry, "analyst@m.test", &[Role::Analyst]).await;
    assert_eq!(
        s.monitoring_figures(&analyst, &gb, 3)
            .await
            .expect("figures")
            .regions,
        f.regions
    );
    refused(
        s.monitoring_figures(&w.officer, &gb, 3).await,
        DenyReason::ImmigrationFirewall,
    );
}

#[tokio::test]
async fn the_figures_count_every_organisation_and_suppress_under_k_on_every_backend() {
    on_every_backend!(the_figures_count_every_organisation_and_suppress_under_k);
}

/// Immigration enforcement, with every role, gets the firewall from every incident and
/// monitoring operation, each refusal audited with the firewall's own outcome, and nothing
/// changes.
async fn immigration_enforcement_gets_the_firewall_everywhere(s: Store) {
    let w = world(&s).await;
    let by = Authority::User(w.worker.clone());
    let id = s
        .record_incident(
            &by,
            w.shelter,
            &attack(&s, "london"),
            IncidentOrigin::default(),
        )
        .await
        .expect("recorded");
    let visit = s
        .record_visit(
            &by,
            w.shelter,
            &RawVisit {
                kind: "return_monitoring".into(),
                place_name: "Charter flight".into(),
                visited_on: day(&s, -1),
                findings: "Restraints on a compliant returnee.".into(),
            },
        )
        .await
        .expect("visit");
    let before = s.incident(&w.worker, id).await.expect("read");
    let officer = Authority::User(w.officer.clone());
    let o = &w.officer;
    let results: Vec<Result<(), StoreError>> = vec![
        s.record_incident(
            &officer,
            w.immigration,
            &attack(&s, ""),
            IncidentOrigin::default(),
        )
        .await
        .map(|_| ()),
        s.incidents(o, &all()).await.map(|_| ()),
        s.incident(o, id).await.map(|_| ()),
        s.verify_incident(o, id, Verification::FalseReport).await,
        s.link_incident(o, id, LinkTarget::Person(Uuid::now_v7()))
            .await,
        s.unlink_incident(o, id).await,
        s.incident_draft(o, Uuid::now_v7()).await.map(|_| ()),
        s.record_visit(
            &officer,
            w.immigration,
            &RawVisit {
                kind: "detention_visit".into(),
                place_name: "x".into(),
                visited_on: day(&s, -1),
                findings: "x".into(),
            },
        )
        .await
        .map(|_| ()),
        s.monitoring_visits(o).await.map(|_| ()),
        s.monitoring_visit(o, visit).await.map(|_| ()),
        s.monitoring_figures(o, &all(), 1).await.map(|_| ()),
    ];
    let n = results.len() as i64;
    for r in results {
        refused(r, DenyReason::ImmigrationFirewall);
    }
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE actor_org = $1 AND outcome = 'immigration_firewall'",
    )
    .bind(w.immigration.to_string())
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(audited, n, "every refusal audited");
    assert_eq!(s.incident(&w.worker, id).await.expect("read"), before);
    assert_eq!(rows(&s, "incidents").await, 1);
    assert_eq!(rows(&s, "monitoring_visits").await, 1);
}

#[tokio::test]
async fn immigration_enforcement_gets_the_firewall_everywhere_on_every_backend() {
    on_every_backend!(immigration_enforcement_gets_the_firewall_everywhere);
}
