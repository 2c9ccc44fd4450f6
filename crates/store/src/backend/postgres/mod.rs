//! The PostgreSQL backend: `tokio-postgres` with a `deadpool-postgres` pool for reads, and a few writer
//! threads, each owning one connection, for write jobs.
//!
//! Several `secgraph` nodes may share one database, so nothing here assumes it is the only writer:
//! - migrations run under a session advisory lock, so nodes starting together migrate once;
//! - each write job runs in its own transaction (`READ COMMITTED`); jobs that advance a tenant's change
//!   sequence lock that tenant's row first ([`Dialect::lock_rows`]), so writers on every node take
//!   turns per tenant and no two transactions wait for each other's locks in opposite orders;
//! - outbox claims skip rows another node has locked ([`Dialect::skip_locked`]);
//! - what a job announces reaches every node through `NOTIFY` ([`crate::events`]).
//!
//! A write is answered only after COMMIT returned, so an acknowledged write is durable (with the
//! server's `synchronous_commit`, which is `on` by default).

mod listener;
mod writer;

use crate::backend::{Backend, BoxFuture, Job};
use crate::dialect::{Dialect, Postgres};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::value::{Row, Value};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use listener::Listener;
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_postgres::types::ToSql;
use tokio_postgres::NoTls;

/// Tuning of the PostgreSQL backend.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Most pooled read connections.
    pub read_connections: usize,
    /// Writer threads, each with its own connection (each runs one transaction at a time).
    pub writers: usize,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
    /// Prepared statements kept per read connection before the cache is emptied.
    pub statement_cache: usize,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            read_connections: 16,
            writers: 4,
            connect_timeout: Duration::from_secs(10),
            statement_cache: 512,
        }
    }
}

/// The key of the advisory lock held while migrating ("secgraph" in ASCII, as an integer).
const MIGRATION_LOCK: i64 = 0x7365_6367_7261_7068;

/// The PostgreSQL backend.
pub(crate) struct PostgresBackend {
    pool: Pool,
    writers: crate::backend::JobQueue,
    statement_cache: usize,
    events: broadcast::Sender<StoreEvent>,
    _listener: Listener,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("pool", &self.pool.status())
            .field("writers", &self.writers)
            .finish()
    }
}

/// Parses a `postgres://` URL (or key=value connection string) with the options secgraph adds.
pub(crate) fn parse_config(
    url: &str,
    options: &PostgresOptions,
) -> Result<tokio_postgres::Config, StoreError> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|e| {
        StoreError::Open(format!(
            "the PostgreSQL connection string is not valid: {e}"
        ))
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(options.connect_timeout);
    }
    if config.get_application_name().is_none() {
        config.application_name("secgraph");
    }
    // Plan every execution of a prepared statement for its parameter values. A generic plan is
    // made once for all tenants, and tenants differ by orders of magnitude: measured here, the
    // plan of the ingest path's primary-key lookup switched at 100,000 alerts to an index that
    // shares only the tenant prefix, scanning the whole tenant for every alert (ingest fell from
    // 650 to 50 alerts/s). Planning these statements costs tens of microseconds.
    let options = match config.get_options() {
        Some(o) if !o.trim().is_empty() => format!("{o} -c plan_cache_mode=force_custom_plan"),
        _ => "-c plan_cache_mode=force_custom_plan".to_owned(),
    };
    config.options(&options);
    Ok(config)
}

/// Opens a blocking connection (used by the writers and the migrator, each on its own thread: the
/// blocking client runs its own small runtime, which must not be nested in the caller's).
pub(crate) fn connect_blocking(
    config: &tokio_postgres::Config,
) -> Result<postgres::Client, StoreError> {
    postgres::Config::from(config.clone())
        .connect(NoTls)
        .map_err(|e| {
            StoreError::Open(format!(
                "cannot connect to PostgreSQL: {}",
                StoreError::from(e)
            ))
        })
}

impl PostgresBackend {
    /// Connects, migrates (once across every node starting together) and starts the writers.
    pub(crate) fn open(url: &str, options: PostgresOptions) -> Result<PostgresBackend, StoreError> {
        let config = parse_config(url, &options)?;
        let migrate_config = config.clone();
        let schema = std::thread::Builder::new()
            .name("secgraph-migrate".into())
            .spawn(move || migrate(&migrate_config))
            .map_err(|e| StoreError::Open(format!("cannot start the migration thread: {e}")))?
            .join()
            .map_err(|_| StoreError::Open("the migration thread panicked".into()))??;
        let channel = crate::events::channel(&schema);
        let writers = writer::start(&config, &channel, options.writers.max(1))?;
        let (events, _) = broadcast::channel(crate::events::CAPACITY);
        let listener = Listener::start(config.clone(), channel, events.clone())?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.read_connections.max(1))
            .build()
            .map_err(|e| StoreError::Open(format!("cannot build the connection pool: {e}")))?;
        Ok(PostgresBackend {
            pool,
            writers,
            statement_cache: options.statement_cache,
            events,
            _listener: listener,
        })
    }

    async fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let client = self
            .pool
            .get()
            .await
            .map_err(|e| StoreError::Backend(format!("no PostgreSQL connection: {e}")))?;
        if client.statement_cache.size() >= self.statement_cache {
            client.statement_cache.clear();
        }
        let stmt = client.prepare_cached(sql).await?;
        let rows = client.query(&stmt, &as_params(params)).await?;
        rows.iter().map(Value::row_from_postgres).collect()
    }
}

/// Runs the migrations under the advisory lock; returns the schema the tables are in.
fn migrate(config: &tokio_postgres::Config) -> Result<String, StoreError> {
    let mut client = connect_blocking(config)?;
    let schema: String = client
        .query_one("SELECT current_schema()::text", &[])?
        .try_get(0)
        .map_err(|_| {
            StoreError::Open(
                "the connection has no schema to create tables in (check search_path)".into(),
            )
        })?;
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let migrations = crate::migrations::POSTGRES.migrations()?;
    let result = refinery::Runner::new(&migrations)
        .run(&mut client)
        .map(drop)
        .map_err(|e| crate::migrations::migration_error(&e));
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
    result.map(|()| schema)
}

/// The parameters as the driver takes them.
pub(crate) fn as_params(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Backend for PostgresBackend {
    fn dialect(&self) -> &'static dyn Dialect {
        &Postgres
    }

    fn read<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, Result<Vec<Row>, StoreError>> {
        Box::pin(self.query(sql, params))
    }

    fn submit(&self, job: Job) -> Result<(), StoreError> {
        self.writers.submit(job)
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        // Reads keep working after shutdown, as on SQLite: only the writers stop.
        Box::pin(self.writers.shutdown())
    }

    fn subscribe(&self) -> broadcast::Receiver<StoreEvent> {
        self.events.subscribe()
    }
}
