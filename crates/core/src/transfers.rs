//! Transfers: the case itself moves to another organisation (a hotline hands over to the
//! shelter). The consent rule is the referral's (`referrals::covering` with the receiving
//! organisation); this module holds how a transfer moves from pending to its end.
//!
//! A transfer is `pending` until the receiver accepts (the case moves) or declines; a
//! withdrawn consent ends a pending one (`withdrawn`). An accepted transfer is `closed` when
//! the receiver records its outcome, which the sender reads on its stub.

use crate::vocab::vocabulary;

vocabulary! {
    /// Where a transfer stands.
    TransferStatus {
        Pending => "pending",
        Accepted => "accepted",
        Declined => "declined",
        Withdrawn => "withdrawn",
        Closed => "closed",
    }
}

/// Whether a transfer may move from `from` to `to`: the receiver accepts or declines a pending
/// one and closes (with its outcome) one it accepted; a withdrawn consent ends a pending one.
/// Declined, withdrawn and closed are final, and an accepted case is never taken back.
pub fn may_move(from: TransferStatus, to: TransferStatus) -> bool {
    use TransferStatus::*;
    matches!(
        (from, to),
        (Pending, Accepted) | (Pending, Declined) | (Pending, Withdrawn) | (Accepted, Closed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_accepted_case_is_never_withdrawn() {
        assert!(may_move(TransferStatus::Pending, TransferStatus::Withdrawn));
        assert!(!may_move(
            TransferStatus::Accepted,
            TransferStatus::Withdrawn
        ));
        assert!(may_move(TransferStatus::Accepted, TransferStatus::Closed));
    }

    proptest! {
        #[test]
        fn an_ended_transfer_never_moves_again(a in 0usize..5, b in 0usize..5) {
            let (from, to) = (TransferStatus::ALL[a], TransferStatus::ALL[b]);
            let ended = matches!(
                from,
                TransferStatus::Declined | TransferStatus::Withdrawn | TransferStatus::Closed
            );
            if ended {
                prop_assert!(!may_move(from, to));
            }
            if may_move(from, to) {
                prop_assert_ne!(from, to);
            }
        }
    }
}
