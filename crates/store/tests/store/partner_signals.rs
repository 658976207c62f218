//! Partner signals, on every backend. A signal is told only to the organisation that already
//! held the record, and there only to those who review its duplicates (its supervisors); the
//! registering side observes nothing — the same answers as when no one matches — until the
//! holder's person agreed to be connected. A consulate is never part of a signal (neither its
//! registrations nor the persons it holds), and renaming a record never probes again. The partner is named to both
//! sides only once the person agreed on each side, and then a referral consent naming the
//! partner is on record for each; withdrawing it ends what it allowed. A person who does not
//! agree closes the signal and the partner learns nothing; nobody outside the person's own
//! organisation sees or acts on a signal.

use crate::common::*;
use passage_core::casework::person::RawPersonChanges;
use passage_core::casework::{ConsentMethod, ConsentPurpose};
use passage_core::{Country, OrgKind, Role};
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

/// An NGO with a caseworker and a supervisor: the registering side in these tests.
async fn ngo(s: &Store) -> (Uuid, Actor, Actor) {
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let org = s
        .create_organisation(op.authority(), "Outreach", OrgKind::Ngo, gb)
        .await
        .expect("org")
        .id;
    let worker = user(s, org, "worker@n.test", &[Role::Caseworker]).await;
    let supervisor = user(s, org, "super@n.test", &[Role::Supervisor]).await;
    (org, worker, supervisor)
}

/// Everything a reader on the registering side can observe of duplicates for a person.
async fn observed(s: &Store, actor: &Actor, person: Uuid) -> (bool, bool, usize) {
    let status = s.person_link_status(actor, person).await.expect("status");
    let signals = s.partner_signals(actor, person).await.expect("signals");
    (
        status.partner_may_hold,
        status.pending_review,
        signals.len(),
    )
}

fn rename(
    version: i64,
    given: &str,
    family: &str,
    dob: &str,
) -> passage_core::casework::person::PersonChanges {
    RawPersonChanges {
        version: Some(version),
        given_name: Some(Some(given.into())),
        family_name: Some(Some(family.into())),
        date_of_birth: Some(Some(dob.into())),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid")
}

async fn the_registering_side_observes_nothing_until_the_holder_agrees(s: Store) {
    let w = world(&s).await;
    let (_, ngo_worker, ngo_super) = ngo(&s).await;
    // The shelter holds a child's record.
    let (held, held_case) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "2012-05-04").await;
    // The NGO registers someone nobody holds, then someone the shelter holds.
    let (nobody, _) = register(&s, &ngo_worker, "Anyone", "Else", "1980-01-01").await;
    let (probe, _) = register(&s, &ngo_worker, "Muhammad", "Alhassan", "2012-05-04").await;
    for actor in [&ngo_worker, &ngo_super] {
        assert_eq!(
            observed(&s, actor, probe).await,
            observed(&s, actor, nobody).await,
            "a match looks exactly like no match"
        );
        assert_eq!(observed(&s, actor, probe).await, (false, false, 0));
    }

    // The holder's supervisor is told; the holder's caseworker (who registered the person) is not.
    let theirs = s
        .partner_signals(&w.supervisor, held)
        .await
        .expect("holder");
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    let signal = theirs[0].id;
    assert_eq!(theirs[0].status, "open");
    assert_eq!(theirs[0].partner_organisation, None, "nobody is named");
    assert!(
        s.person_link_status(&w.supervisor, held)
            .await
            .expect("status")
            .partner_may_hold
    );
    assert_eq!(observed(&s, &w.worker, held).await, (false, false, 0));
    // Another organisation the person consented to a referral to reaches nothing of the
    // person, its link status included.
    consent_to_referral(&s, &w.worker, held_case, w.consulate).await;
    assert!(matches!(
        s.person_link_status(&w.consul, held).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.consent_partner_signal(&w.worker, held, signal, ConsentMethod::Verbal, None)
            .await,
        Err(StoreError::NotFound)
    ));
    // Nor can the registering side act on a signal it cannot see.
    for (actor, person) in [(&ngo_worker, probe), (&ngo_super, probe)] {
        assert!(matches!(
            s.consent_partner_signal(actor, person, signal, ConsentMethod::Verbal, None)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.decline_partner_signal(actor, person, signal).await,
            Err(StoreError::NotFound)
        ));
    }
}

