//! The register of recruiters and employers on every backend (issue 15 items 1, 2 and 7): an
//! entity is added with its fields checked (nothing written on a bad one), found by a name
//! typed differently or by its licence number; reports and cases name it through their own
//! gates; the complaint count is withheld under k and counts a report and its case once; a
//! supervisor merges and unmerges duplicates; who named an entity is never shown to another
//! organisation; immigration enforcement gets the firewall on all of it; and the public check
//! shows licence status and confirmed sanctions only, never a household.

use crate::common::*;
use passage_core::labour::entities::{
    EntityKind, LicenceStatus, LinkRole, LinkedRecord, RawEntity, RawLicence, RawSanction,
};
use passage_core::reports::RawHotlineReport;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::{Actor, Authority, Store, StoreError};
use uuid::Uuid;

fn agency(name: &str) -> RawEntity {
    RawEntity {
        name: name.into(),
        kind: "recruitment_agency".into(),
        country: "AE".into(),
        licence_number: "RA-1042".into(),
        sector: "N".into(),
    }
}

/// A user of a labour inspectorate (the register's keeper) with `role`.
async fn inspectorate_user(s: &Store, email: &str, role: Role) -> Actor {
    let gb = Country::parse("GB").expect("GB");
    let org = s
        .create_organisation(
            s.operator("test").authority(),
            &format!("Inspectorate {email}"),
            OrgKind::LabourInspectorate,
            gb,
        )
        .await
        .expect("org")
        .id;
    user(s, org, email, &[role]).await
}

/// The attack on what the public check publishes: a supervisor of a shelter (any organisation
/// but the register's keeper) tries to mark a revoked agency licensed, and to fold it into a
/// clean entry so that a worker's search finds the clean one. Both are refused, audited, and
/// the public check still says revoked.
async fn only_the_registers_keeper_changes_what_the_public_check_says(s: Store) {
    let w = world(&s).await;
    let keeper = inspectorate_user(&s, "keeper@l.test", Role::Inspector).await;
    let by = Authority::User(w.worker.clone());
    let bad = s
        .create_entity(&by, &agency("Al Noor Manpower"))
        .await
        .expect("bad");
    let clean = s
        .create_entity(
            &by,
            &RawEntity {
                licence_number: "RA-7777".into(),
                ..agency("Al Noor Manpower Services")
            },
        )
        .await
        .expect("clean");
    let revoked = RawLicence {
        status: "revoked".into(),
        authority: "Ministry of Human Resources".into(),
        decided_on: "2026-02-01".into(),
        ..Default::default()
    }
    .validate()
    .expect("licence");
    s.update_licence(&Authority::User(keeper), bad, None, &revoked)
        .await
        .expect("the keeper revokes");
    let licensed = RawLicence {
        status: "licensed".into(),
        authority: "Ministry of Human Resources".into(),
        decided_on: "2026-03-01".into(),
        ..Default::default()
    }
    .validate()
    .expect("licence");
    assert!(matches!(
        s.update_licence(&Authority::User(w.supervisor.clone()), bad, None, &licensed)
            .await,
        Err(StoreError::Forbidden(DenyReason::OutOfScope))
    ));
    assert!(matches!(
        s.merge_entities(&w.supervisor, bad, clean).await,
        Err(StoreError::Forbidden(DenyReason::OutOfScope))
    ));
    let public = s.public_recruiters("RA-1042").await.expect("public");
    assert_eq!(public.len(), 1, "still found by its own licence number");
    assert_eq!(public[0].licence_status, LicenceStatus::Revoked);
    assert_eq!(
        s.entity(&w.worker, bad).await.expect("entry").merged_into,
        None
    );
}

#[tokio::test]
async fn only_the_registers_keeper_changes_what_the_public_check_says_on_every_backend() {
    on_every_backend!(only_the_registers_keeper_changes_what_the_public_check_says);
}

async fn entity_rows(s: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM entities")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn report(s: &Store, intake: &Actor) -> Uuid {
    let sla = s.intake_options().sla;
    let raw = RawHotlineReport {
        caller_type: "victim".into(),
        language: "en".into(),
        urgency: Some("normal".into()),
        categories: vec!["unpaid_wages".into()],
        narrative: "Fees taken by the agency, wages unpaid.".into(),
        ..Default::default()
    };
    s.create_hotline_report(intake, raw.validate().expect("valid"), &sla)
        .await
        .expect("report")
}

