//! The demo world: synthetic organisations, users and cases, seeded once (a marker in the
//! database keeps a restart from seeding again). Every name and story is invented.

use anyhow::Result;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::consent::RawConsent;
use passage_core::records::{RawCase, RawPerson};
use passage_core::{Country, OrgKind, Role};
use passage_store::casework::referrals::NewReferral;
use passage_store::orgs::NewUser;
use passage_store::orgs::TimeZoneName;
use passage_store::{Actor, Store};

const MARKER: &str = "demo_seeded";

const ORGS: &[(&str, OrgKind, &str)] = &[
    (
        "Ministry of Labour and Social Affairs",
        OrgKind::Ministry,
        "GB",
    ),
    ("Migrant Helpline", OrgKind::Hotline, "GB"),
    ("Safe Harbour Shelter", OrgKind::ServiceProvider, "GB"),
    ("Labour Inspectorate", OrgKind::LabourInspectorate, "GB"),
    ("Consulate of the Philippines", OrgKind::Consulate, "PH"),
    (
        "Border and Immigration Enforcement",
        OrgKind::ImmigrationEnforcement,
        "GB",
    ),
    ("National Statistics Office", OrgKind::Ministry, "GB"),
    (crate::demo_oversight::OFFICE, OrgKind::Ombudsperson, "GB"),
    (crate::demo_return::PARTNER, OrgKind::Ngo, "PH"),
];

const USERS: &[(&str, &str, usize, &[Role])] = &[
    ("admin@passage.demo", "Ada Admin", 0, &[Role::SystemAdmin]),
    ("intake@hotline.demo", "Ines Intake", 1, &[Role::Intake]),
    (
        "caseworker@shelter.demo",
        "Carla Caseworker",
        2,
        &[Role::Caseworker],
    ),
    (
        "supervisor@shelter.demo",
        "Sami Supervisor",
        2,
        &[Role::Supervisor],
    ),
    (
        "orgadmin@shelter.demo",
        "Omar Orgadmin",
        2,
        &[Role::OrgAdmin],
    ),
    (
        "inspector@labour.demo",
        "Ivo Inspector",
        3,
        // The inspectorate's complaints desk: reports handed over by the helpline land here.
        &[Role::Inspector, Role::Intake],
    ),
    (
        "consul@consulate.demo",
        "Consuelo Consul",
        4,
        &[Role::Consular],
    ),
    (
        "officer@immigration.demo",
        "Oscar Officer",
        5,
        &[Role::Analyst],
    ),
    (
        "analyst@statistics.demo",
        "Ana Analyst",
        6,
        &[Role::Analyst],
    ),
    (
        crate::demo_oversight::OMBUDSPERSON,
        "Olu Ombudsperson",
        7,
        &[Role::Ombudsperson],
    ),
    (
        "supervisor@equality.demo",
        "Selma Supervisor",
        7,
        &[Role::Supervisor],
    ),
    (
        crate::demo_return::PARTNER_USER,
        "Rhea Reintegration",
        8,
        &[Role::Caseworker],
    ),
];

/// (user, given, family, dob, sex, citizenship, types, stage, summary, referred to the consulate)
type DemoCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    bool,
);

const CASES: &[DemoCase] = &[
    (
        "caseworker@shelter.demo",
        "María José",
        "Núñez García",
        "1994-03",
        "feminine",
        "CO",
        &["trafficking", "labour_exploitation"],
        "destination",
        "Recruited for hotel work; the employer keeps her passport and deducts a 'debt' from her wages. Arrived at the shelter after a hotline referral.",
        false,
    ),
    (
        "caseworker@shelter.demo",
        "Олена",
        "Коваленко",
        "1988",
        "feminine",
        "UA",
        &["labour_exploitation"],
        "destination",
        "Agricultural worker; paid far below the agreed wage and housed in a locked container.",
        false,
    ),
    (
        "caseworker@shelter.demo",
        "Maricel",
        "Santos",
        "1991-11-02",
        "feminine",
        "PH",
        &["trafficking"],
        "destination",
        "Domestic worker; not allowed to leave the house; phone taken. Consents to consular assistance.",
        true,
    ),
    (
        "caseworker@shelter.demo",
        "Amina",
        "Diallo",
        "2009",
        "feminine",
        "GN",
        &["child_protection", "smuggling_abuse"],
        "transit",
        "Unaccompanied girl, about 16; abused during the journey. Guardian appointment requested.",
        false,
    ),
    (
        "intake@hotline.demo",
        "Nguyễn Thị",
        "Lan",
        "1999-07",
        "feminine",
        "VN",
        &["labour_exploitation"],
        "destination",
        "Nail bar worker calling the hotline: recruitment fee of 8,000 and no pay for three months.",
        false,
    ),
    (
        "intake@hotline.demo",
        "Rahim",
        "Uddin",
        "1985",
        "masculine",
        "BD",
        &["discrimination_xenophobic_violence"],
        "destination",
        "Attacked near his workplace; the attackers shouted racist abuse.",
        false,
    ),
    (
        "inspector@labour.demo",
        "Pavel",
        "Ionescu",
        "1979-06-14",
        "masculine",
        "RO",
        &["labour_exploitation"],
        "destination",
        "Construction site inspection: 70-hour weeks, no contract, wages withheld for two months.",
        false,
    ),
    (
        "intake@hotline.demo",
        "Pavel",
        "Ionescu",
        "1979-06-14",
        "masculine",
        "RO",
        &["labour_exploitation"],
        "destination",
        "Called from a construction site: no contract, wages withheld; asks for a labour inspection.",
        false,
    ),
];

