//! Handing a person on to another organisation: the rules a referral (a service of another
//! organisation works with the person) and a transfer (the case itself moves) keep, before any
//! storage. What may go (a basis that covers the receiving organisation for that purpose), what
//! goes with it (a minimal set of fields, the migration status only when the person agreed and
//! the receiver may read it), and how a referral moves from sent to closed. The immigration
//! firewall and international protection are decided elsewhere (`policy`, protection needs);
//! these rules come after them.

use crate::casework::{ConsentPurpose, LegalBasis};
use crate::vocab::vocabulary;
use crate::{ErrorCode, OrgKind};
use uuid::Uuid;

vocabulary! {
    /// A part of the case that a referral may carry to the receiver.
    ShareField {
        Name => "name",
        Languages => "languages",
        Sex => "sex",
        DateOfBirth => "date_of_birth",
        Citizenships => "citizenships",
        Contacts => "contacts",
        Needs => "needs",
        Vulnerabilities => "vulnerabilities",
        Summary => "summary",
        CaseTypes => "case_types",
        MigrationStatus => "migration_status",
    }
}

/// What a referral carries when the referrer chooses nothing: enough to contact and help the
/// person, nothing of their story or status.
pub const MINIMAL: &[ShareField] = &[ShareField::Name, ShareField::Languages, ShareField::Needs];

vocabulary! {
    /// Where a referral stands.
    ReferralStatus {
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Closed => "closed",
        Withdrawn => "withdrawn",
    }
}

/// A basis of processing in force for the person, as the store read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisInForce {
    pub purpose: ConsentPurpose,
    /// The organisation a referral consent names; `None` for other purposes.
    pub organisation_id: Option<Uuid>,
    pub basis: LegalBasis,
    /// Recorded with every basis other than consent.
    pub reason: Option<String>,
}

/// Why a person may not be handed on, with its stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: &'static str,
}

/// The receiving end of a referral or transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receiver {
    pub organisation_id: Uuid,
    pub kind: OrgKind,
    /// The receiver is in another country than the sender.
    pub cross_border: bool,
}

/// The basis that lets the person go to `to`: a referral consent naming that organisation (or a
/// basis other than consent, with its reason, naming it), and for another country also a
/// cross-border basis. Immigration enforcement is never a receiver, whatever was recorded.
pub fn covering(bases: &[BasisInForce], to: Receiver) -> Result<&BasisInForce, Refusal> {
    if to.kind == OrgKind::ImmigrationEnforcement {
        return Err(Refusal {
            code: ErrorCode::ImmigrationFirewall,
            message: "Personal data never goes to immigration enforcement.",
        });
    }
    let justified = |b: &&BasisInForce| {
        b.basis == LegalBasis::Consent || b.reason.as_deref().is_some_and(|r| !r.trim().is_empty())
    };
    let referral = bases
        .iter()
        .filter(justified)
        .find(|b| {
            b.purpose == ConsentPurpose::Referral && b.organisation_id == Some(to.organisation_id)
        })
        .ok_or(Refusal {
            code: ErrorCode::ConsentRequired,
            message: "Record the person's consent to a referral to this organisation first (or \
                      another legal basis with its reason).",
        })?;
    if to.cross_border
        && !bases
            .iter()
            .filter(justified)
            .any(|b| b.purpose == ConsentPurpose::CrossBorderSharing)
    {
        return Err(Refusal {
            code: ErrorCode::ConsentRequired,
            message: "This organisation is in another country: record the person's consent to \
                      sharing across borders first.",
        });
    }
    Ok(referral)
}

/// The fields a referral carries: those the referrer chose (the minimal set when none), in a
/// fixed order, each once, and the migration status only when the person agreed to share it
/// and the receiver may read it.
pub fn shared_fields(
    chosen: &[ShareField],
    status_agreed: bool,
    receiver_reads_status: bool,
) -> Vec<ShareField> {
    let wanted = if chosen.is_empty() { MINIMAL } else { chosen };
    ShareField::ALL
        .iter()
        .copied()
        .filter(|f| wanted.contains(f))
        .filter(|f| *f != ShareField::MigrationStatus || (status_agreed && receiver_reads_status))
        .collect()
}

/// Whether a referral may move from `from` to `to`: the receiver accepts or declines what was
/// sent, closes what it accepted; the referrer (or a withdrawn consent) withdraws anything not
/// yet ended. Declined, closed and withdrawn are final.
pub fn may_move(from: ReferralStatus, to: ReferralStatus) -> bool {
    use ReferralStatus::*;
    matches!(
        (from, to),
        (Sent, Accepted) | (Sent, Declined) | (Accepted, Closed) | (Sent | Accepted, Withdrawn)
    )
}

