//! Transfers: the case itself moves to another organisation (a hotline hands over to the
//! shelter). A caseworker or supervisor of the owning organisation proposes it; a caseworker or
//! supervisor of the receiving organisation accepts or declines it.
//!
//! Order of refusals when proposing, none of which writes anything but its audit row: the
//! proposer may not change the case (not found) or is not a
//! caseworker or supervisor (forbidden); an organisation that does not exist (not found) or is
//! the case's own (`own_organisation`); immigration enforcement (the firewall); the person's
//! international protection needs (`check_reach`); no basis covering the receiving organisation
//! (`core::referrals::covering`, `consent_required`, cross-border included); a closed case
//! (`case_closed`); a case already in a pending transfer (`transfer_pending`); a person with
//! other cases at the sender (`person_has_other_cases`: the person moves with the case, and a
//! person is held by one organisation, so the sender first transfers or closes those — the
//! safer choice than copying the person).
//!
//! While the transfer is pending the receiver reads only a sealed snapshot taken at proposal
//! (name, languages, needs) and the reason: never the live case. Acceptance moves the case in
//! one transaction: the case, its person, its tasks, screenings and approvals get the
//! receiver's organisation; the case is assigned to the user who accepted (a caseworker reads
//! the cases assigned to them) and the open tasks' assignees (sender users) are cleared; a
//! share of the case with the receiver ends (it owns the case now); an open likely-duplicate
//! pair of the person leaves the sender's queue (`transferred`). The sender keeps the transfer
//! row as a read-only stub (when, to whom, status, and the outcome the receiver records when it
//! closes the transfer with [`Store::close_transfer`]); its reads of the case and the person
//! answer not found, like any outsider's. Partner signals about the person are left as they
//! were: they are read through the person, which the sender no longer reaches.
//!
//! The consent that covered the transfer is kept with it. Withdrawing any consent of the person
//! while a transfer is pending checks the covering rule again in the withdrawal's transaction
//! ([`end_transfers_on`]): a transfer it no longer covers (its referral consent, or the
//! cross-border basis a receiver abroad needs) ends `withdrawn`; acceptance checks the rule once
//! more. A protection need recorded after the proposal concerning the receiver's country makes
//! the transfer read, for that receiver, as one that does not exist, and acceptance is refused.

use super::gate_write;
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::{ConsentPurpose, LegalBasis};
use passage_core::policy::DenyReason;
use passage_core::referrals::{BasisInForce, Receiver, covering};
use passage_core::transfers::{TransferStatus, may_move};
use passage_core::{CaseStatus, ErrorCode, OrgKind, Role};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::Row;
use uuid::Uuid;

pub use super::referrals::Direction;

/// A transfer to propose.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub to_organisation_id: Uuid,
    pub reason: String,
    pub note: Option<String>,
}

/// A transfer as its reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    pub id: Uuid,
    /// For the sender; for the receiver only once it accepted (the case is then its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,
    pub from_organisation_id: Uuid,
    pub from_organisation_name: String,
    pub to_organisation_id: Uuid,
    pub to_organisation_name: String,
    pub status: TransferStatus,
    pub reason: String,
    pub note: Option<String>,
    /// What the receiver reads before answering (name, languages, needs): only for the
    /// receiver, only while the transfer is pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Value>,
    /// The decline's reason.
    pub answer: Option<String>,
    /// The outcome the receiver recorded when it closed the transfer.
    pub outcome: Option<String>,
    pub proposed_at: i64,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
}

fn rule(code: ErrorCode, message: &str) -> StoreError {
    StoreError::Rule {
        code,
        message: message.to_string(),
    }
}

fn outcome_of(err: &StoreError) -> &'static str {
    match err {
        StoreError::Rule { code, .. } => code.as_str(),
        StoreError::Forbidden(DenyReason::ImmigrationFirewall) => "immigration_firewall",
        StoreError::Forbidden(_) => "denied",
        StoreError::Invalid(_) => "invalid",
        _ => "not_found",
    }
}

