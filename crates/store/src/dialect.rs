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

use crate::error::StoreError;
use std::fmt::{Debug, Write};

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
    /// The backend's name: `sqlite` / `postgres`.
    fn name(&self) -> &'static str;

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
    /// queue behind it: empty (SQLite has one writer) / ` FOR UPDATE`.
    fn lock_rows(&self) -> &'static str {
        ""
    }

    /// Appended to a `SELECT` that claims work rows: other claimers skip the rows it locked instead
    /// of waiting: empty / ` FOR UPDATE SKIP LOCKED`.
    fn skip_locked(&self) -> &'static str {
        ""
    }
}

/// SQLite (bundled, JSON1 built in).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sqlite;

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn placeholder(&self, n: usize) -> String {
        format!("?{n}")
    }

    fn json_path(&self, segments: &[&str], open: &[String]) -> Result<String, StoreError> {
        let mut path = String::from("$");
        for s in segments {
            check_segment(s)?;
            let _ = write!(path, ".\"{s}\"");
        }
        for key in open {
            // A bound parameter, so only the label's own delimiter is a problem.
            if key.is_empty() || key.contains('"') {
                return Err(StoreError::InvalidQuery(format!(
                    "the dictionary key '{}' cannot be used in a query",
                    key.escape_debug()
                )));
            }
            let _ = write!(path, ".\"{key}\"");
        }
        Ok(path)
    }

    fn json_scalar(&self, src: &str, path: Option<&str>, kind: Kind, strict: bool) -> String {
        let (value, json_type) = match path {
            Some(path) => (
                format!("json_extract({src}, {path})"),
                format!("json_type({src}, {path})"),
            ),
            // A lambda variable: `json_each`'s `type` column beside its `value` (which holds
            // strings unquoted, so `json_type(value)` would not parse them).
            None => {
                let alias = src.strip_suffix(".value").unwrap_or(src);
                (src.to_owned(), format!("{alias}.type"))
            }
        };
        if !strict {
            return value;
        }
        match kind {
            Kind::Text => format!("(CASE {json_type} WHEN 'text' THEN {value} END)"),
            Kind::Integer | Kind::Real => {
                format!("(CASE WHEN {json_type} IN ('integer', 'real') THEN {value} END)")
            }
            Kind::Boolean => {
                format!("(CASE {json_type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)")
            }
        }
    }

    fn json_each(&self, src: &str, path: &str, alias: &str) -> String {
        format!("json_each({src}, {path}) AS {alias}")
    }

    fn json_element_filter(&self, alias: &str) -> Option<String> {
        // `json_each` walks the members of an object (text keys) and yields a scalar as its only
        // row (a NULL key), where PostgreSQL (and OData) see no elements: only array elements have
        // integer keys. (Checking `json_type` first would parse every document once more.)
        Some(format!("typeof({alias}.key) = 'integer'"))
    }

    fn ci_eq(&self, l: &str, r: &str) -> String {
        format!("{l} = {r} COLLATE NOCASE")
    }

    fn ci_in(&self, l: &str, items: &[String]) -> String {
        format!("{l} COLLATE NOCASE IN ({})", items.join(", "))
    }

    fn ci_like(&self, l: &str, pattern: &str) -> String {
        format!("{l} LIKE {pattern} ESCAPE '\\'")
    }

    fn null_safe_eq(&self, l: &str, r: &str, ci: bool) -> String {
        if ci {
            format!("{l} IS {r} COLLATE NOCASE")
        } else {
            format!("{l} IS {r}")
        }
    }

    fn is_true(&self, e: &str) -> String {
        format!("({e}) = 1")
    }

    fn true_predicate(&self) -> &'static str {
        "1 = 1"
    }

    fn position(&self, hay: &str, needle: &str) -> String {
        format!("instr({hay}, {needle})")
    }

    fn nulls_order(&self, _descending: bool) -> &'static str {
        ""
    }
}

/// PostgreSQL (`tokio-postgres`): JSONB documents, `"C"` collation, typed parameters.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Postgres;

