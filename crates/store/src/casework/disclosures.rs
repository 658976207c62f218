//! The disclosure register of a case: every time the person's data left the organisation that
//! held it, read from the records that already hold it — no table of its own, so it can never
//! disagree with what happened.
//!
//! - **Referrals** (`referrals`): which organisation and service received which fields (the
//!   chosen `shared_fields`, copied into the sealed snapshot at sending), when, for which
//!   purpose and on which recorded consent or other legal basis (`consent_id`), and whether the
//!   receiver's access has ended (consent withdrawn, a protection need).
//! - **Transfers** (`case_transfers`): at proposal the receiver reads the person's name,
//!   languages and needs; once accepted it holds the whole case. The basis is the consent the
//!   transfer rested on.
//! - **Statistics exports** hold de-identified records only (an age band, a sex, one
//!   citizenship and closed vocabularies of consented cases; `stats::export`). They are not
//!   listed case by case on purpose: a table saying which case went into which export would be
//!   the key that re-identifies the export's rows. The register says instead whether the
//!   person's statistics consent is in force, which is what decides whether their case may
//!   appear in one.
//!
//! Partner signals, notifications and webhooks carry ids only and disclose nothing of the
//! person; the immigration firewall means no disclosure ever reaches immigration enforcement.

use super::CaseAccess;
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::casework::{ConsentPurpose, LegalBasis};
use passage_core::policy::Action;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// How the data left.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureKind {
    Referral,
    Transfer,
}

impl DisclosureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DisclosureKind::Referral => "referral",
            DisclosureKind::Transfer => "transfer",
        }
    }
}

/// What a transfer discloses besides the snapshot's fields: the whole case, once accepted.
pub const WHOLE_CASE: &str = "whole_case";

/// One disclosure.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Disclosure {
    pub kind: DisclosureKind,
    /// The referral's or the transfer's id.
    pub id: Uuid,
    pub from_organisation_name: String,
    pub to_organisation_id: Uuid,
    pub to_organisation_name: String,
    /// The receiving service, for a referral.
    pub service_name: Option<String>,
    /// When the data left (sent, proposed).
    pub at: i64,
    /// Which fields: share-field names (`name`, `languages`, `needs`…) and, for an accepted
    /// transfer, `whole_case`.
    pub fields: Vec<String>,
    /// The purpose the basis was recorded for.
    pub purpose: Option<ConsentPurpose>,
    /// Consent, or another legal basis (best interests of a child, vital interest…).
    pub basis: Option<LegalBasis>,
    /// When that basis was recorded, and when it was withdrawn if it was.
    pub basis_given_at: Option<i64>,
    pub basis_withdrawn_at: Option<i64>,
    /// The referral's or transfer's status (`sent`, `accepted`, `withdrawn`, `pending`…).
    pub status: String,
    /// When and why the receiver's access ended (a referral only).
    pub access_ended_at: Option<i64>,
    pub access_ended_reason: Option<String>,
}

/// The register of a case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DisclosureRegister {
    /// Oldest first, as they happened.
    pub disclosures: Vec<Disclosure>,
    /// Whether a statistics consent of the person is in force: only then may a de-identified
    /// record of the case appear in a statistics export.
    pub statistics_consent_in_force: bool,
}

fn basis_of(
    r: &sqlx::any::AnyRow,
) -> Result<(Option<LegalBasis>, Option<ConsentPurpose>), StoreError> {
    let basis = match r.try_get::<Option<String>, _>("basis")? {
        Some(b) => Some(LegalBasis::parse(&b).ok_or(StoreError::Corrupt("legal basis"))?),
        None => None,
    };
    let purpose = match r.try_get::<Option<String>, _>("purpose")? {
        Some(p) => Some(ConsentPurpose::parse(&p).ok_or(StoreError::Corrupt("consent purpose"))?),
        None => None,
    };
    Ok((basis, purpose))
}

