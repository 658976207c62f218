//! The `passage` binary: serve the application (with the demo world on request), apply
//! migrations, add organisations and users, verify the audit chain.

mod backup;
mod config;
mod demo;
mod demo_incidents;
mod demo_labour;
mod demo_lifecycle;
mod demo_oversight;
mod demo_permits;
mod demo_person;
mod demo_proceedings;
mod demo_protection;
mod demo_return;
mod demo_screening;
mod demo_services;
mod demo_stats;
mod demo_tracing;
mod demo_work;
mod demo_worker;
mod export;
mod generate;
#[cfg(test)]
mod input_fuzz;
mod instruments;
mod jurisdictions;
mod keys;
mod linkage;
mod messages;
mod reminders;
mod retention;
mod routing;
mod stats_release;
mod webhooks;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use config::{Config, Flags};
use passage_core::policy::accounts::{SecondFactorRule, role_allowed};
use passage_core::{Country, OrgKind, Role};
use passage_store::{KeyOrigin, Keys, SessionPolicy, Store};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "passage",
    version,
    about = "Passage: protection of migrants' rights"
)]
struct Cli {
    /// Data directory: the SQLite database, the master key and passage.toml live here.
    #[arg(long, global = true, env = "PASSAGE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Configuration file (default: DATA_DIR/passage.toml).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://… (default: DATA_DIR/passage.db).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the UI.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        listen: Option<String>,
        /// Seed the demo world (once) before serving.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The demo world: synthetic cases for benchmarks.
    Demo {
        #[command(subcommand)]
        command: generate::DemoCommand,
    },
    /// Routing rules for reports.
    Routing {
        #[command(subcommand)]
        command: routing::RoutingCommand,
    },
    /// The keys: field-key rotation (stop the server first); moving persons' values under
    /// their own data keys after upgrading.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Copy the embedded database, sealed, while the server runs, without the persons' keys;
    /// write the keyring (the keys, still wrapped) beside it as FILE.keyring.
    Backup {
        /// The backup file to write.
        #[arg(long)]
        out: PathBuf,
        /// Write only the keyring (PostgreSQL deployments back the data up with pg_dump).
        #[arg(long)]
        keyring_only: bool,
    },
    /// Restore a backup into the data directory (which holds the master key it was made with),
    /// with the newest keyring: persons erased since the backup stay erased.
    Restore {
        /// The data backup (`passage backup --out`); without it, only the keyring is imported
        /// (after a PostgreSQL restore).
        #[arg(long)]
        from: Option<PathBuf>,
        /// The newest keyring (default: FILE.keyring beside the backup).
        #[arg(long)]
        keyring: Option<PathBuf>,
        /// Replace a database the data directory already holds.
        #[arg(long)]
        force: bool,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Statistics releases to a CSV file: de-identified HTCDS 2.0 records with k-anonymity,
    /// or CTDC-layout synthetic records from differentially private marginals.
    Export {
        #[command(subcommand)]
        command: export::ExportCommand,
    },
    /// Record linkage on CSV files: find the same person within a file or across two, or
    /// encode a file for privacy-preserving linkage. Needs no database.
    Linkage {
        #[command(subcommand)]
        command: linkage::LinkageCommand,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add an organisation.
    Add {
        #[arg(long)]
        name: String,
        /// ngo, hotline, service_provider, consulate, labour_inspectorate, law_enforcement,
        /// immigration_enforcement, ombudsperson, ministry, international_organisation
        #[arg(long)]
        kind: String,
        /// ISO 3166-1 alpha-2 code.
        #[arg(long)]
        country: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from --password-file, or from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The organisation's name.
        #[arg(long)]
        org: String,
        /// A role; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long, env = "PASSAGE_NEW_USER_PASSWORD_FILE")]
        password_file: Option<PathBuf>,
    },
    /// Remove a user's second factor and recovery codes (a lost device): they enrol a new one
    /// at their next sign-in.
    ResetSecondFactor {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain; exit 0 with the number of events when intact. With a checkpoint,
    /// also prove that nothing before it was cut, rewound or rewritten.
    Verify {
        /// A file written by `passage audit checkpoint`.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Verify the chain and print its head, signed, to keep apart from the server (print it,
    /// send it elsewhere): a later `verify --checkpoint` proves the log still holds it.
    Checkpoint,
}

fn init_logs(json: bool) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // A log line that cannot be written (its disk is full) is dropped. By default the
    // subscriber reports that on stderr with `eprintln!`, which panics when stderr itself
    // cannot be written: every logged request died with its connection cut while the disk
    // under the log was full.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(config: &Config, create_key: bool) -> Result<Store> {
    if config.is_sqlite() {
        // The data directory holds the database and the key: only its owner may enter it.
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !config.data_dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&config.data_dir)
                .with_context(|| format!("creating {}", config.data_dir.display()))?;
        }
        let mode = std::fs::metadata(&config.data_dir)
            .with_context(|| format!("reading {}", config.data_dir.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            tracing::warn!(path = %config.data_dir.display(), "the data directory was open to other users; narrowed to its owner (0700)");
            std::fs::set_permissions(&config.data_dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("narrowing {}", config.data_dir.display()))?;
        }
    }
    let keys = if create_key {
        let (keys, origin) = Keys::load_or_create(config.key_path())?;
        if origin == KeyOrigin::Created {
            tracing::warn!(path = %config.key_path().display(), "created a new master key: back it up now; without it the encrypted data cannot be read");
        }
        keys
    } else {
        Keys::load(config.key_path())
            .with_context(|| format!("reading the master key {}", config.key_path().display()))?
    };
    open_with(config, keys).await
}

/// Connects and migrates with the given keys.
async fn open_with(config: &Config, keys: Keys) -> Result<Store> {
    let policy = SessionPolicy {
        ui_idle_ms: config.ui_idle_minutes * 60_000,
        ui_absolute_ms: config.ui_absolute_hours * 3_600_000,
        ..SessionPolicy::default()
    };
    if config.receipt_pool_set {
        tracing::warn!(
            "receipt_pool (PASSAGE_RECEIPT_POOL) no longer has an effect: receipts are hardened in the background after they are stored; remove it from the configuration"
        );
    }
    let intake = passage_store::reports::public::IntakeOptions {
        sla: passage_core::intake::Sla {
            emergency_minutes: config.emergency_sla_minutes,
            ..Default::default()
        },
        retention_days: config.report_retention_days,
        ..Default::default()
    };
    let profiles = match &config.jurisdictions_dir {
        Some(dir) => jurisdictions::load(dir, true)?,
        None => jurisdictions::load(&config.data_dir.join("jurisdictions"), false)?,
    };
    let instruments = match &config.instruments_dir {
        Some(dir) => instruments::load(dir, true)?,
        None => instruments::load(&config.data_dir.join("instruments"), false)?,
    };
    let keys = keys.with_person_key_cache(config.person_key_cache);
    let store = Store::connect(&config.database_url, keys)
        .await
        .context("connecting to the database")?
        .with_session_policy(policy)
        .with_intake_options(intake)
        .with_profiles(profiles)
        .with_instruments(instruments);
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::Linkage { command } = &cli.command {
        // One line on failure: the cause chain, no backtrace.
        if let Err(e) = linkage::run(command.clone()) {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
        return Ok(());
    }
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let flags = Flags {
        data_dir: cli.data_dir.clone(),
        config: cli.config.clone(),
        database_url: cli.database_url.clone(),
        listen,
    };
    let config = Config::load(&flags)?;
    init_logs(config.json_logs);
    match cli.command {
        Command::Serve { demo, .. } => serve(config, demo).await,
        Command::Migrate => {
            open(&config, true).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Org {
            command:
                OrgCommand::Add {
                    name,
                    kind,
                    country,
                },
        } => {
            let kind = OrgKind::parse(&kind)
                .with_context(|| format!("kind must be one of: {}", OrgKind::allowed()))?;
            let country =
                Country::parse(&country).context("country must be an ISO 3166-1 alpha-2 code")?;
            let store = open(&config, true).await?;
            let org = store
                .create_organisation(store.operator("org add").authority(), &name, kind, country)
                .await?;
            println!("organisation {} created", org.id);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    org,
                    roles,
                    password_file,
                },
        } => {
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(r)
                        .with_context(|| format!("role must be one of: {}", Role::allowed()))
                })
                .collect::<Result<Vec<_>>>()?;
            let password = match password_file {
                Some(path) => std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?,
                None => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line
                }
            };
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            if password.chars().count() < passage_store::auth::PASSWORD_MIN {
                bail!(
                    "the password must have at least {} characters",
                    passage_store::auth::PASSWORD_MIN
                );
            }
            let store = open(&config, true).await?;
            let org = store
                .organisation_by_name(&org)
                .await?
                .with_context(|| format!("no organisation named {org}"))?;
            if let Some(role) = roles.iter().find(|r| !role_allowed(org.kind, **r)) {
                bail!(
                    "an organisation of kind {} does not hold the role {role}",
                    org.kind
                );
            }
            let new = passage_store::orgs::NewUser {
                org_id: org.id,
                email: &email,
                display_name: &name,
                password: &password,
                roles: &roles,
            };
            let user = store
                .create_user(store.operator("user add").authority(), new)
                .await
                .map_err(describe)?;
            println!("user {} created", user.id);
            Ok(())
        }
        Command::User {
            command: UserCommand::ResetSecondFactor { email },
        } => {
            let store = open(&config, true).await?;
            store
                .operator("user reset-second-factor")
                .reset_second_factor(&email)
                .await
                .map_err(describe)?;
            println!(
                "second factor of {email} removed: they enrol a new one at their next sign-in"
            );
            Ok(())
        }
        Command::Routing { command } => routing::run(open(&config, true).await?, command).await,
        Command::Demo { command } => generate::run(open(&config, true).await?, command).await,
        Command::Linkage { command } => linkage::run(command),
        Command::Keys { command } => keys::run(&config, command).await,
        Command::Audit { command } => audit(&config, command).await,
        Command::Backup { out, keyring_only } => {
            if let Err(e) = backup::backup(&config, &out, keyring_only).await {
                eprintln!("error: {e:#}");
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Restore {
            from,
            keyring,
            force,
        } => {
            let run = backup::restore(&config, from.as_deref(), keyring.as_deref(), force);
            if let Err(e) = run.await {
                eprintln!("error: {e:#}");
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Export { command } => {
            let settings = export::Settings {
                k: config.stats_k,
                budget: config.stats_epsilon_budget,
            };
            // A refusal is one line saying why (and what is left of a budget), no backtrace.
            let run = async { export::run(open(&config, false).await?, settings, command).await };
            if let Err(e) = run.await {
                eprintln!("error: {e:#}");
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

async fn audit(config: &Config, command: AuditCommand) -> Result<()> {
    let store = open(config, false).await?;
    let outcome = match command {
        AuditCommand::Verify { checkpoint: None } => store.verify_audit().await?,
        AuditCommand::Verify {
            checkpoint: Some(file),
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let checkpoint = passage_store::audit::Checkpoint::parse(&text, store.keys())
                .with_context(|| format!("checkpoint {}", file.display()))?;
            let outcome = store.verify_audit_since(&checkpoint).await?;
            if outcome.is_ok() {
                println!(
                    "the log holds the checkpoint at sequence {}",
                    checkpoint.seq
                );
            }
            outcome
        }
        AuditCommand::Checkpoint => match store.audit_checkpoint().await? {
            Ok(c) => {
                print!("{}", c.to_text());
                return Ok(());
            }
            Err(broken) => Err(broken),
        },
    };
    match outcome {
        Ok(n) => {
            println!("audit chain intact: {n} events");
            Ok(())
        }
        Err(broken) => {
            eprintln!(
                "audit chain broken at sequence {}: {}",
                broken.seq, broken.reason
            );
            std::process::exit(1);
        }
    }
}

fn describe(e: passage_store::StoreError) -> anyhow::Error {
    match e {
        passage_store::StoreError::Invalid(p) => {
            anyhow::anyhow!(
                p.0.iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        other => other.into(),
    }
}

/// Who must sign in with a second factor: every staff user when required; otherwise
/// administrators and supervisors, except in the demo world, where a password alone signs in.
fn second_factor_rule(config: &Config, demo: bool) -> SecondFactorRule {
    if config.require_2fa {
        SecondFactorRule::AllStaff
    } else if demo {
        SecondFactorRule::Off
    } else {
        SecondFactorRule::Privileged
    }
}

async fn serve(config: Config, demo: bool) -> Result<()> {
    // The rights pages are checked before anything else: a broken file stops the start, named.
    let rights = passage_web::RightsLibrary::load(config.rights_folder().as_deref())
        .context("the public rights pages cannot be served")?;
    let store = open(&config, true)
        .await?
        .with_second_factor(second_factor_rule(&config, demo));
    if demo {
        let password = std::env::var("PASSAGE_DEMO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty());
        demo::seed(&store, password)
            .await
            .context("seeding the demo world")?;
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    tracing::info!(address = %listener.local_addr()?, database = if config.is_sqlite() { "sqlite" } else { "postgres" }, "passage is serving");
    store.start_intake();
    // Registrations' duplicate checks run after their commit; the checker first runs those a
    // crash or a stop left due.
    store.start_link_checks();
    webhooks::start(&store, &config);
    messages::start(&store, &config);
    reminders::start(&store);
    retention::start(
        &store,
        config.case_retention,
        config.delivery_retention_days,
    );
    stats_release::start(&store);
    // Persons from before duplicate detection (or generated in bulk) get their linkage keys in
    // the background, so later registrations find them.
    let indexer = store.clone();
    tokio::spawn(async move {
        match indexer.operator("index link keys").index_link_keys().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(persons = n, "linkage keys built"),
            Err(e) => tracing::error!(error = %e.log_detail(), "building linkage keys failed"),
        }
    });
    let web = passage_web::WebConfig {
        secure_cookies: config.secure_cookies,
        min_cell: config.min_cell,
        stats_k: config.stats_k,
        public_limits: passage_web::PublicLimits {
            submissions_per_source: config.public_submissions_per_source,
            submissions_global: config.public_submissions_global,
            ..Default::default()
        },
        trusted_proxies: {
            let mut proxies = config.trusted_proxies.clone();
            // The older switch alone: the one proxy in front is the peer, whatever its address.
            proxies.immediate_peer = config.trust_forwarded && proxies.is_empty();
            proxies
        },
        public_url: config.public_url.clone(),
        twilio_auth_token: config.twilio_auth_token.clone(),
        rapidpro_token: config.rapidpro_token.clone(),
        min_fill_seconds: config.min_fill_seconds,
        attachment_limit: config.attachment_max_bytes,
        rights,
        ..Default::default()
    };
    let state = passage_web::AppState::new(store, web)
        .context("the operating system gave no randomness for the web keys")?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    passage_web::serve(listener, state, shutdown).await?;
    Ok(())
}
