//! Per-tenant time for emulator mode: each tenant may run at an offset from the store's
//! [`Clock`](crate::Clock), or stand frozen at an instant, while every other tenant keeps the
//! store clock's time.
//!
//! The setting of a tenant is a row of `tenant_clocks` (`V12__tenant_clocks`); every node keeps
//! the rows in memory ([`TenantClocks`], a map read under a short lock) and re-reads them when any
//! node commits a change ([`StoreEvent::Clock`], delivered to every node of a PostgreSQL
//! deployment) or the change feed resyncs, so several nodes on one database agree, and a restart
//! keeps the setting. Settings apply only once [`Store::enable_tenant_clocks`] ran (the server's
//! emulator mode); otherwise every tenant has the store clock's time and the rows are ignored.
//!
//! Every tenant-scoped timestamp is read through [`Store::now_for`] / [`TenantStore::now`]
//! (`createdDateTime`, `lastUpdateDateTime`, indicator and subscription expiry, secure-score
//! days). Cross-tenant jobs (the subscription lifecycle sweep, the indicator sweeper, the
//! secure-score job) split the tenants into [`TimeScope`]s that share one "now". The machinery —
//! outbox availability and leases, notification delivery and its history, provider polling and
//! health, tokens and secrets — stays on the store clock: it is how the server works, not what the
//! tenant's data says.
//!
//! A tenant's clock only moves forward ([`TenantClockStore::set`] refuses an earlier instant);
//! [`TenantClockStore::reset`] returns it to the store clock's time, which may be a step back.
//!
//! [`TenantStore::now`]: crate::TenantStore::now

use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::handle::Store;
use crate::outbox::parse_time;
use crate::value::{Row, Value};
use model::{datetime, TenantId};
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use time::{Duration, OffsetDateTime};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

mod setting;

pub use setting::{ClockError, TenantClockStore};

/// How one tenant's time differs from the store clock's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TenantTime {
    /// Added to the store clock's time (ignored while frozen).
    pub offset: Duration,
    /// The instant the tenant's time stands at, when frozen.
    pub frozen: Option<OffsetDateTime>,
}

impl TenantTime {
    /// The tenant's now when the store clock reads `base`.
    pub fn now(&self, base: OffsetDateTime) -> OffsetDateTime {
        self.frozen.unwrap_or(base + self.offset)
    }

    /// The setting whose now is `at` when the store clock reads `base`, frozen or running.
    pub fn at(at: OffsetDateTime, frozen: bool, base: OffsetDateTime) -> TenantTime {
        TenantTime {
            offset: at - base,
            frozen: frozen.then_some(at),
        }
    }
}

/// This node's copy of the tenants' clock settings.
#[derive(Debug)]
pub(crate) struct TenantClocks {
    enabled: AtomicBool,
    settings: RwLock<HashMap<TenantId, TenantTime>>,
    /// Bumped after every change of `settings`: workers that act on time wait on it.
    changes: watch::Sender<u64>,
}

impl Default for TenantClocks {
    fn default() -> Self {
        TenantClocks {
            enabled: AtomicBool::new(false),
            settings: RwLock::new(HashMap::new()),
            changes: watch::Sender::new(0),
        }
    }
}

impl TenantClocks {
    fn get(&self, tenant: &TenantId) -> Option<TenantTime> {
        if !self.enabled.load(Ordering::Acquire) {
            return None;
        }
        self.settings.read().get(tenant).copied()
    }

    fn replace(&self, settings: HashMap<TenantId, TenantTime>) {
        *self.settings.write() = settings;
        self.changes.send_modify(|n| *n += 1);
    }

    fn put(&self, tenant: &TenantId, setting: Option<TenantTime>) {
        {
            let mut map = self.settings.write();
            match setting {
                Some(s) => map.insert(tenant.clone(), s),
                None => map.remove(tenant),
            };
        }
        self.changes.send_modify(|n| *n += 1);
    }
}

