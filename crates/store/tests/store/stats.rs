//! Statistics through the one door: only consented cases count and the rest are counted as left
//! out; whole months that have ended; a day's release that one change cannot move; answers that
//! do not change when asked again; suppression with complements.

use crate::common::*;
use passage_core::ErrorCode;
use passage_core::casework::calendar::Day;
use passage_core::casework::consent::NewConsent;
use passage_core::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use passage_core::records::{RawCase, RawPerson};
use passage_core::{Country, OrgKind, Role};
use passage_store::stats::{Dimension, Disclosure, Question, Summary};
use passage_store::{Actor, Clock, Store, StoreError};
use uuid::Uuid;

/// 2026-03-10 12:00 UTC: the month the cases are opened in.
const MARCH: i64 = 1_773_144_000_000;
/// 2026-04-02 09:00 UTC: March has ended and is released.
const APRIL: i64 = 1_775_120_400_000;
const DAY: i64 = 86_400_000;

/// Opens a case of `types` at `stage`; with a statistics consent when `consented`. Returns the
/// person and the consent.
async fn case(
    s: &Store,
    actor: &Actor,
    n: usize,
    types: &[&str],
    stage: &str,
    consented: bool,
) -> (Uuid, Option<Uuid>) {
    let person = RawPerson {
        given_name: format!("Person{n}"),
        family_name: "Test".into(),
        date_of_birth: Some("2001-05-02".into()),
        sex: Some("masculine".into()),
        citizenships: Some(vec!["NP".into()]),
        migration_status: None,
    }
    .validate(2026)
    .expect("person");
    let pid = s.create_person(actor, person).await.expect("person");
    let raw = RawCase {
        person_id: pid.to_string(),
        types: types.iter().map(|t| t.to_string()).collect(),
        stage: stage.into(),
        summary: "A summary.".into(),
    }
    .validate()
    .expect("case");
    s.create_case(actor, raw).await.expect("case");
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
    (pid, consent)
}

fn by(dims: &[Dimension]) -> Question {
    Question {
        by: dims.to_vec(),
        from: None,
        to: None,
        org: None,
    }
}

fn count(sum: &Summary, key: &[(&str, &str)]) -> Option<u64> {
    sum.cells
        .iter()
        .find(|c| {
            key.iter()
                .all(|(d, v)| c.key.get(*d).map(String::as_str) == Some(*v))
        })
        .expect("cell listed")
        .count
}

async fn consented_cases_count_and_the_rest_are_said(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    for i in 0..14 {
        case(&s, &w.worker, i, &["trafficking"], "destination", true).await;
    }
    for i in 14..17 {
        case(&s, &w.worker, i, &["trafficking"], "destination", false).await;
    }
    // March is still running: nothing of it is released.
    let running = s
        .stats_summary(
            &w.officer,
            &by(&[Dimension::Type]),
            Disclosure::unsafe_exact(11),
        )
        .await
        .expect("the last twelve ended months");
    assert_eq!(count(&running, &[("type", "trafficking")]), Some(0));
    let march = Question {
        from: Day::parse("2026-03-01"),
        ..by(&[Dimension::Type])
    };
    match s
        .stats_summary(&w.officer, &march, Disclosure::unsafe_exact(11))
        .await
    {
        Err(StoreError::Rule { code, .. }) => assert_eq!(code, ErrorCode::PeriodNotReleased),
        other => panic!("a running month is not released: {other:?}"),
    }
    clock.advance(APRIL - MARCH);
    let sum = s
        .stats_summary(&w.officer, &march, Disclosure::unsafe_exact(11))
        .await
        .expect("immigration enforcement reads aggregates");
    assert_eq!(
        (sum.from.as_str(), sum.to.as_str()),
        ("2026-03-01", "2026-03-31")
    );
    assert_eq!(
        count(&sum, &[("type", "trafficking")]),
        Some(14),
        "consented only"
    );
    assert_eq!(sum.excluded_without_consent, 3, "and the rest are said");
    assert_eq!(
        count(&sum, &[("type", "child_protection")]),
        Some(0),
        "zeros listed"
    );
    // The coarse values of the consented are counted: an age band at opening, citizenship.
    let ages = s
        .stats_summary(
            &w.worker,
            &Question {
                by: vec![Dimension::Age, Dimension::Citizenship],
                ..march.clone()
            },
            Disclosure::unsafe_exact(11),
        )
        .await
        .expect("by age and citizenship");
    assert_eq!(
        count(&ages, &[("age", "24-26"), ("citizenship", "NP")]),
        Some(14)
    );
    // No coarse value of a person without consent is even kept.
    let stage = s
        .stats_summary(
            &w.worker,
            &Question {
                by: vec![Dimension::Stage],
                ..march
            },
            Disclosure::unsafe_exact(11),
        )
        .await
        .expect("by stage");
    assert_eq!(count(&stage, &[("stage", "destination")]), Some(14));
}
#[tokio::test]
async fn only_consented_cases_count_and_the_rest_are_said() {
    on_every_backend!(consented_cases_count_and_the_rest_are_said);
}

