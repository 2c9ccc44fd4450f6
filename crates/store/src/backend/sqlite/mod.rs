//! The SQLite backend (`rusqlite`, bundled): WAL journal, `synchronous=FULL` so that a committed
//! write survives power loss, a bounded page cache per connection, one writer thread and one read
//! connection per reading thread.

mod checkpointer;
mod reader;
mod writer;

use crate::backend::{Backend, BoxFuture, Job};
use crate::dialect::{Dialect, Sqlite};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::value::{Row, Value};
use reader::Readers;
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;
use tokio::sync::broadcast;

/// Tuning of the SQLite backend. The defaults keep memory bounded (a few MiB of page cache per
/// connection, a capped memory map) whatever the database size.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// How long a connection waits for a lock before failing.
    pub busy_timeout: Duration,
    /// Page cache of the writer connection, in KiB.
    pub writer_cache_kib: u32,
    /// Page cache of each read connection, in KiB.
    pub reader_cache_kib: u32,
    /// Most bytes of the database file mapped into memory per connection (0 disables mmap).
    pub mmap_bytes: u64,
    /// Prepared statements kept per connection.
    pub statement_cache: usize,
    /// WAL pages appended between checkpoints (copies of the WAL back into the database file, run
    /// by a thread of their own: `backend/sqlite/checkpointer.rs`). Larger values mean fewer
    /// checkpoints (each rewrites and syncs pages) at the cost of a larger WAL file; 0 leaves
    /// checkpointing to the connection's close.
    pub wal_autocheckpoint_pages: u32,
    /// Benchmarks only: names of [`ALERT_INDEXES`](crate::schema::ALERT_INDEXES) to drop after
    /// migrating, to measure what each index costs at ingest. Queries stay correct without them,
    /// only slower. Never set it on a real store.
    #[doc(hidden)]
    pub bench_skip_indexes: Vec<String>,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            busy_timeout: Duration::from_secs(5),
            writer_cache_kib: 32 * 1024,
            reader_cache_kib: 8 * 1024,
            mmap_bytes: 32 * 1024 * 1024,
            statement_cache: 256,
            wal_autocheckpoint_pages: 16 * 1024,
            bench_skip_indexes: Vec::new(),
        }
    }
}

/// The SQLite backend.
#[derive(Debug)]
pub(crate) struct SqliteBackend {
    readers: Readers,
    writer: crate::backend::JobQueue,
    events: broadcast::Sender<StoreEvent>,
}

impl SqliteBackend {
    /// Opens (creating the file and its parent directory) and migrates the database at `path`, then
    /// starts the writer.
    pub(crate) fn open(path: &Path, options: SqliteOptions) -> Result<SqliteBackend, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Open(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut conn = Connection::open(path)
            .map_err(|e| StoreError::Open(format!("{}: {e}", path.display())))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open(format!(
                "{} cannot use WAL (journal_mode is {mode})",
                path.display()
            )));
        }
        configure(&conn, &options, options.writer_cache_kib)?;
        conn.pragma_update(None, "wal_autocheckpoint", options.wal_autocheckpoint_pages)?;
        let migrations = crate::migrations::SQLITE.migrations()?;
        refinery::Runner::new(&migrations)
            .run(&mut conn)
            .map_err(|e| crate::migrations::migration_error(&e))?;
        crate::migrations::drop_indexes(&conn, &options.bench_skip_indexes)?;
        let checkpoints =
            checkpointer::Checkpoints::start(&conn, path, options.wal_autocheckpoint_pages, |c| {
                configure(c, &options, CHECKPOINTER_CACHE_KIB)
            })?;
        let (events, _) = broadcast::channel(crate::events::CAPACITY);
        let writer = writer::start(conn, checkpoints, events.clone())?;
        Ok(SqliteBackend {
            readers: Readers::new(path.to_path_buf(), options),
            writer,
            events,
        })
    }
}

/// Page cache of the checkpointer's connection: it copies WAL frames, it does not read through
/// the cache.
const CHECKPOINTER_CACHE_KIB: u32 = 1024;

/// The per-connection settings shared by the writer, the readers and the checkpointer.
pub(crate) fn configure(
    conn: &Connection,
    options: &SqliteOptions,
    cache_kib: u32,
) -> Result<(), StoreError> {
    conn.busy_timeout(options.busy_timeout)?;
    conn.set_prepared_statement_cache_capacity(options.statement_cache);
    // Plans must not depend on bound values: otherwise SQLite marks a cached statement whose plan
    // looked at a parameter (`LIMIT ?`, a `?` compared with a partial index's condition) as
    // expired at every new binding and compiles it again on every execution (9 % of a list
    // request's time). Our partial indexes (`… IS NOT NULL`) and plans need no bound value.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", -i64::from(cache_kib))?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let mmap = i64::try_from(options.mmap_bytes).unwrap_or(i64::MAX);
    // `PRAGMA mmap_size` answers with the new size, so it is read as a query.
    let _: i64 = conn.query_row(&format!("PRAGMA mmap_size = {mmap}"), [], |r| r.get(0))?;
    Ok(())
}

impl Backend for SqliteBackend {
    fn dialect(&self) -> &'static dyn Dialect {
        &Sqlite
    }

    fn read<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, Result<Vec<Row>, StoreError>> {
        // Short reads run inline: the work happens here, the future is already resolved.
        let result = self.readers.query(sql, params);
        Box::pin(std::future::ready(result))
    }

    fn submit(&self, job: Job) -> Result<(), StoreError> {
        self.writer.submit(job)
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.writer.shutdown())
    }

    fn subscribe(&self) -> broadcast::Receiver<StoreEvent> {
        self.events.subscribe()
    }
}