async fn refuse(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    id: String,
    err: StoreError,
) -> StoreError {
    let outcome = outcome_of(&err);
    let done = async {
        tx.audit(actor.event(action, "case", Some(id), outcome))
            .await?;
        tx.commit().await
    }
    .await;
    match done {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// Whether the actor handles cases: a caseworker or a supervisor.
fn handles_cases(actor: &Actor) -> bool {
    actor
        .principal()
        .roles
        .iter()
        .any(|r| matches!(r, Role::Caseworker | Role::Supervisor))
}

/// The bases in force for the person, with their ids, as the covering rule reads them.
async fn bases_in_force(
    tx: &mut Tx,
    person_id: &str,
) -> Result<(Vec<BasisInForce>, Vec<String>), StoreError> {
    let rows = sqlx::query(
        "SELECT id, purpose, organisation_id, basis, reason FROM consents \
         WHERE person_id = $1 AND withdrawn_at IS NULL ORDER BY given_at, id",
    )
    .bind(person_id)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut bases = Vec::with_capacity(rows.len());
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let (Some(purpose), Some(basis)) = (
            ConsentPurpose::parse(&r.try_get::<String, _>("purpose")?),
            LegalBasis::parse(&r.try_get::<String, _>("basis")?),
        ) else {
            return Err(StoreError::Corrupt("consent"));
        };
        let organisation_id = r
            .try_get::<Option<String>, _>("organisation_id")?
            .map(|o| parse_uuid(&o))
            .transpose()?;
        let reason = r
            .try_get::<Option<Vec<u8>>, _>("reason")?
            .map(|sealed| tx.keys.open_str(Field::ConsentReason, &id, &sealed))
            .transpose()?;
        bases.push(BasisInForce {
            purpose,
            organisation_id,
            basis,
            reason,
        });
        ids.push(id);
    }
    Ok((bases, ids))
}

/// The covering basis for moving the person from `from` to `to`: its id, or the refusal.
async fn covering_basis(
    tx: &mut Tx,
    person_id: &str,
    from: Uuid,
    to: Uuid,
) -> Result<Option<String>, StoreError> {
    let orgs: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, kind, country FROM organisations WHERE id = $1 OR id = $2")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
    let find = |id: Uuid| orgs.iter().find(|(o, _, _)| *o == id.to_string());
    let (Some((_, _, from_country)), Some((_, kind, to_country))) = (find(from), find(to)) else {
        return Err(StoreError::NotFound);
    };
    let kind = OrgKind::parse(kind).ok_or(StoreError::Corrupt("organisation kind"))?;
    let receiver = Receiver {
        organisation_id: to,
        kind,
        cross_border: from_country != to_country,
    };
    let (bases, ids) = bases_in_force(tx, person_id).await?;
    match covering(&bases, receiver) {
        Ok(b) => Ok(bases
            .iter()
            .position(|x| std::ptr::eq(x, b))
            .and_then(|i| ids.get(i).cloned())),
        Err(r) if r.code == ErrorCode::ImmigrationFirewall => {
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        }
        Err(r) => Err(rule(r.code, r.message)),
    }
}

/// Whether the person has a case other than `case_id`.
async fn has_other_cases(tx: &mut Tx, person_id: &str, case_id: &str) -> Result<bool, StoreError> {
    let other: Option<(String,)> =
        sqlx::query_as("SELECT id FROM cases WHERE person_id = $1 AND id <> $2 LIMIT 1")
            .bind(person_id)
            .bind(case_id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    Ok(other.is_some())
}

/// Every rule a proposal keeps, in the order of the module documentation; the covering
/// consent's id when it passes.
async fn proposal_checks(
    tx: &mut Tx,
    actor: &Actor,
    case: &super::CaseAccess,
    to: Uuid,
) -> Result<Option<String>, StoreError> {
    if case.org_id() != actor.org_id() {
        return Err(StoreError::NotFound);
    }
    if !handles_cases(actor) {
        return Err(StoreError::Forbidden(DenyReason::NoGrant));
    }
    let kind: Option<(String,)> = sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
        .bind(to.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
    let Some((kind,)) = kind else {
        return Err(StoreError::NotFound);
    };
    if to == case.org_id() {
        return Err(rule(
            ErrorCode::OwnOrganisation,
            "the case already belongs to this organisation",
        ));
    }
    if OrgKind::parse(&kind) == Some(OrgKind::ImmigrationEnforcement) {
        return Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall));
    }
    super::protection::check_reach(tx, case, to).await?;
    let person = case.person_id().to_string();
    let consent = covering_basis(tx, &person, case.org_id(), to).await?;
    if case.status() == CaseStatus::Closed {
        return Err(rule(
            ErrorCode::CaseClosed,
            "a closed case is not transferred",
        ));
    }
    let pending: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM case_transfers WHERE case_id = $1 AND status = 'pending' LIMIT 1",
    )
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    if pending.is_some() {
        return Err(rule(
            ErrorCode::TransferPending,
            "this case is already waiting for an answer to a transfer",
        ));
    }
    if has_other_cases(tx, &person, &case.key()).await? {
        return Err(rule(
            ErrorCode::PersonHasOtherCases,
            "the person has other cases here: transfer or close those first",
        ));
    }
    Ok(consent)
}

