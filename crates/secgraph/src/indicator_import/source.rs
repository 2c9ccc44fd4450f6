//! The file of `secgraph indicators import`: read as JSON, its format told (STIX 2.1 or MISP) and
//! converted to tiIndicator-shaped items by `model::intel`. A file that is unreadable, not JSON,
//! or not understood as the format at all is an error that says what was expected; a file that is
//! understood but holds nothing importable is not.

use crate::indicators_cli::ImportFormat;
use anyhow::Context;
use model::intel::{import_misp, import_stix_bundle, ImportOptions, ImportReport};
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// A recognised format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// STIX 2.1: a bundle, an object, or an array of them.
    Stix,
    /// MISP event JSON.
    Misp,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Stix => "STIX 2.1",
            Format::Misp => "MISP",
        })
    }
}

/// What the two formats look like, for error messages.
const EXPECTED: &str = "expected a STIX 2.1 bundle or object (a JSON object with \"type\", or an \
                        array of them) or MISP event JSON ({\"Event\": {…}}, a list of those, or \
                        restSearch output {\"response\": […]})";

/// The JSON document in `path`.
pub fn read(path: &Path) -> anyhow::Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "{} is not JSON (STIX and MISP files are JSON documents)",
            path.display()
        )
    })
}

/// The format of `doc`: `requested` unless it is `auto`, else told from the content. `None` for an
/// empty array (nothing to tell it by, and nothing to import).
pub fn format_of(
    doc: &Value,
    requested: ImportFormat,
    path: &Path,
) -> anyhow::Result<Option<Format>> {
    match requested {
        ImportFormat::Stix => return Ok(Some(Format::Stix)),
        ImportFormat::Misp => return Ok(Some(Format::Misp)),
        ImportFormat::Auto => {}
    }
    let first = match doc {
        Value::Array(items) => match items.first() {
            Some(first) => first,
            None => return Ok(None),
        },
        other => other,
    };
    detect(first).map(Some).ok_or_else(|| {
        anyhow::anyhow!(
            "cannot tell the format of {}: {EXPECTED}; found {}",
            path.display(),
            describe(first)
        )
    })
}

/// STIX objects carry `"type"`; MISP events are wrapped in `Event` (or `response` for restSearch)
/// or, bare, carry `Attribute`, `Object` or `info` and no `type`.
fn detect(v: &Value) -> Option<Format> {
    let o = v.as_object()?;
    if ["Event", "response", "Attribute", "Object"]
        .iter()
        .any(|k| o.contains_key(*k))
    {
        return Some(Format::Misp);
    }
    if o.get("type").is_some_and(Value::is_string) {
        return Some(Format::Stix);
    }
    o.contains_key("info").then_some(Format::Misp)
}

fn describe(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let keys: Vec<&str> = o.keys().take(5).map(String::as_str).collect();
            match keys.is_empty() {
                true => "an empty object".to_owned(),
                false => format!("an object with keys {}", keys.join(", ")),
            }
        }
        Value::Array(_) => "an array".to_owned(),
        Value::String(_) => "a string".to_owned(),
        Value::Number(_) => "a number".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Null => "null".to_owned(),
    }
}

/// Converts `doc`. When the converter understood nothing of it (no indicators, and every skip is
/// about the input as a whole), that is an error carrying the converter's reasons.
pub fn convert(
    doc: &Value,
    format: Format,
    opts: &ImportOptions,
    path: &Path,
) -> anyhow::Result<ImportReport> {
    let report = match format {
        Format::Stix => import_stix_bundle(doc, opts),
        Format::Misp => import_misp(doc, opts),
    };
    let not_understood = report.indicators.is_empty()
        && !report.skipped.is_empty()
        && report.skipped.iter().all(|s| s.source == "input");
    if not_understood {
        let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
        anyhow::bail!(
            "{} is not {format} JSON: {}",
            path.display(),
            reasons.join("; ")
        );
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stix_and_misp_shapes_are_told_apart() {
        assert_eq!(
            detect(&json!({"type": "bundle", "id": "bundle--1"})),
            Some(Format::Stix)
        );
        assert_eq!(detect(&json!({"type": "indicator"})), Some(Format::Stix));
        assert_eq!(detect(&json!({"Event": {"info": "x"}})), Some(Format::Misp));
        assert_eq!(detect(&json!({"response": []})), Some(Format::Misp));
        assert_eq!(
            detect(&json!({"info": "bare", "Attribute": []})),
            Some(Format::Misp)
        );
        assert_eq!(detect(&json!({"value": []})), None);
        assert_eq!(detect(&json!("bundle")), None);
    }

    #[test]
    fn an_unrecognised_document_names_what_was_found() {
        let path = Path::new("feed.json");
        let err = format_of(&json!({"value": [], "x": 1}), ImportFormat::Auto, path)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("cannot tell the format of feed.json: expected a STIX"),
            "{err}"
        );
        assert!(err.ends_with("found an object with keys value, x"), "{err}");
        let empty = format_of(&json!([]), ImportFormat::Auto, path).unwrap();
        assert_eq!(empty, None);
        let forced = format_of(&json!([]), ImportFormat::Misp, path).unwrap();
        assert_eq!(forced, Some(Format::Misp));
    }

    #[test]
    fn a_document_the_converter_does_not_understand_is_an_error() {
        let opts = ImportOptions::new(time::OffsetDateTime::UNIX_EPOCH);
        let misp = json!({"Event": {"info": "x", "Attribute": []}});
        let err = convert(&misp, Format::Stix, &opts, Path::new("e.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("e.json is not STIX 2.1 JSON: expected a STIX bundle"),
            "{err}"
        );
        let empty_bundle = json!({"type": "bundle", "objects": []});
        let report = convert(&empty_bundle, Format::Stix, &opts, Path::new("b.json")).unwrap();
        assert!(report.indicators.is_empty() && report.skipped.is_empty());
    }
}
