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
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("crypto: {0}")]
    Crypto(&'static str),
    #[error("key file: {0}")]
    KeyFile(String),
    /// A batched write failed; the detail was logged once for the whole batch.
    #[error("storage unavailable")]
    Unavailable,
    #[error("corrupt row: {0}")]
    Corrupt(&'static str),
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

    /// What a log line may say of this error: a database's message can quote the values of a
    /// row, so of a database error only the engine's code is told.
    pub fn log_detail(&self) -> String {
        match self {
            StoreError::Database(db) => format!(
                "database error {}",
                db.as_database_error()
                    .and_then(|d| d.code().map(|c| c.to_string()))
                    .unwrap_or_else(|| "(no code)".into())
            ),
            other => other.to_string(),
        }
    }

    /// Maps a unique-constraint violation to `Conflict`, anything else to `Database`.
    pub(crate) fn unique(err: sqlx::Error, what: &'static str) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
            _ => StoreError::Database(err),
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
    fn a_database_error_is_logged_by_its_code_only() {
        // A driver message may carry a row's values; the log line must not.
        let e = StoreError::Database(sqlx::Error::ColumnNotFound("Olena Kovalenko".into()));
        assert!(e.to_string().contains("Olena"), "the display does carry it");
        assert_eq!(e.log_detail(), "database error (no code)");
        let rule = StoreError::Rule {
            code: passage_core::ErrorCode::SignalClosed,
            message: "resolved".into(),
        };
        assert_eq!(rule.log_detail(), rule.to_string());
    }
}