async fn created_and_found_by_another_spelling_or_its_licence(s: Store) {
    let w = world(&s).await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    // Bad input: every field named, nothing written.
    let before = entity_rows(&s).await;
    let bad = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &RawEntity {
                name: " ".into(),
                kind: "agency".into(),
                country: "XX1".into(),
                licence_number: String::new(),
                sector: "Z".into(),
            },
        )
        .await;
    let Err(StoreError::Invalid(p)) = bad else {
        panic!("refused: {bad:?}")
    };
    let fields: Vec<&str> = p.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "kind", "country", "sector"]);
    assert_eq!(entity_rows(&s).await, before, "nothing written");

    for typed in ["AlNoor manpower LLC", "al-noor MANPOWER co.", "ra 1042"] {
        let found = s
            .search_entities(&w.colleague, typed)
            .await
            .expect("search");
        assert_eq!(found.first().map(|e| e.id), Some(id), "{typed}");
        assert_eq!(found[0].licence_status, LicenceStatus::Unknown);
        assert_eq!(
            found[0].complaints,
            Some(0),
            "none yet is not a small count"
        );
    }
    assert!(
        s.search_entities(&w.worker, "Sunrise Domestic Helpers")
            .await
            .expect("search")
            .is_empty()
    );
    // A household's name is sealed at rest, and still found by staff.
    let home = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &RawEntity {
                name: "Fatima Haddad household".into(),
                kind: "household".into(),
                country: "LB".into(),
                ..Default::default()
            },
        )
        .await
        .expect("household");
    let (plain,): (String,) = sqlx::query_as("SELECT name FROM entities WHERE id = $1")
        .bind(home.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("row");
    assert_eq!(plain, "", "a household's name is never stored in the clear");
    let found = s
        .search_entities(&w.worker, "Fatima Haddad")
        .await
        .expect("search");
    assert_eq!(found[0].kind, EntityKind::Household);
    assert_eq!(found[0].name, "Fatima Haddad household");
}
#[tokio::test]
async fn created_and_found_by_another_spelling_or_its_licence_on_every_backend() {
    on_every_backend!(created_and_found_by_another_spelling_or_its_licence);
}

async fn immigration_enforcement_gets_the_firewall(s: Store) {
    let w = world(&s).await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    let firewall = |r: Result<(), StoreError>| {
        assert!(
            matches!(
                r,
                Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
            ),
            "{r:?}"
        )
    };
    firewall(s.search_entities(&w.officer, "Al Noor").await.map(|_| ()));
    firewall(s.entity(&w.officer, id).await.map(|_| ()));
    firewall(s.entity_links(&w.officer, id).await.map(|_| ()));
    firewall(
        s.create_entity(&Authority::User(w.officer.clone()), &agency("Other"))
            .await
            .map(|_| ()),
    );
    firewall(
        s.link_entity(
            &w.officer,
            LinkedRecord::Case,
            Uuid::now_v7(),
            id,
            LinkRole::Recruiter,
        )
        .await
        .map(|_| ()),
    );
    firewall(s.merge_entities(&w.officer, id, id).await);
    let licence = RawLicence {
        status: "revoked".into(),
        authority: "Ministry of Labour".into(),
        decided_on: "2026-01-10".into(),
        ..Default::default()
    }
    .validate()
    .expect("licence");
    firewall(
        s.update_licence(&Authority::User(w.officer.clone()), id, None, &licence)
            .await,
    );
}
#[tokio::test]
async fn immigration_enforcement_gets_the_firewall_on_every_backend() {
    on_every_backend!(immigration_enforcement_gets_the_firewall);
}

