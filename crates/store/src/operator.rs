//! The operator: whoever runs commands on the server itself (`passage org add`, `passage user
//! add`, the demo seeder and generator, the start-up keying pass). Every operation that goes
//! around the signed-in path lives here and nowhere else, so it can be found, reviewed and
//! forbidden as one thing: the web crate may not name [`Operator`] or [`Store::operator`]
//! (its `clippy.toml` refuses them), and no handler can reach a bypass by accident.
//!
//! A handle is made for a stated purpose; every audited call through it is recorded with no
//! user and the purpose `operator:<purpose>`.

use crate::auth::{Authority, OperatorToken};
use crate::casework::seed::SeedCase;
use crate::{Actor, Store, StoreError};
use sqlx::AnyPool;

/// The operator's handle on a store, for one stated purpose. Made only by [`Store::operator`].
#[derive(Debug, Clone)]
pub struct Operator<'s> {
    store: &'s Store,
    authority: Authority,
}

impl Store {
    /// The operator's handle, for commands run on the server (never from a request). `purpose`
    /// says why, in a few words ("demo", "user add"); the audit log records it.
    pub fn operator(&self, purpose: &str) -> Operator<'_> {
        Operator {
            store: self,
            authority: Authority::Operator(OperatorToken::new(purpose)),
        }
    }
}

impl<'s> Operator<'s> {
    /// The operator's authority, for administrative operations that also accept a signed-in
    /// system administrator (creating organisations and users, disabling a user, the queue).
    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// Acts as a user without their password: only for the demo seeder and the generator.
    /// Audited as `auth.impersonate` with the user's id.
    pub async fn impersonate(&self, email: &str) -> Result<Actor, StoreError> {
        self.store.impersonate(&self.authority, email).await
    }

    /// Removes a user's second factor and recovery codes, for a user who lost both; they enrol
    /// again at their next sign-in. Audited as `user.second_factor.reset`.
    pub async fn reset_second_factor(&self, email: &str) -> Result<(), StoreError> {
        self.store.reset_second_factor(&self.authority, email).await
    }

    /// Writes a batch of synthetic cases for `actor`'s organisation in one transaction,
    /// bypassing the lifecycle rules (see [`crate::casework::seed`]).
    pub async fn seed_cases(
        &self,
        actor: &Actor,
        batch: Vec<SeedCase>,
    ) -> Result<usize, StoreError> {
        self.store.seed_cases(actor, batch).await
    }

    /// Refreshes the planner's statistics after a bulk load. Audited as `db.analyze`.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        self.store.refresh_statistics(&self.authority).await
    }

    /// Builds the linkage keys of persons that have none yet. Audited as `linkage.index`.
    pub async fn index_link_keys(&self) -> Result<usize, StoreError> {
        self.store.index_link_keys(&self.authority).await
    }

    /// The exact counts and cell keys of today's release for one question's dimensions and
    /// period, grouped two ways: from the release's grouping (what questions read) and from
    /// every fact. For the store's tests, which check that both always agree. Not audited:
    /// it reads no record, and no request reaches an operator.
    #[doc(hidden)]
    pub async fn stats_counted_both_ways(
        &self,
        by: &[crate::stats::Dimension],
        from: passage_core::casework::calendar::Day,
        to: passage_core::casework::calendar::Day,
    ) -> Result<[crate::stats::Counted; 2], StoreError> {
        self.store.stats_counted_both_ways(by, from, to).await
    }

    /// The raw pool, for the store's own tests (tampering with the audit log, reading raw
    /// ciphertext). Not audited: it reads and writes beneath the audit log by design.
    #[doc(hidden)]
    pub fn unsafe_raw_pool(&self) -> &'s AnyPool {
        &self.store.pool
    }

    /// The store's keys holding the data keys of every person (of `persons`, or all when
    /// `None`), for the store's own tests that open raw ciphertext. Not audited, like
    /// [`Operator::unsafe_raw_pool`]; loading every key costs memory in proportion to the
    /// register.
    #[doc(hidden)]
    pub async fn unsafe_raw_keys(
        &self,
        persons: Option<&[String]>,
    ) -> Result<crate::Keys, StoreError> {
        let all: Vec<String>;
        let persons = match persons {
            Some(p) => p,
            None => {
                all = sqlx::query_as::<_, (String,)>("SELECT id FROM person_keys")
                    .fetch_all(&self.store.pool)
                    .await?
                    .into_iter()
                    .map(|(p,)| p)
                    .collect();
                &all
            }
        };
        self.store.reader_keys(persons).await
    }
}