/// The attack: an immigration-enforcement user asks, a person withdraws their statistics
/// consent, and the user asks again to watch the one person leave a cell. The figures stand
/// still until the next day's release.
async fn one_change_cannot_be_watched_within_a_day(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    let mut watched = None;
    for i in 0..12 {
        let (pid, consent) = case(&s, &w.worker, i, &["trafficking"], "destination", true).await;
        watched = Some((pid, consent.expect("consent")));
    }
    clock.advance(APRIL - MARCH);
    let q = by(&[Dimension::Type]);
    let exact = Disclosure::unsafe_exact(11);
    let before = s.stats_summary(&w.officer, &q, exact).await.expect("stats");
    assert_eq!(count(&before, &[("type", "trafficking")]), Some(12));
    let (pid, consent) = watched.expect("a person");
    s.withdraw_consent(&w.worker, pid, consent, None)
        .await
        .expect("withdrawn");
    let after = s.stats_summary(&w.officer, &q, exact).await.expect("stats");
    assert_eq!(after, before, "today's release stands still");
    clock.advance(DAY);
    let tomorrow = s.stats_summary(&w.officer, &q, exact).await.expect("stats");
    assert_eq!(count(&tomorrow, &[("type", "trafficking")]), Some(11));
    assert_eq!(
        tomorrow.excluded_without_consent, 1,
        "the withdrawal counts the next day"
    );
}
#[tokio::test]
async fn statistics_are_a_daily_release_that_one_change_cannot_move() {
    on_every_backend!(one_change_cannot_be_watched_within_a_day);
}

/// Differencing: one person alone in a cell (trafficking, transit) is hidden with its
/// complements; two periods a day apart are the same question and get the same answer; and a
/// published answer, noise and all, is the same however often it is asked, so averaging gains
/// nothing. (That the noise defeats the subtraction of two overlapping cells is shown on many
/// draws in `passage_stats::cellkey`.)
async fn overlapping_questions(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    for i in 0..30 {
        case(&s, &w.worker, i, &["trafficking"], "destination", true).await;
    }
    case(&s, &w.worker, 99, &["trafficking"], "transit", true).await;
    clock.advance(APRIL - MARCH);
    let crossed = by(&[Dimension::Type, Dimension::Stage]);
    let exact = Disclosure::unsafe_exact(11);
    let c = s
        .stats_summary(&w.officer, &crossed, exact)
        .await
        .expect("stats");
    let one = &[("type", "trafficking"), ("stage", "transit")];
    assert_eq!(count(&c, one), None, "the one person's cell is hidden");
    assert_eq!(
        count(&c, &[("type", "trafficking"), ("stage", "destination")]),
        None,
        "with its complement: the row total would give it away"
    );
    let stages = s
        .stats_summary(&w.officer, &by(&[Dimension::Stage]), exact)
        .await
        .expect("stats");
    assert_eq!(count(&stages, &[("stage", "transit")]), None);
    assert_eq!(count(&stages, &[("stage", "destination")]), None);
    // Periods a day apart: the same months, the same answer.
    let period = |from: &str, to: &str| Question {
        from: Day::parse(from),
        to: Day::parse(to),
        ..crossed.clone()
    };
    let published = Disclosure::published(11);
    let a = s
        .stats_summary(&w.officer, &period("2026-03-01", "2026-03-30"), published)
        .await
        .expect("stats");
    let b = s
        .stats_summary(&w.officer, &period("2026-03-02", "2026-03-31"), published)
        .await
        .expect("stats");
    assert_eq!(a, b);
    // Asked again, the noisy answer does not move.
    let total = by(&[Dimension::Type]);
    let first = s
        .stats_summary(&w.officer, &total, published)
        .await
        .expect("stats");
    for _ in 0..5 {
        assert_eq!(
            s.stats_summary(&w.officer, &total, published)
                .await
                .expect("stats"),
            first
        );
    }
    // In the published answer the person's cell is hidden, or noise took it to zero: never a
    // count from 1 to k − 1.
    assert!(
        count(&a, one).is_none_or(|n| n == 0 || n >= 11),
        "{:?}",
        count(&a, one)
    );
}
#[tokio::test]
async fn overlapping_questions_do_not_single_out_one_person() {
    on_every_backend!(overlapping_questions);
}