/// The collation every PostgreSQL text comparison uses, so that text orders bytewise as on SQLite.
pub(crate) const PG_COLLATE: &str = "COLLATE \"C\"";

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn placeholder(&self, n: usize) -> String {
        format!("${n}")
    }

    fn typed_placeholder(&self, n: usize, value: &crate::value::Value) -> String {
        use crate::value::Value;
        match value {
            Value::Null => format!("${n}"),
            Value::Int(_) => format!("${n}::int8"),
            Value::Real(_) => format!("${n}::float8"),
            Value::Bool(_) => format!("${n}::bool"),
            Value::Text(_) => format!("(${n}::text {PG_COLLATE})"),
        }
    }

    fn json_path(&self, segments: &[&str], open: &[String]) -> Result<String, StoreError> {
        // A text[] literal: every element double-quoted, `"` and `\` escaped inside.
        let mut path = String::from("{");
        let mut first = true;
        let mut push = |label: &str, path: &mut String| {
            if !first {
                path.push(',');
            }
            first = false;
            path.push('"');
            for c in label.chars() {
                if matches!(c, '"' | '\\') {
                    path.push('\\');
                }
                path.push(c);
            }
            path.push('"');
        };
        for s in segments {
            check_segment(s)?;
            push(s, &mut path);
        }
        for key in open {
            if key.is_empty() {
                return Err(StoreError::InvalidQuery(
                    "an empty dictionary key cannot be used in a query".into(),
                ));
            }
            push(key, &mut path);
        }
        path.push('}');
        Ok(path)
    }

    fn json_scalar(&self, src: &str, path: Option<&str>, kind: Kind, strict: bool) -> String {
        let (node, text) = match path {
            Some(path) => (format!("({src} #> {path})"), format!("({src} #>> {path})")),
            None => (src.to_owned(), format!("({src} #>> '{{}}')")),
        };
        // Casts only values of the right JSON type, so a stray string in a numeric property reads
        // as NULL instead of failing the query.
        match kind {
            // Only where asked: the check reads the (compressed) document a second time.
            Kind::Text if strict => {
                format!("((CASE jsonb_typeof({node}) WHEN 'string' THEN {text} END) {PG_COLLATE})")
            }
            Kind::Text => format!("({text} {PG_COLLATE})"),
            Kind::Integer | Kind::Real => {
                format!("(CASE jsonb_typeof({node}) WHEN 'number' THEN {text}::float8 END)")
            }
            Kind::Boolean => {
                format!("(CASE jsonb_typeof({node}) WHEN 'boolean' THEN {text}::bool END)")
            }
        }
    }

    fn json_each(&self, src: &str, path: &str, alias: &str) -> String {
        format!(
            "jsonb_array_elements(CASE jsonb_typeof({src} #> {path}) WHEN 'array' THEN {src} #> {path} END) AS {alias}(value)"
        )
    }

    fn ci_eq(&self, l: &str, r: &str) -> String {
        format!("lower({l}) = lower({r})")
    }

    fn ci_in(&self, l: &str, items: &[String]) -> String {
        let items: Vec<String> = items.iter().map(|i| format!("lower({i})")).collect();
        format!("lower({l}) IN ({})", items.join(", "))
    }

    fn ci_like(&self, l: &str, pattern: &str) -> String {
        format!("{l} ILIKE {pattern} ESCAPE '\\'")
    }

    fn null_safe_eq(&self, l: &str, r: &str, ci: bool) -> String {
        if ci {
            format!("lower({l}) IS NOT DISTINCT FROM lower({r})")
        } else {
            format!("{l} IS NOT DISTINCT FROM {r}")
        }
    }

    fn is_true(&self, e: &str) -> String {
        format!("({e})")
    }

    fn true_predicate(&self) -> &'static str {
        "TRUE"
    }

    fn position(&self, hay: &str, needle: &str) -> String {
        format!("strpos({hay}, {needle})")
    }

    fn nulls_order(&self, descending: bool) -> &'static str {
        if descending {
            " NULLS LAST"
        } else {
            " NULLS FIRST"
        }
    }

    fn json_path_param(&self, placeholder: &str) -> String {
        format!("CAST({placeholder} AS text[])")
    }

    fn json_root(&self) -> &'static str {
        "'{}'"
    }

    fn queried_document(&self, column: &'static str) -> &'static str {
        match column {
            "alerts.doc" => "alerts.doc_json",
            "alerts.legacy_doc" => "alerts.legacy_doc_json",
            other => other,
        }
    }

    fn ci_index_key(&self, column: &str) -> String {
        format!("lower({column})")
    }

    fn lock_rows(&self) -> &'static str {
        " FOR UPDATE"
    }

    fn skip_locked(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }
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

    #[test]
    fn json_paths_quote_labels_and_refuse_quotes() {
        let d = Sqlite;
        assert_eq!(
            d.json_path(&["@odata.type"], &[]).unwrap(),
            "$.\"@odata.type\""
        );
        assert_eq!(
            d.json_path(&["a"], &["b c'".into()]).unwrap(),
            "$.\"a\".\"b c'\""
        );
        assert!(d.json_path(&["a'--"], &[]).is_err());
        assert!(d.json_path(&["a"], &["x\"y".into()]).is_err());
    }

    #[test]
    fn postgres_paths_are_quoted_text_arrays() {
        let d = Postgres;
        assert_eq!(
            d.json_path(&["evidence", "@odata.type"], &[]).unwrap(),
            r#"{"evidence","@odata.type"}"#
        );
        assert_eq!(
            d.json_path(&["a"], &[r#"b "c" \d,{}"#.into()]).unwrap(),
            r#"{"a","b \"c\" \\d,{}"}"#
        );
        assert!(d.json_path(&["a'--"], &[]).is_err());
        assert_eq!(statement(&Postgres, "a = $1"), "a = $1");
    }
}
