//! Emulator fault injection (a secgraph extension): each tenant may have one [`FaultProfile`],
//! set through the admin API, that injects 429s, 503s, latency and `206 Partial Content` into its
//! Graph requests and drops or delays its change notifications. No tenant has one unless an
//! administrator sets it (`serve --demo` sets none).
//!
//! **Storage.** `fault_profiles` (`V11__fault_profiles`) keeps the profile of each tenant with a
//! version that every change increases. Nodes keep the profiles they use in memory
//! ([`FaultProfiles`]) and re-read a tenant's row after [`CACHE_TTL`], so every node sharing a
//! PostgreSQL database applies a change within that time; the node that made the change forgets
//! its copy at once.
//!
//! **Determinism.** Each node counts, per tenant, the Graph requests and the notification
//! deliveries it has handled since it first saw the profile's current version; the `n`th gets the
//! decision [`FaultProfile::request`]`(n)` / [`FaultProfile::delivery`]`(n)`, a pure function of
//! the seed and `n`. Setting a profile again (even unchanged) starts both counts from 0.

mod cache;
mod decision;
mod profile;

pub use cache::{ActiveProfile, FaultProfiles, CACHE_TTL};
pub use decision::{unit, DeliveryFaults, Injected, RequestFaults};
pub use profile::{
    ErrorFault, FaultProfile, LatencyFault, PartialContentFault, WebhookFault, MAX_DELAY_MS,
    MAX_RETRY_AFTER_SECONDS,
};

use crate::dialect::statement;
use crate::error::StoreError;
use crate::tenant::TenantStore;
use crate::value::Value;
use model::datetime;
use time::OffsetDateTime;

/// The `V11__fault_profiles` migration (both backends, additive): the profiles, and which
/// history rows were dropped deliveries.
pub(crate) const V11_FAULT_PROFILES: &str = "CREATE TABLE fault_profiles (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    version {int} NOT NULL,
    profile {text} NOT NULL,
    updated {text} NOT NULL,
    PRIMARY KEY (tenant_id)
);
ALTER TABLE notification_history ADD COLUMN dropped {int} NOT NULL DEFAULT 0;
";

/// A stored profile.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFaultProfile {
    /// The profile.
    pub profile: FaultProfile,
    /// Increases with every change of the tenant's profile.
    pub version: i64,
    /// When it was last set.
    pub updated: OffsetDateTime,
}

/// One tenant's fault profile.
#[derive(Debug, Clone)]
pub struct FaultProfileStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's fault profile.
    pub fn fault_profile(&self) -> FaultProfileStore {
        FaultProfileStore {
            tenant: self.clone(),
        }
    }
}

impl FaultProfileStore {
    /// The tenant's profile, if it has one.
    pub async fn get(&self) -> Result<Option<StoredFaultProfile>, StoreError> {
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            "SELECT version, profile, updated FROM fault_profiles WHERE tenant_id = $1",
        );
        let rows = store
            .read(&sql, &[self.tenant.tenant_id().as_str().into()])
            .await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let mut cols = row.into_iter();
        let mut next = || cols.next().unwrap_or(Value::Null);
        let version = next().as_int("version")?;
        let profile = serde_json::from_str(&next().into_text("profile")?)?;
        let updated = next().into_text("updated")?;
        let updated = datetime::parse(&updated)
            .map_err(|e| StoreError::Backend(format!("fault_profiles.updated: {e}")))?;
        Ok(Some(StoredFaultProfile {
            profile,
            version,
            updated,
        }))
    }

    /// Sets (creating or replacing) the tenant's profile; returns it as stored.
    pub async fn set(&self, profile: &FaultProfile) -> Result<StoredFaultProfile, StoreError> {
        profile.validate().map_err(StoreError::Rejected)?;
        let store = self.tenant.store();
        let updated = store.clock().now();
        let params = vec![
            Value::from(self.tenant.tenant_id().as_str()),
            Value::from(serde_json::to_string(profile)?),
            Value::from(datetime::format(updated)),
        ];
        let version = store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO fault_profiles (tenant_id, version, profile, updated) \
                     VALUES ($1, 1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE SET \
                     version = fault_profiles.version + 1, profile = excluded.profile, \
                     updated = excluded.updated RETURNING version",
                );
                let rows = tx.query(&sql, &params)?;
                let row = rows.into_iter().next().unwrap_or_default();
                row.first().map_or(Ok(0), |v| v.as_int("version"))
            })
            .await?;
        store.fault_profiles().forget(self.tenant.tenant_id());
        Ok(StoredFaultProfile {
            profile: profile.clone(),
            version,
            updated,
        })
    }

    /// Removes the tenant's profile; whether it had one.
    pub async fn remove(&self) -> Result<bool, StoreError> {
        let store = self.tenant.store();
        let params = vec![Value::from(self.tenant.tenant_id().as_str())];
        let n = store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "DELETE FROM fault_profiles WHERE tenant_id = $1",
                );
                tx.execute(&sql, &params)
            })
            .await?;
        store.fault_profiles().forget(self.tenant.tenant_id());
        Ok(n > 0)
    }

    /// How many of the tenant's retained notifications were dropped by fault injection (the
    /// delivery history keeps them, so a replay sends them).
    pub async fn dropped_notifications(&self) -> Result<i64, StoreError> {
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            "SELECT COUNT(*) FROM notification_history WHERE tenant_id = $1 AND dropped = 1",
        );
        let rows = store
            .read(&sql, &[self.tenant.tenant_id().as_str().into()])
            .await?;
        let row = rows.into_iter().next().unwrap_or_default();
        row.first().map_or(Ok(0), |v| v.as_int("count"))
    }
}