/// A group of tenants that share one "now" in a cross-tenant job: one tenant with a clock setting,
/// or every tenant without one.
#[derive(Debug, Clone)]
pub(crate) struct TimeScope {
    /// The group's now.
    pub(crate) now: OffsetDateTime,
    /// `Some`: that tenant alone; `None`: every tenant except `set`.
    tenant: Option<TenantId>,
    set: Vec<TenantId>,
}

impl TimeScope {
    /// The SQL condition selecting the group's rows by `column` (a tenant id column), with its
    /// parameters numbered from `$first`.
    pub(crate) fn condition(&self, column: &str, first: usize) -> (String, Vec<Value>) {
        if let Some(t) = &self.tenant {
            return (format!("{column} = ${first}"), vec![t.as_str().into()]);
        }
        if self.set.is_empty() {
            return ("1 = 1".to_owned(), Vec::new());
        }
        let holes: Vec<String> = (0..self.set.len())
            .map(|i| format!("${}", first + i))
            .collect();
        let params = self.set.iter().map(|t| t.as_str().into()).collect();
        (format!("{column} NOT IN ({})", holes.join(", ")), params)
    }
}

impl Store {
    /// `tenant`'s current time: the store clock's, moved by the tenant's clock setting in
    /// emulator mode. Every tenant-scoped timestamp is read here.
    pub fn now_for(&self, tenant: &TenantId) -> OffsetDateTime {
        let base = self.clock().now();
        match self.tenant_clocks().get(tenant) {
            Some(setting) => setting.now(base),
            None => base,
        }
    }

    /// Whether per-tenant clocks apply (emulator mode, see [`Store::enable_tenant_clocks`]).
    pub fn tenant_clocks_enabled(&self) -> bool {
        self.tenant_clocks().enabled.load(Ordering::Acquire)
    }

    /// Turns per-tenant clocks on (emulator mode): loads the stored settings and, until the store
    /// is dropped, re-reads them whenever any node changes one. Call it from the runtime.
    pub async fn enable_tenant_clocks(&self) -> Result<(), StoreError> {
        let events = self.subscribe();
        self.reload_tenant_clocks().await?;
        self.tenant_clocks().enabled.store(true, Ordering::Release);
        tokio::spawn(follow(self.downgrade(), events));
        Ok(())
    }

    /// A receiver that sees a new value after every change of any tenant's clock on this node
    /// (a local change, or another node's once re-read): workers that act on time wake on it.
    pub fn tenant_clock_changes(&self) -> watch::Receiver<u64> {
        self.tenant_clocks().changes.subscribe()
    }

    /// The groups of tenants sharing one "now", for cross-tenant jobs: each tenant with a clock
    /// setting on its own, then every other tenant at the store clock's time.
    pub(crate) fn time_scopes(&self) -> Vec<TimeScope> {
        let base = self.clock().now();
        let settings: Vec<(TenantId, TenantTime)> = match self.tenant_clocks_enabled() {
            true => self
                .tenant_clocks()
                .settings
                .read()
                .clone()
                .into_iter()
                .collect(),
            false => Vec::new(),
        };
        let set: Vec<TenantId> = settings.iter().map(|(t, _)| t.clone()).collect();
        let mut scopes: Vec<TimeScope> = settings
            .into_iter()
            .map(|(t, s)| TimeScope {
                now: s.now(base),
                tenant: Some(t),
                set: Vec::new(),
            })
            .collect();
        scopes.push(TimeScope {
            now: base,
            tenant: None,
            set,
        });
        scopes
    }

    /// The claim condition for outbox rows a change wrote in its tenant's time while that time
    /// runs ahead of the store clock's (a row never retried or released has `available_at =
    /// created_at`, both the change's time): ` OR (…)` per such tenant, with its parameters
    /// numbered from `$first`; empty when no tenant is ahead.
    pub(crate) fn fresh_rows_ahead(&self, first: usize) -> (String, Vec<Value>) {
        let base = self.clock().now();
        let (mut sql, mut params) = (String::new(), Vec::new());
        for scope in self.time_scopes() {
            let Some(tenant) = scope.tenant.filter(|_| scope.now > base) else {
                continue;
            };
            let n = first + params.len();
            sql.push_str(&format!(
                " OR (tenant_id = ${n} AND available_at = created_at AND available_at <= ${})",
                n + 1
            ));
            params.push(tenant.as_str().into());
            params.push(datetime::format(scope.now).into());
        }
        (sql, params)
    }

