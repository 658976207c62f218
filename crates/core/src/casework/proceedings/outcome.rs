//! What a proceeding brings the victim as submitted: a protection measure, the outcome,
//! compensation ordered and its payments.

use super::{MeasureKind, MeasureStatus, NOTE_MAX, ProceedingOutcome, incomplete, vocab};
use crate::casework::calendar::{Day, date_field};
use crate::labour::money::{Amount, Money, money_field};
use crate::validate::{Problems, text};

/// A protection measure as submitted: the measure and where it stands.
pub fn measure(kind: &str, status: &str) -> Result<(MeasureKind, MeasureStatus), Problems> {
    let mut p = Problems::default();
    let k = vocab(
        &mut p,
        "kind",
        kind,
        MeasureKind::parse,
        MeasureKind::allowed(),
    );
    let s = vocab(
        &mut p,
        "status",
        status,
        MeasureStatus::parse,
        MeasureStatus::allowed(),
    );
    p.finish(())?;
    match (k, s) {
        (Some(k), Some(s)) => Ok((k, s)),
        _ => Err(incomplete()),
    }
}

/// An outcome as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawOutcome {
    pub outcome: String,
    pub sentence: String,
    pub decided_on: String,
}

/// A validated outcome. The sentence is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutcome {
    pub outcome: ProceedingOutcome,
    pub sentence: Option<String>,
    pub decided_on: Option<Day>,
}

impl RawOutcome {
    pub fn validate(self) -> Result<NewOutcome, Problems> {
        let mut p = Problems::default();
        let outcome = vocab(
            &mut p,
            "outcome",
            &self.outcome,
            ProceedingOutcome::parse,
            ProceedingOutcome::allowed(),
        );
        let sentence = text(&mut p, "sentence", &self.sentence, false, NOTE_MAX);
        let decided_on = date_field(&mut p, "decided_on", &self.decided_on, false);
        p.finish(())?;
        match (outcome, decided_on) {
            (Some(outcome), Some(decided_on)) => Ok(NewOutcome {
                outcome,
                sentence,
                decided_on,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// Compensation ordered, as submitted: the amount and its currency.
pub fn compensation(amount: &Amount, currency: &str) -> Result<Money, Problems> {
    let mut p = Problems::default();
    let m = money_field(&mut p, "amount", "currency", amount, currency, true);
    p.finish(())?;
    m.flatten().ok_or_else(incomplete)
}

/// A payment of ordered compensation, as submitted (in the order's currency).
#[derive(Debug, Clone, Default)]
pub struct RawPayment {
    pub amount: Amount,
    pub paid_on: String,
}

/// A validated payment, in minor units of the order's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub minor: i64,
    pub paid_on: Day,
}

impl RawPayment {
    /// Checks the payment against the order's currency.
    pub fn validate(
        self,
        currency: crate::labour::money::Currency,
    ) -> Result<NewPayment, Problems> {
        let mut p = Problems::default();
        let m = money_field(
            &mut p,
            "amount",
            "currency",
            &self.amount,
            currency.as_str(),
            true,
        );
        let paid_on = date_field(&mut p, "paid_on", &self.paid_on, true).flatten();
        if let Some(Some(m)) = m
            && m.minor == 0
        {
            p.add(
                "amount",
                crate::ErrorCode::InvalidValue,
                "amount must be more than zero",
            );
        }
        p.finish(())?;
        match (m.flatten(), paid_on) {
            (Some(m), Some(paid_on)) => Ok(NewPayment {
                minor: m.minor,
                paid_on,
            }),
            _ => Err(incomplete()),
        }
    }
}
