//! Privacy budgets: every release from a dataset spends part of the dataset's ε, and a release
//! that would spend more than is left is refused. Sequential composition: the privacy loss of
//! several releases from the same people is at most the sum of their ε.
//!
//! Amounts are kept exactly, in ten-thousandths of ε (the precision ε is accepted with).

use crate::StatsError;
use crate::dp::Epsilon;
use serde::Serialize;

/// Ten-thousandths of ε per unit.
const UNIT: u64 = 10_000;

/// ε in ten-thousandths, when it is a whole number of them (every value [`Epsilon::parse`]
/// accepts).
pub fn ten_thousandths(e: Epsilon) -> Option<u64> {
    let scaled = u64::from(e.num) * UNIT;
    scaled
        .is_multiple_of(u64::from(e.den))
        .then(|| scaled / u64::from(e.den))
}

/// The state of one dataset's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Budget {
    /// The whole budget, in ten-thousandths of ε.
    pub total: u64,
    /// What releases have spent so far, in ten-thousandths of ε.
    pub spent: u64,
}

impl Budget {
    /// A fresh budget of `total`.
    pub fn new(total: Epsilon) -> Result<Budget, StatsError> {
        let total = ten_thousandths(total).ok_or(StatsError::Parameter(
            "a budget is stated with at most four decimals",
        ))?;
        Ok(Budget { total, spent: 0 })
    }

    /// What is left, in ten-thousandths of ε.
    pub fn left(&self) -> u64 {
        self.total.saturating_sub(self.spent)
    }

    /// The budget after a release at `ask`, or `BudgetSpent` (nothing spent) when it would go
    /// beyond the total.
    pub fn charge(&self, ask: Epsilon) -> Result<Budget, StatsError> {
        let ask = ten_thousandths(ask).ok_or(StatsError::Parameter(
            "epsilon is stated with at most four decimals",
        ))?;
        let spent = self
            .spent
            .checked_add(ask)
            .ok_or(StatsError::BudgetSpent { left: self.left() })?;
        if spent > self.total {
            return Err(StatsError::BudgetSpent { left: self.left() });
        }
        Ok(Budget {
            total: self.total,
            spent,
        })
    }
}

/// Ten-thousandths of ε written as a decimal (`12500` → `1.25`).
pub fn show(amount: u64) -> String {
    let whole = amount / UNIT;
    let frac = amount % UNIT;
    if frac == 0 {
        return whole.to_string();
    }
    let f = format!("{frac:04}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eps(s: &str) -> Epsilon {
        Epsilon::parse(s).unwrap()
    }

    #[test]
    fn releases_spend_until_the_budget_is_gone() {
        let b = Budget::new(eps("2")).unwrap();
        let b = b.charge(eps("1")).unwrap();
        let b = b.charge(eps("0.75")).unwrap();
        assert_eq!(show(b.left()), "0.25");
        let refused = b.charge(eps("0.5")).unwrap_err();
        assert_eq!(refused, StatsError::BudgetSpent { left: 2_500 });
        let b = b.charge(eps("0.25")).unwrap();
        assert_eq!(b.left(), 0);
        assert!(b.charge(eps("0.0001")).is_err());
    }

    proptest! {
        /// However releases are asked for, the sum of what was granted never exceeds the total,
        /// and a refusal spends nothing.
        #[test]
        fn granted_releases_never_exceed_the_total(
            total in 1u32..=100_000,
            asks in proptest::collection::vec(1u32..=20_000, 0..40),
        ) {
            let mut b = Budget::new(Epsilon::new(total, 10_000).unwrap()).unwrap();
            let mut granted = 0u64;
            for a in asks {
                let Some(ask) = Epsilon::new(a, 10_000) else { continue };
                match b.charge(ask) {
                    Ok(next) => { granted += u64::from(a); b = next; }
                    Err(_) => prop_assert!(b.spent + u64::from(a) > b.total),
                }
            }
            prop_assert_eq!(granted, b.spent);
            prop_assert!(b.spent <= u64::from(total));
        }
    }
}
