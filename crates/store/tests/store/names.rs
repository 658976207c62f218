//! Names, not ids, on every backend: finding cases by name inside the list scope (and only the
//! organisation's own for registering), a case opened from a report keeping what the report
//! said, triage lines with their excerpt and unanswered messages, and tasks naming their
//! person.

use crate::common::*;
use passage_core::reports::RawHotlineReport;
use passage_core::{CaseType, Category, Country, OrgKind, Role};
use passage_store::cases::NameSearch;
use passage_store::{Store, StoreError};

async fn hotline(s: &Store) -> (passage_store::Actor, passage_store::Actor) {
    let op = s.operator("test");
    let org = s
        .create_organisation(
            op.authority(),
            "Hotline",
            OrgKind::Hotline,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    (
        user(s, org, "desk@h.test", &[Role::Intake, Role::Caseworker]).await,
        user(s, org, "lead@h.test", &[Role::Supervisor]).await,
    )
}

fn call(categories: &[&str], narrative: &str) -> passage_core::reports::NewReport {
    RawHotlineReport {
        caller_type: "victim".into(),
        language: "en".into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        narrative: narrative.into(),
        country: Some("ES".into()),
        place: Some("Almería".into()),
        employer: Some("Agro Sur SL".into()),
        ..Default::default()
    }
    .validate()
    .expect("valid call")
}

async fn names_in_scope(s: Store) {
    let w = world(&s).await;
    let (_, lead) = hotline(&s).await;
    let (_, ours) = register(&s, &w.supervisor, "Maria", "Santos", "1990").await;
    let (_, theirs) = register(&s, &lead, "Maria", "Santos", "1991").await;

    // Word order and case do not matter; the supervisor's organisation sees its own.
    let found = s
        .cases_named(&w.supervisor, "SANTOS maria", NameSearch::OwnOrganisation)
        .await
        .expect("search");
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ours]);
    assert_eq!(found[0].person_name, "Maria Santos");

    // The hotline's person consented to a referral to the shelter: that opens nothing of the
    // hotline's case to the shelter's name search, for linking or registering.
    consent_to_referral(&s, &lead, theirs, w.shelter).await;
    let readable: Vec<_> = s
        .cases_named(&w.supervisor, "maria santos", NameSearch::Readable)
        .await
        .expect("search")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(readable, vec![ours]);
    let own: Vec<_> = s
        .cases_named(&w.supervisor, "maria santos", NameSearch::OwnOrganisation)
        .await
        .expect("search")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(own, vec![ours]);

    // Another organisation, immigration enforcement above all, gets the empty answer nobody
    // gets, whatever the name.
    for who in [&w.consul, &w.officer] {
        for within in [NameSearch::Readable, NameSearch::OwnOrganisation] {
            let someone = s.cases_named(who, "Maria Santos", within).await;
            let nobody = s.cases_named(who, "Zzyzx Qwerty", within).await;
            assert!(matches!(&someone, Ok(v) if v.is_empty()), "{someone:?}");
            assert!(matches!(&nobody, Ok(v) if v.is_empty()), "{nobody:?}");
        }
    }
    // A query with no name in it finds nothing rather than everything.
    assert!(
        s.cases_named(&w.supervisor, " - ", NameSearch::Readable)
            .await
            .expect("search")
            .is_empty()
    );
}

#[tokio::test]
async fn a_name_search_stays_inside_the_list_scope_and_registering_looks_only_at_its_own() {
    on_every_backend!(names_in_scope);
}

async fn case_from_report(s: Store) {
    let w = world(&s).await;
    let (desk, lead) = hotline(&s).await;
    let sla = s.intake_options().sla;
    let id = s
        .create_hotline_report(
            &desk,
            call(&["documents_taken", "debt"], "They kept my passport"),
            &sla,
        )
        .await
        .expect("report");
    let case = s.open_case_from_report(&desk, id).await.expect("open");
    let view = s.get_case(&desk, case).await.expect("case");
    assert_eq!(view.types, vec![CaseType::LabourExploitation]);
    assert_eq!(view.lifecycle.country.as_deref(), Some("ES"));
    let origin = s.case_origin(&lead, case).await.expect("origin");
    assert_eq!(
        origin.categories,
        vec![Category::Debt, Category::DocumentsTaken]
    );
    assert_eq!(origin.place.as_deref(), Some("Almería"));
    assert_eq!(origin.employer.as_deref(), Some("Agro Sur SL"));
    // Outside the organisation: missing as any case, consent to a referral or not.
    assert!(matches!(
        s.case_origin(&w.supervisor, case).await,
        Err(StoreError::NotFound)
    ));
    consent_to_referral(&s, &lead, case, w.shelter).await;
    assert!(matches!(
        s.case_origin(&w.supervisor, case).await,
        Err(StoreError::NotFound)
    ));
    // A case typed by hand keeps no origin.
    let (_, plain) = register(&s, &lead, "Ana", "Lima", "1990").await;
    assert!(
        s.case_origin(&lead, plain)
            .await
            .expect("origin")
            .is_empty()
    );
}

#[tokio::test]
async fn a_case_opened_from_a_report_keeps_what_the_report_said_and_is_not_trafficking() {
    on_every_backend!(case_from_report);
}

async fn triage_lines(s: Store) {
    let (desk, lead) = hotline(&s).await;
    let sla = s.intake_options().sla;
    let long = format!("{} and more", "word ".repeat(40));
    let id = s
        .create_hotline_report(&desk, call(&["unpaid_wages"], &long), &sla)
        .await
        .expect("report");
    let rows = s.triage_queue(&lead, None, 50).await.expect("queue");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].item.id, id);
    assert_eq!(rows[0].excerpt.chars().count(), 120);
    assert!(rows[0].excerpt.ends_with('…'));
    assert_eq!(rows[0].place.as_deref(), Some("Almería"));
    assert!(!rows[0].awaiting_reply);
    s.staff_message(&desk, id, said("We will call you back"))
        .await
        .expect("message");
    assert!(!s.triage_queue(&lead, None, 50).await.expect("queue")[0].awaiting_reply);
}

#[tokio::test]
async fn triage_lines_carry_an_excerpt_and_the_place() {
    on_every_backend!(triage_lines);
}

async fn tasks_named(s: Store) {
    let w = world(&s).await;
    let (_, case) = register(&s, &w.supervisor, "Maria", "Santos", "1990").await;
    s.create_task(
        &w.supervisor,
        case,
        passage_store::casework::tasks::NewTask {
            title: "Call the inspectorate".into(),
            assignee: None,
            due_on: "2020-01-01".into(),
        },
    )
    .await
    .expect("task");
    let mine = s.list_my_tasks(&w.supervisor, false).await.expect("mine");
    assert_eq!(mine[0].person_name.as_deref(), Some("Maria Santos"));
    let dash = s.dashboard(&w.supervisor).await.expect("dashboard");
    assert_eq!(
        dash.overdue_tasks[0].person_name.as_deref(),
        Some("Maria Santos")
    );
    // The case's own task list does not need the name.
    let of_case = s.list_case_tasks(&w.supervisor, case).await.expect("tasks");
    assert_eq!(of_case[0].person_name, None);
}

#[tokio::test]
async fn tasks_across_cases_name_their_person() {
    on_every_backend!(tasks_named);
}