/// Seeds the demo world unless it is already there. Prints generated passwords once.
pub async fn seed(store: &Store, password: Option<String>) -> Result<()> {
    if store.meta(MARKER).await?.is_some() {
        tracing::info!("demo world already present; not seeding again");
        return Ok(());
    }
    let op = store.operator("demo");
    let mut orgs = Vec::new();
    for (name, kind, country) in ORGS {
        let country = Country::parse(country).ok_or_else(|| anyhow::anyhow!("bad demo country"))?;
        let org = match store.organisation_by_name(name).await? {
            Some(org) => org,
            None => {
                let org = store
                    .create_organisation(op.authority(), name, *kind, country)
                    .await?;
                // The demo world works in the United Kingdom; every office keeps its hours
                // there, the consulate included.
                store
                    .set_organisation_time_zone(
                        op.authority(),
                        org.id,
                        &TimeZoneName::parse("Europe/London")
                            .map_err(|_| anyhow::anyhow!("the bundled time zones lack London"))?,
                    )
                    .await?;
                org
            }
        };
        orgs.push(org);
    }
    let mut printed = Vec::new();
    for (email, name, org, roles) in USERS {
        let pw = match &password {
            Some(p) => p.clone(),
            None => passage_store::keys::random_hex(12)?,
        };
        let new = NewUser {
            org_id: orgs[*org].id,
            email,
            display_name: name,
            password: &pw,
            roles,
        };
        match store.create_user(op.authority(), new).await {
            Ok(_) => printed.push((email, pw)),
            Err(passage_store::StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // A child in danger goes to the shelter; everything else falls back to the helpline.
    store
        .add_routing_rule(
            op.authority(),
            Some(passage_core::Category::ChildInDanger),
            None,
            orgs[2].id,
        )
        .await?;
    // Discrimination and abuse at borders or in detention go to the ombudsperson.
    crate::demo_oversight::route(store).await?;
    seed_reports(store).await?;
    let consulate = orgs[4].id;
    let mut to_consulate = Vec::new();
    for (email, given, family, dob, sex, cit, types, stage, summary, share) in CASES {
        let actor: Actor = op.impersonate(email).await?;
        let person = RawPerson {
            given_name: given.to_string(),
            family_name: family.to_string(),
            date_of_birth: Some(dob.to_string()),
            sex: Some(sex.to_string()),
            citizenships: Some(vec![cit.to_string()]),
            migration_status: None,
        }
        .validate(2026)
        .map_err(|p| anyhow::anyhow!("demo person invalid: {p:?}"))?;
        let pid = store.create_person(&actor, person).await?;
        let case = RawCase {
            person_id: pid.to_string(),
            types: types.iter().map(|t| t.to_string()).collect(),
            stage: stage.to_string(),
            summary: summary.to_string(),
        }
        .validate()
        .map_err(|p| anyhow::anyhow!("demo case invalid: {p:?}"))?;
        let cid = store.create_case(&actor, case).await?;
        if *share {
            // The referral rests on the person's consent to it, recorded first.
            let consent = RawConsent {
                purpose: "referral".into(),
                organisation_id: Some(consulate.to_string()),
                method: Some("written".into()),
                language: Some("tl".into()),
                ..Default::default()
            }
            .validate()
            .map_err(|p| anyhow::anyhow!("demo consent invalid: {p:?}"))?;
            store.record_consent(&actor, pid, consent).await?;
            // The consulate is the Philippines': a referral there crosses a border, which
            // needs its own consent.
            let across = RawConsent {
                purpose: "cross_border_sharing".into(),
                method: Some("written".into()),
                language: Some("tl".into()),
                ..Default::default()
            }
            .validate()
            .map_err(|p| anyhow::anyhow!("demo consent invalid: {p:?}"))?;
            store.record_consent(&actor, pid, across).await?;
            to_consulate.push((actor.clone(), cid));
        }
    }
    crate::demo_work::seed(store).await?;
    crate::demo_person::seed(store).await?;
    crate::demo_tracing::seed(store).await?;
    crate::demo_lifecycle::seed(store).await?;
    crate::demo_permits::seed(store).await?;
    crate::demo_screening::seed(store).await?;
    let services = crate::demo_services::seed(store).await?;
    // A referral to the consulate's service: what crosses is the minimal default only.
    let consular = services
        .iter()
        .find(|(name, _)| *name == crate::demo_services::CONSULAR)
        .map(|(_, id)| *id)
        .ok_or_else(|| anyhow::anyhow!("the demo consular service is missing"))?;
    for (actor, cid) in to_consulate {
        let referral = NewReferral {
            service_id: consular,
            purpose: ConsentPurpose::Referral,
            shared_fields: Vec::new(),
            note: Some("Asks for a new passport and help to contact her family.".into()),
            protection_need_id: None,
        };
        store.create_referral(&actor, cid, referral).await?;
    }
    crate::demo_return::seed(store, consular).await?;
    crate::demo_worker::seed(store).await?;
    crate::demo_labour::seed(store).await?;
    crate::demo_protection::seed(store, consular).await?;
    crate::demo_proceedings::seed(store).await?;
    crate::demo_incidents::seed(store).await?;
    crate::demo_oversight::seed(store).await?;
    crate::demo_stats::seed(store).await?;
    store.set_meta(op.authority(), MARKER, "1").await?;
    tracing::info!(
        users = USERS.len(),
        cases = CASES.len(),
        "demo world seeded"
    );
    if password.is_none() {
        // Printed once, to the terminal only (never to the log).
        println!("Demo users and their generated passwords (shown once):");
        for (email, pw) in printed {
            println!("  {email:<28} {pw}");
        }
    }
    Ok(())
}

/// A few reports so the triage queue is not empty: two from the public form, one call.
async fn seed_reports(store: &Store) -> Result<()> {
    use passage_core::reports::{RawHotlineReport, RawPublicReport};
    let public = [
        (
            "es",
            "unpaid_wages",
            "Trabajo en un invernadero desde marzo y no me han pagado nada. Nos dicen que esperemos.",
            Some("ES"),
        ),
        (
            "ar",
            "documents_taken",
            "أخذ صاحب العمل جواز سفري عند وصولي ولا يريد إعادته.",
            Some("LB"),
        ),
    ];
    for (lang, category, narrative, country) in public {
        let report = RawPublicReport {
            language: lang.into(),
            category: category.into(),
            narrative: narrative.into(),
            country: country.map(str::to_string),
            ..Default::default()
        }
        .validate()
        .map_err(|p| anyhow::anyhow!("demo report invalid: {p:?}"))?;
        store
            .submit_public_report(report, passage_core::Channel::WebForm)
            .await?;
    }
    let intake = store
        .operator("demo")
        .impersonate("intake@hotline.demo")
        .await?;
    let call = RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        categories: vec!["not_free_to_leave".into(), "threats_violence".into()],
        narrative:
            "Neighbour hears shouting; says several workers are locked in a car wash at night."
                .into(),
        immediate_danger: true,
        ..Default::default()
    }
    .validate()
    .map_err(|p| anyhow::anyhow!("demo call invalid: {p:?}"))?;
    store
        .create_hotline_report(&intake, call, &store.intake_options().sla)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every demo user holds only roles its organisation's kind allows.
    #[test]
    fn every_demo_user_holds_roles_its_organisation_kind_allows() {
        for (email, _, org, roles) in USERS {
            let kind = ORGS[*org].1;
            for role in *roles {
                assert!(
                    passage_core::policy::accounts::role_allowed(kind, *role),
                    "{email}: {kind} may not hold {role}"
                );
            }
        }
    }
}
