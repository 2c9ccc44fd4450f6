//! Moving a whole deployment from one store to another — SQLite to PostgreSQL, or between any two
//! [`Database`](crate::Database)s — and proving the copy exact.
//!
//! [`migrate`] copies every table of the schema ([`tables`], read from the migrations) in foreign-key
//! order, in batches read in primary-key order (keyset paging, never `OFFSET`), preserving every
//! column value, identity ids included (`outbox.id`, `signing_keys.seq`; on PostgreSQL the identity
//! sequences are then moved past the largest copied value). Each batch is written through the
//! target's normal write path, one transaction per batch, so what is reported copied is committed.
//! Generated columns (PostgreSQL's JSONB copies of the alert documents) are computed by the target.
//!
//! Then it verifies: for each table, the row count and a SHA-256 checksum over every row in
//! primary-key order (see `checksum`), computed by reading the source and the target back
//! independently. Text orders bytewise on both backends, so the orders, and the checksums, agree.
//!
//! The target must hold no deployment (no tenants, no applications) unless
//! [`TransferOptions::force`]; whatever the target holds (with `force`, or rows that a server start
//! leaves behind, such as a signing key) is deleted before copying, so that the target ends up equal
//! to the source. The source is only read, but nothing stops others from writing to it: stop the
//! servers first (a change during the migration fails the verification).

mod checksum;
mod rows;
mod tables;

pub use tables::{tables, Table};

use crate::error::StoreError;
use crate::handle::Store;
use checksum::Checksum;
use rows::Cursor;
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Rows per batch (per read, and per write transaction) unless told otherwise.
pub const DEFAULT_BATCH: usize = 1_000;

/// Batches of one table being written at once.
const WRITES_IN_FLIGHT: usize = 2;

/// How to migrate.
#[derive(Debug, Clone)]
pub struct TransferOptions {
    /// Rows per read and per write transaction.
    pub batch: usize,
    /// Migrate even into a target that holds data, deleting all of it first.
    pub force: bool,
}

impl Default for TransferOptions {
    fn default() -> Self {
        TransferOptions {
            batch: DEFAULT_BATCH,
            force: false,
        }
    }
}

/// A table's row count and checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChecksum {
    /// Table name.
    pub table: String,
    /// Rows.
    pub rows: u64,
    /// SHA-256 of the rows in primary-key order, lowercase hex.
    pub sha256: String,
}

/// What happened to one table.
#[derive(Debug, Clone)]
pub struct TableReport {
    /// Table name.
    pub table: String,
    /// Rows copied (equal on both sides once verified).
    pub rows: u64,
    /// The checksum both sides agree on.
    pub sha256: String,
    /// Time spent copying.
    pub copy_time: Duration,
    /// Time spent reading both sides back and comparing.
    pub verify_time: Duration,
}

/// What a migration did.
#[derive(Debug, Clone, Default)]
pub struct TransferReport {
    /// Rows deleted from the target before copying, by table.
    pub cleared: Vec<(String, u64)>,
    /// Every table, in copy order.
    pub tables: Vec<TableReport>,
    /// Wall time of the whole migration.
    pub elapsed: Duration,
}

impl TransferReport {
    /// Rows copied across all tables.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Progress of a migration, reported as it happens.
#[derive(Debug)]
pub enum Progress<'a> {
    /// `rows` rows were deleted from the target's `table` before copying.
    Cleared { table: &'a str, rows: u64 },
    /// `rows` rows of `table` are copied so far (after each committed batch).
    Batch { table: &'a str, rows: u64 },
    /// `table` is copied.
    Copied {
        table: &'a str,
        rows: u64,
        elapsed: Duration,
    },
    /// `table` is verified.
    Verified(&'a TableReport),
}

/// Why a migration failed.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The target holds a deployment and `force` was not given.
    #[error(
        "the target already holds data ({tenants} tenants, {applications} applications); migrate \
         into an empty database, or force it (--force), which deletes everything in the target first"
    )]
    TargetNotEmpty { tenants: u64, applications: u64 },
    /// Reading or writing one table failed.
    #[error("table {table}: {action} failed: {error}")]
    Table {
        table: String,
        action: &'static str,
        error: StoreError,
    },
    /// The target's copy of a table differs from the source.
    #[error(
        "verification failed for table {table}: the source has {source_rows} rows (sha256 \
         {source_sha256}), the target {target_rows} rows (sha256 {target_sha256})"
    )]
    Mismatch {
        table: String,
        source_rows: u64,
        source_sha256: String,
        target_rows: u64,
        target_sha256: String,
    },
    /// Any other store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Wraps a store error with the table and what was being done to it.
fn on_table(table: &str, action: &'static str) -> impl FnOnce(StoreError) -> TransferError {
    let table = table.to_owned();
    move |error| TransferError::Table {
        table,
        action,
        error,
    }
}

