//! Demo screenings: Maricel's case screened with the adult labour-exploitation instrument
//! (finished: the explanation, the HTCDS fields it fills), and a child screening of Amina's case
//! left in progress, to go on with. Every story is invented.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use passage_store::Store;
use passage_store::cases::Page;
use passage_store::casework::screening::NewScreening;

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Seeds the screenings; called once, with the rest of the demo world.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case_of = |given: &str| {
        cases
            .iter()
            .find(|c| c.person_name.starts_with(given))
            .map(|c| c.id)
            .ok_or_else(|| anyhow!("demo case of {given} not found"))
    };
    store
        .create_screening(
            &worker,
            case_of("Maricel")?,
            NewScreening {
                instrument: "ilo_adult_labour".into(),
                language: "en".into(),
                answers: answers(&[
                    ("dr_nature_of_job", "no"),
                    ("dr_wages", "yes"),
                    ("dr_working_conditions", "yes"),
                    ("ec_excessive_hours", "yes"),
                    ("ec_low_or_no_salary", "yes"),
                    ("ec_bad_living_conditions", "yes"),
                    ("cd_documents", "yes"),
                    ("cd_isolation", "yes"),
                    ("cd_violence", "declined"),
                    ("cd_withholding_wages", "yes"),
                ]),
                complete: true,
            },
        )
        .await?;
    store
        .create_screening(
            &worker,
            case_of("Amina")?,
            NewScreening {
                instrument: "ilo_child_labour".into(),
                language: "fr".into(),
                answers: answers(&[("dr_nature_of_job", "yes")]),
                complete: false,
            },
        )
        .await?;
    Ok(())
}
