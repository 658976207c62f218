//! Demo return: Rosalinda, who chose to go home to the Philippines, informed in Tagalog with
//! an interpreter. Her travel documents were asked of the consulate through a referral and
//! issued; the journey plan is written; reintegration follow-up was handed over across the
//! border to a partner in the Philippines, which accepted it and recorded the 3-month visit,
//! which shows on her case. Every story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::ConsentPurpose;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::RawPersonChanges;
use passage_core::casework::returns::{
    DocumentStatus, ITEMS, RawChoice, RawFamily, RawJourney, RawRisk, RawVisit,
};
use passage_core::records::{RawCase, RawPerson};
use passage_core::referrals::ReferralStatus;
use passage_core::services::RawService;
use passage_store::casework::referrals::NewReferral;
use passage_store::{Actor, Store};
use uuid::Uuid;

/// The partner in the country of origin.
pub const PARTNER: &str = "Bahay Silungan Reintegration Centre";
/// Its caseworker, who records the visits.
pub const PARTNER_USER: &str = "reintegration@partner.demo";

/// The answers of the 3-month visit: mostly steady, still fragile on debt and distress.
const VISIT: &[(&str, &str)] = &[
    ("economic_satisfaction", "neutral"),
    ("food_insecurity", "rarely"),
    ("able_to_borrow", "yes"),
    ("borrowing_frequency", "sometimes"),
    ("working", "yes"),
    ("productive_assets", "no"),
    ("looking_for_work", "no"),
    ("housing_access", "good"),
    ("housing_standard", "fair"),
    ("children_in_school", "not_applicable"),
    ("justice_access", "fair"),
    ("documentation", "yes"),
    ("drinking_water", "good"),
    ("health_care_access", "fair"),
    ("health_care_quality", "fair"),
    ("social_activities", "sometimes"),
    ("support_network", "good"),
    ("discrimination", "rarely"),
    ("physical_safety", "often"),
    ("signs_of_distress", "sometimes"),
    ("able_to_stay", "yes"),
    ("wants_psychological_support", "yes"),
];

async fn consent(store: &Store, actor: &Actor, person: Uuid, raw: RawConsent) -> Result<()> {
    let c = raw
        .validate()
        .map_err(|p| anyhow!("demo consent invalid: {p:?}"))?;
    store.record_consent(actor, person, c).await?;
    Ok(())
}

fn referral_consent(org: Uuid) -> RawConsent {
    RawConsent {
        purpose: "referral".into(),
        organisation_id: Some(org.to_string()),
        method: Some("written".into()),
        language: Some("tl".into()),
        ..Default::default()
    }
}

fn referral(service: Uuid, note: &str) -> NewReferral {
    NewReferral {
        service_id: service,
        purpose: ConsentPurpose::Referral,
        shared_fields: Vec::new(),
        note: Some(note.into()),
        protection_need_id: None,
    }
}

