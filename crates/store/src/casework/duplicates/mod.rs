//! Duplicate persons. Each person carries keyed linkage keys (blind tags of the sounds of their
//! names, of a full date of birth, a document number, a phone); when a person is registered or
//! their identity changes, the persons sharing at least two keys are decrypted inside the store
//! and scored (`passage-linkage`). Candidates in the person's own organisation go to its review
//! queue, for those who may read every case of the organisation (supervisors), with the
//! explanation of the score; a merge moves the merged person's cases to the kept person and is
//! undone exactly. A probable match in another organisation, found when a person is first
//! registered, becomes a partner signal told only to the organisation that already held the
//! record (those who review its duplicates); the registering side learns nothing until the
//! holder's person agreed to be connected (`partners`, rules in `core::policy::partner`). A
//! consulate is never part of one (neither its registrations nor the persons it holds), and
//! later changes of a person never probe other organisations again. Immigration enforcement
//! organisations' persons are never compared and they never see a signal.

mod checks;
mod partners;
mod score;

use super::person::read_identities;
use super::person_gate;
use super::{gate, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::OrgKind;
use passage_core::casework::person::ContactKind;
use passage_core::policy::partner;
use passage_core::policy::{Action, Relation, decide};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

pub use checks::LinkCheckMode;
pub(crate) use checks::{LinkChecks, mark_due, registration_keys};
pub use partners::{PartnerOrganisation, PartnerSignal};
pub use score::{Evidence, LinkIdentity};

/// Candidates at or above this probability within an organisation go to its review queue.
pub const REVIEW_THRESHOLD: f64 = 0.5;
/// Matches at or above this probability across organisations raise a partner signal.
pub const PARTNER_THRESHOLD: f64 = 0.9;
/// Shared keys a person needs with another to be compared at all.
const MIN_SHARED_KEYS: i64 = 2;
/// Most candidates compared per person (the ones sharing most keys).
const MAX_CANDIDATES: i64 = 200;

/// One candidate pair in a review queue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DuplicateCandidate {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub other_id: Uuid,
    pub other_name: String,
    pub probability: f64,
    /// Which fields agreed, how, and by how many bits; never their values.
    pub explanation: Vec<Evidence>,
    pub names_swapped: bool,
    pub created_at: i64,
    /// The latest case of each person in the organisation, for the review page to link both
    /// records; not part of the API's candidate.
    #[serde(skip)]
    pub person_case: Option<Uuid>,
    #[serde(skip)]
    pub other_case: Option<Uuid>,
}

/// A merge that can be undone.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Merge {
    pub id: Uuid,
    pub kept_id: Uuid,
    pub kept_name: String,
    pub merged_id: Uuid,
    pub moved_cases: Vec<Uuid>,
    pub at: i64,
    pub undone_at: Option<i64>,
}

/// What a reader of a person may know of duplicates.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct LinkStatus {
    /// A possible duplicate in the organisation waits for review.
    pub pending_review: bool,
    /// The person was merged into another.
    pub merged_into: Option<Uuid>,
    /// A partner organisation may hold a record of this person (no more is said): only from a
    /// signal the reader's side may see, never through a shared case.
    pub partner_may_hold: bool,
    /// The person's duplicate check after registration has not finished yet: the queue and
    /// the signals may still change.
    pub duplicate_check_running: bool,
}

