//! The four Ps through the statistics door: each measure counts a case whose person consented
//! and leaves out (and counts as left out) one who did not; a withdrawal leaves the figures at
//! the next day's release; a cross-border referral counts in partnership and a same-country one
//! does not; a rights page read is a number and nothing about the reader; an organisation may
//! ask for its own figures only, and immigration enforcement gets the national ones.

use crate::common::*;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::records::{RawCase, RawPerson};
use passage_core::{Country, DenyReason, OrgKind, Role};
use passage_store::stats::{Disclosure, Figure, MeasureQuestion, Measures, Pillar};
use passage_store::{Actor, Clock, Store, StoreError};
use sqlx::{Column, Row};
use uuid::Uuid;

/// 2026-03-10 12:00 UTC: the month the work is done in.
const MARCH: i64 = 1_773_144_000_000;
/// 2026-04-02 09:00 UTC: March has ended and is released.
const APRIL: i64 = 1_775_120_400_000;
const DAY: i64 = 86_400_000;

/// Every figure exactly, nothing suppressed: what was counted, to the unit.
fn exact() -> Disclosure {
    Disclosure::unsafe_exact(1)
}

fn national() -> MeasureQuestion {
    MeasureQuestion::default()
}

fn figure<'a>(m: &'a Measures, measure: &str) -> &'a Figure {
    m.figures
        .iter()
        .find(|f| f.measure == measure)
        .unwrap_or_else(|| panic!("{measure} listed"))
}

/// (value, excluded) of a measure.
fn of(m: &Measures, measure: &str) -> (Option<u64>, u64) {
    let f = figure(m, measure);
    (f.value, f.excluded_without_consent)
}

async fn org(s: &Store, name: &str, kind: OrgKind, country: &str) -> Uuid {
    let c = Country::parse(country).expect("country");
    s.create_organisation(s.operator("test").authority(), name, kind, c)
        .await
        .expect("org")
        .id
}

/// A person and a case opened now; with a statistics consent when `consented`.
async fn case(s: &Store, actor: &Actor, n: usize, consented: bool) -> (Uuid, Uuid, Option<Uuid>) {
    let person = RawPerson {
        given_name: format!("Person{n}"),
        family_name: "Measured".into(),
        date_of_birth: Some("1990-01-01".into()),
        sex: None,
        citizenships: Some(vec!["NP".into()]),
        migration_status: None,
    }
    .validate(2026)
    .expect("person");
    let pid = s.create_person(actor, person).await.expect("person");
    let raw = RawCase {
        person_id: pid.to_string(),
        types: vec!["labour_exploitation".into()],
        stage: "destination".into(),
        summary: "Wages withheld.".into(),
    }
    .validate()
    .expect("case");
    let cid = s.create_case(actor, raw).await.expect("case");
    let consent = if consented {
        let c = NewConsent {
            purpose: ConsentPurpose::Statistics,
            organisation_id: None,
            basis: LegalBasis::Consent,
            method: Some(ConsentMethod::Verbal),
            language: None,
            reason: None,
        };
        Some(s.record_consent(actor, pid, c).await.expect("consent"))
    } else {
        None
    };
    (pid, cid, consent)
}

/// The work around a case, written directly (each kind's own rules are their own suites'):
/// what the measures read is the rows.
struct Work<'a> {
    s: &'a Store,
    actor: &'a Actor,
}