/// Ends, in a consent's withdrawal transaction, every pending transfer of the person's cases
/// that the covering rule no longer allows (the referral consent it rested on, or the
/// cross-border basis a receiver abroad needed): each becomes `withdrawn`, audited as
/// `transfer.withdrawn`. An accepted transfer has moved the case already and stays as it is.
pub(crate) async fn end_transfers_on(
    tx: &mut Tx,
    actor: &Actor,
    consent: &str,
) -> Result<(), StoreError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.id, c.person_id, t.from_org, t.to_org FROM case_transfers t \
         JOIN cases c ON c.id = t.case_id \
         WHERE t.status = 'pending' AND c.person_id = (SELECT person_id FROM consents WHERE id = $1) \
         ORDER BY t.id",
    )
    .bind(consent)
    .fetch_all(&mut *tx.tx)
    .await?;
    for (id, person, from, to) in rows {
        let covered = covering_basis(tx, &person, parse_uuid(&from)?, parse_uuid(&to)?).await;
        match covered {
            Ok(_) => continue,
            Err(StoreError::Rule { .. } | StoreError::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
        sqlx::query(
            "UPDATE case_transfers SET status = 'withdrawn', version = version + 1 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(&id)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(
            "transfer.withdrawn",
            "transfer",
            Some(id),
            "consent_withdrawn",
        ))
        .await?;
    }
    Ok(())
}

/// Whether the receiving organisation `reader` may no longer see transfer rows of this case:
/// the person has international protection needs concerning its country (recorded after the
/// proposal). Such a transfer reads, for the receiver, as one that does not exist.
async fn receiver_refused(
    tx: &mut Tx,
    r: &sqlx::any::AnyRow,
    reader: Uuid,
) -> Result<bool, StoreError> {
    if r.try_get::<String, _>("to_org")? != reader.to_string() {
        return Ok(false);
    }
    let case_id = parse_uuid(&r.try_get::<String, _>("case_id")?)?;
    super::protection::reader_refused(tx, case_id, reader).await
}

const SELECT: &str = "SELECT t.id, t.case_id, t.from_org, f.name AS from_name, t.to_org, \
     o.name AS to_name, t.status, t.reason, t.note, t.snapshot, t.answer, t.outcome, \
     t.proposed_at, t.answered_at, t.closed_at FROM case_transfers t \
     JOIN organisations f ON f.id = t.from_org JOIN organisations o ON o.id = t.to_org";

/// Who may read a transfer: the sender's organisation always (its stub), the receiver's
/// unless it was withdrawn before an answer.
const READABLE: &str = "(t.from_org = $1 OR (t.to_org = $1 AND t.status <> 'withdrawn'))";