    /// Re-reads every tenant's clock setting.
    async fn reload_tenant_clocks(&self) -> Result<(), StoreError> {
        let sql = "SELECT tenant_id, offset_us, frozen_at FROM tenant_clocks";
        let rows = self.read(sql, &[]).await?;
        let mut settings = HashMap::with_capacity(rows.len());
        for row in rows {
            let (tenant, setting) = setting_from_row(row)?;
            settings.insert(tenant, setting);
        }
        self.tenant_clocks().replace(settings);
        Ok(())
    }
}

/// Re-reads the settings on every clock change any node commits, and after missed events.
async fn follow(
    store: std::sync::Weak<crate::handle::Inner>,
    mut events: tokio::sync::broadcast::Receiver<StoreEvent>,
) {
    loop {
        let reread = match events.recv().await {
            Ok(StoreEvent::Clock { .. } | StoreEvent::Resync) | Err(RecvError::Lagged(_)) => true,
            Ok(_) => false,
            Err(RecvError::Closed) => return,
        };
        let Some(store) = Store::upgrade(&store) else {
            return;
        };
        if reread {
            if let Err(e) = store.reload_tenant_clocks().await {
                tracing::warn!(error = %e, "re-reading the tenants' clock settings failed");
            }
        }
    }
}

fn setting_from_row(row: Row) -> Result<(TenantId, TenantTime), StoreError> {
    let mut cols = row.into_iter();
    let mut next = || {
        cols.next()
            .ok_or_else(|| StoreError::Corrupt("short tenant_clocks row".into()))
    };
    let tenant = TenantId(next()?.into_text("tenant_clocks.tenant_id")?);
    let offset = Duration::microseconds(next()?.as_int("tenant_clocks.offset_us")?);
    let frozen = match next()?.into_opt_text("tenant_clocks.frozen_at")? {
        Some(t) => Some(parse_time(&t)?),
        None => None,
    };
    Ok((tenant, TenantTime { offset, frozen }))
}

/// The `V12__tenant_clocks` migration: one row per tenant whose clock differs from the store's
/// (`offset_us` microseconds added to it, or frozen at `frozen_at`).
pub(crate) const V12_TENANT_CLOCKS: &str = "CREATE TABLE tenant_clocks (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    offset_us {int} NOT NULL,
    frozen_at {text},
    updated {text} NOT NULL,
    PRIMARY KEY (tenant_id)
);
";

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_setting_moves_or_freezes_the_store_clocks_time() {
        let base = datetime!(2026-01-01 0:00 UTC);
        let running = TenantTime::at(datetime!(2027-01-01 0:00 UTC), false, base);
        assert_eq!(
            running.now(base + Duration::hours(1)),
            datetime!(2027-01-01 1:00 UTC)
        );
        let frozen = TenantTime::at(datetime!(2027-01-01 0:00 UTC), true, base);
        assert_eq!(
            frozen.now(base + Duration::hours(1)),
            datetime!(2027-01-01 0:00 UTC)
        );
    }

    #[test]
    fn time_scopes_cover_every_tenant_once() {
        let scope = |tenant: Option<&str>, set: &[&str]| TimeScope {
            now: datetime!(2026-01-01 0:00 UTC),
            tenant: tenant.map(|t| TenantId(t.into())),
            set: set.iter().map(|t| TenantId((*t).into())).collect(),
        };
        let others = scope(None, &["a"]);
        assert_eq!(others.condition("tenant_id", 2).0, "tenant_id NOT IN ($2)");
        assert_eq!(scope(Some("a"), &[]).condition("t", 1).0, "t = $1");
        assert_eq!(scope(None, &[]).condition("t", 1).0, "1 = 1");
    }
}
