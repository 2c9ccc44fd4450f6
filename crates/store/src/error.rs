//! The store's one error type. Every variant carries text rather than a source error so that a
//! group-commit failure can be handed to each caller whose write was in the failed transaction.

use model::TenantId;

/// What went wrong in the store.
///
/// The API maps `Rejected`, `InvalidSkipToken` and `InvalidQuery` to 400s (their messages are written
/// for the caller); everything else is an internal error whose message is for the log only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A write was refused by the caller's own change (the `update_alert` closure returned `Err`).
    #[error("{0}")]
    Rejected(String),
    /// A `$skiptoken` that this store did not issue, was altered, or belongs to another query.
    #[error("the $skiptoken is not valid for this request: {0}")]
    InvalidSkipToken(String),
    /// A bound query that cannot be rendered to SQL (e.g. a function argument that must be a literal).
    #[error("{0}")]
    InvalidQuery(String),
    /// The tenant has no row; call `Store::ensure_tenant` first.
    #[error("tenant {0} is not known to the store")]
    UnknownTenant(TenantId),
    /// An ingest hook refused the write; the whole write was rolled back.
    #[error("ingest hook failed: {0}")]
    Hook(String),
    /// The store was shut down (or its writer stopped).
    #[error("the store is shut down")]
    Closed,
    /// A stored row could not be decoded.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Opening or migrating the database failed.
    #[error("could not open the database: {0}")]
    Open(String),
    /// The database driver reported an error.
    #[error("database error: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Backend(match e.as_db_error() {
            Some(db) => format!(
                "{}: {} (SQLSTATE {})",
                db.severity(),
                db.message(),
                db.code().code()
            ),
            None => e.to_string(),
        })
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
