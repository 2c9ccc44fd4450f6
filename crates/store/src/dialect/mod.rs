//! SQL dialects: the few places where SQLite and PostgreSQL spell the same thing differently.
//!
//! Every query in this crate is written once, in terms of these methods, and runs on either backend:
//! [`Sqlite`] and [`Postgres`]. Both give the same answers: the conformance suite and a differential
//! test of generated filters hold them to it.
//!
//! - Text compares and sorts bytewise on both: SQLite's default, and `COLLATE "C"` on every PostgreSQL
//!   text column, JSON value and text parameter.
//! - Case-insensitive comparison is ASCII case folding on both: `COLLATE NOCASE` and `LIKE` on
//!   SQLite, `lower()` and `ILIKE` under the `"C"` collation on PostgreSQL.
//! - PostgreSQL reads filters from JSONB copies of the documents (`doc_json`, `legacy_doc_json`); the
//!   text documents, served byte for byte, are the same on both.

mod postgres;
mod sqlite;

pub(crate) use postgres::Postgres;
pub(crate) use sqlite::Sqlite;

use crate::error::StoreError;
use std::fmt::Debug;

/// How a JSON value is read as SQL (PostgreSQL's `->>` yields text, so it needs a cast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Integer,
    Real,
    Boolean,
}

/// Dialect-specific spellings.
pub(crate) trait Dialect: Send + Sync + Debug {
    /// The `n`-th (1-based) bind parameter: `?n` (SQLite) / `$n` (PostgreSQL).
    fn placeholder(&self, n: usize) -> String;

    /// The JSON path value addressing `segments` (schema names) then `open` (dictionary keys, caller
    /// text) below a document: `$."a"."b"` (SQLite) / `{a,b}` (PostgreSQL `text[]`).
    fn json_path(&self, segments: &[&str], open: &[String]) -> Result<String, StoreError>;

    /// A scalar at `path` (an SQL expression: quoted literal or placeholder holding a
    /// [`json_path`](Dialect::json_path)) below the JSON document or element `src`:
    /// `json_extract(src, path)` / `(src #>> path)::kind`. With no path, `src` itself is the scalar
    /// (a lambda variable over a primitive collection, `alias.value` of a
    /// [`json_each`](Dialect::json_each)): `src` / `(src #>> '{}')::kind`.
    ///
    /// With `strict`, a value whose JSON type is not `kind`'s (a number or an array where text is
    /// read, a string where a number is) reads as NULL on both backends. Callers ask for it where
    /// the model does not guarantee the type: dictionary values, and values inside collection
    /// elements (an evidence item an import kept verbatim). Numbers and Booleans are always read
    /// strictly on PostgreSQL, whose casts would fail on anything else.
    fn json_scalar(&self, src: &str, path: Option<&str>, kind: Kind, strict: bool) -> String;

    /// A FROM item iterating the JSON array at `path` below `src`, exposing each element as
    /// `alias.value`; a value that is not an array has no elements (with
    /// [`json_element_filter`](Dialect::json_element_filter)): `json_each(src, path) AS alias` /
    /// `jsonb_array_elements(CASE jsonb_typeof(src #> path) WHEN 'array' THEN src #> path END) AS alias(value)`.
    fn json_each(&self, src: &str, path: &str, alias: &str) -> String;

    /// The condition keeping only array elements among the rows of
    /// [`json_each`](Dialect::json_each)`(.., alias)`, if its rows need one:
    /// `typeof(alias.key) = 'integer'` / none.
    fn json_element_filter(&self, alias: &str) -> Option<String> {
        let _ = alias;
        None
    }

    /// Case-insensitive equality: `l = r COLLATE NOCASE` / `lower(l) = lower(r)`.
    fn ci_eq(&self, l: &str, r: &str) -> String;

    /// Case-insensitive membership: `l COLLATE NOCASE IN (..)` / `lower(l) IN (lower(..), ..)`.
    fn ci_in(&self, l: &str, items: &[String]) -> String;

    /// Case-insensitive pattern match with `\` as escape: `l LIKE p ESCAPE '\'` / `l ILIKE p ESCAPE '\'`.
    fn ci_like(&self, l: &str, pattern: &str) -> String;

    /// Null-safe equality of two expressions: `l IS r` / `l IS NOT DISTINCT FROM r` (with the
    /// case-insensitive variants when `ci`).
    fn null_safe_eq(&self, l: &str, r: &str, ci: bool) -> String;

    /// A Boolean expression is true: `(e) = 1` / `(e)`.
    fn is_true(&self, e: &str) -> String;

    /// The literal true predicate: `1 = 1` / `TRUE`.
    fn true_predicate(&self) -> &'static str;

    /// 1-based position of `needle` in `hay`, 0 when absent: `instr(hay, needle)` / `strpos(hay, needle)`.
    fn position(&self, hay: &str, needle: &str) -> String;

