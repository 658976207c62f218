//! Demo lifecycle on the shelter's cases: a high-risk case in the UK with a reasonable-grounds
//! decision (its recovery and reflection period running under the GB profile), a conclusive
//! decision with move-on support, and a caseworker's request to close an unaccompanied girl's
//! case waiting for the supervisor. Dates are relative to the day the demo is seeded. Every
//! story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::calendar::Day;
use passage_core::casework::changes::{RawCaseChanges, RawIdentification, RawTransition};
use passage_store::cases::{CaseListItem, Page};
use passage_store::{Actor, Store, StoreError};

fn today() -> Day {
    Day::from_unix_ms(passage_store::now_ms())
}

async fn identify(
    store: &Store,
    worker: &Actor,
    case: &CaseListItem,
    status: &str,
    days_ago: i64,
) -> Result<()> {
    let ident = RawIdentification {
        status: status.into(),
        decided_by: "Single Competent Authority (National Referral Mechanism)".into(),
        decided_on: today().plus_days(-days_ago).to_string(),
        version: None,
    }
    .validate(today())
    .map_err(|p| anyhow!("demo identification invalid: {p:?}"))?;
    store.set_identification(worker, case.id, ident).await?;
    Ok(())
}

async fn move_to(store: &Store, worker: &Actor, case: &CaseListItem, to: &str) -> Result<()> {
    let t = RawTransition {
        to: to.into(),
        ..Default::default()
    }
    .validate()
    .map_err(|p| anyhow!("demo transition invalid: {p:?}"))?;
    store.transition(worker, case.id, t).await?;
    Ok(())
}

/// Seeds the lifecycle; called once, after the case work and the person data.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case_of = |given: &str| {
        cases
            .iter()
            .find(|c| c.person_name.starts_with(given))
            .ok_or_else(|| anyhow!("demo case of {given} not found"))
    };

    // María José: the employer may look for her (high risk); in the UK; reasonable grounds
    // found ten days ago.
    let maria = case_of("María José")?;
    let version = store.get_case(&worker, maria.id).await?.version;
    let changes = RawCaseChanges {
        version: Some(version),
        risk: Some("high".into()),
        country: Some(Some("GB".into())),
        ..Default::default()
    }
    .validate()
    .map_err(|p| anyhow!("demo case changes invalid: {p:?}"))?;
    store.update_case(&worker, maria.id, changes).await?;
    move_to(store, &worker, maria, "assessment").await?;
    identify(store, &worker, maria, "possible_victim", 10).await?;

    // Maricel: in the UK, recognised as a victim: move-on support runs.
    let maricel = case_of("Maricel")?;
    let version = store.get_case(&worker, maricel.id).await?.version;
    let changes = RawCaseChanges {
        version: Some(version),
        country: Some(Some("GB".into())),
        ..Default::default()
    }
    .validate()
    .map_err(|p| anyhow!("demo case changes invalid: {p:?}"))?;
    store.update_case(&worker, maricel.id, changes).await?;
    move_to(store, &worker, maricel, "services").await?;
    identify(store, &worker, maricel, "possible_victim", 40).await?;
    identify(store, &worker, maricel, "actual_victim", 3).await?;

    // Amina, an unaccompanied girl: the caseworker asks to close; the supervisor decides.
    let amina = case_of("Amina")?;
    let close = RawTransition {
        to: "closed".into(),
        reason: Some("Family reunification with her aunt in Lyon agreed with her guardian; handover to the French child protection service.".into()),
        outcome: Some("other".into()),
        version: None,
    }
    .validate()
    .map_err(|p| anyhow!("demo transition invalid: {p:?}"))?;
    match store.transition(&worker, amina.id, close).await {
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::SupervisorApprovalRequired,
            ..
        }) => {}
        Ok(_) => return Err(anyhow!("the demo child case closed without approval")),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
