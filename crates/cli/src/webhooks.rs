//! Delivers the webhook outbox: every second, claims the notices that are due and POSTs each
//! one as JSON to `alert_webhook_url`, signed with `X-Passage-Signature: sha256=<hex HMAC-SHA256
//! of the body keyed by the secret>`. A 2xx answer marks the notice delivered; anything else
//! (another status, a timeout, a refused connection, a redirect) schedules a retry with backoff
//! in the store. Payloads carry no personal data, and are never logged all the same: the log
//! has the outbox id and the HTTP status only.

use crate::config::Config;
use hmac::{Hmac, KeyInit, Mac};
use passage_store::Store;
use passage_store::outbox::{Failed, OutboxItem};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

/// Notices claimed per round; delivered one after the other within the store's lease.
const BATCH: i64 = 8;
const TIMEOUT: Duration = Duration::from_secs(10);

struct Target {
    agent: ureq::Agent,
    url: String,
    secret: String,
}

/// Starts the delivery task when a webhook URL is configured (the configuration guarantees a
/// secret with it); does nothing otherwise.
pub fn start(store: &Store, config: &Config) {
    let (Some(url), Some(secret)) = (&config.alert_webhook_url, &config.alert_webhook_secret)
    else {
        return;
    };
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        // A signed alert goes to the configured address or nowhere.
        .max_redirects(0)
        .build()
        .into();
    let target = Arc::new(Target {
        agent,
        url: url.clone(),
        secret: secret.clone(),
    });
    tracing::info!("alert webhook delivery started");
    tokio::spawn(run(store.clone(), target));
}

async fn run(store: Store, target: Arc<Target>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let items = match store
            .claim_due_webhooks(store.clock().now_ms(), BATCH)
            .await
        {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(error = %e.log_detail(), "claiming due webhooks failed");
                continue;
            }
        };
        for item in items {
            deliver(&store, &target, item).await;
        }
    }
}

async fn deliver(store: &Store, target: &Arc<Target>, item: OutboxItem) {
    let id = item.id.clone();
    let t = target.clone();
    let outcome = tokio::task::spawn_blocking(move || post(&t, &item))
        .await
        .unwrap_or(Err("delivery task failed"));
    match outcome {
        Ok(status) if (200..300).contains(&status) => {
            tracing::info!(outbox_id = %id, status, "alert webhook delivered");
            if let Err(e) = store.mark_webhook_delivered(&id).await {
                tracing::warn!(outbox_id = %id, error = %e.log_detail(), "recording a delivered webhook failed");
            }
            return;
        }
        Ok(status) => tracing::warn!(outbox_id = %id, status, "alert webhook refused"),
        Err(reason) => tracing::warn!(outbox_id = %id, reason, "alert webhook not delivered"),
    }
    match store.mark_webhook_failed(&id, store.clock().now_ms()).await {
        Ok(Failed::RetryAt(at)) => {
            tracing::info!(outbox_id = %id, next_at = at, "alert webhook will be retried")
        }
        Ok(Failed::Dead) => {
            tracing::error!(outbox_id = %id, "alert webhook given up after the last attempt")
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
fn post(t: &Target, item: &OutboxItem) -> Result<u16, &'static str> {
    let body = item.payload.as_bytes();
    let res = t
        .agent
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