/// Seeds the return; called once, after the directory's services (`consular` is the
/// consulate's service).
pub async fn seed(store: &Store, consular: Uuid) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let invalid = |what: &'static str| move |p| anyhow!("demo {what} invalid: {p:?}");
    let person = RawPerson {
        given_name: "Rosalinda".into(),
        family_name: "Bautista".into(),
        date_of_birth: Some("1990-06".into()),
        sex: Some("feminine".into()),
        citizenships: Some(vec!["PH".into()]),
        migration_status: None,
    }
    .validate(2026)
    .map_err(invalid("person"))?;
    let pid = store.create_person(&worker, person).await?;
    let languages = RawPersonChanges {
        version: Some(1),
        languages: Some(Some(vec!["tl".into(), "en".into()])),
        ..Default::default()
    }
    .validate(2026)
    .map_err(invalid("languages"))?;
    store.update_person(&worker, pid, languages).await?;
    let case = RawCase {
        person_id: pid.to_string(),
        types: vec!["trafficking".into(), "labour_exploitation".into()],
        stage: "return".into(),
        summary: "Domestic worker held in a private house; after recovery she wants to go home to her mother in Batangas.".into(),
    }
    .validate()
    .map_err(invalid("case"))?;
    let cid = store.create_case(&worker, case).await?;

    let risk = RawRisk {
        risk: "debt_bondage".into(),
        note: "The recruitment agency in Manila claims she still owes the placement fee.".into(),
    }
    .validate()
    .map_err(invalid("risk"))?;
    store.add_return_risk(&worker, cid, risk).await?;
    let risk = RawRisk {
        risk: "stigma_rejection".into(),
        note: "Afraid neighbours will blame her for coming back without savings.".into(),
    }
    .validate()
    .map_err(invalid("risk"))?;
    store.add_return_risk(&worker, cid, risk).await?;
    let family = RawFamily {
        willing: "yes".into(),
        note: "Her mother and sister will take her in; spoke with them by video call.".into(),
    }
    .validate()
    .map_err(invalid("family"))?;
    store.set_return_family(&worker, cid, family).await?;
    let choice = RawChoice {
        language: "tl".into(),
        informed_on: "2026-07-06".into(),
        interpreter: true,
        choice: "return".into(),
        voluntary: true,
        own_words: "Gusto ko nang umuwi sa nanay ko at magsimula ulit.".into(),
    }
    .validate()
    .map_err(invalid("choice"))?;
    store.record_return_choice(&worker, cid, choice).await?;

    // The partner in the Philippines and its service; the person's consents, to each
    // organisation and to sharing across the border, recorded first.
    let consulate = store
        .organisation_by_name("Consulate of the Philippines")
        .await?
        .ok_or_else(|| anyhow!("demo consulate missing"))?
        .id;
    let partner = store
        .organisation_by_name(PARTNER)
        .await?
        .ok_or_else(|| anyhow!("demo reintegration partner missing"))?
        .id;
    let service = RawService {
        name: "Reintegration support after return".into(),
        kind: "return_reintegration".into(),
        description: "Reception, family mediation, livelihood grants and follow-up visits for people who come home.".into(),
        country: "PH".into(),
        languages: vec!["tl".into(), "en".into()],
        status_blind: true,
        hours: "Mon–Sat 08:00–17:00".into(),
        contact: "+63 2 8555 0199".into(),
        ..Default::default()
    };
    let service = store
        .create_service_entry(op.authority(), partner, &service)
        .await?
        .id;
    for org in [consulate, partner] {
        consent(store, &worker, pid, referral_consent(org)).await?;
    }
    consent(
        store,
        &worker,
        pid,
        RawConsent {
            purpose: "cross_border_sharing".into(),
            method: Some("written".into()),
            language: Some("tl".into()),
            ..Default::default()
        },
    )
    .await?;

    let docs = store
        .create_referral(
            &worker,
            cid,
            referral(
                consular,
                "Travel documents: her passport was kept by the employer.",
            ),
        )
        .await?;
    store.link_travel_documents(&worker, cid, docs).await?;
    store
        .set_document_status(&worker, cid, DocumentStatus::Issued)
        .await?;
    let journey = RawJourney {
        country: "PH".into(),
        departure_on: "2026-08-03".into(),
        legs: "London Heathrow to Doha; Doha to Manila; by bus to Batangas with the partner".into(),
        escort: true,
        reception: "Met at Manila airport by the partner's social worker; first night at the partner's centre".into(),
        arrival_on: "2026-08-04".into(),
    }
    .validate()
    .map_err(invalid("journey"))?;
    store.set_return_journey(&worker, cid, journey).await?;
    let handover = store
        .create_referral(
            &worker,
            cid,
            referral(
                service,
                "Reintegration follow-up: visits at 3, 6 and 12 months.",
            ),
        )
        .await?;
    store
        .link_reintegration_handover(&worker, cid, handover)
        .await?;

    let staff = op.impersonate(PARTNER_USER).await?;
    store
        .answer_referral(&staff, handover, ReferralStatus::Accepted, None)
        .await?;
    let visit = RawVisit {
        month: "three_months".into(),
        visited_on: "2026-11-05".into(),
        answers: VISIT
            .iter()
            .map(|(k, a)| (k.to_string(), a.to_string()))
            .collect(),
        note: "Works at her sister's food stall; the agency has not contacted her again.".into(),
    }
    .validate()
    .map_err(invalid("visit"))?;
    debug_assert_eq!(VISIT.len(), ITEMS.len());
    store
        .record_reintegration_visit(&staff, handover, visit)
        .await?;
    Ok(())
}
