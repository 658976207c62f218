//! Monitoring (issue 16 items 1 and 5): incidents recorded as events without a named person
//! ([`incidents`]), monitors' visits to detention centres and forced-return operations
//! ([`visits`]), and the monitoring views' counts across organisations ([`views`]).
//!
//! `core::monitoring::incident_access` decides who may; a refusal is audited. An incident or a
//! visit is its organisation's: any other reader gets `NotFound`, as for one that does not
//! exist. The narrative, the findings and the link to a case or person are sealed; nothing
//! here is sent to a webhook or a notification.

pub mod incidents;
pub mod views;
pub mod visits;

use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::monitoring::{IncidentAction, incident_access};

impl Store {
    /// Opens a transaction for `action`, or audits the refusal (committed) and answers
    /// `Forbidden` with the reason (the firewall's own for immigration enforcement).
    pub(crate) async fn incident_gate(
        &self,
        actor: &Actor,
        action: IncidentAction,
        what: &str,
        object: Option<String>,
    ) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        match incident_access(actor.principal(), action) {
            Ok(()) => Ok(tx),
            Err(reason) => {
                let outcome = match reason {
                    passage_core::DenyReason::ImmigrationFirewall => "immigration_firewall",
                    _ => "denied",
                };
                tx.audit(actor.event(what, "incident", object, outcome))
                    .await?;
                tx.commit().await?;
                Err(StoreError::Forbidden(reason))
            }
        }
    }

    /// Refuses (audited) whoever may not do `action`, before a request's body is looked at:
    /// immigration enforcement meets the firewall whatever it sent.
    pub async fn incident_firewall(
        &self,
        actor: &Actor,
        action: IncidentAction,
    ) -> Result<(), StoreError> {
        self.incident_gate(actor, action, "incident.access", None)
            .await?
            .commit()
            .await
    }

    /// Whether the actor may do `action` (for pages deciding what to show).
    pub fn may_incident(actor: &Actor, action: IncidentAction) -> bool {
        incident_access(actor.principal(), action).is_ok()
    }
}

/// Audits a refusal that reads as a missing record, commits, and answers `NotFound`.
pub(crate) async fn not_found(
    mut tx: Tx,
    actor: &Actor,
    what: &str,
    kind: &str,
    id: uuid::Uuid,
    outcome: &str,
) -> StoreError {
    let done = async {
        tx.audit(actor.event(what, kind, Some(id.to_string()), outcome))
            .await?;
        tx.commit().await
    }
    .await;
    match done {
        Ok(()) => StoreError::NotFound,
        Err(e) => e,
    }
}
