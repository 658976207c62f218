//! Passage's pure domain: vocabularies, validation, partial dates, statistics disclosure control
//! and the access policy with its immigration firewall.
//!
//! Nothing here does I/O, async, HTTP or SQL. Every rule is a function of its inputs, unit-tested
//! exhaustively where the input space is small (the policy matrix) and by properties elsewhere.

pub mod casework;
pub mod country;
pub mod date;
pub mod error_code;
pub mod handover;
pub mod intake;
pub mod labour;
pub mod messages;
pub mod monitoring;
pub mod notifications;
pub mod numerals;
pub mod oversight;
pub mod policy;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod screening;
pub mod services;
pub mod stats;
pub mod throttle;
pub mod totp;
pub mod transfers;
pub mod validate;
pub mod vocab;

pub use country::Country;
pub use date::PartialDate;
pub use error_code::ErrorCode;
pub use policy::{Action, Decision, DenyReason, Principal, Relation, Scope};
pub use vocab::{
    CaseStatus, CaseType, Category, Channel, OrgKind, ReportStatus, ReporterType, Role, Sex, Stage,
    Urgency,
};
