//! Partner signals resolved through a consented referral, on every backend: each side sees only
//! that a partner may hold a record; the partner is named to both sides only once the person
//! agreed on each side, and then a referral consent naming the partner is on record for each;
//! a person who does not agree closes the signal and the partner learns nothing; nobody outside
//! the person's own organisation sees or acts on a signal.

use crate::common::*;
use passage_core::casework::{ConsentMethod, ConsentPurpose};
use passage_store::{Store, StoreError};

async fn a_partner_is_named_only_when_both_persons_agree(s: Store) {
    let w = world(&s).await;
    let (ours, _) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "1990-05-04").await;
    let (theirs, _) = register(&s, &w.consul, "Muhammad", "Alhassan", "1990-05-04").await;

    let mine = s.partner_signals(&w.worker, ours).await.expect("ours");
    assert_eq!(mine.len(), 1, "{mine:?}");
    let signal = mine[0].id;
    assert_eq!(mine[0].status, "open");
    assert!(!mine[0].our_consent && !mine[0].partner_consent);
    assert_eq!(mine[0].partner_organisation, None, "nobody is named yet");
    let other = s.partner_signals(&w.consul, theirs).await.expect("theirs");
    assert_eq!(other.len(), 1);
    assert_eq!(
        other[0].id, signal,
        "the same signal, seen from the other side"
    );

    // Outside the person's own organisation a signal does not exist: not for immigration
    // enforcement, not for the partner asking about the other side's person.
    for (actor, person) in [(&w.officer, ours), (&w.consul, ours), (&w.worker, theirs)] {
        assert!(matches!(
            s.partner_signals(actor, person).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.consent_partner_signal(actor, person, signal, ConsentMethod::Verbal, None)
                .await,
            Err(StoreError::NotFound)
        ));
    }

    // The consulate's person agrees: still nobody is named, but we learn the partner asks.
    let after = s
        .consent_partner_signal(
            &w.consul,
            theirs,
            signal,
            ConsentMethod::Verbal,
            Some("ar".into()),
        )
        .await
        .expect("consent");
    assert!(after.our_consent && after.partner_organisation.is_none());
    let mine = s.partner_signals(&w.worker, ours).await.expect("ours");
    assert!(mine[0].partner_consent && !mine[0].our_consent);
    assert_eq!(mine[0].partner_organisation, None);
    assert!(
        s.person_link_status(&w.worker, ours)
            .await
            .expect("status")
            .partner_may_hold
    );

    // Our person agrees too: connected, each side names the other organisation.
    let done = s
        .consent_partner_signal(&w.worker, ours, signal, ConsentMethod::Written, None)
        .await
        .expect("consent");
    assert_eq!(done.status, "connected");
    assert_eq!(
        done.partner_organisation.as_ref().map(|o| o.id),
        Some(w.consul.org_id())
    );
    let other = s.partner_signals(&w.consul, theirs).await.expect("theirs");
    assert_eq!(
        other[0].partner_organisation.as_ref().map(|o| o.id),
        Some(w.worker.org_id())
    );
    assert!(
        !s.person_link_status(&w.worker, ours)
            .await
            .expect("status")
            .partner_may_hold,
        "resolved"
    );
    // A referral consent naming the partner is on record for each person, as each gave it.
    for (actor, person, partner, method) in [
        (&w.worker, ours, w.consul.org_id(), ConsentMethod::Written),
        (&w.consul, theirs, w.worker.org_id(), ConsentMethod::Verbal),
    ] {
        let consents = s.list_consents(actor, person).await.expect("consents");
        let referral = consents
            .iter()
            .find(|c| c.purpose == ConsentPurpose::Referral)
            .expect("referral consent");
        assert_eq!(referral.organisation_id, Some(partner));
        assert_eq!(referral.method, Some(method));
    }
    // Nothing more can be recorded on a resolved signal.
    for result in [
        s.consent_partner_signal(&w.worker, ours, signal, ConsentMethod::Verbal, None)
            .await,
        s.decline_partner_signal(&w.consul, theirs, signal).await,
    ] {
        assert!(matches!(
            result,
            Err(StoreError::Rule {
                code: passage_core::ErrorCode::SignalClosed,
                ..
            })
        ));
    }
}

async fn a_person_who_does_not_agree_closes_the_signal_for_both(s: Store) {
    let w = world(&s).await;
    let (ours, _) = register(&s, &w.worker, "Tsegereda", "Bekele", "1972-11-30").await;
    let (theirs, _) = register(&s, &w.consul, "Tsegereda", "Bekelle", "1972-11-30").await;
    let signal = s.partner_signals(&w.consul, theirs).await.expect("theirs")[0].id;
    // Our person agrees first; the partner's person then does not.
    s.consent_partner_signal(&w.worker, ours, signal, ConsentMethod::Verbal, None)
        .await
        .expect("consent");
    let declined = s
        .decline_partner_signal(&w.consul, theirs, signal)
        .await
        .expect("decline");
    assert_eq!(declined.status, "declined");
    assert_eq!(declined.partner_organisation, None);
    // The side that declined keeps the record of it; the other side learns nothing, not even
    // that its own agreement was refused.
    assert_eq!(
        s.partner_signals(&w.consul, theirs).await.expect("theirs")[0].status,
        "declined"
    );
    assert!(
        s.partner_signals(&w.worker, ours)
            .await
            .expect("ours")
            .is_empty()
    );
    assert!(
        !s.person_link_status(&w.worker, ours)
            .await
            .expect("status")
            .partner_may_hold
    );
    let no_referral = s.list_consents(&w.worker, ours).await.expect("consents");
    assert!(
        no_referral
            .iter()
            .all(|c| c.purpose != ConsentPurpose::Referral)
    );
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action IN ('partner_signal.consent', 'partner_signal.decline')",
    )
    .fetch_one(s.operator("test").raw_pool())
    .await
    .expect("audit");
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn a_partner_is_named_only_when_both_persons_agree_on_every_backend() {
    on_every_backend!(a_partner_is_named_only_when_both_persons_agree);
}

#[tokio::test]
async fn a_person_who_does_not_agree_closes_the_signal_for_both_on_every_backend() {
    on_every_backend!(a_person_who_does_not_agree_closes_the_signal_for_both);
}