impl Work<'_> {
    async fn exec(&self, sql: &str, binds: Vec<Bind>) {
        let pool = self.s.operator("test").unsafe_raw_pool();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
        for b in binds {
            q = match b {
                Bind::T(t) => q.bind(t),
                Bind::I(i) => q.bind(i),
                Bind::B(b) => q.bind(b),
                Bind::O(t) => q.bind(t),
                Bind::N(i) => q.bind(i),
            };
        }
        q.execute(pool).await.expect(sql);
    }

    async fn report(&self, org: Uuid, case: Option<Uuid>, received_at: i64) {
        self.exec(
            "INSERT INTO reports (id, org_id, channel, reporter_type, language, urgency, status, \
               narrative, case_id, received_at, due_at, updated_at) \
             VALUES ($1, $2, 'hotline', 'self', 'en', 'normal', 'new', $3, $4, $5, $5, $5)",
            vec![
                Bind::T(Uuid::now_v7().to_string()),
                Bind::T(org.to_string()),
                Bind::B(vec![0u8; 8]),
                Bind::O(case.map(|c| c.to_string())),
                Bind::I(received_at),
            ],
        )
        .await;
    }

    async fn service(&self, case: Uuid, delivered_on: &str) {
        self.exec(
            "INSERT INTO services (id, case_id, service_type, provider, delivered_on, created_by, \
               created_at) VALUES ($1, $2, 'shelter', '', $3, $4, $5)",
            vec![
                Bind::T(Uuid::now_v7().to_string()),
                Bind::T(case.to_string()),
                Bind::T(delivered_on.into()),
                Bind::T(self.actor.user_id().to_string()),
                Bind::I(MARCH),
            ],
        )
        .await;
    }

    async fn directory_entry(&self, org: Uuid) -> Uuid {
        let id = Uuid::now_v7();
        self.exec(
            "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, \
               created_at, updated_at) VALUES ($1, $2, 'Help', 'shelter', 'GB', 'any', 'adults', 1, 1)",
            vec![Bind::T(id.to_string()), Bind::T(org.to_string())],
        )
        .await;
        id
    }

    /// A referral of the case from `from` to `to`, accepted when `accepted`.
    async fn referral(&self, case: Uuid, from: Uuid, to: Uuid, accepted: bool) {
        let entry = self.directory_entry(to).await;
        self.exec(
            "INSERT INTO referrals (id, case_id, from_org, service_id, to_org, purpose, \
               shared_fields, snapshot, status, sent_by, sent_at, answer_due, answered_at) \
             VALUES ($1, $2, $3, $4, $5, 'referral', 'name', $6, $7, $8, $9, $9, $10)",
            vec![
                Bind::T(Uuid::now_v7().to_string()),
                Bind::T(case.to_string()),
                Bind::T(from.to_string()),
                Bind::T(entry.to_string()),
                Bind::T(to.to_string()),
                Bind::B(vec![0u8; 8]),
                Bind::T(if accepted { "accepted" } else { "sent" }.into()),
                Bind::T(self.actor.user_id().to_string()),
                Bind::I(MARCH),
                Bind::N(accepted.then_some(MARCH + DAY)),
            ],
        )
        .await;
    }

    /// A proceeding of the case with one compensation payment of `amount` euro cents.
    async fn proceeding(&self, case: Uuid, amount: i64) {
        let id = Uuid::now_v7().to_string();
        self.exec(
            "INSERT INTO proceedings (id, case_id, kind, stage, victim_role, currency, \
               created_by, created_at, updated_at) \
             VALUES ($1, $2, 'criminal', 'investigation', 'witness', 'EUR', $3, $4, $4)",
            vec![
                Bind::T(id.clone()),
                Bind::T(case.to_string()),
                Bind::T(self.actor.user_id().to_string()),
                Bind::I(MARCH),
            ],
        )
        .await;
        self.exec(
            "INSERT INTO compensation_payments (id, proceeding_id, amount_minor, paid_on, \
               recorded_by, recorded_at) VALUES ($1, $2, $3, '2026-03-20', $4, $5)",
            vec![
                Bind::T(Uuid::now_v7().to_string()),
                Bind::T(id),
                Bind::I(amount),
                Bind::T(self.actor.user_id().to_string()),
                Bind::I(MARCH),
            ],
        )
        .await;
    }
}

