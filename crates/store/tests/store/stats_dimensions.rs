//! Statistics by sector and by means of control: a consented case counts under the sector of
//! the entity linked to it and under the means of control its completed screening found; a
//! case with neither counts as unknown; a case whose person did not consent counts under none
//! of them, only as left out — even with an entity and a screening of its own.

use crate::common::*;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::labour::entities::{LinkRole, LinkedRecord, RawEntity};
use passage_core::records::{RawCase, RawPerson};
use passage_store::casework::screening::NewScreening;
use passage_store::stats::{Dimension, Disclosure, Question, Summary};
use passage_store::{Actor, Authority, Clock, Store};
use uuid::Uuid;

/// 2026-03-10 12:00 UTC, and 2026-04-02 09:00 UTC when March is released.
const MARCH: i64 = 1_773_144_000_000;
const APRIL: i64 = 1_775_120_400_000;

async fn case(s: &Store, actor: &Actor, n: usize, consented: bool) -> Uuid {
    let person = RawPerson {
        given_name: format!("Person{n}"),
        family_name: "Sector".into(),
        date_of_birth: Some("1990-01-01".into()),
        sex: None,
        citizenships: Some(vec!["NP".into()]),
        migration_status: None,
    }
    .validate(2026)
    .expect("person");
    let pid = s.create_person(actor, person).await.expect("person");
    let raw = RawCase {
        person_id: pid.to_string(),
        types: vec!["labour_exploitation".into()],
        stage: "destination".into(),
        summary: "A summary.".into(),
    }
    .validate()
    .expect("case");
    let id = s.create_case(actor, raw).await.expect("case");
    if consented {
        let c = NewConsent {
            purpose: ConsentPurpose::Statistics,
            organisation_id: None,
            basis: LegalBasis::Consent,
            method: Some(ConsentMethod::Verbal),
            language: None,
            reason: None,
        };
        s.record_consent(actor, pid, c).await.expect("consent");
    }
    id
}

/// Debt and confiscated documents, among others: a finished screening.
fn screened() -> NewScreening {
    let answers = [
        ("dr_nature_of_job", "yes"),
        ("dr_wages", "yes"),
        ("ec_excessive_hours", "yes"),
        ("ec_low_or_no_salary", "yes"),
        ("cd_documents", "yes"),
        ("cd_debt_bondage", "yes"),
    ];
    NewScreening {
        instrument: "ilo_adult_labour".into(),
        language: "en".into(),
        answers: answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        complete: true,
    }
}

fn count(sum: &Summary, dimension: &str, value: &str) -> Option<u64> {
    sum.cells
        .iter()
        .find(|c| c.key.get(dimension).map(String::as_str) == Some(value))
        .unwrap_or_else(|| panic!("{dimension} {value} listed"))
        .count
}

async fn by_sector_and_control(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    let employer = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &RawEntity {
                name: "Harbour Building Works".into(),
                kind: "employer".into(),
                country: "GB".into(),
                licence_number: String::new(),
                sector: "F".into(),
            },
        )
        .await
        .expect("entity");
    let found = case(&s, &w.worker, 0, true).await;
    let plain = case(&s, &w.worker, 1, true).await;
    let hidden = case(&s, &w.worker, 2, false).await;
    for c in [found, hidden] {
        s.link_entity(
            &w.worker,
            LinkedRecord::Case,
            c,
            employer,
            LinkRole::Employer,
        )
        .await
        .expect("linked");
        let done = s
            .create_screening(&w.worker, c, screened())
            .await
            .expect("screened");
        let methods = &done.result.expect("finished").methods_of_control;
        assert!(
            methods.iter().any(|m| m == "DebtBondage"),
            "the screening found debt bondage: {methods:?}"
        );
    }
    let _ = plain;
    clock.advance(APRIL - MARCH);
    let ask = |d: Dimension| Question {
        by: vec![d],
        from: passage_core::casework::calendar::Day::parse("2026-03-01"),
        to: passage_core::casework::calendar::Day::parse("2026-03-31"),
        org: None,
    };
    let exact = Disclosure::unsafe_exact(1);
    let sector = s
        .stats_summary(&w.officer, &ask(Dimension::Sector), exact)
        .await
        .expect("by sector");
    assert_eq!(count(&sector, "sector", "F"), Some(1), "the consented one");
    assert_eq!(count(&sector, "sector", "unknown"), Some(1), "no entity");
    assert_eq!(
        count(&sector, "sector", "A"),
        Some(0),
        "every section listed"
    );
    assert_eq!(sector.excluded_without_consent, 1);
    let control = s
        .stats_summary(&w.officer, &ask(Dimension::Control), exact)
        .await
        .expect("by means of control");
    assert_eq!(count(&control, "control", "DebtBondage"), Some(1));
    assert_eq!(count(&control, "control", "WithholdsDocuments"), Some(1));
    assert_eq!(
        count(&control, "control", "unknown"),
        Some(1),
        "not screened"
    );
    assert_eq!(count(&control, "control", "SexualAbuse"), Some(0));
    assert_eq!(control.excluded_without_consent, 1);
    // Crossed with the type, through the facts rather than the grouping: the same figure.
    let crossed = s
        .stats_summary(
            &w.officer,
            &Question {
                by: vec![Dimension::Type, Dimension::Sector],
                ..ask(Dimension::Sector)
            },
            exact,
        )
        .await
        .expect("crossed");
    let f = crossed
        .cells
        .iter()
        .find(|c| {
            c.key.get("type").map(String::as_str) == Some("labour_exploitation")
                && c.key.get("sector").map(String::as_str) == Some("F")
        })
        .expect("listed");
    assert_eq!(f.count, Some(1));
}

#[tokio::test]
async fn cases_count_by_the_sector_and_the_means_of_control_of_consented_cases_only() {
    on_every_backend!(by_sector_and_control);
}
