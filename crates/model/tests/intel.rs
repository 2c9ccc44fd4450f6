//! `model::intel`: STIX 2.1 and MISP imports against the real published samples in
//! `tests/fixtures/intel` (exact counts verified by reading the files), STIX export and its round
//! trip through import, and robustness of the pattern parser on mutated real patterns.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "intel/export.rs"]
mod export;
#[path = "intel/misp.rs"]
mod misp;
#[path = "intel/robustness.rs"]
mod robustness;
#[path = "intel/stix.rs"]
mod stix;

use model::intel::{ImportOptions, ImportReport};
use serde_json::Value;
use std::collections::BTreeMap;

/// Options with a fixed default expiry.
pub fn opts() -> ImportOptions {
    ImportOptions::new(model::datetime::parse("2030-01-01T00:00:00Z").unwrap())
}

/// The fixture `tests/fixtures/intel/<name>`.
pub fn intel_fixture(name: &str) -> Value {
    common::fixture(&format!("intel/{name}"))
}

/// The indicator whose externalId is `id`.
pub fn by_external_id<'a>(report: &'a ImportReport, id: &str) -> &'a Value {
    report
        .indicators
        .iter()
        .find(|i| i["externalId"] == id)
        .unwrap_or_else(|| panic!("no indicator with externalId {id}"))
}

/// The reason `source` was skipped.
pub fn skip_reason<'a>(report: &'a ImportReport, source: &str) -> &'a str {
    &report
        .skipped
        .iter()
        .find(|s| s.source == source)
        .unwrap_or_else(|| panic!("{source} was not skipped: {:?}", report.skipped))
        .reason
}

/// How often each skip reason occurs.
pub fn reasons(report: &ImportReport) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for s in &report.skipped {
        *out.entry(s.reason.as_str()).or_default() += 1;
    }
    out
}
