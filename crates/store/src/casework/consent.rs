//! Consent and other legal bases, per person and purpose. A record names who recorded it, when,
//! how (verbal, written, digital) and in which language it was explained. Withdrawal is a
//! change of the same row (who, when, how) and takes effect at once: a withdrawn consent is
//! never in force again; a new consent is a new row.
//!
//! A referral consent names the organisation referred to, never an immigration-enforcement
//! one. A basis other than consent carries a sealed reason and is audited as
//! `consent.legal_basis`, so such decisions can be reviewed apart from ordinary consent.

use super::person::missing;
use super::{person_gate, person_gate_write};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::OrgKind;
use passage_core::casework::consent::{NewConsent, audit_action};
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::policy::{self, Action};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// One consent record as a reader sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ConsentView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub purpose: ConsentPurpose,
    pub organisation_id: Option<Uuid>,
    pub organisation_name: Option<String>,
    pub basis: LegalBasis,
    pub method: Option<ConsentMethod>,
    pub language: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_by_name: String,
    pub given_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<Uuid>,
    pub withdrawn_by_name: Option<String>,
    pub withdrawal_method: Option<ConsentMethod>,
    /// Not withdrawn.
    pub in_force: bool,
}

/// Whether a consent (or another recorded basis) for `purpose` is in force for the person, in
/// this transaction. With an organisation, only a record naming that organisation counts (a
/// referral to one organisation is not consent to another); without, any record of the purpose.
pub(crate) async fn in_force(
    tx: &mut Tx,
    person_id: Uuid,
    purpose: ConsentPurpose,
    organisation: Option<Uuid>,
) -> Result<bool, StoreError> {
    let row: Option<(String,)> = match organisation {
        Some(org) => {
            sqlx::query_as(
                "SELECT id FROM consents WHERE person_id = $1 AND purpose = $2 AND organisation_id = $3 \
                 AND withdrawn_at IS NULL LIMIT 1",
            )
            .bind(person_id.to_string())
            .bind(purpose.as_str())
            .bind(org.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT id FROM consents WHERE person_id = $1 AND purpose = $2 AND withdrawn_at IS NULL LIMIT 1",
            )
            .bind(person_id.to_string())
            .bind(purpose.as_str())
            .fetch_optional(&mut *tx.tx)
            .await?
        }
    };
    Ok(row.is_some())
}

/// Ends, in the withdrawal's transaction, a connected partner signal whose referral consent
/// it was (it becomes `withdrawn`: the partner is no longer named), audited as
/// `partner_signal.withdrawn`. (Referrals and transfers resting on it end in their own modules.)
async fn end_what_rested_on(tx: &mut Tx, actor: &Actor, consent: &str) -> Result<(), StoreError> {
    let signals: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM partner_signals WHERE status = 'connected' \
         AND (person_referral_consent = $1 OR partner_referral_consent = $1) ORDER BY id",
    )
    .bind(consent)
    .fetch_all(&mut *tx.tx)
    .await?;
    for (id,) in signals {
        sqlx::query(
            "UPDATE partner_signals SET status = 'withdrawn', resolved_at = $1 WHERE id = $2",
        )
        .bind(tx.now)
        .bind(&id)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(
            "partner_signal.withdrawn",
            "partner_signal",
            Some(id),
            "consent_withdrawn",
        ))
        .await?;
    }
    Ok(())
}

