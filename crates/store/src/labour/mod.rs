//! Labour-market protection: the register of recruiters and employers ([`entities`]) and the
//! links that name them from reports, cases, held documents and screenings ([`links`]).
//!
//! The register is one for the network: every organisation but immigration enforcement reads
//! and adds to it (`core::labour::entities::entity_access` decides; a refusal is audited). A
//! link carries who named the entity and is read back only by that organisation; everyone else
//! gets counts, and a count under k is withheld (`core::stats::DEFAULT_MIN_CELL`).

pub mod entities;
pub mod inspections;
pub mod links;

use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::labour::entities::{EntityAction, entity_access};

impl Store {
    /// Refuses (audited) whoever may not read the register, before a request's body is looked
    /// at: immigration enforcement meets the firewall whatever it sent.
    pub async fn entity_firewall(&self, by: &crate::Authority) -> Result<(), StoreError> {
        if let crate::Authority::User(actor) = by {
            self.entity_gate(actor, EntityAction::Read, "entity.access", None)
                .await?
                .commit()
                .await?;
        }
        Ok(())
    }

    /// Opens a transaction for `action` on the register, or audits the refusal (committed) and
    /// answers `Forbidden` with the reason (the firewall's own for immigration enforcement).
    pub(crate) async fn entity_gate(
        &self,
        actor: &Actor,
        action: EntityAction,
        what: &str,
        object: Option<String>,
    ) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        match entity_access(actor.principal(), action) {
            Ok(()) => Ok(tx),
            Err(reason) => {
                let outcome = match reason {
                    passage_core::DenyReason::ImmigrationFirewall => "immigration_firewall",
                    _ => "denied",
                };
                tx.audit(actor.event(what, "entity", object, outcome))
                    .await?;
                tx.commit().await?;
                Err(StoreError::Forbidden(reason))
            }
        }
    }
}
