//! Persistence for Passage on SQLite (embedded default) and PostgreSQL.
//!
//! Every function that touches personal data takes an [`Actor`], which only authentication can
//! make, and asks the access policy of `passage-core` before it reads or writes. Identity fields
//! and narratives are sealed field by field ([`keys`]); names are found through keyed blind
//! indexes ([`search`]); every access and change appends to the hash-chained audit log
//! ([`audit`]) in the same transaction.

pub mod accounts;
pub mod argon;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod casework;
pub mod clock;
mod db;
pub mod delivery_retention;
pub mod directory;
pub mod erasure;
mod error;
pub mod hashing;
pub mod keys;
pub mod labour;
pub mod monitoring;
pub mod notify;
pub mod operator;
pub mod org_webhooks;
pub mod orgs;
pub mod outbox;
pub mod oversight;
pub mod random;
pub mod reports;
pub mod search;
pub mod stats;

pub use auth::{Actor, Authority, LoginError, SessionKind, SessionPolicy};
pub use db::{Backend, Store};
pub use error::StoreError;
pub use keys::{KeyOrigin, Keys};

pub use clock::Clock;

/// Milliseconds since the Unix epoch on the system clock, for what is not the store's business
/// (a process's own timers). What the store records or compares uses [`Store::clock`].
pub fn now_ms() -> i64 {
    Clock::system().now_ms()
}
