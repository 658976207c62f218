//! Connections, engine settings and migrations, and the write transaction every change and
//! every read of personal data runs in.

use crate::audit::{AuditHead, Event};
use crate::{Keys, StoreError};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::borrow::Cow;
use std::sync::Arc;
use tokio::sync::Mutex;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store: a pool, the keys and, on SQLite, the in-process writer lock (SQLite has one
/// writer at a time; queueing here instead of in the busy handler keeps latency flat).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) keys: Arc<Keys>,
    backend: Backend,
    writer: Arc<Mutex<()>>,
    pub(crate) sessions: crate::auth::SessionPolicy,
    /// Who must sign in with a second factor (configuration; nobody unless set).
    pub(crate) second_factor: passage_core::policy::accounts::SecondFactorRule,
    pub(crate) intake: Arc<std::sync::OnceLock<crate::reports::public::Intake>>,
    pub(crate) intake_options: crate::reports::public::IntakeOptions,
    /// Groups of public submissions committed so far (each one transaction).
    pub(crate) intake_batches: Arc<std::sync::atomic::AtomicU64>,
    /// Jurisdiction profiles the deadlines of a case are computed with (configuration).
    pub(crate) profiles: Arc<passage_core::casework::deadlines::Profiles>,
    /// Screening instruments (configuration); the built-in ones unless replaced.
    pub(crate) instruments: Arc<passage_core::screening::Catalogue>,
    /// The one clock of everything the store dates.
    pub(crate) clock: crate::Clock,
    /// The bound on concurrent argon2 hashing.
    pub(crate) hashing: Arc<crate::hashing::HashGate>,
    /// The receipt hardener's state.
    pub(crate) hardening: Arc<crate::reports::receipts::Hardening>,
    /// How registrations' duplicate checks run, and the background checker's state.
    pub(crate) link_checks: Arc<crate::casework::duplicates::LinkChecks>,
}

