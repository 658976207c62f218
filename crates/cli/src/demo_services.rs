//! The demo world's service directory: services of several types at the demo organisations,
//! so a demo user finds where to refer and can receive a referral. The shelter keeps beds
//! (some free) and its address confidential; some entries are on the public finder. Nothing at
//! the immigration enforcement organisation: it offers no services.

use anyhow::Result;
use passage_core::services::{Capacity, RawService};
use passage_store::Store;
use uuid::Uuid;

/// (organisation, name, type, languages, other countries, public, address, address public,
/// hours, contact, description)
type DemoService = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    bool,
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
);

const SERVICES: &[DemoService] = &[
    (
        "Safe Harbour Shelter",
        "Safe Harbour women's shelter",
        "shelter",
        &["en", "es", "tl", "ar"],
        &[],
        true,
        "7 Quiet Row, Sheffield S1 9ZZ",
        false,
        "Admissions day and night",
        "+44 114 496 0000",
        "Safe accommodation for women survivors of trafficking and exploitation, with their children.",
    ),
    (
        "Safe Harbour Shelter",
        "Safe Harbour child protection",
        "child_protection",
        &["en", "ar"],
        &[],
        false,
        "",
        false,
        "Mon–Fri 09:00–17:00",
        "+44 114 496 0001",
        "Best-interests assessments and guardianship for unaccompanied and separated children.",
    ),
    (
        "Migrant Helpline",
        "Migrant Helpline advice line",
        "legal_aid",
        &["en", "fr", "es", "ar", "tl", "uk"],
        &["IE"],
        true,
        "2 Market Street, Leeds LS1 6DT",
        true,
        "Every day 08:00–22:00",
        "0800 555 0199",
        "Free, confidential advice on rights at work, housing and immigration procedures.",
    ),
    (
        "Migrant Helpline",
        "Helpline interpreters",
        "interpretation",
        &["ar", "fa", "ps", "ti", "so"],
        &[],
        false,
        "",
        false,
        "By appointment",
        "interpreters@helpline.demo",
        "Telephone interpreting for partners' interviews.",
    ),
    (
        "Labour Inspectorate",
        "Labour rights complaints",
        "labour_rights",
        &["en", "ro", "pt"],
        &[],
        true,
        "Inspectorate House, 1 Victoria Street, London SW1H 0ET",
        true,
        "Mon–Fri 09:00–17:00",
        "0300 123 4567",
        "Unpaid wages, recruitment fees and unsafe work: complaints are looked into without asking about migration status.",
    ),
    (
        "Consulate of the Philippines",
        CONSULAR,
        "consular_assistance",
        &["tl", "en"],
        &[],
        true,
        "",
        false,
        "Mon–Fri 09:00–16:00; emergencies at any hour",
        "+44 20 7946 0123",
        "Travel documents, repatriation and help for nationals in distress.",
    ),
];

/// The consulate's service, which a demo case is referred to.
pub const CONSULAR: &str = "Assistance to Filipino nationals";

/// Adds the demo services and the shelter's beds (3 of 12 free); answers each service's name
/// with its id.
pub async fn seed(store: &Store) -> Result<Vec<(&'static str, Uuid)>> {
    let op = store.operator("demo");
    let mut ids = Vec::with_capacity(SERVICES.len());
    for (
        org,
        name,
        kind,
        languages,
        others,
        public,
        address,
        address_public,
        hours,
        contact,
        description,
    ) in SERVICES
    {
        let org = store
            .organisation_by_name(org)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo organisation {org} missing"))?;
        let raw = RawService {
            name: name.to_string(),
            kind: kind.to_string(),
            description: description.to_string(),
            // Every demo service works in the United Kingdom, the consulate's included.
            country: "GB".into(),
            other_countries: others.iter().map(|c| c.to_string()).collect(),
            regions: Vec::new(),
            languages: languages.iter().map(|l| l.to_string()).collect(),
            sex: if *kind == "shelter" {
                "women".into()
            } else {
                String::new()
            },
            ages: String::new(),
            status_blind: true,
            hours: hours.to_string(),
            contact: contact.to_string(),
            address: address.to_string(),
            address_public: *address_public,
            public: *public,
        };
        let entry = store
            .create_service_entry(op.authority(), org.id, &raw)
            .await?;
        ids.push((*name, entry.id));
        if *kind == "shelter" {
            let supervisor = op.impersonate("supervisor@shelter.demo").await?;
            store
                .set_service_capacity(
                    &supervisor,
                    entry.id,
                    Capacity::check("3", "12")
                        .map_err(|_| anyhow::anyhow!("the demo capacity is a valid figure"))?,
                    Some(0),
                )
                .await?;
        }
    }
    Ok(ids)
}
