//! The request and response types of the worker's account and claims API, owned by the API:
//! responses are built from the store's values by `From`, and the OpenAPI schemas are derived
//! from these types. Amounts are integers in the currency's minor units (cents), each beside
//! its ISO 4217 code.

use passage_core::labour::Amount;
use passage_core::labour::remedies::{RawClaim, RawClaimChange};
use passage_core::labour::worker::{RawContract, RawDebt, RawFee, RawWages};
use passage_store::casework::labour as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A recruitment fee or cost the worker paid, as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFee {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::fee_kind, required = true)]
    pub kind: String,
    /// In the currency's minor units; never negative
    #[serde(default)]
    #[schema(minimum = 0, required = true)]
    pub amount: Option<i64>,
    /// ISO 4217 code
    #[serde(default)]
    #[schema(example = "USD", required = true)]
    pub currency: String,
    /// To whom (a recruiter, a broker, a person); sealed at rest
    #[serde(default)]
    #[schema(max_length = 200, required = true)]
    pub paid_to: String,
    /// When: YYYY, YYYY-MM or YYYY-MM-DD, not after today
    #[serde(default)]
    pub paid_on: String,
    /// What shows it (a receipt, a transfer slip, the worker's word); sealed at rest
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub evidence: String,
}

impl From<NewFee> for RawFee {
    fn from(b: NewFee) -> RawFee {
        RawFee {
            kind: b.kind,
            amount: Amount::minor(b.amount),
            currency: b.currency,
            paid_to: b.paid_to,
            paid_on: b.paid_on,
            evidence: b.evidence,
        }
    }
}

/// A fee recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Fee {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::fee_kind)]
    pub kind: String,
    pub amount: i64,
    pub currency: String,
    pub paid_to: String,
    pub paid_on: Option<String>,
    pub evidence: Option<String>,
    /// Unix milliseconds
    pub recorded_at: i64,
}

impl From<&store::FeeRecord> for Fee {
    fn from(f: &store::FeeRecord) -> Fee {
        Fee {
            id: f.id,
            kind: f.kind.as_str().into(),
            amount: f.money.minor,
            currency: f.money.currency.as_str().into(),
            paid_to: f.paid_to.clone(),
            paid_on: f.paid_on.map(|d| d.to_string()),
            evidence: f.evidence.clone(),
            recorded_at: f.recorded_at,
        }
    }
}

/// A debt the worker owes, as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDebt {
    /// To whom; sealed at rest
    #[serde(default)]
    #[schema(max_length = 200, required = true)]
    pub owed_to: String,
    /// In the currency's minor units; never negative
    #[serde(default)]
    #[schema(minimum = 0, required = true)]
    pub amount: Option<i64>,
    /// ISO 4217 code
    #[serde(default)]
    #[schema(required = true)]
    pub currency: String,
    /// Interest and terms as told; sealed at rest
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub terms: String,
}

impl From<NewDebt> for RawDebt {
    fn from(b: NewDebt) -> RawDebt {
        RawDebt {
            owed_to: b.owed_to,
            amount: Amount::minor(b.amount),
            currency: b.currency,
            terms: b.terms,
        }
    }
}

/// A debt recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Debt {
    pub id: Uuid,
    pub owed_to: String,
    pub amount: i64,
    pub currency: String,
    pub terms: Option<String>,
    /// Unix milliseconds
    pub recorded_at: i64,
}

impl From<&store::DebtRecord> for Debt {
    fn from(d: &store::DebtRecord) -> Debt {
        Debt {
            id: d.id,
            owed_to: d.owed_to.clone(),
            amount: d.money.minor,
            currency: d.money.currency.as_str().into(),
            terms: d.terms.clone(),
            recorded_at: d.recorded_at,
        }
    }
}

/// The contract promised or the contract found, as sent: each term may be left out when not
/// known, at least one is given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContract {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::contract_version, required = true)]
    pub version: String,
    /// The wage in the currency's minor units
    #[serde(default)]
    #[schema(minimum = 0)]
    pub wage_amount: Option<i64>,
    /// ISO 4217 code, required with a wage
    #[serde(default)]
    pub wage_currency: String,
    /// Required with a wage
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::wage_period)]
    pub wage_period: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 168)]
    pub hours_per_week: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub job_title: String,
    /// Sealed at rest with the rest of the contract
    #[serde(default)]
    #[schema(max_length = 200)]
    pub employer: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub place: String,
    /// Days off a week
    #[serde(default)]
    #[schema(minimum = 0, maximum = 7)]
    pub days_off: Option<i64>,
}

impl From<NewContract> for RawContract {
    fn from(b: NewContract) -> RawContract {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        RawContract {
            version: b.version,
            wage_amount: Amount::minor(b.wage_amount),
            wage_currency: b.wage_currency,
            wage_period: b.wage_period,
            hours_per_week: n(b.hours_per_week),
            job_title: b.job_title,
            employer: b.employer,
            place: b.place,
            days_off: n(b.days_off),
        }
    }
}

/// A contract recorded; a term not known is null.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contract {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::contract_version)]
    pub version: String,
    pub wage_amount: Option<i64>,
    pub wage_currency: Option<String>,
    #[schema(schema_with = crate::kit::schema::wage_period_or_null)]
    pub wage_period: Option<String>,
    pub hours_per_week: Option<u8>,
    pub job_title: Option<String>,
    pub employer: Option<String>,
    pub place: Option<String>,
    pub days_off: Option<u8>,
    /// Unix milliseconds
    pub recorded_at: i64,
}