const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
    ),
    (
        2,
        "intake",
        include_str!("../migrations/sqlite/0002_intake.sql"),
    ),
    (
        4,
        "casework",
        include_str!("../migrations/sqlite/0004_casework.sql"),
    ),
    (
        6,
        "work",
        include_str!("../migrations/sqlite/0006_work.sql"),
    ),
    (
        8,
        "lists",
        include_str!("../migrations/sqlite/0008_lists.sql"),
    ),
    (
        9,
        "list_order",
        include_str!("../migrations/sqlite/0009_list_order.sql"),
    ),
    (
        10,
        "screening",
        include_str!("../migrations/sqlite/0010_screening.sql"),
    ),
    (
        11,
        "linkage",
        include_str!("../migrations/sqlite/0011_linkage.sql"),
    ),
    (
        12,
        "partner_referral",
        include_str!("../migrations/sqlite/0012_partner_referral.sql"),
    ),
    (
        13,
        "user_language",
        include_str!("../migrations/sqlite/0013_user_language.sql"),
    ),
    (
        14,
        "partner_hardening",
        include_str!("../migrations/sqlite/0014_partner_hardening.sql"),
    ),
    (
        15,
        "accounts_2fa",
        include_str!("../migrations/sqlite/0015_accounts_2fa.sql"),
    ),
    (
        17,
        "sealed_and_released",
        include_str!("../migrations/sqlite/0017_sealed_and_released.sql"),
    ),
    (
        18,
        "feedback",
        include_str!("../migrations/sqlite/0018_feedback.sql"),
    ),
    (
        19,
        "org_time_zone",
        include_str!("../migrations/sqlite/0019_org_time_zone.sql"),
    ),
    (
        20,
        "case_origin",
        include_str!("../migrations/sqlite/0020_case_origin.sql"),
    ),
    (
        21,
        "services",
        include_str!("../migrations/sqlite/0021_services.sql"),
    ),
    (
        22,
        "protection_needs",
        include_str!("../migrations/sqlite/0022_protection_needs.sql"),
    ),
    (
        23,
        "report_handover",
        include_str!("../migrations/sqlite/0023_report_handover.sql"),
    ),
    (
        24,
        "referrals",
        include_str!("../migrations/sqlite/0024_referrals.sql"),
    ),
    (
        25,
        "notifications",
        include_str!("../migrations/sqlite/0025_notifications.sql"),
    ),
    (
        26,
        "transfers",
        include_str!("../migrations/sqlite/0026_transfers.sql"),
    ),
    (
        27,
        "referral_life",
        include_str!("../migrations/sqlite/0027_referral_life.sql"),
    ),
    (
        28,
        "no_case_shares",
        include_str!("../migrations/sqlite/0028_no_case_shares.sql"),
    ),
    (
        29,
        "entities",
        include_str!("../migrations/sqlite/0029_entities.sql"),
    ),
    (
        30,
        "worker_labour",
        include_str!("../migrations/sqlite/0030_worker_labour.sql"),
    ),
    (
        31,
        "inspections",
        include_str!("../migrations/sqlite/0031_inspections.sql"),
    ),
    (
        32,
        "incidents",
        include_str!("../migrations/sqlite/0032_incidents.sql"),
    ),
    (
        33,
        "report_attachments",
        include_str!("../migrations/sqlite/0033_report_attachments.sql"),
    ),
    (
        34,
        "investigations",
        include_str!("../migrations/sqlite/0034_investigations.sql"),
    ),
    (
        35,
        "claim_tasks",
        include_str!("../migrations/sqlite/0035_claim_tasks.sql"),
    ),
    (
        36,
        "tracing",
        include_str!("../migrations/sqlite/0036_tracing.sql"),
    ),
    (
        37,
        "permits",
        include_str!("../migrations/sqlite/0037_permits.sql"),
    ),
    (
        38,
        "protection_reviews",
        include_str!("../migrations/sqlite/0038_protection_reviews.sql"),
    ),
    (
        39,
        "proceedings",
        include_str!("../migrations/sqlite/0039_proceedings.sql"),
    ),
    (
        40,
        "returns",
        include_str!("../migrations/sqlite/0040_returns.sql"),
    ),
    (
        41,
        "stats_facts",
        include_str!("../migrations/sqlite/0041_stats_facts.sql"),
    ),
    (
        42,
        "stats_events",
        include_str!("../migrations/sqlite/0042_stats_events.sql"),
    ),
    (
        43,
        "stats_exports",
        include_str!("../migrations/sqlite/0043_stats_exports.sql"),
    ),
    (
        44,
        "stats_cells",
        include_str!("../migrations/sqlite/0044_stats_cells.sql"),
    ),
    (
        45,
        "outbound_delivery",
        include_str!("../migrations/sqlite/0045_outbound_delivery.sql"),
    ),
    (
        46,
        "person_keys",
        include_str!("../migrations/sqlite/0046_person_keys.sql"),
    ),
    (
        47,
        "name_variants",
        include_str!("../migrations/sqlite/0047_name_variants.sql"),
    ),
    (
        48,
        "corrections",
        include_str!("../migrations/sqlite/0048_corrections.sql"),
    ),
    (
        49,
        "case_retention",
        include_str!("../migrations/sqlite/0049_case_retention.sql"),
    ),
    (
        50,
        "stats_measure_cells",
        include_str!("../migrations/sqlite/0050_stats_measure_cells.sql"),
    ),
    (
        51,
        "stats_fact_values",
        include_str!("../migrations/sqlite/0051_stats_fact_values.sql"),
    ),
    (
        53,
        "person_key_ids",
        include_str!("../migrations/sqlite/0053_person_key_ids.sql"),
    ),
    (
        54,
        "receipts_waiting",
        include_str!("../migrations/sqlite/0054_receipts_waiting.sql"),
    ),
    (
        55,
        "link_checks",
        include_str!("../migrations/sqlite/0055_link_checks.sql"),
    ),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "intake",
        include_str!("../migrations/postgres/0002_intake.sql"),
    ),
    (
        4,
        "casework",
        include_str!("../migrations/postgres/0004_casework.sql"),
    ),
    (
        6,
        "work",
        include_str!("../migrations/postgres/0006_work.sql"),
    ),
    (
        8,
        "lists",
        include_str!("../migrations/postgres/0008_lists.sql"),
    ),
    (
        9,
        "list_order",
        include_str!("../migrations/postgres/0009_list_order.sql"),
    ),
    (
        10,
        "screening",
        include_str!("../migrations/postgres/0010_screening.sql"),
    ),
    (
        11,
        "linkage",
        include_str!("../migrations/postgres/0011_linkage.sql"),
    ),
    (
        12,
        "partner_referral",
        include_str!("../migrations/postgres/0012_partner_referral.sql"),
    ),
    (
        13,
        "user_language",
        include_str!("../migrations/postgres/0013_user_language.sql"),
    ),
    (
        14,
        "partner_hardening",
        include_str!("../migrations/postgres/0014_partner_hardening.sql"),
    ),
    (
        15,
        "accounts_2fa",
        include_str!("../migrations/postgres/0015_accounts_2fa.sql"),
    ),
    (
        17,
        "sealed_and_released",
        include_str!("../migrations/postgres/0017_sealed_and_released.sql"),
    ),
    (
        18,
        "feedback",
        include_str!("../migrations/postgres/0018_feedback.sql"),
    ),
    (
        19,
        "org_time_zone",
        include_str!("../migrations/postgres/0019_org_time_zone.sql"),
    ),
    (
        20,
        "case_origin",
        include_str!("../migrations/postgres/0020_case_origin.sql"),
    ),
    (
        21,
        "services",
        include_str!("../migrations/postgres/0021_services.sql"),
    ),
    (
        22,
        "protection_needs",
        include_str!("../migrations/postgres/0022_protection_needs.sql"),
    ),
    (
        23,
        "report_handover",
        include_str!("../migrations/postgres/0023_report_handover.sql"),
    ),
    (
        24,
        "referrals",
        include_str!("../migrations/postgres/0024_referrals.sql"),
    ),
    (
        25,
        "notifications",
        include_str!("../migrations/postgres/0025_notifications.sql"),
    ),
    (
        26,
        "transfers",
        include_str!("../migrations/postgres/0026_transfers.sql"),
    ),
    (
        27,
        "referral_life",
        include_str!("../migrations/postgres/0027_referral_life.sql"),
    ),
    (
        28,
        "no_case_shares",
        include_str!("../migrations/postgres/0028_no_case_shares.sql"),
    ),
    (
        29,
        "entities",
        include_str!("../migrations/postgres/0029_entities.sql"),
    ),
    (
        30,
        "worker_labour",
        include_str!("../migrations/postgres/0030_worker_labour.sql"),
    ),
    (
        31,
        "inspections",
        include_str!("../migrations/postgres/0031_inspections.sql"),
    ),
    (
        32,
        "incidents",
        include_str!("../migrations/postgres/0032_incidents.sql"),
    ),
    (
        33,
        "report_attachments",
        include_str!("../migrations/postgres/0033_report_attachments.sql"),
    ),
    (
        34,
        "investigations",
        include_str!("../migrations/postgres/0034_investigations.sql"),
    ),
    (
        35,
        "claim_tasks",
        include_str!("../migrations/postgres/0035_claim_tasks.sql"),
    ),
    (
        36,
        "tracing",
        include_str!("../migrations/postgres/0036_tracing.sql"),
    ),
    (
        37,
        "permits",
        include_str!("../migrations/postgres/0037_permits.sql"),
    ),
    (
        38,
        "protection_reviews",
        include_str!("../migrations/postgres/0038_protection_reviews.sql"),
    ),
    (
        39,
        "proceedings",
        include_str!("../migrations/postgres/0039_proceedings.sql"),
    ),
    (
        40,
        "returns",
        include_str!("../migrations/postgres/0040_returns.sql"),
    ),
    (
        41,
        "stats_facts",
        include_str!("../migrations/postgres/0041_stats_facts.sql"),
    ),
    (
        42,
        "stats_events",
        include_str!("../migrations/postgres/0042_stats_events.sql"),
    ),
    (
        43,
        "stats_exports",
        include_str!("../migrations/postgres/0043_stats_exports.sql"),
    ),
    (
        44,
        "stats_cells",
        include_str!("../migrations/postgres/0044_stats_cells.sql"),
    ),
    (
        45,
        "outbound_delivery",
        include_str!("../migrations/postgres/0045_outbound_delivery.sql"),
    ),
    (
        46,
        "person_keys",
        include_str!("../migrations/postgres/0046_person_keys.sql"),
    ),
    (
        47,
        "name_variants",
        include_str!("../migrations/postgres/0047_name_variants.sql"),
    ),
    (
        48,
        "corrections",
        include_str!("../migrations/postgres/0048_corrections.sql"),
    ),
    (
        49,
        "case_retention",
        include_str!("../migrations/postgres/0049_case_retention.sql"),
    ),
    (
        50,
        "stats_measure_cells",
        include_str!("../migrations/postgres/0050_stats_measure_cells.sql"),
    ),
    (
        51,
        "stats_fact_values",
        include_str!("../migrations/postgres/0051_stats_fact_values.sql"),
    ),
    (
        53,
        "person_key_ids",
        include_str!("../migrations/postgres/0053_person_key_ids.sql"),
    ),
    (
        54,
        "receipts_waiting",
        include_str!("../migrations/postgres/0054_receipts_waiting.sql"),
    ),
    (
        55,
        "link_checks",
        include_str!("../migrations/postgres/0055_link_checks.sql"),
    ),
];

