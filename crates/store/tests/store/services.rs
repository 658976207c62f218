//! The service directory on every backend: who may add and change entries, capacity kept
//! without lost updates, search by need, place and language, the confidential address, the
//! public finder's entries, and the firewall (immigration enforcement neither offers nor reads).

use crate::common::*;
use passage_core::services::{RawService, ServiceKind};
use passage_core::{Country, DenyReason, OrgKind, Role};
use passage_store::directory::DirectoryQuery;
use passage_store::{Authority, Store, StoreError};
use sqlx::Row;

const ADDRESS: &str = "12 Hidden Lane, Leeds";

fn shelter_entry() -> RawService {
    RawService {
        name: "Women's night shelter".into(),
        kind: "shelter".into(),
        country: "GB".into(),
        regions: vec!["Yorkshire".into()],
        languages: vec!["en".into(), "ar".into()],
        sex: "women".into(),
        status_blind: true,
        contact: "+44 20 7946 0000".into(),
        address: ADDRESS.into(),
        public: true,
        ..Default::default()
    }
}

fn by(actor: &passage_store::Actor) -> Authority {
    Authority::User(actor.clone())
}

fn forbidden(e: StoreError) -> DenyReason {
    match e {
        StoreError::Forbidden(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn directory(s: Store) {
    let w = world(&s).await;
    let hotline = s
        .create_organisation(
            s.operator("test").authority(),
            "Helpline",
            OrgKind::Hotline,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let operator = user(&s, hotline, "op@h.test", &[Role::Intake]).await;
    let hotline_admin = user(&s, hotline, "admin@h.test", &[Role::OrgAdmin]).await;

    // Administrators and supervisors of the owning organisation add entries; a caseworker
    // does not, nor anyone for another organisation.
    let entry = s
        .create_service_entry(&by(&w.supervisor), w.shelter, &shelter_entry())
        .await
        .expect("supervisor adds");
    assert_eq!(entry.kind, ServiceKind::Shelter);
    assert_eq!(entry.address.as_deref(), Some(ADDRESS), "the owner sees it");
    assert_eq!(entry.languages, ["ar", "en"]);
    assert_eq!(entry.regions, ["Yorkshire"]);
    assert!(entry.capacity.is_none(), "no figure until one is given");
    assert_eq!(
        forbidden(
            s.create_service_entry(&by(&w.worker), w.shelter, &shelter_entry())
                .await
                .expect_err("caseworker")
        ),
        DenyReason::NoGrant
    );
    assert_eq!(
        forbidden(
            s.create_service_entry(&by(&hotline_admin), w.shelter, &shelter_entry())
                .await
                .expect_err("another organisation")
        ),
        DenyReason::OutOfScope
    );
    let helpline = s
        .create_service_entry(
            &by(&hotline_admin),
            hotline,
            &RawService {
                name: "Helpline 24/7".into(),
                kind: "legal_aid".into(),
                country: "GB".into(),
                other_countries: vec!["IE".into()],
                languages: vec!["en".into(), "tl".into()],
                address: "1 Open Street".into(),
                address_public: true,
                ..Default::default()
            },
        )
        .await
        .expect("helpline entry");

    // Bad input is every problem at once, with codes.
    let bad = s
        .create_service_entry(
            &by(&w.supervisor),
            w.shelter,
            &RawService {
                kind: "consular_assistance".into(),
                ..shelter_entry()
            },
        )
        .await
        .expect_err("a shelter is no consulate");
    let StoreError::Invalid(p) = bad else {
        panic!("expected invalid")
    };
    assert_eq!(p.0[0].field, "type");

    // Other organisations see the entry but not its confidential address; a public one they do.
    let seen = s
        .service_directory(&operator, &DirectoryQuery::default())
        .await
        .expect("directory");
    assert_eq!(seen.len(), 2);
    let shelter_seen = seen.iter().find(|e| e.id == entry.id).expect("listed");
    assert_eq!(
        shelter_seen.address, None,
        "a confidential address stays home"
    );
    assert_eq!(shelter_seen.contact.as_deref(), Some("+44 20 7946 0000"));
    let helpline_seen = seen.iter().find(|e| e.id == helpline.id).expect("listed");
    assert_eq!(helpline_seen.address.as_deref(), Some("1 Open Street"));
    let own = s.service_entry(&w.worker, entry.id).await.expect("own");
    assert_eq!(own.address.as_deref(), Some(ADDRESS));

    // Search by need, place and language, combined.
    let q =
        |kind: Option<ServiceKind>, country: Option<&str>, language: Option<&str>| DirectoryQuery {
            kind,
            country: country.map(|c| Country::parse(c).expect("country")),
            language: language.map(str::to_string),
            organisation: None,
        };
    let ids = |v: Vec<passage_store::directory::DirectoryService>| -> Vec<uuid::Uuid> {
        v.into_iter().map(|e| e.id).collect()
    };
    let search = |query: DirectoryQuery| {
        let s = s.clone();
        let operator = operator.clone();
        async move {
            ids(s
                .service_directory(&operator, &query)
                .await
                .expect("search"))
        }
    };
    assert_eq!(
        search(q(Some(ServiceKind::Shelter), None, None)).await,
        [entry.id]
    );
    assert_eq!(
        search(q(None, Some("IE"), None)).await,
        [helpline.id],
        "covered countries count"
    );
    assert_eq!(search(q(None, Some("GB"), Some("ar"))).await, [entry.id]);
    assert_eq!(search(q(None, None, Some("tl"))).await, [helpline.id]);
    assert!(
        search(q(Some(ServiceKind::Shelter), None, Some("tl")))
            .await
            .is_empty()
    );
    assert!(search(q(None, Some("FR"), None)).await.is_empty());

    // The public finder: public entries only, never a confidential address.
    let public = s
        .public_service_directory(&DirectoryQuery::default())
        .await
        .expect("public");
    assert_eq!(ids(public.clone()), [entry.id]);
    assert_eq!(public[0].address, None);

    // The address is sealed at rest.
    let raw: Vec<u8> = sqlx::query("SELECT address FROM directory_services WHERE id = $1")
        .bind(entry.id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("row")
        .try_get("address")
        .expect("bytes");
    assert!(!raw.windows(ADDRESS.len()).any(|w| w == ADDRESS.as_bytes()));

    // Editing is versioned: a stale version changes nothing.
    let changed = s
        .update_service_entry(
            &w.org_admin,
            entry.id,
            entry.version,
            &RawService {
                address_public: false,
                public: false,
                ..shelter_entry()
            },
        )
        .await
        .expect("edit");
    assert_eq!(changed.version, entry.version + 1);
    assert!(matches!(
        s.update_service_entry(&w.org_admin, entry.id, entry.version, &shelter_entry())
            .await,
        Err(StoreError::VersionConflict { .. })
    ));
    assert!(
        s.public_service_directory(&DirectoryQuery::default())
            .await
            .expect("public")
            .is_empty(),
        "no longer public"
    );

    // Capacity: shelter staff keep it; a stale version or an impossible figure is refused.
    let cap = s
        .set_service_capacity(&w.worker, entry.id, places("3", "12"), Some(0))
        .await
        .expect("first figure");
    assert_eq!(
        (cap.free, cap.total, cap.full, cap.version),
        (3, 12, false, 1)
    );
    assert!(matches!(
        s.set_service_capacity(&w.worker, entry.id, places("2", "12"), Some(0))
            .await,
        Err(StoreError::VersionConflict { current: 1 })
    ));
    assert_eq!(
        forbidden(
            s.set_service_capacity(&operator, entry.id, places("1", "12"), None)
                .await
                .expect_err("another organisation's beds")
        ),
        DenyReason::OutOfScope
    );

    // Two admissions at once both count: no lost update.
    let (a, b) = tokio::join!(
        s.adjust_service_capacity(&w.worker, entry.id, -1),
        s.adjust_service_capacity(&w.colleague, entry.id, -1)
    );
    a.expect("first");
    b.expect("second");
    let now = s.service_entry(&w.worker, entry.id).await.expect("entry");
    let cap = now.capacity.expect("capacity");
    assert_eq!(cap.free, 1);
    assert!(cap.updated_at > 0);
    s.adjust_service_capacity(&w.worker, entry.id, -1)
        .await
        .expect("last bed");
    let full = s.service_entry(&operator, entry.id).await.expect("entry");
    assert!(full.capacity.expect("capacity").full, "none free is full");
    let StoreError::Invalid(_) = s
        .adjust_service_capacity(&w.worker, entry.id, -1)
        .await
        .expect_err("below none")
    else {
        panic!("expected invalid")
    };

    // Every write is in the audit log.
    let actions: Vec<String> = sqlx::query(
        "SELECT action || ':' || outcome AS action FROM audit_events WHERE object_id = $1 ORDER BY seq",
    )
    .bind(entry.id.to_string())
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit")
    .iter()
    .map(|r| r.try_get("action").expect("action"))
    .collect();
    assert_eq!(
        actions,
        [
            "directory.create:ok",
            "directory.update:ok",
            "directory.capacity:ok",
            "directory.capacity:denied",
            "directory.capacity:ok",
            "directory.capacity:ok",
            "directory.capacity:ok",
        ]
    );

    // The firewall: immigration enforcement neither offers services, even by the operator's
    // hand, nor reads the directory.
    assert_eq!(
        forbidden(
            s.create_service_entry(&by(&w.officer), w.immigration, &shelter_entry())
                .await
                .expect_err("enforcement offers nothing")
        ),
        DenyReason::ImmigrationFirewall
    );
    assert_eq!(
        forbidden(
            s.create_service_entry(
                s.operator("test").authority(),
                w.immigration,
                &shelter_entry()
            )
            .await
            .expect_err("not even seeded")
        ),
        DenyReason::ImmigrationFirewall
    );
    assert_eq!(
        forbidden(
            s.service_directory(&w.officer, &DirectoryQuery::default())
                .await
                .expect_err("enforcement reads no directory")
        ),
        DenyReason::ImmigrationFirewall
    );
    assert_eq!(
        forbidden(
            s.service_entry(&w.officer, entry.id)
                .await
                .expect_err("nor one entry")
        ),
        DenyReason::ImmigrationFirewall
    );
}

#[tokio::test]
async fn the_directory_keeps_its_rules_on_every_backend() {
    on_every_backend!(directory);
}

fn places(free: &str, total: &str) -> passage_core::services::Capacity {
    passage_core::services::Capacity::check(free, total).expect("a possible figure")
}