impl From<&store::ContractRecord> for Contract {
    fn from(c: &store::ContractRecord) -> Contract {
        let t = &c.terms;
        Contract {
            id: c.id,
            version: c.version.as_str().into(),
            wage_amount: t.wage.map(|w| w.money.minor),
            wage_currency: t.wage.map(|w| w.money.currency.as_str().into()),
            wage_period: t.wage.map(|w| w.period.as_str().into()),
            hours_per_week: t.hours_per_week,
            job_title: t.job_title.clone(),
            employer: t.employer.clone(),
            place: t.place.clone(),
            days_off: t.days_off,
            recorded_at: c.recorded_at,
        }
    }
}

/// The two contracts and the terms on which the one found differs from the one promised
/// (contract substitution); only terms both contracts state are compared.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contracts {
    pub promised: Option<Contract>,
    pub found: Option<Contract>,
    /// Of `wage`, `hours_per_week`, `job_title`, `employer`, `place`, `days_off`
    pub substitution: Vec<String>,
}

impl From<&store::WorkerAccount> for Contracts {
    fn from(a: &store::WorkerAccount) -> Contracts {
        Contracts {
            promised: a.promised.as_ref().map(Contract::from),
            found: a.found.as_ref().map(Contract::from),
            substitution: a.substitution.iter().map(|t| t.as_str().into()).collect(),
        }
    }
}

/// Wages owed, as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWages {
    /// From: YYYY, YYYY-MM or YYYY-MM-DD, not after today
    #[serde(default)]
    #[schema(required = true)]
    pub period_from: String,
    /// To (optional), not before `period_from`
    #[serde(default)]
    pub period_to: String,
    /// In the currency's minor units; never negative
    #[serde(default)]
    #[schema(minimum = 0, required = true)]
    pub amount: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub currency: String,
}

impl From<NewWages> for RawWages {
    fn from(b: NewWages) -> RawWages {
        RawWages {
            period_from: b.period_from,
            period_to: b.period_to,
            amount: Amount::minor(b.amount),
            currency: b.currency,
        }
    }
}

/// Wages owed, recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Wages {
    pub id: Uuid,
    pub period_from: String,
    pub period_to: Option<String>,
    pub amount: i64,
    pub currency: String,
    /// Unix milliseconds
    pub recorded_at: i64,
}

impl From<&store::WagesRecord> for Wages {
    fn from(w: &store::WagesRecord) -> Wages {
        Wages {
            id: w.id,
            period_from: w.period_from.to_string(),
            period_to: w.period_to.map(|d| d.to_string()),
            amount: w.money.minor,
            currency: w.money.currency.as_str().into(),
            recorded_at: w.recorded_at,
        }
    }
}

/// A wage or compensation claim, as sent; it starts at stage `preparing`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClaim {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::claim_kind, required = true)]
    pub kind: String,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::claim_subject, required = true)]
    pub subject: String,
    /// Claimed, in the currency's minor units
    #[serde(default)]
    #[schema(minimum = 0, required = true)]
    pub amount: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub currency: String,
    /// YYYY-MM-DD: the next date the claim must meet (filing, appeal, enforcement)
    #[serde(default)]
    pub deadline: String,
    /// Forum, reference; sealed at rest
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

impl From<NewClaim> for RawClaim {
    fn from(b: NewClaim) -> RawClaim {
        RawClaim {
            kind: b.kind,
            subject: b.subject,
            amount: Amount::minor(b.amount),
            currency: b.currency,
            deadline: b.deadline,
            note: b.note,
        }
    }
}

/// A claim recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Claim {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::claim_kind)]
    pub kind: String,
    #[schema(schema_with = crate::kit::schema::claim_subject)]
    pub subject: String,
    #[schema(schema_with = crate::kit::schema::claim_stage)]
    pub stage: String,
    pub amount_claimed: i64,
    pub amount_recovered: i64,
    pub currency: String,
    pub deadline: Option<String>,
    pub note: Option<String>,
    /// Send it back with a change
    pub version: i64,
    /// Unix milliseconds
    pub recorded_at: i64,
    /// Unix milliseconds
    pub updated_at: i64,
}

impl From<&store::ClaimRecord> for Claim {
    fn from(c: &store::ClaimRecord) -> Claim {
        Claim {
            id: c.id,
            kind: c.kind.as_str().into(),
            subject: c.subject.as_str().into(),
            stage: c.stage.as_str().into(),
            amount_claimed: c.claimed.minor,
            amount_recovered: c.recovered.minor,
            currency: c.claimed.currency.as_str().into(),
            deadline: c.deadline.map(|d| d.to_string()),
            note: c.note.clone(),
            version: c.version,
            recorded_at: c.recorded_at,
            updated_at: c.updated_at,
        }
    }
}

/// A change to a claim: the version you read, and what changes (each left out when not).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimChange {
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
    /// Forward only (`preparing` → `filed` → `hearing` → `decided` → `enforced`; a hearing
    /// may be skipped; `closed` from any open stage)
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::claim_stage)]
    pub stage: String,
    /// Recovered so far, in the claim's currency's minor units
    #[serde(default)]
    #[schema(minimum = 0)]
    pub recovered: Option<i64>,
    /// YYYY-MM-DD
    #[serde(default)]
    pub deadline: String,
}

impl ClaimChange {
    pub fn raw(self) -> RawClaimChange {
        RawClaimChange {
            stage: self.stage,
            recovered: Amount::minor(self.recovered),
            deadline: self.deadline,
        }
    }
}

/// A record made: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recorded {
    pub id: Uuid,
}

/// A claim changed: its new version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimChanged {
    pub version: i64,
}
