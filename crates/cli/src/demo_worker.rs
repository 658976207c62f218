//! What happened to a demo worker, and her claim: María José paid a placement fee to a
//! recruiter, was promised hotel work in one city and found another employer, lower pay and
//! longer hours; three months' wages are owed and a wage claim is being prepared. Every story
//! and name is invented.

use anyhow::{Result, anyhow};
use passage_core::labour::Amount;
use passage_core::labour::remedies::RawClaim;
use passage_core::labour::worker::{RawContract, RawDebt, RawFee, RawWages};
use passage_store::Store;
use passage_store::cases::Page;

fn invalid(what: &str, p: passage_core::validate::Problems) -> anyhow::Error {
    anyhow!("demo {what} invalid: {p:?}")
}

/// Seeds the worker's account; called once, with the rest of the demo world.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case = cases
        .iter()
        .find(|c| c.person_name.starts_with("María José"))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("demo case of María José not found"))?;
    let today = store.clock().today();
    let (year, _, _) = today.ymd();
    let fee = RawFee {
        kind: "placement_fee".into(),
        amount: Amount::typed("1800"),
        currency: "USD".into(),
        paid_to: "Horizonte Talent Agency".into(),
        paid_on: format!("{}", year - 1),
        evidence: "Bank transfer slip kept by her sister.".into(),
    }
    .validate(today)
    .map_err(|p| invalid("fee", p))?;
    store.record_labour_fee(&worker, case, fee).await?;
    let debt = RawDebt {
        owed_to: "Horizonte Talent Agency".into(),
        amount: Amount::typed("1200"),
        currency: "USD".into(),
        terms: "Deducted from her wages at 150 a month; the agency adds a 'late fee' when she complains.".into(),
    }
    .validate()
    .map_err(|p| invalid("debt", p))?;
    store.record_labour_debt(&worker, case, debt).await?;
    for (version, wage, hours, job, employer, place, days_off) in [
        (
            "promised",
            "1400",
            "40",
            "Hotel receptionist",
            "Grand Meridian Hotel",
            "Lisbon",
            "2",
        ),
        (
            "found",
            "600",
            "66",
            "Housekeeping and laundry",
            "Costa Azul Cleaning Services",
            "Albufeira",
            "0",
        ),
    ] {
        let contract = RawContract {
            version: version.into(),
            wage_amount: Amount::typed(wage),
            wage_currency: "EUR".into(),
            wage_period: "month".into(),
            hours_per_week: hours.into(),
            job_title: job.into(),
            employer: employer.into(),
            place: place.into(),
            days_off: days_off.into(),
        }
        .validate()
        .map_err(|p| invalid("contract", p))?;
        store
            .record_labour_contract(&worker, case, contract)
            .await?;
    }
    let wages = RawWages {
        period_from: today.plus_months(-4).to_string()[..7].to_string(),
        period_to: today.plus_months(-1).to_string()[..7].to_string(),
        amount: Amount::typed("2400"),
        currency: "EUR".into(),
    }
    .validate(today)
    .map_err(|p| invalid("wages", p))?;
    store.record_labour_wages(&worker, case, wages).await?;
    let claim = RawClaim {
        kind: "labour_court".into(),
        subject: "wages".into(),
        amount: Amount::typed("2400"),
        currency: "EUR".into(),
        deadline: today.plus_days(45).to_string(),
        note: "Labour court, Faro; the union's lawyer prepares the filing.".into(),
    }
    .validate()
    .map_err(|p| invalid("claim", p))?;
    store.record_labour_claim(&worker, case, claim).await?;
    Ok(())
}
