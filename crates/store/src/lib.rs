//! Persistence for Passage on SQLite (embedded default) and PostgreSQL.
//!
//! Every function that touches personal data takes an [`Actor`], which only authentication can
//! make, and asks the access policy of `passage-core` before it reads or writes. Identity fields
//! and narratives are sealed field by field ([`keys`]); names are found through keyed blind
//! indexes ([`search`]); every access and change appends to the hash-chained audit log
//! ([`audit`]) in the same transaction.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod casework;
mod db;
mod error;
pub mod keys;
pub mod operator;
pub mod orgs;
pub mod outbox;
pub mod random;
pub mod reports;
pub mod search;
pub mod stats;

pub use auth::{Actor, Authority, LoginError, SessionKind, SessionPolicy};
pub use db::{Backend, Store};
pub use error::StoreError;
pub use keys::{KeyOrigin, Keys};

/// Milliseconds since the Unix epoch, the store's clock.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}
