//! Demo permits on protection grounds on Maricel's case (a recognised victim of trafficking
//! in the UK): temporary permission to stay as a victim of modern slavery, granted and
//! expiring in 45 days, so its reminder (60 days before under the GB profile) is already due
//! on the caseworker's work list. Dates are relative to the day the demo is seeded. Every
//! story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::permits::{RawDates, RawPermit};
use passage_store::Store;
use passage_store::cases::Page;

/// Seeds the permits; called once, after the lifecycle (which puts Maricel's case in the UK).
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case = cases
        .iter()
        .find(|c| c.person_name.starts_with("Maricel"))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("demo case of Maricel not found"))?;
    let today = store.clock().today();
    let day = |n: i64| today.plus_days(n).to_string();
    let permit = RawPermit {
        kind: "trafficking_victim".into(),
        status: "granted".into(),
        authority: "Home Office (UK Visas and Immigration)".into(),
        reference: "VTS-DEMO-2025-0311".into(),
        dates: RawDates {
            applied_on: day(-410),
            decided_on: day(-320),
            valid_from: day(-320),
            expires_on: day(45),
            appeal_deadline: String::new(),
        },
        note: "Granted for twelve months to pursue compensation from the employer; a renewal application needs the solicitor's letter on the civil claim.".into(),
    }
    .validate()
    .map_err(|p| anyhow!("demo permit invalid: {p:?}"))?;
    store.add_permit(&worker, case, permit).await?;
    Ok(())
}