#[derive(Serialize, Deserialize)]
struct StoredExplanation {
    names_swapped: bool,
    fields: Vec<Evidence>,
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The identity linkage compares, decrypted inside the store.
async fn link_identity(
    tx: &mut Tx,
    person_id: Uuid,
    org_id: Uuid,
) -> Result<LinkIdentity, StoreError> {
    tx.load_person_keys(&[person_id.to_string()]).await?;
    let keys = tx.keys.clone();
    link_identities(&mut tx.tx, &keys, &[(person_id, org_id)])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// The linkage view of many persons, whose keys the caller loaded, read in a few statements
/// whatever their number, on any connection: a registration's comparison reads up to
/// [`MAX_CANDIDATES`] persons outside the write transaction.
async fn link_identities(
    conn: &mut sqlx::AnyConnection,
    keys: &crate::Keys,
    persons: &[(Uuid, Uuid)],
) -> Result<Vec<LinkIdentity>, StoreError> {
    let ids: Vec<String> = persons.iter().map(|(p, _)| p.to_string()).collect();
    let identities = read_identities(conn, keys, &ids).await?;
    // The first document number of each person, as a person's page lists them.
    let mut documents: std::collections::HashMap<String, String> = Default::default();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT person_id, id, number FROM person_documents WHERE person_id IN ({}) \
             AND number IS NOT NULL ORDER BY created_at, id",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (String, String, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id.clone());
        }
        for (person, doc_id, number) in q.fetch_all(&mut *conn).await? {
            if let std::collections::hash_map::Entry::Vacant(first) = documents.entry(person) {
                first.insert(keys.open_str(Field::PersonDocumentNumber, &doc_id, &number)?);
            }
        }
    }
    let orgs: std::collections::HashMap<String, Uuid> = ids
        .iter()
        .cloned()
        .zip(persons.iter().map(|(_, o)| *o))
        .collect();
    let mut out = Vec::with_capacity(identities.len());
    for (pid, id) in identities {
        let org_id = *orgs.get(&pid).ok_or(StoreError::Corrupt("person"))?;
        out.push(LinkIdentity {
            id: parse_uuid(&pid)?,
            org_id,
            document: documents.remove(&pid),
            given: id.given,
            family: id.family,
            given_latin: id.given_latin,
            family_latin: id.family_latin,
            aliases: id.aliases,
            date_of_birth: id.dob,
            sex: id.sex,
            citizenship: id.citizenships.into_iter().next(),
            phone: id
                .contacts
                .into_iter()
                .find(|c| c.kind == ContactKind::Phone)
                .map(|c| c.value),
        });
    }
    // In the order asked, so results do not depend on the database's row order.
    let order: std::collections::HashMap<Uuid, usize> = persons
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (*p, i))
        .collect();
    out.sort_by_key(|l| order.get(&l.id).copied().unwrap_or(usize::MAX));
    Ok(out)
}