async fn renaming_a_record_never_probes_again(s: Store) {
    let w = world(&s).await;
    let (_, ngo_worker, ngo_super) = ngo(&s).await;
    let (first, _) = register(&s, &w.worker, "Tsegereda", "Bekele", "1972-11-30").await;
    let (second, _) = register(&s, &w.worker, "Olena", "Kovalenko", "1991-02-17").await;
    let (probe, _) = register(&s, &ngo_worker, "Amina", "Yusuf", "1985-07-07").await;
    // Renamed again and again into each held person: nobody is told, and nothing changes on
    // the registering side.
    for (version, (given, family, dob)) in [
        ("Tsegereda", "Bekelle", "1972-11-30"),
        ("Olena", "Kovalenko", "1991-02-17"),
    ]
    .into_iter()
    .enumerate()
    {
        s.update_person(
            &ngo_worker,
            probe,
            rename(version as i64 + 1, given, family, dob),
        )
        .await
        .expect("rename");
        assert_eq!(observed(&s, &ngo_worker, probe).await, (false, false, 0));
        assert_eq!(observed(&s, &ngo_super, probe).await, (false, false, 0));
    }
    for held in [first, second] {
        assert!(
            s.partner_signals(&w.supervisor, held)
                .await
                .expect("holder")
                .is_empty(),
            "a rename raised a signal"
        );
        assert!(
            !s.person_link_status(&w.supervisor, held)
                .await
                .expect("status")
                .partner_may_hold
        );
    }
}

async fn a_consulate_is_never_part_of_a_signal(s: Store) {
    let w = world(&s).await;
    let consular_super = user(&s, w.consulate, "super@c.test", &[Role::Supervisor]).await;
    // A consulate registers names in advance, as a watch list…
    let (listed, _) = register(&s, &w.consul, "Tsegereda", "Bekele", "1972-11-30").await;
    // …then a shelter registers one of them: the consulate is told nothing.
    let (found, _) = register(&s, &w.worker, "Tsegereda", "Bekelle", "1972-11-30").await;
    assert_eq!(
        observed(&s, &consular_super, listed).await,
        (false, false, 0)
    );
    assert_eq!(observed(&s, &w.supervisor, found).await, (false, false, 0));
    // A consulate registers a child the shelter holds: the shelter is told nothing either.
    let (held, _) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "2012-05-04").await;
    let (probe, _) = register(&s, &w.consul, "Muhammad", "Alhassan", "2012-05-04").await;
    assert_eq!(observed(&s, &w.consul, probe).await, (false, false, 0));
    assert!(
        s.partner_signals(&w.supervisor, held)
            .await
            .expect("holder")
            .is_empty()
    );
    assert!(
        !s.person_link_status(&w.supervisor, held)
            .await
            .expect("status")
            .partner_may_hold
    );
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM partner_signals")
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