async fn links_go_through_the_records_gate_and_stay_with_their_organisation(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let ngo = s
        .create_organisation(
            op.authority(),
            "Other NGO",
            OrgKind::Ngo,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let outsider = user(&s, ngo, "staff@ngo.test", &[Role::Caseworker, Role::Intake]).await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    let link = s
        .link_entity(&w.worker, LinkedRecord::Case, case, id, LinkRole::Recruiter)
        .await
        .expect("linked");
    let again = s
        .link_entity(&w.worker, LinkedRecord::Case, case, id, LinkRole::Recruiter)
        .await
        .expect("idempotent");
    assert_eq!(link, again, "naming it twice in one role changes nothing");
    // An outsider cannot name it from a case it cannot read: 404, and no link written.
    assert!(matches!(
        s.link_entity(&outsider, LinkedRecord::Case, case, id, LinkRole::Employer)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.record_entities(&outsider, LinkedRecord::Case, case).await,
        Err(StoreError::NotFound)
    ));
    // An unknown entity is a field problem.
    let unknown = s
        .link_entity(
            &w.worker,
            LinkedRecord::Case,
            case,
            Uuid::now_v7(),
            LinkRole::Employer,
        )
        .await;
    assert!(
        matches!(&unknown, Err(StoreError::Invalid(p)) if p.0[0].field == "entity_id"),
        "{unknown:?}"
    );
    let named = s
        .record_entities(&w.supervisor, LinkedRecord::Case, case)
        .await
        .expect("own organisation");
    assert_eq!(named.len(), 1);
    assert_eq!(
        (named[0].entity_id, named[0].role),
        (id, LinkRole::Recruiter)
    );
    // The other organisation sees no link and no small count: who complained never shows.
    let (mine, _) = s.entity_links(&w.worker, id).await.expect("links");
    assert_eq!(mine.len(), 1);
    let (theirs, cells) = s.entity_links(&outsider, id).await.expect("links");
    assert!(theirs.is_empty(), "another organisation reads no link");
    assert!(
        cells
            .iter()
            .all(|c| c.count.is_none() || c.count == Some(0))
    );
    let found = s
        .search_entities(&outsider, "Al Noor")
        .await
        .expect("search");
    assert_eq!(found[0].complaints, None, "one complaint is under k");
    let seen = s.entity(&outsider, id).await.expect("detail");
    assert_eq!(seen.complaints, None);
}
#[tokio::test]
async fn links_go_through_the_records_gate_and_stay_with_their_organisation_on_every_backend() {
    on_every_backend!(links_go_through_the_records_gate_and_stay_with_their_organisation);
}

async fn the_count_reaches_k_and_a_report_and_its_case_count_once(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let hotline = s
        .create_organisation(
            op.authority(),
            "Hotline",
            OrgKind::Hotline,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let intake = user(
        &s,
        hotline,
        "intake@h.test",
        &[Role::Intake, Role::Caseworker],
    )
    .await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    for i in 0..5 {
        let case = open_case(&s, &w.worker, "Ana", &format!("R{i}"), None).await;
        s.link_entity(&w.worker, LinkedRecord::Case, case, id, LinkRole::Recruiter)
            .await
            .expect("link");
    }
    let mut reports = Vec::new();
    for _ in 0..4 {
        let r = report(&s, &intake).await;
        s.link_entity(&intake, LinkedRecord::Report, r, id, LinkRole::Recruiter)
            .await
            .expect("link");
        reports.push(r);
    }
    let count = |s: &Store, who: Actor| {
        let s = s.clone();
        async move {
            s.search_entities(&who, "Al Noor Manpower")
                .await
                .expect("search")[0]
                .complaints
        }
    };
    assert_eq!(
        count(&s, w.worker.clone()).await,
        None,
        "nine is under k = 10"
    );
    // Opening a case from a report keeps what it named, and counts once.
    let case = s
        .open_case_from_report(&intake, reports[0])
        .await
        .expect("case");
    let named = s
        .record_entities(&intake, LinkedRecord::Case, case)
        .await
        .expect("case names");
    assert_eq!(
        named.len(),
        1,
        "the case keeps the recruiter the report named"
    );
    assert_eq!(
        count(&s, w.worker.clone()).await,
        None,
        "still nine complaints"
    );
    let tenth = report(&s, &intake).await;
    s.link_entity(&intake, LinkedRecord::Report, tenth, id, LinkRole::Employer)
        .await
        .expect("link");
    assert_eq!(count(&s, w.worker.clone()).await, Some(10));
    let (_, cells) = s.entity_links(&w.worker, id).await.expect("cells");
    assert!(
        cells
            .iter()
            .all(|c| c.count.is_none_or(|n| n == 0 || n >= 10)),
        "{cells:?}"
    );
}
#[tokio::test]
async fn the_count_reaches_k_and_a_report_and_its_case_count_once_on_every_backend() {
    on_every_backend!(the_count_reaches_k_and_a_report_and_its_case_count_once);
}

async fn a_supervisor_merges_and_unmerges(s: Store) {
    let w = world(&s).await;
    let keeper = inspectorate_user(&s, "keeper@l.test", Role::Supervisor).await;
    let by = Authority::User(w.worker.clone());
    let a = s
        .create_entity(&by, &agency("Al Noor Manpower"))
        .await
        .expect("a");
    let b = s
        .create_entity(
            &by,
            &RawEntity {
                licence_number: String::new(),
                ..agency("Alnoor Recruitment Services")
            },
        )
        .await
        .expect("b");
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    s.link_entity(&w.worker, LinkedRecord::Case, case, b, LinkRole::Recruiter)
        .await
        .expect("link");
    assert!(matches!(
        s.merge_entities(&w.worker, b, a).await,
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    ));
    // A shelter's supervisor does not reshape the register every organisation reads.
    assert!(matches!(
        s.merge_entities(&w.supervisor, b, a).await,
        Err(StoreError::Forbidden(DenyReason::OutOfScope))
    ));
    assert!(matches!(
        s.merge_entities(&keeper, a, a).await,
        Err(StoreError::Invalid(_))
    ));
    s.merge_entities(&keeper, b, a).await.expect("merged");
    let absorbed = s.entity(&w.worker, b).await.expect("kept");
    assert_eq!(absorbed.merged_into, Some(a), "both rows stay");
    let survivor = s.entity(&w.worker, a).await.expect("survivor");
    assert_eq!(
        survivor.absorbed.iter().map(|x| x.0).collect::<Vec<_>>(),
        [b]
    );
    let (links, _) = s.entity_links(&w.worker, a).await.expect("links");
    assert_eq!(
        links.len(),
        1,
        "what named the absorbed row counts for the survivor"
    );
    let listed: Vec<Uuid> = s
        .search_entities(&w.worker, "")
        .await
        .expect("all")
        .iter()
        .map(|e| e.id)
        .collect();
    assert!(listed.contains(&a) && !listed.contains(&b));
    // Naming the absorbed row names the survivor.
    let case2 = open_case(&s, &w.worker, "Joy", "Cruz", None).await;
    s.link_entity(&w.worker, LinkedRecord::Case, case2, b, LinkRole::Employer)
        .await
        .expect("link");
    assert_eq!(
        s.record_entities(&w.worker, LinkedRecord::Case, case2)
            .await
            .expect("names")[0]
            .entity_id,
        a
    );
    assert!(matches!(
        s.merge_entities(&keeper, b, a).await,
        Err(StoreError::Rule {
            code: ErrorCode::AlreadyLinked,
            ..
        })
    ));
    s.unmerge_entity(&keeper, b).await.expect("unmerged");
    assert_eq!(s.entity(&w.worker, b).await.expect("b").merged_into, None);
    let (links, _) = s.entity_links(&w.worker, a).await.expect("links");
    assert_eq!(links.len(), 1, "the survivor keeps only what named it");
    assert!(matches!(
        s.unmerge_entity(&keeper, b).await,
        Err(StoreError::Rule {
            code: ErrorCode::AlreadyUndone,
            ..
        })
    ));
    let (audit,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action IN ('entity.merge', 'entity.unmerge') AND outcome = 'ok'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(audit, 2);
}
#[tokio::test]
async fn a_supervisor_merges_and_unmerges_on_every_backend() {
    on_every_backend!(a_supervisor_merges_and_unmerges);
}

async fn the_public_check_shows_licence_and_confirmed_sanctions_only(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let inspectorate = s
        .create_organisation(
            op.authority(),
            "Inspectorate",
            OrgKind::LabourInspectorate,
            gb,
        )
        .await
        .expect("org")
        .id;
    let inspector = user(&s, inspectorate, "inspector@l.test", &[Role::Inspector]).await;
    let by = Authority::User(w.worker.clone());
    let id = s
        .create_entity(&by, &agency("Al Noor Manpower"))
        .await
        .expect("a");
    s.create_entity(
        &by,
        &RawEntity {
            name: "Al Noor household".into(),
            kind: "household".into(),
            country: "AE".into(),
            ..Default::default()
        },
    )
    .await
    .expect("household");
    let licence = RawLicence {
        status: "revoked".into(),
        authority: "Ministry of Human Resources".into(),
        decided_on: "2026-02-01".into(),
        ..Default::default()
    }
    .validate()
    .expect("licence");
    assert!(matches!(
        s.update_licence(&Authority::User(w.worker.clone()), id, None, &licence)
            .await,
        Err(StoreError::Forbidden(DenyReason::NoGrant))
    ));
    s.update_licence(&Authority::User(inspector.clone()), id, None, &licence)
        .await
        .expect("licence");
    let sanction = RawSanction {
        description: "Licence revoked for charging workers recruitment fees".into(),
        authority: "Labour Inspectorate".into(),
        decided_on: "2026-02-01".into(),
    }
    .validate(s.clock().today())
    .expect("sanction");
    // A shelter's supervisor does not confirm sanctions: only a labour inspectorate.
    assert!(matches!(
        s.confirm_sanction(
            &Authority::User(w.supervisor.clone()),
            w.shelter,
            id,
            &sanction
        )
        .await,
        Err(StoreError::Forbidden(DenyReason::OutOfScope))
    ));
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    s.link_entity(&w.worker, LinkedRecord::Case, case, id, LinkRole::Recruiter)
        .await
        .expect("link");
    let before = s.public_recruiters("Al Noor").await.expect("public");
    assert_eq!(before.len(), 1, "never a household: {before:?}");
    assert!(before[0].sanctions.is_empty(), "a complaint is no sanction");
    s.confirm_sanction(&Authority::User(inspector), inspectorate, id, &sanction)
        .await
        .expect("confirmed");
    let found = s
        .public_recruiters("alnoor manpower llc")
        .await
        .expect("public");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].licence_status, LicenceStatus::Revoked);
    assert_eq!(
        found[0].licence_authority.as_deref(),
        Some("Ministry of Human Resources")
    );
    assert_eq!(found[0].licence_date.as_deref(), Some("2026-02-01"));
    assert_eq!(found[0].sanctions.len(), 1);
    assert_eq!(found[0].sanctions[0].authority, "Labour Inspectorate");
    let by_licence = s.public_recruiters("RA-1042").await.expect("public");
    assert_eq!(by_licence.len(), 1);
}
#[tokio::test]
async fn the_public_check_shows_licence_and_confirmed_sanctions_only_on_every_backend() {
    on_every_backend!(the_public_check_shows_licence_and_confirmed_sanctions_only);
}

async fn a_held_document_and_a_screening_name_the_holder_through_their_gates(s: Store) {
    use passage_core::casework::person::RawDocument;
    use passage_store::casework::screening::NewScreening;
    let w = world(&s).await;
    let op = s.operator("test");
    let ngo = s
        .create_organisation(
            op.authority(),
            "Other NGO",
            OrgKind::Ngo,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let outsider = user(&s, ngo, "staff@ngo.test", &[Role::Caseworker]).await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    let person = s.get_case(&w.worker, case).await.expect("case").person.id;
    let doc = RawDocument {
        kind: "passport".into(),
        held_by: "recruiter".into(),
        ..Default::default()
    }
    .validate()
    .expect("document");
    let doc = s
        .add_person_document(&w.worker, person, doc)
        .await
        .expect("document");
    s.link_entity(
        &w.worker,
        LinkedRecord::Document,
        doc,
        id,
        LinkRole::DocumentHolder,
    )
    .await
    .expect("the worker names the holder");
    assert!(matches!(
        s.link_entity(
            &outsider,
            LinkedRecord::Document,
            doc,
            id,
            LinkRole::DocumentHolder
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let screening = s
        .create_screening(
            &w.worker,
            case,
            NewScreening {
                instrument: "ilo_adult_labour".into(),
                language: "en".into(),
                answers: Default::default(),
                complete: false,
            },
        )
        .await
        .expect("screening");
    s.link_entity(
        &w.worker,
        LinkedRecord::Screening,
        screening.id,
        id,
        LinkRole::Recruiter,
    )
    .await
    .expect("the screening names the recruiter");
    assert!(matches!(
        s.link_entity(
            &outsider,
            LinkedRecord::Screening,
            screening.id,
            id,
            LinkRole::Recruiter
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let (links, _) = s.entity_links(&w.worker, id).await.expect("links");
    let records: Vec<LinkedRecord> = links.iter().map(|l| l.record).collect();
    assert_eq!(records, [LinkedRecord::Document, LinkedRecord::Screening]);
    // Neither is a complaint: the count is of reports and cases.
    assert_eq!(
        s.entity(&w.worker, id).await.expect("entity").complaints,
        Some(0)
    );
}
#[tokio::test]
async fn a_held_document_and_a_screening_name_the_holder_through_their_gates_on_every_backend() {
    on_every_backend!(a_held_document_and_a_screening_name_the_holder_through_their_gates);
}

async fn audit_rows(s: &Store, action: &str, outcome: &str) -> Vec<Option<String>> {
    sqlx::query_as::<_, (Option<String>,)>(
        "SELECT object_id FROM audit_events WHERE action = $1 AND outcome = $2 ORDER BY seq",
    )
    .bind(action)
    .bind(outcome)
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit")
    .into_iter()
    .map(|(o,)| o)
    .collect()
}

/// A link made by mistake is removed by the organisation that made it, and by no one else:
/// another organisation gets `NotFound` (as for a link that does not exist), immigration
/// enforcement the firewall. The removal is audited with ids only, and the counts everyone
/// else reads (the register's, the inspector's ranking) drop with it.
async fn an_organisation_removes_its_own_link_and_the_counts_drop(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let ngo = s
        .create_organisation(
            op.authority(),
            "Other NGO",
            OrgKind::Ngo,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let outsider = user(&s, ngo, "staff@ngo.test", &[Role::Caseworker, Role::Intake]).await;
    let inspector = inspectorate_user(&s, "inspector@l.test", Role::Inspector).await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    let mut links = Vec::new();
    let mut cases = Vec::new();
    for i in 0..10 {
        let case = open_case(&s, &w.worker, "Ana", &format!("R{i}"), None).await;
        let link = s
            .link_entity(&w.worker, LinkedRecord::Case, case, id, LinkRole::Recruiter)
            .await
            .expect("link");
        links.push(link);
        cases.push(case);
    }
    let seen_by = |who: Actor| {
        let s = s.clone();
        async move {
            s.search_entities(&who, "Al Noor Manpower")
                .await
                .expect("search")[0]
                .complaints
        }
    };
    assert_eq!(seen_by(inspector.clone()).await, Some(10));
    // Another organisation: not found, whether it names its own record or the real one.
    let other_case = open_case(&s, &outsider, "Lea", "Moss", None).await;
    assert!(matches!(
        s.unlink_entity(&outsider, LinkedRecord::Case, cases[0], links[0])
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.unlink_entity(&outsider, LinkedRecord::Case, other_case, links[0])
            .await,
        Err(StoreError::NotFound)
    ));
    // A link of another record of the same organisation is not this record's.
    assert!(matches!(
        s.unlink_entity(&w.worker, LinkedRecord::Case, cases[1], links[0])
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.unlink_entity(&w.officer, LinkedRecord::Case, cases[0], links[0])
            .await,
        Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
    ));
    assert_eq!(
        seen_by(inspector.clone()).await,
        Some(10),
        "nothing removed"
    );
    s.unlink_entity(&w.worker, LinkedRecord::Case, cases[0], links[0])
        .await
        .expect("the organisation that made it removes it");
    assert!(
        s.record_entities(&w.worker, LinkedRecord::Case, cases[0])
            .await
            .expect("names")
            .is_empty()
    );
    assert_eq!(
        seen_by(inspector.clone()).await,
        None,
        "nine complaints are under k for the inspector"
    );
    assert_eq!(seen_by(w.worker.clone()).await, None);
    // Removed once: a second removal finds nothing.
    assert!(matches!(
        s.unlink_entity(&w.worker, LinkedRecord::Case, cases[0], links[0])
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        audit_rows(&s, "entity.unlink", "ok").await,
        vec![Some(id.to_string())],
        "audited by the entity's id only"
    );
    assert_eq!(audit_rows(&s, "entity.unlink", "not_found").await.len(), 3);
}

#[tokio::test]
async fn an_organisation_removes_its_own_link_and_the_counts_drop_on_every_backend() {
    on_every_backend!(an_organisation_removes_its_own_link_and_the_counts_drop);
}

/// Two keepers read the same licence; the first records a revocation, the second, still
/// looking at the old page, records "licensed": refused as stale (`VersionConflict` with the
/// version now stored), nothing written, the refusal audited. With the version read again the
/// change goes through.
async fn a_stale_licence_change_is_refused_and_writes_nothing(s: Store) {
    let w = world(&s).await;
    let first = inspectorate_user(&s, "first@l.test", Role::Inspector).await;
    let second = user(&s, first.org_id(), "second@l.test", &[Role::Inspector]).await;
    let id = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower"),
        )
        .await
        .expect("created");
    let seen = s.entity(&second, id).await.expect("read").version;
    let revoked = RawLicence {
        status: "revoked".into(),
        authority: "Ministry of Labour".into(),
        decided_on: "2026-01-10".into(),
        ..Default::default()
    }
    .validate()
    .expect("licence");
    s.update_licence(&Authority::User(first.clone()), id, Some(seen), &revoked)
        .await
        .expect("the first keeper revokes");
    let licensed = RawLicence {
        status: "licensed".into(),
        authority: "Ministry of Labour".into(),
        decided_on: "2026-01-11".into(),
        ..Default::default()
    }
    .validate()
    .expect("licence");
    let stale = s
        .update_licence(&Authority::User(second.clone()), id, Some(seen), &licensed)
        .await;
    assert!(
        matches!(stale, Err(StoreError::VersionConflict { current }) if current == seen + 1),
        "{stale:?}"
    );
    let now = s.entity(&second, id).await.expect("read");
    assert_eq!(
        now.licence_status,
        LicenceStatus::Revoked,
        "nothing written"
    );
    assert_eq!(now.licence_date.as_deref(), Some("2026-01-10"));
    assert_eq!(
        audit_rows(&s, "entity.licence", "version_conflict").await,
        vec![Some(id.to_string())]
    );
    // Having read the newer value, the second keeper may still decide to change it.
    s.update_licence(
        &Authority::User(second.clone()),
        id,
        Some(now.version),
        &licensed,
    )
    .await
    .expect("with the version read again");
    assert_eq!(
        s.entity(&second, id).await.expect("read").licence_status,
        LicenceStatus::Licensed
    );
}

#[tokio::test]
async fn a_stale_licence_change_is_refused_and_writes_nothing_on_every_backend() {
    on_every_backend!(a_stale_licence_change_is_refused_and_writes_nothing);
}

/// Whether a page shows its forms is the policy's write decision: the case's own caseworker
/// and supervisor may change it; another organisation, immigration enforcement, and a case
/// that does not exist may not.
async fn may_change_case_follows_the_policy(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    assert!(s.may_change_case(&w.worker, case).await.expect("ask"));
    assert!(s.may_change_case(&w.supervisor, case).await.expect("ask"));
    assert!(
        !s.may_change_case(&w.colleague, case).await.expect("ask"),
        "a caseworker changes own cases only"
    );
    assert!(!s.may_change_case(&w.consul, case).await.expect("ask"));
    assert!(!s.may_change_case(&w.officer, case).await.expect("ask"));
    assert!(
        !s.may_change_case(&w.worker, Uuid::now_v7())
            .await
            .expect("ask")
    );
}

#[tokio::test]
async fn may_change_case_follows_the_policy_on_every_backend() {
    on_every_backend!(may_change_case_follows_the_policy);
}