/// By month: every month of the period is listed, an empty one as a listed zero.
async fn months_are_listed(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    for i in 0..12 {
        case(&s, &w.worker, i, &["trafficking"], "destination", true).await;
    }
    clock.advance(APRIL - MARCH);
    let q = Question {
        from: Day::parse("2026-01-01"),
        ..by(&[Dimension::Month])
    };
    let sum = s
        .stats_summary(&w.officer, &q, Disclosure::unsafe_exact(11))
        .await
        .expect("by month");
    let months: Vec<&str> = sum
        .cells
        .iter()
        .filter_map(|c| c.key.get("month").map(String::as_str))
        .collect();
    assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
    assert_eq!(
        count(&sum, &[("month", "2026-01")]),
        Some(0),
        "a listed zero"
    );
    assert_eq!(count(&sum, &[("month", "2026-03")]), Some(12));
    let crossed = s
        .stats_summary(
            &w.officer,
            &Question {
                by: vec![Dimension::Month, Dimension::Stage],
                ..q
            },
            Disclosure::unsafe_exact(11),
        )
        .await
        .expect("by month and stage");
    assert_eq!(
        count(&crossed, &[("month", "2026-03"), ("stage", "destination")]),
        Some(12)
    );
}
#[tokio::test]
async fn a_month_trend_lists_every_month_of_the_period() {
    on_every_backend!(months_are_listed);
}

