//! [`Store`]: the cheap-to-clone handle the rest of secgraph holds. It owns the backend, the clock
//! and the ingest hooks; entity queries are reachable only through [`Store::tenant`].

use crate::backend::postgres::{PostgresBackend, PostgresOptions};
use crate::backend::sqlite::{SqliteBackend, SqliteOptions};
use crate::backend::{job, Backend, Tx};
use crate::clock::Clock;
use crate::coalesce::Coalescer;
use crate::database::Database;
use crate::dialect::{statement, Dialect};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::faults::FaultProfiles;
use crate::hooks::IngestHook;
use crate::incidents::Correlation;
use crate::metrics::{OpKind, StoreMetrics};
use crate::outbox::Outbox;
use crate::tenant::TenantStore;
use crate::tenant_clocks::TenantClocks;
use crate::value::{Row, Value};
use model::{datetime, TenantId};
use parking_lot::RwLock;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::broadcast;

/// The storage handle (clone freely; all clones share one database, writer and hook list).
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    backend: Arc<dyn Backend>,
    clock: Arc<dyn Clock>,
    tenant_clocks: TenantClocks,
    hooks: RwLock<Vec<Arc<dyn IngestHook>>>,
    correlation: Correlation,
    faults: FaultProfiles,
    metrics: StoreMetrics,
    /// Delivery-history records of concurrent webhook deliveries, committed together.
    history_writes: Coalescer<crate::subscriptions::HistoryRows>,
    /// Providers' answers to sync-back calls that arrive together, written together.
    sync_answers: Coalescer<crate::providers::PendingAnswer, bool>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.inner.backend)
            .field("clock", &self.inner.clock)
            .field("hooks", &self.inner.hooks.read().len())
            .finish()
    }
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `database` with default tuning.
    pub fn open(database: &Database, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        match database {
            Database::Sqlite(path) => Store::open_sqlite(path, clock),
            Database::Postgres(url) => Store::open_postgres(url, clock, PostgresOptions::default()),
        }
    }

    /// Connects to (and migrates) the PostgreSQL database at `url`. Blocks while connecting: call it
    /// before serving, or from a blocking context.
    pub fn open_postgres(
        url: &str,
        clock: Arc<dyn Clock>,
        options: PostgresOptions,
    ) -> Result<Store, StoreError> {
        let backend = PostgresBackend::open(url, options)?;
        Ok(Store::with_backend(Arc::new(backend), clock))
    }

    /// Opens (creating file + parent dir, migrating) a SQLite store at `path`.
    pub fn open_sqlite(path: &Path, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        Store::open_sqlite_with(path, clock, SqliteOptions::default())
    }

    /// [`open_sqlite`](Store::open_sqlite) with explicit tuning.
    pub fn open_sqlite_with(
        path: &Path,
        clock: Arc<dyn Clock>,
        options: SqliteOptions,
    ) -> Result<Store, StoreError> {
        let backend = SqliteBackend::open(path, options)?;
        Ok(Store::with_backend(Arc::new(backend), clock))
    }

    /// The store over `backend`, with correlation registered as its first ingest hook (every
    /// alert write of every tenant is correlated: `crate::incidents::correlation`).
    fn with_backend(backend: Arc<dyn Backend>, clock: Arc<dyn Clock>) -> Store {
        let correlation = Correlation::default();
        let hook: Arc<dyn IngestHook> = Arc::new(correlation.clone());
        Store {
            inner: Arc::new(Inner {
                backend,
                clock,
                tenant_clocks: TenantClocks::default(),
                hooks: RwLock::new(vec![hook, Arc::new(crate::subscriptions::Notifications)]),
                correlation,
                faults: FaultProfiles::default(),
                metrics: StoreMetrics::default(),
                history_writes: Coalescer::new(crate::subscriptions::write_history),
                sync_answers: Coalescer::new(crate::providers::write_answers),
            }),
        }
    }

    /// Correlation of alerts into incidents (configure it with
    /// [`Correlation::configure`]).
    pub fn correlation(&self) -> &Correlation {
        &self.inner.correlation
    }

    /// The entity queries of one tenant: the only way to reach alerts.
    pub fn tenant(&self, tenant: &TenantId) -> TenantStore {
        TenantStore::new(self.clone(), tenant.clone())
    }

    /// The store's clock: the machinery's time (outbox, leases, delivery, tokens). A tenant's
    /// data reads its time from [`Store::now_for`], which emulator mode may move per tenant.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// This node's copy of the tenants' fault profiles ([`crate::faults`]).
    pub fn fault_profiles(&self) -> &FaultProfiles {
        &self.inner.faults
    }

    /// This node's copy of the tenants' clock settings (`crate::tenant_clocks`).
    pub(crate) fn tenant_clocks(&self) -> &TenantClocks {
        &self.inner.tenant_clocks
    }

    /// A handle that does not keep the store open (for tasks that end with it).
    pub(crate) fn downgrade(&self) -> std::sync::Weak<Inner> {
        Arc::downgrade(&self.inner)
    }

    /// The store of a [`Store::downgrade`]d handle, while it is open.
    pub(crate) fn upgrade(weak: &std::sync::Weak<Inner>) -> Option<Store> {
        weak.upgrade().map(|inner| Store { inner })
    }

    /// Adds a hook run inside every alert write transaction (after the hooks added before it).
    pub fn add_hook(&self, hook: Arc<dyn IngestHook>) {
        self.inner.hooks.write().push(hook);
    }

    /// The outbox.
    pub fn outbox(&self) -> Outbox {
        Outbox {
            store: self.clone(),
        }
    }

    /// Creates the tenant's row if missing (updating its display name otherwise).
    pub async fn ensure_tenant(
        &self,
        tenant: &TenantId,
        display_name: &str,
    ) -> Result<(), StoreError> {
        let params = vec![
            Value::from(tenant.as_str()),
            Value::from(display_name),
            Value::from(datetime::format(self.clock().now())),
        ];
        self.write(move |tx| {
            let sql = statement(
                tx.dialect(),
                "INSERT INTO tenants (id, display_name, created) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name",
            );
            let n = tx.execute(&sql, &params)?;
            tx.announce(&StoreEvent::Identity)?;
            Ok(n)
        })
        .await?;
        Ok(())
    }

    /// What every node commits from now on ([`crate::events`]): wake-ups for caches and workers.
    /// A receiver that falls more than a few thousand events behind gets `Lagged`; treat it (and
    /// [`StoreEvent::Resync`]) as "re-read everything kept in memory".
    pub fn subscribe(&self) -> broadcast::Receiver<StoreEvent> {
        self.inner.backend.subscribe()
    }

    /// A trivial read, for health checks.
    pub async fn health(&self) -> Result<(), StoreError> {
        self.read("SELECT 1", &[]).await.map(drop)
    }

    /// Commits every queued write and stops the writer; later writes fail with
    /// [`StoreError::Closed`]. Reads keep working.
    pub async fn shutdown(&self) {
        self.inner.backend.shutdown().await;
    }

    /// Runs `work` in the writer's next transaction; resolves after COMMIT. Timed, under the
    /// module of the caller ([`crate::metrics`]).
    #[track_caller]
    pub(crate) fn write<R, F>(
        &self,
        work: F,
    ) -> impl Future<Output = Result<R, StoreError>> + Send + '_
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        let caller = Location::caller();
        async move {
            let started = Instant::now();
            let (job, rx) = job(work);
            self.inner.backend.submit(job)?;
            let result = rx.await.map_err(|_| {
                StoreError::Backend(
                    "the write was abandoned (transaction failed or writer stopped)".into(),
                )
            });
            let took = started.elapsed();
            self.inner.metrics.observe(OpKind::write, caller, took);
            result?
        }
    }

    /// Runs one read statement. Timed, under the module of the caller ([`crate::metrics`]).
    #[track_caller]
    pub(crate) fn read<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Value],
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send + 'a {
        let caller = Location::caller();
        async move {
            let started = Instant::now();
            let rows = self.inner.backend.read(sql, params).await;
            let took = started.elapsed();
            self.inner.metrics.observe(OpKind::read, caller, took);
            rows
        }
    }

    /// The group commit of providers' sync-back answers.
    pub(crate) fn sync_answers(&self) -> &Coalescer<crate::providers::PendingAnswer, bool> {
        &self.inner.sync_answers
    }

    /// The group commit of delivery-history records.
    pub(crate) fn history_writes(&self) -> &Coalescer<crate::subscriptions::HistoryRows> {
        &self.inner.history_writes
    }

    /// This store's metrics.
    pub(crate) fn metrics_ref(&self) -> &StoreMetrics {
        &self.inner.metrics
    }

    /// The backend's dialect.
    pub(crate) fn dialect(&self) -> &'static dyn Dialect {
        self.inner.backend.dialect()
    }

    /// A snapshot of the hooks, in order.
    pub(crate) fn hooks(&self) -> Vec<Arc<dyn IngestHook>> {
        self.inner.hooks.read().clone()
    }
}
