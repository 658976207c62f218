//! A person's full identity and identity documents.
//!
//! Who may read or change a person: whoever may read or update one of the person's cases (the
//! access goes through [`gate`] on that case), or, while the person has no case yet, the
//! creator's organisation as the policy allows. Everything else is the same `NotFound` as a
//! missing person, audited. The migration status is firewalled: only those the policy lets
//! `ReadMigrationStatus` see it or change it, and it is never required.
//!
//! Names are kept in their own script and in Latin letters; the name search index
//! (`person_name_terms`, keyed by the owning organisation) covers both, and is rebuilt whenever
//! a name changes.

use super::history::FieldChanges;
use super::{PersonAccess, person_gate, person_gate_write};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::search;
use crate::{Actor, Store, StoreError};
use passage_core::casework::person::{
    Change, Contact, DocumentChanges, NewDocument, PersonChanges, decode_languages,
    decode_vulnerabilities, encode_codes, holder_is_indicator, is_child,
};
use passage_core::casework::{DocumentHolder, DocumentKind, Vulnerability};
use passage_core::policy::Action;
use passage_core::{Country, DenyReason, PartialDate};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

mod documents;

/// The key indicator a document held by someone else raises.
pub const DOCUMENT_HELD_BY_OTHER: &str = "identity_document_held_by_other";

/// An identity document as a reader sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DocumentView {
    pub id: Uuid,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub country: Option<String>,
    pub held_by: DocumentHolder,
    /// Held by anyone but the person: a key indicator of control.
    pub key_indicator: bool,
    pub version: i64,
}

/// A person's full identity as an allowed reader sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonDetails {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub version: i64,
    pub given_name: String,
    pub family_name: String,
    pub given_name_latin: Option<String>,
    pub family_name_latin: Option<String>,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub citizenships: Vec<String>,
    pub languages: Vec<String>,
    pub contacts: Vec<Contact>,
    pub vulnerabilities: Vec<Vulnerability>,
    /// Present only for those who may read it (firewalled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration_status: Option<String>,
    /// Whether this reader may see and change the migration status.
    #[serde(skip)]
    pub migration_status_allowed: bool,
    /// Recorded as a child (vulnerability) or under 18 by the date of birth.
    pub is_child: bool,
    pub documents: Vec<DocumentView>,
    /// Key indicators the identity shows (a document held by someone else).
    pub key_indicators: Vec<&'static str>,
    pub created_at: i64,
    pub updated_at: Option<i64>,
}

/// The person's identity as stored, opened.
pub(crate) struct Identity {
    pub(crate) given: String,
    pub(crate) family: String,
    pub(crate) given_latin: Option<String>,
    pub(crate) family_latin: Option<String>,
    pub(crate) aliases: Vec<String>,
    pub(crate) dob: Option<String>,
    pub(crate) sex: Option<String>,
    pub(crate) citizenships: Vec<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) contacts: Vec<Contact>,
    pub(crate) vulnerabilities: Vec<Vulnerability>,
    pub(crate) status: Option<String>,
    pub(crate) version: i64,
    pub(crate) created_at: i64,
    pub(crate) updated_at: Option<i64>,
}

const IDENTITY_COLUMNS: &str = "id, given_name, family_name, given_name_latin, family_name_latin, aliases, date_of_birth, sex, \
     citizenships, languages, contacts, vulnerabilities, migration_status, version, created_at, updated_at";

pub(crate) async fn load_identity(
    tx: &mut Tx,
    person: &PersonAccess,
    with_status: bool,
) -> Result<Identity, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {IDENTITY_COLUMNS} FROM persons WHERE id = $1"
    )))
    .bind(person.key())
    .fetch_one(&mut *tx.tx)
    .await?;
    identity_from_row(&tx.keys, &person.key(), &row, with_status)
}

/// The identities of these persons (at most a few hundred), whose keys the caller loaded,
/// without the migration status, in no particular order, on any connection: for duplicate
/// detection, which decides itself whom it may compare, and reads them outside the write
/// transaction after a registration.
pub(crate) async fn read_identities(
    conn: &mut sqlx::AnyConnection,
    keys: &crate::Keys,
    persons: &[String],
) -> Result<Vec<(String, Identity)>, StoreError> {
    let mut out = Vec::with_capacity(persons.len());
    for chunk in persons.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {IDENTITY_COLUMNS} FROM persons WHERE id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id.clone());
        }
        for row in q.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("id")?;
            let identity = identity_from_row(keys, &id, &row, false)?;
            out.push((id, identity));
        }
    }
    Ok(out)
}

