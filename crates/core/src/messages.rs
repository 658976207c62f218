//! Staff replies that leave through a messaging gateway (issue 19 item 4): which gateway a
//! reply goes through, the states a reply passes (queued → sent → delivered, or failed with a
//! reason staff can act on), how a gateway's answer is read (permanent refusal, retry, accepted)
//! and when a retry is due. Pure: the sender task and the store ask these functions.
//!
//! Reasons are stable snake_case codes kept in the database and shown to staff in their
//! language; they never carry the number or the text of the message.

use crate::Channel;

/// The gateway a reply goes back through: the one its report came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gateway {
    /// SMS through Twilio's Messages API.
    Twilio,
    /// Chat (WhatsApp, Telegram, SMS…) through RapidPro / TextIt.
    Rapidpro,
}

impl Gateway {
    pub const ALL: &'static [Gateway] = &[Gateway::Twilio, Gateway::Rapidpro];

    /// The gateway of a report's channel; none for channels without one (web form, hotline…).
    pub fn for_channel(channel: Channel) -> Option<Gateway> {
        match channel {
            Channel::Sms => Some(Gateway::Twilio),
            Channel::Chat => Some(Gateway::Rapidpro),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Gateway::Twilio => "twilio",
            Gateway::Rapidpro => "rapidpro",
        }
    }

    pub fn parse(text: &str) -> Option<Gateway> {
        Gateway::ALL.iter().copied().find(|g| g.as_str() == text)
    }
}

/// Where a reply stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting to be sent, or to be tried again after a passing failure.
    Queued,
    /// Accepted by the gateway; no news from the handset yet.
    Sent,
    /// The gateway reports it reached the handset or the chat.
    Delivered,
    /// It will not arrive; the reason says why.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: &'static [DeliveryStatus] = &[
        DeliveryStatus::Queued,
        DeliveryStatus::Sent,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == text)
    }

    /// Delivered and failed are final: nothing changes them afterwards.
    pub const fn is_final(self) -> bool {
        matches!(self, DeliveryStatus::Delivered | DeliveryStatus::Failed)
    }

    const fn rank(self) -> u8 {
        match self {
            DeliveryStatus::Queued => 0,
            DeliveryStatus::Sent => 1,
            DeliveryStatus::Delivered | DeliveryStatus::Failed => 2,
        }
    }

    /// Whether a reply at `self` moves to `next`. Gateways report out of order (a late
    /// `sent` after `delivered`): a state never goes back, and a final one never changes.
    pub fn advances_to(self, next: DeliveryStatus) -> bool {
        !self.is_final() && next.rank() > self.rank()
    }
}

/// Why a reply failed, in words staff act on (shown translated, never the gateway's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// No gateway is configured for the report's channel.
    GatewayNotConfigured,
    /// The number or address cannot receive messages (invalid, a landline, unknown).
    NumberCannotReceive,
    /// The person has opted out of messages from this number (replied STOP).
    Unsubscribed,
    /// The gateway refused the request (credentials, sender, content).
    Refused,
    /// The gateway accepted it but the carrier or the chat network could not deliver it.
    Undelivered,
    /// Every attempt failed with a passing error; no more attempts are made.
    GaveUp,
}

impl FailureReason {
    pub const ALL: &'static [FailureReason] = &[
        FailureReason::GatewayNotConfigured,
        FailureReason::NumberCannotReceive,
        FailureReason::Unsubscribed,
        FailureReason::Refused,
        FailureReason::Undelivered,
        FailureReason::GaveUp,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            FailureReason::GatewayNotConfigured => "gateway_not_configured",
            FailureReason::NumberCannotReceive => "number_cannot_receive",
            FailureReason::Unsubscribed => "unsubscribed",
            FailureReason::Refused => "refused",
            FailureReason::Undelivered => "undelivered",
            FailureReason::GaveUp => "gave_up",
        }
    }

    pub fn parse(text: &str) -> Option<FailureReason> {
        FailureReason::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == text)
    }
}

/// What one send attempt's answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The gateway took the message.
    Accepted,
    /// It never will: stop and show the reason.
    Permanent(FailureReason),
    /// Try again later (rate limit, server error, network).
    Transient,
}

/// Twilio error codes meaning the destination cannot take the message (invalid `To`, not a
/// mobile number, unreachable or unknown handset, a landline).
const TWILIO_CANNOT_RECEIVE: &[i64] = &[21211, 21214, 21217, 21407, 21612, 21614, 30005, 30006];
/// Twilio's codes for a recipient who opted out (STOP) or is blocked by the carrier's list.
const TWILIO_UNSUBSCRIBED: &[i64] = &[21610, 30004];