    /// The suffix that makes NULLs sort first ascending and last descending (SQLite's default):
    /// empty / ` NULLS FIRST` or ` NULLS LAST`.
    fn nulls_order(&self, descending: bool) -> &'static str;

    /// A bind parameter holding `value`, typed where the backend cannot infer it: `?n` /
    /// `$n::text COLLATE "C"`, `$n::int8`, `$n::float8`, `$n::bool`.
    fn typed_placeholder(&self, n: usize, value: &crate::value::Value) -> String {
        let _ = value;
        self.placeholder(n)
    }

    /// A bind parameter holding a [`json_path`](Dialect::json_path) as text, converted to what
    /// JSON access takes: `?n` / `CAST($n AS text[])`.
    fn json_path_param(&self, placeholder: &str) -> String {
        placeholder.to_owned()
    }

    /// The JSON path of a document's root: `'$'` / `'{}'`.
    fn json_root(&self) -> &'static str {
        "'$'"
    }

    /// The column queries read the document `column` (`alerts.doc`, `alerts.legacy_doc`) from:
    /// the text itself / its JSONB copy (`alerts.doc_json`).
    fn queried_document(&self, column: &'static str) -> &'static str {
        column
    }

    /// An index key folding `column`'s case, matching [`ci_eq`](Dialect::ci_eq):
    /// `column COLLATE NOCASE` / `lower(column)`.
    fn ci_index_key(&self, column: &str) -> String {
        format!("{column} COLLATE NOCASE")
    }

    /// Locks the rows a `SELECT` read until the transaction ends, so that writers on other nodes
    /// queue behind it: empty (SQLite has one writer) / ` FOR NO KEY UPDATE`.
    fn lock_rows(&self) -> &'static str {
        ""
    }

    /// The statement moving `table`'s identity sequence past the largest `column` value after rows
    /// were inserted with explicit ids: none (SQLite's `AUTOINCREMENT` follows them) /
    /// `SELECT setval(pg_get_serial_sequence(..), max(..))`.
    fn advance_identity(&self, table: &str, column: &str) -> Option<String> {
        let _ = (table, column);
        None
    }

    /// How to ask for the plan of `sql`, and the settings to make first in its transaction:
    /// `EXPLAIN QUERY PLAN sql` / `EXPLAIN sql` with sequential scans and explicit sorts
    /// discouraged (so the plan shows whether an index *can* serve the query, whatever the table's
    /// size). The plan text is the last column of each row.
    fn explain(&self, sql: &str) -> (String, &'static [&'static str]) {
        (format!("EXPLAIN QUERY PLAN {sql}"), &[])
    }

    /// Appended to a `SELECT` that claims work rows: other claimers skip the rows it locked instead
    /// of waiting: empty / ` FOR UPDATE SKIP LOCKED`.
    fn skip_locked(&self) -> &'static str {
        ""
    }

    /// A statement that makes the rest of the transaction exclusive among all transactions that
    /// run it with the same `name` in this schema, for check-then-insert work that has no row to
    /// lock: none (SQLite has one writer) / `pg_advisory_xact_lock` on a hash of schema and name.
    fn exclusive(&self, name: &'static str) -> Option<String> {
        let _ = name;
        None
    }
}

/// `$first, $first+1, …` — `n` numbered placeholders for an `IN (…)` list (rewritten per dialect
/// by [`statement`]).
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Accepts a schema property name for use inside a quoted JSON path label embedded in SQL text
/// (names come from static schemas; this guards against a schema typo becoming broken SQL).
pub(crate) fn check_segment(s: &str) -> Result<(), StoreError> {
    if s.is_empty()
        || s.chars()
            .any(|c| matches!(c, '"' | '\'' | '\\') || c.is_control())
    {
        return Err(StoreError::InvalidQuery(format!(
            "the property name '{}' cannot be used in a query",
            s.escape_debug()
        )));
    }
    Ok(())
}

/// Rewrites a statement written with PostgreSQL-style `$n` placeholders into `dialect`'s spelling, so
/// that fixed statements are written once. `$` followed by anything but a digit is left alone.
pub(crate) fn statement(dialect: &dyn Dialect, template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut chars = template.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) {
            let mut n = 0usize;
            while let Some((_, d)) = chars.peek().copied().filter(|(_, d)| d.is_ascii_digit()) {
                n = n * 10 + (d as usize - '0' as usize);
                chars.next();
            }
            out.push_str(&dialect.placeholder(n));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_rewrites_numbered_placeholders_only() {
        let s = statement(&Sqlite, "SELECT '$.a' FROM t WHERE a = $1 AND b = $12");
        assert_eq!(s, "SELECT '$.a' FROM t WHERE a = ?1 AND b = ?12");
    }
}
