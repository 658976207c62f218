//! The public door's time token, shared by the complaint form and its JSON twin: the time it
//! was issued, signed with a key of this process. A script that sends at once is asked to wait;
//! a person writing a report never notices. A token is good for a day.

use crate::AppState;

/// How long a token stays good, in seconds.
const GOOD_FOR: i64 = 24 * 3600;

/// A fresh token.
pub(crate) fn issue(state: &AppState) -> String {
    let now = passage_store::now_ms().to_string();
    let mac = blake3::keyed_hash(&state.form_key, now.as_bytes()).to_hex();
    format!("{now}.{mac}")
}

/// What a sent token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Good,
    /// Sent sooner than a person could have filled the form; this many seconds are left.
    TooFast(i64),
    /// Missing, forged, or older than a day.
    Expired,
}

pub(crate) fn check(state: &AppState, token: &str) -> Check {
    let Some((ms, mac)) = token.split_once('.') else {
        return Check::Expired;
    };
    let expected = blake3::keyed_hash(&state.form_key, ms.as_bytes()).to_hex();
    if !crate::kit::constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
        return Check::Expired;
    }
    let Ok(issued) = ms.parse::<i64>() else {
        return Check::Expired;
    };
    let age = (passage_store::now_ms() - issued) / 1000;
    match age {
        a if a < state.config.min_fill_seconds => Check::TooFast(state.config.min_fill_seconds - a),
        a if a <= GOOD_FOR => Check::Good,
        _ => Check::Expired,
    }
}
