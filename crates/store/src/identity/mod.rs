//! Identity persistence: tenants, application registrations, their client secrets, per-tenant admin
//! consents and the token signing keys, reached through [`Store::identity`].
//!
//! These rows are global, not tenant entity data: an application belongs to a home tenant but may
//! be consented in others, and signing keys serve every tenant. So they sit beside, not behind,
//! [`TenantStore`](crate::TenantStore); every Graph entity query still goes through it.
//!
//! Ids created here (tenant ids, client ids, secret ids) are canonical lowercase GUIDs (v4); callers
//! pass client ids in that form. Rules that keep the data meaningful are checked in the same write
//! transaction as the change and refused with [`StoreError::Rejected`] (a message for the caller):
//! a consent names an existing tenant and application, only for permissions the application
//! requests, and only in the application's home tenant unless it is multi-tenant.

mod applications;
mod consents;
mod lookup;
mod secrets;
mod signing_keys;
mod tenants;

pub(crate) use applications::require_application;
pub use applications::{Application, NewApplication};
pub use consents::Consent;
pub use lookup::TokenLookup;
pub use secrets::{AppSecret, NewSecret};
pub use signing_keys::StoredSigningKey;
pub use tenants::Tenant;

use crate::backend::Tx;
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::handle::Store;
use crate::outbox::parse_time;
use crate::value::{Row, Value};
use auth::Permission;
use time::OffsetDateTime;

/// The identity tables (cheap to clone).
#[derive(Debug, Clone)]
pub struct IdentityStore {
    store: Store,
}

impl Store {
    /// Tenants, applications, secrets, consents and signing keys.
    pub fn identity(&self) -> IdentityStore {
        IdentityStore {
            store: self.clone(),
        }
    }
}

impl IdentityStore {
    fn now(&self) -> OffsetDateTime {
        self.store.clock().now()
    }

    /// Runs an identity write; when it succeeds, every node hears of it ([`StoreEvent::Identity`]),
    /// so caches of keys and credentials are re-read at once rather than when they expire.
    async fn write<R, F>(&self, work: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        write_announced(&self.store, work).await
    }
}

/// Runs a write of global rows (identity, the provider registry); when it succeeds, every node hears
/// of it ([`StoreEvent::Identity`]), so what they cached is re-read at once.
pub(crate) async fn write_announced<R, F>(store: &Store, work: F) -> Result<R, StoreError>
where
    R: Send + 'static,
    F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
{
    store
        .write(move |tx| {
            let r = work(tx)?;
            tx.announce(&StoreEvent::Identity)?;
            Ok(r)
        })
        .await
}

/// A new canonical GUID.
fn new_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// A display name as stored: trimmed, non-empty, at most 256 characters.
fn display_name(name: &str, what: &str) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 256 {
        return Err(StoreError::Rejected(format!(
            "the {what} display name must be 1 to 256 characters"
        )));
    }
    Ok(name.to_owned())
}

/// Permissions in declaration order without duplicates, as JSON (the stored form).
fn permissions_json(permissions: &[Permission]) -> (Vec<Permission>, String) {
    let mut list = permissions.to_vec();
    list.sort_unstable();
    list.dedup();
    let json = serde_json::Value::from(
        list.iter()
            .map(|p| p.as_str().to_owned())
            .collect::<Vec<_>>(),
    )
    .to_string();
    (list, json)
}

/// Reads the columns of one row in `SELECT` order, naming the table and column in errors.
pub(crate) struct Cols {
    table: &'static str,
    values: std::vec::IntoIter<Value>,
}

impl Cols {
    pub(crate) fn new(table: &'static str, row: Row) -> Cols {
        Cols {
            table,
            values: row.into_iter(),
        }
    }

    pub(crate) fn next(&mut self, column: &str) -> Result<Value, StoreError> {
        self.values
            .next()
            .ok_or_else(|| StoreError::Corrupt(format!("{} row lacks {column}", self.table)))
    }

    pub(crate) fn text(&mut self, column: &str) -> Result<String, StoreError> {
        let table = self.table;
        self.next(column)?.into_text(&format!("{table}.{column}"))
    }

    pub(crate) fn opt_text(&mut self, column: &str) -> Result<Option<String>, StoreError> {
        let table = self.table;
        self.next(column)?
            .into_opt_text(&format!("{table}.{column}"))
    }

    pub(crate) fn flag(&mut self, column: &str) -> Result<bool, StoreError> {
        let table = self.table;
        Ok(self.next(column)?.as_int(&format!("{table}.{column}"))? != 0)
    }

    pub(crate) fn time(&mut self, column: &str) -> Result<OffsetDateTime, StoreError> {
        parse_time(&self.text(column)?)
    }

    pub(crate) fn opt_time(&mut self, column: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        self.opt_text(column)?
            .as_deref()
            .map(parse_time)
            .transpose()
    }

    fn permissions(&mut self, column: &str) -> Result<Vec<Permission>, StoreError> {
        let json = self.text(column)?;
        serde_json::from_str(&json).map_err(|e| {
            StoreError::Corrupt(format!(
                "{}.{column} is not a permission list: {e}",
                self.table
            ))
        })
    }
}
