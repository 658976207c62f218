//! Demo criminal proceedings on María José's case (a trafficking victim): the trial of the
//! two people who recruited and exploited her, the victim a witness with a screen in court
//! and a video link granted, a trial hearing next week whose preparation task is on the work
//! list, and her stance on cooperation recorded. Every story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::proceedings::{
    CooperationStance, MeasureKind, MeasureStatus, RawHearing, RawPerpetrator, RawProceeding,
};
use passage_store::Store;
use passage_store::cases::Page;

/// Seeds the proceedings; called once, after the cases.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case = cases
        .iter()
        .find(|c| c.person_name.starts_with("María José"))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("demo case of María José not found"))?;
    let invalid = |what: &'static str| move |p| anyhow!("demo {what} invalid: {p:?}");
    let today = store.clock().today();

    let recruiter = RawPerpetrator {
        roles: vec!["recruiter_or_intermediary".into(), "transporter".into()],
        sex: "feminine".into(),
        age_band: "36_50".into(),
        citizenship: "CO".into(),
        relation: "acquainted".into(),
        details: "Ran the agency that promised hotel work and arranged the flight.".into(),
    }
    .validate()
    .map_err(invalid("perpetrator"))?;
    let employer = RawPerpetrator {
        roles: vec!["exploiter".into(), "controlled_individual".into()],
        sex: "masculine".into(),
        age_band: "over_50".into(),
        citizenship: "ES".into(),
        relation: "unacquainted".into(),
        details: "Hotel owner; kept her passport and the 'debt' ledger.".into(),
    }
    .validate()
    .map_err(invalid("perpetrator"))?;
    let a = store.record_perpetrator(&worker, case, recruiter).await?;
    let b = store.record_perpetrator(&worker, case, employer).await?;

    let proceeding = RawProceeding {
        kind: "criminal".into(),
        stage: "investigation".into(),
        authority: "Provincial Court, criminal section 2".into(),
        reference: "PA 118/2026".into(),
        victim_role: "witness".into(),
    }
    .validate()
    .map_err(invalid("proceeding"))?;
    let pid = store.open_proceeding(&worker, case, proceeding).await?;
    store.move_proceeding(&worker, case, pid, "charge").await?;
    store.move_proceeding(&worker, case, pid, "trial").await?;
    for perp in [a, b] {
        store.link_perpetrator(&worker, case, pid, perp).await?;
    }
    for kind in [MeasureKind::ScreenInCourt, MeasureKind::VideoLink] {
        store
            .set_measure(&worker, case, pid, kind, MeasureStatus::Granted)
            .await?;
    }
    store
        .set_measure(
            &worker,
            case,
            pid,
            MeasureKind::Interpreter,
            MeasureStatus::Asked,
        )
        .await?;
    // The trial hearing next week: its preparation task falls due tomorrow.
    let hearing = RawHearing {
        date: today.plus_days(8).to_string(),
        time: "09:30".into(),
        kind: "trial".into(),
        place: "Provincial Court, courtroom 4".into(),
    }
    .validate()
    .map_err(invalid("hearing"))?;
    store.add_hearing(&worker, case, pid, hearing).await?;
    store
        .record_cooperation(
            &worker,
            case,
            CooperationStance::Cooperating,
            today.plus_days(-40),
        )
        .await?;
    Ok(())
}
