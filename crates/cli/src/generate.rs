//! `passage demo generate --cases N`: synthetic persons and cases for benchmarks, written in
//! batches through the store's seeding path (sealed, indexed, audited). Names are invented, in
//! the Latin forms of several languages; nothing resembles a real record.

use anyhow::{Context, Result};
use clap::Subcommand;
use passage_core::casework::RiskLevel;
use passage_core::records::NewPerson;
use passage_core::{CaseStatus, CaseType, Country, Sex, Stage};
use passage_store::Store;
use passage_store::casework::seed::SeedCase;
use std::time::Instant;

#[derive(Subcommand)]
pub enum DemoCommand {
    /// Add N synthetic cases to the demo world (run `serve --demo` once first).
    Generate {
        /// How many cases.
        #[arg(long)]
        cases: usize,
        /// The user who registers them (their organisation owns them).
        #[arg(long = "as", default_value = "caseworker@shelter.demo")]
        user: String,
        /// The organisation that owns them, by name: registered by its first active user who
        /// may open cases (instead of `--as`).
        #[arg(long, conflicts_with = "user")]
        org: Option<String>,
        /// Cases per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        /// Open the cases over this many whole months before the running one (and in it), so
        /// that the statistics, released by months that have ended, count them; 0: all today.
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// The share of persons who consent to statistics (the rest are counted as left out).
        #[arg(long = "consented-share", default_value_t = 0.9)]
        consented_share: f64,
    },
}

const GIVEN: &[&str] = &[
    "Amina", "Yusuf", "Maria", "José", "Olena", "Dmytro", "Ngozi", "Chinedu", "Rahel", "Dawit",
    "Maricel", "Jomar", "Fatima", "Omar", "Leila", "Karim", "Anh", "Minh", "Priya", "Arjun",
    "Aigerim", "Nurlan", "Sofía", "Mateo", "Hawa", "Ibrahima", "Mei", "Wei", "Tigist", "Samuel",
];
const FAMILY: &[&str] = &[
    "Haddad",
    "Mensah",
    "Kovalenko",
    "Santos",
    "Reyes",
    "Nguyen",
    "Tesfaye",
    "Okafor",
    "Diallo",
    "Rahman",
    "Sharma",
    "Petrova",
    "Bekov",
    "García",
    "López",
    "Wang",
    "Chen",
    "Abebe",
    "Kamara",
    "Bautista",
    "Nasser",
    "Qureshi",
    "Mwangi",
    "Ivanova",
    "Traoré",
    "Suleiman",
    "Alvarez",
    "Hussein",
    "Delgado",
    "Tran",
];
const COUNTRIES: &[&str] = &["PH", "NG", "ET", "UA", "VN", "IN", "SY", "GT", "SN", "KZ"];

/// A small deterministic generator: the same N gives the same world.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// How the generated cases spread over time and consent.
struct Spread {
    /// Days back over which cases are opened.
    days: u64,
    /// Statistics consents per million persons.
    consented_ppm: u64,
}

fn synthetic(rng: &mut Rng, spread: &Spread) -> SeedCase {
    let citizenship = Country::parse(rng.pick(COUNTRIES)).into_iter().collect();
    let mut types = vec![rng.pick(CaseType::ALL)];
    if rng.chance(20) {
        let more = rng.pick(CaseType::ALL);
        if more != types[0] {
            types.push(more);
        }
    }
    SeedCase {
        person: NewPerson {
            given_name: rng.pick(GIVEN).to_string(),
            family_name: rng.pick(FAMILY).to_string(),
            date_of_birth: None,
            sex: Some(rng.pick(&[Sex::Feminine, Sex::Masculine, Sex::NonSpecifiedUnknown])),
            citizenships: citizenship,
            migration_status: None,
        },
        types,
        stage: rng.pick(Stage::ALL),
        status: rng.pick(CaseStatus::ALL),
        risk: rng.pick(RiskLevel::ALL),
        summary: "Synthetic case for load testing.".to_string(),
        overdue_task: rng.chance(5),
        opened_days_ago: (rng.next() % spread.days.max(1)) as u32,
        statistics_consent: rng.next() % 1_000_000 < spread.consented_ppm,
    }
}

pub async fn run(store: Store, command: DemoCommand) -> Result<()> {
    let DemoCommand::Generate {
        cases,
        user,
        org,
        batch,
        months,
        consented_share,
    } = command;
    if !(0.0..=1.0).contains(&consented_share) {
        anyhow::bail!("--consented-share is a share from 0 to 1");
    }
    // The running month's days so far are unknown here; a month is counted as 31 days, so
    // the oldest cases fall in the month `months` before the running one or just after it.
    let spread = Spread {
        days: u64::from(months.min(1200)) * 31 + 1,
        consented_ppm: (consented_share * 1_000_000.0).round() as u64,
    };
    let op = store.operator("generate");
    let user = match org {
        None => user,
        Some(name) => registrar(&store, op.authority(), &name).await?,
    };
    let actor = op
        .impersonate(&user)
        .await
        .with_context(|| format!("no active user {user}: start once with `serve --demo`"))?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ cases as u64);
    let start = Instant::now();
    let mut done = 0;
    while done < cases {
        let n = batch.clamp(1, 10_000).min(cases - done);
        let rows = (0..n).map(|_| synthetic(&mut rng, &spread)).collect();
        done += op.seed_cases(&actor, rows).await?;
        if done % 10_000 < n || done == cases {
            eprintln!(
                "{done} cases ({:.0}/s)",
                done as f64 / start.elapsed().as_secs_f64()
            );
        }
    }
    // Duplicate detection finds these persons once they have linkage keys; building them here
    // keeps that work out of the next start.
    let keying = Instant::now();
    let keyed = op.index_link_keys().await?;
    eprintln!(
        "linkage keys built for {keyed} persons in {:.1} s",
        keying.elapsed().as_secs_f64()
    );
    op.refresh_statistics().await?;
    println!(
        "{done} synthetic cases added in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The e-mail of the first active user of the organisation `name` who may open cases.
async fn registrar(store: &Store, op: &passage_store::Authority, name: &str) -> Result<String> {
    let org = store
        .organisation_by_name(name)
        .await?
        .with_context(|| format!("no organisation named {name}"))?;
    let users = store.users_of(op, org.id).await?;
    users
        .into_iter()
        .find(|u| {
            let principal = passage_core::policy::Principal {
                user_id: u.id,
                org_id: org.id,
                org_kind: org.kind,
                roles: u.roles.clone(),
            };
            !u.disabled
                && passage_core::policy::decide(
                    &principal,
                    passage_core::policy::Action::CreateCase,
                    passage_core::policy::Relation::Own,
                )
                .is_allowed()
        })
        .map(|u| u.email)
        .with_context(|| format!("no active user of {name} may open cases"))
}
