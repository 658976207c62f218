//! Configuration: defaults → `passage.toml` (in the data directory, or `--config`) →
//! `PASSAGE_*` environment → command-line flags. Secrets come from files (`*_FILE`).

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen: Option<String>,
    master_key_file: Option<PathBuf>,
    secure_cookies: Option<bool>,
    min_cell: Option<u64>,
    stats_k: Option<u64>,
    stats_epsilon_budget: Option<String>,
    log_format: Option<String>,
    ui_idle_minutes: Option<i64>,
    ui_absolute_hours: Option<i64>,
    public_url: Option<String>,
    trust_forwarded: Option<bool>,
    trusted_proxies: Option<String>,
    receipt_pool: Option<usize>,
    min_fill_seconds: Option<i64>,
    attachment_max_bytes: Option<usize>,
    public_submissions_per_source: Option<u32>,
    public_submissions_global: Option<u32>,
    emergency_sla_minutes: Option<i64>,
    report_retention_days: Option<u32>,
    case_retention_years: Option<u32>,
    closed_case_attachment_days: Option<u32>,
    alert_webhook_url: Option<String>,
    twilio_account_sid: Option<String>,
    twilio_from: Option<String>,
    twilio_messaging_service_sid: Option<String>,
    twilio_api_url: Option<String>,
    rapidpro_url: Option<String>,
    delivery_retention_days: Option<u32>,
    person_key_cache: Option<usize>,
    jurisdictions_dir: Option<PathBuf>,
    instruments_dir: Option<PathBuf>,
    rights_dir: Option<PathBuf>,
    require_2fa: Option<bool>,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: String,
    pub master_key_file: PathBuf,
    pub secure_cookies: bool,
    pub min_cell: u64,
    /// The statistics door's k (default 11, as CTDC).
    pub stats_k: u64,
    /// The privacy budget of each dataset of differentially private releases (`passage export
    /// ctdc`), in ε: `stats_epsilon_budget`, `PASSAGE_STATS_EPSILON_BUDGET`, default 3.
    pub stats_epsilon_budget: passage_stats::dp::Epsilon,
    pub json_logs: bool,
    pub ui_idle_minutes: i64,
    pub ui_absolute_hours: i64,
    pub public_url: Option<String>,
    /// Older switch: the immediate peer is a proxy (one hop of `X-Forwarded-For` is taken).
    /// `trusted_proxies` says which proxies exactly, and is preferred.
    pub trust_forwarded: bool,
    /// Proxies whose `X-Forwarded-For` is believed (comma-separated addresses or CIDR ranges).
    pub trusted_proxies: passage_web::TrustedProxies,
    /// Obsolete: receipts no longer need a pool (they are hardened after they are stored).
    /// Still accepted, so an older configuration starts; a warning says to remove it.
    pub receipt_pool_set: bool,
    pub min_fill_seconds: i64,
    /// Largest attachment accepted, in bytes (default 10 MiB).
    pub attachment_max_bytes: usize,
    pub public_submissions_per_source: u32,
    pub public_submissions_global: u32,
    pub emergency_sla_minutes: i64,
    /// Days a public report and its receipt are kept (default 365); a report nobody has read
    /// is kept until it is handled.
    pub report_retention_days: u32,
    /// How long closed cases and their attachments are kept (`case_retention_years`, default
    /// 7; `closed_case_attachment_days`, default 365; `PASSAGE_CASE_RETENTION_YEARS`,
    /// `PASSAGE_CLOSED_CASE_ATTACHMENT_DAYS`). A case under legal hold is kept whatever its age.
    /// There is no period for audit detail: an audit event holds ids, kinds, an outcome code and
    /// counts only, every column is in the chain's MAC, so there is no detail text to trim.
    pub case_retention: passage_core::casework::retention::CaseRetention,
    /// Where emergency alerts are POSTed (`http://…`); none: no delivery.
    pub alert_webhook_url: Option<String>,
    /// Staff replies to SMS reports go out through Twilio's Messages API with this account
    /// (`twilio_account_sid`, `PASSAGE_TWILIO_ACCOUNT_SID`) and the auth token, from
    /// `twilio_from` (a number) or `twilio_messaging_service_sid`.
    pub twilio_account_sid: Option<String>,
    pub twilio_from: Option<String>,
    pub twilio_messaging_service_sid: Option<String>,
    /// Twilio's API address (default `https://api.twilio.com`).
    pub twilio_api_url: String,
    /// The RapidPro / TextIt workspace replies to chat reports go through
    /// (`rapidpro_url`, e.g. `https://textit.com`), with `rapidpro_api_token`.
    pub rapidpro_url: Option<String>,
    /// Days a finished reply or webhook notice is kept (default 30).
    pub delivery_retention_days: u32,
    /// How many persons' data keys a process keeps between requests (`person_key_cache`,
    /// `PASSAGE_PERSON_KEY_CACHE`, default 50,000, about 10 MB); 0 keeps none. A request loads
    /// the keys it needs either way: the cache only saves those reads.
    pub person_key_cache: usize,
    /// Extra or replacing jurisdiction profiles (`*.toml`), when configured explicitly;
    /// otherwise `DATA_DIR/jurisdictions` if it exists.
    pub jurisdictions_dir: Option<PathBuf>,
    /// Extra or replacing screening instruments (`*.toml`), when configured explicitly;
    /// otherwise `DATA_DIR/instruments` if it exists.
    pub instruments_dir: Option<PathBuf>,
    /// Extra or replacing public rights pages (`*.md`, searched in subfolders), when configured
    /// explicitly; otherwise `DATA_DIR/rights` if it exists.
    pub rights_dir: Option<PathBuf>,
    /// Every staff user signs in with a second factor (`PASSAGE_REQUIRE_2FA`, `require_2fa`).
    /// Without it administrators and supervisors still must, except in the demo world.
    pub require_2fa: bool,
    /// Secrets, from `PASSAGE_*` or the file `PASSAGE_*_FILE` names; never printed.
    pub twilio_auth_token: Option<String>,
    pub rapidpro_token: Option<String>,
    /// The workspace API token for sending through RapidPro (`PASSAGE_RAPIDPRO_API_TOKEN`);
    /// the inbound `rapidpro_token` when not set.
    pub rapidpro_api_token: Option<String>,
    /// Key of the `X-Passage-Signature` HMAC on alert webhooks; required with the URL.
    pub alert_webhook_secret: Option<String>,
}

