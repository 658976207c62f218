//! Referrals: a case's organisation asks a service of another organisation to work with the
//! person. The case does not move and the receiver never reads it: at sending, the chosen
//! fields (`core::referrals::shared_fields`) are copied into a sealed snapshot
//! (`referrals.snapshot`), and that snapshot is all the receiver reads.
//!
//! Order of refusals when sending, none of which writes anything but its audit row: a service
//! that does not exist (not found), a service of immigration enforcement (the firewall), the
//! person's international protection needs (`check_reach`), no basis covering the receiving
//! organisation (`core::referrals::covering`, `consent_required`), a full service
//! (`service_full`).
//!
//! The consent that covered a referral is kept with it. Withdrawing it ends the referral in
//! the withdrawal's transaction ([`end_referrals_on`]): it becomes `withdrawn`, a place it took
//! is given back, and the receiver's next read answers as for a referral that does not exist.
//! What the receiver keeps after a withdrawal is only what it copied into a case of its own;
//! the snapshot stays sealed in the referrer's history.

use super::gate_write;
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::{ConsentPurpose, LegalBasis};
use passage_core::policy::DenyReason;
use passage_core::referrals::{
    BasisInForce, Receiver, ReferralStatus, ShareField, answer_due, covering, may_move,
    shared_fields,
};
use passage_core::{ErrorCode, OrgKind};
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::Row;
use uuid::Uuid;

/// Hours within which a receiver is asked to answer a referral.
pub const ANSWER_HOURS: u32 = 72;

/// A referral to send.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub service_id: Uuid,
    pub purpose: ConsentPurpose,
    pub shared_fields: Vec<ShareField>,
    pub note: Option<String>,
    /// The international protection need of the case the referral is made for (an asylum
    /// procedure, a refugee agency): it must be a need of this case, in force.
    pub protection_need_id: Option<Uuid>,
}

/// Which referrals to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To services of the reader's organisation.
    Incoming,
    /// From cases of the reader's organisation.
    Outgoing,
}

/// A referral as its reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referral {
    pub id: Uuid,
    /// Only for the referrer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,
    pub service_id: Uuid,
    pub service_name: String,
    pub from_organisation_id: Uuid,
    pub from_organisation_name: String,
    pub to_organisation_id: Uuid,
    pub to_organisation_name: String,
    pub purpose: ConsentPurpose,
    pub status: ReferralStatus,
    pub shared_fields: Vec<ShareField>,
    /// The shared values: only for the receiver (the referrer has the case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<Value>,
    pub note: Option<String>,
    /// The decline's reason, or the outcome the receiver closed it with.
    pub outcome: Option<String>,
    pub sent_at: i64,
    pub answer_due: i64,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// The receiver's own case opened from this referral: only for the receiver (the
    /// referrer never reads it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_case_id: Option<Uuid>,
    /// When the receiver lost access to it (only the referrer ever reads this: the receiver
    /// no longer reads the referral at all).
    pub access_ended_at: Option<i64>,
    /// Why: `consent_withdrawn` or `international_protection`.
    pub access_ended_reason: Option<String>,
}

/// Only staff who work with cases send, read and answer referrals: an analyst or an
/// administrator of the receiving organisation reads no snapshot, and immigration enforcement
/// nothing, whatever its roles (`case_list_scope` refuses it).
fn works_cases(actor: &Actor) -> Result<(), DenyReason> {
    passage_core::policy::case_list_scope(actor.principal()).map(|_| ())
}

fn rule(code: ErrorCode, message: &str) -> StoreError {
    StoreError::Rule {
        code,
        message: message.to_string(),
    }
}

