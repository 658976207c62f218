//! A demo world with history: a few hundred synthetic cases opened over the last thirteen
//! months across the demo's organisations, so that the statistics (released only for whole
//! months that have ended) have something to show. Most persons consent to statistics; some
//! do not, so the count of cases left out is not zero either. The named people and their
//! stories are seeded elsewhere and stay as they are: these cases are closed and have no tasks,
//! so no one's caseload, queue or dashboard grows.

use crate::generate::Rng;
use anyhow::Result;
use passage_core::casework::RiskLevel;
use passage_core::date::PartialDate;
use passage_core::records::NewPerson;
use passage_core::{CaseStatus, CaseType, Country, Sex, Stage};
use passage_store::Store;
use passage_store::casework::seed::SeedCase;

/// How many cases.
pub const CASES: usize = 320;
/// Days back over which they are opened: the running month and the twelve before it.
const DAYS: u64 = 396;
/// Percent of persons with a statistics consent.
const CONSENTED: u64 = 85;

/// Who registers them, in which share: the helpline and the shelter most. In the shelter its
/// supervisor (who sees every case of the shelter anyway), so that the caseworker's own list
/// stays the named people's.
const HOLDERS: &[(&str, u64)] = &[
    ("intake@hotline.demo", 35),
    ("supervisor@shelter.demo", 35),
    ("inspector@labour.demo", 12),
    ("supervisor@equality.demo", 8),
    (crate::demo_return::PARTNER_USER, 10),
];

const GIVEN: &[&str] = &[
    "Ayo", "Bintu", "Ceren", "Daku", "Elif", "Farid", "Gulnara", "Hamza", "Ilse", "Jamal", "Kemal",
    "Lina", "Malik", "Nadia", "Oksana", "Pedro", "Qadir", "Rosa", "Saida", "Tariq", "Ulla", "Vera",
    "Wafa", "Xiomara", "Yara", "Zeynep",
];
const FAMILY: &[&str] = &[
    "Abara", "Belkin", "Cortez", "Dossou", "Eze", "Fofana", "Gashi", "Hakimi", "Idowu", "Jovic",
    "Kaya", "Lungu", "Mbeki", "Nowak", "Osei", "Pereira", "Quispe", "Rojas", "Sow", "Touba",
    "Usman", "Varga", "Wanjiru", "Yilmaz", "Zaman",
];
/// Citizenships, the first ones more often.
const CITIZENSHIPS: &[&str] = &[
    "PH", "PH", "UA", "UA", "VN", "NG", "RO", "ET", "CO", "BD", "SY", "GT", "IN", "ER", "AF",
];

fn case(rng: &mut Rng, i: usize, year: i64) -> Result<SeedCase> {
    let mut types = vec![rng.pick(CaseType::ALL)];
    if rng.chance(25) {
        let more = rng.pick(CaseType::ALL);
        if more != types[0] {
            types.push(more);
        }
    }
    // Ages from children to older persons; a few without a date of birth.
    let date_of_birth = if rng.chance(8) {
        None
    } else {
        let age = 14 + (rng.next() % 55) as i64;
        let month = 1 + rng.next() % 12;
        let text = format!("{}-{month:02}-15", year - age);
        Some(
            PartialDate::parse(&text, year.clamp(0, i64::from(u16::MAX)) as u16)
                .map_err(|e| anyhow::anyhow!("demo date of birth invalid: {e}"))?,
        )
    };
    Ok(SeedCase {
        person: NewPerson {
            given_name: GIVEN[i % GIVEN.len()].to_string(),
            family_name: FAMILY[(i / GIVEN.len()) % FAMILY.len()].to_string(),
            date_of_birth,
            sex: Some(rng.pick(&[
                Sex::Feminine,
                Sex::Feminine,
                Sex::Masculine,
                Sex::Masculine,
                Sex::NonSpecifiedUnknown,
            ])),
            citizenships: Country::parse(rng.pick(CITIZENSHIPS)).into_iter().collect(),
            migration_status: None,
        },
        types,
        stage: rng.pick(Stage::ALL),
        status: CaseStatus::Closed,
        risk: rng.pick(RiskLevel::ALL),
        summary: "Synthetic case for the demo's statistics.".to_string(),
        overdue_task: false,
        opened_days_ago: (rng.next() % DAYS) as u32,
        statistics_consent: rng.chance(CONSENTED),
    })
}

/// Seeds the cases, each holder's share in one batch.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let year = time_year();
    let mut rng = Rng::new(0x005e_ed0f_57a7);
    let total: u64 = HOLDERS.iter().map(|(_, w)| w).sum();
    let mut i = 0;
    for (n, (user, weight)) in HOLDERS.iter().enumerate() {
        let share = if n + 1 == HOLDERS.len() {
            CASES - i
        } else {
            (CASES as u64 * weight / total) as usize
        };
        let actor = op.impersonate(user).await?;
        let mut batch = Vec::with_capacity(share);
        for _ in 0..share {
            batch.push(case(&mut rng, i, year)?);
            i += 1;
        }
        op.seed_cases(&actor, batch).await?;
    }
    Ok(())
}

/// This year, for reading dates of birth.
fn time_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    passage_core::casework::calendar::Day::from_unix_ms((secs * 1000) as i64)
        .ymd()
        .0
}