/// One organisation's figures are its own to ask for; without one the figure is national:
/// the organisations of the asker's country, not another country's.
async fn whose_facts(s: Store) {
    let w = world(&s).await;
    let op = s.operator("test");
    let fr = s
        .create_organisation(
            op.authority(),
            "Refuge",
            OrgKind::Ngo,
            Country::parse("FR").expect("FR"),
        )
        .await
        .expect("org")
        .id;
    let refuge = user(&s, fr, "worker@r.test", &[Role::Caseworker]).await;
    let clock = Clock::fixed(MARCH);
    let s = s.with_clock(clock.clone());
    for i in 0..12 {
        case(&s, &w.worker, i, &["trafficking"], "destination", true).await;
    }
    for i in 12..25 {
        case(&s, &refuge, i, &["trafficking"], "destination", true).await;
    }
    case(&s, &refuge, 30, &["trafficking"], "destination", false).await;
    clock.advance(APRIL - MARCH);
    let exact = Disclosure::unsafe_exact(11);
    let national = s
        .stats_summary(&w.officer, &by(&[Dimension::Type]), exact)
        .await
        .expect("national");
    assert_eq!(
        count(&national, &[("type", "trafficking")]),
        Some(12),
        "the shelter's country only"
    );
    assert_eq!(national.excluded_without_consent, 0);
    let french = s
        .stats_summary(&refuge, &by(&[Dimension::Type]), exact)
        .await
        .expect("national");
    assert_eq!(count(&french, &[("type", "trafficking")]), Some(13));
    assert_eq!(french.excluded_without_consent, 1);
    let own = Question {
        org: Some(w.shelter),
        ..by(&[Dimension::Type])
    };
    let mine = s
        .stats_summary(&w.worker, &own, exact)
        .await
        .expect("the shelter's own");
    assert_eq!(count(&mine, &[("type", "trafficking")]), Some(12));
    let consulate = s
        .stats_summary(
            &w.consul,
            &Question {
                org: Some(w.consulate),
                ..by(&[Dimension::Type])
            },
            exact,
        )
        .await
        .expect("the consulate's own");
    assert_eq!(count(&consulate, &[("type", "trafficking")]), Some(0));
    // Another organisation's figures, or one that does not exist: the same refusal.
    for (who, org) in [
        (&w.officer, w.shelter),
        (&w.consul, w.shelter),
        (&refuge, w.shelter),
        (&w.worker, Uuid::new_v4()),
    ] {
        let q = Question {
            org: Some(org),
            ..by(&[Dimension::Type])
        };
        match s.stats_summary(who, &q, exact).await {
            Err(StoreError::Forbidden(_)) => {}
            other => panic!("another organisation's figures: {other:?}"),
        }
    }
    // The public figures are national, published, and never one organisation's.
    let gb = Country::parse("GB").expect("GB");
    let public = s
        .public_stats_summary(gb, &by(&[Dimension::Type]), 11)
        .await
        .expect("public");
    let published = s
        .stats_summary(
            &w.officer,
            &by(&[Dimension::Type]),
            Disclosure::published(11),
        )
        .await
        .expect("published");
    assert_eq!(public, published, "the same published answer");
    assert!(matches!(
        s.public_stats_summary(gb, &own, 11).await,
        Err(StoreError::Forbidden(_))
    ));
    let countries = s.stats_countries().await.expect("countries");
    assert_eq!(countries, [gb, Country::parse("FR").expect("FR")]);
}
#[tokio::test]
async fn figures_are_an_organisations_own_or_national() {
    on_every_backend!(whose_facts);
}

/// A small deterministic generator for the random worlds below.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A random case: any type or two, stage, status, sex or none, an age or none, no, one or
/// two citizenships, opened up to 400 days ago, with or without a statistics consent.
fn random_case(d: &mut Draw) -> passage_store::casework::seed::SeedCase {
    use passage_core::casework::RiskLevel;
    use passage_core::{CaseStatus, CaseType, Country, Sex, Stage};
    let mut types = vec![CaseType::ALL[d.below(CaseType::ALL.len())]];
    if d.below(3) == 0 {
        let more = CaseType::ALL[d.below(CaseType::ALL.len())];
        if more != types[0] {
            types.push(more);
        }
    }
    let countries = ["PH", "NG", "UA", "VN", "RO"];
    let citizenships = (0..d.below(3))
        .filter_map(|_| Country::parse(countries[d.below(countries.len())]))
        .collect();
    let date_of_birth = (d.below(6) != 0).then(|| {
        let text = format!(
            "{}-{:02}-{:02}",
            1950 + d.below(70),
            1 + d.below(12),
            1 + d.below(28)
        );
        passage_core::date::PartialDate::parse(&text, 2026).expect("date")
    });
    passage_store::casework::seed::SeedCase {
        person: passage_core::records::NewPerson {
            given_name: format!("Random{}", d.next() % 100_000),
            family_name: "Drawn".into(),
            date_of_birth,
            sex: [
                None,
                Some(Sex::Feminine),
                Some(Sex::Masculine),
                Some(Sex::NonSpecifiedUnknown),
            ][d.below(4)],
            citizenships,
            migration_status: None,
        },
        types,
        stage: Stage::ALL[d.below(Stage::ALL.len())],
        status: CaseStatus::ALL[d.below(CaseStatus::ALL.len())],
        risk: RiskLevel::ALL[d.below(RiskLevel::ALL.len())],
        summary: "Random.".into(),
        overdue_task: false,
        opened_days_ago: d.below(400) as u32,
        statistics_consent: d.below(5) != 0,
    }
}