async fn refuse(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    id: String,
    err: StoreError,
) -> StoreError {
    let outcome = match &err {
        StoreError::Rule { code, .. } => code.as_str(),
        StoreError::Forbidden(_) => "immigration_firewall",
        _ => "not_found",
    };
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

async fn bases_in_force(
    tx: &mut Tx,
    person_id: Uuid,
) -> Result<(Vec<BasisInForce>, Vec<String>), StoreError> {
    let rows = sqlx::query(
        "SELECT id, purpose, organisation_id, basis, reason FROM consents \
         WHERE person_id = $1 AND withdrawn_at IS NULL ORDER BY given_at, id",
    )
    .bind(person_id.to_string())
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
        let organisation_id = match r.try_get::<Option<String>, _>("organisation_id")? {
            Some(o) => Some(parse_uuid(&o)?),
            None => None,
        };
        let reason = match r.try_get::<Option<Vec<u8>>, _>("reason")? {
            Some(sealed) => Some(tx.keys.open_str(Field::ConsentReason, &id, &sealed)?),
            None => None,
        };
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

/// Ends, in a consent's withdrawal transaction, every referral that rested on it
/// ([`end_access`], `consent_withdrawn`).
pub(crate) async fn end_referrals_on(
    tx: &mut Tx,
    actor: &Actor,
    consent: &str,
) -> Result<(), StoreError> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM referrals WHERE consent_id = $1 AND access_ended_at IS NULL \
         AND status <> 'withdrawn' ORDER BY id",
    )
    .bind(consent)
    .fetch_all(&mut *tx.tx)
    .await?;
    for (id,) in ids {
        end_access(tx, actor, &id, "consent_withdrawn").await?;
    }
    Ok(())
}

/// Ends the receiver's access to a referral at once, whatever its status, because `why`
/// (`consent_withdrawn`, `international_protection`): one still open (`sent`, `accepted`)
/// becomes `withdrawn` and frees a place it took; one already answered keeps its status and
/// outcome for the referrer. From then the receiver's list, reads and answers pass it by as if
/// it did not exist (what it copied into its own case stays there, under its own basis); its
/// users are told in the inbox and by webhook, and the referrer sees when and why. Audited as
/// `referral.withdrawn` with `why` as the outcome.
pub(crate) async fn end_access(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    why: &str,
) -> Result<(), StoreError> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT status, service_id, place_taken FROM referrals WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((status, service, place_taken)) = row else {
        return Ok(());
    };
    let open =
        ReferralStatus::parse(&status).is_some_and(|s| may_move(s, ReferralStatus::Withdrawn));
    sqlx::query(
        "UPDATE referrals SET status = CASE WHEN $1 = 1 THEN 'withdrawn' ELSE status END, \
         place_taken = CASE WHEN $1 = 1 THEN 0 ELSE place_taken END, \
         access_ended_at = $2, access_ended_reason = $3, version = version + 1 WHERE id = $4",
    )
    .bind(i64::from(open))
    .bind(tx.now)
    .bind(why)
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    if open && place_taken != 0 {
        sqlx::query(
            "UPDATE directory_capacity SET free = free + 1, version = version + 1, updated_at = $1 \
             WHERE service_id = $2 AND free + 1 <= total",
        )
        .bind(tx.now)
        .bind(&service)
        .execute(&mut *tx.tx)
        .await?;
    }
    crate::notify::withdrawn(tx, id).await?;
    tx.audit(actor.event("referral.withdrawn", "referral", Some(id.to_string()), why))
        .await?;
    Ok(())
}

fn json<T: Serialize + ?Sized>(v: &T) -> Result<Value, StoreError> {
    serde_json::to_value(v).map_err(|_| StoreError::Corrupt("referral snapshot"))
}

fn snapshot_of(
    fields: &[ShareField],
    person: &super::person::PersonDetails,
    needs: &[super::needs::Need],
    case: &crate::cases::CaseView,
) -> Result<Map<String, Value>, StoreError> {
    let mut out = Map::new();
    for f in fields {
        let v = match f {
            ShareField::Name => {
                Value::String(format!("{} {}", person.given_name, person.family_name))
            }
            ShareField::Languages => json(&person.languages)?,
            ShareField::Sex => json(&person.sex)?,
            ShareField::DateOfBirth => json(&person.date_of_birth)?,
            ShareField::Citizenships => json(&person.citizenships)?,
            ShareField::Contacts => json(&person.contacts)?,
            ShareField::Needs => json(needs)?,
            ShareField::Vulnerabilities => json(&person.vulnerabilities)?,
            ShareField::MigrationStatus => json(&person.migration_status)?,
            ShareField::Summary => Value::String(case.summary.clone()),
            ShareField::CaseTypes => json(&case.types)?,
        };
        out.insert(f.as_str().to_string(), v);
    }
    Ok(out)
}