/// Rebuilds a person's linkage keys; `None` for a person of immigration enforcement, who is
/// never compared.
async fn build_keys(
    tx: &mut Tx,
    person_id: Uuid,
    org_id: Uuid,
    org_kind: &str,
) -> Result<Option<(LinkIdentity, Vec<i64>)>, StoreError> {
    sqlx::query("DELETE FROM person_link_keys WHERE person_id = $1")
        .bind(person_id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    sqlx::query("UPDATE persons SET link_keyed_at = $1 WHERE id = $2")
        .bind(tx.now)
        .bind(person_id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    if OrgKind::parse(org_kind) == Some(OrgKind::ImmigrationEnforcement) {
        return Ok(None);
    }
    let me = link_identity(tx, person_id, org_id).await?;
    let keys = score::link_keys(&tx.keys, &me);
    // One statement for all the keys (they are distinct): a registration writes them inside
    // the write lock.
    for chunk in keys.chunks(200) {
        let sql = format!(
            "INSERT INTO person_link_keys (person_id, link_key) VALUES {}",
            (0..chunk.len())
                .map(|i| format!("($1, ${})", i + 2))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person_id.to_string());
        for k in chunk {
            q = q.bind(*k);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(Some((me, keys)))
}

/// The persons sharing at least [`MIN_SHARED_KEYS`] keys with this one, most shared first, at
/// most [`MAX_CANDIDATES`], with their organisation and its kind: never a merged or erased
/// person or one of immigration enforcement. The keys are counted on the key index alone (a
/// common name's key is shared by thousands in a large register); only the few hundred persons
/// kept are joined to their rows. With `registered_at`, only the persons registered before this
/// one (by time, then id): of two persons registered at the same moment, the later one's check
/// finds the pair, whichever check runs first.
async fn candidates(
    conn: &mut sqlx::AnyConnection,
    person_id: &str,
    keys: &[i64],
    registered_at: Option<i64>,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let sql = format!(
        "SELECT person_id FROM person_link_keys WHERE link_key IN ({}) AND person_id <> $1 \
         GROUP BY person_id HAVING COUNT(*) >= {MIN_SHARED_KEYS} \
         ORDER BY COUNT(*) DESC, person_id LIMIT {}",
        placeholders(2, keys.len()),
        2 * MAX_CANDIDATES
    );
    let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql)).bind(person_id);
    for k in keys {
        q = q.bind(*k);
    }
    let ranked: Vec<String> = q
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(p,)| p)
        .collect();
    if ranked.is_empty() {
        return Ok(Vec::new());
    }
    let n = ranked.len();
    let earlier = if registered_at.is_some() {
        format!(
            " AND (p.created_at < ${a} OR (p.created_at = ${a} AND p.id < ${b}))",
            a = n + 1,
            b = n + 2
        )
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT p.id, p.org_id, o.kind FROM persons p JOIN organisations o ON o.id = p.org_id \
         WHERE p.id IN ({}) AND p.merged_into IS NULL AND p.erased_at IS NULL \
         AND o.kind <> 'immigration_enforcement'{earlier}",
        placeholders(1, n)
    );
    let mut q = sqlx::query_as::<_, (String, String, String)>(sqlx::AssertSqlSafe(sql));
    for p in &ranked {
        q = q.bind(p.clone());
    }
    if let Some(at) = registered_at {
        q = q.bind(at).bind(person_id);
    }
    let mut rows = q.fetch_all(&mut *conn).await?;
    let rank: std::collections::HashMap<&str, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    rows.sort_by_key(|(p, _, _)| rank.get(p.as_str()).copied().unwrap_or(usize::MAX));
    rows.truncate(MAX_CANDIDATES as usize);
    Ok(rows)
}

/// Why a person is checked: registered just now (the one time other organisations are
/// probed), or changed later (the organisation's own review queue only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Registered,
    Changed,
}

/// Of the candidates found, those this check may act on, and so decrypt and score: the
/// organisation's own always, another organisation's only when a signal about them may be
/// raised.
fn comparable(
    org_id: Uuid,
    org_kind: &str,
    why: Check,
    found: Vec<(String, String, String)>,
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    let registering = OrgKind::parse(org_kind).ok_or(StoreError::Corrupt("organisation kind"))?;
    let mut compared = Vec::with_capacity(found.len());
    for (pid, porg, pkind) in found {
        let porg = parse_uuid(&porg)?;
        let may = porg == org_id
            || OrgKind::parse(&pkind).is_some_and(|holder| {
                partner::raises_signal(registering, holder, why == Check::Registered)
            });
        if may {
            compared.push((parse_uuid(&pid)?, porg));
        }
    }
    Ok(compared)
}

