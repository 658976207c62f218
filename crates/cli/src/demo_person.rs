//! Demo identities, documents, consent and children on the shelter's cases: a passport held by
//! the employer (a key indicator), a name in Cyrillic with its Latin form, a consent to the
//! consular referral, and a child's best-interests decisions, one signed off and one waiting.
//! Every story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{RawContact, RawDocument, RawPersonChanges};
use passage_store::Store;
use passage_store::cases::Page;

fn set(v: &str) -> Option<Option<String>> {
    Some(Some(v.to_string()))
}

fn list(v: &[&str]) -> Option<Option<Vec<String>>> {
    Some(Some(v.iter().map(|x| x.to_string()).collect()))
}

/// Seeds the person data; called once, with the rest of the demo world.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let supervisor = op.impersonate("supervisor@shelter.demo").await?;
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let person_of = |given: &str| {
        cases
            .iter()
            .find(|c| c.person_name.starts_with(given))
            .map(|c| (c.id, c.person_id))
            .ok_or_else(|| anyhow!("demo case of {given} not found"))
    };
    let invalid = |what: &str| {
        let what = what.to_string();
        move |p| anyhow!("demo {what} invalid: {p:?}")
    };

    let (_, maria) = person_of("María José")?;
    let changes = RawPersonChanges {
        version: Some(1),
        languages: list(&["es"]),
        contacts: Some(Some(vec![RawContact {
            kind: "phone".into(),
            value: "+44 7700 900 461".into(),
        }])),
        ..Default::default()
    }
    .validate(passage_web::this_year())
    .map_err(invalid("identity"))?;
    store.update_person(&worker, maria, changes).await?;
    let passport = RawDocument {
        kind: "passport".into(),
        number: Some("AX1234567".into()),
        country: Some("CO".into()),
        held_by: "employer".into(),
    }
    .validate()
    .map_err(invalid("document"))?;
    store.add_person_document(&worker, maria, passport).await?;

    let (_, olena) = person_of("Олена")?;
    let changes = RawPersonChanges {
        version: Some(1),
        given_name_latin: set("Olena"),
        family_name_latin: set("Kovalenko"),
        languages: list(&["uk", "ru"]),
        ..Default::default()
    }
    .validate(passage_web::this_year())
    .map_err(invalid("identity"))?;
    store.update_person(&worker, olena, changes).await?;

    // (Maricel's referral consent to the consulate is recorded with her case: the share rests
    // on it.)
    let (_, maricel) = person_of("Maricel")?;
    let services = RawConsent {
        purpose: "services".into(),
        method: Some("verbal".into()),
        language: Some("tl".into()),
        ..Default::default()
    }
    .validate()
    .map_err(invalid("consent"))?;
    store.record_consent(&worker, maricel, services).await?;

    let (amina_case, amina) = person_of("Amina")?;
    let changes = RawPersonChanges {
        version: Some(1),
        vulnerabilities: list(&["unaccompanied_or_separated_child"]),
        languages: list(&["fr", "ff"]),
        ..Default::default()
    }
    .validate(passage_web::this_year())
    .map_err(invalid("identity"))?;
    store.update_person(&worker, amina, changes).await?;
    let placement = RawBestInterests {
        assessment: "Interviewed with an interpreter in Pular. She wants to stay in school and is afraid of the man who brought her across the border.".into(),
        decision: "Place her in the shelter's supervised unit for girls; no contact with the smuggler; school enrolment this month.".into(),
        guardian_name: Some("Awa Sow (appointed guardian)".into()),
        guardian_contact: Some("+44 7700 900 532".into()),
    }
    .validate()
    .map_err(invalid("best interests"))?;
    let first = store
        .record_best_interests(&worker, amina_case, placement)
        .await?;
    store.sign_off_best_interests(&supervisor, first).await?;
    let tracing_family = RawBestInterests {
        assessment: "An aunt in Lyon has been found through family tracing; the girl says she wants to live with her.".into(),
        decision: "Start a family reunification request with the aunt, after a home assessment.".into(),
        guardian_name: Some("Awa Sow (appointed guardian)".into()),
        guardian_contact: None,
    }
    .validate()
    .map_err(invalid("best interests"))?;
    store
        .record_best_interests(&worker, amina_case, tracing_family)
        .await?;
    Ok(())
}
