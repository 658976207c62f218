//! Statistics of Passage without exposing people.
//!
//! Pure rules, no storage: the store aggregates, this crate decides what of an aggregate may be
//! published and how.
//!
//! - [`suppress`]: small-cell suppression of a two-way table with its margins, with
//!   complementary suppression so that no suppressed cell can be worked out from the published
//!   cells, row totals, column totals or grand total.
//! - [`dp`]: exact discrete-Laplace noise for differentially private releases, drawn from
//!   uniform random integers (no floating point).
//! - [`cellkey`]: noise tied to the set of people in a cell, so that overlapping questions
//!   cannot be subtracted to reveal one person.
//! - [`budget`]: a privacy budget per dataset, refused when spent.
//! - [`random`]: the operating system's CSPRNG and a keyed deterministic stream.
//! - [`record`], [`htcds`], [`ctdc`], [`synth`]: the exports — a de-identified HTCDS 2.0 file
//!   with k-anonymity, and a CTDC-layout file of synthetic rows drawn from differentially
//!   private marginals.

pub mod budget;
pub mod cellkey;
pub mod ctdc;
pub mod dp;
pub mod facts;
pub mod htcds;
pub mod random;
pub mod record;
pub mod spans;
pub mod suppress;
pub mod synth;

/// Why a statistic could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatsError {
    #[error("{0}")]
    Parameter(&'static str),
    #[error("the operating system's random source failed")]
    NoRandomness,
    #[error("the privacy budget is spent: {left} ten-thousandths of epsilon are left")]
    BudgetSpent { left: u64 },
}
