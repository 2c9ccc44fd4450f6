//! One tenant's clock setting: reading it, and setting, advancing or resetting it
//! ([`TenantClockStore`]); every change is stored, announced to every node and applied here.

use super::TenantTime;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::tenant::TenantStore;
use crate::value::Value;
use model::datetime;
use time::{Duration, OffsetDateTime};

/// Why a clock change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ClockError {
    /// The change would move the tenant's time backwards.
    #[error("{0}")]
    Backwards(String),
    /// The change would move the tenant's time beyond what timestamps can hold.
    #[error("{0}")]
    OutOfRange(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One tenant's clock setting (reach it with [`TenantStore::clock`]).
#[derive(Debug, Clone)]
pub struct TenantClockStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's current time ([`Store::now_for`]).
    pub fn now(&self) -> OffsetDateTime {
        self.store().now_for(self.tenant_id())
    }

    /// The tenant's clock setting (emulator mode).
    pub fn clock(&self) -> TenantClockStore {
        TenantClockStore {
            tenant: self.clone(),
        }
    }
}

impl TenantClockStore {
    /// The tenant's setting (the default when its time is the store clock's).
    pub fn get(&self) -> TenantTime {
        let store = self.tenant.store();
        store
            .tenant_clocks()
            .get(self.tenant.tenant_id())
            .unwrap_or_default()
    }

    /// Sets the tenant's time to `at` (frozen there, or running on from it). Refuses an instant
    /// before the tenant's current time: timestamps already written would then lie in its future.
    pub async fn set(&self, at: OffsetDateTime, frozen: bool) -> Result<TenantTime, ClockError> {
        let base = self.tenant.store().clock().now();
        let current = self.get().now(base);
        if at < current {
            return Err(ClockError::Backwards(format!(
                "The tenant's clock only moves forward: {} is before its current time {}. \
                 DELETE the clock to return to real time.",
                datetime::format(at),
                datetime::format(current)
            )));
        }
        let setting = TenantTime::at(at, frozen, base);
        self.save(Some(setting)).await?;
        Ok(setting)
    }

    /// Moves the tenant's time forward by `by` (frozen stays frozen, at the later instant).
    pub async fn advance(&self, by: Duration) -> Result<TenantTime, ClockError> {
        if by.is_negative() {
            return Err(ClockError::Backwards(
                "The tenant's clock only moves forward: give a duration of zero or more.".into(),
            ));
        }
        let mut setting = self.get();
        let base = self.tenant.store().clock().now();
        let moved = setting.now(base).checked_add(by);
        let Some(at) = moved.filter(|t| t.year() <= 9999) else {
            return Err(ClockError::OutOfRange(format!(
                "Advancing by {by} would move the tenant's clock past the year 9999."
            )));
        };
        match &mut setting.frozen {
            Some(frozen) => *frozen = at,
            None => setting.offset = at - base,
        }
        self.save(Some(setting)).await?;
        Ok(setting)
    }

    /// Returns the tenant to the store clock's time (which may be a step back).
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.save(None).await
    }

    /// Stores (or removes) the setting, announces it to every node, and applies it here.
    async fn save(&self, setting: Option<TenantTime>) -> Result<(), StoreError> {
        let store = self.tenant.store().clone();
        let tenant = self.tenant.tenant_id().clone();
        let updated = datetime::format(store.clock().now());
        let machine = updated.clone();
        let event = StoreEvent::Clock {
            tenant: tenant.clone(),
        };
        let id = tenant.clone();
        store
            .write(move |tx| {
                let delete = statement(
                    tx.dialect(),
                    "DELETE FROM tenant_clocks WHERE tenant_id = $1",
                );
                tx.execute(&delete, &[id.as_str().into()])?;
                // Fresh outbox rows stamped in a time now in the future wait no longer.
                let due = statement(
                    tx.dialect(),
                    "UPDATE outbox SET available_at = $2, created_at = $2 WHERE tenant_id = $1 \
                     AND available_at = created_at AND available_at > $2",
                );
                tx.execute(&due, &[id.as_str().into(), Value::from(machine.clone())])?;
                if let Some(s) = setting {
                    let insert = statement(
                        tx.dialect(),
                        "INSERT INTO tenant_clocks (tenant_id, offset_us, frozen_at, updated) \
                         VALUES ($1, $2, $3, $4)",
                    );
                    let micros = i64::try_from(s.offset.whole_microseconds())
                        .map_err(|_| StoreError::Corrupt("clock offset out of range".into()))?;
                    let frozen = s.frozen.map(datetime::format);
                    let params = [
                        id.as_str().into(),
                        Value::Int(micros),
                        frozen.map_or(Value::Null, Value::from),
                        Value::from(updated),
                    ];
                    tx.execute(&insert, &params)?;
                }
                tx.announce(&event)
            })
            .await?;
        store.tenant_clocks().put(&tenant, setting);
        Ok(())
    }
}
