//! Exports: only consented cases are read, and nothing sealed or free in any row; a CTDC
//! release reads each person once; the privacy budget refuses a release that would pass it,
//! and records nothing then; only the operator exports.

use crate::common::*;
use passage_core::ErrorCode;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::records::{RawCase, RawPerson};
use passage_stats::dp::Epsilon;
use passage_stats::htcds;
use passage_stats::record::CaseRecord;
use passage_store::auth::Authority;
use passage_store::stats::{ExportKind, ExportRequest, ExportTicket, Month, Period};
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

/// A person with a case (and a statistics consent when `consented`); returns the person.
async fn person_with_case(s: &Store, actor: &Actor, n: usize, consented: bool) -> Uuid {
    let person = RawPerson {
        given_name: format!("Zelinda{n}"),
        family_name: "Quarrington".into(),
        date_of_birth: Some("2001-05-02".into()),
        sex: Some("feminine".into()),
        citizenships: Some(vec!["NP".into()]),
        migration_status: None,
    }
    .validate(2026)
    .expect("person");
    let pid = s.create_person(actor, person).await.expect("person");
    open_case(s, actor, pid).await;
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
    pid
}

async fn open_case(s: &Store, actor: &Actor, pid: Uuid) {
    let raw = RawCase {
        person_id: pid.to_string(),
        types: vec!["trafficking".into()],
        stage: "destination".into(),
        summary: "Narrative of the Blackwater farm.".into(),
    }
    .validate()
    .expect("case");
    s.create_case(actor, raw).await.expect("case");
}

fn eps(t: &str) -> Epsilon {
    Epsilon::parse(t).expect("epsilon")
}

fn request(kind: ExportKind, epsilon: Option<&str>, period: Period) -> ExportRequest {
    ExportRequest {
        kind,
        period,
        epsilon: epsilon.map(eps),
        budget: eps("1"),
    }
}

const ALL: Period = Period {
    from: None,
    to: None,
};

async fn read_all(s: &Store, ticket: &ExportTicket) -> Vec<CaseRecord> {
    let mut out = Vec::new();
    let mut after = String::new();
    loop {
        let round = s.stats_export_round(ticket, &after).await.expect("round");
        out.extend(round.records);
        match round.next {
            Some(n) => after = n,
            None => return out,
        }
    }
}