/// Reads the answer to `POST …/Messages.json`: 2xx accepted; 429 and 5xx (and anything not
/// 4xx) passing; any other 4xx permanent, with the reason its error `code` gives.
pub fn twilio_answer(http_status: u16, code: Option<i64>) -> Answer {
    match http_status {
        200..=299 => Answer::Accepted,
        429 => Answer::Transient,
        400..=499 => Answer::Permanent(twilio_reason(code)),
        _ => Answer::Transient,
    }
}

fn twilio_reason(code: Option<i64>) -> FailureReason {
    match code {
        Some(c) if TWILIO_CANNOT_RECEIVE.contains(&c) => FailureReason::NumberCannotReceive,
        Some(c) if TWILIO_UNSUBSCRIBED.contains(&c) => FailureReason::Unsubscribed,
        _ => FailureReason::Refused,
    }
}

/// Reads the answer to RapidPro's `POST /api/v2/broadcasts.json`: 2xx accepted; 429 and 5xx
/// passing; any other 4xx (a bad token, a URN the workspace cannot reach) permanent.
pub fn rapidpro_answer(http_status: u16) -> Answer {
    match http_status {
        200..=299 => Answer::Accepted,
        429 => Answer::Transient,
        400..=499 => Answer::Permanent(FailureReason::Refused),
        _ => Answer::Transient,
    }
}

/// A status a gateway reported, as Passage keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    pub status: DeliveryStatus,
    /// Set when `status` is [`DeliveryStatus::Failed`].
    pub reason: Option<FailureReason>,
}

/// Twilio's `MessageStatus` (and `ErrorCode`) of a status callback; none for a status Passage
/// does not know (it is recorded in the history and changes nothing).
pub fn twilio_status(status: &str, error_code: Option<i64>) -> Option<Reported> {
    let status = match status {
        "accepted" | "scheduled" | "queued" | "sending" | "sent" => DeliveryStatus::Sent,
        "delivered" | "read" => DeliveryStatus::Delivered,
        "undelivered" | "failed" | "canceled" => {
            let reason = match error_code {
                Some(c) if TWILIO_CANNOT_RECEIVE.contains(&c) => FailureReason::NumberCannotReceive,
                Some(c) if TWILIO_UNSUBSCRIBED.contains(&c) => FailureReason::Unsubscribed,
                _ => FailureReason::Undelivered,
            };
            return Some(Reported {
                status: DeliveryStatus::Failed,
                reason: Some(reason),
            });
        }
        _ => return None,
    };
    Some(Reported {
        status,
        reason: None,
    })
}

/// RapidPro's message status (`initializing`, `queued`, `wired`, `sent`, `delivered`,
/// `handled`, `errored`, `failed`; `errored` is retried by RapidPro itself, so it is still
/// on its way).
pub fn rapidpro_status(status: &str) -> Option<Reported> {
    let status = match status {
        "initializing" | "pending" | "queued" | "wired" | "sent" | "errored" => {
            DeliveryStatus::Sent
        }
        "delivered" | "handled" | "read" => DeliveryStatus::Delivered,
        "failed" => {
            return Some(Reported {
                status: DeliveryStatus::Failed,
                reason: Some(FailureReason::Undelivered),
            });
        }
        _ => return None,
    };
    Some(Reported {
        status,
        reason: None,
    })
}

/// Attempts before a reply is given up ([`FailureReason::GaveUp`]): about three hours of
/// retries with [`retry_delay_ms`].
pub const MAX_ATTEMPTS: i64 = 10;
/// The first retry's delay before jitter; it doubles with each failure up to [`MAX_DELAY_MS`].
pub const FIRST_DELAY_MS: i64 = 30_000;
pub const MAX_DELAY_MS: i64 = 3_600_000;

/// The delay after the `attempts`-th failed attempt: exponential (30 s, 1 min, 2 min … capped
/// at an hour) with "equal jitter": half the step fixed, half drawn by `jitter` in `[0, 1)`, so
/// that replies failed together by one outage do not all come back at the same second.
pub fn retry_delay_ms(attempts: i64, jitter: f64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    let step = FIRST_DELAY_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_DELAY_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let half = step / 2;
    half + (half as f64 * jitter) as i64
}

/// What a failed passing attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Due again at this time (unix ms).
    At(i64),
    /// The attempts are spent.
    GiveUp,
}

