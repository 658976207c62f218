//! Registering a person in two steps: everything that costs CPU (the person's data key and its
//! wrapping, every field sealed, the name tags, the linkage keys, the audit event) is computed
//! from the values at hand before the write transaction begins; the transaction then only
//! writes, one statement per table. On SQLite the write lock is held by one writer at a time and
//! registering clients wait for it in turn, so every hash or round trip moved out of it is time
//! none of them waits for.

use crate::audit::Event;
use crate::db::Tx;
use crate::keys::{Field, PersonKey};
use crate::search;
use crate::{Actor, Keys, StoreError};
use passage_core::Country;
use passage_core::policy::{Action, Decision, Relation, decide};
use passage_core::records::NewPerson;
use uuid::Uuid;

/// Most values bound in one multi-row insert (well under both engines' limits).
const ROWS_PER_INSERT: usize = 200;

/// A person ready to be written: sealed, tagged and keyed, not yet in the database.
pub(crate) struct PreparedPerson {
    id: Uuid,
    rid: String,
    org: String,
    created_by: String,
    key: PersonKey,
    wrapped_key: Vec<u8>,
    given: Vec<u8>,
    family: Vec<u8>,
    dob: Option<Vec<u8>>,
    sex: Option<Vec<u8>>,
    citizenships: Option<Vec<u8>>,
    status: Option<Vec<u8>>,
    terms: Vec<i64>,
    /// The linkage keys of a registration (built from the values at hand); `None` when the
    /// caller builds them later, or never (a person of immigration enforcement).
    link: Option<Vec<i64>>,
    /// Whether the person counts as keyed for linkage once written (`link_keyed_at`).
    keyed: bool,
    event: Event<'static>,
}

/// What a registration does about duplicates once the person is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Linkage {
    /// Nothing: the caller keys the person later, or never (bulk loads, referrals, reports).
    Later,
    /// The linkage keys are written with the person and the duplicate check marked due.
    Now,
}

impl PreparedPerson {
    /// Checks the policy and computes every value the person's rows hold, under `keys` (the
    /// store's keys: what a transaction's keys are made from). Reads nothing.
    pub(crate) fn new(
        keys: &Keys,
        actor: &Actor,
        new: NewPerson,
        linkage: Linkage,
    ) -> Result<PreparedPerson, StoreError> {
        if let Decision::Deny(reason) = decide(actor.principal(), Action::CreateCase, Relation::Own)
        {
            return Err(StoreError::Forbidden(reason));
        }
        let id = Uuid::now_v7();
        let rid = id.to_string();
        // The person's own data key: erasing the person destroys it (see `erasure`).
        let key = PersonKey::random()?;
        let wrapped_key = keys.wrap_person_key(&rid, &key)?;
        let seal_opt = |field: Field, v: Option<&str>| {
            v.map(|v| keys.seal_str_for(&key, field, &rid, v))
                .transpose()
        };
        let dob = new.date_of_birth.map(|d| d.to_string());
        let sex = new.sex.map(|s| s.as_str());
        let cits: Vec<&str> = new.citizenships.iter().map(Country::as_str).collect();
        let cits = (!cits.is_empty()).then(|| cits.join(","));
        let org = actor.org_id().to_string();
        let terms = search::name_tags(keys, &org, &[&new.given_name, &new.family_name]);
        let (link, keyed) = match linkage {
            Linkage::Later => (None, false),
            Linkage::Now => (
                crate::casework::duplicates::registration_keys(
                    keys,
                    actor.principal().org_kind,
                    &new.given_name,
                    &new.family_name,
                    dob.as_deref(),
                ),
                true,
            ),
        };
        Ok(PreparedPerson {
            given: keys.seal_str_for(&key, Field::PersonGivenName, &rid, &new.given_name)?,
            family: keys.seal_str_for(&key, Field::PersonFamilyName, &rid, &new.family_name)?,
            dob: seal_opt(Field::PersonDateOfBirth, dob.as_deref())?,
            sex: seal_opt(Field::PersonSex, sex)?,
            citizenships: seal_opt(Field::PersonCitizenships, cits.as_deref())?,
            status: seal_opt(
                Field::PersonMigrationStatus,
                new.migration_status.as_deref(),
            )?,
            event: actor.event("person.create", "person", Some(rid.clone()), "ok"),
            created_by: actor.user_id().to_string(),
            id,
            rid,
            org,
            key,
            wrapped_key,
            terms,
            link,
            keyed,
        })
    }

    pub(crate) fn id(&self) -> Uuid {
        self.id
    }

    /// Writes the person, their key, name tags, audit event and, for a registration, their
    /// linkage keys and the mark that their check is due. Answers whether a check is due.
    pub(crate) async fn write(self, tx: &mut Tx) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO persons (id, org_id, created_by, given_name, family_name, date_of_birth, sex, citizenships, migration_status, created_at, name_terms_version, link_keyed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&self.rid)
        .bind(&self.org)
        .bind(&self.created_by)
        .bind(self.given)
        .bind(self.family)
        .bind(self.dob)
        .bind(self.sex)
        .bind(self.citizenships)
        .bind(self.status)
        .bind(tx.now)
        .bind(search::TERMS_VERSION)
        .bind(self.keyed.then_some(tx.now))
        .execute(&mut *tx.tx)
        .await?;
        tx.store_wrapped_person_key(&self.rid, self.key, self.wrapped_key)
            .await?;
        insert_many(tx, "person_name_terms", "term", &self.rid, &self.terms).await?;
        let due = match &self.link {
            Some(keys) if !keys.is_empty() => {
                insert_many(tx, "person_link_keys", "link_key", &self.rid, keys).await?;
                crate::casework::duplicates::mark_due(tx, &self.rid).await?;
                true
            }
            _ => false,
        };
        tx.audit(self.event).await?;
        Ok(due)
    }
}

/// One statement for all of a person's rows of a two-column table (values distinct).
async fn insert_many(
    tx: &mut Tx,
    table: &str,
    column: &str,
    person: &str,
    values: &[i64],
) -> Result<(), StoreError> {
    for chunk in values.chunks(ROWS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${})", i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO {table} (person_id, {column}) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person);
        for v in chunk {
            q = q.bind(*v);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}
