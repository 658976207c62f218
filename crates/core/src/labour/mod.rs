//! Labour-market protection (issue 15): what happened to the worker — fees, debts, the
//! contract promised and the one found, wages owed — and the remedies they pursue.

pub mod money;
pub mod remedies;
pub mod worker;

pub use money::{Amount, Currency, Money, WagePeriod};