/// Copies everything in `source` to `target`, then verifies the copy; see the module documentation.
pub async fn migrate(
    source: &Store,
    target: &Store,
    options: &TransferOptions,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<TransferReport, TransferError> {
    let started = Instant::now();
    let tables = tables()?;
    let mut report = TransferReport {
        cleared: prepare_target(target, &tables, options.force).await?,
        ..TransferReport::default()
    };
    for (table, rows) in &report.cleared {
        progress(Progress::Cleared { table, rows: *rows });
    }
    let mut copied = Vec::with_capacity(tables.len());
    for table in &tables {
        let t = Instant::now();
        let rows = copy_table(source, target, table, options.batch, progress).await?;
        rows::advance_identity(target, table)
            .await
            .map_err(on_table(&table.name, "advancing the identity sequence"))?;
        let elapsed = t.elapsed();
        progress(Progress::Copied {
            table: &table.name,
            rows,
            elapsed,
        });
        copied.push(elapsed);
    }
    for (table, copy_time) in tables.iter().zip(copied) {
        let done = verify_table(source, target, table, options.batch, copy_time).await?;
        progress(Progress::Verified(&done));
        report.tables.push(done);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Reads `table` back from both stores, independently and at once, and compares count and checksum.
async fn verify_table(
    source: &Store,
    target: &Store,
    table: &Table,
    batch: usize,
    copy_time: Duration,
) -> Result<TableReport, TransferError> {
    let started = Instant::now();
    let (from, to) = tokio::join!(
        checksum(source, table, batch),
        checksum(target, table, batch)
    );
    let from = from.map_err(on_table(&table.name, "reading the source back"))?;
    let to = to.map_err(on_table(&table.name, "reading the target back"))?;
    if from != to {
        return Err(TransferError::Mismatch {
            table: table.name.clone(),
            source_rows: from.rows,
            source_sha256: from.sha256,
            target_rows: to.rows,
            target_sha256: to.sha256,
        });
    }
    Ok(TableReport {
        table: table.name.clone(),
        rows: from.rows,
        sha256: from.sha256,
        copy_time,
        verify_time: started.elapsed(),
    })
}

/// Refuses a target holding a deployment (unless `force`), then empties it. Returns what was deleted.
async fn prepare_target(
    target: &Store,
    tables: &[Table],
    force: bool,
) -> Result<Vec<(String, u64)>, TransferError> {
    let counts = row_counts_of(target, tables).await?;
    let count = |name: &str| {
        counts
            .iter()
            .find(|(t, _)| t == name)
            .map_or(0, |(_, n)| *n)
    };
    let (tenants, applications) = (count("tenants"), count("applications"));
    if (tenants > 0 || applications > 0) && !force {
        return Err(TransferError::TargetNotEmpty {
            tenants,
            applications,
        });
    }
    let cleared: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    if !cleared.is_empty() {
        rows::clear(target, tables)
            .await
            .map_err(on_table("(all)", "emptying the target"))?;
    }
    Ok(cleared)
}

/// Copies one table: the next batch is read while earlier ones are written, up to
/// [`WRITES_IN_FLIGHT`] at once (PostgreSQL runs them on separate writer connections). Returns the
/// rows copied, once every batch has committed.
async fn copy_table(
    source: &Store,
    target: &Store,
    table: &Table,
    batch: usize,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<u64, TransferError> {
    let mut cursor = Cursor::new(source, table, batch);
    let mut pending: VecDeque<JoinHandle<Result<u64, StoreError>>> = VecDeque::new();
    let mut copied = 0u64;
    loop {
        let rows = cursor
            .next()
            .await
            .map_err(on_table(&table.name, "reading the source"))?;
        let Some(rows) = rows else { break };
        if pending.len() >= WRITES_IN_FLIGHT {
            copied += committed(pending.pop_front(), table, copied, progress).await?;
        }
        let (target, t) = (target.clone(), table.clone());
        pending.push_back(tokio::spawn(async move {
            rows::insert(&target, &t, rows).await
        }));
    }
    while !pending.is_empty() {
        copied += committed(pending.pop_front(), table, copied, progress).await?;
    }
    Ok(copied)
}

/// Waits for one batch's write and reports the running total.
async fn committed(
    write: Option<JoinHandle<Result<u64, StoreError>>>,
    table: &Table,
    before: u64,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<u64, TransferError> {
    let Some(write) = write else { return Ok(0) };
    let written = write
        .await
        .unwrap_or_else(|e| Err(StoreError::Backend(format!("the write task failed: {e}"))))
        .map_err(on_table(&table.name, "writing the target"))?;
    progress(Progress::Batch {
        table: &table.name,
        rows: before + written,
    });
    Ok(written)
}

/// The row count and checksum of `table` in `store`, read in primary-key order.
async fn checksum(store: &Store, table: &Table, batch: usize) -> Result<TableChecksum, StoreError> {
    let mut sum = Checksum::new(&table.name, &table.columns);
    let mut cursor = Cursor::new(store, table, batch);
    while let Some(rows) = cursor.next().await? {
        for row in &rows {
            sum.row(row);
        }
    }
    let (rows, sha256) = sum.finish();
    Ok(TableChecksum {
        table: table.name.clone(),
        rows,
        sha256,
    })
}

/// Every table's row count and checksum (what [`migrate`] compares), in copy order.
pub async fn checksums(store: &Store) -> Result<Vec<TableChecksum>, StoreError> {
    let mut out = Vec::new();
    for table in tables()? {
        out.push(checksum(store, &table, DEFAULT_BATCH).await?);
    }
    Ok(out)
}

/// Every table's row count, in copy order.
pub async fn row_counts(store: &Store) -> Result<Vec<(String, u64)>, StoreError> {
    row_counts_of(store, &tables()?).await
}

async fn row_counts_of(store: &Store, tables: &[Table]) -> Result<Vec<(String, u64)>, StoreError> {
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        out.push((t.name.clone(), rows::count(store, &t.name).await?));
    }
    Ok(out)
}