fn from_row(tx: &Tx, r: &sqlx::any::AnyRow, reader: Uuid) -> Result<Transfer, StoreError> {
    let id: String = r.try_get("id")?;
    let from = parse_uuid(&r.try_get::<String, _>("from_org")?)?;
    let status = TransferStatus::parse(&r.try_get::<String, _>("status")?)
        .ok_or(StoreError::Corrupt("transfer status"))?;
    let sender = from == reader;
    let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
        match r.try_get::<Option<Vec<u8>>, _>(col)? {
            Some(sealed) => Ok(Some(tx.keys.open_str(field, &id, &sealed)?)),
            None => Ok(None),
        }
    };
    let person = if !sender && status == TransferStatus::Pending {
        match open(Field::TransferSnapshot, "snapshot")? {
            Some(text) => Some(
                serde_json::from_str(&text)
                    .map_err(|_| StoreError::Corrupt("transfer snapshot"))?,
            ),
            None => None,
        }
    } else {
        None
    };
    let case_visible =
        sender || matches!(status, TransferStatus::Accepted | TransferStatus::Closed);
    Ok(Transfer {
        id: parse_uuid(&id)?,
        case_id: if case_visible {
            Some(parse_uuid(&r.try_get::<String, _>("case_id")?)?)
        } else {
            None
        },
        from_organisation_id: from,
        from_organisation_name: r.try_get("from_name")?,
        to_organisation_id: parse_uuid(&r.try_get::<String, _>("to_org")?)?,
        to_organisation_name: r.try_get("to_name")?,
        status,
        reason: open(Field::TransferReason, "reason")?.unwrap_or_default(),
        note: open(Field::TransferNote, "note")?,
        person,
        answer: open(Field::TransferAnswer, "answer")?,
        outcome: open(Field::TransferOutcome, "outcome")?,
        proposed_at: r.try_get("proposed_at")?,
        answered_at: r.try_get("answered_at")?,
        closed_at: r.try_get("closed_at")?,
    })
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// An organisation that may receive a transfer, for the form's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferTarget {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
}

