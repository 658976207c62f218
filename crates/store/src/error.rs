//! The store's errors. User mistakes (`Invalid`, `NotFound`, `Conflict`) are kept apart from
//! faults (`Database`, `Crypto`, `KeyFile`) so the web layer can answer 4xx or 500 correctly.

use passage_core::validate::Problems;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist or the actor may not see it; the two are indistinguishable.
    #[error("not found")]
    NotFound,
    /// The actor may not do this (for actions that reveal no record).
    #[error("forbidden: {0}")]
    Forbidden(passage_core::DenyReason),
    /// Input failed validation.
    #[error("invalid input")]
    Invalid(Problems),
    /// A unique value is taken (an e-mail address, an organisation name).
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The record changed since the version the caller read; nothing was written.
    #[error("version conflict: the record is at version {current}")]
    VersionConflict { current: i64 },
    /// A domain rule refused the change (a lifecycle transition, a missing approval…); the code
    /// is stable snake_case and the message says what to do.
    #[error("{code}: {message}")]
    Rule {
        code: passage_core::ErrorCode,
        message: String,
    },
    /// A fault of the database. Its display (and so any `format!("{e}")`, any log line, any
    /// error chain) names only the engine's code or the kind of fault: a driver's message can
    /// quote the values of a row, so it is never shown. It is not the error's source either.
    #[error("database error {}", database_kind(.0))]
    Database(sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("crypto: {0}")]
    Crypto(&'static str),
    #[error("key file: {0}")]
    KeyFile(String),
    /// A batched write failed; the detail was logged once for the whole batch.
    #[error("storage unavailable")]
    Unavailable,
    /// The database's disk is full (SQLite's `FULL` or a write `IOERR`, PostgreSQL's 53100):
    /// the transaction was rolled back and nothing was written. It passes once space returns.
    #[error("storage full")]
    StorageFull,
    /// The database cannot be reached: no connection within the wait, or the server went
    /// away (restarting, shutting down). Nothing was written; it passes once the database is
    /// back, without a restart of Passage.
    #[error("database unavailable")]
    DatabaseUnavailable,
    /// Every slot for password and receipt hashing stayed taken for the whole wait: the
    /// request is refused rather than queued without bound.
    #[error("busy: no hashing slot within the wait")]
    Busy,
    #[error("corrupt row: {0}")]
    Corrupt(&'static str),
    /// A fault of the file system around the database (never a path or a value).
    #[error("file system: {0}")]
    Io(&'static str),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        match fault(&e) {
            Some(Fault::Full) => StoreError::StorageFull,
            Some(Fault::Unreachable) => StoreError::DatabaseUnavailable,
            None => StoreError::Database(e),
        }
    }
}

/// A fault of the machine under the database rather than of the request: a full disk, or a
/// database that cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Full,
    Unreachable,
}

