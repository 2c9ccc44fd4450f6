//! The statements of a transfer, written once for both backends: keyset-paged reads in primary-key
//! order, multi-row inserts, the target's clearing, and moving identity sequences past the copied
//! values. Table and column names come from [`super::tables`], which accepts plain identifiers only.

use super::tables::Table;
use crate::dialect::{statement, Dialect};
use crate::error::StoreError;
use crate::handle::Store;
use crate::value::{Row, Value};

/// Most bind parameters in one `INSERT` (well below SQLite's 32,766 and PostgreSQL's 65,535).
const MAX_PARAMS: usize = 4_000;

/// Reads one table in primary-key order, `batch` rows at a time, each read starting after the last
/// key read (keyset paging: every read is an index range scan, however deep into the table).
pub(crate) struct Cursor<'a> {
    store: &'a Store,
    first: String,
    next: String,
    key_at: Vec<usize>,
    after: Option<Vec<Value>>,
    batch: usize,
    done: bool,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(store: &'a Store, table: &Table, batch: usize) -> Cursor<'a> {
        let batch = batch.max(1);
        let columns = table.columns.join(", ");
        let keys = table.key.join(", ");
        let placeholders: Vec<String> = (1..=table.key.len()).map(|n| format!("${n}")).collect();
        let first = format!(
            "SELECT {columns} FROM {} ORDER BY {keys} LIMIT {batch}",
            table.name
        );
        let next = format!(
            "SELECT {columns} FROM {} WHERE ({keys}) > ({}) ORDER BY {keys} LIMIT {batch}",
            table.name,
            placeholders.join(", ")
        );
        let key_at = table
            .key
            .iter()
            .filter_map(|k| table.columns.iter().position(|c| c == k))
            .collect();
        Cursor {
            store,
            first: statement(store.dialect(), &first),
            next: statement(store.dialect(), &next),
            key_at,
            after: None,
            batch,
            done: false,
        }
    }

    /// The next rows, or `None` after the last.
    pub(crate) async fn next(&mut self) -> Result<Option<Vec<Row>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let rows = match &self.after {
            None => self.store.read(&self.first, &[]).await?,
            Some(after) => self.store.read(&self.next, after).await?,
        };
        self.done = rows.len() < self.batch;
        match rows.last() {
            Some(last) => {
                self.after = Some(self.key_at.iter().map(|&i| last[i].clone()).collect());
                Ok(Some(rows))
            }
            None => Ok(None),
        }
    }
}

/// The number of rows of `table`.
pub(crate) async fn count(store: &Store, table: &str) -> Result<u64, StoreError> {
    let rows = store
        .read(&format!("SELECT count(*) FROM {table}"), &[])
        .await?;
    let n = rows
        .first()
        .and_then(|r| r.first())
        .map(|v| v.as_int("count(*)"))
        .transpose()?
        .unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// `INSERT INTO table (columns) VALUES (..), (..)` for `rows` rows.
fn insert_sql(dialect: &dyn Dialect, table: &Table, rows: usize) -> String {
    let width = table.columns.len();
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {}",
        table.name,
        table.columns.join(", "),
        tuples.join(", ")
    );
    statement(dialect, &sql)
}

/// Writes `rows` into `table` of `target` in one transaction of the target's writer; resolves after
/// COMMIT with the number of rows written.
pub(crate) async fn insert(
    target: &Store,
    table: &Table,
    rows: Vec<Row>,
) -> Result<u64, StoreError> {
    let width = table.columns.len();
    let per_statement = (MAX_PARAMS / width).max(1);
    let full = insert_sql(target.dialect(), table, per_statement);
    let table = table.clone();
    target
        .write(move |tx| {
            let mut written = 0u64;
            let mut rows = rows.into_iter().peekable();
            while rows.peek().is_some() {
                let params: Vec<Value> = rows.by_ref().take(per_statement).flatten().collect();
                let n = params.len() / width;
                let sql = if n == per_statement {
                    full.clone()
                } else {
                    insert_sql(tx.dialect(), &table, n)
                };
                written += tx.execute(&sql, &params)? as u64;
            }
            Ok(written)
        })
        .await
}

/// Deletes every row of `tables` (children first) in one transaction.
pub(crate) async fn clear(target: &Store, tables: &[Table]) -> Result<(), StoreError> {
    let names: Vec<String> = tables.iter().rev().map(|t| t.name.clone()).collect();
    target
        .write(move |tx| {
            for name in &names {
                tx.execute(&format!("DELETE FROM {name}"), &[])?;
            }
            Ok(())
        })
        .await
}

/// Moves the identity sequence of `table` past its largest value, so rows added later do not
/// collide with copied ones (where the backend needs it: [`Dialect::advance_identity`]).
pub(crate) async fn advance_identity(target: &Store, table: &Table) -> Result<(), StoreError> {
    let Some(column) = table.identity.as_deref() else {
        return Ok(());
    };
    let Some(sql) = target.dialect().advance_identity(&table.name, column) else {
        return Ok(());
    };
    target.write(move |tx| tx.query(&sql, &[]).map(drop)).await
}
