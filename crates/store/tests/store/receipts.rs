//! Receipts are stored under a fast keyed hash when the report is committed and hardened with
//! argon2id within moments; a receipt opens its report at every step, and a receipt of the
//! form older versions stored still opens.

use crate::common::*;
use passage_core::Channel;
use passage_core::reports::RawPublicReport;
use passage_store::reports::receipts::{hardened_hash, legacy_hash, pending_hash};
use passage_store::{Store, StoreError};

fn report(narrative: &str) -> passage_core::reports::NewReport {
    RawPublicReport {
        language: "en".into(),
        category: "unpaid_wages".into(),
        narrative: narrative.into(),
        ..Default::default()
    }
    .validate()
    .expect("valid")
}

async fn stored_hashes(s: &Store) -> Vec<String> {
    let rows: Vec<(Option<String>,)> = sqlx::query_as("SELECT receipt_hash FROM reports")
        .fetch_all(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    rows.into_iter().filter_map(|(h,)| h).collect()
}

async fn two_steps(s: Store) {
    let receipt = s
        .submit_public_report(report("no pay for four months"), Channel::WebForm)
        .await
        .expect("submitted");
    // Stored at once under the keyed hash: the receipt's digits are nowhere.
    let stored = stored_hashes(&s).await;
    assert_eq!(stored.len(), 1);
    let waiting = pending_hash(s.keys(), &receipt);
    assert!(
        stored[0] == waiting || stored[0].starts_with("h:"),
        "{}",
        stored[0]
    );
    assert!(!stored[0].contains(&receipt));
    assert_eq!(
        s.follow_up(&receipt)
            .await
            .expect("opens before hardening")
            .status,
        "received"
    );

    // Hardened: the keyed hash is gone, the argon2id form is there, and the receipt still opens.
    s.harden_receipts().await.expect("hardened");
    let stored = stored_hashes(&s).await;
    let hardened = hardened_hash(s.keys(), &receipt).expect("hash");
    assert_eq!(stored, vec![hardened.clone()]);
    assert!(hardened.starts_with("h:") && hardened != waiting);
    assert_eq!(s.harden_receipts().await.expect("nothing left"), 0);
    assert_eq!(s.receipts_waiting(), 0);
    assert_eq!(
        s.follow_up(&receipt)
            .await
            .expect("opens after hardening")
            .status,
        "received"
    );
    s.reporter_message(&receipt, said("one more thing"))
        .await
        .expect("the reporter can still write");

    // A receipt an older version stored (a bare argon2id of the receipt) still opens.
    let old = legacy_hash(s.keys(), &receipt).expect("hash");
    sqlx::query("UPDATE reports SET receipt_hash = $1")
        .bind(&old)
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("raw");
    assert_eq!(
        s.follow_up(&receipt)
            .await
            .expect("an older receipt opens")
            .status,
        "received"
    );

    // Any other receipt opens nothing.
    assert!(matches!(
        s.follow_up("1234567812345678").await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_receipt_opens_its_report_before_and_after_it_is_hardened() {
    on_every_backend!(two_steps);
}

async fn background(s: Store) {
    s.start_intake();
    let mut receipts = Vec::new();
    for i in 0..5 {
        receipts.push(
            s.submit_public_report(report(&format!("report {i}")), Channel::WebForm)
                .await
                .expect("submitted"),
        );
    }
    // The hardener runs by itself once submissions stop arriving.
    let start = std::time::Instant::now();
    while stored_hashes(&s).await.iter().any(|h| h.starts_with("p:")) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the hardener never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let stored = stored_hashes(&s).await;
    for r in &receipts {
        assert!(stored.contains(&hardened_hash(s.keys(), r).expect("hash")));
        s.follow_up(r).await.expect("opens");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hardener_hardens_every_receipt_by_itself() {
    on_every_backend!(background);
}
