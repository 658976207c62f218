//! Screenings on every backend: a whole screening at once and one saved step by step, the
//! result stored with the instrument version and sealed at rest, re-screening keeping history,
//! the HTCDS fields of the case filled, identification recorded by a supervisor only, a
//! finished screening never changed, and nothing for those who may not read the case.

use std::collections::BTreeMap;

use crate::common::*;
use passage_core::casework::IdentificationStatus;
use passage_core::screening::{Answer, Conclusion};
use passage_store::casework::screening::NewScreening;
use passage_store::{Store, StoreError};
use uuid::Uuid;

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Deceived about the job (recruitment), excessive hours and no pay (exploitation), passport
/// and debt (coercion): every group of the adult rule has a positive dimension.
const PRESUMED: [(&str, &str); 7] = [
    ("dr_nature_of_job", "yes"),
    ("dr_wages", "yes"),
    ("ec_excessive_hours", "yes"),
    ("ec_low_or_no_salary", "yes"),
    ("cd_documents", "yes"),
    ("cd_debt_bondage", "yes"),
    ("cd_violence", "declined"),
];

fn screening(list: &[(&str, &str)], complete: bool) -> NewScreening {
    NewScreening {
        instrument: "ilo_adult_labour".into(),
        language: "fr".into(),
        answers: answers(list),
        complete,
    }
}

async fn screenings_explain_fill_the_case_and_keep_history(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Hawa", "Kamara", None).await;

    let first = s
        .create_screening(&w.worker, case, screening(&PRESUMED, true))
        .await
        .expect("screen");
    let r = first
        .result
        .as_ref()
        .expect("a finished screening has its result");
    assert_eq!(r.conclusion, Conclusion::PresumedTrafficking);
    assert_eq!(
        (first.instrument_version.as_str(), first.language.as_str()),
        ("2009.1", "fr")
    );
    let coercion = r
        .dimensions
        .iter()
        .find(|d| d.id == "coercion_at_destination")
        .unwrap();
    assert_eq!(
        coercion.because,
        vec!["cd_documents", "cd_debt_bondage"],
        "in the instrument's order"
    );
    assert_eq!(first.answers.get("cd_violence"), Some(&Answer::Declined));

    // The case now carries what the screening found, for HTCDS export.
    let view = s.get_case(&w.worker, case).await.expect("case");
    for m in [
        "DebtBondage",
        "WithholdsDocuments",
        "ExcessiveWorkingHours",
        "FalsePromises",
    ] {
        assert!(
            view.lifecycle.methods_of_control.contains(&m.to_string()),
            "{m}"
        );
    }
    assert_eq!(view.lifecycle.type_of_exploitation, vec!["ForcedLabour"]);

    // Answers and results are sealed: no indicator id in the stored bytes.
    let (a, res): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT answers, result FROM screenings WHERE id = $1")
            .bind(first.id.to_string())
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("row");
    for bytes in [a, res] {
        assert!(!String::from_utf8_lossy(&bytes).contains("cd_documents"));
    }

    // Step by step: start, save a part, save more, finish.
    let second = s
        .create_screening(
            &w.worker,
            case,
            screening(&[("dr_nature_of_job", "no")], false),
        )
        .await
        .expect("start");
    assert_eq!(
        (second.status, second.result.is_none()),
        ("in_progress", true)
    );
    let saved = s
        .save_screening(
            &w.worker,
            second.id,
            answers(&[("ec_excessive_hours", "yes")]),
            false,
            second.version,
        )
        .await
        .expect("save");
    assert_eq!(saved.answers.len(), 2, "answers add up across steps");
    // A stale page is refused and loses nothing.
    assert!(matches!(
        s.save_screening(
            &w.worker,
            second.id,
            answers(&[("cd_documents", "yes")]),
            false,
            second.version
        )
        .await,
        Err(StoreError::VersionConflict { .. })
    ));
    let done = s
        .save_screening(&w.worker, second.id, answers(&[]), true, saved.version)
        .await
        .expect("finish");
    assert_eq!(
        done.result.as_ref().unwrap().conclusion,
        Conclusion::IndicatorsPresent
    );
    // A finished screening stays as it was.
    assert!(matches!(
        s.save_screening(
            &w.worker,
            second.id,
            answers(&[("cd_documents", "yes")]),
            true,
            done.version
        )
        .await,
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::ScreeningCompleted,
            ..
        })
    ));

    // History: both, newest first.
    let history = s.screenings(&w.worker, case).await.expect("history");
    assert_eq!(
        history.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![second.id, first.id]
    );

    // Bad input: an indicator the instrument does not have, an answer not among the four, an
    // unknown instrument or language. Nothing is written.
    for bad in [
        screening(&[("dr_nope", "yes")], true),
        screening(&[("dr_wages", "maybe")], true),
        NewScreening {
            instrument: "nope".into(),
            ..screening(&[], true)
        },
        NewScreening {
            language: "xx".into(),
            ..screening(&[], true)
        },
    ] {
        assert!(matches!(
            s.create_screening(&w.worker, case, bad).await,
            Err(StoreError::Invalid(_))
        ));
    }
    match s
        .create_screening(&w.worker, case, screening(&[("dr_nope", "yes")], true))
        .await
    {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(
                (p.0[0].field.as_str(), p.0[0].code.as_str()),
                ("answers.dr_nope", "unknown_indicator")
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.screenings(&w.worker, case).await.unwrap().len(), 2);

    // Identification from a screening: a supervisor only; it refers to the screening.
    assert!(matches!(
        s.identify_from_screening(&w.worker, first.id, None).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.identify_from_screening(&w.supervisor, second.id, None)
            .await
            .map(|_| ()),
        Ok(())
    ));
    let ident = s
        .get_case(&w.supervisor, case)
        .await
        .unwrap()
        .lifecycle
        .identification
        .expect("identified");
    assert_eq!(ident.status, IdentificationStatus::PossibleVictim);
    assert_eq!(ident.screening, Some(second.id));
    assert!(ident.decided_by.contains("ilo_adult_labour"));

    // Those who may not read the case learn nothing, not even that the screening exists.
    for outsider in [&w.consul, &w.officer] {
        assert!(matches!(
            s.screenings(outsider, case).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.screening(outsider, first.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.create_screening(outsider, case, screening(&PRESUMED, true))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.save_screening(outsider, first.id, answers(&[]), true, 1)
                .await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        s.screening(&w.worker, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
    // Every read and change is audited.
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'screening.%'")
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("audit");
    assert!(n >= 15, "screening actions audited ({n})");
}

#[tokio::test]
async fn screenings_explain_fill_the_case_and_keep_history_on_every_backend() {
    on_every_backend!(screenings_explain_fill_the_case_and_keep_history);
}
