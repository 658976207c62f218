//! The request and response types of notifications and webhooks over the API: built from the
//! store's values by `From`; the OpenAPI schemas are derived from them. Ids and times only.

use passage_store::notify as store;
use passage_store::org_webhooks as hooks;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One notification of a referral's event.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    /// `referral_received`, `referral_answered`, `referral_overdue` or `referral_withdrawn`
    pub kind: String,
    pub referral_id: Uuid,
    /// The other organisation of the referral
    pub organisation_id: Uuid,
    /// Milliseconds since the Unix epoch
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// The signed-in user's notifications, newest first, and how many are unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub notifications: Vec<Notification>,
    pub unread: i64,
}

impl From<store::Inbox> for Inbox {
    fn from(i: store::Inbox) -> Inbox {
        Inbox {
            notifications: i
                .notifications
                .into_iter()
                .map(|n| Notification {
                    id: n.id,
                    kind: n.kind.as_str().to_string(),
                    referral_id: n.referral_id,
                    organisation_id: n.organisation_id,
                    created_at: n.created_at,
                    read_at: n.read_at,
                })
                .collect(),
            unread: i.unread,
        }
    }
}

/// An endpoint to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// `https://…` (plain `http://` only to 127.0.0.1 or localhost)
    #[serde(default)]
    #[schema(required = true)]
    pub url: String,
}

/// The organisation's endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub created_at: i64,
}

impl From<hooks::Endpoint> for Endpoint {
    fn from(e: hooks::Endpoint) -> Endpoint {
        Endpoint {
            id: e.id,
            url: e.url,
            created_at: e.created_at,
        }
    }
}

/// A registered endpoint with its signing secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub id: Uuid,
    pub url: String,
    pub created_at: i64,
    /// Key of the `X-Passage-Signature` HMAC-SHA256 (hex, used as text)
    pub secret: String,
}

/// One notice sent (or to be sent) to the endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: String,
    pub event: String,
    /// `pending`, `delivered` or `dead` (given up after the last attempt)
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_at: Option<i64>,
    pub last_at: Option<i64>,
    /// The last attempt's HTTP status or a short reason
    pub last_result: Option<String>,
}

impl From<hooks::Delivery> for Delivery {
    fn from(d: hooks::Delivery) -> Delivery {
        Delivery {
            id: d.id,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            created_at: d.created_at,
            next_at: d.next_at,
            last_at: d.last_at,
            last_result: d.last_result,
        }
    }
}

/// The organisation's endpoint (if any) and its delivery log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhooks {
    pub endpoint: Option<Endpoint>,
    pub deliveries: Vec<Delivery>,
    /// How many notices were given up on
    pub dead: i64,
}

/// A service's answer time: referrals sent to it are due this many hours after sending.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerHours {
    /// 1 to 720; 72 unless set
    #[schema(minimum = 1, maximum = 720)]
    pub answer_hours: i64,
}

/// How many notices given up on were queued again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Requeued {
    pub requeued: u64,
}
