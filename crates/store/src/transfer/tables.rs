//! The tables a transfer copies, read from the migrations themselves (not a second hand-written
//! list): every `CREATE TABLE` and `ALTER TABLE .. ADD COLUMN` of the SQLite history, in the order
//! the migrations create the tables, which is foreign-key order (a table is created after the tables
//! it references). Generated columns are left out: the target computes them.
//!
//! The parser understands exactly the DDL the migrations write. A statement that changes a table in
//! any other way (`DROP TABLE`, `RENAME`, `DROP COLUMN`) is an error, so a new migration of that kind
//! fails the transfer's tests until this module learns it.

use crate::error::StoreError;
use crate::migrations::Ddl;

/// One table of the schema as the transfer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// The stored (not generated) columns, in table order.
    pub columns: Vec<String>,
    /// The primary key's columns, in key order: the copy and the checksum read in this order.
    pub key: Vec<String>,
    /// The column whose values the database generates (`AUTOINCREMENT` / `IDENTITY`), if any: it is
    /// copied as it is, and the target's sequence is moved past the largest value afterwards.
    pub identity: Option<String>,
    /// The tables this one references.
    pub references: Vec<String>,
}

/// The tables of the current schema, in foreign-key order.
pub fn tables() -> Result<Vec<Table>, StoreError> {
    schema_tables(&crate::migrations::SQLITE)
}

/// The tables created by `ddl`'s migrations.
pub(crate) fn schema_tables(ddl: &Ddl) -> Result<Vec<Table>, StoreError> {
    let mut tables: Vec<Table> = Vec::new();
    for migration in ddl.migrations()? {
        let sql = migration.sql().unwrap_or_default();
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            apply(&mut tables, statement).map_err(|e| {
                StoreError::Corrupt(format!(
                    "migration {}: {e} (teach store::transfer::tables this statement)",
                    migration.name()
                ))
            })?;
        }
    }
    check_order(&tables)?;
    Ok(tables)
}

/// Applies one DDL statement to `tables`.
fn apply(tables: &mut Vec<Table>, statement: &str) -> Result<(), String> {
    let upper = statement.to_ascii_uppercase();
    if let Some(rest) = strip_words(statement, &upper, "CREATE TABLE ") {
        tables.push(create_table(rest)?);
    } else if let Some(rest) = strip_words(statement, &upper, "ALTER TABLE ") {
        let (name, change) = split_name(rest)?;
        let column = strip_words(change, &change.to_ascii_uppercase(), "ADD COLUMN ")
            .ok_or_else(|| format!("unsupported change `{statement}`"))?;
        let table = tables
            .iter_mut()
            .find(|t| t.name == name)
            .ok_or_else(|| format!("ALTER TABLE of unknown table {name}"))?;
        add_column(table, column)?;
    } else if upper.starts_with("DROP TABLE") || upper.starts_with("CREATE VIRTUAL TABLE") {
        return Err(format!("unsupported statement `{statement}`"));
    }
    Ok(())
}

fn strip_words<'a>(statement: &'a str, upper: &str, words: &str) -> Option<&'a str> {
    upper
        .starts_with(words)
        .then(|| statement[words.len()..].trim_start())
}

/// `name rest` -> (`name`, `rest`), checking the name is a plain identifier.
fn split_name(s: &str) -> Result<(String, &str), String> {
    let end = s
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(s.len());
    let name = ident(&s[..end])?;
    Ok((name, s[end..].trim_start()))
}

/// A lowercase SQL identifier (the only kind the migrations use), safe to splice into SQL.
fn ident(s: &str) -> Result<String, String> {
    let ok = s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!("'{s}' is not a plain identifier"))
    }
}

fn create_table(rest: &str) -> Result<Table, String> {
    let (name, rest) = split_name(rest)?;
    let open = rest
        .find('(')
        .ok_or_else(|| format!("{name}: no column list"))?;
    let close = rest
        .rfind(')')
        .ok_or_else(|| format!("{name}: unclosed column list"))?;
    let mut table = Table {
        name,
        columns: Vec::new(),
        key: Vec::new(),
        identity: None,
        references: Vec::new(),
    };
    for item in split_top_level(&rest[open + 1..close]) {
        let upper = item.to_ascii_uppercase();
        if let Some(keys) = upper.strip_prefix("PRIMARY KEY") {
            let list = keys.trim().trim_start_matches('(').trim_end_matches(')');
            table.key = list
                .split(',')
                .map(|k| ident(&k.trim().to_ascii_lowercase()))
                .collect::<Result<_, _>>()?;
        } else if ["UNIQUE", "FOREIGN KEY", "CHECK", "CONSTRAINT"]
            .iter()
            .any(|w| upper.starts_with(w))
        {
            return Err(format!(
                "{}: unsupported table constraint `{item}`",
                table.name
            ));
        } else {
            add_column(&mut table, item)?;
        }
    }
    if table.key.is_empty() {
        return Err(format!("{}: no primary key", table.name));
    }
    Ok(table)
}

/// Adds the column defined by `definition` (`name TYPE constraints..`).
fn add_column(table: &mut Table, definition: &str) -> Result<(), String> {
    let (name, rest) = split_name(definition.trim())?;
    let upper = rest.to_ascii_uppercase();
    if upper.contains("GENERATED ALWAYS") {
        return Ok(());
    }
    if upper.contains("PRIMARY KEY") {
        table.key = vec![name.clone()];
    }
    if upper.contains("AUTOINCREMENT") || upper.contains("AS IDENTITY") {
        table.identity = Some(name.clone());
    }
    if let Some(at) = upper.find("REFERENCES ") {
        let (parent, _) = split_name(&rest[at + "REFERENCES ".len()..])?;
        if !table.references.contains(&parent) {
            table.references.push(parent);
        }
    }
    table.columns.push(name);
    Ok(())
}

