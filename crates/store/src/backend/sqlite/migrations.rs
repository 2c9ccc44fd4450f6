//! SQLite schema migrations, run by `refinery` when the store opens.
//!
//! `V1` is generated from the column and index lists in [`crate::schema`] so that they are written
//! once. Timestamps are Graph's fixed-width UTC text (7 fractional digits and `Z`), so text order is
//! time order.

use crate::error::StoreError;
use crate::schema::{ALERT_INDEXES, HOT_COLUMNS};
use refinery::{Migration, Runner};
use rusqlite::Connection;
use std::fmt::Write;

const TENANTS: &str = "CREATE TABLE tenants (
    id TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    created TEXT NOT NULL,
    change_seq INTEGER NOT NULL DEFAULT 0
);
";

const CHANGES_AND_OUTBOX: &str = "CREATE TABLE alert_changes (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    seq INTEGER NOT NULL,
    alert_id TEXT NOT NULL,
    change_type TEXT NOT NULL,
    origin TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) WITHOUT ROWID;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    last_error TEXT
);
CREATE INDEX outbox_available ON outbox (kind, available_at, id);
";

/// The `V1` schema.
fn v1() -> String {
    let mut sql = String::from(TENANTS);
    sql.push_str(
        "CREATE TABLE alerts (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    legacy_doc TEXT NOT NULL,
    extra TEXT NOT NULL,
    has_evolvable INTEGER NOT NULL,
    seq INTEGER NOT NULL,
",
    );
    for c in HOT_COLUMNS {
        let null = if c.nullable { "" } else { " NOT NULL" };
        let _ = writeln!(sql, "    {} TEXT{null},", c.name);
    }
    sql.push_str("    PRIMARY KEY (tenant_id, id)\n);\n");
    for i in ALERT_INDEXES {
        let _ = writeln!(sql, "CREATE INDEX {} ON alerts ({});", i.name, i.columns);
    }
    sql.push_str(CHANGES_AND_OUTBOX);
    sql
}

/// Brings the database on `conn` to the latest schema.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let v1 =
        Migration::unapplied("V1__initial", &v1()).map_err(|e| StoreError::Open(e.to_string()))?;
    Runner::new(&[v1])
        .run(conn)
        .map_err(|e| StoreError::Open(format!("migration failed: {e}")))?;
    Ok(())
}
