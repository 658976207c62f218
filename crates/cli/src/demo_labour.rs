//! The demo world's register of recruiters and employers: a recruitment agency whose licence
//! was revoked, with a sanction the Labour Inspectorate confirmed, named as recruiter in enough
//! complaints across the demo organisations (the shelter's, the helpline's and the
//! inspectorate's cases) for its count to pass k; and a few other entities (a licensed
//! agency, employers, a broker and a household). The inspectorate visited the agency: forced-
//! labour indicators found, one order past its deadline and one still running, a follow-up
//! planned — so its inspector finds it first in the ranking, with its reasons. Every name is
//! invented.

use anyhow::Result;
use passage_core::labour::entities::{LinkRole, LinkedRecord, RawEntity, RawLicence, RawSanction};
use passage_core::labour::inspection::{RawInspection, RawOrder};
use passage_core::records::{RawCase, RawPerson};
use passage_store::{Actor, Authority, Store};

/// The agency the demo's complaints name.
pub const RECRUITER: &str = "Al Noor Manpower";

/// (name, kind, country, licence number, sector)
const OTHERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Gulf Star Recruitment",
        "recruitment_agency",
        "AE",
        "RA-3307",
        "N",
    ),
    ("Green Valley Farms Ltd", "employer", "GB", "", "A"),
    ("Riverside Hotel Group", "employer", "GB", "", "I"),
    (
        "Quickstaff Labour Services",
        "broker",
        "GB",
        "GLA-0192",
        "N",
    ),
    ("Household in Kensington", "household", "GB", "", "T"),
];

/// Workers the inspectorate's complaints desk registered about the agency: (given, family,
/// citizenship, what happened).
const WORKERS: &[(&str, &str, &str, &str)] = &[
    (
        "Reza",
        "Karimi",
        "AF",
        "Paid 2,500 to the agency for a warehouse job that did not exist.",
    ),
    (
        "Dilnoza",
        "Yusupova",
        "UZ",
        "Recruitment fee deducted from wages for a year.",
    ),
    (
        "Joseph",
        "Mensah",
        "GH",
        "Contract replaced on arrival; half the promised wage.",
    ),
    (
        "Maricel",
        "Dizon",
        "PH",
        "Passport kept by the agency's local office.",
    ),
    (
        "Sunil",
        "Tamang",
        "NP",
        "Debt to the agency grew with 'housing' charges.",
    ),
    (
        "Aigerim",
        "Bekova",
        "KZ",
        "Told to repay the visa cost before leaving the job.",
    ),
    (
        "Tomasz",
        "Wrona",
        "PL",
        "Agency fee of 1,200 taken before departure.",
    ),
    (
        "Fatou",
        "Sow",
        "SN",
        "Promised care work; sent to a packing plant unpaid.",
    ),
];

/// Demo cases (by the person's given name) that also name the agency as recruiter.
const NAMED_CASES: &[(&str, &str)] = &[
    ("caseworker@shelter.demo", "María José"),
    ("caseworker@shelter.demo", "Олена"),
    ("intake@hotline.demo", "Nguyễn Thị"),
];

async fn case_of(
    store: &Store,
    actor: &Actor,
    given: &str,
) -> Result<Option<passage_store::cases::CaseListItem>> {
    let page = passage_store::cases::Page {
        limit: 200,
        offset: 0,
    };
    let cases = store.list_cases(actor, None, page).await?;
    Ok(cases.into_iter().find(|c| c.person_name.starts_with(given)))
}

pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let inspectorate = store
        .organisation_by_name("Labour Inspectorate")
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo organisation Labour Inspectorate missing"))?
        .id;
    let agency = store
        .create_entity(
            op.authority(),
            &RawEntity {
                name: RECRUITER.into(),
                kind: "recruitment_agency".into(),
                country: "AE".into(),
                licence_number: "RA-2291".into(),
                sector: "N".into(),
            },
        )
        .await?;
    let licence = RawLicence {
        licence_number: "RA-2291".into(),
        status: "revoked".into(),
        authority: "Ministry of Human Resources".into(),
        decided_on: "2025-11-03".into(),
    }
    .validate()
    .map_err(|p| anyhow::anyhow!("demo licence invalid: {p:?}"))?;
    store
        .update_licence(op.authority(), agency, None, &licence)
        .await?;
    let sanction = RawSanction {
        description: "Licence revoked and fined for charging workers recruitment fees and keeping their passports.".into(),
        authority: "Labour Inspectorate".into(),
        decided_on: "2025-11-03".into(),
    }
    .validate(store.clock().today())
    .map_err(|p| anyhow::anyhow!("demo sanction invalid: {p:?}"))?;
    store
        .confirm_sanction(op.authority(), inspectorate, agency, &sanction)
        .await?;
    let mut ids = Vec::new();
    for (name, kind, country, licence, sector) in OTHERS {
        let id = store
            .create_entity(
                op.authority(),
                &RawEntity {
                    name: name.to_string(),
                    kind: kind.to_string(),
                    country: country.to_string(),
                    licence_number: licence.to_string(),
                    sector: sector.to_string(),
                },
            )
            .await?;
        ids.push(id);
    }
    let gulf = RawLicence {
        licence_number: String::new(),
        status: "licensed".into(),
        authority: "Ministry of Human Resources".into(),
        decided_on: "2024-05-20".into(),
    }
    .validate()
    .map_err(|p| anyhow::anyhow!("demo licence invalid: {p:?}"))?;
    store
        .update_licence(op.authority(), ids[0], None, &gulf)
        .await?;

    // The complaints: demo cases at the shelter and the helpline, and the inspectorate's desk.
    for (email, given) in NAMED_CASES {
        let actor = op.impersonate(email).await?;
        if let Some(case) = case_of(store, &actor, given).await? {
            store
                .link_entity(
                    &actor,
                    LinkedRecord::Case,
                    case.id,
                    agency,
                    LinkRole::Recruiter,
                )
                .await?;
        }
    }
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    if let Some(case) = case_of(store, &worker, "María José").await? {
        store
            .link_entity(
                &worker,
                LinkedRecord::Case,
                case.id,
                ids[2],
                LinkRole::Employer,
            )
            .await?;
    }
    let inspector = op.impersonate("inspector@labour.demo").await?;
    for (given, family, citizenship, summary) in WORKERS {
        let person = RawPerson {
            given_name: given.to_string(),
            family_name: family.to_string(),
            date_of_birth: None,
            sex: None,
            citizenships: Some(vec![citizenship.to_string()]),
            migration_status: None,
        }
        .validate(2026)
        .map_err(|p| anyhow::anyhow!("demo person invalid: {p:?}"))?;
        let pid = store.create_person(&inspector, person).await?;
        let case = RawCase {
            person_id: pid.to_string(),
            types: vec!["labour_exploitation".into()],
            stage: "destination".into(),
            summary: summary.to_string(),
        }
        .validate()
        .map_err(|p| anyhow::anyhow!("demo case invalid: {p:?}"))?;
        let cid = store.create_case(&inspector, case).await?;
        store
            .link_entity(
                &inspector,
                LinkedRecord::Case,
                cid,
                agency,
                LinkRole::Recruiter,
            )
            .await?;
    }
    inspect(store, &inspector, inspectorate, agency).await
}

/// The inspectorate's visit to the agency, 45 days ago: what it found, what it ordered (one
/// order now past its deadline, one still running) and the follow-up it planned.
async fn inspect(
    store: &Store,
    inspector: &Actor,
    inspectorate: uuid::Uuid,
    agency: uuid::Uuid,
) -> Result<()> {
    let today = store.clock().today();
    let day = |n: i64| today.plus_days(n).to_string();
    let visit = RawInspection {
        entity_id: agency.to_string(),
        status: "done".into(),
        planned_on: day(-46),
        done_on: day(-45),
        joint_with: Vec::new(),
        indicators: vec![
            "fl_retention_of_identity_documents".into(),
            "fl_debt_bondage".into(),
            "fl_deception".into(),
        ],
        law_categories: vec!["recruitment_fees".into(), "identity_documents".into()],
        orders: vec![
            RawOrder {
                category: "identity_documents".into(),
                deadline: day(-15),
            },
            RawOrder {
                category: "recruitment_fees".into(),
                deadline: day(30),
            },
        ],
        sanction: None,
        follow_up_on: day(14),
    };
    store
        .record_inspection(&Authority::User(inspector.clone()), inspectorate, &visit)
        .await?;
    Ok(())
}
