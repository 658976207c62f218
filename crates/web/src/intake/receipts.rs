//! The receipt throttle, shared by the public API and the public follow-up page: a receipt that
//! names no report counts as a failed attempt from its source; successes are not counted, nor
//! is input that cannot be a receipt (it costs no hash). Digits of any keyboard's script count
//! as the digits they are.

use crate::AppState;
use crate::guard::Verdict;
use crate::kit::WebError;
use axum::http::StatusCode;
use passage_core::intake::normalise_receipt;
use passage_store::StoreError;

fn not_found_receipt() -> WebError {
    WebError::new(
        StatusCode::NOT_FOUND,
        passage_core::ErrorCode::UnknownReceipt,
        "No report has this receipt. Check the 16 digits and try again.",
    )
}

/// Applies the receipt throttle around a lookup. The attempt is counted before the lookup's
/// hash and given back when the receipt names a report: only failures count.
pub(crate) async fn with_receipt<T>(
    state: &AppState,
    ip: std::net::IpAddr,
    receipt: &str,
    f: impl AsyncFnOnce(&str) -> Result<T, StoreError>,
) -> Result<T, WebError> {
    // What cannot be a receipt spends no hash and is no attempt: a reporter who typed it on
    // another keyboard or with a slip is not counted as guessing.
    let Some(receipt) = normalise_receipt(receipt) else {
        return Err(not_found_receipt());
    };
    match state.guard.receipt_attempt(ip) {
        Verdict::Wait(wait) => {
            let ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
            return Err(WebError::too_many_attempts(
                passage_core::throttle::retry_after_secs(ms),
            ));
        }
        Verdict::Slow(pause) => tokio::time::sleep(pause).await,
        Verdict::Go => {}
    }
    match f(&receipt).await {
        Err(StoreError::NotFound) => Err(not_found_receipt()),
        other => {
            state.guard.receipt_found(ip);
            Ok(other?)
        }
    }
}