/// When an answer to a referral sent at `sent_at` (milliseconds) is due, for a service that
/// answers within `hours`.
pub fn answer_due(sent_at: i64, hours: u32) -> i64 {
    sent_at.saturating_add(i64::from(hours) * 3_600_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn org(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn consent(purpose: ConsentPurpose, to: Option<Uuid>) -> BasisInForce {
        BasisInForce {
            purpose,
            organisation_id: to,
            basis: LegalBasis::Consent,
            reason: None,
        }
    }

    fn receiver(kind: OrgKind, cross_border: bool) -> Receiver {
        Receiver {
            organisation_id: org(7),
            kind,
            cross_border,
        }
    }

    #[test]
    fn a_referral_needs_consent_naming_the_receiver() {
        let shelter = receiver(OrgKind::ServiceProvider, false);
        let none: Vec<BasisInForce> = Vec::new();
        assert_eq!(
            covering(&none, shelter).map_err(|r| r.code),
            Err(ErrorCode::ConsentRequired)
        );
        let elsewhere = vec![consent(ConsentPurpose::Referral, Some(org(8)))];
        assert!(
            covering(&elsewhere, shelter).is_err(),
            "another organisation"
        );
        let services = vec![consent(ConsentPurpose::Services, None)];
        assert!(covering(&services, shelter).is_err(), "another purpose");
        let named = vec![consent(ConsentPurpose::Referral, Some(org(7)))];
        assert!(covering(&named, shelter).is_ok());
    }

    #[test]
    fn another_basis_counts_only_with_its_reason() {
        let shelter = receiver(OrgKind::ServiceProvider, false);
        let mut vital = BasisInForce {
            purpose: ConsentPurpose::Referral,
            organisation_id: Some(org(7)),
            basis: LegalBasis::VitalInterest,
            reason: Some("  ".into()),
        };
        assert!(covering(std::slice::from_ref(&vital), shelter).is_err());
        vital.reason = Some("Unconscious after the accident; the clinic must treat her.".into());
        assert!(covering(std::slice::from_ref(&vital), shelter).is_ok());
    }

    #[test]
    fn across_a_border_the_cross_border_purpose_is_needed_too() {
        let abroad = receiver(OrgKind::Ngo, true);
        let named = vec![consent(ConsentPurpose::Referral, Some(org(7)))];
        assert_eq!(
            covering(&named, abroad).map_err(|r| r.code),
            Err(ErrorCode::ConsentRequired)
        );
        let both = vec![
            consent(ConsentPurpose::Referral, Some(org(7))),
            consent(ConsentPurpose::CrossBorderSharing, None),
        ];
        assert!(covering(&both, abroad).is_ok());
    }

    #[test]
    fn the_minimal_default_carries_no_story_and_no_status() {
        let fields = shared_fields(&[], true, true);
        assert_eq!(fields, MINIMAL);
        assert!(!fields.contains(&ShareField::Summary));
        assert!(!fields.contains(&ShareField::MigrationStatus));
    }

    proptest! {
        #[test]
        fn enforcement_never_receives_whatever_was_recorded(cross in any::<bool>(), n in 0usize..4) {
            let bases: Vec<BasisInForce> = ConsentPurpose::ALL
                .iter()
                .take(n)
                .map(|p| consent(*p, Some(org(7))))
                .collect();
            let refused = covering(&bases, receiver(OrgKind::ImmigrationEnforcement, cross));
            prop_assert_eq!(refused.map_err(|r| r.code), Err(ErrorCode::ImmigrationFirewall));
        }

        #[test]
        fn the_status_goes_only_when_agreed_and_readable(
            picks in proptest::collection::vec(0usize..11, 0..11),
            agreed in any::<bool>(),
            readable in any::<bool>(),
        ) {
            let chosen: Vec<ShareField> = picks.iter().map(|i| ShareField::ALL[*i]).collect();
            let fields = shared_fields(&chosen, agreed, readable);
            prop_assert_eq!(
                fields.contains(&ShareField::MigrationStatus),
                agreed && readable && chosen.contains(&ShareField::MigrationStatus)
            );
            for f in &fields {
                prop_assert!(chosen.is_empty() || chosen.contains(f), "{f} was not chosen");
            }
            let mut unique = fields.clone();
            unique.dedup();
            prop_assert_eq!(unique.len(), fields.len());
        }

        #[test]
        fn an_ended_referral_never_moves_again(a in 0usize..5, b in 0usize..5) {
            let (from, to) = (ReferralStatus::ALL[a], ReferralStatus::ALL[b]);
            let ended = matches!(
                from,
                ReferralStatus::Declined | ReferralStatus::Closed | ReferralStatus::Withdrawn
            );
            if ended {
                prop_assert!(!may_move(from, to));
            }
            if may_move(from, to) {
                prop_assert_ne!(from, to);
            }
        }
    }

    #[test]
    fn a_referral_moves_only_along_its_life() {
        use ReferralStatus::*;
        // Every pair: the receiver answers what was sent and closes what it accepted; a
        // withdrawal ends what is not yet ended; nothing else moves.
        for from in ReferralStatus::ALL {
            for to in ReferralStatus::ALL {
                let expected = matches!(
                    (from, to),
                    (Sent, Accepted)
                        | (Sent, Declined)
                        | (Accepted, Closed)
                        | (Sent, Withdrawn)
                        | (Accepted, Withdrawn)
                );
                assert_eq!(may_move(*from, *to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn an_answer_is_due_after_the_services_hours() {
        assert_eq!(answer_due(1_000, 48), 1_000 + 48 * 3_600_000);
        assert_eq!(answer_due(i64::MAX - 1, 1), i64::MAX);
    }
}