/// After the `attempts`-th failed attempt at `now_ms`: when to try again, or give up.
pub fn after_failure(attempts: i64, now_ms: i64, jitter: f64) -> Retry {
    if attempts >= MAX_ATTEMPTS {
        Retry::GiveUp
    } else {
        Retry::At(now_ms + retry_delay_ms(attempts, jitter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for g in Gateway::ALL {
            assert_eq!(Gateway::parse(g.as_str()), Some(*g));
        }
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(*s));
        }
        for r in FailureReason::ALL {
            assert_eq!(FailureReason::parse(r.as_str()), Some(*r));
        }
    }

    #[test]
    fn only_gateway_channels_have_a_gateway() {
        for c in Channel::ALL {
            let expected = match c {
                Channel::Sms => Some(Gateway::Twilio),
                Channel::Chat => Some(Gateway::Rapidpro),
                _ => None,
            };
            assert_eq!(Gateway::for_channel(*c), expected, "{c:?}");
        }
    }

    #[test]
    fn a_state_never_goes_back_and_a_final_one_never_changes() {
        use DeliveryStatus::*;
        for from in DeliveryStatus::ALL {
            for to in DeliveryStatus::ALL {
                let expected = matches!(
                    (from, to),
                    (Queued, Sent)
                        | (Queued, Delivered)
                        | (Queued, Failed)
                        | (Sent, Delivered)
                        | (Sent, Failed)
                );
                assert_eq!(from.advances_to(*to), expected, "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn twilio_answers_are_read_as_documented() {
        assert_eq!(twilio_answer(201, None), Answer::Accepted);
        assert_eq!(twilio_answer(429, Some(20429)), Answer::Transient);
        for s in [500, 502, 503, 504] {
            assert_eq!(twilio_answer(s, None), Answer::Transient);
        }
        assert_eq!(
            twilio_answer(400, Some(21211)),
            Answer::Permanent(FailureReason::NumberCannotReceive)
        );
        assert_eq!(
            twilio_answer(400, Some(21610)),
            Answer::Permanent(FailureReason::Unsubscribed)
        );
        assert_eq!(
            twilio_answer(401, Some(20003)),
            Answer::Permanent(FailureReason::Refused)
        );
        assert_eq!(
            twilio_answer(404, None),
            Answer::Permanent(FailureReason::Refused)
        );
    }

    #[test]
    fn rapidpro_answers_are_read_as_documented() {
        assert_eq!(rapidpro_answer(201), Answer::Accepted);
        assert_eq!(rapidpro_answer(429), Answer::Transient);
        assert_eq!(rapidpro_answer(503), Answer::Transient);
        assert_eq!(
            rapidpro_answer(400),
            Answer::Permanent(FailureReason::Refused)
        );
        assert_eq!(
            rapidpro_answer(403),
            Answer::Permanent(FailureReason::Refused)
        );
    }

    #[test]
    fn callback_statuses_map_to_passage_states() {
        let st = |s, c| twilio_status(s, c).map(|r| (r.status, r.reason));
        assert_eq!(st("sent", None), Some((DeliveryStatus::Sent, None)));
        assert_eq!(
            st("delivered", None),
            Some((DeliveryStatus::Delivered, None))
        );
        assert_eq!(
            st("undelivered", Some(30006)),
            Some((
                DeliveryStatus::Failed,
                Some(FailureReason::NumberCannotReceive)
            ))
        );
        assert_eq!(
            st("failed", Some(30008)),
            Some((DeliveryStatus::Failed, Some(FailureReason::Undelivered)))
        );
        assert_eq!(st("receiving", None), None);
        let rp = |s| rapidpro_status(s).map(|r| (r.status, r.reason));
        assert_eq!(rp("wired"), Some((DeliveryStatus::Sent, None)));
        assert_eq!(rp("delivered"), Some((DeliveryStatus::Delivered, None)));
        assert_eq!(
            rp("failed"),
            Some((DeliveryStatus::Failed, Some(FailureReason::Undelivered)))
        );
        assert_eq!(rp("nonsense"), None);
    }

    #[test]
    fn retries_back_off_exponentially_with_bounded_jitter_and_end() {
        let mut previous_max = 0;
        for attempts in 1..MAX_ATTEMPTS {
            let low = retry_delay_ms(attempts, 0.0);
            let high = retry_delay_ms(attempts, 0.999_999);
            assert!(low <= high && high <= MAX_DELAY_MS, "{attempts}");
            assert!(low * 2 >= high, "half of the step is fixed");
            assert!(high >= previous_max.min(MAX_DELAY_MS / 2), "{attempts}");
            previous_max = high;
            assert_eq!(
                after_failure(attempts, 1_000, 0.5),
                Retry::At(1_000 + retry_delay_ms(attempts, 0.5))
            );
        }
        assert_eq!(retry_delay_ms(1, 0.0), FIRST_DELAY_MS / 2);
        assert_eq!(retry_delay_ms(60, 1.0), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(3, f64::NAN), retry_delay_ms(3, 0.0));
        assert_eq!(after_failure(MAX_ATTEMPTS, 0, 0.5), Retry::GiveUp);
    }
}