impl Store {
    /// Proposes moving a case to another organisation; returns the transfer's id.
    pub async fn propose_transfer(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewTransfer,
    ) -> Result<Uuid, StoreError> {
        let action = "transfer.create";
        let Some(reason) = trimmed(Some(&new.reason)) else {
            return Err(StoreError::invalid(
                "reason",
                ErrorCode::Required,
                "say why the case is transferred",
            ));
        };
        let note = trimmed(new.note.as_deref());
        let to = new.to_organisation_id;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, action).await?;
        if let Err(e) = proposal_checks(&mut tx, actor, &case, to).await {
            return Err(refuse(tx, actor, action, case.key(), e).await);
        }
        tx.commit().await?;
        // What the receiver reads before answering, read through the sender's own access.
        let person = self.person_details(actor, case.person_id()).await?;
        let needs = self.list_needs(actor, case_id).await?;
        let snapshot = json!({
            "name": format!("{} {}", person.given_name, person.family_name),
            "languages": person.languages,
            "needs": needs
                .iter()
                .map(|n| json!({"domain": n.domain, "urgency": n.urgency, "met": n.met}))
                .collect::<Vec<_>>(),
        })
        .to_string();
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, action).await?;
        let consent = match proposal_checks(&mut tx, actor, &case, to).await {
            Ok(c) => c,
            Err(e) => return Err(refuse(tx, actor, action, case.key(), e).await),
        };
        let id = Uuid::now_v7();
        let rid = id.to_string();
        let sealed_reason = tx.keys.seal_str(Field::TransferReason, &rid, &reason)?;
        let sealed_note = note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::TransferNote, &rid, n))
            .transpose()?;
        let sealed_snapshot = tx.keys.seal_str(Field::TransferSnapshot, &rid, &snapshot)?;
        sqlx::query(
            "INSERT INTO case_transfers (id, case_id, from_org, to_org, consent_id, reason, note, \
             snapshot, status, proposed_by, proposed_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, 1)",
        )
        .bind(&rid)
        .bind(case.key())
        .bind(case.org_id().to_string())
        .bind(to.to_string())
        .bind(consent)
        .bind(sealed_reason)
        .bind(sealed_note)
        .bind(sealed_snapshot)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "transfer", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The organisations a case may be proposed to: every one but the reader's own and
    /// immigration enforcement, by name. (The consent and protection rules are checked when
    /// proposing.)
    pub async fn transfer_targets(&self, actor: &Actor) -> Result<Vec<TransferTarget>, StoreError> {
        if !handles_cases(actor) {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, name, kind FROM organisations WHERE id <> $1 AND kind <> 'immigration_enforcement' \
             ORDER BY name, id",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, name, kind)| {
                Ok(TransferTarget {
                    id: parse_uuid(&id)?,
                    name,
                    kind: OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?,
                })
            })
            .collect()
    }

    /// The transfers of the reader's organisation, newest first: incoming (to it; not those
    /// withdrawn before an answer) or outgoing (from it, the stubs included).
    pub async fn list_transfers(
        &self,
        actor: &Actor,
        direction: Direction,
    ) -> Result<Vec<Transfer>, StoreError> {
        if !handles_cases(actor) {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let filter = match direction {
            Direction::Incoming => " WHERE t.to_org = $1 AND t.status <> 'withdrawn'",
            Direction::Outgoing => " WHERE t.from_org = $1",
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT}{filter} ORDER BY t.proposed_at DESC, t.id"
        )))
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.load_keys_in_rows(&rows, &["snapshot", "reason", "note", "answer", "outcome"])
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            if !receiver_refused(&mut tx, r, actor.org_id()).await? {
                out.push(from_row(&tx, r, actor.org_id())?);
            }
        }
        tx.audit(actor.event("transfer.list", "transfer", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One transfer: the sender reads its stub; the receiver the minimal view while it is
    /// pending and the case's id once it accepted; anyone else: not found.
    pub async fn transfer(&self, actor: &Actor, id: Uuid) -> Result<Transfer, StoreError> {
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row = if handles_cases(actor) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE t.id = $2 AND {READABLE}"
            )))
            .bind(actor.org_id().to_string())
            .bind(&rid)
            .fetch_optional(&mut *tx.tx)
            .await?
        } else {
            None
        };
        let row = match row {
            Some(r) if !receiver_refused(&mut tx, &r, actor.org_id()).await? => Some(r),
            _ => None,
        };
        let Some(row) = row else {
            tx.audit(actor.event("transfer.read", "transfer", Some(rid), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        tx.load_keys_in_rows(
            std::slice::from_ref(&row),
            &["snapshot", "reason", "note", "answer", "outcome"],
        )
        .await?;
        let out = from_row(&tx, &row, actor.org_id())?;
        tx.audit(actor.event("transfer.read", "transfer", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The receiver's pending transfer `id` with its case and person, or not found (audited).
    async fn incoming(
        &self,
        actor: &Actor,
        id: Uuid,
        action: &str,
    ) -> Result<(Tx, TransferStatus, String, String), StoreError> {
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row: Option<(String, String, String)> = if handles_cases(actor) {
            sqlx::query_as(
                "SELECT t.status, t.case_id, t.from_org FROM case_transfers t \
                 WHERE t.id = $1 AND t.to_org = $2 AND t.status <> 'withdrawn'",
            )
            .bind(&rid)
            .bind(actor.org_id().to_string())
            .fetch_optional(&mut *tx.tx)
            .await?
        } else {
            None
        };
        let row = match row {
            Some(r)
                if !super::protection::reader_refused(
                    &mut tx,
                    parse_uuid(&r.1)?,
                    actor.org_id(),
                )
                .await? =>
            {
                Some(r)
            }
            _ => None,
        };
        let Some((status, case_id, from_org)) = row else {
            tx.audit(actor.event(action, "transfer", Some(rid), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let status =
            TransferStatus::parse(&status).ok_or(StoreError::Corrupt("transfer status"))?;
        Ok((tx, status, case_id, from_org))
    }

    /// The receiver accepts a pending transfer: the case moves to its organisation in this
    /// transaction (see the module documentation). Of two acceptances at once, one wins; the
    /// other is refused `transition_not_allowed`.
    pub async fn accept_transfer(&self, actor: &Actor, id: Uuid) -> Result<(), StoreError> {
        let action = "transfer.accept";
        let (mut tx, status, case_id, from_org) = self.incoming(actor, id, action).await?;
        let rid = id.to_string();
        let to_org = actor.org_id();
        let refusal = if !may_move(status, TransferStatus::Accepted) {
            Some(rule(
                ErrorCode::TransitionNotAllowed,
                "this transfer has been answered already",
            ))
        } else {
            let case: Option<(String, String, String)> =
                sqlx::query_as("SELECT person_id, org_id, status FROM cases WHERE id = $1")
                    .bind(&case_id)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            let Some((person_id, owner, case_status)) = case else {
                return Err(StoreError::Corrupt("transfer case"));
            };
            if owner != from_org {
                Some(rule(
                    ErrorCode::TransitionNotAllowed,
                    "the case is no longer the sender's",
                ))
            } else if case_status == CaseStatus::Closed.as_str() {
                Some(rule(ErrorCode::CaseClosed, "the case was closed meanwhile"))
            } else if has_other_cases(&mut tx, &person_id, &case_id).await? {
                Some(rule(
                    ErrorCode::PersonHasOtherCases,
                    "the person has another case at the sender now",
                ))
            } else {
                match covering_basis(&mut tx, &person_id, parse_uuid(&from_org)?, to_org).await {
                    Ok(_) => None,
                    Err(e) => {
                        // The basis is gone: the transfer ends here.
                        sqlx::query(
                            "UPDATE case_transfers SET status = 'withdrawn', version = version + 1 \
                             WHERE id = $1 AND status = 'pending'",
                        )
                        .bind(&rid)
                        .execute(&mut *tx.tx)
                        .await?;
                        Some(e)
                    }
                }
            }
        };
        if let Some(err) = refusal {
            tx.audit(actor.event(action, "transfer", Some(rid), outcome_of(&err)))
                .await?;
            tx.commit().await?;
            return Err(err);
        }
        let moved = sqlx::query(
            "UPDATE case_transfers SET status = 'accepted', answered_by = $1, answered_at = $2, \
             version = version + 1 WHERE id = $3 AND status = 'pending'",
        )
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&rid)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        let case_moved = if moved == 1 {
            sqlx::query(
                "UPDATE cases SET org_id = $1, assigned_to = $5, version = version + 1, \
                 updated_at = $2 WHERE id = $3 AND org_id = $4",
            )
            .bind(to_org.to_string())
            .bind(tx.now)
            .bind(&case_id)
            .bind(&from_org)
            .bind(actor.user_id().to_string())
            .execute(&mut *tx.tx)
            .await?
            .rows_affected()
        } else {
            0
        };
        if case_moved != 1 {
            drop(tx);
            let mut tx = self.begin().await?;
            tx.audit(actor.event(action, "transfer", Some(rid), "transition_not_allowed"))
                .await?;
            tx.commit().await?;
            return Err(rule(
                ErrorCode::TransitionNotAllowed,
                "this transfer has been answered already",
            ));
        }
        let to = to_org.to_string();
        sqlx::query(
            "UPDATE persons SET org_id = $1, version = version + 1 \
             WHERE id = (SELECT person_id FROM cases WHERE id = $2)",
        )
        .bind(&to)
        .bind(&case_id)
        .execute(&mut *tx.tx)
        .await?;
        for statement in [
            "UPDATE tasks SET org_id = $1, version = version + 1 WHERE case_id = $2",
            "UPDATE screenings SET org_id = $1 WHERE case_id = $2",
            "UPDATE approvals SET org_id = $1 WHERE case_id = $2",
        ] {
            sqlx::query(statement)
                .bind(&to)
                .bind(&case_id)
                .execute(&mut *tx.tx)
                .await?;
        }
        // A likely-duplicate pair in the sender's queue would name the person it no longer
        // holds: an open pair of the moved person leaves every queue.
        sqlx::query(
            "UPDATE duplicate_candidates SET status = 'transferred' WHERE status = 'open' \
             AND (person_id = (SELECT person_id FROM cases WHERE id = $1) \
             OR other_id = (SELECT person_id FROM cases WHERE id = $1))",
        )
        .bind(&case_id)
        .execute(&mut *tx.tx)
        .await?;
        sqlx::query("UPDATE tasks SET assigned_to = NULL WHERE case_id = $1 AND done_at IS NULL")
            .bind(&case_id)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(actor.event("case.transferred", "case", Some(case_id), "ok"))
            .await?;
        tx.audit(actor.event(action, "transfer", Some(rid), "accepted"))
            .await?;
        tx.commit().await
    }

    /// The receiver declines a pending transfer, with a reason the sender reads. The case stays
    /// where it is.
    pub async fn decline_transfer(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.end_transfer(actor, id, TransferStatus::Declined, reason)
            .await
    }

    /// The receiver records the outcome of a transfer it accepted; the sender reads it on its
    /// stub, and the transfer is closed.
    pub async fn close_transfer(
        &self,
        actor: &Actor,
        id: Uuid,
        outcome: &str,
    ) -> Result<(), StoreError> {
        self.end_transfer(actor, id, TransferStatus::Closed, outcome)
            .await
    }

    async fn end_transfer(
        &self,
        actor: &Actor,
        id: Uuid,
        to: TransferStatus,
        text: &str,
    ) -> Result<(), StoreError> {
        let (action, field, column, time) = match to {
            TransferStatus::Closed => (
                "transfer.close",
                Field::TransferOutcome,
                "outcome",
                "closed_at",
            ),
            _ => (
                "transfer.decline",
                Field::TransferAnswer,
                "answer",
                "answered_at",
            ),
        };
        let (mut tx, from, _, _) = self.incoming(actor, id, action).await?;
        let rid = id.to_string();
        let text = trimmed(Some(text));
        let refusal = if !may_move(from, to) {
            Some(rule(
                ErrorCode::TransitionNotAllowed,
                "this transfer cannot move that way",
            ))
        } else if text.is_none() {
            Some(StoreError::invalid(
                if to == TransferStatus::Closed {
                    "outcome"
                } else {
                    "reason"
                },
                ErrorCode::Required,
                "say what happened",
            ))
        } else {
            None
        };
        if let Some(err) = refusal {
            tx.audit(actor.event(action, "transfer", Some(rid), outcome_of(&err)))
                .await?;
            tx.commit().await?;
            return Err(err);
        }
        // The receiver reached the transfer without the case's gate: its words go under the
        // key of the person the case is about.
        tx.seal_as_owner_of(field, &rid).await?;
        let sealed = tx
            .keys
            .seal_str(field, &rid, text.as_deref().unwrap_or_default())?;
        let by = if to == TransferStatus::Closed {
            ""
        } else {
            ", answered_by = $5"
        };
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE case_transfers SET status = $1, {column} = $2, {time} = $3{by}, \
             version = version + 1 WHERE id = $4 AND status = '{}'",
            from.as_str()
        )));
        let mut done = done.bind(to.as_str()).bind(sealed).bind(tx.now).bind(&rid);
        if to != TransferStatus::Closed {
            done = done.bind(actor.user_id().to_string());
        }
        let moved = done.execute(&mut *tx.tx).await?.rows_affected();
        if moved == 0 {
            drop(tx);
            return Err(rule(
                ErrorCode::TransitionNotAllowed,
                "this transfer has been answered already",
            ));
        }
        tx.audit(actor.event(action, "transfer", Some(rid), to.as_str()))
            .await?;
        tx.commit().await
    }
}