enum Bind {
    T(String),
    I(i64),
    B(Vec<u8>),
    /// An optional text.
    O(Option<String>),
    /// An optional number.
    N(Option<i64>),
}

async fn each_p_counts_and_leaves_out(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    let police = org(&s, "Police", OrgKind::LawEnforcement, "GB").await;
    let abroad = org(&s, "Partner abroad", OrgKind::Ngo, "FR").await;
    let here = org(&s, "Partner here", OrgKind::Ngo, "GB").await;
    let work = Work {
        s: &s,
        actor: &w.worker,
    };
    for consented in [true, false] {
        let (_, cid, _) = case(&s, &w.worker, usize::from(consented), consented).await;
        // First contact: the report three days before the case was opened.
        work.report(w.shelter, Some(cid), MARCH - 3 * DAY).await;
        work.service(cid, "2026-03-12").await;
        work.service(cid, "2026-03-25").await;
        work.referral(cid, w.shelter, police, true).await;
        work.referral(cid, w.shelter, abroad, false).await;
        work.referral(cid, w.shelter, here, false).await;
        work.proceeding(cid, 50_000).await;
    }
    clock.advance(APRIL - MARCH);
    let m = s
        .stats_measures(
            &w.worker,
            &MeasureQuestion {
                org: Some(w.shelter),
                ..national()
            },
            exact(),
        )
        .await
        .expect("own organisation's figures");
    assert_eq!(
        (m.from.as_str(), m.to.as_str()),
        ("2025-04-01", "2026-03-31")
    );
    // Prevention: both reports, consent or not (nothing about the reporter is counted).
    assert_eq!(of(&m, "complaints_received"), (Some(2), 0));
    assert_eq!(figure(&m, "complaints_received").pillar, Pillar::Prevention);
    // Protection.
    assert_eq!(of(&m, "persons_assisted"), (Some(1), 1));
    assert_eq!(of(&m, "services_delivered"), (Some(2), 2));
    assert_eq!(of(&m, "referrals_accepted"), (Some(1), 1));
    // From the report on 7 March to the first service on 12 March.
    assert_eq!(of(&m, "days_to_first_service"), (Some(5), 1));
    // Prosecution.
    assert_eq!(of(&m, "referred_to_law_enforcement"), (Some(1), 1));
    assert_eq!(of(&m, "proceedings_opened"), (Some(1), 1));
    let money = figure(&m, "compensation_recovered");
    assert_eq!(money.currency.as_deref(), Some("EUR"));
    assert_eq!(
        (money.value, money.excluded_without_consent),
        (Some(50_000), 1)
    );
    // Partnership: three referrals to other organisations, one of them across a border.
    assert_eq!(of(&m, "cross_organisation_referrals"), (Some(3), 3));
    assert_eq!(of(&m, "cross_border_referrals"), (Some(1), 1));
    assert_eq!(
        figure(&m, "cross_border_referrals").pillar,
        Pillar::Partnership
    );
    // The month series says where in the period.
    let march = m
        .months
        .iter()
        .find(|f| f.month == "2026-03" && f.measure == "services_delivered")
        .expect("March listed");
    assert_eq!(march.value, Some(2));
    assert!(
        m.months
            .iter()
            .filter(|f| f.month != "2026-03")
            .all(|f| f.value == Some(0))
    );
    // Published with k = 11: a median of one case is hidden, never shown as a number; a noisy
    // count is hidden or, noise and all, never from 1 to 10.
    let published = s
        .stats_measures(&w.worker, &national(), Disclosure::published(11))
        .await
        .expect("published");
    let median = figure(&published, "days_to_first_service");
    assert!(median.suppressed && median.value.is_none(), "{median:?}");
    for f in &published.figures {
        assert!(
            f.value.is_none_or(|n| n == 0 || n >= 11),
            "{}: {f:?}",
            f.measure
        );
        assert!(!f.suppressed || f.value.is_none(), "{f:?}");
    }
    let money = figure(&published, "compensation_recovered");
    assert!(money.suppressed && money.value.is_none());
}
/// The differencing attack on a sum: three payments in the shelter and one in another
/// organisation of the country. The shelter's own figure is published; were the national one
/// published too, their difference would be the other organisation's one payment. It is
/// hidden, because one organisation's month gives fewer than k cases.
async fn a_sum_is_not_differenced(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    let work = Work {
        s: &s,
        actor: &w.worker,
    };
    for n in 0..3 {
        let (_, cid, _) = case(&s, &w.worker, 20 + n, true).await;
        work.proceeding(cid, 10_000).await;
    }
    let other = org(&s, "Neighbour", OrgKind::Ngo, "GB").await;
    let neighbour = user(&s, other, "cw@neighbour.test", &[Role::Caseworker]).await;
    let (_, cid, _) = case(&s, &neighbour, 30, true).await;
    Work {
        s: &s,
        actor: &neighbour,
    }
    .proceeding(cid, 77_700)
    .await;
    clock.advance(APRIL - MARCH);
    let k3 = Disclosure::unsafe_exact(3);
    let own = s
        .stats_measures(
            &w.worker,
            &MeasureQuestion {
                org: Some(w.shelter),
                ..national()
            },
            k3,
        )
        .await
        .expect("own");
    assert_eq!(figure(&own, "compensation_recovered").value, Some(30_000));
    let all = s
        .stats_measures(&w.worker, &national(), k3)
        .await
        .expect("national");
    let money = figure(&all, "compensation_recovered");
    assert!(money.suppressed && money.value.is_none(), "{money:?}");
}
#[tokio::test]
async fn a_sum_cannot_be_differenced_between_an_organisation_and_its_country() {
    on_every_backend!(a_sum_is_not_differenced);
}