/// How long a request waits for a PostgreSQL connection before it is refused.
const POSTGRES_ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), applying the engine settings.
    /// Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str, keys: Keys) -> Result<Store, StoreError> {
        install_default_drivers();
        // The first failed login of an unknown user must cost what later ones cost.
        tokio::task::spawn_blocking(crate::auth::prepare_login_timing);
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::invalid(
                "database_url",
                passage_core::ErrorCode::Unsupported,
                "use sqlite://PATH or postgres://…",
            ));
        };
        let mut options =
            AnyPoolOptions::new().max_connections(if backend == Backend::Sqlite { 4 } else { 16 });
        if backend == Backend::Postgres {
            // While PostgreSQL is down or restarting, a request is refused (503
            // `database_unavailable`) after this wait instead of hanging; the pool reconnects by
            // itself once the server is back.
            options = options.acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT);
        }
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside the writer; FULL makes every acknowledged
                    // commit survive power loss.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    // What is deleted or overwritten is zeroed, not left in free pages.
                    conn.execute("PRAGMA secure_delete = ON").await?;
                    Ok(())
                })
            });
            // A statement refused for a full disk (or an I/O error) can make SQLite roll the
            // whole transaction back by itself; the driver still counts it open, its own
            // rollback then fails, and from its next transaction on the connection would hold
            // the write lock for ever (every later write: `BUSY`, even after space returns). A
            // connection handed back still inside a transaction is closed, not reused. The
            // trivial query first lets the rollback the driver queued run.
            options = options.after_release(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("SELECT 1").await?;
                    Ok(!sqlx::Connection::is_in_transaction(conn))
                })
            });
        }
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
        } else {
            url.to_string()
        };
        if backend == Backend::Sqlite {
            owner_only(&url)?;
        }
        let pool = options.connect(&url).await?;
        if backend == Backend::Sqlite {
            // The engine made its journal files after the database's mode; check them too.
            owner_only(&url)?;
        }
        Ok(Store {
            pool,
            keys: Arc::new(keys),
            backend,
            writer: Arc::new(Mutex::new(())),
            sessions: crate::auth::SessionPolicy::default(),
            second_factor: Default::default(),
            intake: Arc::new(std::sync::OnceLock::new()),
            intake_options: Default::default(),
            intake_batches: Default::default(),
            profiles: Arc::new(Default::default()),
            // The shipped files are checked by a test; a deployment's own are loaded (and a bad
            // one refused) by the binary before it serves.
            instruments: Arc::new(passage_core::screening::builtin().unwrap_or_default()),
            clock: crate::Clock::system(),
            hashing: Arc::new(crate::hashing::HashGate::new(Default::default())),
            hardening: crate::reports::receipts::hardening(),
            link_checks: Default::default(),
        })
    }

    /// Changes the session timeouts (configuration).
    /// The store with another clock (a fixed one in tests).
    pub fn with_clock(mut self, clock: crate::Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The clock the store dates everything by.
    pub fn clock(&self) -> &crate::Clock {
        &self.clock
    }

    /// Sets who must sign in with a second factor (configuration).
    pub fn with_second_factor(
        mut self,
        rule: passage_core::policy::accounts::SecondFactorRule,
    ) -> Store {
        self.second_factor = rule;
        self
    }

    /// Changes how many argon2 hashes run at once and how long a request waits for a slot
    /// (configuration).
    pub fn with_hash_limits(mut self, limits: crate::hashing::HashLimits) -> Store {
        self.hashing = Arc::new(crate::hashing::HashGate::new(limits));
        self
    }

    /// What the hashing gate has seen (in flight, peak, started).
    pub fn hash_stats(&self) -> crate::hashing::HashStats {
        self.hashing.stats()
    }

    pub fn with_session_policy(mut self, policy: crate::auth::SessionPolicy) -> Store {
        self.sessions = policy;
        self
    }

    /// Changes the intake settings (configuration); call before the first submission.
    pub fn with_intake_options(mut self, options: crate::reports::public::IntakeOptions) -> Store {
        self.intake_options = options;
        self
    }

    /// Sets the screening instruments (configuration).
    pub fn with_instruments(mut self, instruments: passage_core::screening::Catalogue) -> Store {
        self.instruments = Arc::new(instruments);
        self
    }

    /// The screening instruments in use.
    pub fn instruments(&self) -> &passage_core::screening::Catalogue {
        &self.instruments
    }

    /// Sets the jurisdiction profiles deadlines are computed with (configuration).
    pub fn with_profiles(mut self, profiles: passage_core::casework::deadlines::Profiles) -> Store {
        self.profiles = Arc::new(profiles);
        self
    }

    /// The jurisdiction profiles in force.
    pub fn profiles(&self) -> &passage_core::casework::deadlines::Profiles {
        &self.profiles
    }

    pub fn intake_options(&self) -> crate::reports::public::IntakeOptions {
        self.intake_options
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The last migration this version knows for its engine (a backup made by a newer version
    /// is refused).
    pub fn latest_migration(&self) -> i64 {
        let list = match self.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        list.iter().map(|(v, _, _)| *v).max().unwrap_or(0)
    }

    /// Applies the migrations of this engine that are not applied yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let list = match self.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        let migrations = list
            .iter()
            .map(|(v, d, sql)| {
                Migration::new(
                    *v,
                    Cow::Borrowed(*d),
                    MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(*sql),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations)
            .run(&self.pool)
            .await?;
        self.seal_leftovers().await?;
        self.reindex_names().await?;
        Ok(())
    }

    /// Answers whether the database takes a query now (readiness): a trivial query bounded
    /// by `wait`. `DatabaseUnavailable` when it does not answer in time.
    pub async fn ping(&self, wait: std::time::Duration) -> Result<(), StoreError> {
        let query = sqlx::query_as::<_, (i64,)>("SELECT 1").fetch_one(&self.pool);
        match tokio::time::timeout(wait, query).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => match StoreError::from(e) {
                StoreError::Database(_) => Err(StoreError::DatabaseUnavailable),
                other => Err(other),
            },
            Err(_) => Err(StoreError::DatabaseUnavailable),
        }
    }

    /// A pragma or setting, for tests that check the engine is configured as promised.
    pub async fn sqlite_pragma(&self, name: &str) -> Result<String, StoreError> {
        let allowed = [
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "secure_delete",
        ];
        if !allowed.contains(&name) {
            return Err(StoreError::invalid(
                "pragma",
                passage_core::ErrorCode::Unknown,
                "not a checked pragma",
            ));
        }
        let row: (String,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT CAST((SELECT * FROM pragma_{name}) AS TEXT)"
        )))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0)
    }

    /// Starts a write transaction holding the audit head, so events chain in commit order
    /// across threads and processes.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let mut tx = self.pool.begin().await?;
        let head = AuditHead::lock(&mut tx).await?;
        Ok(Tx {
            tx,
            head,
            keys: Arc::new(self.keys.pinned()),
            now: self.clock.now_ms(),
            _guard: guard,
            events: 0,
        })
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Writes `meta` (operator only), audited.
    pub async fn set_meta(
        &self,
        by: &crate::Authority,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        by.require_system_admin()?;
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
            .bind(key)
            .bind(value)
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(by.event("meta.set", "meta", Some(key.to_string()), "ok"))
            .await?;
        tx.commit().await
    }

    /// Reads `meta` (demo markers and the like).
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }
}

