//! Sends staff replies through the gateway their report came in on: every second, claims the
//! replies that are due (`Store::claim_due_replies`) and sends each one.
//!
//! - SMS through Twilio's Messages API: `POST {twilio_api_url}/2010-04-01/Accounts/{sid}/Messages.json`,
//!   HTTP Basic auth (account sid, auth token), form fields `To`, `From` (or
//!   `MessagingServiceSid`), `Body` and, when `public_url` is set, `StatusCallback` (the
//!   `/api/v1/channels/twilio/status` route). 201 answers JSON with `sid`; a 4xx answers
//!   `{"code", "message", "status"}` and is permanent (21211 invalid `To`, 21610 unsubscribed…);
//!   429 and 5xx are retried.
//! - Chat through RapidPro / TextIt's broadcasts endpoint of API v2:
//!   `POST {rapidpro_url}/api/v2/broadcasts.json` with `Authorization: Token <token>` and
//!   `{"urns": ["<urn>"], "text": {"eng": "<text>"}, "base_language": "eng"}` (the URN the
//!   report came from; text as a translations dictionary, as the current endpoint documents).
//!   201 answers the broadcast with its `uuid` (or `id` on older servers), which the status
//!   route is told. Any 4xx but 429 is permanent, 429 and 5xx are retried.
//!
//! A reply whose gateway is not configured is marked failed (`gateway_not_configured`) at
//! once, so the thread shows it. Passing failures are retried with backoff and jitter by the
//! store. The log has the reply's id, the gateway, the HTTP status and the gateway's error
//! code only: never the number, the URN or the text.

use crate::config::Config;
use base64::Engine;
use passage_core::messages::{Answer, FailureReason, Gateway, rapidpro_answer, twilio_answer};
use passage_store::Store;
use passage_store::reports::outbound::DueReply;
use std::sync::Arc;
use std::time::Duration;

/// Replies claimed per round; sent one after the other within the store's lease (8 × 10 s
/// at worst, under its two minutes, so a slow gateway does not let another server resend).
const BATCH: i64 = 8;
const TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a gateway's answer that is read.
const ANSWER_LIMIT: u64 = 64 * 1024;

/// Twilio's sender: a number, or a messaging service that picks one.
#[derive(Clone)]
pub enum TwilioFrom {
    Number(String),
    Service(String),
}

/// Twilio's account, when replies to SMS reports may be sent.
#[derive(Clone)]
pub struct Twilio {
    pub api: String,
    pub account_sid: String,
    pub auth_token: String,
    pub from: TwilioFrom,
}

/// A RapidPro / TextIt workspace, when replies to chat reports may be sent.
#[derive(Clone)]
pub struct Rapidpro {
    pub api: String,
    pub token: String,
}

/// The configured gateways and where their status callbacks go.
pub struct Gateways {
    pub twilio: Option<Twilio>,
    pub rapidpro: Option<Rapidpro>,
    /// Passage's public address, for Twilio's `StatusCallback`; none: no callbacks asked.
    pub public_url: Option<String>,
    agent: ureq::Agent,
}

impl Gateways {
    pub fn new(
        twilio: Option<Twilio>,
        rapidpro: Option<Rapidpro>,
        public_url: Option<String>,
    ) -> Gateways {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            // A person's number and words go to the configured address or nowhere.
            .max_redirects(0)
            .build()
            .into();
        Gateways {
            twilio,
            rapidpro,
            public_url,
            agent,
        }
    }

    /// The gateways the configuration describes (each needs all its settings).
    pub fn from_config(config: &Config) -> Gateways {
        let from = match (&config.twilio_from, &config.twilio_messaging_service_sid) {
            (Some(n), _) => Some(TwilioFrom::Number(n.clone())),
            (None, Some(s)) => Some(TwilioFrom::Service(s.clone())),
            (None, None) => None,
        };
        let twilio = match (&config.twilio_account_sid, &config.twilio_auth_token, from) {
            (Some(sid), Some(token), Some(from)) => Some(Twilio {
                api: config.twilio_api_url.trim_end_matches('/').to_string(),
                account_sid: sid.clone(),
                auth_token: token.clone(),
                from,
            }),
            _ => None,
        };
        let token = config
            .rapidpro_api_token
            .as_ref()
            .or(config.rapidpro_token.as_ref());
        let rapidpro = match (&config.rapidpro_url, token) {
            (Some(url), Some(token)) => Some(Rapidpro {
                api: url.trim_end_matches('/').to_string(),
                token: token.clone(),
            }),
            _ => None,
        };
        Gateways::new(twilio, rapidpro, config.public_url.clone())
    }