fn join(fields: &[ShareField]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn split(text: &str) -> Result<Vec<ShareField>, StoreError> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| ShareField::parse(s).ok_or(StoreError::Corrupt("referral shared field")))
        .collect()
}

const SELECT: &str = "SELECT r.id, r.case_id, r.from_org, r.service_id, s.name AS service_name, \
     r.to_org, r.purpose, r.shared_fields, r.snapshot, r.note, r.status, r.outcome, r.sent_at, \
     r.answer_due, r.answered_at, r.closed_at, r.linked_case_id, r.access_ended_at, r.access_ended_reason, \
     fo.name AS from_name, \
     tor.name AS to_name FROM referrals r JOIN directory_services s ON s.id = r.service_id \
     JOIN organisations fo ON fo.id = r.from_org JOIN organisations tor ON tor.id = r.to_org";

fn from_row(tx: &Tx, r: &sqlx::any::AnyRow, reader: Uuid) -> Result<Referral, StoreError> {
    let id: String = r.try_get("id")?;
    let from = parse_uuid(&r.try_get::<String, _>("from_org")?)?;
    let referrer = from == reader;
    let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
        match r.try_get::<Option<Vec<u8>>, _>(col)? {
            Some(sealed) => Ok(Some(tx.keys.open_str(field, &id, &sealed)?)),
            None => Ok(None),
        }
    };
    let shared = if referrer {
        None
    } else {
        match open(Field::ReferralSnapshot, "snapshot")? {
            Some(text) => Some(
                serde_json::from_str(&text)
                    .map_err(|_| StoreError::Corrupt("referral snapshot"))?,
            ),
            None => None,
        }
    };
    Ok(Referral {
        id: parse_uuid(&id)?,
        case_id: if referrer {
            Some(parse_uuid(&r.try_get::<String, _>("case_id")?)?)
        } else {
            None
        },
        service_id: parse_uuid(&r.try_get::<String, _>("service_id")?)?,
        service_name: r.try_get("service_name")?,
        from_organisation_id: from,
        from_organisation_name: r.try_get("from_name")?,
        to_organisation_id: parse_uuid(&r.try_get::<String, _>("to_org")?)?,
        to_organisation_name: r.try_get("to_name")?,
        purpose: ConsentPurpose::parse(&r.try_get::<String, _>("purpose")?)
            .ok_or(StoreError::Corrupt("referral purpose"))?,
        status: ReferralStatus::parse(&r.try_get::<String, _>("status")?)
            .ok_or(StoreError::Corrupt("referral status"))?,
        shared_fields: split(&r.try_get::<String, _>("shared_fields")?)?,
        shared,
        note: open(Field::ReferralNote, "note")?,
        outcome: open(Field::ReferralOutcome, "outcome")?,
        sent_at: r.try_get("sent_at")?,
        answer_due: r.try_get("answer_due")?,
        answered_at: r.try_get("answered_at")?,
        closed_at: r.try_get("closed_at")?,
        linked_case_id: match r.try_get::<Option<String>, _>("linked_case_id")? {
            Some(c) if !referrer => Some(parse_uuid(&c)?),
            _ => None,
        },
        access_ended_at: r.try_get("access_ended_at")?,
        access_ended_reason: r.try_get("access_ended_reason")?,
    })
}

