//! The PostgreSQL dialect.

use super::{check_segment, Dialect, Kind};
use crate::error::StoreError;

/// PostgreSQL (`tokio-postgres`): JSONB documents, `"C"` collation, typed parameters.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Postgres;

/// The collation every PostgreSQL text comparison uses, so that text orders bytewise as on SQLite.
const PG_COLLATE: &str = "COLLATE \"C\"";

impl Dialect for Postgres {
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
            "ti_indicators.doc" => "ti_indicators.doc_json",
            "secure_scores.doc" => "secure_scores.doc_json",
            "secure_score_control_profiles.doc" => "secure_score_control_profiles.doc_json",
            "audit_log.doc" => "audit_log.doc_json",
            other => other,
        }
    }

    fn ci_index_key(&self, column: &str) -> String {
        format!("lower({column})")
    }

    fn lock_rows(&self) -> &'static str {
        // Not `FOR UPDATE`: that also blocks the key-share locks every foreign-key check takes, so
        // a writer holding its tenant's row stalled every insert that references the tenant (the
        // outbox, the delivery history, ...) until it committed. Writers still take turns: this
        // lock conflicts with itself.
        " FOR NO KEY UPDATE"
    }

    fn advance_identity(&self, table: &str, column: &str) -> Option<String> {
        Some(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), m) \
             FROM (SELECT max({column}) AS m FROM {table}) AS s WHERE m IS NOT NULL"
        ))
    }

    fn explain(&self, sql: &str) -> (String, &'static [&'static str]) {
        (
            format!("EXPLAIN {sql}"),
            &[
                "SET LOCAL enable_seqscan = off",
                "SET LOCAL enable_sort = off",
            ],
        )
    }

    fn skip_locked(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }

    fn exclusive(&self, name: &'static str) -> Option<String> {
        Some(format!(
            "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.{name}', 0))"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::statement;

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