    fn configured(&self, gateway: Gateway) -> bool {
        match gateway {
            Gateway::Twilio => self.twilio.is_some(),
            Gateway::Rapidpro => self.rapidpro.is_some(),
        }
    }
}

/// Starts the sender.
pub fn start(store: &Store, config: &Config) {
    let gateways = Gateways::from_config(config);
    for g in Gateway::ALL {
        if gateways.configured(*g) {
            tracing::info!(gateway = g.as_str(), "reply sending started");
        } else {
            tracing::info!(
                gateway = g.as_str(),
                "no gateway configured: replies through it are marked failed"
            );
        }
    }
    tokio::spawn(run(store.clone(), Arc::new(gateways)));
}

async fn run(store: Store, gateways: Arc<Gateways>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        round(&store, &gateways).await;
    }
}

/// One round: claims the due replies and sends each. Returns how many were claimed.
pub async fn round(store: &Store, gateways: &Arc<Gateways>) -> usize {
    let operator = store.operator("send replies");
    let replies = match store.claim_due_replies(operator.authority(), BATCH).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e.log_detail(), "claiming due replies failed");
            return 0;
        }
    };
    let n = replies.len();
    for reply in replies {
        deliver(store, gateways, reply).await;
    }
    n
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Taken, with the gateway's id for it.
    Sent(String),
    /// Never: the reason, and the code kept with it.
    Permanent(FailureReason, String),
    /// Try again: the code of this failure.
    Passing(String),
}

async fn deliver(store: &Store, gateways: &Arc<Gateways>, reply: DueReply) {
    let id = reply.id.clone();
    let gateway = reply.gateway;
    let g = gateway.as_str();
    let outcome = if gateways.configured(gateway) {
        let gw = gateways.clone();
        tokio::task::spawn_blocking(move || send(&gw, &reply))
            .await
            .unwrap_or_else(|_| Outcome::Passing("send_task_failed".into()))
    } else {
        Outcome::Permanent(
            FailureReason::GatewayNotConfigured,
            "gateway_not_configured".into(),
        )
    };
    let recorded = match &outcome {
        Outcome::Sent(provider_id) => {
            tracing::info!(outbound_id = %id, gateway = g, provider_id = %provider_id, "reply sent");
            store.reply_sent(&id, provider_id).await
        }
        Outcome::Permanent(reason, code) => {
            tracing::warn!(outbound_id = %id, gateway = g, reason = reason.as_str(), code = %code, "reply failed");
            let attempted = *reason != FailureReason::GatewayNotConfigured;
            store.reply_failed(&id, *reason, code, attempted).await
        }
        Outcome::Passing(code) => match store.reply_not_sent(&id, code).await {
            Ok(passage_core::messages::Retry::At(at)) => {
                tracing::info!(outbound_id = %id, gateway = g, code = %code, next_at = at, "reply not sent, will be retried");
                Ok(())
            }
            Ok(passage_core::messages::Retry::GiveUp) => {
                tracing::error!(outbound_id = %id, gateway = g, code = %code, "reply given up after the last attempt");
                Ok(())
            }
            Err(e) => Err(e),
        },
    };
    if let Err(e) = recorded {
        tracing::warn!(outbound_id = %id, error = %e.log_detail(), "recording a reply's outcome failed");
    }
}

/// One blocking attempt through the reply's gateway (configured: checked by the caller).
fn send(gateways: &Gateways, reply: &DueReply) -> Outcome {
    match reply.gateway {
        Gateway::Twilio => match &gateways.twilio {
            Some(t) => send_twilio(&gateways.agent, t, gateways.public_url.as_deref(), reply),
            None => Outcome::Permanent(
                FailureReason::GatewayNotConfigured,
                "gateway_not_configured".into(),
            ),
        },
        Gateway::Rapidpro => match &gateways.rapidpro {
            Some(r) => send_rapidpro(&gateways.agent, r, reply),
            None => Outcome::Permanent(
                FailureReason::GatewayNotConfigured,
                "gateway_not_configured".into(),
            ),
        },
    }
}