/// Splits a column list at the commas outside parentheses.
fn split_top_level(list: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0i32, 0, Vec::new());
    for (i, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                items.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(list[start..].trim());
    items.retain(|s| !s.is_empty());
    items
}

/// Every referenced table comes earlier, and every key column is a column.
fn check_order(tables: &[Table]) -> Result<(), StoreError> {
    for (i, t) in tables.iter().enumerate() {
        for parent in &t.references {
            if !tables[..i].iter().any(|p| &p.name == parent) && parent != &t.name {
                return Err(StoreError::Corrupt(format!(
                    "table {} references {parent}, which is not created before it",
                    t.name
                )));
            }
        }
        if let Some(k) = t.key.iter().find(|k| !t.columns.contains(k)) {
            return Err(StoreError::Corrupt(format!(
                "table {}: key column {k} is not a column",
                t.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::POSTGRES;

    fn key_of(tables: &[Table], name: &str) -> Vec<String> {
        tables.iter().find(|t| t.name == name).unwrap().key.clone()
    }

    #[test]
    fn every_table_in_foreign_key_order_with_its_key_and_identity() {
        let tables = tables().unwrap();
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "tenants",
                "alerts",
                "alert_changes",
                "outbox",
                "applications",
                "application_secrets",
                "consents",
                "signing_keys",
                "ti_indicators",
                "ti_indicator_changes",
                "ti_export_keys",
                "ti_events",
                "providers",
                "provider_tenants",
                "security_actions",
                "provider_control_states",
                "secure_score_tenants",
                "secure_score_control_profiles",
                "secure_score_control_states",
                "secure_scores",
                "incidents",
                "incident_pins",
                "correlation_state",
                "subscriptions",
                "notification_dead_letters",
                "notification_history",
                "audit_log",
                "fault_profiles",
                "tenant_clocks"
            ]
        );
        assert_eq!(key_of(&tables, "providers"), ["id"]);
        assert_eq!(
            key_of(&tables, "provider_tenants"),
            ["tenant_id", "provider_id"]
        );
        let key = |n: &str| key_of(&tables, n);
        assert_eq!(key("alerts"), ["tenant_id", "id"]);
        assert_eq!(key("consents"), ["tenant_id", "client_id"]);
        assert_eq!(key("outbox"), ["id"]);
        assert_eq!(key("ti_indicator_changes"), ["tenant_id", "seq"]);
        assert_eq!(key("audit_log"), ["id"]);
        assert_eq!(key("tenant_clocks"), ["tenant_id"]);
        let tenants = tables.iter().find(|t| t.name == "tenants").unwrap();
        assert_eq!(
            tenants.columns.last().unwrap(),
            "ti_seq",
            "ADD COLUMN is followed"
        );
        let identities: Vec<_> = tables
            .iter()
            .filter_map(|t| Some((t.name.as_str(), t.identity.as_deref()?)))
            .collect();
        assert_eq!(
            identities,
            [
                ("outbox", "id"),
                ("signing_keys", "seq"),
                ("ti_events", "id"),
                ("notification_dead_letters", "id")
            ]
        );
    }

    #[test]
    fn both_backends_store_the_same_columns_and_postgres_generates_the_json_copies() {
        let sqlite = tables().unwrap();
        let postgres = schema_tables(&POSTGRES).unwrap();
        assert_eq!(sqlite, postgres);
        let alerts = &sqlite[1];
        assert!(alerts.columns.iter().any(|c| c == "legacy_doc"));
        assert!(!alerts.columns.iter().any(|c| c.ends_with("_json")));
    }

    #[test]
    fn the_columns_are_those_of_a_migrated_database() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let migrations = crate::migrations::SQLITE.migrations().unwrap();
        refinery::Runner::new(&migrations).run(&mut conn).unwrap();
        for t in tables().unwrap() {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT name, pk FROM pragma_table_info('{}')",
                    t.name
                ))
                .unwrap();
            let cols: Vec<(String, i64)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, t.columns, "{}", t.name);
            let mut key: Vec<(i64, &str)> = cols
                .iter()
                .filter(|(_, pk)| *pk > 0)
                .map(|(n, pk)| (*pk, n.as_str()))
                .collect();
            key.sort_unstable();
            let key: Vec<&str> = key.into_iter().map(|(_, n)| n).collect();
            assert_eq!(key, t.key, "{}", t.name);
        }
    }

    #[test]
    fn unknown_table_changes_are_refused() {
        let mut tables = vec![];
        apply(
            &mut tables,
            "CREATE TABLE t (a TEXT PRIMARY KEY, b INTEGER)",
        )
        .unwrap();
        apply(&mut tables, "ALTER TABLE t ADD COLUMN c TEXT").unwrap();
        assert_eq!(tables[0].columns, ["a", "b", "c"]);
        assert!(apply(&mut tables, "ALTER TABLE t DROP COLUMN c").is_err());
        assert!(apply(&mut tables, "ALTER TABLE t RENAME TO u").is_err());
        assert!(apply(&mut tables, "DROP TABLE t").is_err());
        assert!(apply(&mut tables, "CREATE TABLE u (a TEXT)").is_err());
    }
}
