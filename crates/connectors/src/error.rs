//! What goes wrong when a line is mapped: one error type whose messages name the field at fault
//! (as a dotted path) and say what was expected, so an operator can fix the producer or the
//! pipeline from the log line alone.

use std::fmt;

/// Why one line did not become an alert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorError {
    /// The line is not JSON (empty, cut off, not UTF-8 text).
    #[error("not JSON: {0}")]
    Json(String),
    /// The line is JSON but not an object.
    #[error("expected a JSON object, found {found}")]
    NotAnObject {
        /// What the line held instead (`an array`, `the number 3`, ...).
        found: String,
    },
    /// A required field is absent or `null`.
    #[error("{field}: missing; expected {expected}")]
    Missing {
        /// The field's dotted path, e.g. `alert.signature_id`.
        field: String,
        /// What belongs there.
        expected: &'static str,
    },
    /// A field has a value of the wrong type or outside its range.
    #[error("{field}: expected {expected}, found {found}")]
    Invalid {
        /// The field's dotted path.
        field: String,
        /// What belongs there.
        expected: &'static str,
        /// What the line held instead, shortened.
        found: String,
    },
    /// A field holds a template placeholder such as `"{timestamp}"` (Wazuh's sample-alert
    /// templates): the line was never filled in, so it describes no real event.
    #[error(
        "{field}: \"{value}\" is a template placeholder, not a time stamp; substitute a real time \
         such as 2024-01-01T10:00:00.000+0000 before sending the line"
    )]
    Placeholder {
        /// The field's dotted path.
        field: String,
        /// The placeholder as it came.
        value: String,
    },
}

/// A line of a pushed stream that did not map, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the body.
    pub line: usize,
    /// What was wrong with it.
    pub error: ConnectorError,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

impl std::error::Error for LineError {}