#[tokio::test]
async fn each_p_counts_consented_work_and_says_what_it_left_out() {
    on_every_backend!(each_p_counts_and_leaves_out);
}

async fn a_withdrawal_leaves_the_figures_at_the_next_cut(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    let police = org(&s, "Police", OrgKind::LawEnforcement, "GB").await;
    let work = Work {
        s: &s,
        actor: &w.worker,
    };
    let (pid, cid, consent) = case(&s, &w.worker, 1, true).await;
    work.service(cid, "2026-03-12").await;
    work.referral(cid, w.shelter, police, true).await;
    work.proceeding(cid, 1_000).await;
    clock.advance(APRIL - MARCH);
    let before = s
        .stats_measures(&w.officer, &national(), exact())
        .await
        .expect("figures");
    assert_eq!(of(&before, "persons_assisted"), (Some(1), 0));
    assert_eq!(of(&before, "services_delivered"), (Some(1), 0));
    assert_eq!(of(&before, "referred_to_law_enforcement"), (Some(1), 0));
    s.withdraw_consent(&w.worker, pid, consent.expect("consent"), None)
        .await
        .expect("withdrawn");
    let same_day = s
        .stats_measures(&w.officer, &national(), exact())
        .await
        .expect("figures");
    assert_eq!(same_day, before, "today's release stands still");
    clock.advance(DAY);
    let next = s
        .stats_measures(&w.officer, &national(), exact())
        .await
        .expect("figures");
    assert_eq!(of(&next, "persons_assisted"), (Some(0), 1));
    assert_eq!(of(&next, "services_delivered"), (Some(0), 1));
    assert_eq!(of(&next, "referred_to_law_enforcement"), (Some(0), 1));
    assert_eq!(of(&next, "proceedings_opened"), (Some(0), 1));
    assert_eq!(of(&next, "days_to_first_service"), (None, 1));
}
#[tokio::test]
async fn withdrawing_consent_leaves_the_figures_at_the_next_cut() {
    on_every_backend!(a_withdrawal_leaves_the_figures_at_the_next_cut);
}