async fn only_consented_cases_and_nothing_sealed(s: Store) {
    let w = world(&s).await;
    for i in 0..5 {
        person_with_case(&s, &w.worker, i, true).await;
    }
    for i in 5..8 {
        person_with_case(&s, &w.worker, i, false).await;
    }
    // One consented person with a second case: two HTCDS rows, one CTDC record.
    let twice = person_with_case(&s, &w.worker, 8, true).await;
    open_case(&s, &w.worker, twice).await;
    sqlx::query(
        "UPDATE cases SET type_of_exploitation = $1, methods_of_control = $2, country = $3",
    )
    .bind("ForcedLabour;Invented free text")
    .bind("DebtBondage")
    .bind("GB")
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("types");
    let op = s.operator("export");
    let ticket = s
        .stats_export_open(op.authority(), request(ExportKind::Htcds, None, ALL))
        .await
        .expect("open");
    let records = read_all(&s, &ticket).await;
    assert_eq!(records.len(), 7, "five consented, one with two cases");
    assert_eq!(s.stats_export_left_out(&ticket).await.expect("left"), 3);
    for r in &records {
        assert_eq!(r.sex, "feminine");
        assert_eq!(r.citizenship, "NP");
        assert_eq!(r.country.as_deref(), Some("GB"));
        assert!(
            r.age_band.contains('-'),
            "a band, not a date: {}",
            r.age_band
        );
        let row = htcds::row(r);
        let text = row.join(",");
        for secret in ["Zelinda", "Quarrington", "2001", "Blackwater", "Invented"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(row[5], "ForcedLabour", "free text in a list is dropped");
        assert_eq!(row[6], "DebtBondage");
    }
    let ctdc = s
        .stats_export_open(op.authority(), request(ExportKind::Ctdc, Some("0.5"), ALL))
        .await
        .expect("open");
    assert_eq!(read_all(&s, &ctdc).await.len(), 6, "one record per person");
    // Out of the period: nothing.
    let past = Period {
        from: Month::parse("2001-01"),
        to: Month::parse("2001-12"),
    };
    let old = s
        .stats_export_open(op.authority(), request(ExportKind::Htcds, None, past))
        .await
        .expect("open");
    assert!(read_all(&s, &old).await.is_empty());
}
#[tokio::test]
async fn only_consented() {
    on_every_backend!(only_consented_cases_and_nothing_sealed);
}

async fn the_budget_refuses_and_records_nothing(s: Store) {
    let w = world(&s).await;
    person_with_case(&s, &w.worker, 0, true).await;
    let op = s.operator("export");
    let params = serde_json::json!({"k": 11});
    // A signed-in user cannot export, whatever their roles.
    let user = Authority::User(w.org_admin.clone());
    assert!(matches!(
        s.stats_export_open(&user, request(ExportKind::Ctdc, Some("0.1"), ALL))
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let first = s
        .stats_export_open(op.authority(), request(ExportKind::Ctdc, Some("0.6"), ALL))
        .await
        .expect("within the budget");
    // A second one opened before the first is recorded.
    let racing = s
        .stats_export_open(op.authority(), request(ExportKind::Ctdc, Some("0.6"), ALL))
        .await
        .expect("nothing spent yet");
    s.stats_export_record(first, &params, 10)
        .await
        .expect("recorded");
    match s.stats_export_record(racing, &params, 10).await {
        Err(StoreError::Rule { code, message }) => {
            assert_eq!(code, ErrorCode::PrivacyBudgetSpent);
            assert!(message.contains("0.4"), "{message}");
        }
        other => panic!("the race is refused: {other:?}"),
    }
    // Refused up front, and for an overlapping period too.
    let march = Period {
        from: Month::parse("2026-03"),
        to: Month::parse("2026-03"),
    };
    for period in [ALL, march] {
        match s
            .stats_export_open(
                op.authority(),
                request(ExportKind::Ctdc, Some("0.5"), period),
            )
            .await
        {
            Err(StoreError::Rule { code, message }) => {
                assert_eq!(code, ErrorCode::PrivacyBudgetSpent);
                assert!(message.contains("epsilon 0.4 is left"), "{message}");
            }
            other => panic!("past the budget: {other:?}"),
        }
    }
    // What is left can still be spent; an HTCDS export spends nothing.
    let rest = s
        .stats_export_open(
            op.authority(),
            request(ExportKind::Ctdc, Some("0.4"), march),
        )
        .await
        .expect("the rest");
    s.stats_export_record(rest, &params, 3)
        .await
        .expect("recorded");
    let htcds = s
        .stats_export_open(op.authority(), request(ExportKind::Htcds, None, ALL))
        .await
        .expect("no epsilon");
    s.stats_export_record(htcds, &params, 1)
        .await
        .expect("recorded");
    let listed = s.stats_releases(&w.officer).await.expect("listed");
    assert_eq!(listed.releases.len(), 3, "refusals record nothing");
    assert_eq!(listed.releases[0].kind, "htcds");
    assert_eq!(listed.releases[0].epsilon, None);
    let all = listed
        .datasets
        .iter()
        .find(|d| d.dataset == "ctdc:all")
        .expect("the dataset");
    assert_eq!((all.used.as_str(), all.left.as_str()), ("1", "0"));
    assert!(
        listed
            .datasets
            .iter()
            .all(|d| !d.dataset.starts_with("htcds")),
        "an export that spends nothing has no budget"
    );
    // Every step is in the audit log, refusals too.
    let refused: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'stats.export.%' AND outcome = 'refused'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(refused.0, 3);
}
#[tokio::test]
async fn budget() {
    on_every_backend!(the_budget_refuses_and_records_nothing);
}
