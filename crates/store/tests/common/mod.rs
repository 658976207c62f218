//! The store suite's shared harness: a store on every configured backend and a small world.
#![allow(dead_code)]

use passage_core::records::{RawCase, RawPerson};
use passage_core::{Country, OrgKind, Role};
use passage_store::casework::duplicates::LinkCheckMode;
use passage_store::orgs::NewUser;
use passage_store::{Actor, Keys, SessionKind, Store};
use sqlx::Executor;
use uuid::Uuid;

pub const PW: &str = "a long enough password";

/// The suite's keys keep no person key between transactions: every reader must load the keys
/// of the persons it opens, as a server must for persons another server made, or once its
/// bounded cache has let them go.
pub fn keys() -> Keys {
    Keys::from_bytes([3; 32]).with_person_key_cache(0)
}

pub async fn sqlite() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("passage-suite-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}", dir.join("passage.db").display());
    let store = Store::connect(&url, keys()).await.expect("connect sqlite");
    store.migrate().await.expect("migrate sqlite");
    (store.with_link_check_mode(LinkCheckMode::Inline), dir)
}

pub async fn postgres() -> Option<Store> {
    let Ok(url) = std::env::var("PASSAGE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the store suite on PostgreSQL: set PASSAGE_TEST_POSTGRES_URL"
        );
        eprintln!("PASSAGE_TEST_POSTGRES_URL not set: PostgreSQL half of the suite skipped");
        return None;
    };
    // A fresh database per test, so tests run in parallel without seeing each other.
    let name = format!("passage_suite_{}", Uuid::new_v4().simple());
    let admin = Store::connect(&url, Keys::from_bytes([3; 32]))
        .await
        .expect("connect postgres");
    admin
        .operator("test")
        .unsafe_raw_pool()
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create database");
    let base = url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .expect("url has a database");
    let store = Store::connect(&format!("{base}/{name}"), keys())
        .await
        .expect("connect new database");
    store.migrate().await.expect("migrate postgres");
    Some(store.with_link_check_mode(LinkCheckMode::Inline))
}

/// Runs `f` on every configured backend.
#[macro_export]
/// After each, every value of a person's records the test wrote must be sealed under that
/// person's data key ([`assert_personal_values_under_person_keys`]): a write path that seals
/// a person's value under a field key fails the test that exercises it.
macro_rules! on_every_backend {
    ($f:ident) => {{
        let (s, _dir) = $crate::common::sqlite().await;
        $f(s.clone()).await;
        $crate::common::assert_personal_values_under_person_keys(&s).await;
        if let Some(pg) = $crate::common::postgres().await {
            $f(pg.clone()).await;
            $crate::common::assert_personal_values_under_person_keys(&pg).await;
        }
    }};
}

/// [`on_every_backend!`] without the check that persons' values are under their keys (tests
/// that write values as an older version did).
#[macro_export]
macro_rules! on_every_backend_as_written {
    ($f:ident) => {{
        let (s, _dir) = $crate::common::sqlite().await;
        $f(s).await;
        if let Some(pg) = $crate::common::postgres().await {
            $f(pg).await;
        }
    }};
}

/// One sealed value of a person's record, as the database (and so a backup) holds it.
#[derive(Debug, Clone)]
pub struct PersonalValue {
    pub field: passage_store::keys::Field,
    pub column: &'static str,
    pub id: String,
    pub person: String,
    pub sealed: Vec<u8>,
}

/// Every sealed value of a person's records (of `person` only, when given), by the registry
/// of which tables are about one person.
pub async fn personal_values(s: &Store, person: Option<&str>) -> Vec<PersonalValue> {
    use passage_store::keys::{Encoding, Field, unhex};
    use sqlx::Row;
    let pool = s.operator("test").unsafe_raw_pool().clone();
    let mut out = Vec::new();
    for &field in Field::ALL {
        let Some(owner) = field.person_of_row() else {
            continue;
        };
        for &column in field.columns() {
            let table = field.table();
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT t.id, t.{column} AS sealed, {owner} AS person FROM {table} t \
                 WHERE t.{column} IS NOT NULL AND {owner} IS NOT NULL"
            )))
            .fetch_all(&pool)
            .await
            .expect("scan a sealed column");
            for row in rows {
                let owner: String = row.try_get("person").expect("person");
                if person.is_some_and(|p| p != owner) {
                    continue;
                }
                let sealed = match field.encoding() {
                    Encoding::Bytes => row.try_get::<Vec<u8>, _>("sealed").expect("bytes"),
                    Encoding::Hex => {
                        unhex(&row.try_get::<String, _>("sealed").expect("hex")).expect("hex")
                    }
                };
                out.push(PersonalValue {
                    field,
                    column,
                    id: row.try_get("id").expect("id"),
                    person: owner,
                    sealed,
                });
            }
        }
    }
    out
}

/// Every value of a person who is not erased is sealed under that person's own data key.
pub async fn assert_personal_values_under_person_keys(s: &Store) {
    let pool = s.operator("test").unsafe_raw_pool().clone();
    let keys: std::collections::HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT id, key_id FROM person_keys")
            .fetch_all(&pool)
            .await
            .expect("person keys")
            .into_iter()
            .collect();
    let erased: std::collections::HashSet<String> =
        sqlx::query_as::<_, (String,)>("SELECT id FROM persons WHERE erased_at IS NOT NULL")
            .fetch_all(&pool)
            .await
            .expect("erased")
            .into_iter()
            .map(|(p,)| p)
            .collect();
    for v in personal_values(s, None).await {
        // Placeholder bytes some fixtures write raw are no envelope: nothing to check.
        if erased.contains(&v.person) || !matches!(v.sealed.first(), Some(1..=3)) {
            continue;
        }
        let named = Keys::person_key_of(&v.sealed).map(|k| k.to_string());
        assert_eq!(
            named.as_ref(),
            keys.get(&v.person),
            "{}.{} of row {} is not sealed under its person's data key",
            v.field.table(),
            v.column,
            v.id
        );
        assert!(named.is_some(), "{}.{}", v.field.table(), v.column);
    }
}

