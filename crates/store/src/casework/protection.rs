//! International protection needs on a case, and where their rule
//! (`core::casework::protection::may_reach`) is applied.
//!
//! Recording a need is a write of the case's own organisation. The countries and the reason
//! are sealed; the case history says only that a need of a kind was recorded. A need is
//! recorded on a case but is the person's: the rule reads the needs of every case of the
//! person. In the same transaction every referral of the person's cases to an authority of a
//! listed country ends for its receiver (`referral.withdrawn`, outcome
//! `international_protection`), so that organisation's next read answers as for a referral
//! that does not exist.
//!
//! The rule is then applied wherever a case crosses to another organisation: [`check_reach`]
//! refuses a referral or a transfer with the rule's code, and [`reader_refused`] is asked
//! before a pending transfer's receiver reads or accepts it, so a transfer proposed before the
//! need still reads as not found.
//!
//! Who reads what: every reader of the case sees the kind and the countries (whoever works
//! the case must know whom it may not pass it on to); the reason, which is the person's
//! account of why they fled, only within the case's own organisation.

use super::{CaseAccess, gate, gate_write, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::protection::{
    NewProtectionNeed, ProtectionKind, ProtectionNeed, Recipient, Refusal, may_reach,
};
use passage_core::policy::{Action, Decision, DenyReason, Relation, decide};
use passage_core::{Country, OrgKind};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A recorded need as a reader of the case sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectionNeedRecord {
    pub id: Uuid,
    pub kind: ProtectionKind,
    pub countries: Vec<Country>,
    /// Only for readers in the case's own organisation.
    pub reason: Option<String>,
    pub recorded_at: i64,
}

fn seal_countries(countries: &[Country]) -> String {
    countries
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn open_countries(tx: &Tx, id: &str, sealed: &[u8]) -> Result<Vec<Country>, StoreError> {
    let text = tx
        .keys
        .open_str(Field::ProtectionNeedCountries, id, sealed)?;
    text.split(',')
        .map(|c| Country::parse(c).ok_or(StoreError::Corrupt("protection need country")))
        .collect()
}

/// The needs the rule reads for a case: those recorded on any case of the same person. A need
/// is the person's, not one case's: a consulate of the country fled must not find the person
/// through their other case.
pub(crate) async fn needs_of(
    tx: &mut Tx,
    case_id: &str,
) -> Result<Vec<ProtectionNeed>, StoreError> {
    let rows = sqlx::query(
        "SELECT n.id, n.kind, n.countries FROM protection_needs n JOIN cases c ON c.id = n.case_id \
         WHERE c.person_id = (SELECT person_id FROM cases WHERE id = $1)",
    )
    .bind(case_id)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        out.push(ProtectionNeed {
            kind: ProtectionKind::parse(&row.try_get::<String, _>("kind")?)
                .ok_or(StoreError::Corrupt("protection need kind"))?,
            countries: open_countries(tx, &id, &row.try_get::<Vec<u8>, _>("countries")?)?,
        });
    }
    Ok(out)
}

/// What an organisation is, as the rule reads it; `None` if there is no such organisation.
async fn recipient(tx: &mut Tx, org_id: Uuid) -> Result<Option<Recipient>, StoreError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT kind, country FROM organisations WHERE id = $1")
            .bind(org_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((kind, country)) = row else {
        return Ok(None);
    };
    Ok(Some(Recipient {
        kind: OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?,
        country: Country::parse(&country).ok_or(StoreError::Corrupt("organisation country"))?,
    }))
}

/// Immigration enforcement is refused before any case is looked at: the answer is the same
/// for every case, so it tells nothing of one.
pub(crate) fn firewall(actor: &Actor) -> Result<(), StoreError> {
    match decide(actor.principal(), Action::ReadCase, Relation::Unrelated) {
        Decision::Deny(DenyReason::ImmigrationFirewall) => {
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        }
        _ => Ok(()),
    }
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Rule {
        code: r.code(),
        message: r.message(),
    }
}

/// Whether the case may reach (be shared with, referred or transferred to) organisation
/// `org_id`: refused with `international_protection` when the person has a protection need
/// listing the country of that organisation and it is an authority of a state. Call it in the
/// transaction that would send the case, after the gate. An unknown organisation is
/// `unknown_organisation`.
pub(crate) async fn check_reach(
    tx: &mut Tx,
    case: &CaseAccess,
    org_id: Uuid,
) -> Result<(), StoreError> {
    let Some(to) = recipient(tx, org_id).await? else {
        return Err(StoreError::invalid(
            "organisation_id",
            passage_core::ErrorCode::UnknownOrganisation,
            "no such organisation",
        ));
    };
    let needs = needs_of(tx, &case.key()).await?;
    may_reach(&needs, to).map_err(refused)
}

/// Whether the rule refuses organisation `org_id` (a transfer's receiver) the case `case_id`.
pub(crate) async fn reader_refused(
    tx: &mut Tx,
    case_id: Uuid,
    org_id: Uuid,
) -> Result<bool, StoreError> {
    let Some(reader) = recipient(tx, org_id).await? else {
        return Ok(true);
    };
    if !passage_core::casework::protection::is_state_authority(reader.kind) {
        return Ok(false);
    }
    let needs = needs_of(tx, &case_id.to_string()).await?;
    Ok(may_reach(&needs, reader).is_err())
}

/// Ends at once the receiver's access to every referral of the person's cases made to an
/// organisation the rule now refuses (`referrals::end_access`, `international_protection`).
/// A pending transfer to such an organisation is refused when answered (`transfers`).
async fn end_refused_referrals(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
) -> Result<(), StoreError> {
    let referrals: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.id, r.to_org FROM referrals r JOIN cases c ON c.id = r.case_id \
         WHERE c.person_id = $1 AND r.status <> 'withdrawn' AND r.access_ended_at IS NULL \
         ORDER BY r.id",
    )
    .bind(case.person_id().to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let needs = needs_of(tx, &case.key()).await?;
    for (id, org) in referrals {
        let refuse = match recipient(tx, parse_uuid(&org)?).await? {
            Some(to) => may_reach(&needs, to).is_err(),
            None => false,
        };
        if refuse {
            super::referrals::end_access(tx, actor, &id, "international_protection").await?;
        }
    }
    Ok(())
}

impl Store {
    /// Records an international protection need on a case (the owner's organisation only) and
    /// ends at once any share of the case with an authority of a listed country. Returns the
    /// need's id.
    pub async fn record_protection_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        need: NewProtectionNeed,
    ) -> Result<Uuid, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "protection_need.record").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let countries = tx.keys.seal_str(
            Field::ProtectionNeedCountries,
            &key,
            &seal_countries(&need.countries),
        )?;
        let reason = tx
            .keys
            .seal_str(Field::ProtectionNeedReason, &key, &need.reason)?;
        sqlx::query(
            "INSERT INTO protection_needs (id, case_id, kind, countries, reason, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(need.kind.as_str())
        .bind(countries)
        .bind(reason)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "protection_need",
            None,
            Some(need.kind.as_str()),
        )
        .await?;
        end_refused_referrals(&mut tx, actor, &case).await?;
        tx.audit(actor.event("protection_need.record", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The protection needs of a case, oldest first. The reason only for readers in the case's
    /// own organisation.
    pub async fn protection_needs(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<ProtectionNeedRecord>, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) =
            gate(tx, actor, case_id, Action::ReadCase, "protection_need.list").await?;
        let with_reason = case.org_id() == actor.org_id();
        let rows = sqlx::query(
            "SELECT id, kind, countries, reason, recorded_at FROM protection_needs \
             WHERE case_id = $1 ORDER BY recorded_at, id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let reason = if with_reason {
                Some(tx.keys.open_str(
                    Field::ProtectionNeedReason,
                    &id,
                    &row.try_get::<Vec<u8>, _>("reason")?,
                )?)
            } else {
                None
            };
            out.push(ProtectionNeedRecord {
                id: parse_uuid(&id)?,
                kind: ProtectionKind::parse(&row.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("protection need kind"))?,
                countries: open_countries(&tx, &id, &row.try_get::<Vec<u8>, _>("countries")?)?,
                reason,
                recorded_at: row.try_get("recorded_at")?,
            });
        }
        tx.audit(actor.event("protection_need.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Whether the case may reach organisation `org_id` (a share, a referral, a transfer), for
    /// a reader of the case who is about to choose a recipient: `Ok`, or the rule's refusal
    /// (`international_protection`).
    pub async fn check_reach(
        &self,
        actor: &Actor,
        case_id: Uuid,
        org_id: Uuid,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(
            tx,
            actor,
            case_id,
            Action::ReadCase,
            "protection_need.check",
        )
        .await?;
        let result = check_reach(&mut tx, &case, org_id).await;
        let outcome = match &result {
            Ok(()) => "ok",
            Err(StoreError::Rule { .. }) => "international_protection",
            Err(_) => "invalid",
        };
        tx.audit(actor.event("protection_need.check", "case", Some(case.key()), outcome))
            .await?;
        tx.commit().await?;
        result
    }
}
