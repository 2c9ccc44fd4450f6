//! SQLite schema migrations, run by `refinery` when the store opens.
//!
//! `V1` is generated from the column and index lists in [`crate::schema`] so that they are written
//! once. `V2__identity` adds applications, their secrets, consents and token signing keys (global
//! rows, not tenant entity data: see `crate::identity`). Timestamps are Graph's fixed-width UTC text (7 fractional digits and `Z`), so text order is
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

/// The `V1` schema. In `alerts` the small columns come first and the documents last: a row is
/// larger than a page, so its tail lives in overflow pages, and a filter or sort reading a hot
/// column must not have to walk the overflow chain to reach it.
fn v1() -> String {
    let mut sql = String::from(TENANTS);
    sql.push_str(
        "CREATE TABLE alerts (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id TEXT NOT NULL,
    evolvable TEXT,
    seq INTEGER NOT NULL,
",
    );
    for c in HOT_COLUMNS {
        let null = if c.nullable { "" } else { " NOT NULL" };
        let _ = writeln!(sql, "    {} TEXT{null},", c.name);
    }
    sql.push_str(
        "    extra TEXT NOT NULL,
    doc TEXT NOT NULL,
    legacy_doc TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
",
    );
    for i in ALERT_INDEXES {
        let _ = write!(sql, "CREATE INDEX {} ON alerts ({})", i.name, i.columns);
        if let Some(partial) = i.partial {
            let _ = write!(sql, " WHERE {partial}");
        }
        sql.push_str(";\n");
    }
    sql.push_str(CHANGES_AND_OUTBOX);
    sql
}

/// The `V2` schema: identity. Permission lists are JSON arrays of Graph permission names; secret
/// hashes are lowercase hex SHA-256; signing keys are PKCS#8 PEM, ordered by `seq` (the newest
/// unretired key signs). Deleting an application would take its secrets and consents with it.
const V2_IDENTITY: &str = "CREATE TABLE applications (
    client_id TEXT PRIMARY KEY NOT NULL,
    home_tenant_id TEXT NOT NULL REFERENCES tenants(id),
    display_name TEXT NOT NULL,
    multi_tenant INTEGER NOT NULL,
    requested_permissions TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX applications_home ON applications (home_tenant_id, created);
CREATE TABLE application_secrets (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES applications(client_id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    hint TEXT NOT NULL,
    expires TEXT,
    created TEXT NOT NULL
);
CREATE INDEX application_secrets_app ON application_secrets (client_id, created);
CREATE TABLE consents (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    client_id TEXT NOT NULL REFERENCES applications(client_id) ON DELETE CASCADE,
    permissions TEXT NOT NULL,
    granted TEXT NOT NULL,
    PRIMARY KEY (tenant_id, client_id)
) WITHOUT ROWID;
CREATE INDEX consents_app ON consents (client_id);
CREATE TABLE signing_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kid TEXT NOT NULL UNIQUE,
    key_pem TEXT NOT NULL,
    created TEXT NOT NULL,
    retired TEXT
);
";

/// Brings the database on `conn` to the latest schema.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let v1 =
        Migration::unapplied("V1__initial", &v1()).map_err(|e| StoreError::Open(e.to_string()))?;
    let v2 = Migration::unapplied("V2__identity", V2_IDENTITY)
        .map_err(|e| StoreError::Open(e.to_string()))?;
    Runner::new(&[v1, v2])
        .run(conn)
        .map_err(|e| StoreError::Open(format!("migration failed: {e}")))?;
    Ok(())
}

/// Drops the named secondary indexes of `alerts` (benchmarks measure each index's ingest cost this
/// way). Only names listed in [`ALERT_INDEXES`] are accepted.
pub(crate) fn drop_indexes(conn: &Connection, names: &[String]) -> Result<(), StoreError> {
    for name in names {
        let index = ALERT_INDEXES
            .iter()
            .find(|i| i.name == name)
            .ok_or_else(|| StoreError::Open(format!("no alert index is named '{name}'")))?;
        conn.execute_batch(&format!("DROP INDEX IF EXISTS {}", index.name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hot_columns_precede_the_documents_so_filters_skip_overflow_pages() {
        let sql = v1();
        let table = &sql[sql.find("CREATE TABLE alerts").unwrap()..];
        let first_document = table.find("    extra TEXT").unwrap();
        for c in HOT_COLUMNS {
            let at = table.find(&format!("    {} TEXT", c.name)).unwrap();
            assert!(at < first_document, "{} comes after the documents", c.name);
        }
        assert!(table.find("    evolvable").unwrap() < first_document);
    }

    #[test]
    fn partial_indexes_carry_their_predicate() {
        let sql = v1();
        for i in ALERT_INDEXES {
            let line = sql
                .lines()
                .find(|l| l.starts_with(&format!("CREATE INDEX {} ", i.name)))
                .unwrap();
            match i.partial {
                Some(p) => assert!(line.ends_with(&format!(" WHERE {p};")), "{line}"),
                None => assert!(!line.contains(" WHERE "), "{line}"),
            }
        }
    }
}