pub struct World {
    pub shelter: Uuid,
    pub consulate: Uuid,
    pub immigration: Uuid,
    pub worker: Actor,
    pub colleague: Actor,
    pub supervisor: Actor,
    pub consul: Actor,
    pub officer: Actor,
    pub org_admin: Actor,
}

pub async fn user(store: &Store, org: Uuid, email: &str, roles: &[Role]) -> Actor {
    let op = store.operator("test");
    store
        .create_user(
            op.authority(),
            NewUser {
                org_id: org,
                email,
                display_name: email,
                password: PW,
                roles,
            },
        )
        .await
        .expect("create user");
    store
        .login(email, PW, SessionKind::Api)
        .await
        .expect("login")
        .actor
}

pub async fn world(store: &Store) -> World {
    let op = store.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let shelter = store
        .create_organisation(op.authority(), "Shelter", OrgKind::ServiceProvider, gb)
        .await
        .expect("org")
        .id;
    let consulate = store
        .create_organisation(op.authority(), "Consulate", OrgKind::Consulate, gb)
        .await
        .expect("org")
        .id;
    let immigration = store
        .create_organisation(
            op.authority(),
            "Immigration",
            OrgKind::ImmigrationEnforcement,
            gb,
        )
        .await
        .expect("org")
        .id;
    World {
        shelter,
        consulate,
        immigration,
        worker: user(store, shelter, "worker@s.test", &[Role::Caseworker]).await,
        colleague: user(store, shelter, "colleague@s.test", &[Role::Caseworker]).await,
        supervisor: user(store, shelter, "super@s.test", &[Role::Supervisor]).await,
        consul: user(store, consulate, "consul@c.test", &[Role::Consular]).await,
        officer: user(store, immigration, "officer@i.test", Role::ALL).await,
        org_admin: user(store, shelter, "admin@s.test", &[Role::OrgAdmin]).await,
    }
}

pub async fn open_case(
    store: &Store,
    actor: &Actor,
    given: &str,
    family: &str,
    status: Option<&str>,
) -> Uuid {
    let person = RawPerson {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: Some("1994-03".into()),
        sex: Some("feminine".into()),
        citizenships: Some(vec!["PH".into()]),
        migration_status: status.map(str::to_string),
    }
    .validate(2026)
    .expect("valid person");
    let pid = store.create_person(actor, person).await.expect("person");
    let case = RawCase {
        person_id: pid.to_string(),
        types: vec!["trafficking".into(), "labour_exploitation".into()],
        stage: "destination".into(),
        summary: "Recruited with a false job offer; passport held by the employer.".into(),
    }
    .validate()
    .expect("valid case");
    store.create_case(actor, case).await.expect("case")
}

/// Registers a person (Syrian, born on `dob`) and opens a labour exploitation case for them.
pub async fn register(
    s: &Store,
    actor: &Actor,
    given: &str,
    family: &str,
    dob: &str,
) -> (Uuid, Uuid) {
    let person = RawPerson {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: Some(dob.into()),
        sex: None,
        citizenships: Some(vec!["SY".into()]),
        migration_status: None,
    }
    .validate(2026)
    .expect("valid person");
    let pid = s.create_person(actor, person).await.expect("person");
    let case = RawCase {
        person_id: pid.to_string(),
        types: vec!["labour_exploitation".into()],
        stage: "destination".into(),
        summary: "Unpaid for months.".into(),
    }
    .validate()
    .expect("valid case");
    let cid = s.create_case(actor, case).await.expect("case");
    (pid, cid)
}

/// Records the person's consent to a referral to `org`; returns the consent. (It lets a
/// referral to that organisation be sent; it opens nothing of the case by itself.)
pub async fn consent_to_referral(store: &Store, actor: &Actor, case: Uuid, org: Uuid) -> Uuid {
    use passage_core::casework::consent::NewConsent;
    use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
    let person = store.get_case(actor, case).await.expect("case").person.id;
    store
        .record_consent(
            actor,
            person,
            NewConsent {
                purpose: ConsentPurpose::Referral,
                organisation_id: Some(org),
                basis: LegalBasis::Consent,
                method: Some(ConsentMethod::Written),
                language: None,
                reason: None,
            },
        )
        .await
        .expect("referral consent")
}

/// A note as the web layer hands it to the store: typed, then validated.
pub fn note(confidentiality: &str, body: &str) -> passage_core::casework::notes::NewNote {
    passage_core::casework::notes::RawNote {
        confidentiality,
        body,
    }
    .validate()
    .expect("a valid note")
}

/// A date as the web layer hands it to the store: typed, then validated.
pub fn valid_day(value: &str) -> passage_core::casework::calendar::Day {
    passage_core::casework::calendar::required_date("date", value).expect("a valid date")
}

/// A required text as the edge checks it (a message, a reason), for operations that take one.
pub fn said(value: &str) -> passage_core::validate::Text {
    passage_core::validate::Text::parse("text", value, 5_000).expect("a valid text")
}

/// A rejection reason as the edge checks it, problems included: the store answers them only
/// to someone who may decide.
pub fn rejected(
    value: &str,
) -> Result<passage_core::validate::Text, passage_core::validate::Problems> {
    passage_core::casework::changes::rejection_reason(value)
}