/// The code of a failure to reach the gateway at all (no HTTP answer): always passing.
fn unreachable(e: &ureq::Error) -> Outcome {
    Outcome::Passing(
        match e {
            ureq::Error::Timeout(_) => "timeout",
            ureq::Error::HostNotFound => "host_not_found",
            ureq::Error::ConnectionFailed => "connection_failed",
            ureq::Error::Io(_) => "connection_error",
            ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => "redirect",
            _ => "request_failed",
        }
        .into(),
    )
}

/// The status and the JSON of an answer (`Null` when it is not JSON).
fn answer(res: &mut ureq::http::Response<ureq::Body>) -> (u16, serde_json::Value) {
    let status = res.status().as_u16();
    let json = res
        .body_mut()
        .with_config()
        .limit(ANSWER_LIMIT)
        .read_to_string()
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    (status, json)
}

fn send_twilio(
    agent: &ureq::Agent,
    t: &Twilio,
    public_url: Option<&str>,
    reply: &DueReply,
) -> Outcome {
    let url = format!(
        "{}/2010-04-01/Accounts/{}/Messages.json",
        t.api, t.account_sid
    );
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", t.account_sid, t.auth_token));
    let callback = public_url.map(|base| {
        format!(
            "{}/api/v1/channels/twilio/status",
            base.trim_end_matches('/')
        )
    });
    let mut form: Vec<(&str, &str)> = vec![("To", &reply.recipient), ("Body", &reply.body)];
    match &t.from {
        TwilioFrom::Number(n) => form.push(("From", n)),
        TwilioFrom::Service(s) => form.push(("MessagingServiceSid", s)),
    }
    if let Some(cb) = &callback {
        form.push(("StatusCallback", cb));
    }
    let res = agent
        .post(&url)
        .header("Authorization", format!("Basic {auth}"))
        .header("Accept", "application/json")
        .send_form(form);
    let mut res = match res {
        Ok(r) => r,
        Err(e) => return unreachable(&e),
    };
    let (status, json) = answer(&mut res);
    let code = json.get("code").and_then(serde_json::Value::as_i64);
    match twilio_answer(status, code) {
        Answer::Accepted => Outcome::Sent(provider_id(&json, &["sid"], reply)),
        Answer::Permanent(reason) => Outcome::Permanent(
            reason,
            code.map_or_else(|| format!("http_{status}"), |c| format!("twilio_{c}")),
        ),
        Answer::Transient => Outcome::Passing(format!("http_{status}")),
    }
}

fn send_rapidpro(agent: &ureq::Agent, r: &Rapidpro, reply: &DueReply) -> Outcome {
    let url = format!("{}/api/v2/broadcasts.json", r.api);
    let body = serde_json::json!({
        "urns": [reply.recipient],
        "text": {"eng": reply.body},
        "base_language": "eng",
    });
    let res = agent
        .post(&url)
        .header("Authorization", format!("Token {}", r.token))
        .header("Accept", "application/json")
        .send_json(&body);
    let mut res = match res {
        Ok(r) => r,
        Err(e) => return unreachable(&e),
    };
    let (status, json) = answer(&mut res);
    match rapidpro_answer(status) {
        Answer::Accepted => Outcome::Sent(provider_id(&json, &["uuid", "id"], reply)),
        Answer::Permanent(reason) => Outcome::Permanent(reason, format!("http_{status}")),
        Answer::Transient => Outcome::Passing(format!("http_{status}")),
    }
}

/// The gateway's id of what it took: the first of `keys` present (a string or a number),
/// else one made from the reply's id so the record stays unique (no callback will name it).
fn provider_id(json: &serde_json::Value, keys: &[&str], reply: &DueReply) -> String {
    keys.iter()
        .find_map(|k| match json.get(*k) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .map(|id| id.chars().take(64).collect())
        .unwrap_or_else(|| format!("unnamed:{}", reply.id))
}

#[cfg(test)]
#[path = "messages_tests.rs"]
mod tests;
