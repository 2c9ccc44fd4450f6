//! The values the seeded documents hold, by path, so that generated filters name values that exist.
//!
//! A path is the property names from the document root joined by `/`, with `*` standing for "an
//! element of this array": `evidence/*/verdict`, `systemTags/*`, `customDetails/score`.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Scalars and object keys seen below each path of one view's documents.
#[derive(Debug, Default)]
pub struct Pool {
    /// Every scalar (nulls included) seen at a path, deduplicated, in first-seen order.
    values: BTreeMap<String, Vec<Value>>,
    /// The keys of the objects seen at a path.
    keys: BTreeMap<String, BTreeSet<String>>,
    /// Every path below which something was seen (to prefer properties that hold data).
    populated: BTreeSet<String>,
}

impl Pool {
    /// Collects the values of `docs` (one view's JSON documents).
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Pool {
        let mut pool = Pool::default();
        for doc in docs {
            pool.walk(doc, "");
        }
        for list in pool.values.values_mut() {
            let mut seen = BTreeSet::new();
            list.retain(|v| seen.insert(v.to_string()));
        }
        pool
    }

    fn walk(&mut self, v: &Value, path: &str) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    self.keys
                        .entry(path.to_owned())
                        .or_default()
                        .insert(k.clone());
                    self.walk(child, &join(path, k));
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.walk(item, &join(path, "*"));
                }
            }
            scalar => {
                if !scalar.is_null() {
                    let mut p = path;
                    loop {
                        self.populated.insert(p.to_owned());
                        match p.rsplit_once('/') {
                            Some((parent, _)) => p = parent,
                            None => break,
                        }
                    }
                }
                self.values
                    .entry(path.to_owned())
                    .or_default()
                    .push(scalar.clone());
            }
        }
    }

    /// The scalars seen at `path`.
    pub fn values(&self, path: &str) -> &[Value] {
        self.values.get(path).map_or(&[], Vec::as_slice)
    }

    /// The object keys seen at `path` that can be written as an OData path segment.
    pub fn keys(&self, path: &str) -> Vec<&str> {
        self.keys.get(path).map_or_else(Vec::new, |keys| {
            keys.iter()
                .map(String::as_str)
                .filter(|k| is_identifier(k))
                .collect()
        })
    }

    /// Something other than null was seen at or below `path`.
    pub fn populated(&self, path: &str) -> bool {
        self.populated.contains(path)
    }
}

/// `a/b`, or `b` at the root.
pub fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}/{segment}")
    }
}

/// An OData identifier (what a dictionary key must be to appear in a `$filter` path).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