impl Store {
    /// Records a consent or another legal basis for a person; returns its id.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        person_id: Uuid,
        consent: NewConsent,
    ) -> Result<Uuid, StoreError> {
        let action = audit_action(consent.basis);
        let tx = self.begin().await?;
        let (mut tx, person) = person_gate_write(tx, actor, person_id, action).await?;
        if let Some(org) = consent.organisation_id {
            let kind: Option<(String,)> =
                sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
                    .bind(org.to_string())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            let Some(kind) = kind.and_then(|(k,)| OrgKind::parse(&k)) else {
                return Err(StoreError::invalid(
                    "organisation_id",
                    passage_core::ErrorCode::UnknownOrganisation,
                    "no organisation has this id",
                ));
            };
            if !policy::may_receive_shared_records(kind) {
                // The attempt itself is worth reviewing.
                tx.audit(actor.event(action, "person", Some(person.key()), "refused"))
                    .await?;
                tx.commit().await?;
                return Err(StoreError::Rule {
                    code: passage_core::ErrorCode::ImmigrationFirewall,
                    message: "Records are never shared with or referred to immigration enforcement, whatever the consent."
                        .into(),
                });
            }
        }
        let id = Uuid::now_v7();
        let rid = id.to_string();
        let reason = consent
            .reason
            .as_deref()
            .map(|r| tx.keys.seal_str(Field::ConsentReason, &rid, r))
            .transpose()?;
        let language = consent
            .language
            .as_deref()
            .map(|l| tx.keys.seal_str(Field::ConsentLanguage, &rid, l))
            .transpose()?;
        sqlx::query(
            "INSERT INTO consents (id, person_id, purpose, organisation_id, basis, method, language_sealed, reason, recorded_by, given_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&rid)
        .bind(person.key())
        .bind(consent.purpose.as_str())
        .bind(consent.organisation_id.map(|o| o.to_string()))
        .bind(consent.basis.as_str())
        .bind(consent.method.map(|m| m.as_str()))
        .bind(language)
        .bind(reason)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "consent", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every consent of a person, current and withdrawn, newest first.
    pub async fn list_consents(
        &self,
        actor: &Actor,
        person_id: Uuid,
    ) -> Result<Vec<ConsentView>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate(tx, actor, person_id, Action::ReadCase, "consent.list").await?;
        let rows = sqlx::query(
            "SELECT c.id, c.purpose, c.organisation_id, o.name AS organisation_name, c.basis, c.method, \
             c.language_sealed, c.reason, c.recorded_by, r.display_name AS recorded_by_name, c.given_at, \
             c.withdrawn_at, c.withdrawn_by, w.display_name AS withdrawn_by_name, c.withdrawal_method \
             FROM consents c \
             LEFT JOIN organisations o ON o.id = c.organisation_id \
             LEFT JOIN users r ON r.id = c.recorded_by \
             LEFT JOIN users w ON w.id = c.withdrawn_by \
             WHERE c.person_id = $1 ORDER BY c.given_at DESC, c.id DESC",
        )
        .bind(person.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let method = |v: Option<String>| v.as_deref().and_then(ConsentMethod::parse);
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id")?;
            let withdrawn_at: Option<i64> = r.try_get("withdrawn_at")?;
            out.push(ConsentView {
                id: parse_uuid(&id)?,
                person_id: person.id(),
                purpose: ConsentPurpose::parse(&r.try_get::<String, _>("purpose")?)
                    .ok_or(StoreError::Corrupt("consent purpose"))?,
                organisation_id: r
                    .try_get::<Option<String>, _>("organisation_id")?
                    .map(|o| parse_uuid(&o))
                    .transpose()?,
                organisation_name: r.try_get("organisation_name")?,
                basis: LegalBasis::parse(&r.try_get::<String, _>("basis")?)
                    .ok_or(StoreError::Corrupt("legal basis"))?,
                method: method(r.try_get("method")?),
                language: r
                    .try_get::<Option<Vec<u8>>, _>("language_sealed")?
                    .map(|b| tx.keys.open_str(Field::ConsentLanguage, &id, &b))
                    .transpose()?,
                reason: r
                    .try_get::<Option<Vec<u8>>, _>("reason")?
                    .map(|b| tx.keys.open_str(Field::ConsentReason, &id, &b))
                    .transpose()?,
                recorded_by: parse_uuid(&r.try_get::<String, _>("recorded_by")?)?,
                recorded_by_name: r
                    .try_get::<Option<String>, _>("recorded_by_name")?
                    .unwrap_or_default(),
                given_at: r.try_get("given_at")?,
                withdrawn_at,
                withdrawn_by: r
                    .try_get::<Option<String>, _>("withdrawn_by")?
                    .map(|u| parse_uuid(&u))
                    .transpose()?,
                withdrawn_by_name: r.try_get("withdrawn_by_name")?,
                withdrawal_method: method(r.try_get("withdrawal_method")?),
                in_force: withdrawn_at.is_none(),
            });
        }
        tx.audit(actor.event("consent.list", "person", Some(person.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Withdraws a consent at once, and with it what rested on it (a referral's receiver's
    /// access, a pending transfer it no longer covers, a partner signal's connection). Withdrawing one already withdrawn changes nothing (the first
    /// withdrawal's time and author stay).
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        person_id: Uuid,
        consent_id: Uuid,
        method: Option<ConsentMethod>,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) = person_gate_write(tx, actor, person_id, "consent.withdraw").await?;
        let rid = consent_id.to_string();
        let exists: Option<(String,)> =
            sqlx::query_as("SELECT id FROM consents WHERE id = $1 AND person_id = $2")
                .bind(&rid)
                .bind(person.key())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if exists.is_none() {
            return missing(tx, actor, "consent.withdraw", "consent", rid).await;
        }
        let done = sqlx::query(
            "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2, withdrawal_method = $3 \
             WHERE id = $4 AND withdrawn_at IS NULL",
        )
        .bind(tx.now)
        .bind(actor.user_id().to_string())
        .bind(method.map(|m| m.as_str()))
        .bind(&rid)
        .execute(&mut *tx.tx)
        .await?;
        let outcome = if done.rows_affected() == 1 {
            end_what_rested_on(&mut tx, actor, &rid).await?;
            super::referrals::end_referrals_on(&mut tx, actor, &rid).await?;
            super::transfers::end_transfers_on(&mut tx, actor, &rid).await?;
            "ok"
        } else {
            "unchanged"
        };
        tx.audit(actor.event("consent.withdraw", "consent", Some(rid), outcome))
            .await?;
        tx.commit().await
    }

    /// Whether a consent for `purpose` (and, when given, naming `organisation`) is in force for
    /// the person. Audited as `consent.check`.
    pub async fn consent_in_force(
        &self,
        actor: &Actor,
        person_id: Uuid,
        purpose: ConsentPurpose,
        organisation: Option<Uuid>,
    ) -> Result<bool, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, person) =
            person_gate(tx, actor, person_id, Action::ReadCase, "consent.check").await?;
        let yes = in_force(&mut tx, person.id(), purpose, organisation).await?;
        tx.audit(actor.event("consent.check", "person", Some(person.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(yes)
    }
}
