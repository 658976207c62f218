//! Demo family tracing and age assessment on Amina's case (a separated child): a tracing
//! request searching for her mother, and an age assessment whose range of 16 to 19 years
//! makes her treated as a child by the benefit of the doubt. Every story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::tracing::{RawAgeAssessment, RawMember, RawTracingRequest};
use passage_store::Store;
use passage_store::cases::Page;

/// Seeds tracing and age; called once, after the person data.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case = cases
        .iter()
        .find(|c| c.person_name.starts_with("Amina"))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("demo case of Amina not found"))?;
    let invalid = |what: &'static str| move |p| anyhow!("demo {what} invalid: {p:?}");

    let request = RawTracingRequest {
        opened_on: "2026-09-14".into(),
        reason: "migration_journey".into(),
    }
    .validate()
    .map_err(invalid("tracing request"))?;
    let tid = store.open_tracing(&worker, case, request).await?;
    let mother = RawMember {
        relation: "mother".into(),
        name: "Fatoumata Diallo".into(),
        last_known_place: "Bus station in Gao, spring 2026".into(),
        known: "Separated from her daughter when the bus was stopped; speaks Pular and French."
            .into(),
    }
    .validate()
    .map_err(invalid("family member"))?;
    store.add_tracing_member(&worker, case, tid, mother).await?;

    let age = RawAgeAssessment {
        assessed_on: "2026-09-20".into(),
        method: "multi_agency_holistic".into(),
        assessed_by: "City children's services with the shelter's social worker".into(),
        age_lower: Some(16),
        age_upper: Some(19),
        disputed: false,
    }
    .validate()
    .map_err(invalid("age assessment"))?;
    store.record_age_assessment(&worker, case, age).await?;
    Ok(())
}
