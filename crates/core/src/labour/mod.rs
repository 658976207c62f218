//! Labour-market protection (issue 15): the register of recruiters and employers that
//! complaints, cases, held documents and screenings name ([`entities`]: vocabularies,
//! validation, who may do what with the register, what the public recruiter check may show);
//! what happened to the worker — fees, debts, the contract promised and the one found, wages
//! owed — and the remedies they pursue.

pub mod entities;
pub mod inspection;
pub mod money;
pub mod remedies;
pub mod worker;

pub use money::{Amount, Currency, Money, WagePeriod};
