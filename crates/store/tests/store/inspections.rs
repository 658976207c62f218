//! Labour inspection on every backend (issue 15 items 5 and 6): a labour inspectorate's
//! inspector records a visit with its findings, orders, sanction and follow-up (every bad field
//! named, nothing written); the confirmed sanction reaches the public recruiter check; the
//! work list holds planned visits, overdue follow-ups and orders past their deadline; another
//! inspectorate gets `NotFound`, other staff are refused, immigration enforcement meets the
//! firewall; and the ranking puts the entity most complained of first without a count under k
//! moving anything — while no output names a complaint, a case, a report or a person.

use crate::common::*;
use passage_core::labour::entities::{LinkRole, LinkedRecord, RawEntity, RawSanction};
use passage_core::labour::inspection::{
    FACTOR_COMPLAINTS, PartValue, RawInspection, RawOrder, VisitStatus,
};
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::screening::NewScreening;
use passage_store::{Actor, Authority, Store, StoreError};
use uuid::Uuid;

fn agency(name: &str, country: &str) -> RawEntity {
    RawEntity {
        name: name.into(),
        kind: "recruitment_agency".into(),
        country: country.into(),
        licence_number: String::new(),
        sector: "N".into(),
    }
}

async fn rows(s: &Store, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn inspectorate(s: &Store, name: &str, email: &str) -> (Uuid, Actor) {
    let op = s.operator("test");
    let org = s
        .create_organisation(
            op.authority(),
            name,
            OrgKind::LabourInspectorate,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    (org, user(s, org, email, &[Role::Inspector]).await)
}

fn day(s: &Store, offset: i64) -> String {
    s.clock().today().plus_days(offset).to_string()
}

fn visit(s: &Store, entity: Uuid, joint: Uuid) -> RawInspection {
    RawInspection {
        entity_id: entity.to_string(),
        status: "done".into(),
        planned_on: day(s, -41),
        done_on: day(s, -40),
        joint_with: vec![joint.to_string()],
        indicators: vec![
            "fl_retention_of_identity_documents".into(),
            "fl_debt_bondage".into(),
        ],
        law_categories: vec!["recruitment_fees".into()],
        orders: vec![
            RawOrder {
                category: "recruitment_fees".into(),
                deadline: day(s, -10),
            },
            RawOrder {
                category: "wages".into(),
                deadline: day(s, 30),
            },
        ],
        sanction: Some(RawSanction {
            description: "Fine for charging recruitment fees to workers".into(),
            authority: "Labour Inspectorate".into(),
            decided_on: day(s, -39),
        }),
        follow_up_on: day(s, -5),
    }
}

async fn recorded_validated_and_on_the_work_list(s: Store) {
    let w = world(&s).await;
    let (org, inspector) = inspectorate(&s, "Inspectorate", "inspector@l.test").await;
    let (_, other) = inspectorate(&s, "Other Inspectorate", "other@l.test").await;
    let entity = s
        .create_entity(
            &Authority::User(w.worker.clone()),
            &agency("Al Noor Manpower", "AE"),
        )
        .await
        .expect("entity");
    let by = Authority::User(inspector.clone());

    // Bad input: each field named, nothing written.
    let before = (
        rows(&s, "inspections").await,
        rows(&s, "inspection_orders").await,
    );
    let bad = s
        .record_inspection(
            &by,
            org,
            &RawInspection {
                status: "maybe".into(),
                indicators: vec!["fl_made_up".into()],
                orders: vec![RawOrder {
                    category: "taxes".into(),
                    deadline: "soon".into(),
                }],
                ..visit(&s, entity, w.shelter)
            },
        )
        .await;
    let Err(StoreError::Invalid(p)) = bad else {
        panic!("refused: {bad:?}")
    };
    let fields: Vec<(&str, ErrorCode)> = p.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert!(
        fields.contains(&("status", ErrorCode::UnknownValue)),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("indicators", ErrorCode::UnknownValue)),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("orders.category", ErrorCode::UnknownValue)),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("orders.deadline", ErrorCode::InvalidDate)),
        "{fields:?}"
    );
    let unknown = s
        .record_inspection(
            &by,
            org,
            &RawInspection {
                entity_id: Uuid::now_v7().to_string(),
                ..visit(&s, entity, w.shelter)
            },
        )
        .await;
    assert!(
        matches!(&unknown, Err(StoreError::Invalid(p)) if p.0[0].field == "entity_id"),
        "{unknown:?}"
    );
    let stranger = s
        .record_inspection(
            &by,
            org,
            &RawInspection {
                joint_with: vec![Uuid::now_v7().to_string()],
                ..visit(&s, entity, w.shelter)
            },
        )
        .await;
    assert!(
        matches!(&stranger, Err(StoreError::Invalid(p)) if p.0[0].field == "joint_with"),
        "{stranger:?}"
    );
    assert_eq!(
        (
            rows(&s, "inspections").await,
            rows(&s, "inspection_orders").await
        ),
        before,
        "nothing written"
    );

    let id = s
        .record_inspection(&by, org, &visit(&s, entity, w.shelter))
        .await
        .expect("recorded");
    let planned = s
        .record_inspection(
            &by,
            org,
            &RawInspection {
                entity_id: entity.to_string(),
                status: "planned".into(),
                planned_on: day(&s, 7),
                ..Default::default()
            },
        )
        .await
        .expect("planned");
    let v = s.inspection(&inspector, id).await.expect("read");
    assert_eq!(v.status, VisitStatus::Done);
    assert_eq!(v.entity_name, "Al Noor Manpower");
    assert_eq!(v.joint_with, [(w.shelter, "Shelter".to_string())]);
    assert_eq!(
        v.indicators,
        ["fl_debt_bondage", "fl_retention_of_identity_documents"]
    );
    assert_eq!(v.orders.len(), 2);
    assert!(v.orders[0].overdue && !v.orders[1].overdue);
    assert_eq!(v.follow_ups.len(), 1);
    assert_eq!(v.sanctions.len(), 1);

    // The confirmed sanction is on the public recruiter check.
    let public = s.public_recruiters("Al Noor").await.expect("public");
    assert_eq!(
        public[0].sanctions[0].description,
        "Fine for charging recruitment fees to workers"
    );

    let list = s.inspection_work_list(&inspector).await.expect("list");
    assert_eq!(
        list.planned.iter().map(|v| v.id).collect::<Vec<_>>(),
        [planned]
    );
    assert_eq!(list.overdue_follow_ups.len(), 1);
    assert_eq!(list.overdue_follow_ups[0].id, v.follow_ups[0].0);
    assert_eq!(list.overdue_orders.len(), 1);
    assert_eq!(list.overdue_orders[0].inspection_id, id);

    // The follow-up concluded as done (once) and the order complied with leave the list.
    let follow_up = v.follow_ups[0].0;
    let done = RawInspection {
        status: "done".into(),
        done_on: day(&s, -1),
        indicators: vec!["fl_debt_bondage".into()],
        ..Default::default()
    };
    s.conclude_inspection(&inspector, follow_up, &done)
        .await
        .expect("concluded");
    assert!(matches!(
        s.conclude_inspection(&inspector, follow_up, &done).await,
        Err(StoreError::Rule {
            code: ErrorCode::AlreadyDone,
            ..
        })
    ));
    assert!(matches!(
        s.conclude_inspection(&other, planned, &done).await,
        Err(StoreError::NotFound)
    ));
    let order = list.overdue_orders[0].id;
    assert!(matches!(
        s.order_complied(&other, order, &day(&s, 0)).await,
        Err(StoreError::NotFound)
    ));
    s.order_complied(&inspector, order, &day(&s, 0))
        .await
        .expect("complied");
    let list = s.inspection_work_list(&inspector).await.expect("list");
    assert!(list.overdue_follow_ups.is_empty() && list.overdue_orders.is_empty());
    assert_eq!(list.planned.len(), 1);

    // Another inspectorate: the same answer as a visit that does not exist; an empty list.
    assert!(matches!(
        s.inspection(&other, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.inspection(&other, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.inspection_work_list(&other).await.expect("list"),
        Default::default()
    );
    // Other staff are refused with a reason; immigration enforcement meets the firewall.
    let refused = |r: Result<(), StoreError>, reason: DenyReason| {
        assert!(
            matches!(&r, Err(StoreError::Forbidden(got)) if *got == reason),
            "{r:?}"
        )
    };
    refused(
        s.inspection_targets(&w.worker, None, None)
            .await
            .map(|_| ()),
        DenyReason::NoGrant,
    );
    refused(
        s.inspection_work_list(&w.supervisor).await.map(|_| ()),
        DenyReason::OutOfScope,
    );
    for r in [
        s.inspection_targets(&w.officer, None, None)
            .await
            .map(|_| ()),
        s.inspection(&w.officer, id).await.map(|_| ()),
        s.inspection_work_list(&w.officer).await.map(|_| ()),
        s.record_inspection(
            &Authority::User(w.officer.clone()),
            org,
            &visit(&s, entity, w.shelter),
        )
        .await
        .map(|_| ()),
    ] {
        refused(r, DenyReason::ImmigrationFirewall);
    }
}
#[tokio::test]
async fn recorded_validated_and_on_the_work_list_on_every_backend() {
    on_every_backend!(recorded_validated_and_on_the_work_list);
}

async fn the_ranking_weighs_counts_from_k_and_never_names_a_complainant(s: Store) {
    let w = world(&s).await;
    let (org, inspector) = inspectorate(&s, "Inspectorate", "inspector@l.test").await;
    let by = Authority::User(w.worker.clone());
    let many = s
        .create_entity(&by, &agency("Al Noor Manpower", "AE"))
        .await
        .expect("entity");
    let few = s
        .create_entity(&by, &agency("Gulf Star Recruitment", "AE"))
        .await
        .expect("entity");
    let none = s
        .create_entity(&by, &agency("Horizon Staffing", "AE"))
        .await
        .expect("entity");
    let elsewhere = s
        .create_entity(&by, &agency("Manila Bright Jobs", "PH"))
        .await
        .expect("entity");
    let mut secrets = Vec::new();
    for i in 0..10 {
        let family = format!("Complainant{i}");
        let case = open_case(&s, &w.worker, "Maria", &family, None).await;
        s.link_entity(
            &w.worker,
            LinkedRecord::Case,
            case,
            many,
            LinkRole::Recruiter,
        )
        .await
        .expect("link");
        // Every worker's screening found debt bondage and deception; three found isolation
        // (under k).
        let mut answers = vec![("fl_debt_bondage", "yes"), ("fl_deception", "yes")];
        if i < 3 {
            answers.push(("fl_isolation", "yes"));
        }
        let screened = s
            .create_screening(
                &w.worker,
                case,
                NewScreening {
                    instrument: "ilo_forced_labour".into(),
                    language: "en".into(),
                    answers: answers
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    complete: false,
                },
            )
            .await
            .expect("screening");
        secrets.push(screened.id.to_string());
        secrets.push(case.to_string());
        secrets.push(family);
    }
    for i in 0..3 {
        let family = format!("Witness{i}");
        let case = open_case(&s, &w.worker, "Joy", &family, None).await;
        s.link_entity(&w.worker, LinkedRecord::Case, case, few, LinkRole::Employer)
            .await
            .expect("link");
        secrets.push(case.to_string());
        secrets.push(family);
    }
    let visit_id = s
        .record_inspection(
            &Authority::User(inspector.clone()),
            org,
            &visit(&s, many, w.shelter),
        )
        .await
        .expect("visit");

    let ae = Country::parse("AE");
    let targets = s
        .inspection_targets(&inspector, ae, None)
        .await
        .expect("targets");
    let order: Vec<Uuid> = targets.iter().map(|t| t.entity_id).collect();
    assert_eq!(order[0], many, "the entity most complained of comes first");
    assert!(
        !order.contains(&elsewhere),
        "the country view holds its own"
    );
    let part = |id: Uuid| {
        targets
            .iter()
            .find(|t| t.entity_id == id)
            .expect("listed")
            .risk
            .clone()
    };
    let top = part(many);
    assert_eq!(top.parts[0].factor, FACTOR_COMPLAINTS);
    assert_eq!(top.parts[0].value, PartValue::Count(Some(10)));
    assert_eq!(
        top.parts[1].value,
        PartValue::Count(Some(2)),
        "two indicators found"
    );
    assert_eq!(
        top.parts[3].value,
        PartValue::Count(Some(40)),
        "forty days since"
    );
    // Three complaints are under k: shown as nothing, weighed as none.
    assert_eq!(part(few).parts[0].value, PartValue::Count(None));
    assert_eq!(part(few).score, part(none).score);
    let all = s
        .inspection_targets(&inspector, None, None)
        .await
        .expect("targets");
    assert_eq!(all.len(), 4);

    // What the complaints' screenings found reaches the inspector as counts by indicator.
    let seen_visit = s.inspection(&inspector, visit_id).await.expect("visit");
    let by_indicator: Vec<(&str, Option<u64>)> = seen_visit
        .reported_indicators
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    assert_eq!(by_indicator.len(), 3, "{by_indicator:?}");
    assert!(
        by_indicator.contains(&("fl_debt_bondage", Some(10)))
            || by_indicator.contains(&("fl_deception", Some(10))),
        "ten complaints are past k (one of two may be withheld beside the small one): \
         {by_indicator:?}"
    );
    assert!(
        by_indicator.iter().all(|(_, n)| n.is_none_or(|n| n >= 10)),
        "{by_indicator:?}"
    );
    assert!(
        by_indicator.contains(&("fl_isolation", None)),
        "three is under k: {by_indicator:?}"
    );
    // Nothing the inspector reads names a complaint, a case or a person.
    let seen = format!(
        "{:?}{:?}{:?}{:?}",
        targets,
        all,
        s.inspection(&inspector, visit_id).await.expect("visit"),
        s.inspection_work_list(&inspector).await.expect("list"),
    );
    for secret in &secrets {
        assert!(!seen.contains(secret.as_str()), "{secret} leaked");
    }
    assert!(!seen.contains("Maria") && !seen.contains("Joy"));
}
#[tokio::test]
async fn the_ranking_weighs_counts_from_k_and_never_names_a_complainant_on_every_backend() {
    on_every_backend!(the_ranking_weighs_counts_from_k_and_never_names_a_complainant);
}

/// The firewall at a visit: when workers' complaints name the entity, a visit is never joint
/// with immigration enforcement (it would turn the complaint into a raid): recording or
/// concluding it so is refused with `joint_with_enforcement`, nothing written, the refusal
/// audited. An entity no complaint names may be visited with any agency; police may join a
/// visit reached by complaints.
async fn immigration_enforcement_never_joins_a_visit_reached_by_complaints(s: Store) {
    let w = world(&s).await;
    let (_, inspector) = inspectorate(&s, "Inspectorate", "inspector@l.test").await;
    let op = s.operator("test");
    let police = s
        .create_organisation(
            op.authority(),
            "Police",
            OrgKind::LawEnforcement,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let by = Authority::User(w.worker.clone());
    let named = s
        .create_entity(&by, &agency("Al Noor Manpower", "AE"))
        .await
        .expect("entity");
    let quiet = s
        .create_entity(&by, &agency("Brackenmoor Farms", "AE"))
        .await
        .expect("entity");
    let case = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    s.link_entity(
        &w.worker,
        LinkedRecord::Case,
        case,
        named,
        LinkRole::Employer,
    )
    .await
    .expect("a complaint names it");
    let before = rows(&s, "inspections").await;
    let me = Authority::User(inspector.clone());
    let raid = s
        .record_inspection(&me, inspector.org_id(), &visit(&s, named, w.immigration))
        .await;
    assert!(
        matches!(&raid, Err(StoreError::Invalid(p))
            if p.0[0].field == "joint_with" && p.0[0].code == ErrorCode::JointWithEnforcement),
        "{raid:?}"
    );
    assert_eq!(rows(&s, "inspections").await, before, "nothing written");
    // A planned visit concluded with immigration enforcement present: refused as well.
    let planned = s
        .record_inspection(
            &me,
            inspector.org_id(),
            &RawInspection {
                entity_id: named.to_string(),
                status: "planned".into(),
                planned_on: day(&s, 3),
                ..Default::default()
            },
        )
        .await
        .expect("planned");
    let conclude = RawInspection {
        status: "done".into(),
        done_on: day(&s, 0),
        joint_with: vec![w.immigration.to_string()],
        ..Default::default()
    };
    let refused = s.conclude_inspection(&inspector, planned, &conclude).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(p)) if p.0[0].code == ErrorCode::JointWithEnforcement),
        "{refused:?}"
    );
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action IN ('inspection.record', 'inspection.conclude') AND outcome = 'refused'",
    )
    .fetch_one(op.unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(n, 2, "each refusal is audited");
    // Police may join it; any agency may join a visit no complaint reached.
    s.record_inspection(&me, inspector.org_id(), &visit(&s, named, police))
        .await
        .expect("a joint visit with the police");
    s.record_inspection(&me, inspector.org_id(), &visit(&s, quiet, w.immigration))
        .await
        .expect("no complaint names this entity");
}

#[tokio::test]
async fn immigration_enforcement_never_joins_a_visit_reached_by_complaints_on_every_backend() {
    on_every_backend!(immigration_enforcement_never_joins_a_visit_reached_by_complaints);
}
