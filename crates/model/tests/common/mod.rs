//! Helpers shared by the integration tests: fixture loading and the "keeps every property"
//! comparison.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::PathBuf;
use time::OffsetDateTime;

/// The parsed fixture `name` from `tests/fixtures`.
pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The alerts of the demisto harness file: (legacy page items, alerts_v2 page items).
pub fn demisto_alerts() -> (Vec<Value>, Vec<Value>) {
    let d = fixture("alerts-v1-and-v2-search-mock_demisto.json");
    let items = |case: &str| {
        d[case]["mock_response"]["value"]
            .as_array()
            .unwrap()
            .clone()
    };
    (items("test_case_1"), items("test_case_2"))
}

/// The alerts of the cli-microsoft365 legacy page.
pub fn cli_legacy_alerts() -> Vec<Value> {
    let d = fixture("legacy-alerts-list_4-providers_cli-microsoft365.json");
    d["value"].as_array().unwrap().clone()
}

/// A fixed instant for tests.
pub fn now() -> OffsetDateTime {
    model::datetime::parse("2025-01-02T03:04:05.1234567Z").unwrap()
}

/// Asserts that `output` keeps every property of `input` (OData annotations aside): equal values,
/// date-times compared as instants, `null` input matching `null` or `[]`. Properties only in
/// `output` must be `null`, `[]` or an `@odata.type` annotation.
pub fn assert_keeps(input: &Value, output: &Value, path: &str) {
    match (input, output) {
        (Value::Object(i), Value::Object(o)) => {
            for (k, v) in i {
                if k.starts_with("@odata.") {
                    continue;
                }
                let p = format!("{path}/{k}");
                let out = o
                    .get(k)
                    .unwrap_or_else(|| panic!("{p}: missing from the output"));
                assert_keeps(v, out, &p);
            }
            for (k, v) in o {
                if !i.contains_key(k) && k != "@odata.type" {
                    assert!(is_empty(v), "{path}/{k}: added with a value: {v}");
                }
            }
        }
        (Value::Array(i), Value::Array(o)) => {
            assert_eq!(i.len(), o.len(), "{path}: length");
            for (n, (a, b)) in i.iter().zip(o).enumerate() {
                assert_keeps(a, b, &format!("{path}[{n}]"));
            }
        }
        (Value::Null, o) => assert!(is_empty(o), "{path}: null became {o}"),
        (Value::String(a), Value::String(b)) if a != b => {
            let (ta, tb) = (model::datetime::parse(a), model::datetime::parse(b));
            assert!(ta.is_ok() && ta == tb, "{path}: {a:?} became {b:?}");
        }
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

fn is_empty(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(Vec::is_empty)
}
