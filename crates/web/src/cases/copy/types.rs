//! The request and response types of the person's copy, the disclosure register and
//! corrections, owned by the API: responses are built from the store's values by `From` (the
//! copy reuses the case, person, consent, need, service, referral, note and attachment types
//! of their own endpoints, so the copy says each part exactly as its endpoint does), and the
//! OpenAPI schemas are derived from these types.

use crate::cases::lifecycle::types::Case;
use crate::cases::person::types::{Attachment, Consent, Person};
use crate::cases::work::types::{Need, Note, Service};
use crate::referrals::types::Referral;
use passage_core::casework::corrections::{CorrectionOutcome, RawCorrection, RawDecision};
use passage_core::casework::{ConsentPurpose, LegalBasis};
use passage_store::casework::{copy, corrections, disclosures};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One time the person's data left the organisation that held it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Disclosure {
    /// `referral` or `transfer`.
    #[schema(schema_with = disclosure_kind)]
    pub kind: String,
    /// The referral's or the transfer's id.
    pub id: Uuid,
    pub from_organisation_name: String,
    pub to_organisation_id: Uuid,
    pub to_organisation_name: String,
    /// The receiving service, for a referral.
    pub service_name: Option<String>,
    /// When the data left (Unix milliseconds).
    pub at: i64,
    /// Share-field names (`name`, `languages`, `needs`…); an accepted transfer adds
    /// `whole_case`.
    pub fields: Vec<String>,
    #[schema(schema_with = crate::kit::schema::consent_purpose_or_null)]
    pub purpose: Option<ConsentPurpose>,
    /// The consent or other legal basis the disclosure rested on.
    #[schema(schema_with = crate::kit::schema::legal_basis_or_null)]
    pub basis: Option<LegalBasis>,
    /// Unix milliseconds
    pub basis_given_at: Option<i64>,
    /// Unix milliseconds
    pub basis_withdrawn_at: Option<i64>,
    /// The referral's or transfer's status.
    pub status: String,
    /// When the receiver's access ended (Unix milliseconds), for a referral.
    pub access_ended_at: Option<i64>,
    /// `consent_withdrawn` or `international_protection`.
    pub access_ended_reason: Option<String>,
}

fn disclosure_kind() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["referral", "transfer"])
}

impl From<disclosures::Disclosure> for Disclosure {
    fn from(d: disclosures::Disclosure) -> Disclosure {
        Disclosure {
            kind: d.kind.as_str().to_string(),
            id: d.id,
            from_organisation_name: d.from_organisation_name,
            to_organisation_id: d.to_organisation_id,
            to_organisation_name: d.to_organisation_name,
            service_name: d.service_name,
            at: d.at,
            fields: d.fields,
            purpose: d.purpose,
            basis: d.basis,
            basis_given_at: d.basis_given_at,
            basis_withdrawn_at: d.basis_withdrawn_at,
            status: d.status,
            access_ended_at: d.access_ended_at,
            access_ended_reason: d.access_ended_reason,
        }
    }
}

/// The disclosure register of a case, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureRegister {
    pub disclosures: Vec<Disclosure>,
    /// Whether the person's statistics consent is in force: only then may a de-identified
    /// record of the case appear in a statistics export (exports are not listed case by case:
    /// that list would re-identify them).
    pub statistics_consent_in_force: bool,
}

impl From<disclosures::DisclosureRegister> for DisclosureRegister {
    fn from(r: disclosures::DisclosureRegister) -> DisclosureRegister {
        DisclosureRegister {
            disclosures: r.disclosures.into_iter().map(Into::into).collect(),
            statistics_consent_in_force: r.statistics_consent_in_force,
        }
    }
}

/// A correction the person asked for, and its decision once made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Correction {
    pub id: Uuid,
    pub what: String,
    /// YYYY-MM-DD
    pub asked_on: String,
    pub recorded_by_name: String,
    /// Unix milliseconds
    pub recorded_at: i64,
    /// Absent while undecided.
    #[schema(schema_with = crate::kit::schema::correction_outcome_or_null)]
    pub outcome: Option<CorrectionOutcome>,
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    /// Unix milliseconds
    pub decided_at: Option<i64>,
}

impl From<corrections::Correction> for Correction {
    fn from(c: corrections::Correction) -> Correction {
        Correction {
            id: c.id,
            what: c.what,
            asked_on: c.asked_on,
            recorded_by_name: c.recorded_by_name,
            recorded_at: c.recorded_at,
            outcome: c.outcome,
            reason: c.reason,
            decided_by_name: c.decided_by_name,
            decided_at: c.decided_at,
        }
    }
}

/// A correction the person asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCorrection {
    /// What the person asked to have corrected, in their words or yours.
    #[schema(max_length = 5000)]
    pub what: String,
    /// The day they asked (YYYY-MM-DD).
    pub asked_on: String,
}

impl NewCorrection {
    pub fn raw(&self) -> RawCorrection<'_> {
        RawCorrection {
            what: &self.what,
            asked_on: &self.asked_on,
        }
    }
}

/// The decision on a correction: `made`, `partly` or `refused`; a reason is required for
/// `partly` and `refused` (the person is owed it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionDecision {
    #[schema(schema_with = crate::kit::schema::correction_outcome)]
    pub outcome: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub reason: Option<String>,
}

impl CorrectionDecision {
    pub fn raw(&self) -> RawDecision<'_> {
        RawDecision {
            outcome: &self.outcome,
            reason: self.reason.as_deref().unwrap_or(""),
        }
    }
}

/// The id of what was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionRecorded {
    pub id: Uuid,
}

/// Everything Passage holds about the person on this case, as you may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonCopy {
    /// When the copy was produced (Unix milliseconds).
    pub produced_at: i64,
    pub case: Case,
    pub person: Person,
    pub consents: Vec<Consent>,
    pub needs: Vec<Need>,
    pub services: Vec<Service>,
    pub referrals: Vec<Referral>,
    /// Only the notes you may read.
    pub notes: Vec<Note>,
    /// The files kept on the case (names and descriptions; download each from its endpoint).
    pub attachments: Vec<Attachment>,
    pub disclosures: DisclosureRegister,
    pub corrections: Vec<Correction>,
}

impl From<copy::PersonCopy> for PersonCopy {
    fn from(c: copy::PersonCopy) -> PersonCopy {
        PersonCopy {
            produced_at: c.produced_at,
            case: c.case.into(),
            person: c.person.into(),
            consents: c.consents.into_iter().map(Into::into).collect(),
            needs: c.needs.into_iter().map(Into::into).collect(),
            services: c.services.into_iter().map(Into::into).collect(),
            referrals: c.referrals.into_iter().map(Into::into).collect(),
            notes: c.notes.into_iter().map(Into::into).collect(),
            attachments: c.attachments.into_iter().map(Into::into).collect(),
            disclosures: c.disclosures.into(),
            corrections: c.corrections.into_iter().map(Into::into).collect(),
        }
    }
}