/// The release's grouping (what questions read) gives exactly the counts and cell keys that
/// grouping every fact gives, for every dimension, crossings of two and three, and periods of
/// a year, a quarter and a month, in two organisations of two countries; and again the next
/// day, after consents were withdrawn and more cases opened.
async fn grouping_counts_as_the_facts_do(s: Store) {
    let w = world(&s).await;
    let clock = Clock::fixed(APRIL);
    let s = s.with_clock(clock.clone());
    let op = s.operator("test");
    let ngo = s
        .create_organisation(
            op.authority(),
            "Elsewhere",
            passage_core::OrgKind::Ngo,
            passage_core::Country::parse("PH").expect("PH"),
        )
        .await
        .expect("org")
        .id;
    let other = user(&s, ngo, "worker@e.test", &[passage_core::Role::Caseworker]).await;
    let mut d = Draw(0x2545_f491_4f6c_dd1d);
    for actor in [&w.worker, &other] {
        let batch = (0..120).map(|_| random_case(&mut d)).collect();
        op.seed_cases(actor, batch).await.expect("seeded");
    }
    let day = |t: &str| Day::parse(t).expect("day");
    let periods = [
        (day("2025-04-01"), day("2026-03-31")),
        (day("2025-10-01"), day("2025-12-31")),
        (day("2026-02-01"), day("2026-02-28")),
    ];
    let mut questions: Vec<Vec<Dimension>> = Dimension::ALL.iter().map(|d| vec![*d]).collect();
    questions.push(vec![Dimension::Type, Dimension::Sex]);
    questions.push(vec![Dimension::Type, Dimension::Citizenship]);
    questions.push(vec![Dimension::Type, Dimension::Control]);
    questions.push(vec![Dimension::Country, Dimension::Age]);
    questions.push(vec![
        Dimension::Stage,
        Dimension::Type,
        Dimension::Citizenship,
    ]);
    let compare = |label: &'static str| {
        let (op, questions) = (&op, &questions);
        async move {
            let mut counted = 0;
            for dims in questions {
                for (from, to) in periods {
                    let [grouped, facts] = op
                        .stats_counted_both_ways(dims, from, to)
                        .await
                        .expect("counted");
                    assert_eq!(grouped, facts, "{label}: {dims:?} from {from} to {to}");
                    counted += facts.0.values().map(|(n, _)| n).sum::<u64>() + facts.1.0;
                }
            }
            assert!(counted > 0, "{label}: the random world counts something");
        }
    };
    compare("first release").await;
    // The next day: some consents withdrawn, more cases; the grouping is made again.
    clock.advance(DAY);
    let more = (0..40).map(|_| random_case(&mut d)).collect();
    op.seed_cases(&other, more).await.expect("seeded");
    let mut withdrawn = 0;
    for (pid, consent) in statistics_consents(&s, &w.worker)
        .await
        .into_iter()
        .take(25)
    {
        s.withdraw_consent(&w.worker, pid, consent, None)
            .await
            .expect("withdrawn");
        withdrawn += 1;
    }
    assert!(withdrawn > 0);
    let [grouped, facts] = op
        .stats_counted_both_ways(&[Dimension::Type], periods[0].0, periods[0].1)
        .await
        .expect("counted");
    assert_eq!(grouped, facts, "the next day's release");
    for dims in &questions {
        for (from, to) in periods {
            let [grouped, facts] = op
                .stats_counted_both_ways(dims, from, to)
                .await
                .expect("counted");
            assert_eq!(grouped, facts, "next day: {dims:?} from {from} to {to}");
        }
    }
}
#[tokio::test]
async fn the_release_grouping_counts_exactly_as_the_facts() {
    on_every_backend!(grouping_counts_as_the_facts_do);
}

/// The persons of `actor`'s organisation with a statistics consent in force, and the consent.
async fn statistics_consents(s: &Store, actor: &Actor) -> Vec<(Uuid, Uuid)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT k.person_id, k.id FROM consents k JOIN cases c ON c.person_id = k.person_id \
         WHERE k.purpose = 'statistics' AND k.withdrawn_at IS NULL AND c.org_id = $1 \
         ORDER BY k.id",
    )
    .bind(actor.org_id().to_string())
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("consents");
    rows.into_iter()
        .map(|(p, k)| (p.parse().expect("uuid"), k.parse().expect("uuid")))
        .collect()
}