impl Store {
    /// Sends a referral from a case to a service of another organisation; returns its id.
    pub async fn create_referral(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewReferral,
    ) -> Result<Uuid, StoreError> {
        let note = new
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "referral.create").await?;
        let key = case.key();
        let service: Option<(String, String, String)> = sqlx::query_as(
            "SELECT s.org_id, o.kind, o.country FROM directory_services s \
             JOIN organisations o ON o.id = s.org_id WHERE s.id = $1",
        )
        .bind(new.service_id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((to_org, kind, to_country)) = service else {
            return Err(refuse(tx, actor, "referral.create", key, StoreError::NotFound).await);
        };
        let to_org = parse_uuid(&to_org)?;
        let kind = OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?;
        if kind == OrgKind::ImmigrationEnforcement {
            let err = StoreError::Forbidden(DenyReason::ImmigrationFirewall);
            return Err(refuse(tx, actor, "referral.create", key, err).await);
        }
        if let Err(e) = super::protection::check_reach(&mut tx, &case, to_org).await {
            return Err(refuse(tx, actor, "referral.create", key, e).await);
        }
        let from_country: Option<(String,)> =
            sqlx::query_as("SELECT country FROM organisations WHERE id = $1")
                .bind(case.org_id().to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        let cross_border = from_country.is_some_and(|(c,)| c != to_country);
        let (bases, ids) = bases_in_force(&mut tx, case.person_id()).await?;
        let receiver = Receiver {
            organisation_id: to_org,
            kind,
            cross_border,
        };
        let consent_id = match covering(&bases, receiver) {
            Ok(b) => bases
                .iter()
                .position(|x| std::ptr::eq(x, b))
                .and_then(|i| ids.get(i).cloned()),
            Err(r) => {
                let err = if r.code == ErrorCode::ImmigrationFirewall {
                    StoreError::Forbidden(DenyReason::ImmigrationFirewall)
                } else {
                    rule(r.code, r.message)
                };
                return Err(refuse(tx, actor, "referral.create", key, err).await);
            }
        };
        if new.purpose != ConsentPurpose::Referral {
            let err = rule(
                ErrorCode::ConsentRequired,
                "a referral rests on a referral basis",
            );
            return Err(refuse(tx, actor, "referral.create", key, err).await);
        }
        if let Some(need) = new.protection_need_id {
            let status: Option<(String,)> = sqlx::query_as(
                "SELECT status FROM protection_needs WHERE id = $1 AND case_id = $2",
            )
            .bind(need.to_string())
            .bind(&key)
            .fetch_optional(&mut *tx.tx)
            .await?;
            let err = match status {
                None => Some(StoreError::invalid(
                    "protection_need_id",
                    ErrorCode::InvalidValue,
                    "no such protection need on this case",
                )),
                Some((s,)) if s != "in_force" => Some(rule(
                    ErrorCode::ProtectionNeedEnded,
                    "the protection need has ended",
                )),
                Some(_) => None,
            };
            if let Some(err) = err {
                return Err(refuse(tx, actor, "referral.create", key, err).await);
            }
        }
        let full: Option<(i64,)> =
            sqlx::query_as("SELECT free FROM directory_capacity WHERE service_id = $1")
                .bind(new.service_id.to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if full.is_some_and(|(free,)| free <= 0) {
            let err = rule(ErrorCode::ServiceFull, "no place is free at this service");
            return Err(refuse(tx, actor, "referral.create", key, err).await);
        }
        let status_agreed = new.shared_fields.contains(&ShareField::MigrationStatus);
        let reads_status = !passage_core::casework::protection::is_state_authority(kind);
        let fields = shared_fields(&new.shared_fields, status_agreed, reads_status);
        // The values are read through the referrer's own access: the snapshot is never more
        // than the referrer may read (the migration status only when they may).
        tx.commit().await?;
        let person = self.person_details(actor, case.person_id()).await?;
        let needs = self.list_needs(actor, case_id).await?;
        let view = self.get_case(actor, case_id).await?;
        let mut snapshot = snapshot_of(&fields, &person, &needs, &view)?;
        // The permits are the migration status in another form: they go with it, and only
        // with it.
        if fields.contains(&ShareField::MigrationStatus) {
            match self.permits(actor, case_id).await {
                Ok(p) if !p.permits.is_empty() => {
                    snapshot.insert("permits".into(), super::permits::shared(&p));
                }
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        let snapshot = Value::Object(snapshot).to_string();
        let mut tx = self.begin().await?;
        // Between the checks above and this transaction the consent may have been withdrawn or
        // the last place taken: both are asked again here. The consent is confirmed by a
        // conditional write on its row, which holds that row until this transaction ends, so a
        // withdrawal running now waits for the referral and then ends it with the others.
        let still = match &consent_id {
            Some(c) => sqlx::query(
                "UPDATE consents SET withdrawn_at = withdrawn_at WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(c)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected(),
            None => 0,
        };
        if still == 0 {
            let err = rule(
                ErrorCode::ConsentRequired,
                "The consent covering this organisation was withdrawn just now.",
            );
            return Err(refuse(tx, actor, "referral.create", key, err).await);
        }
        let full: Option<(i64,)> =
            sqlx::query_as("SELECT free FROM directory_capacity WHERE service_id = $1")
                .bind(new.service_id.to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if full.is_some_and(|(free,)| free <= 0) {
            let err = rule(ErrorCode::ServiceFull, "no place is free at this service");
            return Err(refuse(tx, actor, "referral.create", key, err).await);
        }
        let id = Uuid::now_v7();
        let rid = id.to_string();
        // What is shared is the person's: under their key, so erasing them erases it.
        tx.seal_as_person(&case.person_id().to_string(), true)
            .await?;
        let sealed = tx.keys.seal_str(Field::ReferralSnapshot, &rid, &snapshot)?;
        let sealed_note = match &note {
            Some(n) => Some(tx.keys.seal_str(Field::ReferralNote, &rid, n)?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO referrals (id, case_id, from_org, service_id, to_org, purpose, consent_id, \
             shared_fields, snapshot, note, status, sent_by, sent_at, answer_due, place_taken, version, \
             protection_need_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'sent', $11, $12, $13, 0, 1, $14)",
        )
        .bind(&rid)
        .bind(&key)
        .bind(case.org_id().to_string())
        .bind(new.service_id.to_string())
        .bind(to_org.to_string())
        .bind(new.purpose.as_str())
        .bind(consent_id)
        .bind(join(&fields))
        .bind(sealed)
        .bind(sealed_note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(answer_due(tx.now, ANSWER_HOURS))
        .bind(new.protection_need_id.map(|n| n.to_string()))
        .execute(&mut *tx.tx)
        .await?;
        crate::notify::received(&mut tx, &rid).await?;
        tx.audit(actor.event("referral.create", "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The referrals of the reader's organisation, newest first.
    pub async fn list_referrals(
        &self,
        actor: &Actor,
        direction: Direction,
    ) -> Result<Vec<Referral>, StoreError> {
        let mut tx = self.begin().await?;
        if let Err(reason) = works_cases(actor) {
            let outcome = match reason {
                DenyReason::ImmigrationFirewall => "immigration_firewall",
                _ => "forbidden",
            };
            tx.audit(actor.event("referral.list", "referral", None, outcome))
                .await?;
            tx.commit().await?;
            return Err(StoreError::Forbidden(reason));
        }
        let filter = match direction {
            Direction::Incoming => {
                " WHERE r.to_org = $1 AND r.status <> 'withdrawn' AND r.access_ended_at IS NULL"
            }
            Direction::Outgoing => " WHERE r.from_org = $1",
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT}{filter} ORDER BY r.sent_at DESC, r.id"
        )))
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.load_keys_in_rows(&rows, &["snapshot", "note", "outcome"])
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(from_row(&tx, r, actor.org_id())?);
        }
        tx.audit(actor.event("referral.list", "referral", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One referral: the referrer sees it with its status; the receiver only what was shared,
    /// while the referral is not withdrawn; anyone else: not found.
    pub async fn referral(&self, actor: &Actor, id: Uuid) -> Result<Referral, StoreError> {
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.id = $1 AND (r.from_org = $2 OR (r.to_org = $2 AND r.status <> 'withdrawn' AND r.access_ended_at IS NULL))"
        )))
        .bind(&rid)
        .bind(actor.org_id().to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some(row) = row.filter(|_| works_cases(actor).is_ok()) else {
            tx.audit(actor.event("referral.read", "referral", Some(rid), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        tx.load_keys_in_rows(std::slice::from_ref(&row), &["snapshot", "note", "outcome"])
            .await?;
        let out = from_row(&tx, &row, actor.org_id())?;
        tx.audit(actor.event("referral.read", "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The receiver accepts (taking one place of a service that keeps its capacity, in the
    /// same conditional statement: of two accepting the last place, one wins and the other is
    /// refused `service_full`) or declines (with a reason).
    pub async fn answer_referral(
        &self,
        actor: &Actor,
        id: Uuid,
        to: ReferralStatus,
        reason: Option<String>,
    ) -> Result<(), StoreError> {
        let action = "referral.answer";
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT status, service_id FROM referrals WHERE id = $1 AND to_org = $2 \
             AND status <> 'withdrawn' AND access_ended_at IS NULL",
        )
        .bind(&rid)
        .bind(actor.org_id().to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((status, service)) = row.filter(|_| works_cases(actor).is_ok()) else {
            tx.audit(actor.event(action, "referral", Some(rid), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let from = ReferralStatus::parse(&status).ok_or(StoreError::Corrupt("referral status"))?;
        let reason = reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let refusal = if !matches!(to, ReferralStatus::Accepted | ReferralStatus::Declined)
            || !may_move(from, to)
        {
            Some(rule(
                ErrorCode::TransitionNotAllowed,
                "this referral has been answered already",
            ))
        } else if to == ReferralStatus::Declined && reason.is_none() {
            Some(StoreError::invalid(
                "reason",
                ErrorCode::Required,
                "say why the referral is declined",
            ))
        } else {
            None
        };
        if let Some(err) = refusal {
            let outcome = match &err {
                StoreError::Rule { code, .. } => code.as_str(),
                _ => "invalid",
            };
            tx.audit(actor.event(action, "referral", Some(rid), outcome))
                .await?;
            tx.commit().await?;
            return Err(err);
        }
        let mut place_taken = 0i64;
        if to == ReferralStatus::Accepted {
            let kept: Option<(i64,)> =
                sqlx::query_as("SELECT free FROM directory_capacity WHERE service_id = $1")
                    .bind(&service)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            if kept.is_some() {
                let took = sqlx::query(
                    "UPDATE directory_capacity SET free = free - 1, version = version + 1, \
                     updated_at = $1, updated_by = $2 WHERE service_id = $3 AND free >= 1",
                )
                .bind(tx.now)
                .bind(actor.user_id().to_string())
                .bind(&service)
                .execute(&mut *tx.tx)
                .await?
                .rows_affected();
                if took == 0 {
                    drop(tx);
                    let mut tx = self.begin().await?;
                    tx.audit(actor.event(action, "referral", Some(rid), "service_full"))
                        .await?;
                    tx.commit().await?;
                    return Err(rule(
                        ErrorCode::ServiceFull,
                        "no place is free at this service",
                    ));
                }
                place_taken = 1;
            }
        }
        tx.seal_as_owner_of(Field::ReferralOutcome, &rid).await?;
        let sealed = match &reason {
            Some(r) => Some(tx.keys.seal_str(Field::ReferralOutcome, &rid, r)?),
            None => None,
        };
        let moved = sqlx::query(
            "UPDATE referrals SET status = $1, outcome = $2, answered_by = $3, answered_at = $4, \
             place_taken = $5, version = version + 1 WHERE id = $6 AND status = $7",
        )
        .bind(to.as_str())
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(place_taken)
        .bind(&rid)
        .bind(from.as_str())
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        if moved == 0 {
            drop(tx);
            return Err(rule(
                ErrorCode::TransitionNotAllowed,
                "this referral has been answered already",
            ));
        }
        crate::notify::answered(&mut tx, &rid).await?;
        tx.audit(actor.event(action, "referral", Some(rid), to.as_str()))
            .await?;
        tx.commit().await
    }

    /// The referrals sent from one case, newest first, for the case's own organisation (read
    /// through the case's gate: anyone else is refused as for a case that does not exist).
    pub async fn case_referrals(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<Referral>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = super::gate(
            tx,
            actor,
            case_id,
            passage_core::Action::ReadCase,
            "referral.list",
        )
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.case_id = $1 AND r.from_org = $2 ORDER BY r.sent_at DESC, r.id"
        )))
        .bind(case.key())
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.load_keys_in_rows(&rows, &["snapshot", "note", "outcome"])
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(from_row(&tx, r, actor.org_id())?);
        }
        tx.audit(actor.event("referral.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The receiver opens a case of its own from an accepted referral: a new person and case in
    /// its organisation made from the shared snapshot only (never the referrer's live case).
    /// What it copies it then holds on its own basis, and keeps after a withdrawal. Once per
    /// referral (`already_linked`); only while accepted (`transition_not_allowed`).
    pub async fn open_case_from_referral(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Uuid, StoreError> {
        let action = "referral.open_case";
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row: Option<ToOpen> = sqlx::query_as(
            "SELECT status, linked_case_id, snapshot, note FROM referrals \
             WHERE id = $1 AND to_org = $2 AND status <> 'withdrawn' \
             AND access_ended_at IS NULL",
        )
        .bind(&rid)
        .bind(actor.org_id().to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((status, linked, snapshot, note)) = row.filter(|_| works_cases(actor).is_ok())
        else {
            tx.audit(actor.event(action, "referral", Some(rid), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let opens = passage_core::policy::decide(
            actor.principal(),
            passage_core::Action::CreateCase,
            passage_core::Relation::Own,
        );
        let refusal = if let passage_core::policy::Decision::Deny(reason) = opens {
            Some(StoreError::Forbidden(reason))
        } else if linked.is_some() {
            Some(rule(
                ErrorCode::AlreadyLinked,
                "a case was opened from this referral already",
            ))
        } else if status != ReferralStatus::Accepted.as_str() {
            Some(rule(
                ErrorCode::TransitionNotAllowed,
                "accept the referral before opening a case from it",
            ))
        } else {
            None
        };
        if let Some(err) = refusal {
            let outcome = match &err {
                StoreError::Rule { code, .. } => code.as_str(),
                _ => "forbidden",
            };
            tx.audit(actor.event(action, "referral", Some(rid), outcome))
                .await?;
            tx.commit().await?;
            return Err(err);
        }
        // What was shared is under the referring case's person's key: loaded if another
        // server made it since this one started.
        if let Some(sender) = tx.owner_of(Field::ReferralSnapshot, &rid).await? {
            tx.load_person_keys(&[sender]).await?;
        }
        let text = tx.keys.open_str(Field::ReferralSnapshot, &rid, &snapshot)?;
        let shared: Map<String, Value> =
            serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("referral snapshot"))?;
        let note = match note {
            Some(sealed) => Some(tx.keys.open_str(Field::ReferralNote, &rid, &sealed)?),
            None => None,
        };
        let from = Copied::of(&shared, note, tx.now);
        let person_id = crate::cases::insert_person(&mut tx, actor, from.person).await?;
        if !from.languages.is_empty() {
            let pid = person_id.to_string();
            let pk = tx.person_key_for_write(&pid).await?;
            let sealed = tx.keys.seal_str_for(
                &pk,
                Field::PersonLanguages,
                &pid,
                &passage_core::casework::person::encode_codes(&from.languages),
            )?;
            sqlx::query("UPDATE persons SET languages = $1 WHERE id = $2")
                .bind(sealed)
                .bind(&pid)
                .execute(&mut *tx.tx)
                .await?;
        }
        let case_id = crate::cases::insert_case(
            &mut tx,
            actor,
            passage_core::records::NewCase {
                person_id,
                types: from.types,
                stage: passage_core::Stage::Destination,
                summary: from.summary,
            },
        )
        .await?;
        let linked = sqlx::query(
            "UPDATE referrals SET linked_case_id = $1, version = version + 1 \
             WHERE id = $2 AND status = 'accepted' AND linked_case_id IS NULL",
        )
        .bind(case_id.to_string())
        .bind(&rid)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        if linked == 0 {
            drop(tx);
            return Err(rule(
                ErrorCode::AlreadyLinked,
                "a case was opened from this referral already",
            ));
        }
        tx.audit(actor.event(action, "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(case_id)
    }

    /// The receiver closes an accepted referral with its outcome, which the referrer reads; a
    /// place the acceptance took is given back in the same transaction.
    pub async fn close_referral(
        &self,
        actor: &Actor,
        id: Uuid,
        outcome: &str,
    ) -> Result<(), StoreError> {
        let action = "referral.close";
        let mut tx = self.begin().await?;
        let rid = id.to_string();
        let row: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT status, service_id, place_taken FROM referrals WHERE id = $1 AND to_org = $2 \
             AND status <> 'withdrawn' AND access_ended_at IS NULL",
        )
        .bind(&rid)
        .bind(actor.org_id().to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((status, service, place_taken)) = row.filter(|_| works_cases(actor).is_ok())
        else {
            tx.audit(actor.event(action, "referral", Some(rid), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let from = ReferralStatus::parse(&status).ok_or(StoreError::Corrupt("referral status"))?;
        let outcome = outcome.trim();
        let refusal = if !may_move(from, ReferralStatus::Closed) {
            Some(rule(
                ErrorCode::TransitionNotAllowed,
                "only an accepted referral can be closed",
            ))
        } else if outcome.is_empty() {
            Some(StoreError::invalid(
                "outcome",
                ErrorCode::Required,
                "say what came of the referral",
            ))
        } else if outcome.chars().count() > 2000 {
            Some(StoreError::invalid(
                "outcome",
                ErrorCode::TooLong,
                "at most 2000 characters",
            ))
        } else {
            None
        };
        if let Some(err) = refusal {
            let code = match &err {
                StoreError::Rule { code, .. } => code.as_str(),
                _ => "invalid",
            };
            tx.audit(actor.event(action, "referral", Some(rid), code))
                .await?;
            tx.commit().await?;
            return Err(err);
        }
        tx.seal_as_owner_of(Field::ReferralOutcome, &rid).await?;
        let sealed = tx.keys.seal_str(Field::ReferralOutcome, &rid, outcome)?;
        let moved = sqlx::query(
            "UPDATE referrals SET status = 'closed', outcome = $1, closed_by = $2, closed_at = $3, \
             place_taken = 0, version = version + 1 WHERE id = $4 AND status = $5",
        )
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&rid)
        .bind(from.as_str())
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        if moved == 0 {
            drop(tx);
            return Err(rule(
                ErrorCode::TransitionNotAllowed,
                "only an accepted referral can be closed",
            ));
        }
        if place_taken != 0 {
            sqlx::query(
                "UPDATE directory_capacity SET free = free + 1, version = version + 1, updated_at = $1, \
                 updated_by = $2 WHERE service_id = $3 AND free + 1 <= total",
            )
            .bind(tx.now)
            .bind(actor.user_id().to_string())
            .bind(&service)
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.audit(actor.event(action, "referral", Some(rid), "closed"))
            .await?;
        tx.commit().await
    }
}

/// A referral's status, linked case, sealed snapshot and sealed note, as read to open a case.
type ToOpen = (String, Option<String>, Vec<u8>, Option<Vec<u8>>);

/// What a linked case takes from a referral's snapshot: only what was shared, each value
/// checked again as if typed by the receiver (a value that does not fit is left out).
struct Copied {
    person: passage_core::records::NewPerson,
    languages: Vec<String>,
    types: Vec<passage_core::CaseType>,
    summary: String,
}

impl Copied {
    fn of(shared: &Map<String, Value>, note: Option<String>, now: i64) -> Copied {
        let text = |k: &str| shared.get(k).and_then(Value::as_str).map(str::to_string);
        let list = |k: &str| -> Vec<String> {
            shared
                .get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let year = passage_core::casework::calendar::Day::from_unix_ms(now)
            .ymd()
            .0
            .clamp(1900, 9999) as u16;
        let name = text("name")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        let mut citizenships = Vec::new();
        for c in list("citizenships") {
            if let Some(c) = passage_core::Country::parse(&c)
                && !citizenships.contains(&c)
            {
                citizenships.push(c);
            }
        }
        let mut types: Vec<passage_core::CaseType> = list("case_types")
            .iter()
            .filter_map(|t| passage_core::CaseType::parse(t))
            .collect();
        types.dedup();
        if types.is_empty() {
            types.push(passage_core::CaseType::OtherViolation);
        }
        let summary = text("summary")
            .filter(|s| !s.trim().is_empty())
            .or(note)
            .unwrap_or_else(|| "Opened from a referral.".to_string());
        Copied {
            person: passage_core::records::NewPerson {
                given_name: name.unwrap_or_else(|| "Unknown".to_string()),
                family_name: String::new(),
                date_of_birth: text("date_of_birth")
                    .and_then(|d| passage_core::PartialDate::parse(&d, year).ok()),
                sex: text("sex").and_then(|s| passage_core::Sex::parse_lenient(&s)),
                citizenships,
                migration_status: text("migration_status"),
            },
            languages: list("languages"),
            types,
            summary,
        }
    }
}
