//! The SQLite dialect.

use super::{check_segment, Dialect, Kind};
use crate::error::StoreError;
use std::fmt::Write;

/// SQLite (bundled, JSON1 built in).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sqlite;

impl Dialect for Sqlite {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
