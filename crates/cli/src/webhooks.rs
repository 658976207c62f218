//! Delivers the webhook outbox: every second, claims the notices that are due and POSTs each
//! one as JSON, signed with `X-Passage-Signature: sha256=<hex HMAC-SHA256 of the body keyed by
//! the secret>`: an emergency alert to `alert_webhook_url` with its configured secret, a notice
//! addressed to an organisation (a referral's event) to the endpoint that organisation
//! registered, with that endpoint's own secret. Without an alert address only the
//! organisations' notices are claimed; alerts wait for one to be configured. A 2xx answer marks the notice delivered; anything else
//! (another status, a timeout, a refused connection, a redirect) schedules a retry with backoff
//! in the store. Payloads carry no personal data, and are never logged all the same: the log
//! has the outbox id and the HTTP status only.

use crate::config::Config;
use hmac::{Hmac, KeyInit, Mac};
use passage_store::Store;
use passage_store::outbox::{Failed, OrgTarget, OutboxItem};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

/// Notices claimed per round; delivered one after the other within the store's lease.
const BATCH: i64 = 8;
const TIMEOUT: Duration = Duration::from_secs(10);

struct Delivery {
    agent: ureq::Agent,
    /// The alert address and its secret, when configured.
    alert: Option<OrgTarget>,
}

/// Starts the delivery task: alerts go to the configured address (the configuration
/// guarantees a secret with it), organisations' notices to their own endpoints.
pub fn start(store: &Store, config: &Config) {
    let alert = match (&config.alert_webhook_url, &config.alert_webhook_secret) {
        (Some(url), Some(secret)) => Some(OrgTarget {
            url: url.clone(),
            secret: secret.clone(),
        }),
        _ => None,
    };
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        // A signed notice goes to the registered address or nowhere.
        .max_redirects(0)
        .build()
        .into();
    if alert.is_some() {
        tracing::info!("alert webhook delivery started");
    }
    tracing::info!("organisation webhook delivery started");
    tokio::spawn(run(store.clone(), Arc::new(Delivery { agent, alert })));
}

async fn run(store: Store, delivery: Arc<Delivery>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = store.clock().now_ms();
        let claimed = if delivery.alert.is_some() {
            store.claim_due_webhooks(now, BATCH).await
        } else {
            store.claim_due_org_webhooks(now, BATCH).await
        };
        let items = match claimed {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(error = %e.log_detail(), "claiming due webhooks failed");
                continue;
            }
        };
        for item in items {
            deliver(&store, &delivery, item).await;
        }
    }
}

/// Where `item` goes: the alert address, or its organisation's endpoint (none when the
/// organisation removed it since).
async fn target_of(
    store: &Store,
    delivery: &Delivery,
    item: &OutboxItem,
) -> Result<OrgTarget, &'static str> {
    match &item.org_id {
        None => delivery.alert.clone().ok_or("no alert address"),
        Some(org) => match store.webhook_target(org).await {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err("no endpoint registered"),
            Err(e) => {
                tracing::warn!(outbox_id = %item.id, error = %e.log_detail(), "reading an organisation's endpoint failed");
                Err("endpoint unreadable")
            }
        },
    }
}

async fn deliver(store: &Store, delivery: &Arc<Delivery>, item: OutboxItem) {
    let id = item.id.clone();
    let what = if item.org_id.is_some() {
        "organisation webhook"
    } else {
        "alert webhook"
    };
    let outcome = match target_of(store, delivery, &item).await {
        Ok(target) => {
            let d = delivery.clone();
            tokio::task::spawn_blocking(move || post(&d.agent, &target, &item))
                .await
                .unwrap_or(Err("delivery task failed"))
        }
        Err(reason) => Err(reason),
    };
    let result = match outcome {
        Ok(status) if (200..300).contains(&status) => {
            tracing::info!(outbox_id = %id, status, "{what} delivered");
            if let Err(e) = store.mark_webhook_delivered(&id).await {
                tracing::warn!(outbox_id = %id, error = %e.log_detail(), "recording a delivered webhook failed");
            }
            return;
        }
        Ok(status) => {
            tracing::warn!(outbox_id = %id, status, "{what} refused");
            format!("HTTP {status}")
        }
        Err(reason) => {
            tracing::warn!(outbox_id = %id, reason, "{what} not delivered");
            reason.to_string()
        }
    };
    match store
        .mark_webhook_failed_as(&id, store.clock().now_ms(), &result)
        .await
    {
        Ok(Failed::RetryAt(at)) => {
            tracing::info!(outbox_id = %id, next_at = at, "{what} will be retried")
        }
        Ok(Failed::Dead) => {
            tracing::error!(outbox_id = %id, "{what} given up after the last attempt")
        }
        Err(e) => {
            tracing::warn!(outbox_id = %id, error = %e.log_detail(), "recording a failed webhook failed")
        }
    }
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 2 * tag.len());
    out.push_str("sha256=");
    for b in tag {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// One blocking POST; the HTTP status, or a short reason that names neither URL nor payload.
fn post(agent: &ureq::Agent, t: &OrgTarget, item: &OutboxItem) -> Result<u16, &'static str> {
    let body = item.payload.as_bytes();
    let res = agent
        .post(&t.url)
        .header("Content-Type", "application/json")
        .header("X-Passage-Event", item.event())
        .header("X-Passage-Signature", signature(&t.secret, body))
        .send(body);
    match res {
        Ok(r) => Ok(r.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Err("timeout"),
        Err(ureq::Error::HostNotFound) => Err("host not found"),
        Err(ureq::Error::ConnectionFailed) => Err("connection failed"),
        Err(ureq::Error::Io(_)) => Err("connection error"),
        Err(ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed) => Err("redirect"),
        Err(_) => Err("request failed"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_is_the_rfc_4231_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            super::signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