fn identity_from_row(
    k: &crate::Keys,
    pid: &str,
    row: &sqlx::any::AnyRow,
    with_status: bool,
) -> Result<Identity, StoreError> {
    let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
        row.try_get::<Option<Vec<u8>>, _>(col)?
            .map(|b| k.open_str(field, pid, &b))
            .transpose()
    };
    let json_list = |field: Field, col: &str| -> Result<Vec<String>, StoreError> {
        open(field, col)?
            .map(|t| serde_json::from_str(&t).map_err(|_| StoreError::Corrupt("aliases")))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    Ok(Identity {
        given: open(Field::PersonGivenName, "given_name")?.unwrap_or_default(),
        family: open(Field::PersonFamilyName, "family_name")?.unwrap_or_default(),
        given_latin: open(Field::PersonGivenNameLatin, "given_name_latin")?,
        family_latin: open(Field::PersonFamilyNameLatin, "family_name_latin")?,
        aliases: json_list(Field::PersonAliases, "aliases")?,
        dob: open(Field::PersonDateOfBirth, "date_of_birth")?,
        sex: open(Field::PersonSex, "sex")?,
        citizenships: open(Field::PersonCitizenships, "citizenships")?
            .map(|c| c.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        languages: open(Field::PersonLanguages, "languages")?
            .map(|l| decode_languages(&l))
            .unwrap_or_default(),
        contacts: open(Field::PersonContacts, "contacts")?
            .map(|t| serde_json::from_str(&t).map_err(|_| StoreError::Corrupt("contacts")))
            .transpose()?
            .unwrap_or_default(),
        vulnerabilities: open(Field::PersonVulnerabilities, "vulnerabilities")?
            .map(|v| decode_vulnerabilities(&v))
            .unwrap_or_default(),
        status: if with_status {
            open(Field::PersonMigrationStatus, "migration_status")?
        } else {
            None
        },
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn load_documents(tx: &mut Tx, person_id: &str) -> Result<Vec<DocumentView>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, kind, number, country_sealed, held_by, version FROM person_documents \
         WHERE person_id = $1 ORDER BY created_at, id",
    )
    .bind(person_id)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let held_by = DocumentHolder::parse(&r.try_get::<String, _>("held_by")?)
            .ok_or(StoreError::Corrupt("document holder"))?;
        out.push(DocumentView {
            id: parse_uuid(&id)?,
            kind: DocumentKind::parse(&r.try_get::<String, _>("kind")?)
                .ok_or(StoreError::Corrupt("document kind"))?,
            number: r
                .try_get::<Option<Vec<u8>>, _>("number")?
                .map(|b| tx.keys.open_str(Field::PersonDocumentNumber, &id, &b))
                .transpose()?,
            country: r
                .try_get::<Option<Vec<u8>>, _>("country_sealed")?
                .map(|b| tx.keys.open_str(Field::PersonDocumentCountry, &id, &b))
                .transpose()?,
            held_by,
            key_indicator: holder_is_indicator(held_by),
            version: r.try_get("version")?,
        });
    }
    Ok(out)
}

/// Replaces the person's name search terms with those of all their names, in every script's
/// Latin form and their variant spellings, keyed by the owning organisation, and marks the
/// person as indexed under the current derivation.
pub(crate) async fn index_names(
    tx: &mut Tx,
    person_id: &str,
    org_id: &str,
    names: &[&str],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM person_name_terms WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *tx.tx)
        .await?;
    let terms = search::name_tags(&tx.keys, org_id, names);
    for term in terms {
        sqlx::query("INSERT INTO person_name_terms (person_id, term) VALUES ($1, $2)")
            .bind(person_id)
            .bind(term)
            .execute(&mut *tx.tx)
            .await?;
    }
    sqlx::query("UPDATE persons SET name_terms_version = $1 WHERE id = $2")
        .bind(search::TERMS_VERSION)
        .bind(person_id)
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

/// Applies one change to an optional value; returns the new value and whether it changed.
fn apply<T: Clone + PartialEq>(old: &Option<T>, change: &Change<T>) -> (Option<T>, bool) {
    let new = match change {
        Change::Keep => old.clone(),
        Change::Clear => None,
        Change::Set(v) => Some(v.clone()),
    };
    let changed = new != *old;
    (new, changed)
}

fn list_change<T: Clone + PartialEq>(old: &[T], change: &Change<Vec<T>>) -> (Vec<T>, bool) {
    let old = (!old.is_empty()).then(|| old.to_vec());
    let (new, changed) = apply(&old, change);
    (new.unwrap_or_default(), changed)
}

impl Store {
    /// A person's full identity and documents. Audited as `person.read`.
    pub async fn person_details(
        &self,
        actor: &Actor,
        person_id: Uuid,
    ) -> Result<PersonDetails, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate(tx, actor, person_id, Action::ReadCase, "person.read").await?;
        let id = load_identity(&mut tx, &person, person.status_allowed()).await?;
        let documents = load_documents(&mut tx, &person.key()).await?;
        tx.audit(actor.event("person.read", "person", Some(person.key()), "ok"))
            .await?;
        tx.commit().await?;
        let dob = id
            .dob
            .as_deref()
            .and_then(|d| PartialDate::parse(d, 9999).ok());
        let mut key_indicators = Vec::new();
        if documents.iter().any(|d| d.key_indicator) {
            key_indicators.push(DOCUMENT_HELD_BY_OTHER);
        }
        Ok(PersonDetails {
            id: person.id(),
            organisation_id: person.org_id(),
            version: id.version,
            is_child: is_child(&id.vulnerabilities, dob, self.clock.today().ymd()),
            given_name: id.given,
            family_name: id.family,
            given_name_latin: id.given_latin,
            family_name_latin: id.family_latin,
            aliases: id.aliases,
            date_of_birth: id.dob,
            sex: id.sex,
            citizenships: id.citizenships,
            languages: id.languages,
            contacts: id.contacts,
            vulnerabilities: id.vulnerabilities,
            migration_status: id.status,
            migration_status_allowed: person.status_allowed(),
            documents,
            key_indicators,
            created_at: id.created_at,
            updated_at: id.updated_at,
        })
    }

    /// Changes a person's identity if it is still at `changes.expected_version`; returns the new
    /// version. Changed fields go to the case history (the migration status only as "changed",
    /// never its values); a name change rebuilds the search index.
    pub async fn update_person(
        &self,
        actor: &Actor,
        person_id: Uuid,
        changes: PersonChanges,
    ) -> Result<i64, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) = person_gate_write(tx, actor, person_id, "person.update").await?;
        if !changes.migration_status.is_keep() && !person.status_allowed() {
            tx.audit(actor.event("person.update", "person", Some(person.key()), "denied"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::Forbidden(DenyReason::OutOfScope));
        }
        let old = load_identity(&mut tx, &person, true).await?;
        if old.version != changes.expected_version {
            return Err(StoreError::VersionConflict {
                current: old.version,
            });
        }
        let pid = person.key();
        let pk = tx.person_key_for_write(&pid).await?;
        let k = tx.keys.clone();
        let seal = |field: Field, v: Option<&str>| -> Result<Option<Vec<u8>>, StoreError> {
            v.map(|v| k.seal_str_for(&pk, field, &pid, v)).transpose()
        };
        let mut history = FieldChanges::default();
        let given = changes.given_name.clone().unwrap_or(old.given.clone());
        history.text("person.given_name", &old.given, &given);
        let family = changes.family_name.clone().unwrap_or(old.family.clone());
        history.text("person.family_name", &old.family, &family);
        let (given_latin, _) = apply(&old.given_latin, &changes.given_name_latin);
        history.value(
            "person.given_name_latin",
            old.given_latin.as_deref(),
            given_latin.as_deref(),
        );
        let (family_latin, _) = apply(&old.family_latin, &changes.family_name_latin);
        history.value(
            "person.family_name_latin",
            old.family_latin.as_deref(),
            family_latin.as_deref(),
        );
        let (aliases, _) = list_change(&old.aliases, &changes.aliases);
        history.list("person.aliases", &old.aliases, &aliases, ", ");
        let old_dob = old
            .dob
            .as_deref()
            .and_then(|d| PartialDate::parse(d, 9999).ok());
        let (dob, _) = apply(&old_dob, &changes.date_of_birth);
        let dob = dob.map(|d| d.to_string());
        history.value("person.date_of_birth", old.dob.as_deref(), dob.as_deref());
        let sex_change = match &changes.sex {
            Change::Keep => Change::Keep,
            Change::Clear => Change::Clear,
            Change::Set(s) => Change::Set(s.as_str().to_string()),
        };
        let (sex, _) = apply(&old.sex, &sex_change);
        history.value("person.sex", old.sex.as_deref(), sex.as_deref());
        let old_cits: Vec<Country> = old
            .citizenships
            .iter()
            .filter_map(|c| Country::parse(c))
            .collect();
        let (cits, _) = list_change(&old_cits, &changes.citizenships);
        let cits: Vec<&str> = cits.iter().map(Country::as_str).collect();
        history.list(
            "person.citizenships",
            &old.citizenships
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            &cits,
            ",",
        );
        let (languages, _) = list_change(&old.languages, &changes.languages);
        history.list("person.languages", &old.languages, &languages, ",");
        let (contacts, _) = list_change(&old.contacts, &changes.contacts);
        let contacts_json =
            serde_json::to_string(&contacts).map_err(|_| StoreError::Corrupt("contacts"))?;
        let shown = |cs: &[Contact]| -> Vec<String> {
            cs.iter()
                .map(|c| format!("{}: {}", c.kind, c.value))
                .collect()
        };
        history.list(
            "person.contacts",
            &shown(&old.contacts),
            &shown(&contacts),
            "; ",
        );
        let (vulns, _) = list_change(&old.vulnerabilities, &changes.vulnerabilities);
        let vulns: Vec<&str> = vulns.iter().map(|v| v.as_str()).collect();
        let old_vulns: Vec<&str> = old.vulnerabilities.iter().map(|v| v.as_str()).collect();
        history.list("person.vulnerabilities", &old_vulns, &vulns, ",");
        let (status, status_changed) = apply(&old.status, &changes.migration_status);
        let aliases_json =
            serde_json::to_string(&aliases).map_err(|_| StoreError::Corrupt("aliases"))?;
        let mut sql = String::from(
            "UPDATE persons SET given_name = $1, family_name = $2, given_name_latin = $3, family_name_latin = $4, \
             aliases = $5, date_of_birth = $6, sex = $7, citizenships = $8, languages = $9, contacts = $10, \
             vulnerabilities = $11, updated_at = $12, version = version + 1",
        );
        if status_changed {
            sql.push_str(", migration_status = $15");
        }
        sql.push_str(" WHERE id = $13 AND version = $14");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(seal(Field::PersonGivenName, Some(&given))?)
            .bind(seal(Field::PersonFamilyName, Some(&family))?)
            .bind(seal(Field::PersonGivenNameLatin, given_latin.as_deref())?)
            .bind(seal(Field::PersonFamilyNameLatin, family_latin.as_deref())?)
            .bind(seal(
                Field::PersonAliases,
                (!aliases.is_empty()).then_some(aliases_json.as_str()),
            )?)
            .bind(seal(Field::PersonDateOfBirth, dob.as_deref())?)
            .bind(seal(Field::PersonSex, sex.as_deref())?)
            .bind(seal(
                Field::PersonCitizenships,
                (!cits.is_empty()).then(|| cits.join(",")).as_deref(),
            )?)
            .bind(seal(
                Field::PersonLanguages,
                (!languages.is_empty())
                    .then(|| encode_codes(&languages))
                    .as_deref(),
            )?)
            .bind(seal(
                Field::PersonContacts,
                (!contacts.is_empty()).then_some(contacts_json.as_str()),
            )?)
            .bind(seal(
                Field::PersonVulnerabilities,
                (!vulns.is_empty()).then(|| vulns.join(",")).as_deref(),
            )?)
            .bind(tx.now)
            .bind(&pid)
            .bind(changes.expected_version);
        if status_changed {
            q = q.bind(seal(Field::PersonMigrationStatus, status.as_deref())?);
        }
        let done = q.execute(&mut *tx.tx).await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::VersionConflict {
                current: old.version,
            });
        }
        if changes.touches_names() {
            let names: Vec<&str> = [
                Some(given.as_str()),
                Some(family.as_str()),
                given_latin.as_deref(),
                family_latin.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            index_names(&mut tx, &pid, &person.org_id().to_string(), &names).await?;
        }
        if let Some(case) = &person.case() {
            // Who changed the migration status and when, never the values: history readers
            // may not be allowed to see it.
            history.hidden("person.migration_status", status_changed);
            history.record(&mut tx, actor, case).await?;
        }
        super::duplicates::check_person(&mut tx, person.id(), super::duplicates::Check::Changed)
            .await?;
        tx.audit(actor.event("person.update", "person", Some(pid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(old.version + 1)
    }
}

/// Audits a missing part of a record the actor may otherwise see, and answers `NotFound`.
pub(crate) async fn missing<T>(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    object_type: &str,
    id: String,
) -> Result<T, StoreError> {
    tx.audit(actor.event(action, object_type, Some(id), "not_found"))
        .await?;
    tx.commit().await?;
    Err(StoreError::NotFound)
}