fn fault(e: &sqlx::Error) -> Option<Fault> {
    use sqlx::Error as E;
    match e {
        E::Database(db) => db.code().and_then(|code| code_fault(&code)),
        E::Io(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => Some(Fault::Unreachable),
        _ => None,
    }
}

/// Engine codes that mean a full disk or a lost database. SQLite reports its extended code
/// as a number (the primary code is its low byte: 13 `FULL`, 10 `IOERR`, 14 `CANTOPEN`, 5
/// `BUSY`, 6 `LOCKED`);
/// PostgreSQL a SQLSTATE (53100 disk full, class 08 connection, 57P01–57P03 shutting down or
/// starting).
fn code_fault(code: &str) -> Option<Fault> {
    // A SQLSTATE has five characters; SQLite's codes, extended ones included, at most four
    // digits.
    if code.len() < 5
        && let Ok(n) = code.parse::<i64>()
    {
        return match n & 0xff {
            13 | 10 => Some(Fault::Full),
            // CANTOPEN; BUSY and LOCKED after the busy timeout (another process holds it).
            14 | 5 | 6 => Some(Fault::Unreachable),
            _ => None,
        };
    }
    match code {
        "53100" => Some(Fault::Full),
        "57P01" | "57P02" | "57P03" => Some(Fault::Unreachable),
        c if c.starts_with("08") => Some(Fault::Unreachable),
        _ => None,
    }
}

/// What may be said of a database error: the engine's code, or the kind of fault. Never the
/// driver's message, nor any name or value it carries.
fn database_kind(e: &sqlx::Error) -> String {
    use sqlx::Error as E;
    let kind = match e {
        E::Database(db) => {
            return match db.code() {
                Some(code) => format!("code {code}"),
                None => "(no code)".into(),
            };
        }
        E::Configuration(_) | E::ConfigFile(_) => "configuration",
        E::InvalidArgument(_) => "invalid argument",
        E::Io(_) => "i/o",
        E::Tls(_) => "tls",
        E::Protocol(_) => "protocol",
        E::RowNotFound => "row not found",
        E::TypeNotFound { .. } => "type not found",
        E::ColumnIndexOutOfBounds { .. } => "column index out of bounds",
        E::ColumnNotFound(_) => "column not found",
        E::ColumnDecode { .. } => "column decode",
        E::Encode(_) => "encode",
        E::Decode(_) => "decode",
        E::AnyDriverError(_) => "driver",
        E::PoolTimedOut => "pool timed out",
        E::PoolClosed => "pool closed",
        E::WorkerCrashed => "worker crashed",
        E::Migrate(_) => "migration",
        _ => "other",
    };
    format!("({kind})")
}

impl StoreError {
    /// One invalid field, for rules checked inside the store.
    pub fn invalid(
        field: &str,
        code: passage_core::ErrorCode,
        message: impl Into<String>,
    ) -> StoreError {
        let mut p = Problems::default();
        p.add(field, code, message);
        StoreError::Invalid(p)
    }

    /// What a log line may say of this error. The display is already safe (of a database
    /// error only the engine's code); this stays the one name log lines use.
    pub fn log_detail(&self) -> String {
        self.to_string()
    }

    /// Maps a unique-constraint violation to `Conflict`, anything else to `Database`.
    pub(crate) fn unique(err: sqlx::Error, what: &'static str) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
            _ => StoreError::from(err),
        }
    }

    /// The same refusal for another waiter of a failed batch: a full disk and a lost database
    /// keep their kind (each answered 503 with its own code); anything else is `Unavailable`.
    pub(crate) fn for_each_waiter(&self) -> StoreError {
        match self {
            StoreError::StorageFull => StoreError::StorageFull,
            StoreError::DatabaseUnavailable => StoreError::DatabaseUnavailable,
            _ => StoreError::Unavailable,
        }
    }
}

impl From<Problems> for StoreError {
    fn from(p: Problems) -> StoreError {
        StoreError::Invalid(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_error_is_shown_by_its_kind_only() {
        // A driver message may carry a row's values; neither the display nor the log line may.
        let e = StoreError::Database(sqlx::Error::ColumnNotFound("Olena Kovalenko".into()));
        assert!(!e.to_string().contains("Olena"), "{e}");
        assert!(!format!("{e}").contains("Olena"));
        assert_eq!(e.to_string(), "database error (column not found)");
        assert_eq!(e.log_detail(), "database error (column not found)");
        assert!(
            std::error::Error::source(&e).is_none(),
            "no chain to the driver message"
        );
        let rule = StoreError::Rule {
            code: passage_core::ErrorCode::SignalClosed,
            message: "resolved".into(),
        };
        assert_eq!(rule.log_detail(), rule.to_string());
    }

    #[test]
    fn a_full_disk_and_a_lost_database_are_told_apart_from_other_faults() {
        for (code, fault) in [
            ("13", Some(Fault::Full)),
            ("778", Some(Fault::Full)),
            ("10", Some(Fault::Full)),
            ("53100", Some(Fault::Full)),
            ("14", Some(Fault::Unreachable)),
            ("57P01", Some(Fault::Unreachable)),
            ("57P03", Some(Fault::Unreachable)),
            ("08006", Some(Fault::Unreachable)),
            ("2067", None),
            ("5", Some(Fault::Unreachable)),
            ("517", Some(Fault::Unreachable)),
            ("19", None),
            ("23505", None),
            ("42P01", None),
        ] {
            assert_eq!(code_fault(code), fault, "{code}");
        }
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::DatabaseUnavailable
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Database(_)
        ));
        assert!(matches!(
            StoreError::StorageFull.for_each_waiter(),
            StoreError::StorageFull
        ));
    }

    #[tokio::test]
    async fn a_unique_violation_shows_the_engine_code_not_the_value() {
        use sqlx::Executor;
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("sqlite");
        pool.execute("CREATE TABLE people (name TEXT PRIMARY KEY)")
            .await
            .expect("table");
        let insert = "INSERT INTO people (name) VALUES ('Olena Kovalenko')";
        pool.execute(insert).await.expect("first");
        let err = pool.execute(insert).await.expect_err("duplicate");
        assert!(
            err.as_database_error()
                .is_some_and(|d| d.is_unique_violation()),
            "a unique violation"
        );
        let e = StoreError::from(err);
        let shown = format!("{e}");
        assert!(!shown.contains("Olena"), "{shown}");
        assert!(!shown.contains("people"), "not even the table: {shown}");
        assert!(shown.starts_with("database error code "), "{shown}");
        assert_eq!(e.log_detail(), shown);
    }
}
