//! Read connections: one per thread that reads, opened on first use and kept for the store's life, so
//! that a read runs inline on the calling (async worker) thread with statements from that connection's
//! prepared-statement cache — no pool checkout, no hop to a blocking thread.

use super::{configure, SqliteOptions};
use crate::error::StoreError;
use crate::value::{Row, Value};
use rusqlite::{params_from_iter, Connection, OpenFlags};
use std::path::PathBuf;
use thread_local::ThreadLocal;

/// The per-thread read connections of one database.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
    options: SqliteOptions,
    conns: ThreadLocal<Connection>,
}

impl Readers {
    /// Readers for the database at `path` (opened lazily).
    pub(crate) fn new(path: PathBuf, options: SqliteOptions) -> Self {
        Readers {
            path,
            options,
            conns: ThreadLocal::new(),
        }
    }

    /// Runs `sql` on this thread's connection and collects every row.
    pub(crate) fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let conn = self.conns.get_or_try(|| self.open())?;
        let mut stmt = conn.prepare_cached(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read_row(row, width)?);
        }
        Ok(out)
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        configure(&conn, &self.options, self.options.reader_cache_kib)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(conn)
    }
}

/// Converts the first `width` columns of `row`.
pub(crate) fn read_row(row: &rusqlite::Row<'_>, width: usize) -> Result<Row, StoreError> {
    (0..width)
        .map(|i| Value::from_sqlite(row.get_ref(i)?))
        .collect()
}
