//! The demo world's incidents (issue 16): events of discrimination and xenophobic violence
//! recorded by the shelter and the helpline across English and Welsh regions, and a monitoring
//! visit to a removal centre with an incident seen there. London and Yorkshire hold more than
//! the default k, the North West and Wales fewer, so the monitoring view shows both a count and
//! "fewer than k".

use anyhow::Result;
use passage_core::monitoring::incidents::{RawAffected, RawIncident};
use passage_core::monitoring::visits::RawVisit;
use passage_store::Store;
use passage_store::monitoring::incidents::IncidentOrigin;

/// (region, how many, place type, kinds, bias motive, perpetrator, source, narrative)
type DemoIncident = (
    &'static str,
    usize,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const INCIDENTS: &[DemoIncident] = &[
    (
        "london",
        12,
        "transport",
        &["violence", "hate_speech"],
        "religion",
        "private_person",
        "witness",
        "A woman wearing a headscarf was shoved and insulted on a night bus.",
    ),
    (
        "yorkshire_humber",
        11,
        "housing",
        &["discrimination_housing"],
        "nationality",
        "landlord",
        "victim",
        "A letting agent refused to show a flat once the caller's accent was heard.",
    ),
    (
        "north_west",
        4,
        "health_facility",
        &["discrimination_health", "denial_of_service"],
        "migration_status",
        "other_official",
        "partner",
        "A clinic receptionist asked for a passport before booking a pregnant woman's scan.",
    ),
    (
        "wales",
        2,
        "workplace",
        &["threats", "discrimination_employment"],
        "ethnicity",
        "employer",
        "victim",
        "A supervisor threatened to report a worker to immigration if he asked for his wages.",
    ),
];

pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let org = |name: &'static str| async move {
        store
            .organisation_by_name(name)
            .await?
            .map(|o| o.id)
            .ok_or_else(|| anyhow::anyhow!("demo organisation {name} missing"))
    };
    let shelter = org("Safe Harbour Shelter").await?;
    let helpline = org("Migrant Helpline").await?;
    let today = store.clock().today();
    let mut n = 0i64;
    for (region, count, place, kinds, motive, perpetrator, source, narrative) in INCIDENTS {
        for i in 0..*count {
            n += 1;
            let raw = RawIncident {
                occurred_on: today.plus_days(-(n * 6) % 170 - 1).to_string(),
                country: "GB".into(),
                region: region.to_string(),
                place_type: place.to_string(),
                kinds: kinds.iter().map(|k| k.to_string()).collect(),
                bias_motives: vec![motive.to_string()],
                perpetrator_type: perpetrator.to_string(),
                affected: RawAffected {
                    women: if i % 2 == 0 {
                        "1".into()
                    } else {
                        String::new()
                    },
                    men: if i % 2 == 1 {
                        "1".into()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                },
                source: source.to_string(),
                narrative: narrative.to_string(),
            };
            let by = if i % 3 == 0 { helpline } else { shelter };
            store
                .record_incident(op.authority(), by, &raw, IncidentOrigin::default())
                .await
                .map_err(|e| anyhow::anyhow!("demo incident: {e}"))?;
        }
    }
    let visit = store
        .record_visit(
            op.authority(),
            shelter,
            &RawVisit {
                kind: "detention_visit".into(),
                place_name: "Northgate Removal Centre".into(),
                visited_on: today.plus_days(-9).to_string(),
                findings: "No interpreter at medical checks; two detainees said guards mocked their prayers.".into(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo visit: {e}"))?;
    store
        .record_incident(
            op.authority(),
            shelter,
            &RawIncident {
                occurred_on: today.plus_days(-9).to_string(),
                country: "GB".into(),
                region: "london".into(),
                place_type: "detention_centre".into(),
                kinds: vec!["abuse_in_detention".into(), "hate_speech".into()],
                bias_motives: vec!["religion".into()],
                perpetrator_type: "detention_official".into(),
                affected: RawAffected {
                    men: "2".into(),
                    ..Default::default()
                },
                source: "monitor".into(),
                narrative: "Two detainees said guards mocked them at prayer.".into(),
            },
            IncidentOrigin {
                visit_id: Some(visit),
                report_id: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo incident: {e}"))?;
    Ok(())
}
