//! A product's JSON record read field by field.
//!
//! Fields are named by dotted paths (`alert.signature_id`); `null` counts as absent. Required
//! readers fail with a [`ConnectorError`] that names the full path (with the record's prefix, such
//! as `_source.` for a Logstash-wrapped Wazuh alert) and what was expected. Optional readers are
//! lenient: a value of the wrong type is treated as absent, because one odd optional field must not
//! lose the whole alert.
//!
//! Products disagree about numbers: Wazuh sends ports and rule levels as strings (`"46980"`),
//! Suricata sends them as numbers, so the integer readers accept both.

use crate::error::ConnectorError;
use serde_json::{Map, Value};

/// Longest excerpt of an offending value quoted in an error.
const QUOTE_CHARS: usize = 40;

/// Parses one line as a JSON object (a UTF-8 byte-order mark and surrounding white space are
/// allowed).
pub(crate) fn parse_object(line: &str) -> Result<Map<String, Value>, ConnectorError> {
    let text = line.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ConnectorError::Json("the line is empty".into()));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ConnectorError::NotAnObject {
            found: describe(&other),
        }),
        Err(e) => Err(ConnectorError::Json(e.to_string())),
    }
}

/// A JSON object and the path prefix its fields are reported under.
#[derive(Clone, Copy)]
pub(crate) struct Record<'a> {
    map: &'a Map<String, Value>,
    prefix: &'static str,
}

impl<'a> Record<'a> {
    /// Reads `map`, reporting its fields as `{prefix}{path}` (`prefix` is empty or ends in `.`).
    pub(crate) fn new(map: &'a Map<String, Value>, prefix: &'static str) -> Self {
        Record { map, prefix }
    }

    /// The full path of `path`, as errors report it.
    pub(crate) fn field(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// The value at `path`; `None` when absent or `null`.
    pub(crate) fn get(&self, path: &str) -> Option<&'a Value> {
        let mut parts = path.split('.');
        let mut value = self.map.get(parts.next()?)?;
        for part in parts {
            value = value.as_object()?.get(part)?;
        }
        (!value.is_null()).then_some(value)
    }

    /// A non-blank string at `path`, trimmed.
    pub(crate) fn str(&self, path: &str) -> Option<&'a str> {
        let s = self.get(path)?.as_str()?.trim();
        (!s.is_empty()).then_some(s)
    }

    /// A string or number at `path`, as text (ids that products write either way).
    pub(crate) fn text(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A whole number at `path`: a JSON number or a string of digits.
    pub(crate) fn uint(&self, path: &str) -> Option<u64> {
        as_uint(self.get(path)?)
    }

    /// The strings at `path`: an array's string items, or a single string.
    pub(crate) fn strings(&self, path: &str) -> Vec<&'a str> {
        match self.get(path) {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
    }

    /// A required non-blank string.
    pub(crate) fn req_str(
        &self,
        path: &str,
        expected: &'static str,
    ) -> Result<&'a str, ConnectorError> {
        let value = self.require(path, expected)?;
        value
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.invalid(path, expected, value))
    }

    /// A required string or number, as text.
    pub(crate) fn req_text(
        &self,
        path: &str,
        expected: &'static str,
    ) -> Result<String, ConnectorError> {
        let value = self.require(path, expected)?;
        self.text(path)
            .ok_or_else(|| self.invalid(path, expected, value))
    }

    /// A required whole number (number or string of digits).
    pub(crate) fn req_uint(
        &self,
        path: &str,
        expected: &'static str,
    ) -> Result<u64, ConnectorError> {
        let value = self.require(path, expected)?;
        as_uint(value).ok_or_else(|| self.invalid(path, expected, value))
    }

    /// The value at `path`, or the error saying it is missing.
    pub(crate) fn require(
        &self,
        path: &str,
        expected: &'static str,
    ) -> Result<&'a Value, ConnectorError> {
        self.get(path).ok_or_else(|| ConnectorError::Missing {
            field: self.field(path),
            expected,
        })
    }

    /// The error for a value at `path` that is not what was `expected`.
    pub(crate) fn invalid(
        &self,
        path: &str,
        expected: &'static str,
        found: &Value,
    ) -> ConnectorError {
        ConnectorError::Invalid {
            field: self.field(path),
            expected,
            found: describe(found),
        }
    }
}

fn as_uint(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// A short description of a JSON value for an error message.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > QUOTE_CHARS => {
            let head: String = s.chars().take(QUOTE_CHARS).collect();
            format!("the string \"{head}…\"")
        }
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_readers_name_the_full_path_and_what_was_found() {
        let v = json!({"rule": {"level": "high", "id": 5715}, "ports": "46980"});
        let map = v.as_object().unwrap();
        let r = Record::new(map, "_source.");
        let e = r.req_uint("rule.level", "a whole number 0-15").unwrap_err();
        assert_eq!(
            e.to_string(),
            "_source.rule.level: expected a whole number 0-15, found the string \"high\""
        );
        let e = r.req_str("rule.description", "a string").unwrap_err();
        assert_eq!(
            e.to_string(),
            "_source.rule.description: missing; expected a string"
        );
        assert_eq!(r.req_text("rule.id", "an id").unwrap(), "5715");
        assert_eq!(r.uint("ports"), Some(46980));
        assert_eq!(r.uint("rule.level"), None);
    }

    #[test]
    fn lines_that_are_not_objects_say_what_they_are() {
        assert!(matches!(parse_object("  "), Err(ConnectorError::Json(_))));
        assert!(matches!(
            parse_object("{\"a\":"),
            Err(ConnectorError::Json(_))
        ));
        let e = parse_object("[1]").unwrap_err();
        assert_eq!(e.to_string(), "expected a JSON object, found an array");
        assert!(parse_object("\u{feff}{\"a\":1}\r").is_ok());
    }
}
