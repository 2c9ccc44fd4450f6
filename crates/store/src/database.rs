//! [`Database`]: where a store keeps its data, as the CLI, the configuration and the environment
//! name it.

use crate::error::StoreError;
use std::fmt;
use std::path::PathBuf;

/// Where a store keeps its data: a SQLite file (one node) or a PostgreSQL database (one or more
/// nodes sharing it).
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user:password@host:port/db?options=...`) or
    /// key-value connection string.
    Postgres(String),
}

impl Database {
    /// Reads `postgres://...` / `postgresql://...` (PostgreSQL), `sqlite:PATH` / `sqlite://PATH`
    /// (SQLite), or a bare path (SQLite).
    pub fn parse(s: &str) -> Result<Database, StoreError> {
        let s = s.trim();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Database::Postgres(s.to_owned()));
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
            .unwrap_or(s);
        if path.is_empty() || path.contains("://") {
            return Err(StoreError::Open(format!(
                "'{}' is not a database: use postgres://USER@HOST:PORT/DB or sqlite:PATH",
                Database::redact(s)
            )));
        }
        Ok(Database::Sqlite(PathBuf::from(path)))
    }

    /// The URL of the PostgreSQL server `server` (a `postgres://` URL) that keeps its tables in
    /// `schema`: `options=-c search_path=<schema>` added. Several deployments (or test runs) can
    /// share one database this way.
    pub fn postgres_in_schema(server: &str, schema: &str) -> String {
        let sep = if server.contains('?') { '&' } else { '?' };
        format!("{server}{sep}options=-c%20search_path%3D{schema}")
    }

    /// The URL with any password replaced by `***`, for logs and messages.
    fn redact(url: &str) -> String {
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let creds = &url[scheme + 3..at];
                match creds.find(':') {
                    Some(colon) => format!(
                        "{}{}:***{}",
                        &url[..scheme + 3],
                        &creds[..colon],
                        &url[at..]
                    ),
                    None => url.to_owned(),
                }
            }
            _ => url.to_owned(),
        }
    }
}

impl fmt::Display for Database {
    /// The location, without any password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Database::Postgres(url) => f.write_str(&Database::redact(url)),
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_pick_the_backend() {
        assert_eq!(
            Database::parse("postgres://u@h:5432/db").unwrap(),
            Database::Postgres("postgres://u@h:5432/db".into())
        );
        assert!(matches!(
            Database::parse("postgresql://h/db").unwrap(),
            Database::Postgres(_)
        ));
        for s in ["sqlite:data/x.db", "sqlite://data/x.db", "data/x.db"] {
            assert_eq!(
                Database::parse(s).unwrap(),
                Database::Sqlite(PathBuf::from("data/x.db")),
                "{s}"
            );
        }
        for bad in ["", "sqlite:", "mysql://h/db"] {
            assert!(Database::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn schemas_are_chosen_by_search_path() {
        assert_eq!(
            Database::postgres_in_schema("postgres://h/db", "a"),
            "postgres://h/db?options=-c%20search_path%3Da"
        );
        assert_eq!(
            Database::postgres_in_schema("postgres://h/db?sslmode=disable", "a"),
            "postgres://h/db?sslmode=disable&options=-c%20search_path%3Da"
        );
    }

    #[test]
    fn shown_urls_hide_the_password() {
        let db = Database::parse("postgres://secgraph:s3cret@db:5432/sg?options=x").unwrap();
        assert_eq!(
            db.to_string(),
            "postgres://secgraph:***@db:5432/sg?options=x"
        );
        assert_eq!(format!("{db:?}"), db.to_string());
        let err = Database::parse("mysql://root:pw@h/db")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("pw"), "{err}");
    }
}
