//! The person's own copy (the right of access): everything Passage holds about the person on
//! one case, as the reader who produces it may see it. It is built only from the store's
//! ordinary read paths with the reader as actor — the case, the person's identity and
//! documents, consents, needs, services, referrals, notes, attachments, deadlines, the
//! disclosure register and corrections — so every rule applies as everywhere: the immigration
//! firewall, the migration status only for those who may read it, notes only at a
//! confidentiality the reader may read, and a reader outside the case's organisation finds
//! nothing (not found, as for a case that does not exist).
//!
//! Producing the copy is audited as `case.copy` (the case's id only); each part read is
//! audited by its own read path as well.

use super::consent::ConsentView;
use super::corrections::Correction;
use super::disclosures::DisclosureRegister;
use super::needs::Need;
use super::notes::Note;
use super::person::PersonDetails;
use super::referrals::Referral;
use super::services::Service;
use crate::cases::CaseView;
use crate::casework::attachments::AttachmentMeta;
use crate::{Actor, Store, StoreError};
use passage_core::policy::Action;
use serde::Serialize;
use uuid::Uuid;

/// What Passage holds about the person on one case, as the reader may see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonCopy {
    /// When the copy was produced (Unix milliseconds).
    pub produced_at: i64,
    /// The case, with its summary, status, deadlines and outcome.
    pub case: CaseView,
    /// The person's identity and identity documents.
    pub person: PersonDetails,
    pub consents: Vec<ConsentView>,
    pub needs: Vec<Need>,
    pub services: Vec<Service>,
    pub referrals: Vec<Referral>,
    /// Only the notes the reader may read.
    pub notes: Vec<Note>,
    /// The files kept on the case (names and descriptions, not their content).
    pub attachments: Vec<AttachmentMeta>,
    pub disclosures: DisclosureRegister,
    pub corrections: Vec<Correction>,
}

impl Store {
    /// Produces the person's copy of one case for a reader who may read the case. Anyone else
    /// — another organisation, immigration enforcement — is answered not found (the refusal is
    /// audited by the gate).
    pub async fn person_copy(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<PersonCopy, StoreError> {
        // The gate first, and the copy's own audit event: a refusal ends here.
        let tx = self.begin().await?;
        let (mut tx, case) = super::gate(tx, actor, case_id, Action::ReadCase, "case.copy").await?;
        let disclosures = super::disclosures::of_case(&mut tx, &case).await?;
        let corrections = super::corrections::of_case(&mut tx, &case).await?;
        tx.audit(actor.event("case.copy", "case", Some(case.key()), "ok"))
            .await?;
        let produced_at = tx.now;
        tx.commit().await?;
        let view = self.get_case(actor, case_id).await?;
        let person = self.person_details(actor, view.person.id).await?;
        let consents = self.list_consents(actor, view.person.id).await?;
        let needs = self.list_needs(actor, case_id).await?;
        let services = self.list_services(actor, case_id).await?;
        let referrals = self.case_referrals(actor, case_id).await?;
        let notes = self.list_notes(actor, case_id).await?;
        let attachments = self.list_attachments(actor, case_id).await?;
        Ok(PersonCopy {
            produced_at,
            case: view,
            person,
            consents,
            needs,
            services,
            referrals,
            notes,
            attachments,
            disclosures,
            corrections,
        })
    }
}