async fn rights_reads_are_counted_without_the_reader(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    for _ in 0..3 {
        s.count_rights_read("GB", "destination", "work", "en")
            .await
            .expect("counted");
    }
    s.count_rights_read("GB", "destination", "work", "ar")
        .await
        .expect("counted");
    s.count_rights_read("FR", "transit", "asylum", "fr")
        .await
        .expect("counted");
    // What is kept: a number per day, page and language, and nothing else.
    let rows =
        sqlx::query("SELECT * FROM stats_rights_reads WHERE country = 'GB' ORDER BY language")
            .fetch_all(s.operator("test").unsafe_raw_pool())
            .await
            .expect("rows");
    assert_eq!(rows.len(), 2);
    let columns: Vec<&str> = rows[1].columns().iter().map(|c| c.name()).collect();
    assert_eq!(
        columns,
        ["day", "country", "stage", "slug", "language", "n"]
    );
    assert_eq!(rows[1].try_get::<i64, _>("n").expect("n"), 3);
    clock.advance(APRIL - MARCH);
    let m = s
        .stats_measures(&w.officer, &national(), exact())
        .await
        .expect("figures");
    assert_eq!(of(&m, "rights_pages_read"), (Some(4), 0));
    // Pages belong to no organisation: an organisation's own figures leave them out.
    let own = s
        .stats_measures(
            &w.worker,
            &MeasureQuestion {
                org: Some(w.shelter),
                ..national()
            },
            exact(),
        )
        .await
        .expect("figures");
    assert!(own.figures.iter().all(|f| f.measure != "rights_pages_read"));
}
#[tokio::test]
async fn a_rights_page_read_is_counted_without_anything_identifying() {
    on_every_backend!(rights_reads_are_counted_without_the_reader);
}

/// The attacks: a staff member asks for another organisation's figures (refused, whatever it
/// is); immigration enforcement asks for the shelter's (refused) and for the national ones
/// (answered: aggregates are all it may have).
async fn only_own_figures_and_enforcement_gets_the_national_ones(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    let elsewhere = org(&s, "Elsewhere", OrgKind::Ngo, "FR").await;
    let other = user(
        &s,
        elsewhere,
        "other@e.test",
        &[passage_core::Role::Analyst],
    )
    .await;
    let work = Work {
        s: &s,
        actor: &w.worker,
    };
    let (_, cid, _) = case(&s, &w.worker, 1, true).await;
    work.service(cid, "2026-03-12").await;
    clock.advance(APRIL - MARCH);
    for (who, org) in [
        (&w.worker, w.consulate),
        (&w.worker, Uuid::now_v7()),
        (&w.officer, w.shelter),
        (&other, w.shelter),
    ] {
        let asked = MeasureQuestion {
            org: Some(org),
            ..national()
        };
        match s.stats_measures(who, &asked, exact()).await {
            Err(StoreError::Forbidden(DenyReason::OutOfScope)) => {}
            other => panic!("another organisation's figures: {other:?}"),
        }
    }
    let m = s
        .stats_measures(&w.officer, &national(), exact())
        .await
        .expect("enforcement reads aggregates");
    assert_eq!(m.country, "GB");
    assert_eq!(of(&m, "services_delivered"), (Some(1), 0));
    assert_eq!(
        m.figures
            .iter()
            .filter(|f| f.measure != "compensation_recovered")
            .count(),
        10
    );
    // Another country's national figure does not hold the shelter's work.
    let abroad = s
        .stats_measures(&other, &national(), exact())
        .await
        .expect("figures");
    assert_eq!(abroad.country, "FR");
    assert_eq!(of(&abroad, "services_delivered"), (Some(0), 0));
}
#[tokio::test]
async fn another_organisations_figures_are_refused_and_enforcement_gets_figures() {
    on_every_backend!(only_own_figures_and_enforcement_gets_the_national_ones);
}