/// Writes what a comparison found: candidates in the same organisation go to its review queue,
/// probable matches elsewhere raise partner signals (the caller compared only those
/// [`comparable`] allows). A few statements whatever the number of findings, so the write
/// lock is held briefly.
async fn record_findings(
    tx: &mut Tx,
    person_id: Uuid,
    org_id: Uuid,
    findings: Vec<(&LinkIdentity, score::Scored)>,
) -> Result<(), StoreError> {
    let mut review = Vec::new();
    let mut signals = Vec::new();
    for (other, scored) in findings {
        if other.org_id == org_id && scored.probability >= REVIEW_THRESHOLD {
            let explanation = serde_json::to_string(&StoredExplanation {
                names_swapped: scored.names_swapped,
                fields: scored.fields,
            })
            .map_err(|_| StoreError::Corrupt("explanation"))?;
            review.push((other.id, scored.probability, explanation));
        } else if other.org_id != org_id && scored.probability >= PARTNER_THRESHOLD {
            signals.push((other.id, other.org_id, scored.probability));
        }
    }
    for chunk in review.chunks(100) {
        let rows = open_rows(chunk.len());
        let sql = format!(
            "INSERT INTO duplicate_candidates (id, org_id, person_id, other_id, probability, explanation, status, created_at) \
             VALUES {rows} ON CONFLICT (person_id, other_id) DO UPDATE SET probability = excluded.probability, explanation = excluded.explanation"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org_id.to_string())
            .bind(person_id.to_string())
            .bind(tx.now);
        for (other, probability, explanation) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(other.to_string())
                .bind(*probability)
                .bind(explanation.clone());
        }
        q.execute(&mut *tx.tx).await?;
    }
    for chunk in signals.chunks(100) {
        let rows = open_rows(chunk.len());
        let sql = format!(
            "INSERT INTO partner_signals (id, person_id, org_id, partner_person_id, partner_org_id, probability, status, created_at) \
             VALUES {rows} ON CONFLICT (person_id, partner_person_id) DO NOTHING"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(person_id.to_string())
            .bind(org_id.to_string())
            .bind(tx.now);
        for (other, other_org, probability) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(other.to_string())
                .bind(other_org.to_string())
                .bind(*probability);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}

/// `VALUES` rows of a multi-row insert of findings: three values every row shares (`$1`–`$3`)
/// and four of each row's own, as `(own, $1, $2, own, own, own, 'open', $3)`.
fn open_rows(n: usize) -> String {
    (0..n)
        .map(|i| {
            let b = 4 + 4 * i;
            format!(
                "(${b}, $1, $2, ${}, ${}, ${}, 'open', $3)",
                b + 1,
                b + 2,
                b + 3
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The organisation a person belongs to and its kind, if the person exists.
pub(crate) async fn org_of(
    tx: &mut Tx,
    person_id: Uuid,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.org_id, o.kind FROM persons p JOIN organisations o ON o.id = p.org_id WHERE p.id = $1",
    )
    .bind(person_id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?)
}

/// Rebuilds a person's linkage keys, then compares the person with the persons sharing enough
/// of them, inside the transaction that changed the person (a registration's comparison runs
/// after its commit instead: [`checks`]). Later changes probe the organisation's own review
/// queue only.
pub(crate) async fn check_person(
    tx: &mut Tx,
    person_id: Uuid,
    why: Check,
) -> Result<(), StoreError> {
    let Some((org, kind)) = org_of(tx, person_id).await? else {
        return Ok(());
    };
    let org_id = parse_uuid(&org)?;
    let Some((me, keys)) = build_keys(tx, person_id, org_id, &kind).await? else {
        return Ok(());
    };
    if keys.is_empty() {
        return Ok(());
    }
    let found = candidates(&mut tx.tx, &person_id.to_string(), &keys, None).await?;
    let compared = comparable(org_id, &kind, why, found)?;
    let ids: Vec<String> = compared.iter().map(|(p, _)| p.to_string()).collect();
    tx.load_person_keys(&ids).await?;
    let k = tx.keys.clone();
    let others = link_identities(&mut tx.tx, &k, &compared).await?;
    let scored = score::score(&me, &others);
    record_findings(tx, person_id, org_id, others.iter().zip(scored).collect()).await
}

/// Whether the actor may review (read) or decide (merge, undo, dismiss) the organisation's
/// duplicates: reading or changing every case of the organisation.
fn allowed(actor: &Actor, action: Action) -> Result<(), StoreError> {
    match decide(actor.principal(), action, Relation::Organisation) {
        passage_core::Decision::Allow(_) => Ok(()),
        passage_core::Decision::Deny(r) => Err(StoreError::Forbidden(r)),
    }
}

/// The person's latest case held by the actor's organisation.
async fn latest_case(
    tx: &mut Tx,
    actor: &Actor,
    person_id: &str,
) -> Result<Option<Uuid>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM cases WHERE person_id = $1 AND org_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(person_id)
    .bind(actor.org_id().to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|(id,)| parse_uuid(&id)).transpose()
}

async fn name_of(tx: &mut Tx, person_id: &str) -> Result<String, StoreError> {
    tx.load_person_keys(&[person_id.to_string()]).await?;
    let (g, f): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT given_name, family_name FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_one(&mut *tx.tx)
            .await?;
    let g = tx.keys.open_str(Field::PersonGivenName, person_id, &g)?;
    let f = tx.keys.open_str(Field::PersonFamilyName, person_id, &f)?;
    Ok(format!("{g} {f}").trim().to_string())
}

impl Store {
    /// Builds the linkage keys of persons that have none yet (registered before duplicate
    /// detection, or in bulk by the demo generator), in batches, so later registrations find
    /// them. Compares nothing and shows nothing to anyone; audited as the operator with the
    /// count. Returns how many persons were keyed.
    pub(crate) async fn index_link_keys(&self, op: &crate::Authority) -> Result<usize, StoreError> {
        const BATCH: i64 = 500;
        let mut total = 0;
        loop {
            let mut tx = self.begin().await?;
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT p.id, p.org_id, o.kind FROM persons p JOIN organisations o ON o.id = p.org_id \
                 WHERE p.link_keyed_at IS NULL ORDER BY p.id LIMIT $1",
            )
            .bind(BATCH)
            .fetch_all(&mut *tx.tx)
            .await?;
            let n = rows.len();
            for (id, org, kind) in rows {
                build_keys(&mut tx, parse_uuid(&id)?, parse_uuid(&org)?, &kind).await?;
            }
            if n > 0 {
                tx.audit(op.event("linkage.index", "persons", None, "ok"))
                    .await?;
            }
            tx.commit().await?;
            total += n;
            if (n as i64) < BATCH {
                return Ok(total);
            }
        }
    }

    /// The organisation's open candidate duplicates, most probable first.
    pub async fn duplicate_queue(
        &self,
        actor: &Actor,
    ) -> Result<Vec<DuplicateCandidate>, StoreError> {
        let mut tx = self.begin().await?;
        if let Err(e) = allowed(actor, Action::ReadCase) {
            tx.audit(actor.event(
                "duplicate.list",
                "organisation",
                Some(actor.org_id().to_string()),
                "denied",
            ))
            .await?;
            tx.commit().await?;
            return Err(e);
        }
        let rows = sqlx::query(
            "SELECT d.id, d.person_id, d.other_id, d.probability, d.explanation, d.created_at FROM duplicate_candidates d \
             JOIN persons a ON a.id = d.person_id JOIN persons b ON b.id = d.other_id \
             WHERE d.org_id = $1 AND d.status = 'open' AND a.merged_into IS NULL AND b.merged_into IS NULL \
             ORDER BY d.probability DESC, d.created_at LIMIT 200",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (person, other): (String, String) =
                (r.try_get("person_id")?, r.try_get("other_id")?);
            let e: StoredExplanation =
                serde_json::from_str(&r.try_get::<String, _>("explanation")?)
                    .map_err(|_| StoreError::Corrupt("explanation"))?;
            out.push(DuplicateCandidate {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                person_name: name_of(&mut tx, &person).await?,
                other_name: name_of(&mut tx, &other).await?,
                person_id: parse_uuid(&person)?,
                other_id: parse_uuid(&other)?,
                probability: r.try_get("probability")?,
                explanation: e.fields,
                names_swapped: e.names_swapped,
                created_at: r.try_get("created_at")?,
                person_case: latest_case(&mut tx, actor, &person).await?,
                other_case: latest_case(&mut tx, actor, &other).await?,
            });
        }
        tx.audit(actor.event(
            "duplicate.list",
            "organisation",
            Some(actor.org_id().to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Merges a candidate pair: the person registered first is kept, the other's cases move to
    /// it, and the other is marked merged. Returns the merge, which [`Store::undo_merge`] undoes.
    pub async fn merge_duplicate(
        &self,
        actor: &Actor,
        candidate: Uuid,
    ) -> Result<Uuid, StoreError> {
        allowed(actor, Action::UpdateCase)?;
        let mut tx = self.begin().await?;
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT org_id, person_id, other_id, status FROM duplicate_candidates WHERE id = $1",
        )
        .bind(candidate.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((org, person, other, status)) = row.filter(|r| r.0 == actor.org_id().to_string())
        else {
            tx.audit(actor.event(
                "person.merge",
                "duplicate",
                Some(candidate.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        if status != "open" {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyDecided,
                message: "This pair was already merged or marked as different people.".into(),
            });
        }
        // The person registered first is kept: it is the one others already refer to.
        let (a_at,): (i64,) = sqlx::query_as("SELECT created_at FROM persons WHERE id = $1")
            .bind(&person)
            .fetch_one(&mut *tx.tx)
            .await?;
        let (b_at,): (i64,) = sqlx::query_as("SELECT created_at FROM persons WHERE id = $1")
            .bind(&other)
            .fetch_one(&mut *tx.tx)
            .await?;
        let (kept, merged) = if (b_at, &other) <= (a_at, &person) {
            (other, person)
        } else {
            (person, other)
        };
        let cases: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM cases WHERE person_id = $1 ORDER BY created_at, id")
                .bind(&merged)
                .fetch_all(&mut *tx.tx)
                .await?;
        let mut moved = Vec::with_capacity(cases.len());
        for (cid,) in cases {
            let (t, case) = gate(
                tx,
                actor,
                parse_uuid(&cid)?,
                Action::UpdateCase,
                "person.merge",
            )
            .await?;
            tx = t;
            sqlx::query("UPDATE cases SET person_id = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(&kept)
                .bind(tx.now)
                .bind(&cid)
                .execute(&mut *tx.tx)
                .await?;
            record_history(&mut tx, actor, &case, "person", Some(&merged), Some(&kept)).await?;
            moved.push(cid);
        }
        // The moved cases' values go under the kept person's key: erasing the kept person
        // then erases them, in backups too.
        tx.reseal_person_values(&kept).await?;
        sqlx::query("UPDATE persons SET merged_into = $1 WHERE id = $2")
            .bind(&kept)
            .bind(&merged)
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query("UPDATE duplicate_candidates SET status = 'merged', decided_by = $1, decided_at = $2 WHERE id = $3")
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .bind(candidate.to_string())
            .execute(&mut *tx.tx)
            .await?;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO person_merges (id, org_id, candidate_id, kept_id, merged_id, moved_cases, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.to_string())
        .bind(&org)
        .bind(candidate.to_string())
        .bind(&kept)
        .bind(&merged)
        .bind(moved.join(","))
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("person.merge", "person", Some(merged.clone()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Undoes a merge: exactly the cases it moved go back, the merged person is a person again,
    /// and the pair is recorded as different people.
    pub async fn undo_merge(&self, actor: &Actor, merge: Uuid) -> Result<(), StoreError> {
        allowed(actor, Action::UpdateCase)?;
        let mut tx = self.begin().await?;
        let row: Option<(String, String, String, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT org_id, candidate_id, kept_id, merged_id, moved_cases, undone_at FROM person_merges WHERE id = $1",
        )
        .bind(merge.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((_, candidate, kept, merged, moved, undone)) =
            row.filter(|r| r.0 == actor.org_id().to_string())
        else {
            tx.audit(actor.event(
                "person.unmerge",
                "merge",
                Some(merge.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        if undone.is_some() {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyUndone,
                message: "This merge was already undone.".into(),
            });
        }
        for cid in moved.split(',').filter(|c| !c.is_empty()) {
            let (t, case) = gate(
                tx,
                actor,
                parse_uuid(cid)?,
                Action::UpdateCase,
                "person.unmerge",
            )
            .await?;
            tx = t;
            sqlx::query("UPDATE cases SET person_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND person_id = $4")
                .bind(&merged)
                .bind(tx.now)
                .bind(cid)
                .bind(&kept)
                .execute(&mut *tx.tx)
                .await?;
            record_history(&mut tx, actor, &case, "person", Some(&kept), Some(&merged)).await?;
        }
        tx.reseal_person_values(&merged).await?;
        sqlx::query("UPDATE persons SET merged_into = NULL WHERE id = $1")
            .bind(&merged)
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query("UPDATE person_merges SET undone_by = $1, undone_at = $2 WHERE id = $3")
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .bind(merge.to_string())
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query("UPDATE duplicate_candidates SET status = 'distinct' WHERE id = $1")
            .bind(&candidate)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("person.unmerge", "person", Some(merged), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a candidate pair are different people; it leaves the queue.
    pub async fn dismiss_duplicate(
        &self,
        actor: &Actor,
        candidate: Uuid,
    ) -> Result<(), StoreError> {
        allowed(actor, Action::UpdateCase)?;
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE duplicate_candidates SET status = 'distinct', decided_by = $1, decided_at = $2 WHERE id = $3 AND org_id = $4 AND status = 'open'",
        )
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(candidate.to_string())
        .bind(actor.org_id().to_string())
        .execute(&mut *tx.tx)
        .await?;
        let outcome = if done.rows_affected() == 1 {
            "ok"
        } else {
            "not_found"
        };
        tx.audit(actor.event(
            "duplicate.dismiss",
            "duplicate",
            Some(candidate.to_string()),
            outcome,
        ))
        .await?;
        tx.commit().await?;
        if outcome == "ok" {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// The organisation's merges, newest first, with what each moved.
    pub async fn merges(&self, actor: &Actor) -> Result<Vec<Merge>, StoreError> {
        allowed(actor, Action::ReadCase)?;
        let mut tx = self.begin().await?;
        let rows: Vec<(String, String, String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, kept_id, merged_id, moved_cases, at, undone_at FROM person_merges WHERE org_id = $1 ORDER BY at DESC, id DESC LIMIT 100",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, kept, merged, moved, at, undone_at) in rows {
            out.push(Merge {
                id: parse_uuid(&id)?,
                kept_name: name_of(&mut tx, &kept).await?,
                kept_id: parse_uuid(&kept)?,
                merged_id: parse_uuid(&merged)?,
                moved_cases: moved
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(parse_uuid)
                    .collect::<Result<_, _>>()?,
                at,
                undone_at,
            });
        }
        tx.audit(actor.event(
            "merge.list",
            "organisation",
            Some(actor.org_id().to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// What a reader of the person may know of duplicates: a pending review in the
    /// organisation, a merge, and whether a partner may hold a record (nothing more).
    pub async fn person_link_status(
        &self,
        actor: &Actor,
        person_id: Uuid,
    ) -> Result<LinkStatus, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate(tx, actor, person_id, Action::ReadCase, "person.link_status").await?;
        let pid = person.key();
        let (pending,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM duplicate_candidates WHERE (person_id = $1 OR other_id = $1) AND status = 'open'",
        )
        .bind(&pid)
        .fetch_one(&mut *tx.tx)
        .await?;
        // Never through a shared case: only the holding organisation's side, as it may see it.
        let partner_may_hold = person.org_id() == actor.org_id()
            && partners::open_signal_seen(&mut tx, actor, &person).await?;
        let merged: Option<(Option<String>,)> =
            sqlx::query_as("SELECT merged_into FROM persons WHERE id = $1")
                .bind(&pid)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let (running,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM person_link_checks WHERE person_id = $1")
                .bind(&pid)
                .fetch_one(&mut *tx.tx)
                .await?;
        tx.audit(actor.event("person.link_status", "person", Some(pid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(LinkStatus {
            pending_review: pending > 0,
            merged_into: merged
                .and_then(|m| m.0)
                .map(|m| parse_uuid(&m))
                .transpose()?,
            partner_may_hold,
            duplicate_check_running: running > 0,
        })
    }
}