/// Reads the register of a case inside a transaction the caller opened through the gate.
pub(crate) async fn of_case(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<DisclosureRegister, StoreError> {
    let mut out = Vec::new();
    let referrals = sqlx::query(
        "SELECT r.id, r.shared_fields, r.sent_at, r.status, r.access_ended_at, r.access_ended_reason, \
         r.to_org, s.name AS service_name, fo.name AS from_name, tor.name AS to_name, \
         COALESCE(k.purpose, r.purpose) AS purpose, k.basis, k.given_at, k.withdrawn_at \
         FROM referrals r JOIN directory_services s ON s.id = r.service_id \
         JOIN organisations fo ON fo.id = r.from_org JOIN organisations tor ON tor.id = r.to_org \
         LEFT JOIN consents k ON k.id = r.consent_id \
         WHERE r.case_id = $1 ORDER BY r.sent_at, r.id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    for r in &referrals {
        let (basis, purpose) = basis_of(r)?;
        out.push(Disclosure {
            kind: DisclosureKind::Referral,
            id: parse_uuid(&r.try_get::<String, _>("id")?)?,
            from_organisation_name: r.try_get("from_name")?,
            to_organisation_id: parse_uuid(&r.try_get::<String, _>("to_org")?)?,
            to_organisation_name: r.try_get("to_name")?,
            service_name: Some(r.try_get("service_name")?),
            at: r.try_get("sent_at")?,
            fields: r
                .try_get::<String, _>("shared_fields")?
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            purpose,
            basis,
            basis_given_at: r.try_get("given_at")?,
            basis_withdrawn_at: r.try_get("withdrawn_at")?,
            status: r.try_get("status")?,
            access_ended_at: r.try_get("access_ended_at")?,
            access_ended_reason: r.try_get("access_ended_reason")?,
        });
    }
    let transfers = sqlx::query(
        "SELECT t.id, t.proposed_at, t.status, t.to_org, fo.name AS from_name, tor.name AS to_name, \
         k.purpose, k.basis, k.given_at, k.withdrawn_at \
         FROM case_transfers t JOIN organisations fo ON fo.id = t.from_org \
         JOIN organisations tor ON tor.id = t.to_org LEFT JOIN consents k ON k.id = t.consent_id \
         WHERE t.case_id = $1 ORDER BY t.proposed_at, t.id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    for r in &transfers {
        let (basis, purpose) = basis_of(r)?;
        let status: String = r.try_get("status")?;
        let mut fields: Vec<String> = ["name", "languages", "needs"].map(String::from).to_vec();
        if status == "accepted" || status == "closed" {
            fields.push(WHOLE_CASE.to_string());
        }
        out.push(Disclosure {
            kind: DisclosureKind::Transfer,
            id: parse_uuid(&r.try_get::<String, _>("id")?)?,
            from_organisation_name: r.try_get("from_name")?,
            to_organisation_id: parse_uuid(&r.try_get::<String, _>("to_org")?)?,
            to_organisation_name: r.try_get("to_name")?,
            service_name: None,
            at: r.try_get("proposed_at")?,
            fields,
            purpose,
            basis,
            basis_given_at: r.try_get("given_at")?,
            basis_withdrawn_at: r.try_get("withdrawn_at")?,
            status,
            access_ended_at: None,
            access_ended_reason: None,
        });
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    let statistics_consent_in_force =
        super::consent::in_force(tx, case.person_id(), ConsentPurpose::Statistics, None).await?;
    Ok(DisclosureRegister {
        disclosures: out,
        statistics_consent_in_force,
    })
}

impl Store {
    /// The disclosure register of a case, for whoever may read the case (anyone else: not
    /// found, as for a case that does not exist). Audited as `disclosure.list`.
    pub async fn case_disclosures(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<DisclosureRegister, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) =
            super::gate(tx, actor, case_id, Action::ReadCase, "disclosure.list").await?;
        let register = of_case(&mut tx, &case).await?;
        tx.audit(actor.event("disclosure.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(register)
    }
}