async fn a_partner_is_named_only_when_both_persons_agree(s: Store) {
    let w = world(&s).await;
    let (ngo_org, ngo_worker, _) = ngo(&s).await;
    let (held, held_case) = register(&s, &w.worker, "Mohammed", "Al-Hassan", "1990-05-04").await;
    let (probe, _) = register(&s, &ngo_worker, "Muhammad", "Alhassan", "1990-05-04").await;
    let signal = s
        .partner_signals(&w.supervisor, held)
        .await
        .expect("holder")[0]
        .id;

    // Outside the person's own organisation a signal does not exist.
    for (actor, person) in [
        (&w.officer, held),
        (&w.consul, held),
        (&ngo_worker, held),
        (&w.supervisor, probe),
    ] {
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

    // The holder's person agrees: the registering side is now asked to ask its own person,
    // still without learning who holds the record.
    let after = s
        .consent_partner_signal(
            &w.supervisor,
            held,
            signal,
            ConsentMethod::Verbal,
            Some("ar".into()),
        )
        .await
        .expect("consent");
    assert!(after.our_consent && after.partner_organisation.is_none());
    let mine = s.partner_signals(&ngo_worker, probe).await.expect("ours");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, signal);
    assert!(mine[0].partner_consent && !mine[0].our_consent);
    assert_eq!(mine[0].partner_organisation, None);
    assert!(
        s.person_link_status(&ngo_worker, probe)
            .await
            .expect("status")
            .partner_may_hold
    );

    // The registering side's person agrees too: connected, each side names the other.
    let done = s
        .consent_partner_signal(&ngo_worker, probe, signal, ConsentMethod::Written, None)
        .await
        .expect("consent");
    assert_eq!(done.status, "connected");
    assert_eq!(
        done.partner_organisation.as_ref().map(|o| o.id),
        Some(w.supervisor.org_id())
    );
    let theirs = s
        .partner_signals(&w.supervisor, held)
        .await
        .expect("holder");
    assert_eq!(
        theirs[0].partner_organisation.as_ref().map(|o| o.id),
        Some(ngo_org)
    );
    assert!(
        !s.person_link_status(&ngo_worker, probe)
            .await
            .expect("status")
            .partner_may_hold,
        "resolved"
    );
    // A referral consent naming the partner is on record for each person, as each gave it.
    let mut holder_referral = None;
    for (actor, person, partner, method) in [
        (&w.supervisor, held, ngo_org, ConsentMethod::Verbal),
        (
            &ngo_worker,
            probe,
            w.supervisor.org_id(),
            ConsentMethod::Written,
        ),
    ] {
        let consents = s.list_consents(actor, person).await.expect("consents");
        let referral = consents
            .iter()
            .find(|c| c.purpose == ConsentPurpose::Referral)
            .expect("referral consent");
        assert_eq!(referral.organisation_id, Some(partner));
        assert_eq!(referral.method, Some(method));
        holder_referral.get_or_insert(referral.id);
    }
    // Nothing more can be recorded on a resolved signal.
    for result in [
        s.consent_partner_signal(&ngo_worker, probe, signal, ConsentMethod::Verbal, None)
            .await,
        s.decline_partner_signal(&w.supervisor, held, signal).await,
    ] {
        assert!(matches!(
            result,
            Err(StoreError::Rule {
                code: passage_core::ErrorCode::SignalClosed,
                ..
            })
        ));
    }

    // The connection opens nothing of the case by itself; when the person withdraws the
    // referral consent it recorded, the partner is no longer named.
    assert!(matches!(
        s.get_case(&ngo_worker, held_case).await,
        Err(StoreError::NotFound)
    ));
    s.withdraw_consent(
        &w.supervisor,
        held,
        holder_referral.expect("consent"),
        Some(ConsentMethod::Verbal),
    )
    .await
    .expect("withdraw");
    assert!(matches!(
        s.get_case(&ngo_worker, held_case).await,
        Err(StoreError::NotFound)
    ));
    for (actor, person) in [(&w.supervisor, held), (&ngo_worker, probe)] {
        let seen = s.partner_signals(actor, person).await.expect("signals");
        assert_eq!(seen[0].status, "withdrawn");
        assert_eq!(seen[0].partner_organisation, None, "no longer named");
    }
}

async fn a_person_who_does_not_agree_closes_the_signal_for_both(s: Store) {
    let w = world(&s).await;
    let (_, ngo_worker, ngo_super) = ngo(&s).await;
    let (held, _) = register(&s, &w.worker, "Tsegereda", "Bekele", "1972-11-30").await;
    let (probe, _) = register(&s, &ngo_worker, "Tsegereda", "Bekelle", "1972-11-30").await;
    let signal = s
        .partner_signals(&w.supervisor, held)
        .await
        .expect("holder")[0]
        .id;
    // The holder's person does not agree: the registering side never learns anything.
    let declined = s
        .decline_partner_signal(&w.supervisor, held, signal)
        .await
        .expect("decline");
    assert_eq!(declined.status, "declined");
    assert_eq!(declined.partner_organisation, None);
    assert_eq!(
        s.partner_signals(&w.supervisor, held)
            .await
            .expect("holder")[0]
            .status,
        "declined",
        "the side that declined keeps the record of it"
    );
    for actor in [&ngo_worker, &ngo_super] {
        assert_eq!(observed(&s, actor, probe).await, (false, false, 0));
    }
    let no_referral = s.list_consents(&ngo_worker, probe).await.expect("consents");
    assert!(
        no_referral
            .iter()
            .all(|c| c.purpose != ConsentPurpose::Referral)
    );
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'partner_signal.decline' AND outcome = 'ok'",
    )
    .fetch_one(s.operator("test").unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_registering_side_observes_nothing_until_the_holder_agrees_on_every_backend() {
    on_every_backend!(the_registering_side_observes_nothing_until_the_holder_agrees);
}

#[tokio::test]
async fn renaming_a_record_never_probes_again_on_every_backend() {
    on_every_backend!(renaming_a_record_never_probes_again);
}

#[tokio::test]
async fn a_consulate_is_never_part_of_a_signal_on_every_backend() {
    on_every_backend!(a_consulate_is_never_part_of_a_signal);
}

#[tokio::test]
async fn a_partner_is_named_only_when_both_persons_agree_on_every_backend() {
    on_every_backend!(a_partner_is_named_only_when_both_persons_agree);
}

#[tokio::test]
async fn a_person_who_does_not_agree_closes_the_signal_for_both_on_every_backend() {
    on_every_backend!(a_person_who_does_not_agree_closes_the_signal_for_both);
}