/// A write transaction with the audit head locked. Dropping it rolls back.
pub(crate) struct Tx {
    pub tx: Transaction<'static, Any>,
    head: AuditHead,
    pub keys: Arc<Keys>,
    pub now: i64,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
    events: u32,
}

impl Tx {
    /// Appends an audit event in this transaction.
    pub async fn audit(&mut self, event: Event<'_>) -> Result<(), StoreError> {
        let key = self.keys.audit_key();
        self.head
            .append(&mut self.tx, &key, self.now, event)
            .await?;
        self.events += 1;
        Ok(())
    }

    /// Appends several audit events in one statement.
    pub async fn audit_many(&mut self, events: &[Event<'_>]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let key = self.keys.audit_key();
        self.head
            .append_many(&mut self.tx, &key, self.now, events)
            .await?;
        self.events += events.len() as u32;
        Ok(())
    }

    /// Commits; the audit head moves with the events in the same commit.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        if self.events > 0 {
            self.head.store(&mut self.tx).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}

/// Creates the SQLite database file readable and writable by its owner only (0600), and
/// narrows the database and its journal files to that when they exist with a wider mode: the
/// sealed fields are sealed, but names' search tags, dates and the audit trail are not.
fn owner_only(url: &str) -> Result<(), StoreError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    let io = |_: std::io::Error| StoreError::Io("setting the database file's permissions");
    if !std::path::Path::new(path).exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
    }
    for file in [
        path.to_string(),
        format!("{path}-wal"),
        format!("{path}-shm"),
    ] {
        if let Ok(meta) = std::fs::metadata(&file)
            && meta.permissions().mode() & 0o077 != 0
        {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
    }
    Ok(())
}
