//! Threat intelligence in and out: STIX 2.1 bundles and MISP events to tiIndicators, and
//! tiIndicators to a STIX 2.1 bundle. Pure functions over `serde_json::Value`: the indicators they
//! produce are tiIndicator-shaped objects with Graph property names, which the server validates
//! like any submitted indicator.
//!
//! * [`import_stix_bundle`] (see [`stix_import`]): indicators whose patterns are `=` comparisons on
//!   the observables of [`observable`], joined by OR, become one tiIndicator per comparison.
//! * [`import_misp`] (see [`misp`]): MISP event JSON, mapped as Microsoft's MISP sample
//!   (`microsoftgraph/security-api-solutions`, `Samples/MISP`) maps it.
//! * [`export_stix_bundle`] / [`export_stix`] (see [`stix_export`]).
//! * [`pattern`]: the STIX patterning parser.
//!
//! Nothing is dropped silently: whatever is not imported is in [`ImportReport::skipped`] with the
//! reason.

mod comparison;
mod disjunct;
pub(crate) mod grammar;
mod hostname;
pub mod misp;
pub mod misp_attribute;
pub mod observable;
pub mod pattern;
#[cfg(test)]
mod pattern_tests;
mod pattern_text;
pub mod stix_export;
pub mod stix_import;
pub(crate) mod token;
pub mod vocab;

pub use misp::import_misp;
pub use pattern::{parse_pattern, PatternError};
pub use stix_export::{export_stix, export_stix_bundle, ExportReport};
pub use stix_import::import_stix_bundle;

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// The longest tiIndicator `description` Graph accepts, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 100;

/// What an import fills in where the source says nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// `expirationDateTime` when the source has none (STIX `valid_until`; MISP never has one).
    pub default_expiry: OffsetDateTime,
    /// `threatType` when the source names none (Graph values such as `WatchList`, `Malware`).
    pub threat_type: String,
    /// `tlpLevel` when the source carries no TLP marking (`white`, `green`, `amber`, `red`).
    pub tlp: String,
    /// `action` of every indicator (`unknown`, `allow`, `block`, `alert`).
    pub action: String,
    /// `targetProduct` of every indicator (`Azure Sentinel`, `Microsoft Defender ATP`).
    pub target_product: String,
    /// MISP only: also import attributes whose `to_ids` is false (Microsoft's sample imports them
    /// all; by default they are skipped, as MISP means them as context, not for detection).
    pub include_non_ids: bool,
}

impl ImportOptions {
    /// The defaults of Microsoft's MISP sample: action `alert`, target `Azure Sentinel`, threat
    /// type `WatchList`, TLP `red` when unmarked; `to_ids` false is skipped.
    pub fn new(default_expiry: OffsetDateTime) -> Self {
        ImportOptions {
            default_expiry,
            threat_type: "WatchList".into(),
            tlp: "red".into(),
            action: "alert".into(),
            target_product: "Azure Sentinel".into(),
            include_non_ids: false,
        }
    }
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// tiIndicator JSON objects, ready for `submitTiIndicators`.
    pub indicators: Vec<Value>,
    /// What was not imported, and why.
    pub skipped: Vec<Skipped>,
}

/// Something the import did not turn into an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The STIX id (with `#n` for the n-th comparison of a pattern), the MISP attribute uuid, or
    /// `input` when the document itself was not understood.
    pub source: String,
    /// What was unsupported or wrong.
    pub reason: String,
}

impl Skipped {
    pub(crate) fn new(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Skipped {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

/// `text` with its white space collapsed, cut to at most [`MAX_DESCRIPTION_CHARS`] characters
/// ending in `…` (at a word boundary when one is within the last 20); `None` if blank.
pub fn short_description(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= MAX_DESCRIPTION_CHARS {
        return Some(text);
    }
    let mut cut: String = text.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
    let next_is_space = text.chars().nth(MAX_DESCRIPTION_CHARS - 1) == Some(' ');
    if let Some(space) = cut.rfind(' ').filter(|_| !next_is_space) {
        if cut[space..].chars().count() <= 20 {
            cut.truncate(space);
        }
    }
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

/// The properties every imported indicator starts from.
pub(crate) fn base_indicator(opts: &ImportOptions) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("action".into(), Value::String(opts.action.clone()));
    m.insert(
        "targetProduct".into(),
        Value::String(opts.target_product.clone()),
    );
    m.insert("threatType".into(), Value::String(opts.threat_type.clone()));
    m.insert("tlpLevel".into(), Value::String(opts.tlp.clone()));
    m.insert(
        "expirationDateTime".into(),
        Value::String(crate::datetime::format(opts.default_expiry)),
    );
    m
}

/// Inserts `values` as a string array under `key` when not empty.
pub(crate) fn put_list(m: &mut Map<String, Value>, key: &str, values: Vec<String>) {
    if !values.is_empty() {
        m.insert(key.into(), values.into_iter().map(Value::String).collect());
    }
}

/// Pushes `v` unless already present.
pub(crate) fn push_unique(list: &mut Vec<String>, v: impl Into<String>) {
    let v = v.into();
    if !list.contains(&v) {
        list.push(v);
    }
}