/// Flags that override everything else.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub data_dir: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_parse<T: std::str::FromStr>(name: &str) -> Result<Option<T>> {
    match env(name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow::anyhow!("{name} has an invalid value")),
    }
}

/// A secret from `NAME`, or from the file `NAME_FILE` names (trailing newline removed).
fn secret(name: &str) -> Result<Option<String>> {
    if let Some(v) = env(name) {
        return Ok(Some(v));
    }
    match env(&format!("{name}_FILE")) {
        None => Ok(None),
        Some(path) => {
            let text =
                std::fs::read_to_string(&path).with_context(|| format!("reading {name}_FILE"))?;
            Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()).filter(|s| !s.is_empty()))
        }
    }
}

/// An https:// address, or plain http to this machine only (a local relay, tests).
fn leaves_over_tls(url: &str) -> bool {
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            url.strip_prefix(p)
                .is_some_and(|r| r.is_empty() || r.starts_with([':', '/']))
        });
    url.starts_with("https://") || local
}

impl Config {
    pub fn load(flags: &Flags) -> Result<Config> {
        let data_dir = flags
            .data_dir
            .clone()
            .or_else(|| env("PASSAGE_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("passage-data"));
        let file_path = flags
            .config
            .clone()
            .or_else(|| env("PASSAGE_CONFIG").map(PathBuf::from))
            .unwrap_or_else(|| data_dir.join("passage.toml"));
        let file: FileConfig = match std::fs::read_to_string(&file_path) {
            Ok(text) => {
                toml::from_str(&text).with_context(|| format!("reading {}", file_path.display()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && flags.config.is_none() => {
                FileConfig::default()
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", file_path.display())),
        };
        let parse_bool = |name: &str, v: String| -> Result<bool> {
            match v.as_str() {
                "1" | "true" | "yes" => Ok(true),
                "0" | "false" | "no" => Ok(false),
                _ => bail!("{name} must be true or false"),
            }
        };
        let default_db = format!("sqlite://{}", data_dir.join("passage.db").display());
        let config = Config {
            database_url: flags
                .database_url
                .clone()
                .or_else(|| env("PASSAGE_DATABASE_URL"))
                .or(file.database_url)
                .unwrap_or(default_db),
            listen: flags
                .listen
                .clone()
                .or_else(|| env("PASSAGE_LISTEN"))
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            master_key_file: env("PASSAGE_MASTER_KEY_FILE")
                .map(PathBuf::from)
                .or(file.master_key_file)
                .unwrap_or_else(|| data_dir.join("master.key")),
            secure_cookies: match env("PASSAGE_SECURE_COOKIES") {
                Some(v) => parse_bool("PASSAGE_SECURE_COOKIES", v)?,
                None => file.secure_cookies.unwrap_or(false),
            },
            min_cell: match env("PASSAGE_MIN_CELL") {
                Some(v) => v
                    .parse()
                    .context("PASSAGE_MIN_CELL must be a whole number")?,
                None => file
                    .min_cell
                    .unwrap_or(passage_core::stats::DEFAULT_MIN_CELL),
            },
            stats_k: match env("PASSAGE_STATS_K") {
                Some(v) => v
                    .parse()
                    .context("PASSAGE_STATS_K must be a whole number")?,
                None => file.stats_k.unwrap_or(passage_stats::suppress::DEFAULT_K),
            },
            stats_epsilon_budget: {
                let text = env("PASSAGE_STATS_EPSILON_BUDGET")
                    .or(file.stats_epsilon_budget)
                    .unwrap_or_else(|| "3.0".into());
                passage_stats::dp::Epsilon::parse(&text)
                    .map_err(|e| anyhow::anyhow!("stats_epsilon_budget: {e}"))?
            },
            json_logs: env("PASSAGE_LOG_FORMAT")
                .or(file.log_format)
                .is_some_and(|f| f == "json"),
            public_url: env("PASSAGE_PUBLIC_URL").or(file.public_url),
            trust_forwarded: match env("PASSAGE_TRUST_FORWARDED") {
                Some(v) => parse_bool("PASSAGE_TRUST_FORWARDED", v)?,
                None => file.trust_forwarded.unwrap_or(false),
            },
            trusted_proxies: {
                let text = env("PASSAGE_TRUSTED_PROXIES")
                    .or(file.trusted_proxies)
                    .unwrap_or_default();
                passage_web::TrustedProxies::parse(&text)
                    .map_err(|e| anyhow::anyhow!("PASSAGE_TRUSTED_PROXIES: {e}"))?
            },
            receipt_pool_set: env_parse::<usize>("PASSAGE_RECEIPT_POOL")?
                .or(file.receipt_pool)
                .is_some(),
            min_fill_seconds: env_parse("PASSAGE_MIN_FILL_SECONDS")?
                .or(file.min_fill_seconds)
                .unwrap_or(3),
            attachment_max_bytes: env_parse("PASSAGE_ATTACHMENT_MAX_BYTES")?
                .or(file.attachment_max_bytes)
                .unwrap_or(passage_core::casework::files::DEFAULT_MAX_BYTES),
            public_submissions_per_source: env_parse("PASSAGE_PUBLIC_SUBMISSIONS_PER_SOURCE")?
                .or(file.public_submissions_per_source)
                .unwrap_or(20),
            public_submissions_global: env_parse("PASSAGE_PUBLIC_SUBMISSIONS_GLOBAL")?
                .or(file.public_submissions_global)
                .unwrap_or(20_000),
            emergency_sla_minutes: env_parse("PASSAGE_EMERGENCY_SLA_MINUTES")?
                .or(file.emergency_sla_minutes)
                .unwrap_or(15),
            report_retention_days: env_parse("PASSAGE_REPORT_RETENTION_DAYS")?
                .or(file.report_retention_days)
                .unwrap_or(passage_core::intake::DEFAULT_RETENTION_DAYS),
            case_retention: passage_core::casework::retention::CaseRetention {
                case_years: env_parse("PASSAGE_CASE_RETENTION_YEARS")?
                    .or(file.case_retention_years)
                    .unwrap_or(
                        passage_core::casework::retention::CaseRetention::default().case_years,
                    ),
                attachment_days: env_parse("PASSAGE_CLOSED_CASE_ATTACHMENT_DAYS")?
                    .or(file.closed_case_attachment_days)
                    .unwrap_or(
                        passage_core::casework::retention::CaseRetention::default().attachment_days,
                    ),
            },
            alert_webhook_url: env("PASSAGE_ALERT_WEBHOOK_URL").or(file.alert_webhook_url),
            twilio_account_sid: env("PASSAGE_TWILIO_ACCOUNT_SID").or(file.twilio_account_sid),
            twilio_from: env("PASSAGE_TWILIO_FROM").or(file.twilio_from),
            twilio_messaging_service_sid: env("PASSAGE_TWILIO_MESSAGING_SERVICE_SID")
                .or(file.twilio_messaging_service_sid),
            twilio_api_url: env("PASSAGE_TWILIO_API_URL")
                .or(file.twilio_api_url)
                .unwrap_or_else(|| "https://api.twilio.com".into()),
            rapidpro_url: env("PASSAGE_RAPIDPRO_URL").or(file.rapidpro_url),
            delivery_retention_days: env_parse("PASSAGE_DELIVERY_RETENTION_DAYS")?
                .or(file.delivery_retention_days)
                .unwrap_or(passage_store::delivery_retention::DEFAULT_DELIVERY_RETENTION_DAYS),
            person_key_cache: env_parse("PASSAGE_PERSON_KEY_CACHE")?
                .or(file.person_key_cache)
                .unwrap_or(passage_store::keys::DEFAULT_PERSON_KEY_CACHE),
            jurisdictions_dir: env("PASSAGE_JURISDICTIONS_DIR")
                .map(PathBuf::from)
                .or(file.jurisdictions_dir),
            instruments_dir: env("PASSAGE_INSTRUMENTS_DIR")
                .map(PathBuf::from)
                .or(file.instruments_dir),
            rights_dir: env("PASSAGE_RIGHTS_DIR")
                .map(PathBuf::from)
                .or(file.rights_dir),
            require_2fa: match env("PASSAGE_REQUIRE_2FA") {
                Some(v) => parse_bool("PASSAGE_REQUIRE_2FA", v)?,
                None => file.require_2fa.unwrap_or(false),
            },
            twilio_auth_token: secret("PASSAGE_TWILIO_AUTH_TOKEN")?,
            rapidpro_token: secret("PASSAGE_RAPIDPRO_TOKEN")?,
            rapidpro_api_token: secret("PASSAGE_RAPIDPRO_API_TOKEN")?,
            alert_webhook_secret: secret("PASSAGE_ALERT_WEBHOOK_SECRET")?,
            ui_idle_minutes: file.ui_idle_minutes.unwrap_or(30),
            ui_absolute_hours: file.ui_absolute_hours.unwrap_or(12),
            data_dir,
        };
        if config.report_retention_days == 0 {
            bail!("report_retention_days must be at least 1");
        }
        if config.case_retention.case_years == 0 {
            bail!("case_retention_years must be at least 1");
        }
        if config.case_retention.attachment_days == 0 {
            bail!("closed_case_attachment_days must be at least 1");
        }
        if config.stats_k < 2 {
            bail!("stats_k must be at least 2: a k of 1 hides nothing");
        }
        if config.min_cell == 0 {
            bail!("min_cell must be at least 1");
        }
        if config.delivery_retention_days == 0 {
            bail!("delivery_retention_days must be at least 1");
        }
        if let Some(url) = &config.alert_webhook_url {
            if config.alert_webhook_secret.is_none() {
                bail!(
                    "alert_webhook_url is set but no secret to sign the alerts with: set PASSAGE_ALERT_WEBHOOK_SECRET or PASSAGE_ALERT_WEBHOOK_SECRET_FILE"
                );
            }
            if !leaves_over_tls(url) {
                bail!(
                    "alert_webhook_url must be an https:// URL (plain http only to 127.0.0.1 or localhost)"
                );
            }
        }
        // Replies carry a person's number and words: they leave over TLS too.
        for (key, url) in [
            ("twilio_api_url", Some(&config.twilio_api_url)),
            ("rapidpro_url", config.rapidpro_url.as_ref()),
        ] {
            if let Some(url) = url
                && !leaves_over_tls(url)
            {
                bail!("{key} must be an https:// URL (plain http only to 127.0.0.1 or localhost)");
            }
        }
        if config.twilio_from.is_some() && config.twilio_messaging_service_sid.is_some() {
            bail!("set twilio_from or twilio_messaging_service_sid, not both");
        }
        Ok(config)
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The folder of the deployment's rights pages: the configured one (which must exist), or
    /// `DATA_DIR/rights` when it is there.
    pub fn rights_folder(&self) -> Option<PathBuf> {
        match &self.rights_dir {
            Some(dir) => Some(dir.clone()),
            None => Some(self.data_dir.join("rights")).filter(|d| d.is_dir()),
        }
    }

    pub fn key_path(&self) -> &Path {
        &self.master_key_file
    }
}
