//! A staff reply's delivery state in the report's thread, in the reader's language: queued,
//! sent, delivered, or failed with a plain reason. A failed reply is marked in words and
//! emphasis, not only by colour.

use crate::kit::Nav;
use passage_core::messages::{DeliveryStatus, FailureReason};
use passage_store::reports::MessageView;
use passage_store::reports::outbound::DeliveryView;

/// One message of the thread as the report page shows it.
pub struct ThreadLine {
    pub from: String,
    pub at: String,
    pub body: String,
    pub delivery: Option<DeliveryLine>,
}

/// Where a staff reply stands, in words.
pub struct DeliveryLine {
    pub failed: bool,
    pub text: String,
}

/// The words for a reply's state.
pub fn describe(nav: &Nav, d: &DeliveryView) -> DeliveryLine {
    let text = match d.status {
        DeliveryStatus::Queued if d.attempts > 0 => {
            nav.t1("reply-delivery-retrying", "attempts", d.attempts)
        }
        DeliveryStatus::Queued => nav.t("reply-delivery-queued"),
        DeliveryStatus::Sent => nav.t("reply-delivery-sent"),
        DeliveryStatus::Delivered => nav.t("reply-delivery-delivered"),
        DeliveryStatus::Failed => {
            let reason = match d.reason.unwrap_or(FailureReason::Undelivered) {
                FailureReason::GatewayNotConfigured => {
                    nav.t("reply-delivery-reason-gateway-not-configured")
                }
                FailureReason::NumberCannotReceive => {
                    nav.t("reply-delivery-reason-number-cannot-receive")
                }
                FailureReason::Unsubscribed => nav.t("reply-delivery-reason-unsubscribed"),
                FailureReason::Refused => nav.t("reply-delivery-reason-refused"),
                FailureReason::Undelivered => nav.t("reply-delivery-reason-undelivered"),
                FailureReason::GaveUp => {
                    nav.t1("reply-delivery-reason-gave-up", "attempts", d.attempts)
                }
            };
            nav.t1("reply-delivery-failed", "reason", reason)
        }
    };
    DeliveryLine {
        failed: d.status == DeliveryStatus::Failed,
        text,
    }
}

/// The thread with each staff reply's state.
pub fn thread(nav: &Nav, messages: &[MessageView]) -> Vec<ThreadLine> {
    messages
        .iter()
        .map(|m| ThreadLine {
            from: m.from.clone(),
            at: m.at.clone(),
            body: m.body.clone(),
            delivery: m.delivery.as_ref().map(|d| describe(nav, d)),
        })
        .collect()
}
